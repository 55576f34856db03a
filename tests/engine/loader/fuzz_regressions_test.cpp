// Regression tests for what fuzzing (fuzz/, scripts/fuzz.sh) found. Each case is an input
// that once crashed, hung or misbehaved, reduced to its essence, with the answer it must get now.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "caseflow/expression.h"
#include "caseflow/loader.h"

namespace caseflow {
namespace {

const field_signatures& names() {
  static const field_signatures k_names{{"amount", {field_type::money, {}}}, {"approved", {field_type::boolean, {}}}};
  return k_names;
}

expression_error compile_error(const std::string& source) {
  expression_error error;
  CHECK_FALSE(expression::compile(source, names(), &error).has_value());
  return error;
}

std::string repeated(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

TEST_CASE("deeply nested parentheses in a guard are refused with a clear message, not a stack overflow") {
  const std::string source = repeated("(", 100000) + "approved" + repeated(")", 100000);
  const auto error = compile_error(source);
  CHECK(error.message == "the expression nests parentheses, 'not' and '-' more than 100 levels deep");
  CHECK(error.offset == 100);
}

TEST_CASE("a long run of 'not' or unary minus in a guard is refused like deep parentheses") {
  CHECK(compile_error(repeated("not ", 50000) + "approved").message ==
        "the expression nests parentheses, 'not' and '-' more than 100 levels deep");
  CHECK(compile_error(repeated("-", 50000) + "amount > 0").message ==
        "the expression nests parentheses, 'not' and '-' more than 100 levels deep");
}

TEST_CASE("nesting up to the limit still compiles and evaluates") {
  expression_error error;
  const auto nested = expression::compile(repeated("(", 100) + "approved" + repeated(")", 100), names(), &error);
  REQUIRE(nested.has_value());
  CHECK(nested->evaluate({{"approved", true}}));
  CHECK_FALSE(nested->evaluate({}));
}

TEST_CASE("a chain of operators deeper than evaluation may recurse is refused, a long but allowed one evaluates") {
  const auto error = compile_error("approved" + repeated(" or approved", 1000));
  CHECK(error.message == "the expression is more than 1000 operators deep; split it");
  expression_error ok_error;
  const auto chain = expression::compile("amount" + repeated(" + amount", 998) + " > 0", names(), &ok_error);
  REQUIRE(chain.has_value());
  CHECK(chain->evaluate({{"amount", money{1}}}));
}

TEST_CASE(
    "a procedure whose guard nests 50000 parentheses is reported at file:line:col instead of crashing the loader") {
  // `caseflow validate` on such a file used to die of a stack overflow (SIGSEGV).
  const std::string guard = repeated("(", 50000) + "counter == 1" + repeated(")", 50000);
  const std::string text =
      "procedure: deep\n"
      "name: Deep\n"
      "roles: { clerk: Clerk }\n"
      "fields: { counter: int }\n"
      "start: open\n"
      "steps:\n"
      "  open:\n"
      "    role: clerk\n"
      "    actions:\n"
      "      close: { to: done, when: '" +
      guard +
      "' }\n"
      "  done: { terminal: true }\n";
  diagnostics problems;
  CHECK_FALSE(load_procedure_text(text, "deep.yaml", &problems).has_value());
  REQUIRE(problems.size() == 1);
  CHECK(to_string(problems[0]) ==
        "deep.yaml:10:133: guard of action 'close': the expression nests parentheses, 'not' and '-' more than 100 "
        "levels deep");
}

TEST_CASE("a field written as a map without a type is a diagnostic, not an internal error") {
  // Found by fuzz_procedure_loader (tests/fuzz_regressions/field_without_type.yaml): the
  // loader read the missing `type` through an invalid yaml-cpp node, which threw.
  const std::string text =
      "procedure: typeless\n"
      "name: Typeless\n"
      "roles: { clerk: Clerk }\n"
      "fields:\n"
      "  note: { name: Note }\n"
      "start: open\n"
      "steps:\n"
      "  open: { role: clerk, actions: { close: done } }\n"
      "  done: { terminal: true }\n";
  diagnostics problems;
  CHECK_FALSE(load_procedure_text(text, "typeless.yaml", &problems).has_value());
  REQUIRE(problems.size() == 1);
  CHECK(to_string(problems[0]) ==
        "typeless.yaml:5:9: field 'note' needs a type (text, int, money, bool, enum, date, datetime)");
}

// The inputs fuzz_procedure_loader crashed on, as it found them: field_without_type.yaml (a
// field map without `type` was read through an invalid yaml-cpp node) and
// actions_under_missing_key.yaml (a step written twice, `cost_approval`: the second copy's
// actions were looked up under the first, which has none, and yaml-cpp threw).
TEST_CASE("every input kept in tests/fuzz_regressions loads as a procedure or as diagnostics, without throwing") {
  int files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(CASEFLOW_SOURCE_DIR) + "/tests/fuzz_regressions")) {
    ++files;
    INFO("input: ", entry.path().string());
    diagnostics problems;
    std::optional<procedure> loaded;
    CHECK_NOTHROW(loaded = load_procedure_file(entry.path().string(), &problems));
    CHECK(loaded.has_value() != has_errors(problems));
  }
  CHECK(files >= 1);
}

}  // namespace
}  // namespace caseflow
