// caseflow/duration.h — time limits as procedures write them: "30m", "4h working",
// "2 working days", "end of day", "1 month", and offsets from a date field
// ("move_in_date - 45d").
//
// Parsing is pure text work; no calendar is needed. What a duration *means* in wall-clock
// time is decided by a calendar (caseflow/calendar.h, calendar::due), because working time
// depends on working hours, holidays and the calendar's time zone.
//
// Values are plain data: intentionally copyable. Thread-safe as any value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caseflow {

// A time limit counted from an event.
//
//   text                  kind              amount
//   "30m", "30 minutes"   calendar_seconds  1800
//   "1.5h"                calendar_seconds  5400
//   "7d", "1 week"        calendar_seconds  604800   (7 × 86400: plain time, zone-independent)
//   "1 month"             calendar_months   10       (tenths of a month)
//   "half a month"        calendar_months   5
//   "1 year"              calendar_months   120
//   "4h working"          working_seconds   14400
//   "30 minutes working"  working_seconds   1800
//   "2 working days"      working_days      2        ("2d working" is the same)
//   "end of day"          end_of_day        0        (close of the working day)
//   "same day"            same_day          0        (24:00 local of the event's own day,
//                                                     working or not: "on a holiday, the same day")
//
// calendar_months: whole months are calendar months in the calendar's zone (same local wall
// time, same day of month, clamped to the month's last day: Jan 31 + 1 month = Feb 28/29);
// each remaining tenth of a month adds 3 calendar days (so half a month is 15 days).
struct duration {
  enum class unit { calendar_seconds, calendar_months, working_seconds, working_days, end_of_day, same_day };
  unit kind = unit::calendar_seconds;
  std::int64_t amount = 0;
  std::string text;  // as written, trimmed
};

// Parses a duration. Case-insensitive; spaces between number and unit are optional.
// Numbers may carry decimals ("1.5h") when the result is a whole number of seconds, or of
// tenths of a month. Working days must be whole.
// Units: s/sec/second(s), m/min/minute(s), h/hr/hour(s), d/day(s), w/week(s), month(s),
// y/year(s); "working" after a seconds/minutes/hours/days amount, or "N working day(s)".
// On failure returns nullopt and sets *error (if non-null) to a sentence, e.g.
//   "bad duration 'fooh': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, end of day".
std::optional<duration> parse_duration(std::string_view text, std::string* error);

// A moment relative to a date field of the case:
//
//   text                             field          sign  tenth_months  days  working
//   "move_in_date"                   move_in_date   +1    0             0     false
//   "move_in_date - 45d"             move_in_date   -1    0             45    false
//   "move_in_date - 1.5 months"      move_in_date   -1    15            0     false
//   "move_in_date - 2 weeks"         move_in_date   -1    0             14    false
//   "move_in_date + 3 working days"  move_in_date   +1    0             3     true
//
// Offsets are whole days, weeks, months (tenths allowed), years or working days: a date field
// has no time of day, so hours are rejected. calendar::resolve and calendar::due say which
// day and which moment an offset designates.
struct date_offset {
  std::string field;
  int sign = 1;                  // +1 or -1
  std::int64_t tenth_months = 0; // calendar months, in tenths (years are 12 months)
  std::int64_t days = 0;         // calendar days, or working days when `working`
  bool working = false;
  std::string text;              // as written, trimmed
};

// Parses "FIELD", "FIELD + AMOUNT UNIT" or "FIELD - AMOUNT UNIT". FIELD is a snake_case name.
// On failure returns nullopt and sets *error (if non-null) to a sentence saying what was
// expected, e.g. "bad date offset 'move_in_date - 4h': a date offset counts days, weeks,
// months, years or working days".
std::optional<date_offset> parse_date_offset(std::string_view text, std::string* error);

}  // namespace caseflow
