#include "caseflow/procedure.h"

#include <algorithm>

#include <fmt/format.h>

namespace caseflow {

namespace {
template <typename T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

std::string display_name::preferred(std::string_view fallback) const {
  if (!zh.empty()) return zh;
  if (!en.empty()) return en;
  return std::string(fallback);
}

const action_def* step_def::find_action(std::string_view action_id) const { return find_by_id(actions, action_id); }
void procedure::index_steps() {
  step_positions.clear();
  for (std::size_t i = 0; i < steps.size(); ++i) step_positions.emplace(steps[i].id, i);
}

const step_def* procedure::find_step(std::string_view step_id) const {
  if (const auto it = step_positions.find(std::string(step_id));
      it != step_positions.end() && it->second < steps.size() && steps[it->second].id == step_id)
    return &steps[it->second];
  return find_by_id(steps, step_id);
}

procedure::timer_rule procedure::find_timer_rule(std::string_view kind, std::string_view rule) const {
  if (kind == "escalation")
    for (const auto& e : escalations)
      if (e.id == rule) return {&e.effects, fmt::format("escalation '{}'", e.id)};
  rule = rule.substr(0, rule.find('@'));  // a branch's rule: `<rule>@<branch>` (branch_rule())
  const auto dot = rule.find('.');
  const step_def* step = dot == std::string_view::npos ? nullptr : find_step(rule.substr(0, dot));
  if (!step) return {};
  const std::string_view id = rule.substr(dot + 1);
  if (kind == "limit")
    for (const auto& limit : step->limits)
      if (limit.id == id) return {&limit.on_breach, fmt::format("limit '{}' of step '{}'", limit.id, step->id)};
  if (kind == "obligation")
    for (const auto& o : step->obligations)
      if (o.id == id) return {&o.on_breach, fmt::format("obligation '{}' of step '{}'", o.id, step->id)};
  return {};
}
const field_def* procedure::find_field(std::string_view field_id) const { return find_by_id(fields, field_id); }
const role_def* procedure::find_role(std::string_view role_id) const { return find_by_id(roles, role_id); }

field_signatures procedure::guard_names() const {
  field_signatures names;
  for (const auto& field : fields) names[field.id] = field_signature{field.type, field.values};
  names["actor"] = field_signature{field_type::text, {}};
  return names;
}

field_signatures procedure::limit_names() const {
  field_signatures names = guard_names();
  for (const char* name : {"received_in_working_hours", "received_on_working_day", "received_on_holiday"})
    names[name] = field_signature{field_type::boolean, {}};
  return names;
}

field_signatures procedure::action_guard_names() const {
  field_signatures names = guard_names();
  names["today"] = field_signature{field_type::date, {}};
  names["now"] = field_signature{field_type::datetime, {}};
  return names;
}

}  // namespace caseflow
