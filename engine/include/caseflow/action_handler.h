// caseflow/action_handler.h — the handler API: named pieces of behaviour that turn a case
// event into effects (field changes and outbound messages), and the channels that deliver
// those messages. Built-ins live in actions/ (handlers notify, webhook, set, escalate,
// start_case; senders webhook, email, log); plug-ins add their own through the same registry
// (see caseflow_register_plugin below).
//
// Procedures call handlers by name in hooks (procedure.h handler_call). The runtime runs a
// call in the transaction of the event that triggers it, right after that event:
//   step on_enter   the event that enters the step: case_started (start step), the
//                   action_taken (or other event) whose to_step is the step
//   step on_exit    the event that leaves the step for another one (before the action's run
//                   and the next step's on_enter)
//   action run      the action_taken event of that action
//   on_breach run   the timer_fired event of the limit; escalation run: its timer_fired event
// A call with a `when:` guard that is false then is skipped and records nothing.
// Effects are recorded by `system`, each with {handler, hook, call} in its data (`call`: the
// call's place in its hook, from 1; events written before calls were numbered have none):
//   fields_changed      data {fields, reason, handler, hook, call}   (`set`, only values that change)
//   messages_requested  data {messages: [{channel, recipient, payload, not_before}], …} → outbox rows
//   subcase_started     data {case_id, procedure, wait}         (start_case; see runtime.h)
//
// A handler is pure with respect to the store: it reads a snapshot of the case and returns
// data; the runtime records field changes as events and writes messages to the outbox in the
// same transaction as the event that triggered them (see outbox.h). Handlers and senders are
// owned by the registry; the registry is a non-copyable handle used from one thread.
//
// Example (a handler that tells the assignee):
//   class hello final : public caseflow::action_handler {
//    public:
//     std::string_view name() const override { return "hello"; }
//     std::string validate(const nlohmann::json&) const override { return ""; }
//     caseflow::handler_effects run(const caseflow::handler_context& ctx, const nlohmann::json&) const override {
//       return {{}, {{"log", ctx.state.assignee, {{"text", "hello"}}, {}}}};
//     }
//   };
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "caseflow/event.h"
#include "caseflow/org.h"
#include "caseflow/outbox.h"
#include "caseflow/procedure.h"

namespace caseflow {

class calendar;

// What a handler sees. References are valid for the duration of run() only.
struct handler_context {
  const procedure& definition;
  const case_state& state;     // after the triggering event
  const event& trigger;
  const organisation& org;
  const calendar* cal = nullptr;  // the procedure's calendar, or null
  std::string hook;               // where the call is written, e.g. "on_enter of step 'x'" ("" outside hooks)
};

// A sub-case the handler asks for: a case of `procedure` opened by `system` with `fields`
// (name, value as typed on the command line) in the transaction of the trigger.
struct subcase_request {
  std::string procedure;
  std::vector<std::pair<std::string, std::string>> fields;
  bool wait = false;  // the parent may not change step while this sub-case is open
};

struct handler_effects {
  field_values set;                        // recorded as a fields_changed event
  std::vector<outbound_message> messages;  // written to the outbox
  std::vector<subcase_request> subcases;   // opened with the parent's change
  std::string reason;                      // why the fields change ("" = the handler and hook)
};

class action_handler {
 public:
  virtual ~action_handler() = default;
  virtual std::string_view name() const = 0;
  // Checks the handler's arguments when a procedure is loaded: "" when valid, else a
  // sentence saying what is wrong (the loader prefixes it with file:line:col).
  virtual std::string validate(const nlohmann::json& args) const = 0;
  // The same check knowing the procedure that calls the handler (field names, enum values):
  // what the loader calls. By default validate(args).
  virtual std::string validate_in(const procedure& /*caller*/, const nlohmann::json& args) const {
    return validate(args);
  }
  // REQUIRES: validate(args) returned "". Must not throw or do I/O.
  virtual handler_effects run(const handler_context& ctx, const nlohmann::json& args) const = 0;
};

// Handlers by name and senders by channel. Adding a second one under the same name replaces
// the first (a plug-in may override a built-in on purpose).
class handler_registry {
 public:
  handler_registry() = default;
  handler_registry(const handler_registry&) = delete;
  handler_registry& operator=(const handler_registry&) = delete;

  void add(std::unique_ptr<action_handler> h) {
    const std::string key(h->name());
    handlers_[key] = std::move(h);
  }
  void add(std::unique_ptr<channel_sender> s) {
    const std::string key(s->channel());
    senders_[key] = std::move(s);
  }
  const action_handler* find(std::string_view name) const {
    auto it = handlers_.find(name);
    return it == handlers_.end() ? nullptr : it->second.get();
  }
  // The senders by channel, in the form dispatch_outbox() takes.
  std::map<std::string, channel_sender*, std::less<>> senders() const {
    std::map<std::string, channel_sender*, std::less<>> out;
    for (const auto& [name, s] : senders_) out.emplace(name, s.get());
    return out;
  }
  std::vector<std::string> handler_names() const {
    std::vector<std::string> names;
    for (const auto& [name, h] : handlers_) names.push_back(name);
    return names;
  }

 private:
  std::map<std::string, std::unique_ptr<action_handler>, std::less<>> handlers_;
  std::map<std::string, std::unique_ptr<channel_sender>, std::less<>> senders_;
};

// The entry point a plug-in shared library exports (extern "C"): it adds its handlers and
// senders to `registry` and returns 0, or returns non-zero with a reason in *error (a
// static string). `api_version` is k_plugin_api_version of the loading caseflow; a plug-in
// built for another version must refuse.
inline constexpr int k_plugin_api_version = 2;
using plugin_entry = int (*)(handler_registry* registry, int api_version, const char** error);
inline constexpr const char* k_plugin_entry_name = "caseflow_register_plugin";

}  // namespace caseflow
