// caseflow/approvals.h — checking a case's log against the approval chains fixed in it.
//
// When a case enters an approval step (see approval_def in procedure.h), the core records
// the chain it fixed (an approval_chain_fixed event); each approver then signs with an
// action_taken event carrying {approval: {level, role}}. check_approvals() replays one
// case's events and reports every approval that does not fit the chain fixed for it:
//   - a chain whose tier, amount or levels differ from what the definition gives for the
//     case's fields at that point;
//   - an approve/reject with no pending chain, for a level that is not the pending one, in a
//     role the pending level does not need, or by someone who already signed the chain;
//   - an approver who acted in a `not_by` step (segregation of duties), themselves or through
//     the principal they acted for;
//   - a step change that does not follow the chain: the last approval not leading to
//     `approved`, an earlier one leaving the step, a rejection not leading to `rejected`, or
//     any other event taking the case from the approval step to `approved`.
// Delegations are not re-checked (the organisation is not versioned in the log; the event
// keeps on_behalf_of for the auditor). Pure; thread-safe.
//
// Example:
//   for (const auto& f : caseflow::check_approvals(*definition, events_of_case))
//     std::cout << f.case_id << ' ' << f.seq << ": " << f.message << '\n';
#pragma once

#include <vector>

#include "caseflow/chain.h"
#include "caseflow/event.h"
#include "caseflow/procedure.h"

namespace caseflow {

// Findings (rule "approval") for one case. `p` is the definition the case is pinned to;
// REQUIRES: `events` are that case's events in seq order, starting at seq 1.
std::vector<finding> check_approvals(const procedure& p, const std::vector<event>& events);

}  // namespace caseflow
