// Time in guards (engine/src/expression): `today`, `now`, date and datetime fields moved by
// durations, judged with the calendar that counts working time. Expected values are worked
// out by hand from the official 2026 calendar (cn-mainland: Asia/Shanghai, 09:00-12:00 and
// 13:00-18:00 Monday to Friday; Spring Festival 02-15..02-23 with make-up Saturdays 02-14
// and 02-28; National Day 10-01..10-07).
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/calendar.h"
#include "caseflow/expression.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

// The names of an action's guard: fields plus the command's time.
const field_signatures& time_guard_names() {
  static const field_signatures k_names{
      {"handover_date", {field_type::date, {}}}, {"submitted_on", {field_type::date, {}}},
      {"review_date", {field_type::date, {}}},   {"received_at", {field_type::datetime, {}}},
      {"today", {field_type::date, {}}},         {"now", {field_type::datetime, {}}},
  };
  return k_names;
}

expression time_guard(std::string_view source) {
  expression_error error;
  auto compiled = expression::compile(source, time_guard_names(), &error);
  INFO("source: ", std::string(source), " error at ", error.offset, ": ", error.message);
  REQUIRE(compiled.has_value());
  return *compiled;
}

value on_day(int year, unsigned month, unsigned day) { return make_date(year, month, day); }
value local(const char* text) { return test::at(text); }

struct time_case {
  const char* source;
  field_values values;
  bool expected;
};

void check_time_cases(const std::vector<time_case>& cases) {
  for (const auto& c : cases) {
    const expression guard = time_guard(c.source);
    INFO("source: ", std::string(c.source), "; values: ", guard.explain(c.values));
    CHECK(guard.evaluate(c.values, &test::cn()) == c.expected);
  }
}

TEST_CASE("time in guards: a 5-year warranty holds on its last day and not the day after") {
  // 2021-03-01 + 5 years = 2026-03-01, the last day of the warranty (the corresponding day).
  // 2024-02-29 + 5 years: 2029 has no 29 February, so the day is clamped to 2029-02-28.
  check_time_cases({
      {"handover_date + 5 years >= today", {{"handover_date", on_day(2021, 3, 1)}, {"today", on_day(2026, 3, 1)}}, true},
      {"handover_date + 5 years >= today", {{"handover_date", on_day(2021, 3, 1)}, {"today", on_day(2026, 3, 2)}}, false},
      {"handover_date + 5 years >= today", {{"handover_date", on_day(2024, 2, 29)}, {"today", on_day(2029, 2, 28)}}, true},
      {"handover_date + 5 years >= today", {{"handover_date", on_day(2024, 2, 29)}, {"today", on_day(2029, 3, 1)}}, false},
      // 60 months are 5 years.
      {"handover_date + 60 months >= today", {{"handover_date", on_day(2021, 3, 1)}, {"today", on_day(2026, 3, 2)}}, false},
      // No handover date: null, so the comparison is false.
      {"handover_date + 5 years >= today", {{"today", on_day(2026, 3, 1)}}, false},
  });
}

TEST_CASE("time in guards: dates move by days, weeks, months and working days") {
  check_time_cases({
      // 2026-03-10 - 1d = 03-09.
      {"submitted_on <= review_date - 1d", {{"submitted_on", on_day(2026, 3, 9)}, {"review_date", on_day(2026, 3, 10)}}, true},
      {"submitted_on <= review_date - 1d", {{"submitted_on", on_day(2026, 3, 10)}, {"review_date", on_day(2026, 3, 10)}}, false},
      // Tue 02-24 - 1 working day: 02-15..02-23 are the Spring Festival, so Sat 02-14 (make-up).
      {"submitted_on <= review_date - 1 working day",
       {{"submitted_on", on_day(2026, 2, 14)}, {"review_date", on_day(2026, 2, 24)}}, true},
      {"submitted_on <= review_date - 1 working day",
       {{"submitted_on", on_day(2026, 2, 15)}, {"review_date", on_day(2026, 2, 24)}}, false},
      // Sat 10-03 + 1 working day: the first working day after it, Thu 10-08.
      {"review_date + 1 working day == submitted_on",
       {{"review_date", on_day(2026, 10, 3)}, {"submitted_on", on_day(2026, 10, 8)}}, true},
      // 01-31 + 1.5 months: 02-28 (clamped), then 15 days: 03-15.
      {"submitted_on <= review_date + 1.5 months",
       {{"submitted_on", on_day(2026, 3, 15)}, {"review_date", on_day(2026, 1, 31)}}, true},
      {"submitted_on <= review_date + 1.5 months",
       {{"submitted_on", on_day(2026, 3, 16)}, {"review_date", on_day(2026, 1, 31)}}, false},
      // today 03-15 - 2 weeks = 03-01.
      {"submitted_on >= today - 2 weeks", {{"submitted_on", on_day(2026, 3, 1)}, {"today", on_day(2026, 3, 15)}}, true},
      {"submitted_on >= today - 2 weeks", {{"submitted_on", on_day(2026, 2, 28)}, {"today", on_day(2026, 3, 15)}}, false},
  });
}

TEST_CASE("time in guards: a datetime plus working days is the close of the Nth working day after its day") {
  check_time_cases({
      // Fri 02-13 17:50 + 1 working day: Sat 02-14 (make-up) 18:00.
      {"received_at + 1 working day <= now",
       {{"received_at", local("2026-02-13T17:50+08:00")}, {"now", local("2026-02-14T17:59:59+08:00")}}, false},
      {"received_at + 1 working day <= now",
       {{"received_at", local("2026-02-13T17:50+08:00")}, {"now", local("2026-02-14T18:00+08:00")}}, true},
      // Sat 10-03 (National Day) + 1 working day: Thu 10-08 18:00.
      {"received_at + 1 working day <= now",
       {{"received_at", local("2026-10-03T10:00+08:00")}, {"now", local("2026-10-08T17:59+08:00")}}, false},
      {"received_at + 1 working day <= now",
       {{"received_at", local("2026-10-03T10:00+08:00")}, {"now", local("2026-10-08T18:00+08:00")}}, true},
      // Fri 03-13 17:00 + 4h working: 1h on Friday, 3h on Monday 09:00-12:00: Mon 03-16 12:00.
      {"received_at + 4h working <= now",
       {{"received_at", local("2026-03-13T17:00+08:00")}, {"now", local("2026-03-16T11:59+08:00")}}, false},
      {"received_at + 4h working <= now",
       {{"received_at", local("2026-03-13T17:00+08:00")}, {"now", local("2026-03-16T12:00+08:00")}}, true},
      // Plain time: 24 hours, whatever the calendar.
      {"received_at + 24h > now",
       {{"received_at", local("2026-03-10T09:00+08:00")}, {"now", local("2026-03-11T08:59+08:00")}}, true},
      {"received_at + 24h > now",
       {{"received_at", local("2026-03-10T09:00+08:00")}, {"now", local("2026-03-11T09:00+08:00")}}, false},
      // Months in local time: 01-31 10:00 + 1 month = 02-28 10:00 (+08:00).
      {"received_at + 1 month <= now",
       {{"received_at", local("2026-01-31T10:00+08:00")}, {"now", local("2026-02-28T09:59+08:00")}}, false},
      {"received_at + 1 month <= now",
       {{"received_at", local("2026-01-31T10:00+08:00")}, {"now", local("2026-02-28T10:00+08:00")}}, true},
  });
}

TEST_CASE("time in guards: without a calendar, working time and months on a datetime make the comparison false") {
  const field_values late{{"received_at", local("2026-02-13T17:50+08:00")}, {"now", local("2027-01-01T00:00Z")}};
  const expression working = time_guard("received_at + 1 working day <= now");
  CHECK(working.needs_calendar());
  CHECK(working.evaluate(late, &test::cn()));
  CHECK_FALSE(working.evaluate(late));
  const expression months = time_guard("received_at + 1 month <= now");
  CHECK(months.needs_calendar());
  CHECK_FALSE(months.evaluate(late));
  // Plain time and date arithmetic need none.
  const expression plain = time_guard("received_at + 24h <= now");
  CHECK_FALSE(plain.needs_calendar());
  CHECK(plain.evaluate(late));
  const expression warranty = time_guard("handover_date + 5 years >= today");
  CHECK_FALSE(warranty.needs_calendar());
  CHECK(warranty.evaluate({{"handover_date", on_day(2021, 3, 1)}, {"today", on_day(2026, 3, 1)}}));
  CHECK(warranty.explain({{"handover_date", on_day(2021, 3, 1)}, {"today", on_day(2026, 3, 2)}}) ==
        "handover_date = 2021-03-01, today = 2026-03-02");
}

struct time_error_case {
  const char* source;
  std::size_t offset;
  const char* message;
};

TEST_CASE("time in guards: type errors give the exact message and offset") {
  const std::vector<time_error_case> cases = {
      {"handover_date + 60 mnths >= today", 19,
       "unknown unit 'mnths' after a number; did you mean 'months'?; a duration is a number and a unit: 5 years, 7d, "
       "24h, 1 working day"},
      {"handover_date + 1.5 working days >= today", 16,
       "bad duration '1.5 working days': working days must be a whole number"},
      {"received_at + 2 working > now", 14,
       "bad duration '2 working': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, end of day"},
      {"handover_date + 4h >= today", 16,
       "'4h' cannot move 'handover_date' (date): a date moves by whole days, weeks, months, years or working days"},
      {"now - 1 working day >= received_at", 6,
       "'1 working day' is working time: it can be added to a datetime, not subtracted from it (write "
       "'received_at + 1 working day <= now')"},
      {"5 years + handover_date >= today", 8,
       "cannot apply '+' to '5 years' (duration) and 'handover_date' (date); a duration moves a date or datetime, "
       "written first: 'handover_date + 5 years'"},
      {"handover_date * 5 years >= today", 14,
       "cannot apply '*' to 'handover_date' (date) and '5 years' (duration); a duration moves a date or datetime, "
       "written first: 'handover_date + 5 years'"},
      {"handover_date + 5 years >= now", 24,
       "cannot compare 'handover_date + 5 years' (date) with 'now' (datetime)"},
      {"received_at > 1d", 14,
       "'1d' is a duration; it can only move a date or datetime, as in 'handover_date + 5 years >= today'"},
      {"today + 1d", 0, "'today + 1d' is date, but a condition must be bool"},
      // A keyword after a number is never a unit.
      {"today == today AND now == now", 15, "unexpected 'AND'; keywords are lower-case: 'and'"},
  };
  for (const auto& c : cases) {
    INFO("source: ", std::string(c.source));
    expression_error error;
    CHECK_FALSE(expression::compile(c.source, time_guard_names(), &error).has_value());
    CHECK(error.message == c.message);
    CHECK(error.offset == c.offset);
  }
}

TEST_CASE("time in guards: durations only where the command's time is known") {
  // Without `now` among the names (a limit's or an approval tier's condition), no duration.
  const field_signatures no_time{{"handover_date", {field_type::date, {}}}};
  expression_error error;
  CHECK_FALSE(expression::compile("handover_date + 5 years > handover_date", no_time, &error).has_value());
  CHECK(error.offset == 16);
  CHECK(error.message ==
        "'5 years' is a duration; durations can be used only in the guard of an action, judged at the command's time");
}

}  // namespace
}  // namespace caseflow
