// caseflow/action_handler.h — the handler API: named pieces of behaviour that turn a case
// event into effects (field changes and outbound messages), and the channels that deliver
// those messages. Built-ins live in actions/ (notify, webhook, email, log); plug-ins add
// their own through the same registry (see caseflow_register_plugin below).
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
};

struct handler_effects {
  field_values set;                        // recorded as a fields_changed event
  std::vector<outbound_message> messages;  // written to the outbox
};

class action_handler {
 public:
  virtual ~action_handler() = default;
  virtual std::string_view name() const = 0;
  // Checks the handler's arguments when a procedure is loaded: "" when valid, else a
  // sentence saying what is wrong (the loader prefixes it with file:line:col).
  virtual std::string validate(const nlohmann::json& args) const = 0;
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
inline constexpr int k_plugin_api_version = 1;
using plugin_entry = int (*)(handler_registry* registry, int api_version, const char** error);
inline constexpr const char* k_plugin_entry_name = "caseflow_register_plugin";

}  // namespace caseflow
