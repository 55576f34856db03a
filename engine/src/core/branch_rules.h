// core/branch_rules.h — internal: how the pure core handles branches (parallel work).
//
// apply() reaches the position an event acts on through open_position() and folds the branch
// events with apply_branch_event(); decide() runs a command on a branch by deciding it on
// branch_view() and passing the result through with_branch_effects(). All pure; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/core.h"

namespace caseflow::detail {

// The members of one position that events change, main path or branch. Valid until the
// case's branch list changes.
struct position_ref {
  std::string* step;
  std::string* assignee;
  instant* step_entered_at;
  std::vector<std::string>* reminders_sent;
  std::map<std::string, std::vector<std::string>, std::less<>>* performers;
};
// nullopt when `branch` is not "" and names no open branch.
std::optional<position_ref> open_position(case_state& c, std::string_view branch);

// Folds branches_opened, branch_finished, branch_cancelled and branches_joined. Called by
// apply() after the position's step moved.
void apply_branch_event(case_state& c, const event& e);

// Why `branch` cannot take a command: it is unknown, finished or cancelled. nullopt when open.
std::optional<refusal> check_branch_open(const case_state& c, std::string_view branch);

// `c` as seen from its open branch `branch`: the branch's step, assignee, entry time and
// reminders in the main path's members, and as performers the main path's with those of the
// branch and its ancestors added, so roles, guards and segregation of duties judge the branch.
// Its sub-cases are left out: they belong to the main path. REQUIRES: the branch is open.
case_state branch_view(const case_state& c, std::string_view branch);

// Refused when `action` would leave `step`, the step of position `branch` of `c`, while
// branches that position opened are open, unless the step's fork says `leaving: cancel`.
std::optional<refusal> check_open_branches(const case_state& c, std::string_view branch, const step_def& step,
                                           const action_def& action);

// `decided` (decided on branch_view(before, branch)) with every event on `branch`, followed
// by the branch_finished, branch_cancelled and branches_joined events it leads to.
decision with_branch_effects(const procedure& p, const case_state& before, std::string_view branch, decision decided);

// The branches_opened event position `branch` ("" = the main path) of `c` needs now: its step
// is a fork step and the position has no open fork there (none, or the last one joined or
// cancelled). Recorded by `system` at `at`. nullopt when it needs none.
std::optional<event> fork_opening(const procedure& p, const case_state& c, std::string_view branch, instant at);

// `decided` (decided on `before`) followed by what entering and leaving fork steps leads to:
// each position that entered a fork step gets its branches_opened (fork_opening), and the open
// branches of a fork their parent position left (the fork step says `leaving: cancel`) a
// branch_cancelled with reason "left"; nested forks open in turn. A refusal is passed through.
decision with_fork_effects(const procedure& p, const case_state& before, decision decided);

// Who took actions in `step` on the main path and in any branch: segregation of duties on the
// main path counts the work done in its branches.
std::vector<std::string> performers_of(const case_state& c, std::string_view step);

// Whether the join rule of `fork` holds among its branches in `c` (see branch_join).
bool join_ready(const case_state& c, const case_fork& fork);

// The fork of position `parent` not yet joined (at most one: the position stays in its fork
// step until the join), or null.
const case_fork* open_fork(const case_state& c, std::string_view parent);

// The `forks` and `branches` keys of the state's JSON, added only when non-empty (a case
// without branches keeps its JSON), and a deadline's `branch` likewise.
void add_branches_json(const case_state& c, nlohmann::json* j);
void read_branches_json(const nlohmann::json& j, case_state* c);

}  // namespace caseflow::detail
