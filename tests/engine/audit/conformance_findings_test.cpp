// Conformance findings one by one (engine/src/audit/conformance.cpp): a real log made by the
// runtime, one thing in it tampered, and exactly the one finding that names it.
#include "caseflow/conformance.h"

#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "caseflow/actions.h"
#include "caseflow/loader.h"
#include "caseflow/org.h"
#include "caseflow/runtime.h"
#include "caseflow/sqlite_store.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

// One step with every engine-made event a finding can be about: a handler on entry (set), a
// limit with a reminder whose breach sets a field and takes an action, a similar-cases rule.
// `hold` and `park` lead to the same step, so that swapping one for the other keeps the
// transition and only the rule that asked for it can tell.
constexpr const char* k_findings_desk = R"(procedure: desk
case_id: "FD-{seq:03}"
roles: { clerk: 文员 }
fields:
  who: { type: text, required: true }
  topic: { type: text, required: true }
  level: { type: enum, values: [low, high, top], default: low }
  priority: { type: enum, values: [normal, urgent], default: normal }
  overdue: { type: bool, default: false }
start: open
steps:
  open:
    role: clerk
    on_enter:
      - set: { priority: urgent }
    limits:
      - { rule: answer, within: 2h, remind_at: 50%, on_breach: { set: { overdue: true }, action: hold } }
    actions:
      hold: waiting
      park: waiting
      close: done
  waiting:
    role: clerk
    actions:
      resume: open
      close: done
  done: { terminal: true }
similar:
  same: [topic]
  within: 30d
  distinct: who
  rules:
    - { rule: two_people, at_least: 2, raise: { level: high } }
)";

const handler_registry& findings_handlers() {
  static const handler_registry& registry = []() -> const handler_registry& {
    static handler_registry r;
    actions::register_builtins(r, {});
    return r;
  }();
  return registry;
}

// The log of case FD-001, made once: opened by ann at 09:00; FD-002 (same topic, another
// person) opened at 09:30 raises both; ticks at 10:10 (reminder, due 10:00) and 11:05 (the
// limit, due 11:00: overdue set, `system` holds); then ann resumes (12:00), notes (12:30),
// parks (12:45) and closes (13:00).
struct findings_log {
  organisation org;
  std::shared_ptr<const procedure> definition;
  std::vector<event> events;  // FD-001's

  findings_log() {
    procedure_library library;
    diagnostics problems;
    auto p = load_procedure_text(k_findings_desk, "desk.yaml", &problems, &findings_handlers());
    for (const auto& d : problems) FAIL_CHECK(to_string(d));
    REQUIRE(p.has_value());
    library.add(std::move(*p));
    org.add(person{"ann", "Ann", {"clerk"}, "", ""});
    org.add(person{"carl", "Carl", {"clerk"}, "", ""});
    sqlite_store s(":memory:");
    runtime rt(s, library, org, nullptr);
    rt.set_handlers(&findings_handlers());
    start(rt, "ann", "张三", "2026-03-02T09:00:00Z", "FD-001");
    start(rt, "carl", "李四", "2026-03-02T09:30:00Z", "FD-002");
    REQUIRE(rt.tick(test::at("2026-03-02T10:10:00Z")).fired == 1);
    REQUIRE(rt.tick(test::at("2026-03-02T11:05:00Z")).fired == 2);  // FD-001's limit, FD-002's reminder
    act(rt, command::kind::act, "resume", "2026-03-02T12:00:00Z");
    act(rt, command::kind::note, "", "2026-03-02T12:30:00Z");
    act(rt, command::kind::act, "park", "2026-03-02T12:45:00Z");
    act(rt, command::kind::act, "close", "2026-03-02T13:00:00Z");
    events = s.case_events("FD-001");
    definition = rt.definition(events.front().definition_hash);
  }

  static void start(runtime& rt, const char* actor, const char* who, const char* now, const char* id) {
    command open;
    open.type = command::kind::start;
    open.actor = actor;
    open.sets = {{"who", who}, {"topic", "漏水"}};
    const outcome o = rt.start("desk", open, test::at(now));
    INFO(o.message);
    REQUIRE(o.result == outcome::status::done);
    REQUIRE(o.case_id == id);
  }
  static void act(runtime& rt, command::kind kind, const char* action, const char* now) {
    command cmd;
    cmd.type = kind;
    cmd.actor = "ann";
    cmd.action = action;
    cmd.comment = kind == command::kind::note ? "called back" : "";
    const outcome o = rt.execute("FD-001", cmd, test::at(now));
    INFO(o.message);
    REQUIRE(o.result == outcome::status::done);
  }
};

const findings_log& desk_log() {
  static const findings_log log;
  return log;
}

std::string findings_text(const std::vector<finding>& found) {
  std::string text;
  for (const auto& f : found) text += f.case_id + " " + std::to_string(f.seq) + " [" + f.rule + "] " + f.message + "\n";
  return text;
}

// The findings of FD-001's log with `edit` applied to its event `seq` (and nothing else).
template <typename Edit>
std::vector<finding> findings_after(std::int64_t seq, Edit edit) {
  const auto& log = desk_log();
  std::vector<event> events = log.events;
  REQUIRE(seq >= 1);
  REQUIRE(static_cast<std::size_t>(seq) <= events.size());
  event& target = events[static_cast<std::size_t>(seq - 1)];
  REQUIRE(target.seq == seq);
  edit(target);
  return check_conformance(*log.definition, log.org, nullptr, events);
}

// Exactly one finding, on FD-001's event `seq`, under `rule`, saying `message`.
void check_one_finding(const std::vector<finding>& found, std::int64_t seq, std::string_view rule,
                       const std::string& message) {
  INFO(findings_text(found));
  CHECK(found.size() == 1);
  if (found.size() != 1) return;  // (not REQUIRE: the other subcases still run)
  CHECK(found[0].case_id == "FD-001");
  CHECK(found[0].seq == seq);
  CHECK(found[0].rule == rule);
  CHECK(found[0].message == message);
}

// The events of FD-001's log by seq, as the procedure makes them (see findings_log): opening
// records the start, the on_enter `set` (priority normal -> urgent) and the limit (09:00 + 2h)
// with its reminder at 50%; FD-002 raises level low -> high at 09:30 (2 distinct `who`); the
// reminder fires at 10:10 and asks for a notification; the limit fires at 11:05, sets overdue
// and `system` holds, which clears the limit; resume sets the limit and reminder again (priority
// is already urgent, so `set` records nothing); park clears both; close leaves `waiting`, which
// has no deadline.
constexpr std::string_view k_findings_layout[] = {
    "case_started",   "fields_changed set",   "deadline_set open.answer",   "deadline_set open.answer.reminder",
    "fields_changed similar two_people",      "timer_fired open.answer.reminder",  "notification_requested",
    "timer_fired open.answer",                "fields_changed",             "action_taken hold",
    "deadline_cleared open.answer",           "action_taken resume",        "deadline_set open.answer",
    "deadline_set open.answer.reminder",      "note_added",                 "action_taken park",
    "deadline_cleared open.answer",           "deadline_cleared open.answer.reminder", "action_taken close"};

std::string layout_of(const event& e) {
  std::string text = e.kind;
  if (!e.action.empty()) text += " " + e.action;
  if (e.data.contains("handler")) text += " " + e.data.value("handler", "");
  if (e.data.contains("similar")) text += " similar";
  if (e.kind != "notification_requested" && e.data.contains("rule")) text += " " + e.data.value("rule", "");
  return text;
}

TEST_CASE("conformance findings: the untampered log of the fixture conforms") {
  const auto& log = desk_log();
  REQUIRE(log.events.size() == std::size(k_findings_layout));
  for (std::size_t i = 0; i < log.events.size(); ++i) {
    CAPTURE(i + 1);
    CHECK(log.events[i].seq == static_cast<std::int64_t>(i + 1));
    CHECK(layout_of(log.events[i]) == k_findings_layout[i]);
  }
  CHECK(log.events[9].actor == "system");  // the hold the breach takes
  const auto found = check_conformance(*log.definition, log.org, nullptr, log.events);
  CHECK_MESSAGE(found.empty(), findings_text(found));
}

TEST_CASE("conformance findings: definition — an event decided under another definition") {
  // The note (seq 15) claims another definition than the one the case is pinned to.
  const auto found = findings_after(15, [](event& e) { e.definition_hash = "0123abcd"; });
  check_one_finding(found, 15, "definition",
                    "decided under definition 0123abcd but the case is pinned to " + desk_log().definition->hash);
}

TEST_CASE("conformance findings: transition — an action that led to another existing step") {
  // close (seq 19, the last event) goes waiting -> done; the edit sends it to open.
  const auto found = findings_after(19, [](event& e) { e.to_step = "open"; });
  check_one_finding(found, 19, "transition", "'close' leads to step 'done', not 'open'");
}

TEST_CASE("conformance findings: action — re-deciding gives another action") {
  SUBCASE("a note that records an action") {
    // A note re-decided is a note_added with no action; the edit makes seq 15 claim 'close'.
    const auto found = findings_after(15, [](event& e) { e.action = "close"; });
    check_one_finding(found, 15, "action", "re-deciding gives a note_added '' event, not note_added 'close'");
  }
  SUBCASE("an action the step does not have") {
    // park (seq 16) renamed resume, an action of `waiting`, not of `open` (hold, park, close).
    const auto found = findings_after(16, [](event& e) { e.action = "resume"; });
    check_one_finding(found, 16, "action",
                      "not allowed when re-decided: 'resume' is not an action of step 'open' of case FD-001; "
                      "actions here: hold, park, close");
  }
}

TEST_CASE("conformance findings: handler — fields changed by a handler the procedure does not call there or then") {
  SUBCASE("a hook that does not call the handler") {
    // The set of seq 2 is written in on_enter of `open`; `waiting` has no on_enter calls.
    const auto found = findings_after(2, [](event& e) { e.data["hook"] = "on_enter of step 'waiting'"; });
    check_one_finding(found, 2, "handler",
                      "fields changed by handler 'set' in on_enter of step 'waiting', which the procedure does not call "
                      "there, or not at the moment of its trigger");
  }
  SUBCASE("a handler the hook does not call") {
    const auto found = findings_after(2, [](event& e) { e.data["handler"] = "escalate"; });
    check_one_finding(found, 2, "handler",
                      "fields changed by handler 'escalate' in on_enter of step 'open', which the procedure does not "
                      "call there, or not at the moment of its trigger");
  }
  SUBCASE("the right handler, not at the moment of its trigger") {
    // Its trigger, the opening (seq 1), was at 09:00; the edit moves the set to 09:05, so the
    // limit set at 09:00 (seq 3) now comes after a later event as well.
    const auto found = findings_after(2, [](event& e) { e.at = test::at("2026-03-02T09:05:00Z"); });
    INFO(findings_text(found));
    REQUIRE(found.size() == 2);
    CHECK(found[0].seq == 2);
    CHECK(found[0].rule == "handler");
    CHECK(found[0].message == "fields changed by handler 'set' in on_enter of step 'open', which the procedure does not "
                              "call there, or not at the moment of its trigger");
    CHECK(found[1].seq == 3);
    CHECK(found[1].rule == "time");
    CHECK(found[1].message == "recorded at 2026-03-02T09:00:00Z, before the event before it (2026-03-02T09:05:00Z): "
                              "time only moves forward within a case");
  }
}

TEST_CASE("conformance findings: similar — a raise the similar-cases rules do not give") {
  // seq 5: rule two_people, count 2 (FD-001 and FD-002), level low -> high.
  SUBCASE("a rule the definition does not have") {
    const auto found = findings_after(5, [](event& e) { e.data["rule"] = "three_people"; });
    check_one_finding(found, 5, "similar",
                      "fields raised by similar-cases rule 'three_people', which the definition does not have");
  }
  SUBCASE("a count below the rule's at_least") {
    const auto found = findings_after(5, [](event& e) { e.data["similar"]["count"] = 1; });
    check_one_finding(found, 5, "similar", "similar-cases rule 'two_people' needs 2 but the event records 1");
  }
  SUBCASE("another value than the rule raises to") {
    const auto found = findings_after(5, [](event& e) { e.data["fields"] = {{"level", "top"}}; });
    check_one_finding(found, 5, "similar",
                      R"(similar-cases rule 'two_people' raises {"level":"high"} here, not {"level":"top"})");
  }
  SUBCASE("a field the rule does not raise slipped in") {
    const auto found = findings_after(5, [](event& e) { e.data["fields"]["overdue"] = true; });
    check_one_finding(found, 5, "similar",
                      R"(similar-cases rule 'two_people' raises {"level":"high"} here, not {"level":"high","overdue":true})");
  }
}

TEST_CASE("conformance findings: timer — a timer that was not pending") {
  // seq 6 fires the reminder; no rule 'open.reply' was ever set.
  const auto found = findings_after(6, [](event& e) { e.data["rule"] = "open.reply"; });
  check_one_finding(found, 6, "timer", "timer 'open.reply' fired but was not pending");
}

TEST_CASE("conformance findings: timer — a timer that records another due time than the pending deadline") {
  // The limit set at seq 3 was due at 11:00 (09:00 + 2h); seq 8 fired it at 11:05.
  const auto found = findings_after(8, [](event& e) { e.data["due"] = "2026-03-02T10:00:00Z"; });
  check_one_finding(found, 8, "timer",
                    "timer 'open.answer' records due 2026-03-02T10:00:00Z but it was due at 2026-03-02T11:00:00Z");
}

TEST_CASE("conformance findings: timer — fields changed by the engine with no timer firing then") {
  SUBCASE("a handler's change that no longer names the handler") {
    // seq 2 at 09:00: no timer fired at 09:00.
    const auto found = findings_after(2, [](event& e) { e.data.erase("handler"); });
    check_one_finding(found, 2, "timer", "the engine changed fields, but no timer fired at that moment");
  }
  SUBCASE("a similar-cases raise stripped of its similar-cases record") {
    // seq 5 at 09:30: no timer fired at 09:30.
    const auto found = findings_after(5, [](event& e) { e.data.erase("similar"); });
    check_one_finding(found, 5, "timer", "the engine changed fields, but no timer fired at that moment");
  }
}

TEST_CASE("conformance findings: role — engine events and person events recorded by the other") {
  SUBCASE("a person recorded a timer firing") {
    const auto found = findings_after(8, [](event& e) { e.actor = "ann"; });
    check_one_finding(found, 8, "role", "ann recorded a timer_fired event, which only `system` may");
  }
  SUBCASE("a person recorded the breach's field change") {
    const auto found = findings_after(9, [](event& e) { e.actor = "ann"; });
    check_one_finding(found, 9, "role", "ann recorded a fields_changed event, which only `system` may");
  }
  SUBCASE("`system` recorded a note") {
    const auto found = findings_after(15, [](event& e) { e.actor = "system"; });
    check_one_finding(found, 15, "role", "`system` recorded a note_added event, which only a person may");
  }
  SUBCASE("`system` took an action no timer firing then takes") {
    // The breach of open.answer (seq 8) takes hold; park leads to the same step, but no timer takes it.
    const auto found = findings_after(10, [](event& e) { e.action = "park"; });
    check_one_finding(found, 10, "role", "`system` took action 'park' but no timer that takes it fired at that moment");
  }
}

}  // namespace
}  // namespace caseflow
