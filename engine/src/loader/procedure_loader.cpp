// Loading and checking procedure YAML. See caseflow/loader.h for the contract.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "loader/approval_loader.h"
#include "loader/fork_loader.h"
#include "core/approval_rules.h"
#include "caseflow/case_id.h"
#include "caseflow/hash.h"
#include "handlers/call_loader.h"
#include "caseflow/loader.h"
#include "loader/similar_loader.h"
#include "base/yaml_reader.h"

namespace caseflow {

namespace {

using detail::yaml_reader;

std::vector<std::string> ids_of(const auto& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

display_name read_name(yaml_reader& in, const YAML::Node& node) {
  display_name name;
  if (!node) return name;
  if (node.IsMap()) {
    in.check_keys(node, "a name", {"zh", "en"});
    if (node["zh"]) name.zh = in.scalar(node["zh"], "zh").value_or("");
    if (node["en"]) name.en = in.scalar(node["en"], "en").value_or("");
  } else {
    name.zh = in.scalar(node, "name").value_or("");
  }
  return name;
}

// parent[key], or an empty node when `parent` is not a map or has no such key (a step read
// under a repeated key, say): yaml-cpp throws when a missing key's node is indexed further.
YAML::Node child(const YAML::Node& parent, const std::string& key) {
  if (!parent || !parent.IsMap()) return YAML::Node();
  const YAML::Node found = parent[key];
  return found ? found : YAML::Node();
}

// Reads one field definition: `{ type: enum, values: [...], required: true, personal: true }`
// or the short form `amount: money`.
field_def read_field(yaml_reader& in, const std::string& id, const YAML::Node& node) {
  field_def field;
  field.id = id;
  YAML::Node type_node = node;
  if (node.IsMap()) {
    in.check_keys(node, fmt::format("field '{}'", id),
                  {"type", "name", "values", "required", "default", "personal"});
    field.name = read_name(in, node["name"]);
    const YAML::Node type_value = node["type"];  // invalid, not just null, when the key is missing
    if (!type_value) {
      in.error(node, fmt::format("field '{}' needs a type (text, int, money, bool, enum, date, datetime)", id));
      return field;
    }
    type_node.reset(type_value);
    if (node["required"]) field.required = in.boolean(node["required"], "required").value_or(false);
    if (node["personal"]) field.personal = in.boolean(node["personal"], "personal").value_or(false);
    if (node["values"]) field.values = in.scalar_list(node["values"], "values");
  }
  auto type_name = in.scalar(type_node, "a field type");
  if (!type_name) return field;
  auto type = parse_field_type(*type_name);
  if (!type) {
    in.error(type_node, fmt::format("field '{}' has unknown type '{}'{}; types are text, int, money, bool, enum, date, "
                                    "datetime", id, *type_name,
                                    did_you_mean(*type_name, {"text", "int", "money", "bool", "enum", "date", "datetime"})));
    return field;
  }
  field.type = *type;
  if (field.type == field_type::enumeration && field.values.empty())
    in.error(node, fmt::format("enum field '{}' needs its values: [a, b, ...]", id));
  if (field.type != field_type::enumeration && !field.values.empty())
    in.error(node["values"], fmt::format("field '{}' is {}, only enum fields have values", id, *type_name));
  if (node.IsMap() && node["default"]) {
    auto text = in.scalar(node["default"], "default");
    std::string why;
    if (text) {
      if (auto v = parse_value(field.type, *text, &why)) {
        field.default_value = *v;
        if (field.type == field_type::enumeration &&
            std::find(field.values.begin(), field.values.end(), *text) == field.values.end())
          in.error(node["default"], fmt::format("default '{}' of field '{}' is not one of its values{}", *text, id,
                                                did_you_mean(*text, field.values)));
      } else {
        in.error(node["default"], fmt::format("default of field '{}': {}", id, why));
      }
    }
  }
  return field;
}

// Column of a guard's byte offset: the scalar's column, one more if it is quoted.
std::pair<int, int> guard_position(const YAML::Node& node, std::size_t offset) {
  auto [line, column] = detail::position(node);
  const bool quoted = node.Tag() == "!";
  return {line, column + static_cast<int>(offset) + (quoted ? 1 : 0)};
}

// "HH:MM" (00:00 to 23:59) as the minute of the day; nullopt otherwise.
std::optional<int> local_time_of_day(const std::string& text) {
  if (text.size() != 5 || text[2] != ':' || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1])) || !std::isdigit(static_cast<unsigned char>(text[3])) ||
      !std::isdigit(static_cast<unsigned char>(text[4])))
    return std::nullopt;
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

class procedure_reader {
 public:
  procedure_reader(yaml_reader& in, diagnostics* out) : in_(in), out_(out) {}

  std::optional<procedure> read(const YAML::Node& root, const std::string& text) {
    if (!in_.expect_map(root, "a procedure file")) return std::nullopt;
    in_.check_keys(root, "the procedure",
                   {"procedure", "name", "version", "calendar", "case_id", "roles", "fields", "start", "steps",
                    "escalations", "similar", "schedules"});
    procedure p;
    p.file = in_.file();
    p.source_text = text;
    p.hash = sha256_hex(text);
    if (!root["procedure"]) in_.error(root, "missing 'procedure:' (the procedure's id)");
    else p.id = in_.scalar(root["procedure"], "procedure").value_or("");
    p.name = read_name(in_, root["name"]);
    if (root["version"]) p.version = in_.scalar(root["version"], "version").value_or("");
    if (root["calendar"]) p.calendar = in_.scalar(root["calendar"], "calendar").value_or("");
    p.case_id_pattern = fmt::format("{}-{{yyyy}}-{{seq:05}}", p.id);
    if (root["case_id"]) {
      p.case_id_pattern = in_.scalar(root["case_id"], "case_id").value_or(p.case_id_pattern);
      std::string why;
      if (!check_case_id_pattern(p.case_id_pattern, &why)) in_.error(root["case_id"], why);
    }
    read_roles(root["roles"], &p);
    read_fields(root["fields"], &p);
    read_steps(root["steps"], &p);
    p.index_steps();
    if (!root["start"]) {
      in_.error(root, "missing 'start:' (the first step)");
    } else if (auto start = in_.scalar(root["start"], "start")) {
      p.start = *start;
      if (!p.steps.empty() && !p.find_step(p.start))
        in_.error(root["start"], fmt::format("start step '{}' is not defined{}", p.start, did_you_mean(p.start, ids_of(p.steps))));
    }
    check_steps(root["steps"], p);
    read_escalations(root["escalations"], &p);
    if (root["similar"]) detail::read_similar(in_, root["similar"], &p);
    if (root["schedules"]) read_schedules(root["schedules"], &p);
    if (has_errors(*out_)) return std::nullopt;
    return p;
  }

 private:
  void read_roles(const YAML::Node& node, procedure* p) {
    if (!node) {
      in_.error(YAML::Node(), "missing 'roles:' (who works the procedure)");
      return;
    }
    if (!in_.expect_map(node, "roles")) return;
    for (const auto& entry : node) p->roles.push_back({entry.first.Scalar(), read_name(in_, entry.second)});
  }

  void read_fields(const YAML::Node& node, procedure* p) {
    if (!node) return;
    if (!in_.expect_map(node, "fields")) return;
    for (const auto& entry : node) {
      const std::string id = entry.first.Scalar();
      if (id == "actor") in_.error(entry.first, "'actor' is reserved (it names the person acting); pick another field name");
      if (id == "today" || id == "now")
        in_.error(entry.first, fmt::format("'{}' is reserved (it names the command's time in guards); pick another "
                                           "field name",
                                           id));
      p->fields.push_back(read_field(in_, id, entry.second));
    }
  }

  void read_steps(const YAML::Node& node, procedure* p) {
    if (!node) {
      in_.error(YAML::Node(), "missing 'steps:'");
      return;
    }
    if (!in_.expect_map(node, "steps")) return;
    for (const auto& entry : node) {
      step_def step;
      step.id = entry.first.Scalar();
      const YAML::Node& body = entry.second;
      if (!in_.expect_map(body, fmt::format("step '{}'", step.id))) continue;
      in_.check_keys(body, fmt::format("step '{}'", step.id), {"name", "role", "actions", "terminal", "resolved", "limits", "obligations", "pauses_clock", "approve",
                                                                    "on_enter", "on_exit", "wait_for_subcases",
                                                                    "after_subcases", "parallel"});
      step.name = read_name(in_, body["name"]);
      if (body["role"]) step.roles = in_.scalar_list(body["role"], "role");
      if (body["terminal"]) step.terminal = in_.boolean(body["terminal"], "terminal").value_or(false);
      if (body["resolved"]) step.resolved = in_.boolean(body["resolved"], "resolved").value_or(false);
      if (body["pauses_clock"]) step.pauses_clock = in_.boolean(body["pauses_clock"], "pauses_clock").value_or(false);
      read_step_hooks(body, *p, &step);
      if (body["parallel"]) step.fork = detail::read_fork(in_, body["parallel"], step.id);
      if (body["actions"] && in_.expect_map(body["actions"], fmt::format("actions of step '{}'", step.id)))
        for (const auto& action : body["actions"])
          step.actions.push_back(read_action(*p, step, action.first.Scalar(), action.second));
      if (body["approve"])
        detail::read_approval(in_, body["approve"], *p, &step, [&](const YAML::Node& at, std::string_view what) {
          return compile(at, p->guard_names(), what);
        });
      p->steps.push_back(std::move(step));
    }
  }

  // A hook's handler calls (handlers/call_loader.h), their `when:` guards compiled against the
  // procedure's guard names. A guard may not read a personal field: conformance judges it again
  // from the log, where an erased value is gone. REQUIRES: the fields of `p` are read.
  handler_calls read_calls(const YAML::Node& node, const procedure& p, std::string_view where) {
    return detail::read_handler_calls(in_, node, where, [&](const YAML::Node& at, std::string_view what) {
      auto guard = compile(at, p.guard_names(), what);
      for (const auto& name : guard ? guard->names() : std::vector<std::string>{})
        if (const field_def* f = p.find_field(name); f && f->personal)
          in_.error(at, fmt::format("{}: '{}' is a personal field, which a hook's guard may not read (once it is "
                                    "erased, the log could no longer show why the call was made or skipped)",
                                    what, name));
      return guard;
    });
  }

  // on_enter / on_exit handler calls and the sub-case options.
  void read_step_hooks(const YAML::Node& body, const procedure& p, step_def* step) {
    const std::string where = fmt::format("step '{}'", step->id);
    if (body["on_enter"]) step->on_enter = read_calls(body["on_enter"], p, "on_enter of " + where);
    if (body["on_exit"]) step->on_exit = read_calls(body["on_exit"], p, "on_exit of " + where);
    if (body["wait_for_subcases"])
      step->wait_for_subcases = in_.boolean(body["wait_for_subcases"], "wait_for_subcases").value_or(false);
    if (body["after_subcases"]) step->after_subcases = in_.scalar(body["after_subcases"], "after_subcases").value_or("");
  }

  // `done: closed` is shorthand for `done: { to: closed }`.
  action_def read_action(const procedure& p, const step_def& step, const std::string& id, const YAML::Node& body) {
    action_def action;
    action.id = id;
    if (body.IsScalar()) {
      action.to = body.Scalar();
      return action;
    }
    const std::string where = fmt::format("action '{}' of step '{}'", id, step.id);
    if (!in_.expect_map(body, where)) return action;
    in_.check_keys(body, where, {"to", "name", "role", "when", "requires", "sets", "comment", "run", "extends",
                                 "restarts_limits"});
    action.name = read_name(in_, body["name"]);
    if (body["to"]) action.to = in_.scalar(body["to"], "to").value_or("");
    else in_.error(body, fmt::format("{} needs 'to:' (the step it leads to)", where));
    if (body["role"]) action.roles = in_.scalar_list(body["role"], "role");
    if (body["requires"]) action.required_fields = in_.scalar_list(body["requires"], "requires");
    if (body["sets"]) action.settable_fields = in_.scalar_list(body["sets"], "sets");
    for (const auto& f : action.required_fields)
      if (std::find(action.settable_fields.begin(), action.settable_fields.end(), f) == action.settable_fields.end())
        action.settable_fields.push_back(f);
    if (body["comment"]) action.comment_required = in_.boolean(body["comment"], "comment").value_or(false);
    if (body["run"]) action.run = read_calls(body["run"], p, where);
    if (body["extends"]) action.extends = read_extension(body["extends"], where, &action);
    if (body["restarts_limits"]) {
      action.restarts_limits = in_.boolean(body["restarts_limits"], "restarts_limits").value_or(false);
      if (action.restarts_limits && action.to != step.id)
        in_.error(body["restarts_limits"], fmt::format("{}: restarts_limits restarts the limits of a step the case "
                                                       "stays in; give 'to: {}'", where, step.id));
      if (action.restarts_limits && body["extends"])
        in_.error(body["restarts_limits"], fmt::format("{}: an action either extends a limit or restarts them all, "
                                                       "not both", where));
    }
    return action;
  }

  // `extends: { limit, by | to, consent }` of an action: the reason is the command's comment, so
  // the comment becomes required; `to` and the consent fields must be given with the action.
  // Cross-references (the limit, the fields' types, the action staying in its step) are checked
  // with the steps (check_extension).
  std::optional<extension_def> read_extension(const YAML::Node& node, const std::string& where, action_def* action) {
    const std::string what = fmt::format("'extends' of {}", where);
    if (!in_.expect_map(node, what)) return std::nullopt;
    in_.check_keys(node, what, {"limit", "by", "to", "consent"});
    if (!node["limit"] || (!node["by"] == !node["to"])) {
      in_.error(node, fmt::format("{} needs 'limit:' (a limit of the step) and either 'by:' (a duration, from the "
                                  "current due time) or 'to:' (a date or datetime field)", what));
      return std::nullopt;
    }
    extension_def ext;
    ext.limit = in_.scalar(node["limit"], "limit").value_or("");
    if (node["by"]) ext.by = read_duration(node["by"], "by");
    if (node["to"]) ext.to_field = in_.scalar(node["to"], "to").value_or("");
    if (node["consent"]) ext.consent = in_.scalar_list(node["consent"], "consent");
    action->comment_required = true;
    return ext;
  }

  // Checks an action's extension against its step and fields, then makes its `to` and consent
  // fields required with the action.
  void check_extension(const YAML::Node& node, const procedure& p, const step_def& step, action_def& action) {
    const extension_def& ext = *action.extends;
    const std::string what = fmt::format("'extends' of action '{}' of step '{}'", action.id, step.id);
    if (action.to != step.id)
      in_.error(node, fmt::format("{}: an extension keeps the case in its step; give 'to: {}'", what, step.id));
    if (std::none_of(step.limits.begin(), step.limits.end(), [&](const limit_def& l) { return l.id == ext.limit; })) {
      std::vector<std::string> limits;
      for (const auto& l : step.limits) limits.push_back(l.id);
      in_.error(node["limit"], fmt::format("{}: '{}' is not a limit of step '{}'{}", what, ext.limit, step.id,
                                           did_you_mean(ext.limit, limits)));
    }
    if (!ext.to_field.empty()) {
      const field_def* f = p.find_field(ext.to_field);
      if (!f || (f->type != field_type::date && f->type != field_type::datetime))
        in_.error(node["to"], fmt::format("{}: '{}' is not a date or datetime field", what, ext.to_field));
    }
    for (const auto& name : ext.consent)
      if (!p.find_field(name))
        in_.error(node["consent"], fmt::format("{}: unknown consent field '{}'{}", what, name,
                                               did_you_mean(name, ids_of(p.fields))));
    std::vector<std::string> needed = ext.consent;
    if (!ext.to_field.empty()) needed.push_back(ext.to_field);
    for (const auto& f : needed) {
      if (std::find(action.required_fields.begin(), action.required_fields.end(), f) == action.required_fields.end())
        action.required_fields.push_back(f);
      if (std::find(action.settable_fields.begin(), action.settable_fields.end(), f) == action.settable_fields.end())
        action.settable_fields.push_back(f);
    }
  }

  // Cross-references, guards and reachability: needs every step, field and role read first.
  void check_steps(const YAML::Node& steps_node, procedure& p) {
    const auto role_ids = ids_of(p.roles);
    const auto field_ids = ids_of(p.fields);
    const auto step_ids = ids_of(p.steps);
    const field_signatures names = p.action_guard_names();
    auto check_roles = [&](const std::vector<std::string>& roles, const YAML::Node& at) {
      for (const auto& role : roles)
        if (!p.find_role(role)) in_.error(at, fmt::format("unknown role '{}'{}", role, did_you_mean(role, role_ids)));
    };
    auto check_fields = [&](const std::vector<std::string>& fields, const YAML::Node& at) {
      for (const auto& field : fields)
        if (!p.find_field(field)) in_.error(at, fmt::format("unknown field '{}'{}", field, did_you_mean(field, field_ids)));
    };
    // yaml-cpp finds a map key by scanning the map: index the step bodies once.
    std::unordered_map<std::string, YAML::Node> bodies;
    if (steps_node.IsMap())
      for (const auto& entry : steps_node) bodies.emplace(entry.first.Scalar(), entry.second);
    for (auto& step : p.steps) {
      const YAML::Node body = bodies[step.id];
      check_roles(step.roles, body["role"]);
      if (step.terminal && !step.actions.empty())
        in_.error(body["actions"], fmt::format("terminal step '{}' cannot have actions; use 'resolved: true' for a "
                                               "closed step that can be reopened", step.id));
      // A fork step goes on by its join; a step that ends branches is where they wait, finished.
      const bool waits = step.fork || detail::ends_a_branch(p, step.id);
      if (!step.terminal && step.actions.empty() && !waits)
        in_.error(body, fmt::format("step '{}' has no way out: give it actions or mark it 'terminal: true'", step.id));
      if (!step.terminal && step.roles.empty() &&
          std::any_of(step.actions.begin(), step.actions.end(), [](const action_def& a) { return a.roles.empty(); }))
        in_.error(body, fmt::format("step '{}' needs a 'role:' (or a role on each action)", step.id));
      if (body["limits"] && in_.expect_sequence(body["limits"], fmt::format("limits of step '{}'", step.id)))
        for (const auto& limit : body["limits"]) read_limit(limit, p, &step);
      if (body["obligations"] && in_.expect_sequence(body["obligations"], fmt::format("obligations of step '{}'", step.id)))
        for (const auto& obligation : body["obligations"]) read_obligation(obligation, p, &step);
      if (step.approval) detail::check_approval_steps(in_, body["approve"], p, step);
      if (!step.after_subcases.empty() && !step.find_action(step.after_subcases))
        in_.error(body["after_subcases"], fmt::format("after_subcases: '{}' is not an action of step '{}'{}",
                                                      step.after_subcases, step.id,
                                                      did_you_mean(step.after_subcases, ids_of(step.actions))));
      for (auto& action : step.actions) {
        if (detail::is_implicit_approval_action(step, action)) continue;
        const YAML::Node action_node = child(child(body, "actions"), action.id);
        const YAML::Node& at = action_node ? action_node : body;
        if (!action.to.empty() && !p.find_step(action.to))
          in_.error(action_node.IsMap() && action_node["to"] ? action_node["to"] : at,
                    fmt::format("action '{}' of step '{}' leads to undefined step '{}'{}", action.id, step.id, action.to,
                                did_you_mean(action.to, step_ids)));
        if (action_node.IsMap()) {
          check_roles(action.roles, action_node["role"]);
          check_fields(action.required_fields, action_node["requires"]);
          std::vector<std::string> only_settable;  // required ones were checked just above
          for (const auto& f : action.settable_fields)
            if (std::find(action.required_fields.begin(), action.required_fields.end(), f) == action.required_fields.end())
              only_settable.push_back(f);
          check_fields(only_settable, action_node["sets"]);
          if (action_node["when"]) compile_guard(action_node["when"], names, p.calendar, &action);
          if (action.extends) check_extension(action_node["extends"], p, step, action);
        }
      }
    }
    detail::check_forks(in_, bodies, p);
    check_reachable(bodies, p);
  }

  void compile_guard(const YAML::Node& node, const field_signatures& names, const std::string& calendar,
                     action_def* action) {
    action->guard = compile(node, names, fmt::format("guard of action '{}'", action->id));
    if (action->guard && action->guard->needs_calendar() && calendar.empty())
      in_.error(node, fmt::format("guard of action '{}': `{}` counts working time or moves a datetime by months, "
                                  "which needs the procedure's calendar (calendar: ID)",
                                  action->id, action->guard->source()));
  }

  std::optional<expression> compile(const YAML::Node& node, const field_signatures& names, std::string_view what) {
    auto text = in_.scalar(node, what);
    if (!text) return std::nullopt;
    expression_error why;
    auto compiled = expression::compile(*text, names, &why);
    if (!compiled) {
      auto [line, column] = guard_position(node, why.offset);
      out_->push_back({in_.file(), line, column, fmt::format("{}: {}", what, why.message), diagnostic_level::error});
    }
    return compiled;
  }

  std::optional<duration> read_duration(const YAML::Node& node, std::string_view what) {
    auto text = in_.scalar(node, what);
    if (!text) return std::nullopt;
    std::string why;
    auto d = parse_duration(*text, &why);
    if (!d) in_.error(node, fmt::format("{}: {}", what, why));
    return d;
  }

  // notify / message / raise / set / action, shared by limits (on_breach) and escalations.
  timer_effects read_effects(const YAML::Node& node, const procedure& p, const step_def* step, std::string_view where) {
    timer_effects effects;
    if (node["notify"]) {
      effects.notify = in_.scalar_list(node["notify"], "notify");
      for (const auto& who : effects.notify)
        if (who != "assignee" && !p.find_role(who))
          in_.error(node["notify"], fmt::format("{}: notify names '{}', which is neither a role of {} nor 'assignee'{}",
                                                where, who, p.id, did_you_mean(who, ids_of(p.roles))));
    }
    if (node["message"]) effects.message = in_.scalar(node["message"], "message").value_or("");
    for (const char* key : {"raise", "set"}) {
      if (!node[key] || !in_.expect_map(node[key], key)) continue;
      for (const auto& entry : node[key]) {
        const std::string name = entry.first.Scalar();
        const field_def* field = p.find_field(name);
        if (!field) {
          in_.error(entry.first, fmt::format("{}: unknown field '{}'{}", where, name, did_you_mean(name, ids_of(p.fields))));
          continue;
        }
        auto text = in_.scalar(entry.second, key);
        if (!text) continue;
        std::string why;
        auto v = parse_value(field->type, *text, &why);
        const bool is_enum = field->type == field_type::enumeration;
        if (v && is_enum && std::find(field->values.begin(), field->values.end(), *text) == field->values.end())
          why = fmt::format("'{}' is not one of the values of '{}'{}", *text, name, did_you_mean(*text, field->values)), v.reset();
        if (!v) in_.error(entry.second, fmt::format("{}: {}", where, why));
        else if (std::string_view(key) == "raise" && !is_enum)
          in_.error(entry.first, fmt::format("{}: only enum fields can be raised ('{}' is {}); use set:", where, name,
                                             to_string(field->type)));
        else (std::string_view(key) == "raise" ? effects.raise : effects.set)[name] = *v;
      }
    }
    if (node["run"]) effects.run = read_calls(node["run"], p, where);
    if (node["action"]) {
      effects.action = in_.scalar(node["action"], "action").value_or("");
      if (!step) in_.error(node["action"], fmt::format("{}: only a step's limit can take an action", where));
      else if (!step->find_action(effects.action))
        in_.error(node["action"], fmt::format("{}: '{}' is not an action of step '{}'", where, effects.action, step->id));
    }
    return effects;
  }

  // An `at:` of a limit or escalation: a datetime field, or a date field with an optional offset.
  std::optional<date_offset> read_field_time(const YAML::Node& node, const procedure& p, const std::string& where) {
    const auto text = in_.scalar(node, "at").value_or("");
    std::string why;
    auto at = parse_date_offset(text, &why);
    if (!at) {
      in_.error(node, fmt::format("{}: {}", where, why));
      return std::nullopt;
    }
    const field_def* f = p.find_field(at->field);
    const bool offset = at->tenth_months != 0 || at->days != 0 || at->working;
    if (!f || (f->type != field_type::date && f->type != field_type::datetime)) {
      in_.error(node, fmt::format("{}: '{}' is not a date or datetime field", where, at->field));
      return std::nullopt;
    }
    if (f->type == field_type::datetime && offset) {
      in_.error(node, fmt::format("{}: '{}' is a datetime field; 'at:' takes it without an offset (an offset counts "
                                  "days of a date field)", where, at->field));
      return std::nullopt;
    }
    return at;
  }

  void read_limit(const YAML::Node& node, const procedure& p, step_def* step) {
    const std::string where = fmt::format("a limit of step '{}'", step->id);
    if (!in_.expect_map(node, where)) return;
    in_.check_keys(node, where, {"rule", "within", "at", "whichever", "roll", "when", "remind_at", "on_breach"});
    limit_def limit;
    if (!node["rule"] || (!node["within"] && !node["at"])) {
      in_.error(node, fmt::format("{} needs 'rule:' (its name) and 'within:' (e.g. 30m working) or 'at:' (a date or "
                                  "datetime field)", where));
      return;
    }
    limit.id = in_.scalar(node["rule"], "rule").value_or("");
    if (node["within"]) limit.within = read_duration(node["within"], "within");
    if (node["at"]) limit.at = read_field_time(node["at"], p, fmt::format("limit '{}'", limit.id));
    if (node["whichever"]) {
      const auto which = in_.scalar(node["whichever"], "whichever").value_or("");
      if (which != "earlier" && which != "later")
        in_.error(node["whichever"], fmt::format("limit '{}': whichever must be 'earlier' or 'later', not '{}'",
                                                 limit.id, which));
      else if (!node["within"] || !node["at"])
        in_.error(node["whichever"], fmt::format("limit '{}': 'whichever' chooses between 'within:' and 'at:'; "
                                                 "give both", limit.id));
      limit.whichever_later = which == "later";
    }
    if (node["roll"]) {
      const auto roll = in_.scalar(node["roll"], "roll").value_or("");
      const field_def* f = limit.at ? p.find_field(limit.at->field) : nullptr;
      if (roll != "next working day")
        in_.error(node["roll"], fmt::format("limit '{}': roll must be 'next working day', not '{}'", limit.id, roll));
      else if (!f || f->type != field_type::date)
        in_.error(node["roll"], fmt::format("limit '{}': 'roll' moves the day of a date field's 'at:'; give 'at:' a "
                                            "date field", limit.id));
      else if (p.calendar.empty())
        in_.error(node["roll"], fmt::format("limit '{}': 'roll' needs the procedure's calendar (calendar:) to know "
                                            "the working days", limit.id));
      limit.roll_to_working_day = roll == "next working day";
    }
    if (node["when"]) limit.when = compile(node["when"], p.limit_names(), fmt::format("condition of limit '{}'", limit.id));
    if (node["remind_at"]) {
      auto text = in_.scalar(node["remind_at"], "remind_at").value_or("");
      int percent = 0;
      if (text.size() < 2 || text.back() != '%' || std::sscanf(text.c_str(), "%d", &percent) != 1 || percent <= 0 ||
          percent >= 100)
        in_.error(node["remind_at"], fmt::format("remind_at '{}' must be a percentage between 1% and 99%", text));
      limit.remind_percent = percent;
    }
    if (node["on_breach"] && in_.expect_map(node["on_breach"], "on_breach")) {
      in_.check_keys(node["on_breach"], "on_breach", {"notify", "message", "raise", "set", "action", "run"});
      limit.on_breach = read_effects(node["on_breach"], p, step, fmt::format("limit '{}'", limit.id));
    }
    for (const auto& other : step->limits)
      if (other.id == limit.id) in_.error(node["rule"], fmt::format("step '{}' has two limits named '{}'", step->id, limit.id));
    step->limits.push_back(std::move(limit));
  }

  // An obligation of a step (procedure.h obligation_def): `every: day | working day`, `before:
  // "HH:MM"`, `met_by:` an action of the step, optional `on_breach:`.
  void read_obligation(const YAML::Node& node, const procedure& p, step_def* step) {
    const std::string where = fmt::format("an obligation of step '{}'", step->id);
    if (!in_.expect_map(node, where)) return;
    in_.check_keys(node, where, {"rule", "every", "before", "met_by", "on_breach"});
    if (!node["rule"] || !node["every"] || !node["before"] || !node["met_by"]) {
      in_.error(node, fmt::format("{} needs 'rule:' (its name), 'every:' (day or working day), 'before:' (a local "
                                  "time, e.g. \"17:00\") and 'met_by:' (the action that meets it)", where));
      return;
    }
    obligation_def o;
    o.id = in_.scalar(node["rule"], "rule").value_or("");
    const std::string what = fmt::format("obligation '{}'", o.id);
    const auto every = in_.scalar(node["every"], "every").value_or("");
    if (every != "day" && every != "working day")
      in_.error(node["every"], fmt::format("{}: every must be 'day' or 'working day', not '{}'", what, every));
    o.working_days = every == "working day";
    const auto before = in_.scalar(node["before"], "before").value_or("");
    const auto minute = local_time_of_day(before);
    if (!minute || *minute == 0)
      in_.error(node["before"], fmt::format("{}: before must be a local time HH:MM after 00:00, e.g. \"17:00\", "
                                            "not '{}'", what, before));
    else o.before_minute = *minute;
    o.met_by = in_.scalar(node["met_by"], "met_by").value_or("");
    if (!step->find_action(o.met_by))
      in_.error(node["met_by"], fmt::format("{}: '{}' is not an action of step '{}'{}", what, o.met_by, step->id,
                                            did_you_mean(o.met_by, ids_of(step->actions))));
    if (node["on_breach"] && in_.expect_map(node["on_breach"], "on_breach")) {
      in_.check_keys(node["on_breach"], "on_breach", {"notify", "message", "raise", "set", "action", "run"});
      o.on_breach = read_effects(node["on_breach"], p, step, what);
    }
    for (const auto& other : step->limits)
      if (other.id == o.id) in_.error(node["rule"], fmt::format("step '{}' has a limit and an obligation named '{}'", step->id, o.id));
    for (const auto& other : step->obligations)
      if (other.id == o.id) in_.error(node["rule"], fmt::format("step '{}' has two obligations named '{}'", step->id, o.id));
    step->obligations.push_back(std::move(o));
  }

  // `schedules:` (procedure.h schedule_def).
  void read_schedules(const YAML::Node& node, procedure* p) {
    if (!in_.expect_sequence(node, "schedules")) return;
    const field_def* period = p->find_field("period");
    if (!period || period->type != field_type::text) {
      in_.error(node, "a procedure with schedules needs a text field 'period' (filled with the period each case is "
                      "for, e.g. 2026-11)");
      return;
    }
    for (const char* name : {"period_start", "period_end"})
      if (const field_def* f = p->find_field(name); f && f->type != field_type::date)
        in_.error(node, fmt::format("field '{}' of a procedure with schedules is filled with a date; declare it "
                                    "'type: date'", name));
    for (const auto& entry : node) {
      if (!in_.expect_map(entry, "a schedule")) continue;
      in_.check_keys(entry, "a schedule", {"schedule", "every", "opens", "weekday", "in", "at", "case_id", "report",
                                           "report_procedure", "set"});
      schedule_def s;
      if (!entry["schedule"] || !entry["every"] || !entry["case_id"]) {
        in_.error(entry, "a schedule needs 'schedule:' (its name), 'every:' (week, half month, month, quarter or "
                         "year) and 'case_id:' (naming the period with {period})");
        continue;
      }
      s.id = in_.scalar(entry["schedule"], "schedule").value_or("");
      const std::string what = fmt::format("schedule '{}'", s.id);
      const auto every = in_.scalar(entry["every"], "every").value_or("");
      static const std::vector<std::pair<std::string, schedule_def::every>> periods{
          {"week", schedule_def::every::week},   {"half month", schedule_def::every::half_month},
          {"month", schedule_def::every::month}, {"quarter", schedule_def::every::quarter},
          {"year", schedule_def::every::year}};
      auto known = std::find_if(periods.begin(), periods.end(), [&](const auto& e) { return e.first == every; });
      if (known == periods.end())
        in_.error(entry["every"], fmt::format("{}: every must be week, half month, month, quarter or year, not '{}'",
                                              what, every));
      else s.period = known->second;
      if (entry["opens"]) {
        const auto opens = in_.scalar(entry["opens"], "opens").value_or("");
        if (opens != "after" && opens != "start")
          in_.error(entry["opens"], fmt::format("{}: opens must be 'after' (the day after the period ends) or "
                                                "'start' (its first day), not '{}'", what, opens));
        s.opens_at_start = opens == "start";
      }
      static const std::vector<std::string> days{"monday", "tuesday", "wednesday", "thursday", "friday",
                                                 "saturday", "sunday"};
      static const std::vector<std::string> months{"january", "february", "march",     "april",   "may",      "june",
                                                   "july",    "august",   "september", "october", "november", "december"};
      // `key:` names one of `names`, only for a schedule every `period`: its index, else nullopt.
      auto named = [&](const char* key, const std::vector<std::string>& names, schedule_def::every period,
                       const std::string& only_for, const std::string& expected) -> std::optional<int> {
        if (!entry[key]) return std::nullopt;
        const auto name = in_.scalar(entry[key], key).value_or("");
        const auto it = std::find(names.begin(), names.end(), name);
        if (s.period != period) in_.error(entry[key], fmt::format("{}: {}", what, only_for));
        else if (it == names.end())
          in_.error(entry[key], fmt::format("{}: {}, not '{}'{}", what, expected, name, did_you_mean(name, names)));
        else return static_cast<int>(it - names.begin());
        return std::nullopt;
      };
      if (auto day = named("weekday", days, schedule_def::every::week, "'weekday:' is for a weekly schedule",
                           "weekday must be monday … sunday"))
        s.weekday = *day;
      if (auto month = named("in", months, schedule_def::every::year, "'in:' (a month) is for a yearly schedule",
                             "in must be a month (january … december)"))
        s.month = *month + 1;
      if (entry["at"]) {
        const auto at = in_.scalar(entry["at"], "at").value_or("");
        const auto minute = local_time_of_day(at);
        if (!minute) in_.error(entry["at"], fmt::format("{}: at must be a local time HH:MM, e.g. \"09:00\", not '{}'", what, at));
        else s.at_minute = *minute;
      }
      s.case_id = in_.scalar(entry["case_id"], "case_id").value_or("");
      if (s.case_id.find("{period}") == std::string::npos)
        in_.error(entry["case_id"], fmt::format("{}: case_id '{}' must name the period with {{period}} (e.g. "
                                                "\"CR-{{period}}\"), so each period's case has its own id", what, s.case_id));
      if (entry["report"]) {
        s.report = in_.scalar(entry["report"], "report").value_or("");
        if (!report_fits(s.report, s.period))
          in_.error(entry["report"], fmt::format("{}: a {} schedule can carry the report {}, not '{}'", what, every,
                                                 reports_for(s.period), s.report));
      }
      if (entry["report_procedure"]) s.report_procedure = in_.scalar(entry["report_procedure"], "report_procedure").value_or("");
      if (entry["set"] && in_.expect_map(entry["set"], "set"))
        for (const auto& kv : entry["set"]) {
          const std::string name = kv.first.Scalar();
          if (!p->find_field(name))
            in_.error(kv.first, fmt::format("{}: unknown field '{}'{}", what, name, did_you_mean(name, ids_of(p->fields))));
          s.sets.emplace_back(name, in_.scalar(kv.second, "set").value_or(""));
        }
      for (const auto& other : p->schedules)
        if (other.id == s.id) in_.error(entry["schedule"], fmt::format("two schedules are named '{}'", s.id));
      p->schedules.push_back(std::move(s));
    }
  }

  // Which `caseflow report` describes a period of each length.
  static std::vector<std::string> report_names(schedule_def::every e) {
    switch (e) {
      case schedule_def::every::week: return {"weekly"};
      case schedule_def::every::half_month: return {"half-month"};
      case schedule_def::every::month: return {"monthly", "sla", "legal-review-misses"};
      case schedule_def::every::quarter: return {"closure-rate"};
      case schedule_def::every::year: return {};
    }
    return {};
  }
  static bool report_fits(const std::string& report, schedule_def::every e) {
    const auto names = report_names(e);
    return std::find(names.begin(), names.end(), report) != names.end();
  }
  static std::string reports_for(schedule_def::every e) {
    const auto names = report_names(e);
    if (names.empty()) return "none";
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : " or ") + n;
    return out;
  }

  void read_escalations(const YAML::Node& node, procedure* p) {
    if (!node || !in_.expect_sequence(node, "escalations")) return;
    for (const auto& item : node) {
      if (!in_.expect_map(item, "an escalation")) continue;
      in_.check_keys(item, "an escalation",
                     {"rule", "after", "at", "since", "every", "when", "unless", "notify", "message", "raise", "set",
                      "run"});
      escalation_def e;
      if (!item["rule"] || (!item["after"] && !item["at"])) {
        in_.error(item, "an escalation needs 'rule:' and 'after:' (from opening) or 'at:' (from a date field)");
        continue;
      }
      e.id = in_.scalar(item["rule"], "rule").value_or("");
      const std::string where = fmt::format("escalation '{}'", e.id);
      if (item["after"])
        if (auto d = read_duration(item["after"], "after")) e.after = *d;
      if (item["at"]) e.at = read_field_time(item["at"], *p, where);
      if (item["every"]) e.every = read_duration(item["every"], "every");
      if (item["since"]) {
        const auto since = in_.scalar(item["since"], "since").value_or("");
        e.from_condition = since == "condition";
        if (since != "condition" && since != "opened")
          in_.error(item["since"], fmt::format("{}: since must be 'opened' or 'condition', not '{}'", where, since));
        if (e.from_condition && !item["when"])
          in_.error(item["since"], fmt::format("{}: 'since: condition' needs a 'when:' condition", where));
      }
      if (item["when"]) e.when = compile(item["when"], p->guard_names(), fmt::format("condition of {}", where));
      if (item["unless"]) e.unless = compile(item["unless"], p->guard_names(), fmt::format("'unless' of {}", where));
      e.effects = read_effects(item, *p, nullptr, where);
      p->escalations.push_back(std::move(e));
    }
  }

  void check_reachable(const std::unordered_map<std::string, YAML::Node>& bodies, const procedure& p) {
    if (!p.find_step(p.start)) return;
    std::set<std::string> seen{p.start};
    std::deque<std::string> queue{p.start};
    while (!queue.empty()) {
      const step_def* step = p.find_step(queue.front());
      queue.pop_front();
      if (!step) continue;
      for (const auto& action : step->actions)
        if (seen.insert(action.to).second) queue.push_back(action.to);
      if (step->fork) {
        for (const auto& branch : step->fork->branches)
          if (seen.insert(branch.from).second) queue.push_back(branch.from);
        if (seen.insert(step->fork->join.target).second) queue.push_back(step->fork->join.target);
      }
    }
    for (const auto& step : p.steps)
      if (!seen.count(step.id))
        in_.error(bodies.at(step.id), fmt::format("step '{}' is unreachable from the start step '{}'", step.id, p.start));
  }

  yaml_reader& in_;
  diagnostics* out_;
};

}  // namespace

std::optional<procedure> load_procedure_text(const std::string& text, const std::string& file, diagnostics* out,
                                             const handler_registry* handlers) {
  diagnostics local;
  yaml_reader in(file, &local);
  std::optional<procedure> result;
  if (auto root = in.parse(text)) result = procedure_reader(in, &local).read(*root, text);
  if (result && handlers) {
    detail::check_handler_calls(*result, *handlers, &local);
    if (has_errors(local)) result.reset();
  }
  out->insert(out->end(), local.begin(), local.end());
  return result;
}

std::optional<procedure> load_procedure_file(const std::string& path, diagnostics* out,
                                             const handler_registry* handlers) {
  auto text = read_text_file(path);
  if (!text) {
    out->push_back({path, 0, 0, "cannot read the file", diagnostic_level::error});
    return std::nullopt;
  }
  return load_procedure_text(*text, path, out, handlers);
}

const procedure* procedure_library::find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

std::vector<const procedure*> procedure_library::all() const {
  std::vector<const procedure*> list;
  for (const auto& [id, p] : by_id_) list.push_back(p.get());
  return list;
}

void procedure_library::add(procedure p) {
  auto id = p.id;
  by_id_[id] = std::make_shared<const procedure>(std::move(p));
}

std::vector<std::string> procedure_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto& path = entry.path();
    if (entry.is_regular_file() && path.extension() == ".yaml" && path.filename() != "org.yaml")
      files.push_back(path.string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

procedure_library load_procedure_library(const std::string& dir, diagnostics* out, const handler_registry* handlers) {
  procedure_library library;
  if (!std::filesystem::is_directory(dir)) {
    out->push_back({dir, 0, 0, "procedures folder not found (set --procedures or CASEFLOW_PROCEDURES)",
                    diagnostic_level::error});
    return library;
  }
  for (const auto& file : procedure_files(dir)) {
    auto p = load_procedure_file(file, out, handlers);
    if (!p) continue;
    if (const procedure* existing = library.find(p->id)) {
      out->push_back({file, 1, 1, fmt::format("procedure '{}' is already defined in {}", p->id, existing->file),
                      diagnostic_level::error});
      continue;
    }
    library.add(std::move(*p));
  }
  check_library(library, out);
  return library;
}

}  // namespace caseflow
