// Fuzz target: the `--set` value parser (parse_value, used for operator input, imports and
// YAML defaults) and the ISO-8601 instant parser. The first byte picks the field type, the
// rest is the text. A parsed value must survive format_value -> parse_value unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "caseflow/value.h"

namespace {

constexpr caseflow::field_type k_types[] = {caseflow::field_type::text,        caseflow::field_type::integer,
                                            caseflow::field_type::money,       caseflow::field_type::boolean,
                                            caseflow::field_type::enumeration, caseflow::field_type::date,
                                            caseflow::field_type::datetime};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto type = k_types[data[0] % std::size(k_types)];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string error;
  if (const auto v = caseflow::parse_value(type, text, &error)) {
    const std::string canonical = caseflow::format_value(*v);
    std::string again_error;
    const auto again = caseflow::parse_value(type, canonical, &again_error);
    if (!again || *again != *v) __builtin_trap();  // the canonical text reads back as the same value
  } else if (error.empty()) {
    __builtin_trap();
  }
  if (const auto t = caseflow::parse_instant(text)) {
    const auto again = caseflow::parse_instant(caseflow::format_instant_utc(*t));
    if (!again || *again != *t) __builtin_trap();
  }
  return 0;
}
