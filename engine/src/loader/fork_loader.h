// loader/fork_loader.h — internal: reading and checking a fork step's `parallel:` block.
//
// The format is described beside fork_def in caseflow/procedure.h. Problems are recorded as
// diagnostics with the line:col of the offending node; nothing throws. Not thread-safe
// (shares the file's yaml_reader).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "caseflow/procedure.h"
#include "base/yaml_reader.h"

namespace caseflow::detail {

// Reads `node` (the `parallel:` mapping of step `step_id`): its branches, join rule, `then`
// and `leaving`. Cross-references are checked later by check_forks.
std::optional<fork_def> read_fork(yaml_reader& in, const YAML::Node& node, const std::string& step_id);

// Checks what needs every step: each branch's `from` and `until` and the fork's `then` exist,
// each branch can reach its `until` from its `from` without passing through its fork step,
// and forks nest at most k_max_fork_depth deep. `bodies` are the step mappings by id.
void check_forks(yaml_reader& in, const std::unordered_map<std::string, YAML::Node>& bodies, const procedure& p);

// The steps a branch of a fork can be in: from `from`, following actions and nested forks
// (their branches and `then`), never past `until`. Used by the loader (depth, reachability).
std::vector<std::string> branch_steps(const procedure& p, const fork_branch_def& branch);

// Whether step `id` is the `until` of a branch of some fork (such a step needs no actions).
bool ends_a_branch(const procedure& p, std::string_view id);

}  // namespace caseflow::detail
