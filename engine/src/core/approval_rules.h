// core/approval_rules.h — internal: how the pure core handles approval steps.
//
// decide() routes `approve` / `reject` in an approval step to decide_approval(), and passes
// every other decision through with_approval_chain(), which fixes the chain when a case enters
// an approval step and re-fixes it (voiding earlier approvals) when the amount or tier changes
// while in it. apply() calls apply_approval() for every event. All pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "caseflow/core.h"

namespace caseflow::detail {

// True for the actions the loader adds to an approval step (`approve`, `reject`).
bool is_implicit_approval_action(const step_def& step, const action_def& action);

// Whether `actor` may sign the pending level of `c`'s approval now: their authority (own
// role or delegated), or a refusal that says why (not a pending role, segregation of
// duties, already signed). REQUIRES: c is in an approval step.
struct approver_check {
  std::optional<authority> who;
  std::optional<refusal> refused;
};
approver_check check_approver(const procedure& p, const organisation& org, const case_state& c, std::string_view actor,
                              const moment& at);

// `approve` or `reject` in c's approval step.
decision decide_approval(const procedure& p, const organisation& org, const case_state& c, const command& cmd,
                         const moment& at);

// `decided` (events on `before`) followed by approval_chain_fixed (and approvals_voided)
// events when they enter an approval step or change its amount or tier; refused when no tier
// applies or the amount is missing. A refused decision passes through unchanged.
decision with_approval_chain(const procedure& p, const case_state& before, decision decided);

// Folds the approval part of `e` into `c`. Called by apply() before the step changes.
void apply_approval(case_state& c, const event& e);

nlohmann::json approval_to_json(const case_approval& a);
case_approval approval_from_json(const nlohmann::json& j);

}  // namespace caseflow::detail
