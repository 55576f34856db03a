// Fuzz target: the duration and date-offset parsers. Each returns a value or an error
// sentence; a parsed duration is never negative.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "caseflow/duration.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  if (const auto d = caseflow::parse_duration(text, &error)) {
    if (d->amount < 0) __builtin_trap();
  } else if (error.empty()) {
    __builtin_trap();
  }
  error.clear();
  if (const auto offset = caseflow::parse_date_offset(text, &error)) {
    if (offset->field.empty() || (offset->sign != 1 && offset->sign != -1)) __builtin_trap();
  } else if (error.empty()) {
    __builtin_trap();
  }
  return 0;
}
