// caseflow/conformance.h — was every stored event allowed when it was recorded?
//
// The hash chain (chain.h) proves the log was not changed after the fact unless the whole
// chain was recomputed. Conformance closes that gap: it re-decides every event of a case
// against the definition the case is pinned to, on the state folded from the events
// before it, at the event's own time. An attacker who edits an event and recomputes every
// hash is still caught wherever the edit breaks a rule. Findings name case, seq and rule:
//   "sequence"   the event is not the case's next (seq, case id) or starts from another step
//                (an event on a branch: from another step than the branch's)
//   "branch"     the event acts on a branch that is not open, a branch finished outside its
//                end step, or branches joined when their fork's join rule did not hold
//   "definition" the event was decided under another definition than the case's
//   "role"       the actor did not hold the role (delegations included, by the event's local
//                day), acted in another role or for another principal than the rules give,
//                or a person recorded an engine event / `system` took an action no timer asked for
//   "guard"      the action's condition did not hold
//   "terminal"   an event left (or acted in) a terminal step
//   "action"     no such action in that step, or its fields, required values or comment were wrong
//   "transition" the action led to another step than the definition says
//   "timer"      a timer fired that was not pending, before it was due, or with another due time;
//                or the engine changed fields with no timer firing at that moment
//   "organisation" the event names an organisation version that was never deployed
// Approval chains (events of kind approval_*) are checked by approvals.h. Roles are judged by
// the organisation each event was decided under (event::org_version); events of chain format 1,
// which name none, by the one in force. Pure; thread-safe.
//
// Example:
//   for (const auto& f : check_conformance(*definition, org, calendars.find(definition->calendar), events))
//     std::cout << f.case_id << " event " << f.seq << ": [" << f.rule << "] " << f.message << '\n';
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "caseflow/calendar.h"
#include "caseflow/chain.h"
#include "caseflow/core.h"

namespace caseflow {

// Findings for one case. `p` is the definition the case is pinned to; `cal` its calendar
// (null: local days are UTC days). REQUIRES: `events` are that case's events in seq order,
// personal values resolved (event_log::case_events); erased values are accepted as given.
// The organisation deployed under `version` (event::org_version); "" gives the one in force.
// Null for a version that is not known. REQUIRES: non-null for "".
using organisation_lookup = std::function<const organisation*(std::string_view version)>;
std::vector<finding> check_conformance(const procedure& p, const organisation_lookup& org_at, const calendar* cal,
                                       const std::vector<event>& events);
// Every event judged by `org`.
std::vector<finding> check_conformance(const procedure& p, const organisation& org, const calendar* cal,
                                       const std::vector<event>& events);

}  // namespace caseflow
