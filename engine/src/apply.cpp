// apply(): folds one event into a case; and the case state's JSON form.
#include "caseflow/core.h"

namespace caseflow {

nlohmann::json fields_to_json(const field_values& fields) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, v] : fields) j[name] = to_json(v);
  return j;
}

field_values fields_from_json(const procedure& p, const nlohmann::json& j) {
  field_values fields;
  if (!j.is_object()) return fields;
  for (const auto& [name, raw] : j.items()) {
    const field_def* field = p.find_field(name);
    if (!field) continue;
    if (auto v = value_from_json(field->type, raw)) fields[name] = std::move(*v);
  }
  return fields;
}

case_state apply(const procedure& p, case_state c, const event& e) {
  c.seq = e.seq;
  c.updated_at = e.at;
  if (e.kind == event_kind::case_started) {
    c.id = e.case_id;
    c.procedure = p.id;
    c.definition_hash = e.definition_hash;
    c.opened_at = e.at;
  }
  if (auto fields = e.data.find("fields"); fields != e.data.end())
    for (auto& [name, v] : fields_from_json(p, *fields)) c.fields[name] = std::move(v);
  if (e.kind == event_kind::assigned) c.assignee = e.data.value("assignee", "");
  if (e.kind == event_kind::action_taken) c.performers[e.from_step].push_back(e.actor);
  if (!e.to_step.empty() && e.to_step != c.step) {
    c.step = e.to_step;
    c.step_entered_at = e.at;
    const step_def* step = p.find_step(c.step);
    c.open = step ? step->is_open() : true;
  }
  return c;
}

nlohmann::json state_to_json(const case_state& c) {
  return {{"id", c.id},
          {"procedure", c.procedure},
          {"definition_hash", c.definition_hash},
          {"step", c.step},
          {"assignee", c.assignee},
          {"fields", fields_to_json(c.fields)},
          {"seq", c.seq},
          {"opened_at", c.opened_at.seconds},
          {"updated_at", c.updated_at.seconds},
          {"step_entered_at", c.step_entered_at.seconds},
          {"open", c.open},
          {"performers", c.performers}};
}

case_state state_from_json(const procedure& p, const nlohmann::json& j) {
  case_state c;
  c.id = j.value("id", "");
  c.procedure = j.value("procedure", "");
  c.definition_hash = j.value("definition_hash", "");
  c.step = j.value("step", "");
  c.assignee = j.value("assignee", "");
  c.fields = fields_from_json(p, j.value("fields", nlohmann::json::object()));
  c.seq = j.value("seq", std::int64_t{0});
  c.opened_at = instant{j.value("opened_at", std::int64_t{0})};
  c.updated_at = instant{j.value("updated_at", std::int64_t{0})};
  c.step_entered_at = instant{j.value("step_entered_at", std::int64_t{0})};
  c.open = j.value("open", true);
  if (auto performers = j.find("performers"); performers != j.end() && performers->is_object())
    for (const auto& [step, actors] : performers->items()) c.performers[step] = actors.get<std::vector<std::string>>();
  return c;
}

}  // namespace caseflow
