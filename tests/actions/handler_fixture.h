// handler_fixture.h — a small procedure, organisation and case for the built-in handlers'
// unit tests (header-only: the test glob builds only *_test.cpp files).
#pragma once

#include <deque>
#include <string>

#include <doctest/doctest.h>

#include "caseflow/action_handler.h"
#include "caseflow/actions.h"
#include "caseflow/core.h"
#include "caseflow/loader.h"

namespace caseflow::test {

inline constexpr const char* k_handler_procedure = R"(procedure: repair
name: { zh: 维修单, en: Repair order }
roles: { clerk: 文员, manager: 经理 }
fields:
  address: { type: text, required: true }
  phone: { type: text, personal: true }
  severity: { type: enum, values: [general, important, hot, major], default: general }
  priority: { type: enum, values: [low, normal, high], default: normal }
  visits: int
  urgent: bool
start: open
steps:
  open:
    role: clerk
    actions: { close: closed }
  closed: { terminal: true }
)";

inline const procedure& handler_procedure() {
  static const procedure p = [] {
    diagnostics problems;
    auto loaded = load_procedure_text(k_handler_procedure, "repair.yaml", &problems);
    REQUIRE(loaded.has_value());
    return *loaded;
  }();
  return p;
}

inline const organisation& handler_org() {
  static const organisation o = [] {
    organisation built;
    built.add(person{"ann", "安娜", {"clerk"}, "ann@example.com", ""});
    built.add(person{"max", "马克", {"manager"}, "max@example.com", ""});
    return built;
  }();
  return o;
}

// A case RP-1 in step `open` with `fields`, and the event that triggered the handler.
struct handler_case {
  case_state state;
  event trigger;

  explicit handler_case(field_values fields = {}) {
    state.id = "RP-1";
    state.procedure = "repair";
    state.step = "open";
    state.seq = 3;
    state.fields = std::move(fields);
    trigger.id = 42;
    trigger.case_id = "RP-1";
    trigger.seq = 3;
    trigger.at = parse_instant("2026-03-02T10:00+08:00").value_or(instant{});
    trigger.kind = "action_taken";
  }
  handler_context context(const calendar* cal = nullptr) const {
    return handler_context{handler_procedure(), state, trigger, handler_org(), cal, "on_enter of step 'open'"};
  }
};

// The built-in handler `name`, from a registry configured by `config`. Each call registers into
// a registry of its own, kept for the life of the test binary, so a handler returned earlier
// stays valid (registering again into one registry would replace, and destroy, it).
inline const action_handler& builtin(const std::string& name, const actions::delivery_config& config = {}) {
  static std::deque<handler_registry> registries;
  handler_registry& registry = registries.emplace_back();
  actions::register_builtins(registry, config);
  const action_handler* h = registry.find(name);
  REQUIRE(h != nullptr);
  return *h;
}

}  // namespace caseflow::test
