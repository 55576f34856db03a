// json_views.h — the JSON shapes of the read commands (DESIGN.md "CLI contract"), shared
// by `procedures`, `show` and `history` so that a script sees one shape everywhere.
#pragma once

#include <nlohmann/json.hpp>

#include "caseflow/core.h"
#include "caseflow/procedure.h"

namespace caseflow::cli {

// {name, type, required, values?, personal, display}
nlohmann::json field_view(const field_def& field);
// {name, display, to, roles, requires: [field_view], sets: [...], comment_required, permitted, guard, guard_holds}
nlohmann::json action_view(const procedure& p, const action_option& option);
// {step, tier, amount, status, levels: [{level, roles, mode, approvals: [{actor, role,
//  on_behalf_of, at, decision, comment}], done}], next: [roles]} — the chain fixed for a case.
nlohmann::json approval_view(const case_approval& a);
// {id, seq, at, actor, role, on_behalf_of, kind, action, from, to, data, comment, hash}, and
// `branch` for an event on a branch (parallel work).
nlohmann::json event_view(const event& e);

}  // namespace caseflow::cli
