// caseflow/text_file.h — reading a whole file (procedures, calendars, the organisation).
// Thread-safe.
#pragma once

#include <optional>
#include <string>

namespace caseflow {

// Reads a whole file; nullopt if it cannot be read.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace caseflow
