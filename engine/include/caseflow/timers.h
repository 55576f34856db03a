// caseflow/timers.h — business time for cases: which deadlines a case has, and what
// happens when one is due. Both functions are pure, like decide(): the runtime stores the
// events they return in the same transaction as the command that caused them.
//
// Deadlines are derived from the case state alone (the step and when it was entered, the
// fields, when the case was opened, paused time, what has already fired) and the calendar:
//   - each limit of the current step whose `when` holds (evaluated with the arrival context
//     of the step's entry), with its reminder;
//   - each escalation of the procedure that applies (`when` holds, `unless` does not) while
//     the case is open and its clock is not paused.
// Changes are recorded as deadline_set / deadline_changed / deadline_cleared events, so
// replay reproduces every deadline from the log, and a calendar edit shows up as
// deadline_changed events with the old and the new time. Thread-safe: no shared state.
#pragma once

#include <string_view>
#include <vector>

#include "caseflow/calendar.h"
#include "caseflow/core.h"

namespace caseflow {

// The events (actor `system`) that bring c.deadlines in line with what the procedure asks
// for at `now`. Empty when nothing changes. `cal` may be null: then only plain calendar
// durations are scheduled. REQUIRES: c.exists().
std::vector<event> schedule_deadlines(const procedure& p, const calendar* cal, const case_state& c, instant now);

// Fires deadline `rule` of case `c` at `at.now`: a timer_fired event, then its effects —
// fields raised or set, notifications requested, an automatic action — and the deadline
// changes that follow. Refused (nothing to do) when the case has no such pending deadline
// or it is not yet due: a timer fires once, and never early.
decision fire_timer(const procedure& p, const organisation& org, const calendar* cal, const case_state& c,
                    std::string_view rule, const moment& at);

// `events` followed by the deadline changes they cause, seq-numbered after `c`.
std::vector<event> with_deadlines(const procedure& p, const calendar* cal, const case_state& c,
                                  std::vector<event> events, instant now);

}  // namespace caseflow
