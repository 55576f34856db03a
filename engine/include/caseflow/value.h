// caseflow/value.h — typed field values: text, integer, money, bool, enum, date, datetime.
//
// A value is what a case field holds and what a guard expression computes with.
// Money is exact: an integer number of fen (1/100 CNY), never floating point.
// Dates are civil dates (no zone); datetimes are UTC instants in whole seconds.
// Values are plain data: intentionally copyable. Thread-safe as any value type.
#pragma once

#include <compare>
#include <map>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json_fwd.hpp>

namespace caseflow {

enum class field_type { text, integer, money, boolean, enumeration, date, datetime };

// "text", "int", "money", "bool", "enum", "date", "datetime".
std::string_view to_string(field_type type);
std::optional<field_type> parse_field_type(std::string_view name);

struct money {
  std::int64_t fen = 0;
  auto operator<=>(const money&) const = default;
};

// Days since 1970-01-01 in the proleptic Gregorian calendar.
struct civil_date {
  std::int32_t days = 0;
  auto operator<=>(const civil_date&) const = default;
};

// Seconds since the Unix epoch, UTC.
struct instant {
  std::int64_t seconds = 0;
  auto operator<=>(const instant&) const = default;
};

// std::monostate is "no value" (a field that was never set). Enum values are strings.
using value = std::variant<std::monostate, bool, std::int64_t, money, std::string, civil_date, instant>;

inline bool is_null(const value& v) { return std::holds_alternative<std::monostate>(v); }

// Named values: a case's fields, or the variables a guard is evaluated against.
using field_values = std::map<std::string, value, std::less<>>;

// Parses operator input ("--set amount=10000.01") into a value of `type`.
// Money accepts "12345", "12345.6", "12,345.67" (at most two decimals); bool accepts
// true/false/yes/no; date is YYYY-MM-DD; datetime is ISO-8601 with an offset or Z
// (a datetime without offset is rejected: the zone must be explicit).
// Dates and datetimes lie within k_time_range.
// On failure returns nullopt and sets *error to a sentence saying what was expected.
std::optional<value> parse_value(field_type type, std::string_view text, std::string* error);

// The canonical text of a value: money "10000.01", date "2026-02-13",
// datetime "2026-02-13T09:50:00Z", bool "true"/"false". Null is "".
std::string format_value(const value& v);

// JSON: money as a string "10000.01" (exact), dates and datetimes as strings, null as null.
nlohmann::json to_json(const value& v);
// Inverse of to_json for a known type; nullopt if `j` does not hold such a value.
std::optional<value> value_from_json(field_type type, const nlohmann::json& j);

// Calendar helpers shared by values, calendars and the CLI.
civil_date make_date(int year, unsigned month, unsigned day);
void split_date(civil_date d, int* year, unsigned* month, unsigned* day);
// ISO-8601 parse: "2026-02-13T17:50+08:00", "2026-02-13T09:50:00Z", "2026-02-13 17:50:00+08:00".
// Nullopt outside k_time_range too.
std::optional<instant> parse_instant(std::string_view text);

// The dates and times caseflow reads: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z (a later time
// has no four-digit year, and its stored text would not read back). A date or time outside them
// is refused where it is read — parse_value, --now, org.yaml's delegation dates, calendar files —
// with out_of_range_message().
inline constexpr std::string_view k_time_range = "caseflow handles dates and times from 1970-01-01 to 9999-12-31 UTC";
// True if `text` is written as a date or a time (YYYY-MM-DD..., or a year of five digits or more)
// but lies outside k_time_range.
bool outside_time_range(std::string_view text);
// "'10000-01-01' is out of range: caseflow handles dates and times from 1970-01-01 to 9999-12-31 UTC".
std::string out_of_range_message(std::string_view text);
// "2026-02-13T09:50:00Z".
std::string format_instant_utc(instant t);

}  // namespace caseflow
