// decide(): checks a command and returns the events it produces, or why it is refused.
#include <algorithm>

#include <fmt/format.h>

#include "core/approval_rules.h"
#include "core/branch_rules.h"
#include "caseflow/core.h"

namespace caseflow {

namespace {

refusal refuse(refusal_code code, std::string message) { return refusal{code, std::move(message)}; }

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

const std::vector<std::string>& effective_roles(const step_def& step, const action_def& action) {
  return action.roles.empty() ? step.roles : action.roles;
}

// Parses `--set` values into typed values; only names in `allowed` (all fields when null). A
// datetime without an offset is a wall time of the procedure's calendar (`cal`, may be null);
// an empty value clears the field.
std::optional<refusal> parse_sets(const procedure& p, const calendar* cal, const command& cmd,
                                  const std::vector<std::string>* allowed, std::string_view what, field_values* out) {
  for (const auto& [name, text] : cmd.sets) {
    const field_def* field = p.find_field(name);
    if (!field) {
      std::vector<std::string> names;
      for (const auto& f : p.fields) names.push_back(f.id);
      return refuse(refusal_code::invalid_value,
                    fmt::format("unknown field '{}'{}; fields of {}: {}", name, did_you_mean(name, names), p.id, join(names)));
    }
    if (allowed && std::find(allowed->begin(), allowed->end(), name) == allowed->end())
      return refuse(refusal_code::invalid_value,
                    fmt::format("{} cannot set field '{}'; it sets: {}", what, name,
                                allowed->empty() ? std::string("nothing") : join(*allowed)));
    std::string why;
    if (text.empty() && field->required)
      return refuse(refusal_code::missing_value,
                    fmt::format("field '{}' is required; it cannot be cleared (`--set {}=` clears a field)", name, name));
    std::optional<value> v;
    if (text.empty()) v = value{};  // `--set F=` clears F (refused below where F is required)
    else if (field->type != field_type::datetime || !cal) v = parse_value(field->type, text, &why);
    else if (auto t = cal->parse_datetime(text, &why)) v = value{*t};
    if (!v) return refuse(refusal_code::invalid_value, fmt::format("field '{}': {}", name, why));
    if (field->type == field_type::enumeration && !text.empty() &&
        std::find(field->values.begin(), field->values.end(), text) == field->values.end())
      return refuse(refusal_code::invalid_value,
                    fmt::format("field '{}': '{}' is not one of {}{}", name, text, join(field->values, " | "),
                                did_you_mean(text, field->values)));
    (*out)[name] = std::move(*v);
  }
  return std::nullopt;
}

std::optional<refusal> check_required(const std::vector<std::string>& required, const field_values& before,
                                      const field_values& changes, std::string_view what) {
  std::vector<std::string> missing;
  for (const auto& name : required) {
    auto changed = changes.find(name);
    const bool has = changed != changes.end() ? !is_null(changed->second)
                                              : (before.count(name) && !is_null(before.find(name)->second));
    if (!has) missing.push_back(name);
  }
  if (missing.empty()) return std::nullopt;
  return refuse(refusal_code::missing_value,
                fmt::format("{} needs {}: give {}", what, join(missing),
                            [&] {
                              std::vector<std::string> hints;
                              for (const auto& m : missing) hints.push_back(fmt::format("--set {}=…", m));
                              return join(hints, " ");
                            }()));
}

// A case waits in its step for the open sub-cases it started with `wait: true`, and for all
// of them in a step with `wait_for_subcases: true`.
std::optional<refusal> check_subcases(const step_def& step, const action_def& action, const case_state& c) {
  if (action.to == c.step) return std::nullopt;
  std::vector<std::string> open;
  for (const auto& s : c.subcases)
    if (s.open && (s.wait || step.wait_for_subcases)) open.push_back(fmt::format("{} ({})", s.id, s.procedure));
  if (open.empty()) return std::nullopt;
  return refuse(refusal_code::guard_failed,
                fmt::format("case {} is waiting for its sub-case{} {}: action '{}' cannot leave step '{}' until {} "
                            "reach{} a terminal or resolved step",
                            c.id, open.size() > 1 ? "s" : "", join(open), action.id, step.id,
                            open.size() > 1 ? "they" : "it", open.size() > 1 ? "" : "es"));
}

event base_event(const procedure& p, const case_state& c, const command& cmd, std::string_view kind, instant now) {
  event e;
  e.case_id = c.id;
  e.seq = c.seq + 1;
  e.at = now;
  e.actor = cmd.actor;
  e.kind = kind;
  e.from_step = c.step;
  e.to_step = c.step;
  e.definition_hash = p.hash;
  return e;
}

// The deadline_changed event of an action that extends a running limit (see extension_def),
// numbered after `taken`, the action's own event. Refused when the limit is not running (not
// set, or already breached) or the new time is not later than the current one.
std::optional<refusal> extension_event(const case_state& c, const command& cmd, const step_def& step,
                                       const extension_def& ext, const field_values& changes, const moment& at,
                                       const event& taken, event* out) {
  const std::string rule = branch_rule(cmd.branch, fmt::format("{}.{}", step.id, ext.limit));
  const case_deadline* running = c.find_deadline(rule);
  if (!running || running->breached)
    return refuse(refusal_code::guard_failed,
                  fmt::format("limit '{}' of case {} is {}; only a running limit can be extended", rule, c.id,
                              running ? "already breached" : "not running"));
  instant to = running->due;
  if (ext.by) {
    const auto moved = due_in(at.cal, running->due, *ext.by);
    if (!moved)
      return refuse(refusal_code::guard_failed,
                    fmt::format("extending by '{}' needs a calendar; the procedure has none", ext.by->text));
    to = moved->due;
  } else if (const auto given = changes.find(ext.to_field); given != changes.end()) {
    if (const auto* t = std::get_if<instant>(&given->second)) to = *t;
    if (const auto* d = std::get_if<civil_date>(&given->second)) to = end_of_day(at.cal, *d);
  }
  const auto local = [&](instant t) { return at.cal ? at.cal->format_local(t) : format_instant_utc(t); };
  if (to <= running->due)
    return refuse(refusal_code::guard_failed,
                  fmt::format("an extension must move limit '{}' later: it is due {}, the new time {} is not later", rule,
                              local(running->due), local(to)));
  event e = taken;
  e.seq = taken.seq + 1;
  e.kind = event_kind::deadline_changed;
  e.action.clear();
  e.to_step = e.from_step;
  e.data = {{"rule", rule},
            {"kind", running->kind},
            {"due", format_instant_utc(to)},
            {"old_due", format_instant_utc(running->due)},
            {"provisional", running->provisional},
            {"calendar_version", running->calendar_version},
            {"reason", "extension"},
            {"extension_reason", cmd.comment}};
  // The consent's values are in the action's own event (data.fields, personal ones kept apart).
  if (!ext.consent.empty()) e.data["consent_fields"] = ext.consent;
  *out = std::move(e);
  return std::nullopt;
}

decision decide_start(const procedure& p, const organisation& org, const case_state& c, const command& cmd,
                      const moment& at) {
  const step_def* start = p.find_step(p.start);
  auto who = cmd.automatic ? std::optional<authority>(authority{std::string(k_system_actor), ""})
                           : org.authority_for(cmd.actor, start->roles, at.today);
  if (!who)
    return {{}, refuse(refusal_code::not_permitted,
                       fmt::format("{} may not open a {} case: it needs the role {}", cmd.actor, p.id,
                                   join(start->roles, " or ")))};
  field_values values;
  for (const auto& field : p.fields)
    if (!is_null(field.default_value)) values[field.id] = field.default_value;
  if (auto r = parse_sets(p, at.cal, cmd, nullptr, "opening a case", &values)) return {{}, r};
  std::vector<std::string> required;
  for (const auto& field : p.fields)
    if (field.required) required.push_back(field.id);
  if (auto r = check_required(required, {}, values, fmt::format("opening a {} case", p.id))) return {{}, r};

  event e = base_event(p, c, cmd, event_kind::case_started, at.now);
  e.seq = 1;
  e.from_step = "";
  e.to_step = p.start;
  e.role = who->role;
  e.on_behalf_of = who->on_behalf_of;
  e.data = {{"procedure", p.id}, {"fields", fields_to_json(values)}};
  e.comment = cmd.comment;
  return {{std::move(e)}, std::nullopt};
}

decision decide_action(const procedure& p, const organisation& org, const case_state& c, const command& cmd,
                       const moment& at) {
  const step_def* step = p.find_step(c.step);
  if (!step || step->terminal)
    return {{}, refuse(refusal_code::case_closed, fmt::format("case {} is closed (step '{}'); no action can be taken",
                                                              c.id, c.step))};
  const action_def* action = step->find_action(cmd.action);
  if (!action) {
    std::vector<std::string> names;
    for (const auto& a : step->actions) names.push_back(a.id);
    return {{}, refuse(refusal_code::unknown_action,
                       fmt::format("'{}' is not an action of step '{}' of case {}{}; actions here: {}", cmd.action, step->id,
                                   c.id, did_you_mean(cmd.action, names), join(names)))};
  }
  if (auto r = check_subcases(*step, *action, c)) return {{}, r};
  if (auto r = detail::check_open_branches(c, cmd.branch, *step, *action)) return {{}, r};
  if (detail::is_implicit_approval_action(*step, *action) && !cmd.branch.empty())
    return {{}, refuse(refusal_code::unknown_action,
                       fmt::format("step '{}' of branch '{}' is an approval step; approvals inside branches are not "
                                   "supported yet",
                                   step->id, cmd.branch))};
  if (detail::is_implicit_approval_action(*step, *action)) return detail::decide_approval(p, org, c, cmd, at);
  const auto& roles = effective_roles(*step, *action);
  auto who = cmd.automatic ? std::optional<authority>(authority{std::string(k_system_actor), ""})
                           : org.authority_for(cmd.actor, roles, at.today);
  if (!who) {
    const person* actor = org.find(cmd.actor);
    const std::string held = actor ? (actor->roles.empty() ? "no role" : "roles " + join(actor->roles)) : "no role (not in org.yaml)";
    return {{}, refuse(refusal_code::not_permitted,
                       fmt::format("{} may not take action '{}' on case {}: it needs the role {}; {} holds {}", cmd.actor,
                                   action->id, c.id, join(roles, " or "), cmd.actor, held))};
  }
  field_values changes;
  if (auto r = parse_sets(p, at.cal, cmd, &action->settable_fields, fmt::format("action '{}'", action->id), &changes))
    return {{}, r};
  if (action->guard) {
    field_values values = c.fields;
    for (const auto& [name, v] : changes) values[name] = v;
    values["actor"] = cmd.actor;
    values["today"] = at.today;
    values["now"] = at.now;
    if (!action->guard->evaluate(values, at.cal))
      return {{}, refuse(refusal_code::guard_failed,
                         fmt::format("action '{}' is not allowed now: its condition `{}` is false ({})", action->id,
                                     action->guard->source(), action->guard->explain(values)))};
  }
  if (auto r = check_required(action->required_fields, c.fields, changes, fmt::format("action '{}'", action->id)))
    return {{}, r};
  if (action->comment_required && cmd.comment.empty() && !cmd.automatic)
    return {{}, refuse(refusal_code::comment_required,
                       fmt::format("action '{}' needs a comment: give --comment \"…\"", action->id))};
  event e = base_event(p, c, cmd, event_kind::action_taken, at.now);
  e.action = action->id;
  e.to_step = action->to;
  e.role = who->role;
  e.on_behalf_of = who->on_behalf_of;
  e.comment = cmd.comment;
  if (!changes.empty()) e.data["fields"] = fields_to_json(changes);
  if (action->restarts_limits) e.data["restarts_limits"] = true;
  std::vector<event> events{std::move(e)};
  if (action->extends) {
    event extended;
    if (auto r = extension_event(c, cmd, *step, *action->extends, changes, at, events.front(), &extended)) return {{}, r};
    events.push_back(std::move(extended));
  }
  return {std::move(events), std::nullopt};
}

// How `cmd.actor` may work on the case at all: in one of `preferred` (the step's roles) if they
// can, else in any role of the procedure. nullopt (with *refused set) when in none: notes and
// assignments are for the people of the procedure, not for everyone in org.yaml.
std::optional<authority> procedure_authority(const procedure& p, const organisation& org, const case_state& c,
                                             const command& cmd, const std::vector<std::string>& preferred,
                                             const moment& at, std::string_view doing, std::optional<refusal>* refused) {
  if (!org.find(cmd.actor)) {
    *refused = refuse(refusal_code::unknown_person, fmt::format("'{}' is not a person in org.yaml", cmd.actor));
    return std::nullopt;
  }
  if (auto who = org.authority_for(cmd.actor, preferred, at.today)) return who;
  std::vector<std::string> roles;
  for (const auto& r : p.roles) roles.push_back(r.id);
  if (auto who = org.authority_for(cmd.actor, roles, at.today)) return who;
  *refused = refuse(refusal_code::not_permitted,
                    fmt::format("{} may not {} case {}: it needs a role of procedure {} ({}), which {} does not hold",
                                cmd.actor, doing, c.id, p.id, join(roles, ", "), cmd.actor));
  return std::nullopt;
}

decision decide_assign(const procedure& p, const organisation& org, const case_state& c, const command& cmd,
                       const moment& at) {
  const step_def* step = p.find_step(c.step);
  if (!step || !step->is_open())
    return {{}, refuse(refusal_code::case_closed, fmt::format("case {} is closed; it cannot be assigned", c.id))};
  std::vector<std::string> roles = step->roles;
  for (const auto& a : step->actions)
    for (const auto& r : a.roles)
      if (std::find(roles.begin(), roles.end(), r) == roles.end()) roles.push_back(r);
  if (cmd.assignee.empty()) {  // unassigning
    std::optional<refusal> refused;
    if (!procedure_authority(p, org, c, cmd, roles, at, "unassign", &refused)) return {{}, refused};
    if (c.assignee.empty())
      return {{}, refuse(refusal_code::invalid_value, fmt::format("case {} is not assigned to anyone", c.id))};
    const auto who = org.authority_for(cmd.actor, roles, at.today);
    event e = base_event(p, c, cmd, event_kind::assigned, at.now);
    if (who) {
      e.role = who->role;
      e.on_behalf_of = who->on_behalf_of;
    }
    e.data = {{"assignee", ""}};
    return {{std::move(e)}, std::nullopt};
  }
  const person* assignee = org.find(cmd.assignee);
  if (!assignee)
    return {{}, refuse(refusal_code::unknown_person, fmt::format("'{}' is not a person in org.yaml{}", cmd.assignee,
                                                                  did_you_mean(cmd.assignee, org.person_ids())))};
  if (!org.authority_for(cmd.assignee, roles, at.today))
    return {{}, refuse(refusal_code::not_permitted,
                       fmt::format("{} cannot be assigned case {}: step '{}' is worked by {}, which {} does not hold",
                                   cmd.assignee, c.id, step->id, join(roles, " or "), cmd.assignee))};
  std::optional<refusal> refused;
  if (!procedure_authority(p, org, c, cmd, roles, at, "assign", &refused)) return {{}, refused};
  // The role recorded is one of the step's, when the actor holds one ("" otherwise, as always).
  const auto who = org.authority_for(cmd.actor, roles, at.today);
  event e = base_event(p, c, cmd, event_kind::assigned, at.now);
  if (who) {
    e.role = who->role;
    e.on_behalf_of = who->on_behalf_of;
  }
  e.data = {{"assignee", cmd.assignee}};
  return {{std::move(e)}, std::nullopt};
}

decision decide_note(const procedure& p, const organisation& org, const case_state& c, const command& cmd,
                     const moment& at) {
  const step_def* step = p.find_step(c.step);
  std::optional<refusal> refused;
  const auto who = procedure_authority(p, org, c, cmd, step ? step->roles : std::vector<std::string>{}, at,
                                       "add a note to", &refused);
  if (!who) return {{}, refused};
  if (cmd.comment.empty()) return {{}, refuse(refusal_code::comment_required, "a note needs text")};
  event e = base_event(p, c, cmd, event_kind::note_added, at.now);  // a note names no role (event.h)
  e.comment = cmd.comment;
  return {{std::move(e)}, std::nullopt};
}

// Evidence may be attached by any person in org.yaml, in any step (a closed case too), and by
// `system` (automatic) for the report a schedule attaches to the case it opens.
decision decide_attach(const procedure& p, const organisation& org, const case_state& c, const command& cmd,
                       const moment& at) {
  if (!cmd.automatic && !org.find(cmd.actor))
    return {{}, refuse(refusal_code::unknown_person, fmt::format("'{}' is not a person in org.yaml", cmd.actor))};
  event e = base_event(p, c, cmd, event_kind::attachment_added, at.now);
  e.data = {{"name", cmd.attachment.name}, {"size", cmd.attachment.size}, {"digest", cmd.attachment.digest},
            {"note", cmd.comment}};
  return {{std::move(e)}, std::nullopt};
}

using decider = decision (*)(const procedure&, const organisation&, const case_state&, const command&, const moment&);

// `decide_on` for the position cmd.branch: on a branch, decided on the case as the branch sees
// it, its events put on the branch and followed by what finishing it leads to (branch_rules.h).
decision on_position(decider decide_on, const procedure& p, const organisation& org, const case_state& c,
                     const command& cmd, const moment& at) {
  if (cmd.branch.empty()) return decide_on(p, org, c, cmd, at);
  if (auto r = detail::check_branch_open(c, cmd.branch)) return {{}, r};
  return detail::with_branch_effects(p, c, cmd.branch, decide_on(p, org, detail::branch_view(c, cmd.branch), cmd, at));
}

}  // namespace

decision decide(const procedure& p, const organisation& org, const case_state& current, const command& cmd,
                const moment& at) {
  switch (cmd.type) {
    case command::kind::start:
      if (!cmd.branch.empty())
        return {{}, refuse(refusal_code::branch_not_open,
                           fmt::format("a new case has no branches yet; open it without one (not '{}')", cmd.branch))};
      return detail::with_fork_effects(p, current,
                                       detail::with_approval_chain(p, current, decide_start(p, org, current, cmd, at)));
    case command::kind::act:
      return detail::with_fork_effects(
          p, current, detail::with_approval_chain(p, current, on_position(decide_action, p, org, current, cmd, at)));
    case command::kind::assign: return on_position(decide_assign, p, org, current, cmd, at);
    case command::kind::note: return on_position(decide_note, p, org, current, cmd, at);
    case command::kind::attach: return on_position(decide_attach, p, org, current, cmd, at);
  }
  return {{}, refuse(refusal_code::unknown_action, "unknown command")};
}

std::vector<action_option> actions_for(const procedure& p, const organisation& org, const case_state& current,
                                       std::string_view user, const moment& at, std::string_view branch) {
  std::vector<action_option> options;
  if (!branch.empty() && detail::check_branch_open(current, branch)) return options;
  std::optional<case_state> view;
  if (!branch.empty()) view = detail::branch_view(current, branch);
  const case_state& c = view ? *view : current;
  const step_def* step = p.find_step(c.step);
  if (!step) return options;
  field_values values = c.fields;
  values["actor"] = std::string(user);
  values["today"] = at.today;
  values["now"] = at.now;
  for (const auto& action : step->actions) {
    action_option option{&action, effective_roles(*step, action), false, true, ""};
    if (detail::is_implicit_approval_action(*step, action)) {
      auto checked = detail::check_approver(p, org, c, user, at);
      if (c.approval && c.approval->step == c.step) option.roles = c.approval->pending_roles();
      option.permitted = checked.who.has_value();
      if (checked.refused && !user.empty()) option.why_not = checked.refused->message;
      options.push_back(std::move(option));
      continue;
    }
    option.permitted = org.authority_for(user, option.roles, at.today).has_value();
    // A guard on a field the operator sets with this very action cannot be judged before
    // the value is given: it is shown as open, and decide() checks it with the value.
    const auto& names = action.guard ? action.guard->names() : std::vector<std::string>{};
    const bool pending_input = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
      const bool settable = std::find(action.settable_fields.begin(), action.settable_fields.end(), n) !=
                            action.settable_fields.end();
      auto it = values.find(n);
      return settable && (it == values.end() || is_null(it->second));
    });
    if (action.guard && !pending_input) option.guard_holds = action.guard->evaluate(values, at.cal);
    options.push_back(std::move(option));
  }
  return options;
}

}  // namespace caseflow
