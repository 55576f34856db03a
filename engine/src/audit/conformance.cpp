// Conformance: every event re-decided on the state before it. See caseflow/conformance.h.
#include "caseflow/conformance.h"

#include <algorithm>

#include <fmt/format.h>

#include "caseflow/similar.h"
#include "core/branch_rules.h"
#include "handlers/call_loader.h"
#include "handlers/hooks.h"
#include "caseflow/erasure.h"

namespace caseflow {

namespace {

std::string_view rule_for(refusal_code code) {
  switch (code) {
    case refusal_code::not_permitted:
    case refusal_code::unknown_person: return "role";
    case refusal_code::guard_failed: return "guard";
    case refusal_code::case_closed: return "terminal";
    case refusal_code::time_out_of_order: return "time";
    case refusal_code::branch_not_open:
    case refusal_code::branch_ambiguous: return "branch";
    case refusal_code::unknown_action:
    case refusal_code::invalid_value:
    case refusal_code::missing_value:
    case refusal_code::comment_required: break;
  }
  return "action";
}

// The `--set` items that reproduce the fields an event recorded. An erased personal value
// (null) is replaced by a placeholder of the same type so that required checks still pass.
std::vector<std::pair<std::string, std::string>> sets_of(const procedure& p, const event& e) {
  std::vector<std::pair<std::string, std::string>> sets;
  const auto fields = e.data.find("fields");
  if (fields == e.data.end() || !fields->is_object()) return sets;
  for (const auto& [name, raw] : fields->items()) {
    const field_def* field = p.find_field(name);
    if (raw.is_null() && field && field->personal && field->type == field_type::text) {
      sets.emplace_back(name, "(erased)");
      continue;
    }
    if (raw.is_null()) continue;
    auto v = field ? value_from_json(field->type, raw) : std::nullopt;
    sets.emplace_back(name, v ? format_value(*v) : (raw.is_string() ? raw.get<std::string>() : raw.dump()));
  }
  return sets;
}

// The command a person's event records, for re-deciding it.
std::optional<command> command_of(const procedure& p, const event& e) {
  command cmd;
  cmd.actor = e.actor;
  cmd.comment = e.comment;
  cmd.branch = e.branch;
  if (e.kind == event_kind::case_started) {
    cmd.type = command::kind::start;
    cmd.sets = sets_of(p, e);
    // A sub-case, or the case of a schedule's period.
    cmd.automatic = e.actor == k_system_actor &&
                    (!e.data.value("parent", "").empty() || !e.data.value("schedule", "").empty());
  } else if (e.kind == event_kind::action_taken) {
    cmd.type = command::kind::act;
    cmd.action = e.action;
    cmd.sets = sets_of(p, e);
    cmd.automatic = e.actor == k_system_actor;
  } else if (e.kind == event_kind::assigned) {
    cmd.type = command::kind::assign;
    cmd.assignee = e.data.value("assignee", "");
  } else if (e.kind == event_kind::note_added) {
    cmd.type = command::kind::note;
  } else if (e.kind == event_kind::attachment_added) {
    cmd.type = command::kind::attach;
    cmd.automatic = e.actor == k_system_actor;  // a schedule's report
    cmd.comment = e.data.value("note", "");
    cmd.attachment = {e.data.value("name", ""), e.data.value("size", std::int64_t{0}), e.data.value("digest", "")};
  } else {
    return std::nullopt;
  }
  return cmd;
}

// The automatic action the timer `rule` takes, or "" when it takes none.
std::string automatic_action(const procedure& p, std::string_view rule) {
  for (const char* kind : {"escalation", "limit", "obligation"})
    if (const auto timer = p.find_timer_rule(kind, rule); timer.effects) return timer.effects->action;
  return "";
}

class checker {
 public:
  checker(const procedure& p, const organisation_lookup& org_at, const calendar* cal)
      : p_(p), org_at_(org_at), cal_(cal) {}

  void check(const event& e) {
    // The organisation the event was decided under; an unknown version is judged by the one
    // in force, after saying so.
    const organisation* org = org_at_(e.org_version);
    if (!org) {
      add(e, "organisation", fmt::format("decided under organisation version {}, which was never deployed in this "
                                         "database",
                                         e.org_version));
      org = org_at_("");
    }
    org_ = org;
    if (e.seq != state_.seq + 1 || (state_.exists() && e.case_id != state_.id))
      add(e, "sequence", fmt::format("expected event {} of case {} here", state_.seq + 1, state_.id));
    if (state_.exists() && e.at < state_.updated_at)
      add(e, "time", fmt::format("recorded at {}, before the event before it ({}): time only moves forward within a case",
                                 format_instant_utc(e.at), format_instant_utc(state_.updated_at)));
    if (e.definition_hash != p_.hash)
      add(e, "definition", fmt::format("decided under definition {} but the case is pinned to {}", e.definition_hash, p_.hash));
    const auto position = state_.position(e.branch);  // each branch's events against its own step
    if (state_.exists() && !position)
      add(e, "branch", fmt::format("acts on branch '{}', which is not open", e.branch));
    else if (state_.exists() && e.from_step != position->step)
      add(e, "sequence", fmt::format("starts from step '{}' but {} was in '{}'", e.from_step,
                                     e.branch.empty() ? "the case" : fmt::format("branch '{}'", e.branch), position->step));
    const step_def* from = p_.find_step(state_.step);
    const bool in_terminal = state_.exists() && from && from->terminal && e.branch.empty();
    if (in_terminal && e.to_step != state_.step)
      add(e, "terminal", fmt::format("leaves the terminal step '{}' for '{}'", state_.step, e.to_step));
    if (e.kind == event_kind::personal_data_erased) check_erasure(e);
    else if (auto cmd = command_of(p_, e)) redecide(e, *cmd, in_terminal);
    else check_engine_event(e);
    if (e.kind == event_kind::timer_fired) last_timer_ = e;
    if (e.kind == event_kind::case_started) scheduled_ = !e.data.value("schedule", "").empty();
    if (e.kind == event_kind::subcase_finished) last_subcase_finished_ = e;
    note_handler_context(e);
    state_ = apply(p_, std::move(state_), e);
  }

  std::vector<finding> take() { return std::move(findings_); }

 private:
  void add(const event& e, std::string_view rule, std::string message) {
    findings_.push_back({e.case_id, e.seq, std::string(rule), std::move(message)});
  }

  bool timer_fired_now(const event& e) const { return last_timer_ && last_timer_->at == e.at; }

  // `e` is the action the current step takes once its sub-cases finished, recorded with the
  // subcase_finished that closed the last one.
  bool after_subcases_now(const event& e) const {
    const step_def* step = p_.find_step(state_.step);
    return step && step->after_subcases == e.action && last_subcase_finished_ && last_subcase_finished_->at == e.at &&
           std::none_of(state_.subcases.begin(), state_.subcases.end(), [](const case_subcase& s) { return s.open; });
  }

  static bool is_handler_effect(const event& e) {
    return e.data.contains("handler") && (e.kind == event_kind::fields_changed ||
                                          e.kind == event_kind::messages_requested ||
                                          e.kind == event_kind::subcase_started);
  }

  // The call a handler's effect names: {handler, hook, call} of its data (handlers/hooks.cpp).
  // `number` is the call's place in its hook from 1; 0 for an event written before calls were
  // numbered (any call of the handler in the hook may have made it); -1 when it is not a
  // positive integer (no call did).
  struct call_ref {
    std::string handler;
    std::string hook;
    std::int64_t number = 0;
    bool operator==(const call_ref&) const = default;
  };
  static call_ref call_of(const event& e) {
    call_ref ref{e.data.value("handler", ""), e.data.value("hook", ""), 0};
    if (const auto n = e.data.find("call"); n != e.data.end())
      ref.number = n->is_number_integer() && n->get<std::int64_t>() > 0 ? n->get<std::int64_t>() : -1;
    return ref;
  }

  // Remembers, before `e` is applied, what the guard of a later handler effect is judged with:
  // the actor of the trigger (the last event that is not a handler's effect), and the fields
  // before a handler's field change, which a message or sub-case of the same call right after
  // it was judged on (a call records its field change first, handlers/hooks.cpp).
  void note_handler_context(const event& e) {
    if (!is_handler_effect(e)) trigger_actor_ = e.actor;
    if (is_handler_effect(e) && e.kind == event_kind::fields_changed)
      last_handler_change_ = handler_change{call_of(e), state_.fields};
    else
      last_handler_change_.reset();
  }

  // The fields the guard of the call that recorded `e` was judged on (handlers/hooks.h).
  const field_values& guard_fields(const event& e) const {
    const bool same_call =
        e.kind != event_kind::fields_changed && last_handler_change_ && last_handler_change_->call == call_of(e);
    return same_call ? last_handler_change_->fields_before : state_.fields;
  }

  // What is wrong with an effect a handler recorded ("" when nothing): the call it names must be
  // written in the named hook with its `when:` holding (call_guard_holds, as the runtime judged
  // it), at the same moment as the event before it (its trigger, or an effect of the same
  // trigger).
  std::string handler_effect_problem(const event& e) const {
    const call_ref ref = call_of(e);
    const std::string what = fmt::format("{} by handler '{}' in {}", effect_wording(e.kind), ref.handler, ref.hook);
    const handler_call* guarded = nullptr;
    if (state_.updated_at == e.at)
      for (const auto& h : detail::all_hooks(p_))
        if (h.where == ref.hook)
          for (std::size_t i = 0; i < h.calls->size(); ++i) {
            const handler_call& call = (*h.calls)[i];
            if (call.handler != ref.handler || (ref.number != 0 && ref.number != static_cast<std::int64_t>(i + 1)))
              continue;
            if (detail::call_guard_holds(call, guard_fields(e), trigger_actor_)) return "";
            guarded = &call;
          }
    if (guarded) return fmt::format("{}, a call whose guard `{}` was false then", what, guarded->when->source());
    return fmt::format("{}, which the procedure does not call there, or not at the moment of its trigger", what);
  }

  static std::string_view effect_wording(std::string_view kind) {
    if (kind == event_kind::fields_changed) return "fields changed";
    if (kind == event_kind::messages_requested) return "messages requested";
    return "sub-case started";
  }

  void redecide(const event& e, const command& cmd, bool in_terminal) {
    if (cmd.automatic && cmd.type == command::kind::start) {
      // a sub-case opened by its parent's handler, or a schedule's case: checked by its fields
      // and start step below
      const std::string schedule = e.data.value("schedule", "");
      if (!schedule.empty() && std::none_of(p_.schedules.begin(), p_.schedules.end(),
                                            [&](const schedule_def& s) { return s.id == schedule; }))
        add(e, "role", fmt::format("`system` opened the case for schedule '{}', which {} does not have", schedule, p_.id));
    } else if (cmd.automatic && cmd.type == command::kind::attach) {
      if (!scheduled_ || e.at != state_.opened_at)
        add(e, "role", "`system` attached evidence, which it does only for the report of a schedule's case as it opens");
    } else if (cmd.automatic && after_subcases_now(e)) {
      // the parent's step takes this action when its last sub-case finished
    } else if (cmd.automatic) {
      const std::string rule = last_timer_ ? last_timer_->data.value("rule", "") : "";
      if (!timer_fired_now(e) || automatic_action(p_, rule) != e.action)
        add(e, "role", fmt::format("`system` took action '{}' but no timer that takes it fired at that moment", e.action));
    } else if (e.actor == k_system_actor) {
      add(e, "role", fmt::format("`system` recorded a {} event, which only a person may", e.kind));
      return;
    }
    case_state before = state_;
    if (cmd.type == command::kind::start) before = case_state{};
    before.id = e.case_id;
    const decision d = decide(p_, *org_, before, cmd, moment_in(cal_, e.at));
    if (!d) {
      // A terminal-step finding was already recorded for an event that left the step.
      const std::string_view rule = rule_for(d.refused->code);
      if (!(rule == "terminal" && in_terminal && e.to_step != state_.step))
        add(e, rule, fmt::format("not allowed when re-decided: {}", d.refused->message));
      return;
    }
    const event& again = d.events.front();
    extension_.reset();
    if (d.events.size() > 1 && d.events[1].kind == event_kind::deadline_changed) extension_ = d.events[1];
    if (again.kind != e.kind || again.action != e.action)
      add(e, "action", fmt::format("re-deciding gives a {} '{}' event, not {} '{}'", again.kind, again.action, e.kind, e.action));
    if (again.to_step != e.to_step)
      add(e, "transition", fmt::format("'{}' leads to step '{}', not '{}'", cmd.action.empty() ? e.kind : cmd.action,
                                       again.to_step, e.to_step));
    if (again.role != e.role || again.on_behalf_of != e.on_behalf_of)
      add(e, "role", fmt::format("{} acted as '{}'{} but the rules give '{}'{}", e.actor, e.role,
                                 e.on_behalf_of.empty() ? "" : " for " + e.on_behalf_of, again.role,
                                 again.on_behalf_of.empty() ? "" : " for " + again.on_behalf_of));
  }

  // An erasure: by a person holding the erasure role, of personal fields only (erasure.h).
  void check_erasure(const event& e) {
    const person* who = org_->find(e.actor);
    if (!who || !who->holds(k_erasure_role) || e.role != k_erasure_role)
      add(e, "role", fmt::format("{} erased personal data as '{}' but only a person holding '{}' may", e.actor, e.role,
                                 k_erasure_role));
    for (const auto& name : e.data.value("erased", nlohmann::json::array())) {
      const field_def* field = name.is_string() ? p_.find_field(name.get<std::string>()) : nullptr;
      if (!field || !field->personal) add(e, "action", fmt::format("erased {}, which is not a personal field", name.dump()));
    }
  }

  // The opening, end, cancel-on-leaving and join of branches, as decide() records them after
  // the event that leads to them.
  void check_branch_event(const event& e) {
    if (e.kind == event_kind::branches_opened) {
      const auto expected = detail::fork_opening(p_, state_, e.branch, e.at);
      if (!expected || expected->data != e.data)
        add(e, "branch", fmt::format("opened branches {} in step '{}', which the procedure does not open there now{}",
                                     e.data.value("branches", nlohmann::json::array()).dump(), e.from_step,
                                     expected ? " (it opens " + expected->data["branches"].dump() + ")" : ""));
      return;
    }
    if (e.kind == event_kind::branch_cancelled) {
      const case_branch* cancelled = state_.find_branch(e.branch);
      const auto parent = cancelled ? state_.position(cancelled->parent) : std::nullopt;
      if (e.data.value("reason", "") == "left" && parent && parent->step == cancelled->fork)
        add(e, "branch", fmt::format("branch '{}' was cancelled as left, but its fork step '{}' was not left", e.branch,
                                     cancelled->fork));
      return;
    }
    const case_branch* b = state_.find_branch(e.branch);
    if (e.kind == event_kind::branch_finished && b && b->step != b->end)
      add(e, "branch", fmt::format("branch '{}' finished in step '{}' but it ends in '{}'", e.branch, b->step, b->end));
    if (e.kind != event_kind::branches_joined) return;
    const case_fork* fork = detail::open_fork(state_, e.branch);
    if (!fork || fork->step != e.from_step || !detail::join_ready(state_, *fork))
      add(e, "branch", fmt::format("branches of step '{}' joined, but its join rule does not hold", e.from_step));
    else if (e.to_step != fork->join.target)
      add(e, "transition", fmt::format("the join of step '{}' leads to step '{}', not '{}'", fork->step,
                                       fork->join.target, e.to_step));
  }

  // Events only the engine records: deadlines, timers, field changes, notifications, approvals,
  // branches (a person may cancel a branch).
  void check_engine_event(const event& e) {
    if (e.kind == event_kind::branch_cancelled && e.actor != k_system_actor) return;
    if (e.kind == event_kind::deadline_changed && e.data.value("reason", "") == "extension") {
      check_extension(e);
      return;
    }
    if (e.actor != k_system_actor) {
      add(e, "role", fmt::format("{} recorded a {} event, which only `system` may", e.actor, e.kind));
      return;
    }
    if (e.kind == event_kind::branch_finished || e.kind == event_kind::branches_joined ||
        e.kind == event_kind::branches_opened || e.kind == event_kind::branch_cancelled) {
      check_branch_event(e);
    } else if (e.kind == event_kind::timer_fired) {
      const std::string rule = e.data.value("rule", "");
      const case_deadline* pending = state_.find_deadline(rule);
      if (!pending || pending->breached)
        add(e, "timer", fmt::format("timer '{}' fired but was not pending", rule));
      else if (e.at < pending->due)
        add(e, "timer", fmt::format("timer '{}' fired at {}, before it was due at {}", rule, format_instant_utc(e.at),
                                    format_instant_utc(pending->due)));
      else if (e.data.value("due", "") != format_instant_utc(pending->due))
        add(e, "timer", fmt::format("timer '{}' records due {} but it was due at {}", rule, e.data.value("due", ""),
                                    format_instant_utc(pending->due)));
    } else if (e.kind == event_kind::fields_changed && e.data.contains("similar")) {
      check_similar_raise(e);
    } else if (is_handler_effect(e)) {
      if (auto problem = handler_effect_problem(e); !problem.empty()) add(e, "handler", std::move(problem));
    } else if (e.kind == event_kind::fields_changed && !timer_fired_now(e)) {
      add(e, "timer", "the engine changed fields, but no timer fired at that moment");
    }
  }

  // An extension by a person: exactly what re-deciding the action just before it gives.
  void check_extension(const event& e) {
    const auto same = [&](const char* key) { return extension_->data.value(key, "") == e.data.value(key, ""); };
    if (!extension_ || extension_->seq != e.seq || extension_->actor != e.actor || !same("rule") || !same("due") ||
        !same("old_due"))
      add(e, "extension",
          fmt::format("{} extended limit '{}' to {}, which the action before it does not do when re-decided{}", e.actor,
                      e.data.value("rule", ""), e.data.value("due", ""),
                      extension_ ? fmt::format(" (it extends '{}' to {})", extension_->data.value("rule", ""),
                                               extension_->data.value("due", ""))
                                 : ""));
    extension_.reset();
  }

  // A raise by a similar-cases rule: the rule exists, the count recorded reaches it, and the
  // fields are raised to the rule's values, never lowered. (The count itself comes from the
  // index of the whole database, not from this case's log.)
  void check_similar_raise(const event& e) {
    const std::string rule_id = e.data.value("rule", "");
    const similar_rule* rule = nullptr;
    if (p_.similar)
      for (const auto& r : p_.similar->rules)
        if (r.id == rule_id) rule = &r;
    if (!rule) {
      add(e, "similar", fmt::format("fields raised by similar-cases rule '{}', which the definition does not have", rule_id));
      return;
    }
    const int count = e.data["similar"].value("count", 0);
    if (count < rule->at_least)
      add(e, "similar", fmt::format("similar-cases rule '{}' needs {} but the event records {}", rule_id, rule->at_least, count));
    const field_values changed = fields_from_json(p_, e.data.value("fields", nlohmann::json::object()));
    const field_values allowed = raised_fields(p_, state_.fields, rule->raise);
    if (changed != allowed)
      add(e, "similar", fmt::format("similar-cases rule '{}' raises {} here, not {}", rule_id,
                                    fields_to_json(allowed).dump(), e.data.value("fields", nlohmann::json::object()).dump()));
  }

  const procedure& p_;
  const organisation_lookup& org_at_;
  const organisation* org_ = nullptr;  // the event's (set by check)
  const calendar* cal_;
  case_state state_;
  std::optional<event> last_timer_;
  // The extension the last re-decided action makes (extension_def), if it makes one.
  std::optional<event> extension_;
  std::optional<event> last_subcase_finished_;
  bool scheduled_ = false;  // the case was opened by a schedule (case_started data `schedule`)
  std::string trigger_actor_;  // the actor of the last event that is not a handler's effect
  struct handler_change {
    call_ref call;
    field_values fields_before;
  };
  std::optional<handler_change> last_handler_change_;  // when the last event is one
  std::vector<finding> findings_;
};

}  // namespace

std::vector<finding> check_conformance(const procedure& p, const organisation& org, const calendar* cal,
                                       const std::vector<event>& events) {
  return check_conformance(p, organisation_lookup([&org](std::string_view) { return &org; }), cal, events);
}

std::vector<finding> check_conformance(const procedure& p, const organisation_lookup& org_at, const calendar* cal,
                                       const std::vector<event>& events) {
  checker c(p, org_at, cal);
  for (const auto& e : events) c.check(e);
  return c.take();
}

}  // namespace caseflow
