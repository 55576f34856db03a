// Reading and checking approval matrices. See approval_loader.h and caseflow/procedure.h.
#include "loader/approval_loader.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "core/approval_rules.h"

namespace caseflow::detail {

namespace {

constexpr std::int64_t k_no_limit = std::numeric_limits<std::int64_t>::max();

std::string yuan(std::int64_t fen) { return format_value(money{fen}); }

std::optional<money> read_money(yaml_reader& in, const YAML::Node& node, std::string_view text, std::string_view key) {
  std::string why;
  auto v = parse_value(field_type::money, text, &why);
  if (!v) {
    in.error(node, fmt::format("{}: {}", key, why));
    return std::nullopt;
  }
  return std::get<money>(*v);
}

// `up_to: 20000` or `up_to: 20000 inclusive`.
std::optional<money> read_up_to(yaml_reader& in, const YAML::Node& node) {
  auto text = in.scalar(node, "up_to");
  if (!text) return std::nullopt;
  std::string_view amount = *text;
  if (auto space = amount.find(' '); space != std::string_view::npos) {
    if (amount.substr(space + 1) != "inclusive") {
      in.error(node, fmt::format("up_to '{}': write `up_to: X` or `up_to: X inclusive` (<= X, 含), or `below: X` (< X)",
                                 *text));
      return std::nullopt;
    }
    amount = amount.substr(0, space);
  }
  return read_money(in, node, amount, "up_to");
}

std::optional<money> read_bound(yaml_reader& in, const YAML::Node& node, std::string_view key) {
  auto text = in.scalar(node, key);
  return text ? read_money(in, node, *text, key) : std::nullopt;
}

std::vector<approval_level_def> read_chain(yaml_reader& in, const YAML::Node& node, const procedure& p,
                                           std::string_view where) {
  std::vector<approval_level_def> chain;
  if (!node || !in.expect_sequence(node, fmt::format("the chain of {}", where))) return chain;
  for (const auto& item : node) {
    approval_level_def level;
    if (item.IsMap()) {
      in.check_keys(item, "a chain level", {"all", "any"});
      if (item.size() != 1) {
        in.error(item, "a chain level is a role, `{ all: [a, b] }` (countersign) or `{ any: [a, b] }`");
        continue;
      }
      level.all = static_cast<bool>(item["all"]);
      level.roles = in.scalar_list(level.all ? item["all"] : item["any"], level.all ? "all" : "any");
    } else {
      level.roles = in.scalar_list(item, "a chain level");
    }
    std::vector<std::string> role_ids;
    for (const auto& r : p.roles) role_ids.push_back(r.id);
    for (const auto& role : level.roles)
      if (!p.find_role(role)) in.error(item, fmt::format("{}: unknown role '{}'{}", where, role, did_you_mean(role, role_ids)));
    if (level.roles.empty()) in.error(item, fmt::format("{}: a chain level needs at least one role", where));
    chain.push_back(std::move(level));
  }
  if (chain.empty()) in.error(node, fmt::format("{}: the chain needs at least one level", where));
  return chain;
}

// A tier as a closed interval of fen, with where it was written.
struct span {
  std::size_t index;
  std::int64_t low;
  std::int64_t high;
  YAML::Node node;
};

// Tiers with the same condition text must cover [0, +inf) exactly once.
void check_coverage(yaml_reader& in, const std::string& step_id, const std::map<std::string, std::vector<span>>& groups) {
  for (auto [condition, spans] : groups) {
    const std::string group = fmt::format("tiers of '{}' ({})", step_id, condition.empty() ? "no condition" : "when " + condition);
    std::sort(spans.begin(), spans.end(), [](const span& a, const span& b) { return std::pair(a.low, a.high) < std::pair(b.low, b.high); });
    std::int64_t covered_to = -1;  // highest amount covered so far (fen)
    const span* widest = nullptr;  // the tier that covers covered_to
    for (const auto& s : spans) {
      if (covered_to != k_no_limit && s.low > covered_to + 1)
        in.error(s.node, fmt::format("{} leave a gap: amounts {} up to {} inclusive are not covered", group,
                                     covered_to < 0 ? std::string("from 0.00") : "above " + yuan(covered_to), yuan(s.low - 1)));
      else if (widest && s.low <= covered_to)
        in.error(s.node, fmt::format("{} overlap: {} is covered by tiers {} and {}", group, yuan(s.low),
                                     std::min(widest->index, s.index) + 1, std::max(widest->index, s.index) + 1));
      if (s.high > covered_to) covered_to = s.high, widest = &s;
    }
    if (widest && covered_to != k_no_limit)
      in.error(widest->node, fmt::format("{} leave a gap: amounts above {} are not covered", group, yuan(covered_to)));
  }
}

}  // namespace

void read_approval(yaml_reader& in, const YAML::Node& node, const procedure& p, step_def* step,
                   const condition_compiler& compile) {
  const std::string where = fmt::format("approval of step '{}'", step->id);
  if (!in.expect_map(node, where)) return;
  in.check_keys(node, where, {"amount", "tiers", "not_by", "approved", "rejected"});
  approval_def approval;
  for (const char* key : {"amount", "tiers", "approved", "rejected"})
    if (!node[key]) in.error(node, fmt::format("{} needs '{}:'", where, key));
  if (node["amount"]) {
    approval.amount_field = in.scalar(node["amount"], "amount").value_or("");
    const field_def* field = p.find_field(approval.amount_field);
    if (!field || field->type != field_type::money)
      in.error(node["amount"], fmt::format("{}: '{}' is not a money field", where, approval.amount_field));
  }
  if (node["approved"]) approval.approved = in.scalar(node["approved"], "approved").value_or("");
  if (node["rejected"]) approval.rejected = in.scalar(node["rejected"], "rejected").value_or("");
  if (node["not_by"]) approval.not_by = in.scalar_list(node["not_by"], "not_by");
  std::map<std::string, std::vector<span>> groups;
  if (node["tiers"] && in.expect_sequence(node["tiers"], fmt::format("tiers of {}", where))) {
    for (const auto& item : node["tiers"]) {
      const std::string tier_where = fmt::format("tier {} of step '{}'", approval.tiers.size() + 1, step->id);
      if (!in.expect_map(item, tier_where)) continue;
      in.check_keys(item, tier_where, {"when", "above", "from", "up_to", "below", "chain"});
      approval_tier tier;
      if (item["when"]) tier.when = compile(item["when"], fmt::format("condition of {}", tier_where));
      if (item["above"] && item["from"]) in.error(item, fmt::format("{}: give 'above:' (>) or 'from:' (>=), not both", tier_where));
      if (item["up_to"] && item["below"]) in.error(item, fmt::format("{}: give 'up_to:' (<=) or 'below:' (<), not both", tier_where));
      if (item["above"])
        if (auto m = read_bound(in, item["above"], "above")) tier.low = money{m->fen + 1};
      if (item["from"]) tier.low = read_bound(in, item["from"], "from");
      if (item["up_to"]) tier.high = read_up_to(in, item["up_to"]);
      if (item["below"])
        if (auto m = read_bound(in, item["below"], "below")) tier.high = money{m->fen - 1};
      if (tier.low && tier.high && *tier.high < *tier.low)
        in.error(item, fmt::format("{} covers no amount: its lower bound is above its upper bound", tier_where));
      tier.chain = read_chain(in, item["chain"], p, tier_where);
      const std::string condition = item["when"] && item["when"].IsScalar() ? item["when"].Scalar() : "";
      groups[condition].push_back(span{approval.tiers.size(), tier.low ? tier.low->fen : 0,
                                       tier.high ? tier.high->fen : k_no_limit, item});
      approval.tiers.push_back(std::move(tier));
    }
  }
  check_coverage(in, step->id, groups);
  for (const char* id : {"approve", "reject"})
    if (step->find_action(id))
      in.error(node, fmt::format("step '{}' is an approval step: its '{}' action is implicit; remove it from actions", step->id, id));
  std::vector<std::string> roles;
  for (const auto& tier : approval.tiers)
    for (const auto& level : tier.chain)
      for (const auto& role : level.roles)
        if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
  action_def approve{"approve", {"批准", "Approve"}, approval.approved, roles, std::nullopt, {}, {}, false, {}, std::nullopt};
  action_def reject{"reject", {"驳回", "Reject"}, approval.rejected, roles, std::nullopt, {}, {}, true, {}, std::nullopt};
  step->actions.push_back(std::move(approve));
  step->actions.push_back(std::move(reject));
  step->approval = std::move(approval);
}

void check_approval_steps(yaml_reader& in, const YAML::Node& node, const procedure& p, const step_def& step) {
  std::vector<std::string> step_ids;
  for (const auto& s : p.steps) step_ids.push_back(s.id);
  auto check = [&](const std::string& target, const char* key) {
    if (!target.empty() && !p.find_step(target))
      in.error(node[key], fmt::format("approval of step '{}': {} leads to undefined step '{}'{}", step.id, key, target,
                                      did_you_mean(target, step_ids)));
  };
  check(step.approval->approved, "approved");
  check(step.approval->rejected, "rejected");
  for (const auto& s : step.approval->not_by)
    if (!p.find_step(s))
      in.error(node["not_by"], fmt::format("approval of step '{}': not_by names undefined step '{}'{}", step.id, s,
                                           did_you_mean(s, step_ids)));
}

}  // namespace caseflow::detail
