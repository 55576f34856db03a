// apply(): folds one event into a case; and the case state's JSON form.
#include <algorithm>

#include "core/approval_rules.h"
#include "core/branch_rules.h"
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

const case_deadline* case_state::find_deadline(std::string_view rule) const {
  for (const auto& d : deadlines)
    if (d.rule == rule) return &d;
  return nullptr;
}

namespace {

case_deadline deadline_from(const event& e) {
  return case_deadline{e.data.value("rule", ""), e.data.value("kind", ""),
                       parse_instant(e.data.value("due", "")).value_or(instant{}), e.data.value("provisional", false),
                       e.data.value("calendar_version", ""), false, e.branch, std::nullopt,
                       parse_instant(e.data.value("window_start", "")), parse_instant(e.data.value("met_at", ""))};
}

// An action that meets an obligation of its step marks the occurrence owed (timers.h).
void note_obligation_action(const procedure& p, case_state& c, const event& e) {
  const step_def* step = p.find_step(e.from_step);
  if (!step) return;
  for (const auto& o : step->obligations) {
    if (o.met_by != e.action) continue;
    const std::string rule = branch_rule(e.branch, step->id + "." + o.id);
    for (auto& d : c.deadlines)
      if (d.rule == rule && d.kind == "obligation" && (!d.window_start || e.at > *d.window_start)) d.met_at = e.at;
  }
}

// Deadlines of every position are in one list, their rules qualified by branch (branch_rule());
// a reminder sent counts in the position of the event.
void apply_timer_event(case_state& c, const detail::position_ref& at, const event& e) {
  const std::string rule = e.data.value("rule", "");
  auto it = std::find_if(c.deadlines.begin(), c.deadlines.end(), [&](const case_deadline& d) { return d.rule == rule; });
  if (e.kind == event_kind::deadline_set || e.kind == event_kind::deadline_changed) {
    case_deadline next = deadline_from(e);
    if (it != c.deadlines.end()) next.extended_from = it->extended_from;
    if (!next.extended_from && e.data.value("reason", "") == "extension")
      next.extended_from = parse_instant(e.data.value("old_due", ""));
    if (it == c.deadlines.end()) c.deadlines.push_back(std::move(next));
    else *it = std::move(next);
  } else if (e.kind == event_kind::deadline_cleared) {
    if (it != c.deadlines.end()) c.deadlines.erase(it);
  } else if (e.kind == event_kind::timer_fired && it != c.deadlines.end()) {
    if (it->kind == "limit" || it->kind == "obligation") {
      it->breached = true;
    } else {
      if (it->kind == "escalation") ++c.escalations_fired[rule];
      if (it->kind == "reminder") at.reminders_sent->push_back(rule);
      c.deadlines.erase(it);
    }
  }
}

void apply_subcase_event(case_state& c, const event& e) {
  if (e.kind == event_kind::case_started) c.parent = e.data.value("parent", "");
  if (e.kind == event_kind::subcase_started)
    c.subcases.push_back({e.data.value("case_id", ""), e.data.value("procedure", ""), e.data.value("wait", false), true, ""});
  if (e.kind != event_kind::subcase_finished && e.kind != event_kind::subcase_reopened) return;
  for (auto& s : c.subcases)
    if (s.id == e.data.value("case_id", "")) {
      s.open = e.kind == event_kind::subcase_reopened;
      s.step = e.data.value("step", "");
    }
}

}  // namespace

event system_event(const procedure& p, const case_state& c, std::string_view kind, instant at, std::string_view branch) {
  event e;
  e.case_id = c.id;
  e.seq = c.seq + 1;
  e.at = at;
  e.actor = k_system_actor;
  e.kind = kind;
  const auto position = c.position(branch);
  e.from_step = position ? position->step : "";
  e.to_step = e.from_step;
  e.branch = branch;
  e.definition_hash = p.hash;
  return e;
}

case_state apply(const procedure& p, case_state c, const event& e) {
  c.seq = e.seq;
  c.updated_at = e.at;
  const auto position = detail::open_position(c, e.branch);
  if (!position) return c;  // a branch that is not open: nothing to act on
  if (e.kind == event_kind::case_started) {
    c.id = e.case_id;
    c.procedure = p.id;
    c.definition_hash = e.definition_hash;
    c.opened_at = e.at;
  }
  if (auto fields = e.data.find("fields"); fields != e.data.end())
    for (auto& [name, v] : fields_from_json(p, *fields)) c.fields[name] = std::move(v);
  if (e.kind == event_kind::assigned) *position->assignee = e.data.value("assignee", "");
  if (e.kind == event_kind::personal_data_erased && e.data.is_object())
    for (const auto& name : e.data.value("erased", nlohmann::json::array()))
      if (name.is_string()) c.fields.erase(name.get<std::string>());
  if (e.kind == event_kind::action_taken) {
    (*position->performers)[e.from_step].push_back(e.actor);
    note_obligation_action(p, c, e);
  }
  if (e.kind == event_kind::action_taken && e.data.value("restarts_limits", false)) {
    // The step is entered anew: its limits and reminders are scheduled again from here.
    *position->step_entered_at = e.at;
    position->reminders_sent->clear();
    std::erase_if(c.deadlines, [&](const case_deadline& d) {
      return d.branch == e.branch && (d.kind == "limit" || d.kind == "reminder");
    });
  }
  apply_timer_event(c, *position, e);
  apply_subcase_event(c, e);
  if (e.branch.empty()) detail::apply_approval(c, e);
  if (!e.to_step.empty() && e.to_step != *position->step) {
    *position->step = e.to_step;
    *position->step_entered_at = e.at;
    position->reminders_sent->clear();
    if (e.branch.empty()) {  // the case's clock and whether it is open follow the main path
      if (c.paused_since) c.paused_seconds += e.at.seconds - c.paused_since->seconds;
      const step_def* step = p.find_step(c.step);
      c.open = step ? step->is_open() : true;
      c.paused_since = step && step->pauses_clock ? std::optional<instant>(e.at) : std::nullopt;
    }
  }
  detail::apply_branch_event(c, e);
  return c;
}

nlohmann::json state_to_json(const case_state& c) {
  nlohmann::json j = {{"id", c.id},
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
          {"performers", c.performers},
          {"deadlines", [&] {
             nlohmann::json list = nlohmann::json::array();
             for (const auto& d : c.deadlines) {
               list.push_back({{"rule", d.rule}, {"kind", d.kind}, {"due", d.due.seconds}, {"provisional", d.provisional},
                               {"calendar_version", d.calendar_version}, {"breached", d.breached}});
               if (!d.branch.empty()) list.back()["branch"] = d.branch;
               if (d.extended_from) list.back()["extended_from"] = d.extended_from->seconds;
               if (d.window_start) list.back()["window_start"] = d.window_start->seconds;
               if (d.met_at) list.back()["met_at"] = d.met_at->seconds;
             }
             return list;
           }()},
          {"escalations_fired", c.escalations_fired},
          {"reminders_sent", c.reminders_sent},
          {"paused_seconds", c.paused_seconds},
          {"paused_since", c.paused_since ? nlohmann::json(c.paused_since->seconds) : nlohmann::json()},
          {"approval", c.approval ? detail::approval_to_json(*c.approval) : nlohmann::json()}};
  // Only cases that take part in sub-cases carry these keys (older projections stay equal).
  if (!c.parent.empty()) j["parent"] = c.parent;
  for (const auto& s : c.subcases)
    j["subcases"].push_back({{"id", s.id}, {"procedure", s.procedure}, {"wait", s.wait}, {"open", s.open}, {"step", s.step}});
  detail::add_branches_json(c, &j);  // likewise only for cases with branches
  return j;
}

namespace {
std::optional<instant> optional_instant(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return instant{j.value(key, std::int64_t{0})};
}
}  // namespace

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
  for (const auto& d : j.value("deadlines", nlohmann::json::array()))
    c.deadlines.push_back({d.value("rule", ""), d.value("kind", ""), instant{d.value("due", std::int64_t{0})},
                           d.value("provisional", false), d.value("calendar_version", ""), d.value("breached", false),
                           d.value("branch", ""),
                           optional_instant(d, "extended_from"), optional_instant(d, "window_start"),
                           optional_instant(d, "met_at")});
  if (auto fired = j.find("escalations_fired"); fired != j.end() && fired->is_object())
    for (const auto& [rule, n] : fired->items()) c.escalations_fired[rule] = n.get<int>();
  c.reminders_sent = j.value("reminders_sent", std::vector<std::string>{});
  c.paused_seconds = j.value("paused_seconds", std::int64_t{0});
  if (auto since = j.find("paused_since"); since != j.end() && since->is_number())
    c.paused_since = instant{since->get<std::int64_t>()};
  if (auto approval = j.find("approval"); approval != j.end() && approval->is_object())
    c.approval = detail::approval_from_json(*approval);
  c.parent = j.value("parent", "");
  for (const auto& s : j.value("subcases", nlohmann::json::array()))
    c.subcases.push_back({s.value("id", ""), s.value("procedure", ""), s.value("wait", false), s.value("open", true),
                          s.value("step", "")});
  detail::read_branches_json(j, &c);
  return c;
}

}  // namespace caseflow
