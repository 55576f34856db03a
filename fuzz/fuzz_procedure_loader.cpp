// Fuzz target: the YAML procedure loader (with the guards, durations and approval tiers it
// checks). Any text must either load or give diagnostics; never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "caseflow/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  caseflow::diagnostics problems;
  const auto procedure = caseflow::load_procedure_text(text, "fuzz.yaml", &problems);
  if (procedure.has_value() == caseflow::has_errors(problems)) __builtin_trap();  // loaded iff no errors
  for (const auto& p : problems)
    if (p.message.empty()) __builtin_trap();  // every problem says what is wrong
  return 0;
}
