// Running handler calls in the transaction of their trigger. See hooks.h.
#include "handlers/hooks.h"

#include <fmt/format.h>

#include "caseflow/outbox.h"

namespace caseflow::detail {

namespace {

struct hook {
  std::string where;
  const handler_calls* calls;
};

// The hooks `e` triggers, in order: the step left, the action, the step entered, the timer.
std::vector<hook> triggered_by(const procedure& p, const event& e) {
  std::vector<hook> hooks;
  const step_def* from = p.find_step(e.from_step);
  const step_def* to = p.find_step(e.to_step);
  const bool moves = e.kind == event_kind::case_started || e.from_step != e.to_step;
  if (moves && from && e.kind != event_kind::case_started)
    hooks.push_back({fmt::format("on_exit of step '{}'", from->id), &from->on_exit});
  if (e.kind == event_kind::action_taken && from)
    if (const action_def* action = from->find_action(e.action))
      hooks.push_back({fmt::format("action '{}' of step '{}'", action->id, from->id), &action->run});
  if (moves && to) hooks.push_back({fmt::format("on_enter of step '{}'", to->id), &to->on_enter});
  if (e.kind == event_kind::timer_fired) {
    const std::string rule = e.data.value("rule", "");
    const std::string kind = e.data.value("kind", "");
    const auto timer = p.find_timer_rule(kind, rule);
    if (timer.effects)
      hooks.push_back({kind == "escalation" ? timer.description : "on_breach of " + timer.description, &timer.effects->run});
  }
  return hooks;
}

void push(const procedure& p, case_state* c, event e, std::vector<event>* out) {
  e.seq = c->seq + 1;
  *c = apply(p, std::move(*c), e);
  out->push_back(std::move(e));
}

// A call as its hook holds it: where the hook is written and the call's place in it, from 1.
struct placed_call {
  const handler_call& call;
  const std::string& where;
  std::size_t number;
};

// An effect event of `c` names the call that made it: {handler, hook, call (its number)}.
event effect_event(const procedure& p, const case_state& c, std::string_view kind, const event& trigger,
                   const placed_call& placed) {
  event e = system_event(p, c, kind, trigger.at);
  e.data = {{"handler", placed.call.handler}, {"hook", placed.where}, {"call", placed.number}};
  return e;
}

// Runs one call on `next` and appends the events of its effects. Returns "" or why not.
std::string run_call(const procedure& p, const placed_call& placed, const event& trigger, const hook_environment& env,
                     case_state* next, std::vector<event>* out) {
  const handler_call& call = placed.call;
  const std::string& where = placed.where;
  const action_handler* h = env.handlers.find(call.handler);
  if (!h)
    return fmt::format("handler '{}' ({} of {}) is not available; is its plug-in loaded?", call.handler, where, p.id);
  if (auto why = h->validate_in(p, call.args); !why.empty())
    return fmt::format("{} of {}: {}: {}", where, p.id, call.handler, why);
  const handler_context ctx{p, *next, trigger, env.org, env.cal, where};
  handler_effects effects = h->run(ctx, call.args);
  field_values changes;
  for (auto& [name, v] : effects.set) {
    auto current = next->fields.find(name);
    if (current == next->fields.end() || current->second != v) changes[name] = std::move(v);
  }
  if (!changes.empty()) {
    event e = effect_event(p, *next, event_kind::fields_changed, trigger, placed);
    e.data["fields"] = fields_to_json(changes);
    e.data["reason"] = effects.reason.empty() ? fmt::format("{} ({})", call.handler, where) : effects.reason;
    push(p, next, std::move(e), out);
  }
  if (!effects.messages.empty()) {
    event e = effect_event(p, *next, event_kind::messages_requested, trigger, placed);
    e.data["messages"] = messages_to_json(effects.messages);
    push(p, next, std::move(e), out);
  }
  for (const auto& request : effects.subcases) {
    std::string error;
    const std::string child = env.open_subcase(request, *next, &error);
    if (!error.empty()) return fmt::format("{} of {}: {}: {}", where, p.id, call.handler, error);
    event e = effect_event(p, *next, event_kind::subcase_started, trigger, placed);
    e.data["case_id"] = child;
    e.data["procedure"] = request.procedure;
    e.data["wait"] = request.wait;
    push(p, next, std::move(e), out);
  }
  return "";
}

}  // namespace

bool call_guard_holds(const handler_call& call, const field_values& fields, const std::string& actor) {
  if (!call.when) return true;
  field_values values = fields;
  values["actor"] = actor;
  return call.when->evaluate(values);
}

std::vector<event> run_hooks(const procedure& p, const case_state& current, std::vector<event> events,
                             const hook_environment& env, std::string* error) {
  std::vector<event> out;
  case_state next = current;
  for (auto& decided : events) {
    push(p, &next, std::move(decided), &out);
    const event trigger = out.back();
    for (const auto& h : triggered_by(p, trigger))
      for (std::size_t i = 0; i < h.calls->size(); ++i) {
        const handler_call& call = (*h.calls)[i];
        if (!call_guard_holds(call, next.fields, trigger.actor)) continue;
        if (auto why = run_call(p, {call, h.where, i + 1}, trigger, env, &next, &out); !why.empty()) {
          *error = why;
          return {};
        }
      }
  }
  return out;
}

}  // namespace caseflow::detail
