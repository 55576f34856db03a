// Handler calls in procedure hooks: loading them (engine/src/handlers/call_loader.cpp) and
// running them in the transaction of their trigger (engine/src/handlers/hooks.cpp, runtime/runtime.cpp),
// sub-cases included. Runs on a SQLite store in a temporary file with the real built-ins.
#include <filesystem>
#include <string>

#include <doctest/doctest.h>

#include "caseflow/actions.h"
#include "caseflow/loader.h"
#include "caseflow/replay.h"
#include "caseflow/runtime.h"
#include "caseflow/sqlite_store.h"
#include "caseflow/verify.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

constexpr const char* k_intake = R"(procedure: intake
name: { zh: 受理, en: Intake }
case_id: "IN-{yyyy}-{seq:03}"
roles: { clerk: 文员 }
fields:
  address: { type: text, required: true }
  severity: { type: enum, values: [general, important, hot], default: general }
  priority: { type: enum, values: [low, high], default: low }
  repaired: bool
start: received
steps:
  received:
    role: clerk
    on_enter:
      - set: { priority: high }
    actions:
      repeat:
        to: received
        run:
          - escalate: { severity: important, reason: "二次投诉" }
      dispatch: repairing
  repairing:
    role: clerk
    wait_for_subcases: true
    after_subcases: finish
    on_enter:
      - start_case: { procedure: fix, fields: { where: "{case.address}", title: "投诉 {case.id}" }, wait: true }
    on_exit:
      - set: { repaired: true }
    actions:
      finish: done
  done: { terminal: true }
)";

constexpr const char* k_fix = R"(procedure: fix
name: { zh: 维修, en: Fix }
case_id: "FX-{yyyy}-{seq:03}"
roles: { worker: 工人 }
fields:
  where: { type: text, required: true }
  title: text
  cost: money
start: survey
steps:
  survey:
    role: worker
    actions: { complete: { to: fixed, sets: [cost] } }
  fixed:
    resolved: true
    role: worker
    actions: { reopen: survey }
)";

const handler_registry& builtins() { return test::builtin_handlers(); }

diagnostics load_problems(const std::string& text) {
  diagnostics problems;
  load_procedure_text(text, "intake.yaml", &problems, &builtins());
  return problems;
}

std::string first_error(const std::string& text) {
  auto problems = load_problems(text);
  REQUIRE_FALSE(problems.empty());
  return to_string(problems.front());
}

TEST_CASE("handler hooks: an unknown handler is a load error at its line:col with a did-you-mean") {
  const std::string text = test::replace_once(k_intake, "      - set: { priority: high }", "      - sett: { priority: high }");
  CHECK(first_error(text) ==
        "intake.yaml:15:9: on_enter of step 'received': unknown handler 'sett'; did you mean 'set'?; handlers: "
        "escalate, notify, set, start_case, webhook");
}

TEST_CASE("handler hooks: a handler's own argument check is a load error at the call's line:col") {
  CHECK(first_error(test::replace_once(k_intake, "{ severity: important, reason: \"二次投诉\" }", "{ severity: urgent, reason: x }")) ==
        "intake.yaml:20:13: action 'repeat' of step 'received': escalate: field 'severity': 'urgent' is not one of "
        "general | important | hot");
  CHECK(first_error(test::replace_once(k_intake, "- set: { repaired: true }", "- set: { repiared: true }")) ==
        "intake.yaml:29:9: on_exit of step 'repairing': set: unknown field 'repiared'; did you mean 'repaired'?");
}

TEST_CASE("handler hooks: a hook must be a list of single-key calls, and after_subcases names an action") {
  CHECK(first_error(test::replace_once(k_intake, "    on_enter:\n      - set: { priority: high }", "    on_enter: { set: x }")) ==
        "intake.yaml:14:15: on_enter of step 'received' must be a list");
  CHECK(first_error(test::replace_once(k_intake, "after_subcases: finish", "after_subcases: finsh")) ==
        "intake.yaml:25:21: after_subcases: 'finsh' is not an action of step 'repairing'; did you mean 'finish'?");
}

TEST_CASE("handler hooks: without a registry the calls are read but not checked") {
  diagnostics problems;
  const std::string text = test::replace_once(k_intake, "      - set: { priority: high }", "      - sett: { priority: high }");
  auto p = load_procedure_text(text, "intake.yaml", &problems);
  REQUIRE(p.has_value());
  REQUIRE(p->steps.front().on_enter.size() == 1);
  CHECK(p->steps.front().on_enter.front().handler == "sett");
  CHECK(p->steps.front().on_enter.front().args == nlohmann::json::parse(R"({"priority": "high"})"));
}

class hooked_world {
 public:
  hooked_world() : path_(std::filesystem::temp_directory_path() / ("caseflow_hooks_" + std::to_string(::getpid()) + ".db")) {
    std::filesystem::remove(path_);
    for (const char* text : {k_intake, k_fix}) {
      diagnostics problems;
      auto p = load_procedure_text(text, "inline.yaml", &problems, &builtins());
      REQUIRE(p.has_value());
      library_.add(std::move(*p));
    }
    org_.add(person{"ann", "安娜", {"clerk"}, "", ""});
    org_.add(person{"wu", "吴工", {"worker"}, "", ""});
    store_ = std::make_unique<sqlite_store>(path_.string());
    rt_ = std::make_unique<runtime>(*store_, library_, org_, nullptr);
    rt_->set_handlers(&builtins());
  }
  ~hooked_world() {
    rt_.reset();
    store_.reset();
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix, ignored);
  }
  runtime& rt() { return *rt_; }
  store& storage() { return *store_; }

  outcome act(const std::string& id, const std::string& actor, const std::string& action,
              std::vector<std::pair<std::string, std::string>> sets = {}) {
    command cmd;
    cmd.type = command::kind::act;
    cmd.actor = actor;
    cmd.action = action;
    cmd.sets = std::move(sets);
    return rt_->execute(id, cmd, now_);
  }
  instant now_ = parse_instant("2026-03-02T10:00+08:00").value_or(instant{});

 private:
  std::filesystem::path path_;
  procedure_library library_;
  organisation org_;
  std::unique_ptr<sqlite_store> store_;
  std::unique_ptr<runtime> rt_;
};

std::vector<std::string> event_kinds(const std::vector<event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.kind);
  return out;
}

void check_replay_equals_store(hooked_world& w, const std::string& id) {
  auto loaded = w.rt().load(id);
  REQUIRE(loaded.has_value());
  const case_state replayed = replay_case(*loaded->definition, w.storage().case_events(id));
  CHECK(json_differences(state_to_json(loaded->state), state_to_json(replayed)).empty());
}

TEST_CASE("handler hooks: set on entry and escalate on an action are recorded as system events with the handler named") {
  hooked_world w;
  command open;
  open.actor = "ann";
  open.sets = {{"address", "幸福里 3-201"}};
  const outcome started = w.rt().start("intake", open, w.now_);
  REQUIRE(started.result == outcome::status::done);
  CHECK(started.case_id == "IN-2026-001");
  REQUIRE(event_kinds(started.events) == std::vector<std::string>{"case_started", "fields_changed"});
  const event& set = started.events[1];
  CHECK(set.actor == "system");
  CHECK(set.data["fields"] == nlohmann::json::parse(R"({"priority": "high"})"));
  CHECK(set.data["handler"] == "set");
  CHECK(set.data["hook"] == "on_enter of step 'received'");
  CHECK(set.data["reason"] == "set (on_enter of step 'received')");

  const outcome repeated = w.act("IN-2026-001", "ann", "repeat");
  REQUIRE(repeated.result == outcome::status::done);
  REQUIRE(event_kinds(repeated.events) == std::vector<std::string>{"action_taken", "fields_changed"});
  CHECK(repeated.events[1].data["fields"] == nlohmann::json::parse(R"({"severity": "important"})"));
  CHECK(repeated.events[1].data["reason"] == "escalate: 二次投诉");
  // Taken again: severity is already important, so nothing is raised or recorded.
  CHECK(event_kinds(w.act("IN-2026-001", "ann", "repeat").events) == std::vector<std::string>{"action_taken"});

  CHECK(verify_cases(w.rt()).empty());
  check_replay_equals_store(w, "IN-2026-001");
}

TEST_CASE("handler hooks: a parent opens a sub-case, waits for it, and moves on when it is resolved") {
  hooked_world w;
  command open;
  open.actor = "ann";
  open.sets = {{"address", "幸福里 3-201"}};
  REQUIRE(w.rt().start("intake", open, w.now_).case_id == "IN-2026-001");

  const outcome dispatched = w.act("IN-2026-001", "ann", "dispatch");
  REQUIRE(dispatched.result == outcome::status::done);
  REQUIRE(event_kinds(dispatched.events) == std::vector<std::string>{"action_taken", "subcase_started"});
  CHECK(dispatched.events[1].data["case_id"] == "FX-2026-001");
  CHECK(dispatched.events[1].data["procedure"] == "fix");
  CHECK(dispatched.events[1].data["wait"] == true);

  const auto child_log = w.storage().case_events("FX-2026-001");
  REQUIRE(child_log.size() == 1);
  CHECK(child_log[0].kind == "case_started");
  CHECK(child_log[0].actor == "system");
  CHECK(child_log[0].data["parent"] == "IN-2026-001");
  CHECK(child_log[0].data["fields"] == nlohmann::json::parse(R"({"where": "幸福里 3-201", "title": "投诉 IN-2026-001"})"));

  const outcome early = w.act("IN-2026-001", "ann", "finish");
  CHECK(early.result == outcome::status::refused);
  CHECK(early.message == "case IN-2026-001 is waiting for its sub-case FX-2026-001 (fix): action 'finish' cannot leave "
                         "step 'repairing' until it reaches a terminal or resolved step");

  const outcome fixed = w.act("FX-2026-001", "wu", "complete", {{"cost", "1200.50"}});
  REQUIRE(fixed.result == outcome::status::done);
  const auto parent_log = w.storage().case_events("IN-2026-001");
  std::vector<event> tail(parent_log.end() - 3, parent_log.end());
  REQUIRE(event_kinds(tail) == std::vector<std::string>{"subcase_finished", "action_taken", "fields_changed"});
  CHECK(tail[0].data["case_id"] == "FX-2026-001");
  CHECK(tail[0].data["step"] == "fixed");
  CHECK(tail[0].data["outcome"]["cost"] == "1200.50");
  CHECK(tail[1].actor == "system");
  CHECK(tail[1].action == "finish");
  CHECK(tail[2].data["hook"] == "on_exit of step 'repairing'");
  auto parent = w.rt().load("IN-2026-001");
  REQUIRE(parent.has_value());
  CHECK(parent->state.step == "done");
  REQUIRE(parent->state.subcases.size() == 1);
  CHECK_FALSE(parent->state.subcases[0].open);
  CHECK(parent->state.subcases[0].step == "fixed");
  CHECK(w.rt().load("FX-2026-001")->state.parent == "IN-2026-001");

  CHECK(verify_cases(w.rt()).empty());
  check_replay_equals_store(w, "IN-2026-001");
  check_replay_equals_store(w, "FX-2026-001");
}

}  // namespace
}  // namespace caseflow
