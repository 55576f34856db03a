// Business calendars: classification, working-time arithmetic and loading
// (engine/src/calendar/). Expected values are worked out by hand in the comments, with
// cn-mainland = Asia/Shanghai, 09:00-12:00 and 13:00-18:00, Monday-Friday, covers 2025-2026.
#include <algorithm>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "caseflow/calendar.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

using test::cn;
using test::k_calendar_dir;
using test::shipped;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The instant `text` names; text that does not parse fails the test, naming the text.
instant calendar_at(const char* text) {
  const auto t = parse_instant(text);
  REQUIRE_MESSAGE(t, text);
  return *t;
}

civil_date day(int y, unsigned m, unsigned d) { return make_date(y, m, d); }

duration dur(const char* text) {
  std::string error;
  const auto d = parse_duration(text, &error);
  REQUIRE_MESSAGE(d, error);
  return *d;
}

date_offset offset(const char* text) {
  std::string error;
  const auto off = parse_date_offset(text, &error);
  REQUIRE_MESSAGE(off, error);
  return *off;
}

struct due_row {
  const char* start;
  const char* limit;
  const char* expected;
  bool provisional;
};

void check_due(const calendar& cal, const due_row& r) {
  CAPTURE(r.start);
  CAPTURE(r.limit);
  const deadline d = cal.due(calendar_at(r.start), dur(r.limit));
  CHECK(cal.format_local(d.due) == r.expected);
  CHECK(d.provisional == r.provisional);
  CHECK(d.calendar_version == cal.version());
}

TEST_CASE("calendar: the shipped calendars load cleanly") {
  CHECK(shipped().ids() == std::vector<std::string>{"24x7", "cn-mainland", "property-service"});
  CHECK(cn().time_zone() == "Asia/Shanghai");
  CHECK(cn().name_zh() == "中国大陆工作日历");
  CHECK(cn().name_en() == "Mainland China working calendar");
  CHECK(cn().last_covered_year() == 2026);
  CHECK(cn().version().size() == 12);
  CHECK(cn().version().find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(shipped().find("cn-mainlnd") == nullptr);
}

TEST_CASE("calendar: classify days of 2025 and 2026") {
  using kind = calendar::day_kind;
  struct row {
    civil_date d;
    kind expected;
  };
  const row rows[] = {
      {day(2025, 1, 1), kind::holiday},          // 元旦 2025, Wed
      {day(2025, 1, 26), kind::makeup_workday},  // Sun before the Spring Festival
      {day(2025, 1, 28), kind::holiday},         // 除夕 2025
      {day(2025, 2, 4), kind::holiday},          // last day of Spring Festival 2025
      {day(2025, 2, 8), kind::makeup_workday},   // Sat
      {day(2025, 4, 27), kind::makeup_workday},  // Sun before Labour Day
      {day(2025, 5, 5), kind::holiday},
      {day(2025, 9, 28), kind::makeup_workday},  // Sun
      {day(2025, 10, 8), kind::holiday},         // National Day + Mid-Autumn, 8 days
      {day(2025, 10, 11), kind::makeup_workday}, // Sat
      {day(2025, 12, 31), kind::workday},        // Wed
      {day(2026, 1, 3), kind::holiday},          // Sat inside the New Year break
      {day(2026, 1, 4), kind::makeup_workday},   // Sun
      {day(2026, 2, 13), kind::workday},         // Fri
      {day(2026, 2, 14), kind::makeup_workday},  // Sat
      {day(2026, 2, 15), kind::holiday},         // Sun, first of the 9 days
      {day(2026, 2, 21), kind::holiday},         // Sat inside the break
      {day(2026, 2, 23), kind::holiday},         // Mon, last of the 9 days
      {day(2026, 2, 24), kind::workday},         // Tue
      {day(2026, 2, 28), kind::makeup_workday},  // Sat
      {day(2026, 3, 1), kind::weekend},          // Sun
      {day(2026, 9, 20), kind::makeup_workday},  // Sun
      {day(2026, 9, 25), kind::holiday},         // Mid-Autumn, Fri
      {day(2026, 10, 7), kind::holiday},         // Wed
      {day(2026, 10, 8), kind::workday},         // Thu
      {day(2026, 10, 10), kind::makeup_workday}, // Sat
      {day(2027, 1, 1), kind::workday},          // past coverage: a plain Friday
      {day(2027, 2, 6), kind::weekend},          // past coverage: a plain Saturday
  };
  for (const row& r : rows) {
    CAPTURE(format_value(value{r.d}));
    CHECK(cn().classify(r.d) == r.expected);
    CHECK(cn().is_working_day(r.d) == (r.expected == kind::workday || r.expected == kind::makeup_workday));
  }
  CHECK(cn().day_name(day(2026, 2, 16)) == "春节 Spring Festival");
  CHECK(cn().day_name(day(2026, 2, 13)).empty());
  CHECK(cn().covers(day(2025, 1, 1)));
  CHECK(cn().covers(day(2026, 12, 31)));
  CHECK_FALSE(cn().covers(day(2027, 1, 1)));
  CHECK_FALSE(cn().covers(day(2024, 12, 31)));
}

TEST_CASE("calendar: local time in Asia/Shanghai") {
  CHECK(cn().local_date(calendar_at("2026-02-13T15:59:59Z")) == day(2026, 2, 13));  // 23:59:59 local
  CHECK(cn().local_date(calendar_at("2026-02-13T16:00:00Z")) == day(2026, 2, 14));  // 00:00 local
  CHECK(cn().local_time(day(2026, 2, 13), 9 * 60) == calendar_at("2026-02-13T01:00:00Z"));
  CHECK(cn().local_time(day(2026, 2, 13), 24 * 60) == calendar_at("2026-02-14T00:00+08:00"));
  CHECK(cn().format_local(calendar_at("2026-02-24T10:00:00Z")) == "2026-02-24T18:00:00+08:00");
}

TEST_CASE("calendar: working hours and the next working moment") {
  struct row {
    const char* t;
    bool inside;
    const char* next;  // next_working_moment
  };
  const row rows[] = {
      {"2026-03-10T08:59+08:00", false, "2026-03-10T09:00:00+08:00"},  // Tue before opening
      {"2026-03-10T09:00+08:00", true, "2026-03-10T09:00:00+08:00"},   // opening: inside
      {"2026-03-10T12:00+08:00", false, "2026-03-10T13:00:00+08:00"},  // lunch starts at 12:00
      {"2026-03-10T17:59+08:00", true, "2026-03-10T17:59:00+08:00"},
      {"2026-03-10T18:00+08:00", false, "2026-03-11T09:00:00+08:00"},  // closed at 18:00
      {"2026-03-13T18:30+08:00", false, "2026-03-16T09:00:00+08:00"},  // Fri night -> Mon
      {"2026-02-13T18:00+08:00", false, "2026-02-14T09:00:00+08:00"},  // -> make-up Sat
      {"2026-02-14T10:00+08:00", true, "2026-02-14T10:00:00+08:00"},   // make-up Sat
      {"2026-02-15T10:00+08:00", false, "2026-02-24T09:00:00+08:00"},  // Spring Festival
      {"2026-10-03T10:00+08:00", false, "2026-10-08T09:00:00+08:00"},  // National Day
  };
  for (const row& r : rows) {
    CAPTURE(r.t);
    CHECK(cn().in_working_hours(calendar_at(r.t)) == r.inside);
    CHECK(cn().format_local(cn().next_working_moment(calendar_at(r.t))) == r.next);
  }
}

TEST_CASE("calendar: working seconds between two moments") {
  struct row {
    const char* from;
    const char* to;
    std::int64_t seconds;
  };
  const row rows[] = {
      // 11:00-12:00 and 13:00-14:00: the lunch hour does not count.
      {"2026-03-10T11:00+08:00", "2026-03-10T14:00+08:00", 2 * 3600},
      // Fri 17:00-18:00, Sat 02-14 (make-up) 8h, 02-15..02-23 off, Tue 09:00-10:00.
      {"2026-02-13T17:00+08:00", "2026-02-24T10:00+08:00", 10 * 3600},
      // Mon 03-16 .. Mon 03-23: five plain days of 8h.
      {"2026-03-16T00:00+08:00", "2026-03-23T00:00+08:00", 5 * 8 * 3600},
      {"2026-03-10T14:00+08:00", "2026-03-10T11:00+08:00", 0},  // to before from
      {"2026-03-10T12:10+08:00", "2026-03-10T12:50+08:00", 0},  // inside lunch
  };
  for (const row& r : rows) {
    CAPTURE(r.from);
    CAPTURE(r.to);
    CHECK(cn().working_seconds_between(calendar_at(r.from), calendar_at(r.to)) == r.seconds);
  }
}

TEST_CASE("calendar: working time crosses lunch, nights, weekends and holidays") {
  const due_row rows[] = {
      // Fri 02-13 17:50: 10 min on Fri, then 20 min into Sat 02-14 (make-up day).
      {"2026-02-13T17:50+08:00", "30m working", "2026-02-14T09:20:00+08:00", false},
      // Same moment given in UTC.
      {"2026-02-13T09:50:00Z", "30m working", "2026-02-14T09:20:00+08:00", false},
      // Sat 10-03 is in the National Day week (10-01..10-07); work resumes Thu 10-08 09:00.
      {"2026-10-03T10:00+08:00", "1h working", "2026-10-08T10:00:00+08:00", false},
      // Tue 11:30: 30 min to 12:00, lunch, 30 min from 13:00.
      {"2026-03-10T11:30+08:00", "1h working", "2026-03-10T13:30:00+08:00", false},
      // Ends exactly at a period end: 12:00, not 13:00.
      {"2026-03-10T11:00+08:00", "1h working", "2026-03-10T12:00:00+08:00", false},
      // Starting during lunch counts from 13:00.
      {"2026-03-10T12:15+08:00", "30m working", "2026-03-10T13:30:00+08:00", false},
      // Tue 20:00: Wed 09:00-12:00 (3h) + 13:00-14:00 (1h).
      {"2026-03-10T20:00+08:00", "4h working", "2026-03-11T14:00:00+08:00", false},
      // Before opening.
      {"2026-03-11T07:00+08:00", "30m working", "2026-03-11T09:30:00+08:00", false},
      // Fri 17:00: 1h on Fri, the weekend is skipped, 1h on Mon.
      {"2026-03-13T17:00+08:00", "2h working", "2026-03-16T10:00:00+08:00", false},
      // A whole working day is 8h and ends at the close (period end), not the next morning.
      {"2026-03-16T09:00+08:00", "8h working", "2026-03-16T18:00:00+08:00", false},
      {"2026-03-16T09:00+08:00", "9h working", "2026-03-17T10:00:00+08:00", false},
      // Sat 09-19 is a weekend; Sun 09-20 is a make-up working day.
      {"2026-09-19T10:00+08:00", "1h working", "2026-09-20T10:00:00+08:00", false},
      // Wed 09-30 17:00: 1h, then 10-01..10-07 off, Thu 10-08 09:00 + 1h.
      {"2026-09-30T17:00+08:00", "2h working", "2026-10-08T10:00:00+08:00", false},
      // Fri 10-09 17:30: 30 min, then Sat 10-10 (make-up) from 09:00.
      {"2026-10-09T17:30+08:00", "1h working", "2026-10-10T09:30:00+08:00", false},
      // Year end: Wed 2025-12-31 17:00 1h, 2026-01-01..01-03 off, Sun 01-04 is a make-up day.
      {"2025-12-31T17:00+08:00", "2h working", "2026-01-04T10:00:00+08:00", false},
      // Fri 02-27 17:00: 1h, then make-up Sat 02-28.
      {"2026-02-27T17:00+08:00", "2h working", "2026-02-28T10:00:00+08:00", false},
      // Zero working time is the next working moment.
      {"2026-03-10T12:30+08:00", "0m working", "2026-03-10T13:00:00+08:00", false},
  };
  for (const due_row& r : rows) check_due(cn(), r);
}

TEST_CASE("calendar: N working days end at the close of the Nth working day after the event's day") {
  // Civil Code art. 201 (开始的当日不计入): day 1 is the first working day after the event's
  // calendar day, whatever the hour of the event and whatever kind of day it falls on.
  const due_row rows[] = {
      // Fri 02-13 17:50: 1 Sat 02-14 (make-up), 02-15..02-23 Spring Festival, 2 Tue 02-24.
      {"2026-02-13T17:50+08:00", "2 working days", "2026-02-24T18:00:00+08:00", false},
      // The hour does not matter: at 09:00, at the close and just before midnight alike.
      {"2026-02-13T09:00+08:00", "2 working days", "2026-02-24T18:00:00+08:00", false},
      {"2026-02-13T23:59+08:00", "2 working days", "2026-02-24T18:00:00+08:00", false},
      // After closing on Fri 02-13: 1 Sat 02-14 (make-up), not one day more.
      {"2026-02-13T18:00+08:00", "1 working day", "2026-02-14T18:00:00+08:00", false},
      // On the make-up Sat 02-14 itself, before and after its close: 1 Tue 02-24.
      {"2026-02-14T10:00+08:00", "1 working day", "2026-02-24T18:00:00+08:00", false},
      {"2026-02-14T19:00+08:00", "1 working day", "2026-02-24T18:00:00+08:00", false},
      // A holiday, Mon 02-16: 02-17..02-23 are holidays too, 1 Tue 02-24.
      {"2026-02-16T10:00+08:00", "1 working day", "2026-02-24T18:00:00+08:00", false},
      // Mon 03-16 08:00: 1 Tue 03-17, 2 Wed 03-18.
      {"2026-03-16T08:00+08:00", "2 working days", "2026-03-18T18:00:00+08:00", false},
      // A weekend, Sun 03-15: 1 Mon 03-16.
      {"2026-03-15T10:00+08:00", "1 working day", "2026-03-16T18:00:00+08:00", false},
      // Fri 02-27 noon: 1 Sat 02-28 (make-up), Sun 03-01 off, 2 Mon 03-02.
      {"2026-02-27T12:00+08:00", "2 working days", "2026-03-02T18:00:00+08:00", false},
      // Wed 09-30 17:00: 10-01..10-07 National Day, 1 Thu 10-08.
      {"2026-09-30T17:00+08:00", "1 working day", "2026-10-08T18:00:00+08:00", false},
      // Sat 10-03, inside the National Day week: 1 Thu 10-08.
      {"2026-10-03T10:00+08:00", "1 working day", "2026-10-08T18:00:00+08:00", false},
      // Fri 10-09 after closing: 1 Sat 10-10 (make-up).
      {"2026-10-09T18:30+08:00", "1 working day", "2026-10-10T18:00:00+08:00", false},
      // Sat 09-19: 1 Sun 09-20 (make-up), 2 Mon 09-21, 3 Tue 09-22.
      {"2026-09-19T09:00+08:00", "3 working days", "2026-09-22T18:00:00+08:00", false},
      // Year end: Wed 2025-12-31, 2026-01-01..01-03 New Year, 1 Sun 2026-01-04 (make-up).
      {"2025-12-31T17:00+08:00", "1 working day", "2026-01-04T18:00:00+08:00", false},
      // end of day = 0 working days: the close of the event's day if it is a working day and
      // the event is before its close, else the close of the next working day.
      {"2026-02-13T17:50+08:00", "end of day", "2026-02-13T18:00:00+08:00", false},
      {"2026-02-13T19:00+08:00", "end of day", "2026-02-14T18:00:00+08:00", false},
      {"2026-02-13T19:00+08:00", "0 working days", "2026-02-14T18:00:00+08:00", false},
      {"2026-02-15T10:00+08:00", "end of day", "2026-02-24T18:00:00+08:00", false},
      {"2026-02-14T10:00+08:00", "0 working days", "2026-02-14T18:00:00+08:00", false},
  };
  for (const due_row& r : rows) check_due(cn(), r);
}

TEST_CASE("calendar: plain durations are calendar time") {
  const due_row rows[] = {
      // 7 × 24h, through the Spring Festival: holidays do not matter.
      {"2026-02-13T17:50+08:00", "7d", "2026-02-20T17:50:00+08:00", false},
      {"2026-02-13T17:50+08:00", "30m", "2026-02-13T18:20:00+08:00", false},
      // Calendar months in local time, day of month clamped: Jan 31 + 1 month = Feb 28.
      {"2026-01-31T10:00+08:00", "1 month", "2026-02-28T10:00:00+08:00", false},
      // 1.5 months = 1 month (02-28) + 15 days = 03-15.
      {"2026-01-31T10:00+08:00", "1.5 months", "2026-03-15T10:00:00+08:00", false},
      // Past coverage, but calendar time never consults the holidays.
      {"2026-12-20T10:00+08:00", "1 month", "2027-01-20T10:00:00+08:00", false},
  };
  for (const due_row& r : rows) check_due(cn(), r);
}

TEST_CASE("calendar: past coverage the plain week applies and deadlines are provisional") {
  const due_row rows[] = {
      // Thu 2026-12-31: 1 Fri 2027-01-01 (no 2027 holidays known), 2 Mon 01-04.
      {"2026-12-31T17:00+08:00", "2 working days", "2027-01-04T18:00:00+08:00", true},
      // Stays inside 2026: not provisional.
      {"2026-12-31T17:00+08:00", "30m working", "2026-12-31T17:30:00+08:00", false},
      {"2026-12-31T17:00+08:00", "2h working", "2027-01-01T10:00:00+08:00", true},
      {"2027-03-01T10:00+08:00", "1h working", "2027-03-01T11:00:00+08:00", true},
      {"2027-03-01T10:00+08:00", "end of day", "2027-03-01T18:00:00+08:00", true},
  };
  for (const due_row& r : rows) check_due(cn(), r);
}

TEST_CASE("calendar: working time equals the limit it was asked for") {
  // For any start, the working time between when counting starts and the deadline is the
  // requested amount: a start every 3h17m from 2026-02-10 to 2026-03-02 (Spring Festival,
  // make-up Saturdays, nights, lunches).
  const instant first = calendar_at("2026-02-10T00:00+08:00");
  const instant last = calendar_at("2026-03-02T00:00+08:00");
  for (instant start = first; start < last; start.seconds += 3 * 3600 + 17 * 60) {
    for (const char* limit : {"1m working", "30m working", "4h working", "9h working", "20h working"}) {
      const duration d = dur(limit);
      const deadline due = cn().due(start, d);
      CAPTURE(cn().format_local(start));
      CAPTURE(limit);
      CHECK(cn().working_seconds_between(cn().next_working_moment(start), due.due) == d.amount);
      CHECK(cn().in_working_hours(instant{due.due.seconds - 1}));
    }
  }
}

TEST_CASE("calendar: 24x7 counts every moment and is never provisional") {
  const calendar* round = shipped().find("24x7");
  REQUIRE(round);
  CHECK_FALSE(round->last_covered_year());
  CHECK(round->covers(day(2100, 1, 1)));
  const due_row rows[] = {
      {"2026-02-13T17:50+08:00", "30m working", "2026-02-13T18:20:00+08:00", false},
      {"2026-02-15T22:00+08:00", "4h working", "2026-02-16T02:00:00+08:00", false},
      // After Fri 02-13: 1 Sat 02-14, 2 Sun 02-15; a day closes at 24:00.
      {"2026-02-13T17:50+08:00", "2 working days", "2026-02-16T00:00:00+08:00", false},
      {"2026-02-13T17:50+08:00", "end of day", "2026-02-14T00:00:00+08:00", false},
      {"2030-01-01T00:00+08:00", "1h working", "2030-01-01T01:00:00+08:00", false},
  };
  for (const due_row& r : rows) check_due(*round, r);
  CHECK(round->classify(day(2026, 2, 15)) == calendar::day_kind::workday);
  CHECK(round->in_working_hours(calendar_at("2026-02-15T03:00+08:00")));
}

TEST_CASE("calendar: deadlines relative to a date field") {
  struct row {
    civil_date base;
    const char* off;
    civil_date resolved;
    const char* due;
    bool provisional;
  };
  const row rows[] = {
      // 06-30 - 1 month = 05-30, - 15 days (half a month) = 05-15; due at the end of that day.
      {day(2026, 6, 30), "move_in_date - 1.5 months", day(2026, 5, 15), "2026-05-16T00:00:00+08:00", false},
      // 06-30 - 30 days = 05-31, - 15 more = 05-16.
      {day(2026, 6, 30), "move_in_date - 45d", day(2026, 5, 16), "2026-05-17T00:00:00+08:00", false},
      {day(2026, 6, 30), "move_in_date", day(2026, 6, 30), "2026-07-01T00:00:00+08:00", false},
      // Day of month clamped: 03-31 - 1 month = 02-28.
      {day(2026, 3, 31), "move_in_date - 1 month", day(2026, 2, 28), "2026-03-01T00:00:00+08:00", false},
      // Working offsets step over non-working days; due at the close (18:00).
      {day(2026, 2, 13), "move_in_date + 1 working day", day(2026, 2, 14), "2026-02-14T18:00:00+08:00", false},
      {day(2026, 2, 24), "move_in_date - 1 working day", day(2026, 2, 14), "2026-02-14T18:00:00+08:00", false},
      {day(2026, 10, 10), "move_in_date + 1 working day", day(2026, 10, 12), "2026-10-12T18:00:00+08:00", false},
      // Sat 10-03: strictly after it, the first working day is Thu 10-08.
      {day(2026, 10, 3), "move_in_date + 1 working day", day(2026, 10, 8), "2026-10-08T18:00:00+08:00", false},
      {day(2026, 2, 15), "move_in_date + 0 working days", day(2026, 2, 24), "2026-02-24T18:00:00+08:00", false},
      // Past coverage: Fri 2027-01-01 by the plain week, provisional.
      {day(2026, 12, 31), "move_in_date + 1 working day", day(2027, 1, 1), "2027-01-01T18:00:00+08:00", true},
  };
  for (const row& r : rows) {
    CAPTURE(r.off);
    CAPTURE(format_value(value{r.base}));
    const date_offset off = offset(r.off);
    CHECK(cn().resolve(r.base, off) == r.resolved);
    const deadline d = cn().due(r.base, off);
    CHECK(cn().format_local(d.due) == r.due);
    CHECK(d.provisional == r.provisional);
  }
}

TEST_CASE("calendar: summary of a year by month") {
  const std::vector<month_summary> year = summarize_year(cn(), 2026);
  REQUIRE(year.size() == 12);
  // February 2026 starts on a Sunday: 20 weekdays; 6 of them (16-20, 23) are Spring
  // Festival holidays; Sat 14 and Sat 28 are make-up days: 20 - 6 + 2 = 16.
  const month_summary& feb = year[1];
  CHECK(feb.month == 2);
  CHECK(feb.working_days == 16);
  CHECK(feb.holidays.size() == 9);
  CHECK(feb.makeup_days == std::vector<civil_date>{day(2026, 2, 14), day(2026, 2, 28)});
  CHECK(feb.closures.empty());
  // October 2026: 22 weekdays; 1, 2, 5, 6, 7 are holidays; Sat 10 is a make-up day: 18.
  CHECK(year[9].working_days == 18);
  CHECK(year[9].holidays.size() == 7);
  CHECK(year[9].makeup_days == std::vector<civil_date>{day(2026, 10, 10)});
  // September 2026: 22 weekdays; Fri 25 Mid-Autumn; Sun 20 make-up: 22.
  CHECK(year[8].working_days == 22);
}

// A company calendar derived from cn-mainland, loaded from text beside the shipped file.
calendar_set with_company(const std::string& company_yaml, diagnostics* problems) {
  return load_calendar_sources({{"cn-mainland.yaml", read_file(k_calendar_dir + "/cn-mainland.yaml")},
                                {"acme.yaml", company_yaml}},
                               problems);
}

TEST_CASE("calendar: a derived calendar adds closures and its own hours") {
  diagnostics problems;
  const calendar_set set = with_company(R"(calendar: acme
extends: cn-mainland
name: { zh: 某公司, en: Acme }
hours: ["08:30-12:00", "13:30-17:30"]
closures:
  - { name: 春节延长 Extended break, from: 2026-02-24, to: 2026-02-25 }
  - 2026-03-02
)",
                                        &problems);
  for (const diagnostic& d : problems) FAIL_CHECK(to_string(d));
  const calendar* acme = set.find("acme");
  REQUIRE(acme);
  CHECK(acme->classify(day(2026, 2, 24)) == calendar::day_kind::closure);
  CHECK(acme->day_name(day(2026, 2, 24)) == "春节延长 Extended break");
  CHECK(acme->classify(day(2026, 2, 16)) == calendar::day_kind::holiday);         // inherited
  CHECK(acme->classify(day(2026, 2, 28)) == calendar::day_kind::makeup_workday);  // inherited
  CHECK(acme->time_zone() == "Asia/Shanghai");
  CHECK(acme->last_covered_year() == 2026);
  CHECK(acme->version() != set.find("cn-mainland")->version());
  const due_row rows[] = {
      // After Fri 02-13 (17:50, past acme's 17:30 close, which does not matter): 1 Sat 02-14
      // (make-up); 2 skips the holiday and the closure (02-24, 02-25) to Thu 02-26; close 17:30.
      {"2026-02-13T17:50+08:00", "2 working days", "2026-02-26T17:30:00+08:00", false},
      // After closing: counting starts Sat 02-14 08:30.
      {"2026-02-13T17:50+08:00", "30m working", "2026-02-14T09:00:00+08:00", false},
      // 11:30-12:00, lunch until 13:30, then 30 min.
      {"2026-03-10T11:30+08:00", "1h working", "2026-03-10T14:00:00+08:00", false},
      // Sat 02-28 (make-up) 17:00: 30 min, Sun off, Mon 03-02 closed, Tue 03-03 08:30 + 30 min.
      {"2026-02-28T17:00+08:00", "1h working", "2026-03-03T09:00:00+08:00", false},
  };
  for (const due_row& r : rows) check_due(*acme, r);
}

// Loads one file and returns its diagnostics as `file:line:col: message` lines.
std::vector<std::string> calendar_problems(const std::string& yaml, calendar_set* out = nullptr) {
  diagnostics problems;
  calendar_set set = load_calendar_sources({{"bad.yaml", yaml}}, &problems);
  if (out) *out = set;
  std::vector<std::string> lines;
  for (const diagnostic& d : problems) lines.push_back(to_string(d));
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

bool has_line(const std::vector<std::string>& lines, const std::string& expected) {
  return std::find(lines.begin(), lines.end(), expected) != lines.end();
}

const char* const k_valid_head = R"(calendar: x
time_zone: Asia/Shanghai
hours: ["09:00-12:00"]
week: [mon, tue, wed, thu, fri]
covers: [2026]
)";

TEST_CASE("calendar: loader reports every problem with line and column") {
  struct row {
    std::string yaml;
    std::string expected;
  };
  const row rows[] = {
      {std::string(k_valid_head) + "holidyas: []\n",
       "bad.yaml:6:1: unknown key 'holidyas' in a calendar; did you mean 'holidays'?"},
      {std::string(k_valid_head) + "holidays:\n  - { name: A, frm: 2026-01-01, to: 2026-01-02 }\n",
       "bad.yaml:7:16: unknown key 'frm' in a holiday; did you mean 'from'?"},
      {std::string(k_valid_head) + "holidays:\n  - { name: A, date: 2026-02-30 }\n",
       "bad.yaml:7:22: bad date '2026-02-30' in holidays: expected a real day as YYYY-MM-DD, e.g. 2026-02-15"},
      {std::string(k_valid_head) + "holidays:\n  - { name: A, from: 2026-01-05, to: 2026-01-01 }\n",
       "bad.yaml:7:38: a holiday ends ('to') before it starts ('from')"},
      {std::string(k_valid_head) + "holidays:\n  - { date: 2026-01-05 }\n",
       "bad.yaml:7:5: a holiday needs a name: { name: ..., date: YYYY-MM-DD } or { name: ..., from: YYYY-MM-DD, "
       "to: YYYY-MM-DD }"},
      {std::string(k_valid_head) +
           "holidays:\n  - { name: A, from: 2026-01-01, to: 2026-01-03 }\n  - { name: B, date: 2026-01-03 }\n",
       "bad.yaml:8:5: holiday 'B' (2026-01-03) overlaps 'A' (2026-01-01..2026-01-03) at bad.yaml:7"},
      {std::string(k_valid_head) + "holidays:\n  - { name: A, date: 2027-01-01 }\n",
       "bad.yaml:7:5: 'A' (2027-01-01) lies outside the years calendar 'x' covers (2026); extend covers"},
      {std::string(k_valid_head) + "holidays:\n  - { name: A, date: 2026-02-14 }\nworkdays: [2026-02-14]\n",
       "bad.yaml:8:12: make-up working day 2026-02-14 is also the holiday 'A'"},
      {std::string(k_valid_head) + "workdays: [2026-02-13]\n",
       "bad.yaml:6:12: make-up working day 2026-02-13 is a Friday, already a working day of the week"},
      {"calendar: x\ntime_zone: Asia/Shanghia\nhours: [\"9-12\"]\nweek: [mon, thur]\ncovers: [2026, 2028]\n",
       "bad.yaml:2:12: unknown time zone 'Asia/Shanghia': expected an IANA name such as Asia/Shanghai"},
      {"calendar: x\ntime_zone: Asia/Shanghia\nhours: [\"9-12\"]\nweek: [mon, thur]\ncovers: [2026, 2028]\n",
       "bad.yaml:3:9: bad working period '9-12': expected HH:MM-HH:MM, e.g. 09:00-12:00"},
      {"calendar: x\ntime_zone: Asia/Shanghia\nhours: [\"9-12\"]\nweek: [mon, thur]\ncovers: [2026, 2028]\n",
       "bad.yaml:4:13: unknown weekday 'thur'; did you mean 'thu'?; weekdays are mon, tue, wed, thu, fri, sat, sun"},
      {"calendar: x\ntime_zone: Asia/Shanghia\nhours: [\"9-12\"]\nweek: [mon, thur]\ncovers: [2026, 2028]\n",
       "bad.yaml:5:16: covers must list consecutive years in order; 2028 does not follow 2026"},
      {"calendar: x\nhours: [\"13:00-18:00\", \"09:00-12:00\"]\n",
       "bad.yaml:2:24: working period '09:00-12:00' must start after the previous one ends (periods in order, not "
       "overlapping)"},
      {"calendar: x\nhours: [\"13:00-18:00\"]\n",
       "bad.yaml:1:1: calendar 'x' needs 'time_zone' (or 'extends: ID' to inherit it)"},
      {"calendar: x\nhours: [\"09:00-12:00\"\nweek: [mon]\n",
       "bad.yaml:3:1: malformed YAML: a '[' is not closed by a ']' (end of sequence flow not found)"},
      {"calendar: Big Calendar\n", "bad.yaml:1:11: calendar id 'Big Calendar' may use only a-z, 0-9, '-' and '_'"},
      {"name: nobody\n", "bad.yaml:1:1: missing key 'calendar': the calendar's id, e.g. calendar: cn-mainland"},
  };
  for (const row& r : rows) {
    CAPTURE(r.yaml);
    calendar_set set;
    const std::vector<std::string> lines = calendar_problems(r.yaml, &set);
    const std::string all_lines = joined(lines);
    CAPTURE(all_lines);
    CHECK(has_line(lines, r.expected));
    CHECK(set.ids().empty());  // a calendar with errors is left out
  }
}

TEST_CASE("calendar: odd shapes are diagnostics, never exceptions") {
  const char* const inputs[] = {
      "",
      "- a\n- b\n",
      "calendar: [a, b]\n",
      "calendar: x\nhours: { a: b }\nweek: mon\ncovers: { a: 1 }\nholidays: [[1, 2], 7]\nclosures: 5\n",
      "calendar: x\nextends: [a]\nworkdays: [{ date: [1] }]\nname: [1]\n",
      "calendar: x\nhours: []\nweek: []\ncovers: []\ntime_zone: {}\n",
      "calendar: x\n\t- bad indentation\n",
      "calendar: &a x\nextends: *a\n",
      "{{{{",
  };
  for (const char* yaml : inputs) {
    CAPTURE(yaml);
    std::vector<std::string> lines;
    CHECK_NOTHROW(lines = calendar_problems(yaml));
    CHECK_FALSE(lines.empty());
  }
}

TEST_CASE("calendar: extends must name a known calendar and must not loop") {
  diagnostics problems;
  with_company("calendar: acme\nextends: cn-mainlnd\n", &problems);
  REQUIRE(problems.size() == 1);
  CHECK(to_string(problems[0]) ==
        "acme.yaml:2:10: calendar 'acme' extends unknown calendar 'cn-mainlnd'; did you mean 'cn-mainland'?");

  problems.clear();
  const calendar_set set = load_calendar_sources(
      {{"a.yaml", "calendar: a\nextends: b\n"}, {"b.yaml", "calendar: b\nextends: c\n"},
       {"c.yaml", "calendar: c\nextends: a\n"}, {"d.yaml", "calendar: d\nextends: d\n"}},
      &problems);
  CHECK(set.ids().empty());
  std::vector<std::string> lines;
  for (const diagnostic& d : problems) lines.push_back(to_string(d));
  const std::string all_lines = joined(lines);
  CAPTURE(all_lines);
  CHECK(lines == std::vector<std::string>{"c.yaml:2:10: calendar 'c' extends itself: c -> a -> b -> c",
                                          "d.yaml:2:10: calendar 'd' extends itself: d -> d"});

  problems.clear();
  load_calendar_sources({{"a.yaml", "calendar: a\nextends: 24x7\n"}, {"b.yaml", "calendar: a\nextends: 24x7\n"}},
                        &problems);
  CHECK(to_string(problems.at(0)) == "b.yaml:1:11: calendar 'a' is already defined at a.yaml:1");
}

TEST_CASE("calendar: a derived calendar must cover at least its parent's years") {
  diagnostics problems;
  with_company("calendar: acme\nextends: cn-mainland\ncovers: [2026]\n", &problems);
  REQUIRE(problems.size() == 1);
  CHECK(to_string(problems[0]) == "acme.yaml:3:9: covers (2026) must include the years of 'cn-mainland' (2025-2026)");
}

TEST_CASE("calendar: validate warns when coverage ends within 60 days") {
  // cn-mainland covers up to 2026-12-31; 24x7 is unbounded; a derived calendar shares the
  // warning of the file that says `covers`.
  diagnostics problems;
  const calendar_set set = with_company("calendar: acme\nextends: cn-mainland\n", &problems);
  REQUIRE(problems.empty());
  CHECK(coverage_warnings(set, day(2026, 10, 31)).empty());  // 61 days before 12-31
  const diagnostics near = coverage_warnings(set, day(2026, 11, 15));  // 46 days left
  REQUIRE(near.size() == 1);
  CHECK(to_string(near[0]) ==
        "cn-mainland.yaml:11:9: warning: calendar 'cn-mainland' covers holidays only up to 2026-12-31 (in 46 days); "
        "add the 2027 holidays and make-up days, deadlines after that are provisional");
  const diagnostics past = coverage_warnings(set, day(2027, 1, 5));
  REQUIRE(past.size() == 1);
  CHECK(past[0].message.find("which has passed") != std::string::npos);
  CHECK(coverage_warnings(shipped(), day(2026, 11, 1)).size() == 1);  // exactly 60 days left
}

}  // namespace
}  // namespace caseflow
