// The periods of a schedule and when they open (engine/src/schedules/periods.cpp), under the
// shipped cn-mainland calendar (Asia/Shanghai). Expected values worked out by hand in the
// comments; times are local (+08:00).
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/schedules.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

using test::cn;

schedule_def every(schedule_def::every e, bool at_start = false, int at_minute = 9 * 60) {
  schedule_def s;
  s.id = "duty";
  s.period = e;
  s.opens_at_start = at_start;
  s.at_minute = at_minute;
  s.case_id = "D-{period}";
  return s;
}

civil_date day(int y, unsigned m, unsigned d) { return make_date(y, m, d); }
std::string local(instant t) { return cn().format_local(t); }

std::string describe(const schedule_period& p) {
  return p.label + " " + format_value(p.first) + ".." + format_value(p.last) + " opens " + local(p.opens);
}

std::vector<std::string> labels(const std::vector<schedule_period>& periods) {
  std::vector<std::string> out;
  for (const auto& p : periods) out.push_back(p.label);
  return out;
}

TEST_CASE("schedules: the period holding a day, and when it opens") {
  struct row {
    schedule_def s;
    civil_date on;
    const char* expected;
  };
  schedule_def friday = every(schedule_def::every::week);
  friday.weekday = 4;
  schedule_def survey = every(schedule_def::every::year, /*at_start=*/true);
  schedule_def annual_report = every(schedule_def::every::year);
  annual_report.month = 1;
  const row rows[] = {
      // ISO weeks, Monday to Sunday; opened the Monday after at 09:00, or its Friday.
      {every(schedule_def::every::week), day(2026, 12, 2), "2026-W49 2026-11-30..2026-12-06 opens 2026-12-07T09:00:00+08:00"},
      {friday, day(2026, 12, 2), "2026-W49 2026-11-30..2026-12-06 opens 2026-12-11T09:00:00+08:00"},
      // 2026 has 53 ISO weeks (1 January 2026 is a Thursday); 2027-W01 starts on 4 January.
      {every(schedule_def::every::week), day(2026, 12, 31), "2026-W53 2026-12-28..2027-01-03 opens 2027-01-04T09:00:00+08:00"},
      {every(schedule_def::every::week), day(2027, 1, 4), "2027-W01 2027-01-04..2027-01-10 opens 2027-01-11T09:00:00+08:00"},
      {every(schedule_def::every::week), day(2026, 1, 1), "2026-W01 2025-12-29..2026-01-04 opens 2026-01-05T09:00:00+08:00"},
      // Half months: 1st–15th, 16th–last; February of a common year ends on the 28th.
      {every(schedule_def::every::half_month), day(2026, 11, 15), "2026-11-H1 2026-11-01..2026-11-15 opens 2026-11-16T09:00:00+08:00"},
      {every(schedule_def::every::half_month), day(2026, 11, 16), "2026-11-H2 2026-11-16..2026-11-30 opens 2026-12-01T09:00:00+08:00"},
      {every(schedule_def::every::half_month), day(2027, 2, 20), "2027-02-H2 2027-02-16..2027-02-28 opens 2027-03-01T09:00:00+08:00"},
      {every(schedule_def::every::half_month), day(2028, 2, 29), "2028-02-H2 2028-02-16..2028-02-29 opens 2028-03-01T09:00:00+08:00"},
      // Months: November opens on 1 December; December on 1 January.
      {every(schedule_def::every::month), day(2026, 11, 30), "2026-11 2026-11-01..2026-11-30 opens 2026-12-01T09:00:00+08:00"},
      {every(schedule_def::every::month), day(2026, 12, 1), "2026-12 2026-12-01..2026-12-31 opens 2027-01-01T09:00:00+08:00"},
      {every(schedule_def::every::month, /*at_start=*/true, 8 * 60), day(2026, 12, 31), "2026-12 2026-12-01..2026-12-31 opens 2026-12-01T08:00:00+08:00"},
      // Quarters.
      {every(schedule_def::every::quarter), day(2026, 11, 2), "2026-Q4 2026-10-01..2026-12-31 opens 2027-01-01T09:00:00+08:00"},
      {every(schedule_def::every::quarter), day(2026, 3, 31), "2026-Q1 2026-01-01..2026-03-31 opens 2026-04-01T09:00:00+08:00"},
      // Years: the plan made in January of its own year; the year's report in January after it.
      {survey, day(2027, 6, 1), "2027 2027-01-01..2027-12-31 opens 2027-01-01T09:00:00+08:00"},
      {annual_report, day(2026, 6, 1), "2026 2026-01-01..2026-12-31 opens 2027-01-01T09:00:00+08:00"},
  };
  for (const auto& r : rows) {
    CAPTURE(format_value(r.on));
    CHECK(describe(period_containing(r.s, &cn(), r.on)) == r.expected);
  }
  // Without a calendar the times are UTC.
  CHECK(format_instant_utc(period_containing(every(schedule_def::every::month), nullptr, day(2026, 11, 3)).opens) ==
        "2026-12-01T09:00:00Z");
}

TEST_CASE("schedules: after the last period opened, every period whose opening has come, across December") {
  const schedule_def monthly = every(schedule_def::every::month);
  // October was opened last; a tick on 2 February 2027 opens November, December and January
  // (February opens on 1 March).
  CHECK(labels(periods_due(monthly, &cn(), day(2026, 10, 1), test::at("2027-02-02T10:00+08:00"), 100)) ==
        std::vector<std::string>{"2026-11", "2026-12", "2027-01"});
  // At 08:59 on 1 December November is not due yet; at 09:00 it is.
  CHECK(periods_due(monthly, &cn(), day(2026, 10, 1), test::at("2026-12-01T08:59+08:00"), 100).empty());
  CHECK(labels(periods_due(monthly, &cn(), day(2026, 10, 1), test::at("2026-12-01T09:00+08:00"), 100)) ==
        std::vector<std::string>{"2026-11"});
  // The limit bounds one call; the next call goes on from the last one opened.
  CHECK(labels(periods_due(monthly, &cn(), day(2026, 1, 1), test::at("2027-02-02T10:00+08:00"), 2)) ==
        std::vector<std::string>{"2026-02", "2026-03"});
  // Half months across the year's end.
  CHECK(labels(periods_due(every(schedule_def::every::half_month), &cn(), day(2026, 12, 1),
                           test::at("2027-01-16T09:00+08:00"), 100)) ==
        std::vector<std::string>{"2026-12-H2", "2027-01-H1"});
}

TEST_CASE("schedules: a schedule that opened nothing yet opens only the latest period due") {
  const schedule_def monthly = every(schedule_def::every::month);
  CHECK(labels(periods_due(monthly, &cn(), std::nullopt, test::at("2026-12-02T10:00+08:00"), 100)) ==
        std::vector<std::string>{"2026-11"});
  // Before 09:00 on the 1st, the month before the last is the latest due.
  CHECK(labels(periods_due(monthly, &cn(), std::nullopt, test::at("2026-12-01T08:00+08:00"), 100)) ==
        std::vector<std::string>{"2026-10"});
  const schedule_def slips = every(schedule_def::every::month, /*at_start=*/true, 8 * 60);
  CHECK(labels(periods_due(slips, &cn(), std::nullopt, test::at("2026-12-02T10:00+08:00"), 100)) ==
        std::vector<std::string>{"2026-12"});
  // What `caseflow schedule` shows next: the latest due when nothing was opened, else the next.
  CHECK(next_to_open(monthly, &cn(), std::nullopt, test::at("2026-12-02T10:00+08:00")).label == "2026-11");
  CHECK(next_to_open(monthly, &cn(), day(2026, 11, 1), test::at("2026-12-02T10:00+08:00")).label == "2026-12");
}

}  // namespace
}  // namespace caseflow
