// check_approvals(): every approval in a case's log against the chain fixed for it.
// See caseflow/approvals.h for what is checked.
#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "caseflow/approvals.h"
#include "caseflow/core.h"

namespace caseflow {

namespace {

using reporter = std::function<void(std::string)>;

std::string levels_text(const nlohmann::json& levels) { return levels.dump(); }

nlohmann::json levels_json(const approval_tier& tier) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& l : tier.chain) list.push_back({{"mode", l.all ? "all" : "any"}, {"roles", l.roles}});
  return list;
}

// The chain recorded at `e` is the one the definition gives for the case's fields `c`.
void check_fixed(const procedure& p, const case_state& c, const event& e, const reporter& report) {
  const std::string step_id = e.data.value("step", "");
  const step_def* step = p.find_step(step_id);
  if (!step || !step->approval) {
    report(fmt::format("an approval chain was fixed for step '{}', which is not an approval step", step_id));
    return;
  }
  const approval_def& def = *step->approval;
  auto amount = c.fields.find(def.amount_field);
  if (amount == c.fields.end() || !std::holds_alternative<money>(amount->second)) {
    report(fmt::format("an approval chain was fixed for step '{}' while {} had no value", step_id, def.amount_field));
    return;
  }
  const money value = std::get<money>(amount->second);
  if (e.data.value("amount", nlohmann::json()) != to_json(value))
    report(fmt::format("the chain of step '{}' was fixed for {} {} but the case held {}", step_id, def.amount_field,
                       e.data.value("amount", nlohmann::json()).dump(), format_value(value)));
  auto tier = def.tier_for(c.fields, value);
  if (!tier) {
    report(fmt::format("no tier of step '{}' applies to {} {}, yet a chain was fixed", step_id, def.amount_field,
                       format_value(value)));
    return;
  }
  const nlohmann::json expected = levels_json(def.tiers[*tier]);
  if (e.data.value("tier", 0) != static_cast<int>(*tier) + 1 || e.data.value("levels", nlohmann::json()) != expected)
    report(fmt::format("the chain of step '{}' was fixed as tier {} {} but the definition gives tier {} {} for {} {}",
                       step_id, e.data.value("tier", 0), levels_text(e.data.value("levels", nlohmann::json())), *tier + 1,
                       levels_text(expected), def.amount_field, format_value(value)));
}

// An approve or reject at `e` fits the chain pending in `c`.
void check_sign_off(const approval_def& def, const case_state& c, const event& e, const reporter& report) {
  const auto& a = c.approval;
  if (!a || a->step != c.step || a->status != "pending") {
    report(fmt::format("{} took '{}' in step '{}' with no approval chain pending", e.actor, e.action, c.step));
    return;
  }
  const bool approving = e.action == "approve";
  const int level = a->next_level();
  const auto pending = a->pending_roles();
  if (!e.data.contains("approval") || e.data["approval"].value("level", 0) != level)
    report(fmt::format("{} signed as level {} but level {} was pending", e.actor,
                       e.data.contains("approval") ? e.data["approval"].value("level", 0) : 0, level));
  if (std::find(pending.begin(), pending.end(), e.role) == pending.end()) {
    std::string roles;
    for (const auto& r : pending) roles += (roles.empty() ? "" : ", ") + r;
    report(fmt::format("{} signed in role '{}' but level {} needed {}", e.actor, e.role, level, roles));
  }
  for (const auto& s : a->sign_offs)
    if (s.approved && (s.actor == e.actor || (!e.on_behalf_of.empty() && s.on_behalf_of == e.on_behalf_of)))
      report(fmt::format("{} signed the chain twice (level {} at event {}, and here)", e.actor, s.level, s.seq));
  for (const auto& step : def.not_by) {
    auto it = c.performers.find(step);
    if (it == c.performers.end()) continue;
    for (const auto& person : {e.actor, e.on_behalf_of})
      if (!person.empty() && std::find(it->second.begin(), it->second.end(), person) != it->second.end())
        report(fmt::format("{} approved though {} acted in step '{}' (segregation of duties: not_by {})", e.actor,
                           person == e.actor ? "they" : person, step, step));
  }
  case_approval after = *a;
  after.sign_offs.push_back({level, e.actor, e.role, e.on_behalf_of, e.at, e.seq, true, ""});
  const std::string expected = !approving ? def.rejected : after.complete() ? def.approved : c.step;
  const std::string actual = e.to_step.empty() ? c.step : e.to_step;
  if (actual != expected)
    report(fmt::format("'{}' at level {} led to step '{}' but the chain leads to '{}'", e.action, level, actual, expected));
}

}  // namespace

std::vector<finding> check_approvals(const procedure& p, const std::vector<event>& events) {
  std::vector<finding> out;
  case_state c;
  for (const auto& e : events) {
    const reporter report = [&](std::string message) { out.push_back({e.case_id, e.seq, "approval", std::move(message)}); };
    const step_def* step = p.find_step(c.step);
    const bool in_approval = step && step->approval && e.from_step == step->id;
    if (e.kind == event_kind::approval_chain_fixed)
      check_fixed(p, c, e, report);
    else if (in_approval && e.kind == event_kind::action_taken && (e.action == "approve" || e.action == "reject"))
      check_sign_off(*step->approval, c, e, report);
    else if (in_approval && e.to_step == step->approval->approved && e.to_step != step->id)
      report(fmt::format("'{}' took the case from approval step '{}' to '{}' without the chain's approvals", e.action.empty() ? e.kind : e.action,
                         step->id, e.to_step));
    c = apply(p, std::move(c), e);
  }
  return out;
}

}  // namespace caseflow
