// caseflow/calendar.h — business calendars: working hours, work week, public holidays,
// make-up working days (调休) and company closures, in a time zone; and the deadlines that
// durations such as "4h working" or "2 working days" give under them.
//
// Stored times are UTC instants; all business arithmetic happens in the calendar's own time
// zone (e.g. Asia/Shanghai). A calendar is loaded from YAML (processes/calendars/*.yaml, see
// load_calendars) and is immutable afterwards: intentionally copyable (copies share the
// loaded data), and thread-safe for concurrent const use.
//
// Coverage. The holidays of a year are published late in the year before, so a calendar
// says which years it `covers`. Past (or before) its coverage a day is classified by the
// plain work week only, and any deadline whose computation looked at such a day is marked
// `provisional` so that it can be shown as such and recomputed when the year is added.
//
// The worked examples below use cn-mainland: Asia/Shanghai (+08:00), working hours
// 09:00-12:00 and 13:00-18:00, Monday to Friday, covering 2025 and 2026, with the
// 2026 Spring Festival holiday 02-15..02-23 and make-up working Saturdays 02-14 and 02-28.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/diagnostic.h"
#include "caseflow/duration.h"
#include "caseflow/value.h"

namespace caseflow {

namespace detail {
struct calendar_data;  // engine-internal: the loaded definition and its time zone
}

class calendar_set;

// When a limit ends. `calendar_version` is the version of the calendar it was computed
// under, so a stored deadline can be recomputed when the calendar changes.
struct deadline {
  instant due;
  bool provisional = false;  // a day past the calendar's coverage was consulted
  std::string calendar_version;
};

// One working period of a day, in local minutes since midnight: [start_minute, end_minute),
// with 0 <= start_minute < end_minute <= 1440 ("24:00").
struct working_period {
  int start_minute = 0;
  int end_minute = 0;
};

class calendar {
 public:
  // Built by load_calendars / load_calendar_sources; `data` must be a validated definition.
  explicit calendar(std::shared_ptr<const detail::calendar_data> data);

  const std::string& id() const;
  const std::string& name_zh() const;
  const std::string& name_en() const;  // "" when not given
  const std::string& time_zone() const;  // IANA name, e.g. "Asia/Shanghai"
  const std::string& file() const;       // the YAML file that defined it
  const std::vector<working_period>& hours() const;  // in order, disjoint, non-empty
  // First 12 hex digits of the SHA-256 of the effective definition, parents included:
  // any change to hours, zone, week, coverage, holidays, make-up days or closures changes it.
  const std::string& version() const;

  // Coverage: the consecutive years whose holidays the calendar lists, or unbounded (24x7).
  bool covers(civil_date d) const;
  std::optional<int> last_covered_year() const;  // nullopt = unbounded

  // Classification of a local day. Precedence: closure, holiday, make-up workday, then the
  // work week (workday or weekend). Holidays and make-up days exist only inside coverage,
  // so past coverage this is the plain work week (plus any closures listed for those days).
  //   classify(2026-02-14 Sat) == makeup_workday    classify(2026-02-16 Mon) == holiday
  //   classify(2026-02-21 Sat) == holiday           classify(2027-02-08 Mon) == workday
  enum class day_kind { workday, weekend, holiday, makeup_workday, closure };
  day_kind classify(civil_date d) const;
  // The holiday's or closure's name ("春节 Spring Festival"), or "" for other days.
  std::string day_name(civil_date d) const;
  bool is_working_day(civil_date d) const;  // workday or makeup_workday

  // Local time. Working periods are half-open: 12:00 is lunch, 18:00 is closed.
  bool in_working_hours(instant t) const;
  civil_date local_date(instant t) const;
  // Local wall time `minute_of_day` (0..1440; 1440 = 24:00 = next day 00:00) -> instant.
  instant local_time(civil_date d, int minute_of_day) const;
  // ISO-8601 with the zone's offset: "2026-02-24T18:00:00+08:00".
  std::string format_local(instant t) const;
  // A datetime as written on the command line: with its offset (as parse_value), or a local
  // wall time of this calendar's zone without one ("2026-02-24T18:00", "2026-02-24 18:00:30").
  // A wall time the zone skips or repeats (a daylight-saving change) is refused, naming it:
  // nullopt with *error set, as for text that is no datetime at all.
  std::optional<instant> parse_datetime(std::string_view text, std::string* error) const;

  // `t` itself if inside working hours, else the start of the next working period.
  //   Fri 2026-02-13 12:30 -> 13:00 the same day;  Fri 18:00 -> Sat 2026-02-14 09:00 (make-up).
  instant next_working_moment(instant t) const;
  // Working time in [from, to); 0 if to <= from.
  //   Fri 2026-02-13 17:00 .. Tue 2026-02-24 10:00 = 1h + 8h (Sat 02-14) + 1h = 36000 s.
  std::int64_t working_seconds_between(instant from, instant to) const;

  // The deadline of a limit `d` that starts at `start`:
  //
  // calendar_seconds: start + amount, zone-independent ("7d" = 7 × 86400 s).
  // calendar_months: see duration.h (local wall time, day of month clamped).
  // working_seconds: counting starts at next_working_moment(start) and consumes working
  //   time only (skipping lunch, nights, weekends, holidays and closures). When the count
  //   ends exactly at the end of a period, the deadline is that end, not the next start.
  //     Fri 02-13 17:50 + "30m working" -> 10 min on Fri, 20 min on Sat 02-14: 09:20.
  //     Sat 2026-10-03 10:00 (National Day) + "1h working" -> Thu 2026-10-08 10:00.
  //     Mon 11:00 + "1h working" -> Mon 12:00 (not 13:00).
  // working_days (N >= 1): ends at the close (end of the last working period, 18:00) of the
  //   Nth working day after the event's local calendar day, whatever the hour of the event
  //   and whether that day is a working day, a weekend or a holiday (Civil Code art. 201:
  //   the day on which a period starts does not count).
  //     Fri 02-13 17:50 + "2 working days": 1 Sat 02-14 (make-up), 2 Tue 02-24
  //       (02-15..02-23 holiday) -> 2026-02-24 18:00.
  //     Fri 02-13 18:00 + "1 working day": 1 Sat 02-14 -> 02-14 18:00.
  //     Sun 03-15 10:00 + "1 working day": 1 Mon 03-16 -> 03-16 18:00.
  // end_of_day (and "0 working days"): the close of the event's day when it is a working day
  //   and the event comes before its close, else the close of the next working day.
  //     Fri 02-13 17:50 -> Fri 18:00;  Fri 02-13 19:00 -> Sat 02-14 18:00.
  // provisional: for working kinds, when the event's day or the final day lies outside
  // coverage (coverage is contiguous, so that is when any consulted day does); never for
  // calendar time.
  deadline due(instant start, const duration& d) const;

  // The day an offset from a date field designates:
  // calendar offsets: whole months first (day of month clamped: 03-31 - 1 month = 02-28),
  //   then the remaining tenths of a month as 3 days each, then the days.
  //     2026-06-30 - 1.5 months = 2026-05-30 - 15 days = 2026-05-15;  2026-06-30 - 45d = 05-16.
  // working offsets: the Nth working day strictly after (+) or before (-) `base`, whether or
  //   not `base` itself is a working day; "+ 0 working days" is the first working day on or
  //   after `base`.
  //     2026-02-13 (Fri) + 1 working day = 02-14 (make-up Sat);  02-24 - 1 working day = 02-14.
  civil_date resolve(civil_date base, const date_offset& off) const;
  // The moment an offset is due: the END of the resolved day. For a calendar offset that is
  // local midnight ending the day (24:00, i.e. 00:00 of the next day): "mock inspection
  // move_in_date - 45d" is on time if done at any moment of that day. For a working offset it
  // is the day's close (18:00), as for "N working days". Use local_time(resolve(...), 0) for
  // the start of the day (e.g. to fire a reminder). provisional: working offsets whose base or
  // resolved day lies outside coverage.
  deadline due(civil_date base, const date_offset& off) const;

 private:
  friend diagnostics coverage_warnings(const calendar_set& set, civil_date today);
  std::shared_ptr<const detail::calendar_data> data_;
};

// The day a calendar offset (not `working`) designates: whole months first, day of month
// clamped, then the remaining tenths of a month as 3 days each, then the days. It needs no
// calendar; calendar::resolve gives the same for such an offset.
//   2026-06-30 - 1.5 months = 2026-05-15;  2021-03-01 + 5 years = 2026-03-01.
// REQUIRES: !off.working.
civil_date plain_offset(civil_date base, const date_offset& off);

// The deadline of `d` from `start` in `cal` (calendar::due); without a calendar (null) only a
// plain calendar-seconds duration has one (start + amount), others nullopt.
std::optional<deadline> due_in(const calendar* cal, instant start, const duration& d);
// The end of local day `d` (24:00, i.e. 00:00 of the next day) in `cal`'s zone, or in UTC
// without a calendar: when something due "on" that date falls due.
instant end_of_day(const calendar* cal, civil_date d);
// The day of the week of `d`: 0 = Monday … 6 = Sunday.
int weekday_of(civil_date d);
// The local day `t` falls on in `cal`'s zone, or in UTC without a calendar.
civil_date local_day(const calendar* cal, instant t);
// Minute `minute` (0 = its start) of local day `d` in `cal`'s zone, or in UTC without a calendar.
instant local_minute(const calendar* cal, civil_date d, int minute);

// The calendars a deployment knows, by id. Intentionally copyable; thread-safe for const use.
class calendar_set {
 public:
  const calendar* find(std::string_view id) const;  // nullptr when unknown
  std::vector<std::string> ids() const;              // sorted
  // Adds `c`, replacing a calendar with the same id.
  void add(calendar c);

 private:
  std::map<std::string, calendar, std::less<>> calendars_;
};

// YAML text to load, and the file name its diagnostics should carry.
struct calendar_source {
  std::string file;
  std::string text;
};

// Loads every *.yaml file in `dir` (in name order). Every problem found is appended to *out
// as `file:line:col` diagnostics, all at once: malformed YAML, unknown keys (with the near
// name), missing keys, bad dates, times or years, overlapping holidays or closures, make-up
// days that are holidays or already working days, holidays outside `covers`, duplicate ids,
// unknown or cyclic `extends`. A calendar with errors (or whose parent has errors) is left
// out of the result. Never throws for bad input.
//
// Format (processes/calendars/cn-mainland.yaml is the full example):
//   calendar: cn-mainland                      # the id procedures refer to
//   name: { zh: 中国大陆工作日历, en: Mainland China working calendar }
//   time_zone: Asia/Shanghai
//   hours: ["09:00-12:00", "13:00-18:00"]      # "24:00" may end a period
//   week: [mon, tue, wed, thu, fri]
//   covers: [2025, 2026]                       # consecutive years, or `all`
//   holidays:
//     - { name: 春节 Spring Festival, from: 2026-02-15, to: 2026-02-23 }
//     - { name: 元旦 New Year, date: 2025-01-01 }
//   workdays: [2026-02-14, 2026-02-28]          # make-up working days (调休)
// A derived calendar names its parent and adds or overrides, without copying:
//   calendar: acme-shanghai
//   extends: cn-mainland                       # inherits everything below unless given
//   hours: ["08:30-12:00", "13:30-17:30"]      # replaces hours (likewise time_zone, week,
//                                              # covers; `name` is not inherited: default id)
//   closures:                                  # extra non-working days; win over workdays
//     - { name: 年会 Annual meeting, date: 2026-01-30 }
//     - { name: 春节延长 Extended break, from: 2026-02-24, to: 2026-02-25 }
// `holidays` and `workdays` in a derived calendar are added to the parent's.
calendar_set load_calendars(const std::string& dir, diagnostics* out);
calendar_set load_calendar_sources(const std::vector<calendar_source>& sources, diagnostics* out);

// Warnings (for `caseflow validate`) for calendars whose coverage ends within 60 days of
// `today` or has already ended, at the `covers` line, one per place `covers` is written:
//   "cn-mainland.yaml:6:9: warning: calendar 'cn-mainland' covers holidays only up to
//    2026-12-31 (in 35 days); add the 2027 holidays and make-up days, deadlines after that
//    are provisional"
diagnostics coverage_warnings(const calendar_set& set, civil_date today);

// One month of a year, for `caseflow calendar show`. Use calendar::day_name for names.
struct month_summary {
  int month = 0;  // 1..12
  int working_days = 0;
  std::vector<civil_date> holidays;
  std::vector<civil_date> makeup_days;
  std::vector<civil_date> closures;
};
std::vector<month_summary> summarize_year(const calendar& cal, int year);

}  // namespace caseflow
