// caseflow/schedules.h — periodic duties (DESIGN.md "Periodic duties"): the periods of a
// procedure's schedules (procedure.h schedule_def), when each opens, and the opening of their
// cases by `caseflow tick` and `caseflow run`.
//
// Periods are local dates of the procedure's calendar (UTC without one): a week runs Monday to
// Sunday (label 2026-W48, the ISO week), a half month the 1st–15th or the 16th–last
// (2026-11-H1, 2026-11-H2), a month (2026-11), a quarter (2026-Q4), a year (2026). A period
// opens at the schedule's `at:` on the day after it ends (`opens: after`) or on its first day
// (`opens: start`) — for a week, its `weekday:` of the week after; for a year, the 1st of the
// `in:` month of that year. Pure functions, except open_due_periods.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "caseflow/calendar.h"
#include "caseflow/procedure.h"
#include "caseflow/runtime.h"

namespace caseflow {

struct schedule_period {
  std::string label;
  civil_date first;
  civil_date last;
  instant opens;  // when its case opens
};

// The period of `s` that holds local day `day`.
schedule_period period_containing(const schedule_def& s, const calendar* cal, civil_date day);
schedule_period next_period(const schedule_def& s, const calendar* cal, const schedule_period& p);

// The periods to open at `now`, in order: after `last_opened` (the first day of the latest
// period opened) every period whose opening has come, at most `limit`; when nothing was
// opened yet, only the latest period whose opening has come (a schedule deployed mid-year does
// not open the past).
std::vector<schedule_period> periods_due(const schedule_def& s, const calendar* cal,
                                         std::optional<civil_date> last_opened, instant now, std::size_t limit);

// The period the next tick at or after `now` opens first.
schedule_period next_to_open(const schedule_def& s, const calendar* cal, std::optional<civil_date> last_opened,
                             instant now);

// The fields a period's case is opened with: period, period_start and period_end (those the
// procedure declares), then the schedule's own `set:`.
std::vector<std::pair<std::string, std::string>> period_fields(const procedure& p, const schedule_def& s,
                                                               const schedule_period& period);

// What one pass opened.
struct schedule_run {
  struct opened {
    std::string procedure;
    std::string schedule;
    std::string period;
    std::string case_id;
  };
  std::vector<opened> cases;
  std::size_t already_opened = 0;  // periods another process opened first
  struct refusal {
    std::string procedure;
    std::string schedule;
    std::string period;
    std::string message;
  };
  std::vector<refusal> refused;  // nothing written for these; tried again next time
};

// Each schedule of the procedures `rt` runs: what it opened last and what it opens next.
struct schedule_status {
  std::string procedure;
  const schedule_def* schedule = nullptr;
  std::optional<schedule_opening> last;  // nullopt: nothing opened yet
  schedule_period next;
};
std::vector<schedule_status> schedule_statuses(runtime& rt, instant now);
// "week", "half month", "month", "quarter", "year".
std::string to_string(schedule_def::every e);

// Opens the case of every period due at `now` of every schedule of the procedures `rt` runs,
// each exactly once (store.h schedule_opening): a tick missed for a month opens each missed
// period. A schedule with `report:` attaches that `caseflow report` of the period, computed
// as of the period's opening time (JSON, named REPORT-PERIOD.json). At most
// k_max_openings_per_schedule periods of one schedule per call; the next call goes on.
inline constexpr std::size_t k_max_openings_per_schedule = 100;
schedule_run open_due_periods(runtime& rt, instant now);

}  // namespace caseflow
