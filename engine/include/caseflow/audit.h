// caseflow/audit.h — one case's timeline for an auditor: each step's entry and exit, who
// acted in which role (and for whom), working time taken against the step's limits,
// breaches, approvals, notifications and evidence.
//
// The timeline is built from the log alone (the events and the definition they were
// decided under), so it shows what happened, not what the projection says. Times are UTC
// ISO-8601; working time uses the procedure's calendar (plain elapsed time without one).
// Pure; thread-safe.
//
// Shape (JSON):
//   {case, procedure, version, step, open, as_of,
//    visits: [{step, name, entered, entered_seq, left, left_seq (null while in it),
//              working_seconds, limits: [{rule, due, allowed_working_seconds, breached}],
//              acts: [{seq, at, actor, role, on_behalf_of, kind, action, to, comment}]}],
//    breaches: [{seq, at, rule, due}], approvals: [{seq, at, kind, actor, role, on_behalf_of, action, data}],
//    notifications: [{seq, at, rule, to, message}], attachments: [{seq, at, actor, name, size, digest, note}]}
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/calendar.h"
#include "caseflow/core.h"

namespace caseflow {

// The timeline of one case. `cal` may be null. `now` closes the visit of the current step.
// REQUIRES: `events` are one case's events in seq order, decided under `p`.
nlohmann::json audit_timeline(const procedure& p, const calendar* cal, const std::vector<event>& events, instant now);

}  // namespace caseflow
