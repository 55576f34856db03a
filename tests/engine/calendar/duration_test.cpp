// Parsing of durations and date offsets (engine/src/calendar/duration.cpp).
#include <doctest/doctest.h>

#include "caseflow/duration.h"

namespace caseflow {
namespace {

using unit = duration::unit;

TEST_CASE("duration: accepted forms") {
  struct row {
    const char* text;
    unit kind;
    std::int64_t amount;
  };
  const row rows[] = {
      {"30m", unit::calendar_seconds, 30 * 60},
      {"4h", unit::calendar_seconds, 4 * 3600},
      {"7d", unit::calendar_seconds, 7 * 86400},
      {"1.5h", unit::calendar_seconds, 90 * 60},
      {"0.5m", unit::calendar_seconds, 30},
      {"30 minutes", unit::calendar_seconds, 30 * 60},
      {"2 hours", unit::calendar_seconds, 2 * 3600},
      {"1 hour", unit::calendar_seconds, 3600},
      {"7 days", unit::calendar_seconds, 7 * 86400},
      {"1 week", unit::calendar_seconds, 7 * 86400},
      {"  24H  ", unit::calendar_seconds, 24 * 3600},  // trimmed, case-insensitive
      {"1 month", unit::calendar_months, 10},         // tenths of a month
      {"1.5 months", unit::calendar_months, 15},
      {"half a month", unit::calendar_months, 5},
      {"1 year", unit::calendar_months, 120},
      {"30m working", unit::working_seconds, 30 * 60},
      {"4h working", unit::working_seconds, 4 * 3600},
      {"1 hour working", unit::working_seconds, 3600},
      {"4 working hours", unit::working_seconds, 4 * 3600},
      {"2 working days", unit::working_days, 2},
      {"1 working day", unit::working_days, 1},
      {"2d working", unit::working_days, 2},
      {"0 working days", unit::working_days, 0},
      {"end of day", unit::end_of_day, 0},
      {"End of the day", unit::end_of_day, 0},
  };
  for (const row& r : rows) {
    CAPTURE(r.text);
    std::string error;
    const auto d = parse_duration(r.text, &error);
    REQUIRE(d);
    CHECK(error.empty());
    CHECK(d->kind == r.kind);
    CHECK(d->amount == r.amount);
  }
  CHECK(parse_duration("  4h working ", nullptr)->text == "4h working");
}

TEST_CASE("duration: rejected forms say what is expected") {
  struct row {
    const char* text;
    const char* error;
  };
  const row rows[] = {
      {"fooh", "bad duration 'fooh': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, end of day"},
      {"", "bad duration '': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, end of day"},
      {"4", "bad duration '4': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, end of day"},
      {"-4h", "bad duration '-4h': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, end of day"},
      {"4 parsecs", "bad duration '4 parsecs': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, "
                    "end of day"},
      {"1.5 working days", "bad duration '1.5 working days': working days must be a whole number"},
      {"2 weeks working", "bad duration '2 weeks working': working time is counted in seconds, minutes, hours or days"},
      {"1 month working", "bad duration '1 month working': working time is counted in seconds, minutes, hours or days"},
      {"1.25 months", "bad duration '1.25 months': months may have at most one decimal (1.5 months)"},
      {"0.0001h", "bad duration '0.0001h': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, "
                  "end of day"},  // more than three decimals
      {"0.1s", "bad duration '0.1s': it must come to a whole number of seconds"},
      {"1234567890h", "bad duration '1234567890h': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working "
                      "days, end of day"},  // too large
  };
  for (const row& r : rows) {
    CAPTURE(r.text);
    std::string error;
    CHECK_FALSE(parse_duration(r.text, &error));
    CHECK(error == r.error);
  }
  CHECK_FALSE(parse_duration("fooh", nullptr));  // a null error pointer is allowed
}

TEST_CASE("duration: date offsets") {
  struct row {
    const char* text;
    const char* field;
    int sign;
    std::int64_t tenth_months;
    std::int64_t days;
    bool working;
  };
  const row rows[] = {
      {"move_in_date", "move_in_date", 1, 0, 0, false},
      {"move_in_date - 45d", "move_in_date", -1, 0, 45, false},
      {"move_in_date-45 days", "move_in_date", -1, 0, 45, false},
      {"move_in_date - 1.5 months", "move_in_date", -1, 15, 0, false},
      {"move_in_date - 2 weeks", "move_in_date", -1, 0, 14, false},
      {"move_in_date + 1 year", "move_in_date", 1, 120, 0, false},
      {"move_in_date + 3 working days", "move_in_date", 1, 0, 3, true},
      {" Handover2 + 1 day ", "Handover2", 1, 0, 1, false},
  };
  for (const row& r : rows) {
    CAPTURE(r.text);
    std::string error;
    const auto off = parse_date_offset(r.text, &error);
    REQUIRE(off);
    CHECK(off->field == r.field);
    CHECK(off->sign == r.sign);
    CHECK(off->tenth_months == r.tenth_months);
    CHECK(off->days == r.days);
    CHECK(off->working == r.working);
  }
}

TEST_CASE("duration: bad date offsets") {
  struct row {
    const char* text;
    const char* error;
  };
  const row rows[] = {
      {"move_in_date - 4h", "bad date offset 'move_in_date - 4h': a date offset counts days, weeks, months, years "
                            "or working days"},
      {"move_in_date - 1.5 days", "bad date offset 'move_in_date - 1.5 days': days must be a whole number"},
      {"move_in_date * 2d", "bad date offset 'move_in_date * 2d': expected FIELD, FIELD - 45d, FIELD - 1.5 months "
                            "or FIELD + 3 working days"},
      {"- 45d", "bad date offset '- 45d': expected FIELD, FIELD - 45d, FIELD - 1.5 months or FIELD + 3 working "
                "days"},
      {"move_in_date - 1 month working", "bad date offset 'move_in_date - 1 month working': working time is counted "
                                         "in seconds, minutes, hours or days"},
  };
  for (const row& r : rows) {
    CAPTURE(r.text);
    std::string error;
    CHECK_FALSE(parse_date_offset(r.text, &error));
    CHECK(error == r.error);
  }
}

}  // namespace
}  // namespace caseflow
