// Reading and checking fork steps (`parallel:`). See fork_loader.h.
#include "loader/fork_loader.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <set>

#include <fmt/format.h>

#include "caseflow/diagnostic.h"
#include "caseflow/identifier.h"

namespace caseflow::detail {

namespace {

// `all`, `any` or `at least N` (N >= 1); anything else is reported and leaves *join as it was.
void read_join(yaml_reader& in, const YAML::Node& node, const std::string& what, branch_join* join) {
  const auto text = in.scalar(node, "join");
  if (!text) return;
  if (*text == "all" || *text == "any") {
    join->mode = *text;
    return;
  }
  int n = 0;
  char rest = 0;
  if (std::sscanf(text->c_str(), "at least %d%c", &n, &rest) == 1 && n >= 1) {
    join->mode = "at_least";
    join->at_least = n;
    return;
  }
  in.error(node, fmt::format("{}: join '{}' is not one of all | any | at least N (N a whole number from 1)", what, *text));
}

const YAML::Node child_of(const YAML::Node& parent, const char* key) {
  return parent.IsMap() ? parent[key] : YAML::Node();
}

// Every fork step among `steps`, at most one level below `level`; reports the first fork found
// deeper than k_max_fork_depth at its `parallel:` node.
void check_depth(yaml_reader& in, const std::unordered_map<std::string, YAML::Node>& bodies, const procedure& p,
                 const step_def& fork_step, int level, bool* reported) {
  if (*reported) return;
  if (level > k_max_fork_depth) {
    const auto body = bodies.find(fork_step.id);
    in.error(body == bodies.end() ? YAML::Node() : child_of(body->second, "parallel"),
             fmt::format("step '{}' is a fork {} levels deep (inside the branches of other forks); forks nest at most {} "
                         "deep: a fork, and forks inside its branches",
                         fork_step.id, level, k_max_fork_depth));
    *reported = true;
    return;
  }
  for (const auto& branch : fork_step.fork->branches)
    for (const auto& id : branch_steps(p, branch))
      if (const step_def* s = p.find_step(id); s && s->fork) check_depth(in, bodies, p, *s, level + 1, reported);
}

}  // namespace

std::optional<fork_def> read_fork(yaml_reader& in, const YAML::Node& node, const std::string& step_id) {
  const std::string what = fmt::format("'parallel' of step '{}'", step_id);
  if (!in.expect_map(node, what)) return std::nullopt;
  in.check_keys(node, what, {"branches", "join", "then", "leaving"});
  if (!node["branches"] || !node["then"]) {
    in.error(node, fmt::format("{} needs 'branches:' (name: {{ from: STEP, until: STEP }}, one per branch) and 'then:' "
                               "(the step the case goes on to once they joined)",
                               what));
    return std::nullopt;
  }
  fork_def fork;
  fork.join.target = in.scalar(node["then"], "then").value_or("");
  if (node["join"]) read_join(in, node["join"], what, &fork.join);  // a bad one is reported; `all` stands in
  if (node["leaving"]) {
    const std::string leaving = in.scalar(node["leaving"], "leaving").value_or("");
    if (leaving != "refuse" && leaving != "cancel")
      in.error(node["leaving"], fmt::format("{}: leaving '{}' is not one of refuse | cancel", what, leaving));
    fork.cancel_on_leave = leaving == "cancel";
  }
  if (!in.expect_map(node["branches"], fmt::format("branches of {}", what))) return std::nullopt;
  for (const auto& entry : node["branches"]) {
    fork_branch_def branch;
    branch.name = entry.first.Scalar();
    const std::string where = fmt::format("branch '{}' of step '{}'", branch.name, step_id);
    if (const std::string problem = identifier_problem(branch.name); !problem.empty())
      in.error(entry.first, fmt::format("{}: a branch name is an id ({}): {}", where, k_identifier_rule, problem));
    if (!in.expect_map(entry.second, where)) continue;
    in.check_keys(entry.second, where, {"from", "until"});
    if (!entry.second["from"] || !entry.second["until"]) {
      in.error(entry.second, fmt::format("{} needs 'from:' (its first step) and 'until:' (the step that ends it)", where));
      continue;
    }
    branch.from = in.scalar(entry.second["from"], "from").value_or("");
    branch.until = in.scalar(entry.second["until"], "until").value_or("");
    fork.branches.push_back(std::move(branch));
  }
  if (fork.branches.empty()) {
    in.error(node["branches"], fmt::format("{} needs at least one branch", what));
    return std::nullopt;
  }
  if (fork.join.mode == "at_least" && fork.join.at_least > static_cast<int>(fork.branches.size()))
    in.error(node["join"], fmt::format("{}: join 'at least {}' can never hold with {} branch{}", what, fork.join.at_least,
                                       fork.branches.size(), fork.branches.size() == 1 ? "" : "es"));
  return fork;
}

std::vector<std::string> branch_steps(const procedure& p, const fork_branch_def& branch) {
  std::vector<std::string> order;
  std::set<std::string> seen{branch.from};
  std::deque<std::string> queue{branch.from};
  auto visit = [&](const std::string& id) {
    if (id != branch.until && seen.insert(id).second) queue.push_back(id);
  };
  while (!queue.empty()) {
    const std::string id = queue.front();
    queue.pop_front();
    order.push_back(id);
    const step_def* step = p.find_step(id);
    if (!step) continue;
    for (const auto& action : step->actions) visit(action.to);
    if (step->fork) {
      for (const auto& nested : step->fork->branches) visit(nested.from);
      visit(step->fork->join.target);
    }
  }
  return order;
}

bool ends_a_branch(const procedure& p, std::string_view id) {
  return std::any_of(p.steps.begin(), p.steps.end(), [&](const step_def& s) {
    return s.fork && std::any_of(s.fork->branches.begin(), s.fork->branches.end(),
                                 [&](const fork_branch_def& b) { return b.until == id; });
  });
}

void check_forks(yaml_reader& in, const std::unordered_map<std::string, YAML::Node>& bodies, const procedure& p) {
  std::vector<std::string> step_ids;
  for (const auto& s : p.steps) step_ids.push_back(s.id);
  auto unknown = [&](const YAML::Node& at, std::string_view what, const std::string& id) {
    if (p.find_step(id)) return false;
    in.error(at, fmt::format("{} names undefined step '{}'{}", what, id, did_you_mean(id, step_ids)));
    return true;
  };
  for (const auto& step : p.steps) {
    if (!step.fork) continue;
    const YAML::Node node = child_of(bodies.at(step.id), "parallel");
    unknown(node["then"], fmt::format("'then' of step '{}'", step.id), step.fork->join.target);
    for (const auto& branch : step.fork->branches) {
      const YAML::Node at = child_of(node["branches"], branch.name.c_str());
      const std::string where = fmt::format("branch '{}' of step '{}'", branch.name, step.id);
      const bool bad_from = unknown(at["from"], fmt::format("'from' of {}", where), branch.from);
      if (unknown(at["until"], fmt::format("'until' of {}", where), branch.until) || bad_from) continue;
      if (branch.from == branch.until) {
        in.error(at["until"], fmt::format("{} ends in the step it starts from ('{}'): it would finish at once", where,
                                          branch.until));
        continue;
      }
      const auto steps = branch_steps(p, branch);
      if (std::find(steps.begin(), steps.end(), step.id) != steps.end())
        in.error(at["from"], fmt::format("{} leads back into its own fork step '{}'; a branch ends in its 'until' step",
                                         where, step.id));
      bool reaches = false;
      for (const auto& id : steps)
        if (const step_def* s = p.find_step(id))
          reaches = reaches || std::any_of(s->actions.begin(), s->actions.end(),
                                           [&](const action_def& a) { return a.to == branch.until; }) ||
                    (s->fork && s->fork->join.target == branch.until);
      if (!reaches)
        in.error(at["until"], fmt::format("{} can never finish: no action on its way from '{}' leads to '{}'", where,
                                          branch.from, branch.until));
    }
  }
  bool reported = false;
  for (const auto& step : p.steps)
    if (step.fork) check_depth(in, bodies, p, step, 1, &reported);
}

}  // namespace caseflow::detail
