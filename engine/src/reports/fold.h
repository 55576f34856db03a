// reports/fold.h — engine-internal: one case's log folded into what the reports need, and
// local-date arithmetic for report periods. See caseflow/reports.h.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseflow/reports.h"

namespace caseflow::detail {

// [start of first, start of the day after last).
struct period_bounds {
  instant from;
  instant to;
};
period_bounds bounds_of(const calendar* cal, const date_range& r);
// Working seconds from `from` to `to` (elapsed seconds without a calendar); 0 when to < from.
std::int64_t working_between(const calendar* cal, instant from, instant to);
// "YYYY-MM-DD".
std::string format_date(civil_date d);
// "3h05m".
std::string format_hours(std::int64_t seconds);

// One run of a step limit: from its deadline_set until it was left or the case ended.
struct limit_run {
  std::string step;
  std::string rule;  // the full rule, "step.limit"
  instant due;
  std::optional<instant> left;  // deadline_cleared: the step was left or the limit stopped applying
  bool fired = false;
  bool extended = false;         // an extension moved `due` (deadline_changed, reason extension)

  // Breached: fired, left after its due time, or still running past it at `as_of`.
  bool breached(instant as_of) const { return fired || (left ? *left > due : due <= as_of); }
  // Met after extension (DESIGN.md "Met and breached"): met, by the time an extension set.
  bool met_after_extension(instant as_of) const { return extended && !breached(as_of); }
  // When it was decided (met: when left; breached: its due time); nullopt while running in time.
  std::optional<instant> decided(instant as_of) const;
};

struct case_closing {
  instant at;
  std::string actor;     // who took the closing action
  std::string credited;  // the last person who acted in the credited role up to the closing
  bool on_time = true;   // no step limit breached before it
};

struct case_history {
  std::string id;
  instant opened_at;
  std::vector<case_state> states;     // the state just before each checkpoint (empty before opening)
  std::vector<std::string> credited;  // the credited person at each checkpoint ("" = nobody yet)
  std::vector<case_closing> closings;
  std::vector<limit_run> limits;

  // The last closing before `t`.
  const case_closing* last_closing_before(instant t) const;
};

// Folds `events` (one case, in order) under `p`. `checkpoints` ascending. `credited_role`:
// whose actions make them the case's credited person (closure rate); "" = nobody.
case_history fold_history(const procedure& p, const std::vector<event>& events, const std::vector<instant>& checkpoints,
                          std::string_view credited_role);

// An empty document of `kind` for `period`, as of `now`.
report_document new_document(std::string kind, std::string title, std::string procedure, const date_range& period,
                             instant now);
// Columns from (key, header) pairs.
std::vector<report_column> columns(std::initializer_list<std::pair<std::string, std::string>> list);

// The text of a field at a state ("" when unset).
std::string field_text(const case_state& s, std::string_view field);

}  // namespace caseflow::detail
