// caseflow/case_id.h — case ids people can say on the phone.
//
// A pattern mixes literal text with placeholders: {yyyy} {yy} {mm} {dd} for the local date
// the case is opened on, and {seq:N} for a serial zero-padded to N digits (exactly one).
// The serial counts per *period*: the id with {seq} left out, so "TS-{yyyy}-{seq:05}"
// restarts every year and "8D{yyyy}{mm}{dd}{seq:03}" every day.
// Example: "TS-{yyyy}-{seq:05}" on 2026-11-24, serial 42 -> "TS-2026-00042".
#pragma once

#include <cstdint>
#include <string>

#include "caseflow/value.h"

namespace caseflow {

// True if `pattern` is well formed; otherwise sets *why.
bool check_case_id_pattern(const std::string& pattern, std::string* why);

// The period key of `pattern` on `local_day` (the pattern with dates filled, {seq} removed).
// REQUIRES: check_case_id_pattern(pattern).
std::string case_id_period(const std::string& pattern, civil_date local_day);

// The id for serial `seq` (1-based) on `local_day`. REQUIRES: check_case_id_pattern(pattern).
std::string format_case_id(const std::string& pattern, civil_date local_day, std::int64_t seq);

}  // namespace caseflow
