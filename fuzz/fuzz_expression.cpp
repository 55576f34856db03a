// Fuzz target: the guard expression parser and type checker, then evaluation and explain()
// on what compiles. compile() must return an expression or an error inside the source;
// evaluate() and explain() must never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "caseflow/expression.h"

namespace {

const caseflow::field_signatures& names() {
  using caseflow::field_type;
  static const caseflow::field_signatures signatures{
      {"amount", {field_type::money, {}}},
      {"count", {field_type::integer, {}}},
      {"channel", {field_type::enumeration, {"phone", "email", "letter"}}},
      {"summary", {field_type::text, {}}},
      {"approved", {field_type::boolean, {}}},
      {"move_in_date", {field_type::date, {}}},
      {"received_at", {field_type::datetime, {}}},
      {"actor", {field_type::text, {}}}};
  return signatures;
}

const caseflow::field_values& values() {
  static const caseflow::field_values v{{"amount", caseflow::money{2'000'001}},
                                        {"count", std::int64_t{-3}},
                                        {"channel", std::string("email")},
                                        {"summary", std::string("渗水 \"quoted\"")},
                                        {"approved", true},
                                        {"move_in_date", caseflow::civil_date{20'500}},
                                        {"actor", std::string("zhang.wei")}};
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  caseflow::expression_error error;
  const auto compiled = caseflow::expression::compile(source, names(), &error);
  if (!compiled) {
    if (error.message.empty() || error.offset > source.size()) __builtin_trap();
    return 0;
  }
  compiled->evaluate(values());
  compiled->evaluate({});
  compiled->explain(values());
  return 0;
}
