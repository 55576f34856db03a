// handlers/hooks.h — internal: running the handler calls that decided events trigger (see
// action_handler.h for which event triggers which hook and what the effects record).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "caseflow/action_handler.h"
#include "caseflow/core.h"

namespace caseflow::detail {

struct hook_environment {
  const handler_registry& handlers;
  const organisation& org;
  const calendar* cal = nullptr;
  // Opens the sub-case a handler asks for, as a child of `parent` (its state after the
  // trigger); returns the child's id (or the placeholder standing for it), or sets *error.
  std::function<std::string(const subcase_request& request, const case_state& parent, std::string* error)> open_subcase;
};

// `events` (decided on `current`, numbered after it) with the effect events of every hook
// they trigger inserted after their trigger and the whole list renumbered. A call whose guard
// does not hold (call_guard_holds) is skipped and records nothing. Sets *error (and
// returns nothing) when a handler is missing, its arguments no longer validate, or a
// sub-case cannot be opened: the command is then refused as a whole.
// Whether `call` is made: true without a guard, else its `when:` judged on `fields` (the case
// the call would see, handler_context::state) with `actor` the actor of the trigger. Every
// hook kind is judged the same way, on the case after its trigger and after the effects of the
// calls before it (on_exit, action run, on_enter, in that order): for on_exit too, so that the
// fields the leaving action sets count, and the guard sees what the handler sees. The step is
// not a guard name, so it does not matter that the case is already in the next step.
// Deterministic (fields and actor only, no clock), so conformance re-judges it from the log.
bool call_guard_holds(const handler_call& call, const field_values& fields, const std::string& actor);

std::vector<event> run_hooks(const procedure& p, const case_state& current, std::vector<event> events,
                             const hook_environment& env, std::string* error);

}  // namespace caseflow::detail
