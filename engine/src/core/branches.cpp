// Parallel work in the pure core: the positions of a case, folding branch events, deciding on
// a branch, and joins. See branch_rules.h; the events are described in caseflow/event.h.
#include <algorithm>

#include <fmt/format.h>

#include "core/branch_rules.h"

namespace caseflow {

std::string branch_id(std::string_view parent, std::string_view name, std::string_view value) {
  std::string id = parent.empty() ? std::string() : std::string(parent) + "/";
  id += name;
  if (!value.empty()) id += fmt::format("[{}]", value);
  return id;
}

std::string branch_rule(std::string_view branch, std::string_view rule) {
  return branch.empty() ? std::string(rule) : fmt::format("{}@{}", rule, branch);
}

const case_branch* case_state::find_branch(std::string_view id) const {
  for (const auto& b : branches)
    if (b.id == id) return &b;
  return nullptr;
}

const case_fork* case_state::find_fork(std::int64_t fork_seq) const {
  for (const auto& f : forks)
    if (f.seq == fork_seq) return &f;
  return nullptr;
}

std::optional<case_position> case_state::position(std::string_view branch) const {
  if (branch.empty()) return case_position{"", step, assignee, step_entered_at, reminders_sent};
  const case_branch* b = find_branch(branch);
  if (!b || !b->is_open()) return std::nullopt;
  return case_position{b->id, b->step, b->assignee, b->step_entered_at, b->reminders_sent};
}

std::vector<std::string> case_state::open_branches() const {
  std::vector<std::string> ids;
  for (const auto& b : branches)
    if (b.is_open()) ids.push_back(b.id);
  return ids;
}

position_choice choose_position(const procedure& p, const case_state& c, std::string_view action) {
  const auto has_action = [&](const std::string& step_id) {
    const step_def* step = p.find_step(step_id);
    return step && step->find_action(action);
  };
  if (has_action(c.step)) return {};
  std::vector<std::string> candidates;
  for (const auto& b : c.branches)
    if (b.is_open() && has_action(b.step)) candidates.push_back(b.id);
  if (candidates.size() <= 1) return {candidates.empty() ? "" : candidates.front(), std::nullopt};
  std::string names;
  for (const auto& id : candidates) names += fmt::format("{}{} (in {})", names.empty() ? "" : ", ", id, c.find_branch(id)->step);
  return {"", refusal{refusal_code::branch_ambiguous,
                      fmt::format("action '{}' is open in several branches of case {}: {}; name one with --branch", action,
                                  c.id, names)}};
}

namespace detail {

namespace {

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

case_branch* find_open(case_state& c, std::string_view id) {
  for (auto& b : c.branches)
    if (b.id == id && b.is_open()) return &b;
  return nullptr;
}

const nlohmann::json& member(const nlohmann::json& j, const char* key) {
  static const nlohmann::json none;
  if (!j.is_object()) return none;
  auto it = j.find(key);
  return it == j.end() ? none : *it;
}

std::string text(const nlohmann::json& j, const char* key) {
  const auto& v = member(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

branch_join join_from(const nlohmann::json& j) {
  const auto& n = member(j, "at_least");
  return branch_join{text(j, "mode").empty() ? "all" : text(j, "mode"), n.is_number_integer() ? n.get<int>() : 0,
                     text(j, "target")};
}

void open_branches(case_state& c, const event& e) {
  case_fork fork{e.seq, text(e.data, "fork"), e.branch, join_from(member(e.data, "join")), false};
  const auto& list = member(e.data, "branches");
  if (!list.is_array()) return;
  for (const auto& entry : list) {
    case_branch b;
    b.id = text(entry, "id");
    if (b.id.empty() || find_open(c, b.id)) continue;
    b.name = text(entry, "name");
    b.value = text(entry, "value");
    b.fork_seq = e.seq;
    b.fork = fork.step;
    b.parent = e.branch;
    b.step = text(entry, "step");
    b.end = text(entry, "end");
    b.step_entered_at = e.at;
    auto same = std::find_if(c.branches.begin(), c.branches.end(), [&](const case_branch& old) { return old.id == b.id; });
    if (same != c.branches.end()) *same = std::move(b);  // an earlier visit's closed record
    else c.branches.push_back(std::move(b));
  }
  c.forks.push_back(std::move(fork));
  std::erase_if(c.forks, [&](const case_fork& f) {
    return std::none_of(c.branches.begin(), c.branches.end(), [&](const case_branch& b) { return b.fork_seq == f.seq; });
  });
}

// `id` and the open branches opened inside it, at any depth.
void cancel(case_state& c, const std::string& id) {
  std::vector<std::string> pending{id};
  while (!pending.empty()) {
    const std::string next = pending.back();
    pending.pop_back();
    for (auto& b : c.branches)
      if (b.is_open() && (b.id == next || b.parent == next)) {
        b.status = "cancelled";
        if (b.id != next) pending.push_back(b.id);
      }
  }
}

}  // namespace

std::optional<position_ref> open_position(case_state& c, std::string_view branch) {
  if (branch.empty())
    return position_ref{&c.step, &c.assignee, &c.step_entered_at, &c.reminders_sent, &c.performers};
  case_branch* b = find_open(c, branch);
  if (!b) return std::nullopt;
  return position_ref{&b->step, &b->assignee, &b->step_entered_at, &b->reminders_sent, &b->performers};
}

void apply_branch_event(case_state& c, const event& e) {
  if (e.kind == event_kind::branches_opened) {
    open_branches(c, e);
  } else if (e.kind == event_kind::branch_finished && !e.branch.empty()) {
    if (case_branch* b = find_open(c, e.branch)) b->status = "finished";
  } else if (e.kind == event_kind::branch_cancelled && !e.branch.empty()) {
    cancel(c, e.branch);
  } else if (e.kind == event_kind::branches_joined && member(e.data, "fork_seq").is_number_integer()) {
    for (auto& f : c.forks)
      if (f.seq == member(e.data, "fork_seq").get<std::int64_t>()) f.joined = true;
  }
}

std::optional<refusal> check_branch_open(const case_state& c, std::string_view branch) {
  const case_branch* b = c.find_branch(branch);
  if (b && b->is_open()) return std::nullopt;
  const auto open = c.open_branches();
  const std::string choices = open.empty() ? "it has no open branch" : "open branches: " + join_list(open);
  std::string why = fmt::format("case {} has no branch '{}'{}", c.id, branch, did_you_mean(branch, open));
  if (b && b->status == "finished") why = fmt::format("branch '{}' of case {} has finished (in step '{}')", branch, c.id, b->step);
  if (b && b->status == "cancelled") why = fmt::format("branch '{}' of case {} was cancelled", branch, c.id);
  return refusal{refusal_code::branch_not_open, fmt::format("{} ({})", why, choices)};
}

case_state branch_view(const case_state& c, std::string_view branch) {
  case_state view = c;
  std::vector<const case_branch*> chain;  // the branch, then its ancestors
  for (const case_branch* b = c.find_branch(branch); b; b = b->parent.empty() ? nullptr : c.find_branch(b->parent))
    chain.push_back(b);
  const case_branch& b = *chain.front();
  view.step = b.step;
  view.assignee = b.assignee;
  view.step_entered_at = b.step_entered_at;
  view.reminders_sent = b.reminders_sent;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    for (const auto& [step, actors] : (*it)->performers)
      view.performers[step].insert(view.performers[step].end(), actors.begin(), actors.end());
  view.subcases.clear();
  return view;
}

std::optional<refusal> check_open_branches(const case_state& c, std::string_view branch, const step_def& step,
                                           const action_def& action) {
  if (action.to == step.id || (step.fork && step.fork->cancel_on_leave)) return std::nullopt;
  std::vector<std::string> open;
  for (const auto& b : c.branches)
    if (b.is_open() && b.parent == branch) open.push_back(fmt::format("{} (in {})", b.id, b.step));
  if (open.empty()) return std::nullopt;
  return refusal{refusal_code::guard_failed,
                 fmt::format("action '{}' cannot leave step '{}' of case {} while the branches it opened are open: {}",
                             action.id, step.id, c.id, join_list(open))};
}

std::vector<std::string> performers_of(const case_state& c, std::string_view step) {
  std::vector<std::string> actors;
  auto add = [&](const auto& performers) {
    if (auto it = performers.find(step); it != performers.end()) actors.insert(actors.end(), it->second.begin(), it->second.end());
  };
  add(c.performers);
  for (const auto& b : c.branches) add(b.performers);
  return actors;
}

bool join_ready(const case_state& c, const case_fork& fork) {
  int total = 0, finished = 0, cancelled = 0;
  for (const auto& b : c.branches)
    if (b.fork_seq == fork.seq) {
      ++total;
      finished += b.status == "finished";
      cancelled += b.status == "cancelled";
    }
  const int remaining = total - cancelled;
  const int needed = fork.join.mode == "any" ? 1 : fork.join.mode == "at_least" ? std::min(fork.join.at_least, remaining)
                                                                                : remaining;
  return needed >= 1 && finished >= needed;
}

const case_fork* open_fork(const case_state& c, std::string_view parent) {
  for (auto it = c.forks.rbegin(); it != c.forks.rend(); ++it)
    if (!it->joined && it->parent == parent) return &*it;
  return nullptr;
}

decision with_branch_effects(const procedure& p, const case_state& before, std::string_view branch, decision decided) {
  if (!decided || decided.events.empty()) return decided;
  case_state after = before;
  for (auto& e : decided.events) {
    e.branch = branch;
    after = apply(p, std::move(after), e);
  }
  const instant at = decided.events.back().at;
  auto add = [&](event e) {
    after = apply(p, std::move(after), e);
    decided.events.push_back(std::move(e));
  };
  for (std::string id(branch); !id.empty();) {
    const case_branch* b = after.find_branch(id);
    if (!b || !b->is_open() || b->step != b->end) break;
    event finished = system_event(p, after, event_kind::branch_finished, at, id);
    finished.data = {{"fork", b->fork}};
    const std::int64_t fork_seq = b->fork_seq;
    add(std::move(finished));
    const case_fork* f = after.find_fork(fork_seq);
    if (!f || f->joined || !join_ready(after, *f)) break;
    const case_fork fork = *f;
    std::vector<std::string> done;
    for (const auto& sibling : std::vector<case_branch>(after.branches))
      if (sibling.fork_seq == fork.seq && sibling.is_open()) {
        event cancelled = system_event(p, after, event_kind::branch_cancelled, at, sibling.id);
        cancelled.data = {{"reason", "joined"}, {"fork", fork.step}};
        add(std::move(cancelled));
      } else if (sibling.fork_seq == fork.seq && sibling.status == "finished") {
        done.push_back(sibling.id);
      }
    event joined = system_event(p, after, event_kind::branches_joined, at, fork.parent);
    joined.to_step = fork.join.target;
    joined.data = {{"fork", fork.step}, {"fork_seq", fork.seq}, {"finished", done}};
    add(std::move(joined));
    id = fork.parent;
  }
  return decided;
}

std::optional<event> fork_opening(const procedure& p, const case_state& c, std::string_view branch, instant at) {
  const auto position = c.position(branch);
  const step_def* step = position ? p.find_step(position->step) : nullptr;
  if (!step || !step->fork) return std::nullopt;
  for (const auto& f : c.forks)
    if (f.parent == branch && f.step == step->id && !f.joined &&
        std::any_of(c.branches.begin(), c.branches.end(),
                    [&](const case_branch& b) { return b.fork_seq == f.seq && b.is_open(); }))
      return std::nullopt;
  const fork_def& fork = *step->fork;
  nlohmann::json branches = nlohmann::json::array();
  for (const auto& b : fork.branches)
    branches.push_back({{"id", branch_id(branch, b.name)}, {"name", b.name}, {"value", ""}, {"step", b.from},
                        {"end", b.until}});
  event e = system_event(p, c, event_kind::branches_opened, at, branch);
  e.data = {{"fork", step->id},
            {"join", {{"mode", fork.join.mode}, {"at_least", fork.join.at_least}, {"target", fork.join.target}}},
            {"branches", std::move(branches)}};
  return e;
}

decision with_fork_effects(const procedure& p, const case_state& before, decision decided) {
  // Without a fork step nothing can open or be left: the fold below stays off that path.
  const bool forks = std::any_of(p.steps.begin(), p.steps.end(), [](const step_def& s) { return s.fork.has_value(); });
  if (!forks || !decided || decided.events.empty()) return decided;
  case_state after = before;
  for (const auto& e : decided.events) after = apply(p, std::move(after), e);
  const instant at = decided.events.back().at;
  auto add = [&](event e) {
    after = apply(p, std::move(after), e);
    decided.events.push_back(std::move(e));
  };
  // Each pass adds one event; forks nest at most k_max_fork_depth deep and a cancel closes
  // a branch for good, so the passes end.
  for (bool added = true; added;) {
    added = false;
    for (const auto& b : after.branches) {
      const auto parent = after.position(b.parent);
      if (!b.is_open() || !parent || parent->step == b.fork) continue;
      event cancelled = system_event(p, after, event_kind::branch_cancelled, at, b.id);
      cancelled.data = {{"reason", "left"}, {"fork", b.fork}};
      add(std::move(cancelled));
      added = true;
      break;
    }
    if (added) continue;
    std::vector<std::string> positions{""};
    for (const auto& id : after.open_branches()) positions.push_back(id);
    for (const auto& id : positions)
      if (auto opening = fork_opening(p, after, id, at)) {
        add(std::move(*opening));
        added = true;
        break;
      }
  }
  return decided;
}

void add_branches_json(const case_state& c, nlohmann::json* j) {
  for (const auto& f : c.forks)
    (*j)["forks"].push_back({{"seq", f.seq},
                             {"step", f.step},
                             {"parent", f.parent},
                             {"join", {{"mode", f.join.mode}, {"at_least", f.join.at_least}, {"target", f.join.target}}},
                             {"joined", f.joined}});
  for (const auto& b : c.branches)
    (*j)["branches"].push_back({{"id", b.id},
                                {"name", b.name},
                                {"value", b.value},
                                {"fork_seq", b.fork_seq},
                                {"fork", b.fork},
                                {"parent", b.parent},
                                {"step", b.step},
                                {"end", b.end},
                                {"assignee", b.assignee},
                                {"step_entered_at", b.step_entered_at.seconds},
                                {"reminders_sent", b.reminders_sent},
                                {"performers", b.performers},
                                {"status", b.status}});
}

void read_branches_json(const nlohmann::json& j, case_state* c) {
  for (const auto& f : j.value("forks", nlohmann::json::array()))
    c->forks.push_back({f.value("seq", std::int64_t{0}), f.value("step", ""), f.value("parent", ""),
                        join_from(f.value("join", nlohmann::json::object())), f.value("joined", false)});
  for (const auto& b : j.value("branches", nlohmann::json::array())) {
    case_branch branch;
    branch.id = b.value("id", "");
    branch.name = b.value("name", "");
    branch.value = b.value("value", "");
    branch.fork_seq = b.value("fork_seq", std::int64_t{0});
    branch.fork = b.value("fork", "");
    branch.parent = b.value("parent", "");
    branch.step = b.value("step", "");
    branch.end = b.value("end", "");
    branch.assignee = b.value("assignee", "");
    branch.step_entered_at = instant{b.value("step_entered_at", std::int64_t{0})};
    branch.reminders_sent = b.value("reminders_sent", std::vector<std::string>{});
    if (auto performers = b.find("performers"); performers != b.end() && performers->is_object())
      for (const auto& [step, actors] : performers->items()) branch.performers[step] = actors.get<std::vector<std::string>>();
    branch.status = b.value("status", "open");
    c->branches.push_back(std::move(branch));
  }
}

}  // namespace detail
}  // namespace caseflow
