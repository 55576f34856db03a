// Approval steps in the pure core: fixing the chain, signing it, segregation of duties.
// See approval_rules.h; the YAML format is described in caseflow/procedure.h.
#include <algorithm>

#include <fmt/format.h>

#include "core/approval_rules.h"
#include "core/branch_rules.h"

namespace caseflow {

int case_approval::next_level() const {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    std::vector<std::string> signed_roles;
    for (const auto& s : sign_offs)
      if (s.level == n && s.approved) signed_roles.push_back(s.role);
    const auto& roles = levels[i].roles;
    const bool done = levels[i].all ? std::all_of(roles.begin(), roles.end(), [&](const std::string& r) {
      return std::find(signed_roles.begin(), signed_roles.end(), r) != signed_roles.end();
    }) : !signed_roles.empty();
    if (!done) return n;
  }
  return static_cast<int>(levels.size()) + 1;
}

std::vector<std::string> case_approval::pending_roles() const {
  const int n = next_level();
  if (n > static_cast<int>(levels.size())) return {};
  std::vector<std::string> roles;
  for (const auto& role : levels[n - 1].roles) {
    const bool signed_it = std::any_of(sign_offs.begin(), sign_offs.end(), [&](const sign_off& s) {
      return s.level == n && s.approved && s.role == role;
    });
    if (!signed_it) roles.push_back(role);
  }
  return roles;
}

std::optional<std::size_t> approval_def::tier_for(const field_values& fields, money amount) const {
  for (std::size_t i = 0; i < tiers.size(); ++i)
    if (tiers[i].covers(amount) && (!tiers[i].when || tiers[i].when->evaluate(fields))) return i;
  return std::nullopt;
}

namespace detail {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

refusal refuse(refusal_code code, std::string message) { return refusal{code, std::move(message)}; }

// "level 1 (wang.fang as cs_manager), level 2 (...)": who has signed so far.
std::string signed_so_far(const case_approval& a) {
  std::vector<std::string> parts;
  for (const auto& s : a.sign_offs)
    if (s.approved)
      parts.push_back(fmt::format("{} already approved level {} as {}{}", s.actor, s.level, s.role,
                                  s.on_behalf_of.empty() ? "" : " for " + s.on_behalf_of));
  return parts.empty() ? "" : "; " + join(parts, "; ");
}

nlohmann::json levels_to_json(const std::vector<case_approval::level>& levels) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& l : levels) list.push_back({{"mode", l.all ? "all" : "any"}, {"roles", l.roles}});
  return list;
}

std::vector<case_approval::level> levels_from_json(const nlohmann::json& j) {
  std::vector<case_approval::level> levels;
  if (!j.is_array()) return levels;
  for (const auto& l : j) levels.push_back({l.value("mode", "any") == "all", l.value("roles", std::vector<std::string>{})});
  return levels;
}

money money_from_json(const nlohmann::json& j) {
  auto v = value_from_json(field_type::money, j);
  return v ? std::get<money>(*v) : money{};
}

// Why no tier applies: each distinct condition with the values it saw.
std::string no_tier_message(const step_def& step, const field_values& fields, money amount) {
  std::vector<std::string> conditions;
  for (const auto& tier : step.approval->tiers)
    if (tier.when) {
      auto text = fmt::format("`{}` ({})", tier.when->source(), tier.when->explain(fields));
      if (std::find(conditions.begin(), conditions.end(), text) == conditions.end()) conditions.push_back(text);
    }
  return fmt::format("no approval tier of step '{}' applies to {} {}{}", step.id, step.approval->amount_field,
                     format_value(amount), conditions.empty() ? "" : "; conditions: " + join(conditions, ", "));
}

}  // namespace

bool is_implicit_approval_action(const step_def& step, const action_def& action) {
  return step.approval && (action.id == "approve" || action.id == "reject");
}

approver_check check_approver(const procedure& p, const organisation& org, const case_state& c, std::string_view actor,
                              const moment& at) {
  const step_def* step = p.find_step(c.step);
  const auto& a = c.approval;
  if (!step || !step->approval || !a || a->step != c.step || a->status != "pending")
    return {std::nullopt, refuse(refusal_code::unknown_action,
                                 fmt::format("case {} has no approval pending in step '{}'", c.id, c.step))};
  const int level = a->next_level();
  const auto roles = a->pending_roles();
  auto who = org.authority_for(actor, roles, at.today);
  if (!who)
    return {std::nullopt,
            refuse(refusal_code::not_permitted,
                   fmt::format("{} may not approve case {} now: waiting for level {} of {}: {}{}", actor, c.id, level,
                               a->levels.size(), join(roles, a->levels[level - 1].all ? " and " : " or "),
                               signed_so_far(*a)))};
  for (const auto& s : step->approval->not_by) {
    const std::vector<std::string> acted = performers_of(c, s);
    for (const std::string& person : {std::string(actor), who->on_behalf_of})
      if (!person.empty() && std::find(acted.begin(), acted.end(), person) != acted.end())
        return {std::nullopt,
                refuse(refusal_code::not_permitted,
                       fmt::format("{} may not approve case {}: {} acted in step '{}' (segregation of duties: not_by {})",
                                   actor, c.id, person == actor ? "they" : person + ", for whom they act,", s, s))};
  }
  for (const auto& s : a->sign_offs)
    if (s.approved && (s.actor == actor || (!who->on_behalf_of.empty() && s.on_behalf_of == who->on_behalf_of) ||
                       s.actor == who->on_behalf_of))
      return {std::nullopt,
              refuse(refusal_code::not_permitted,
                     fmt::format("{} may not approve case {} again: level {} was approved by {}{}; each level needs "
                                 "another person (segregation of duties)",
                                 actor, c.id, s.level, s.actor, s.on_behalf_of.empty() ? "" : " for " + s.on_behalf_of))};
  return {who, std::nullopt};
}

decision decide_approval(const procedure& p, const organisation& org, const case_state& c, const command& cmd,
                         const moment& at) {
  const bool approving = cmd.action == "approve";
  if (cmd.automatic)
    return {{}, refuse(refusal_code::not_permitted, fmt::format("'{}' on case {} needs a person; it cannot be automatic",
                                                                cmd.action, c.id))};
  if (!cmd.sets.empty())
    return {{}, refuse(refusal_code::invalid_value,
                       fmt::format("'{}' sets no fields; change the amount with the step's own action instead", cmd.action))};
  auto checked = check_approver(p, org, c, cmd.actor, at);
  if (checked.refused) return {{}, checked.refused};
  if (!approving && cmd.comment.empty())
    return {{}, refuse(refusal_code::comment_required, "a rejection needs a comment: give --comment \"…\"")};
  const approval_def& def = *p.find_step(c.step)->approval;
  const int level = c.approval->next_level();
  case_approval after = *c.approval;
  after.sign_offs.push_back({level, cmd.actor, checked.who->role, checked.who->on_behalf_of, at.now, 0, approving, ""});
  event e;
  e.case_id = c.id;
  e.seq = c.seq + 1;
  e.at = at.now;
  e.actor = cmd.actor;
  e.role = checked.who->role;
  e.on_behalf_of = checked.who->on_behalf_of;
  e.kind = event_kind::action_taken;
  e.action = cmd.action;
  e.from_step = c.step;
  e.to_step = !approving ? def.rejected : after.complete() ? def.approved : c.step;
  e.comment = cmd.comment;
  e.definition_hash = p.hash;
  e.data["approval"] = {{"level", level}, {"of", after.levels.size()}, {"role", checked.who->role}};
  return {{std::move(e)}, std::nullopt};
}

decision with_approval_chain(const procedure& p, const case_state& before, decision decided) {
  if (!decided || decided.events.empty()) return decided;
  case_state after = before;
  for (const auto& e : decided.events) after = apply(p, std::move(after), e);
  const step_def* step = p.find_step(after.step);
  if (!step || !step->approval) return decided;
  const approval_def& def = *step->approval;
  const bool entering = before.step != after.step || !before.exists();
  auto amount_it = after.fields.find(def.amount_field);
  if (amount_it == after.fields.end() || is_null(amount_it->second))
    return {{}, refuse(refusal_code::missing_value,
                       fmt::format("step '{}' needs {} to pick its approval tier: give --set {}=…", step->id,
                                   def.amount_field, def.amount_field))};
  const money amount = std::get<money>(amount_it->second);
  auto tier = def.tier_for(after.fields, amount);
  if (!tier) return {{}, refuse(refusal_code::invalid_value, no_tier_message(*step, after.fields, amount))};
  const auto& current = after.approval;
  const bool same = current && current->step == step->id && current->status == "pending" &&
                    current->amount == amount && current->tier == static_cast<int>(*tier) + 1;
  if (!entering && same) return decided;
  const instant at = decided.events.back().at;
  std::string reason = "entered";
  if (!entering && current && current->step == step->id) {
    reason = fmt::format("{} changed from {} to {}", def.amount_field, format_value(current->amount), format_value(amount));
    if (current->amount == amount) reason = fmt::format("tier changed from {} to {}", current->tier, *tier + 1);
    if (!current->sign_offs.empty()) {
      event voided = system_event(p, after, event_kind::approvals_voided, at);
      nlohmann::json list = nlohmann::json::array();
      for (const auto& s : current->sign_offs) list.push_back({{"level", s.level}, {"actor", s.actor}, {"role", s.role}});
      voided.data = {{"step", step->id}, {"voided", list}, {"reason", reason}};
      after = apply(p, std::move(after), voided);
      decided.events.push_back(std::move(voided));
    }
  }
  event fixed = system_event(p, after, event_kind::approval_chain_fixed, at);
  std::vector<case_approval::level> levels;
  for (const auto& l : def.tiers[*tier].chain) levels.push_back({l.all, l.roles});
  fixed.data = {{"step", step->id},
                {"from_step", entering ? before.step : current->from_step},
                {"tier", *tier + 1},
                {"amount", to_json(amount)},
                {"levels", levels_to_json(levels)},
                {"reason", reason}};
  decided.events.push_back(std::move(fixed));
  return decided;
}

void apply_approval(case_state& c, const event& e) {
  if (e.kind == event_kind::approval_chain_fixed) {
    case_approval a;
    a.step = e.data.value("step", "");
    a.from_step = e.data.value("from_step", "");
    a.tier = e.data.value("tier", 0);
    a.amount = money_from_json(e.data.value("amount", nlohmann::json()));
    a.levels = levels_from_json(e.data.value("levels", nlohmann::json::array()));
    a.fixed_seq = e.seq;
    c.approval = std::move(a);
    return;
  }
  if (!c.approval || c.approval->status != "pending") return;
  case_approval& a = *c.approval;
  if (e.kind == event_kind::approvals_voided) {
    a.sign_offs.clear();
    return;
  }
  if (e.kind == event_kind::action_taken && e.from_step == a.step && e.data.contains("approval")) {
    const bool approved = e.action == "approve";
    a.sign_offs.push_back({e.data["approval"].value("level", 0), e.actor, e.role, e.on_behalf_of, e.at, e.seq, approved,
                           e.comment});
    if (!approved) a.status = "rejected";
    else if (a.complete()) a.status = "approved";
    return;
  }
  if (!e.to_step.empty() && e.to_step != a.step && c.step == a.step) a.status = "withdrawn";
}

nlohmann::json approval_to_json(const case_approval& a) {
  nlohmann::json sign_offs = nlohmann::json::array();
  for (const auto& s : a.sign_offs)
    sign_offs.push_back({{"level", s.level}, {"actor", s.actor}, {"role", s.role}, {"on_behalf_of", s.on_behalf_of},
                         {"at", s.at.seconds}, {"seq", s.seq}, {"approved", s.approved}, {"comment", s.comment}});
  return {{"step", a.step},         {"from_step", a.from_step}, {"tier", a.tier},
          {"amount", to_json(a.amount)}, {"levels", levels_to_json(a.levels)}, {"sign_offs", sign_offs},
          {"status", a.status},     {"fixed_seq", a.fixed_seq}};
}

case_approval approval_from_json(const nlohmann::json& j) {
  case_approval a;
  a.step = j.value("step", "");
  a.from_step = j.value("from_step", "");
  a.tier = j.value("tier", 0);
  a.amount = money_from_json(j.value("amount", nlohmann::json()));
  a.levels = levels_from_json(j.value("levels", nlohmann::json::array()));
  for (const auto& s : j.value("sign_offs", nlohmann::json::array()))
    a.sign_offs.push_back({s.value("level", 0), s.value("actor", ""), s.value("role", ""), s.value("on_behalf_of", ""),
                           instant{s.value("at", std::int64_t{0})}, s.value("seq", std::int64_t{0}),
                           s.value("approved", true), s.value("comment", "")});
  a.status = j.value("status", "pending");
  a.fixed_seq = j.value("fixed_seq", std::int64_t{0});
  return a;
}

}  // namespace detail
}  // namespace caseflow
