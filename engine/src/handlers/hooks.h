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
// they trigger inserted after their trigger and the whole list renumbered. Sets *error (and
// returns nothing) when a handler is missing, its arguments no longer validate, or a
// sub-case cannot be opened: the command is then refused as a whole.
std::vector<event> run_hooks(const procedure& p, const case_state& current, std::vector<event> events,
                             const hook_environment& env, std::string* error);

}  // namespace caseflow::detail
