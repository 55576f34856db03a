// `when:` guards on handler calls (issue 15 §4): read and checked at load
// (engine/src/handlers/call_loader.cpp), judged when a hook runs (engine/src/handlers/hooks.cpp
// call_guard_holds) and again by conformance (engine/src/audit/conformance.cpp). A false guard
// skips its calls and records nothing; verify and replay agree either way, and an effect
// forged under a false guard is a finding. Runs on an in-memory SQLite store with the built-ins.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/actions.h"
#include "caseflow/conformance.h"
#include "caseflow/loader.h"
#include "caseflow/replay.h"
#include "caseflow/runtime.h"
#include "caseflow/sqlite_store.h"
#include "caseflow/verify.h"
#include "engine/test_support.h"

namespace caseflow::hook_guards {
namespace {

// Every hook kind with a guard: the start step's on_enter (two handlers under one guard, then
// an unguarded call), on_exit (judged with the fields the leaving action sets), an action's run
// (on the actor), a limit's on_breach (on what an earlier call of the same hook set) and an
// escalation's run.
constexpr const char* k_desk = R"(procedure: desk
case_id: "DK-{seq:03}"
roles: { clerk: 文员, manager: 经理, property: 物业部 }
fields:
  category: { type: enum, values: [engineering, property_management], required: true }
  channel: { type: enum, values: [phone, email, letter], default: letter }
  priority: { type: enum, values: [low, high], default: low }
  told: { type: bool, default: false }
  overdue: { type: bool, default: false }
  stale: { type: bool, default: false }
start: open
steps:
  open:
    role: clerk
    on_enter:
      - when: 'category == "property_management"'
        set: { priority: high }
        notify: { to: [property], message: "物业投诉 {case.id}" }
      - notify: { to: [manager], message: "new {case.id}" }
    on_exit:
      - when: 'channel in ["phone", "email"]'
        set: { told: true }
    limits:
      - rule: answer
        within: 2h
        on_breach:
          run:
            - set: { overdue: true }
            - when: 'overdue and priority == "high"'
              notify: { to: [manager], message: "late {case.id}" }
    actions:
      close:
        to: done
        sets: [channel]
        run:
          - when: 'actor == "bob"'
            notify: { to: [manager], message: "bob closed {case.id}" }
  done: { resolved: true, role: clerk, actions: { reopen: open } }
escalations:
  - rule: week_old
    after: 7d
    run:
      - when: 'category == "engineering"'
        set: { stale: true }
)";

const handler_registry& builtins() { return test::builtin_handlers(); }

std::string first_error(const std::string& text) {
  diagnostics problems;
  load_procedure_text(text, "desk.yaml", &problems, &builtins());
  REQUIRE_FALSE(problems.empty());
  return to_string(problems.front());
}

// One line per event: its kind, action, timer rule, and the handler, hook and call number of an
// effect.
std::string layout(const std::vector<event>& events) {
  std::string out;
  for (const auto& e : events) {
    out += e.kind;
    if (!e.action.empty()) out += " " + e.action;
    if (e.data.contains("rule")) out += " " + e.data.value("rule", "");
    if (e.data.contains("handler"))
      out += " " + e.data.value("handler", "") + " #" + e.data["call"].dump() + " (" + e.data.value("hook", "") + ")";
    out += "\n";
  }
  return out;
}

class desk_world {
 public:
  desk_world() : store_(":memory:") {
    diagnostics problems;
    auto p = load_procedure_text(k_desk, "desk.yaml", &problems, &builtins());
    for (const auto& d : problems) FAIL_CHECK(to_string(d));
    REQUIRE(p.has_value());
    library_.add(std::move(*p));
    for (const char* id : {"ann", "bob"}) org_.add(person{id, id, {"clerk"}, "", ""});
    org_.add(person{"max", "max", {"manager"}, "", ""});
    org_.add(person{"pat", "pat", {"property"}, "", ""});
    rt_ = std::make_unique<runtime>(store_, library_, org_, nullptr);
    rt_->set_handlers(&builtins());
  }

  outcome open(const std::string& category, const char* now = "2026-03-02T09:00:00Z") {
    command cmd;
    cmd.type = command::kind::start;
    cmd.actor = "ann";
    cmd.sets = {{"category", category}};
    return rt_->start("desk", cmd, test::at(now));
  }
  outcome act(const std::string& id, const std::string& actor, const std::string& action,
              std::vector<std::pair<std::string, std::string>> sets = {}, const char* now = "2026-03-02T09:30:00Z") {
    command cmd;
    cmd.type = command::kind::act;
    cmd.actor = actor;
    cmd.action = action;
    cmd.sets = std::move(sets);
    return rt_->execute(id, cmd, test::at(now));
  }
  runtime& rt() { return *rt_; }
  std::vector<event> log(const std::string& id) { return store_.case_events(id); }
  const organisation& org() const { return org_; }

  // verify finds nothing, and replaying the log gives the stored state.
  void check_clean(const std::string& id) {
    CHECK(verify_cases(*rt_).empty());
    auto loaded = rt_->load(id);
    REQUIRE(loaded.has_value());
    const case_state replayed = replay_case(*loaded->definition, log(id));
    CHECK(json_differences(state_to_json(loaded->state), state_to_json(replayed)).empty());
  }

 private:
  sqlite_store store_;
  procedure_library library_;
  organisation org_;
  std::unique_ptr<runtime> rt_;
};

TEST_CASE("hook guards: a `when` guards every handler of its map, in the order written") {
  diagnostics problems;
  auto p = load_procedure_text(k_desk, "desk.yaml", &problems, &builtins());
  REQUIRE(p.has_value());
  const handler_calls& calls = p->steps.front().on_enter;
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].handler == "set");
  CHECK(calls[1].handler == "notify");
  CHECK(calls[2].handler == "notify");
  REQUIRE(calls[0].when.has_value());
  REQUIRE(calls[1].when.has_value());
  CHECK(calls[0].when->source() == "category == \"property_management\"");
  CHECK(calls[1].when->source() == "category == \"property_management\"");
  CHECK_FALSE(calls[2].when.has_value());
  CHECK(calls[1].args == nlohmann::json::parse(R"({"to": ["property"], "message": "物业投诉 {case.id}"})"));
  CHECK(calls[0].line == 17);
  CHECK(calls[0].column == 9);
}

TEST_CASE("hook guards: a bad guard is a load error at its file:line:col, in every hook kind") {
  SUBCASE("an unknown field, in on_enter") {
    CHECK(first_error(test::replace_once(k_desk, "'category == \"property_management\"'", "'categry == \"property_management\"'")) ==
          "desk.yaml:16:16: guard of a call in on_enter of step 'open': unknown field 'categry'; did you mean "
          "'category'?");
  }
  SUBCASE("a type error, in on_exit") {
    CHECK(first_error(test::replace_once(k_desk, "'channel in [\"phone\", \"email\"]'", "'channel > 3'")) ==
          "desk.yaml:21:24: guard of a call in on_exit of step 'open': cannot compare 'channel' (enum) with '3' (int)");
  }
  SUBCASE("an enum value that does not exist, in an action's run") {
    CHECK(first_error(test::replace_once(k_desk, "'actor == \"bob\"'", "'priority == \"urgent\"'")) ==
          "desk.yaml:36:32: guard of a call in action 'close' of step 'open': \"urgent\" is not a value of "
          "'priority' (low, high)");
  }
  SUBCASE("not a condition, in a limit's on_breach") {
    CHECK(first_error(test::replace_once(k_desk, "'overdue and priority == \"high\"'", "'priority'")) ==
          "desk.yaml:29:22: guard of a call in limit 'answer': 'priority' is enum, but a condition must be bool");
  }
  SUBCASE("an unknown field, in an escalation's run") {
    CHECK(first_error(test::replace_once(k_desk, "'category == \"engineering\"'", "'categori == \"engineering\"'")) ==
          "desk.yaml:43:16: guard of a call in escalation 'week_old': unknown field 'categori'; did you mean "
          "'category'?");
  }
  SUBCASE("a personal field") {
    const std::string text = test::replace_once(k_desk, "  told: { type: bool, default: false }",
                                     "  told: { type: bool, default: false }\n  phone: { type: text, personal: true }");
    CHECK(first_error(test::replace_once(text, "'actor == \"bob\"'", "'phone != null'")) ==
          "desk.yaml:37:19: guard of a call in action 'close' of step 'open': 'phone' is a personal field, which a "
          "hook's guard may not read (once it is erased, the log could no longer show why the call was made or "
          "skipped)");
  }
  SUBCASE("an item that is not a map") {
    CHECK(first_error(test::replace_once(k_desk, "      - notify: { to: [manager], message: \"new {case.id}\" }", "      - notify")) ==
          "desk.yaml:19:9: on_enter of step 'open': a handler call is written `- name: { arguments }`, with an "
          "optional `when: condition` beside it");
  }
  SUBCASE("a `when` that is not text") {
    CHECK(first_error(test::replace_once(k_desk, "'actor == \"bob\"'", "[actor]")) ==
          "desk.yaml:36:19: action 'close' of step 'open': `when:` must be a condition written as text, e.g. when: "
          "'channel == \"phone\"'");
  }
  SUBCASE("a `when` with no handler beside it") {
    CHECK(first_error(test::replace_once(k_desk, "      - when: 'channel in [\"phone\", \"email\"]'\n        set: { told: true }",
                              "      - when: 'channel in [\"phone\", \"email\"]'")) ==
          "desk.yaml:21:9: on_exit of step 'open': `when:` guards the handler calls written beside it, and this item "
          "has none; add one (`notify: { … }`) or remove the item");
  }
  SUBCASE("a handler beside a guard is checked as any other") {
    CHECK(first_error(test::replace_once(k_desk, "        set: { told: true }", "        sett: { told: true }")) ==
          "desk.yaml:22:9: on_exit of step 'open': unknown handler 'sett'; did you mean 'set'?; handlers: escalate, "
          "notify, set, start_case, webhook");
  }
}

TEST_CASE("hook guards: an obligation's on_breach calls are checked like every other hook's") {
  const std::string text = test::replace_once(k_desk, "    actions:\n      close:",
                                   "    obligations:\n"
                                   "      - { rule: daily, every: day, before: \"17:00\", met_by: close,\n"
                                   "          on_breach: { run: [ { when: overdue, sett: { stale: true } } ] } }\n"
                                   "    actions:\n      close:");
  CHECK(first_error(text) ==
        "desk.yaml:33:48: on_breach of obligation 'daily' of step 'open': unknown handler 'sett'; did you mean 'set'?; "
        "handlers: escalate, notify, set, start_case, webhook");
}

TEST_CASE("hook guards: a true guard runs its calls, a false one records nothing") {
  desk_world w;
  SUBCASE("true: a property complaint sets the priority and tells the property department") {
    const outcome o = w.open("property_management");
    REQUIRE(o.result == outcome::status::done);
    CHECK(layout(o.events) ==
          "case_started\n"
          "fields_changed set #1 (on_enter of step 'open')\n"
          "messages_requested notify #2 (on_enter of step 'open')\n"
          "messages_requested notify #3 (on_enter of step 'open')\n"
          "deadline_set open.answer\n"
          "deadline_set week_old\n");
    REQUIRE(o.events.size() == 6);
    CHECK(o.events[2].data["messages"][0]["payload"]["message"] == "物业投诉 DK-001");
    CHECK(o.events[3].data["messages"][0]["payload"]["message"] == "new DK-001");
    w.check_clean("DK-001");
  }
  SUBCASE("false: an engineering complaint only tells the manager") {
    const outcome o = w.open("engineering");
    REQUIRE(o.result == outcome::status::done);
    CHECK(layout(o.events) ==
          "case_started\n"
          "messages_requested notify #3 (on_enter of step 'open')\n"
          "deadline_set open.answer\n"
          "deadline_set week_old\n");
    REQUIRE(o.events.size() == 4);
    CHECK(o.events[1].data["messages"][0]["payload"]["message"] == "new DK-001");
    CHECK(w.rt().load("DK-001")->state.fields.at("priority") == value{std::string("low")});
    w.check_clean("DK-001");
  }
}

TEST_CASE("hook guards: on_exit is judged with the fields the leaving action sets; run with its actor") {
  desk_world w;
  REQUIRE(w.open("engineering").result == outcome::status::done);
  REQUIRE(w.open("engineering").result == outcome::status::done);
  const outcome by_phone = w.act("DK-001", "bob", "close", {{"channel", "phone"}});
  REQUIRE(by_phone.result == outcome::status::done);
  CHECK(layout(by_phone.events) ==
        "action_taken close\n"
        "fields_changed set #1 (on_exit of step 'open')\n"
        "messages_requested notify #1 (action 'close' of step 'open')\n"
        "deadline_cleared open.answer\n"
        "deadline_cleared week_old\n");
  const outcome by_letter = w.act("DK-002", "ann", "close", {{"channel", "letter"}});
  REQUIRE(by_letter.result == outcome::status::done);
  CHECK(layout(by_letter.events) == "action_taken close\ndeadline_cleared open.answer\ndeadline_cleared week_old\n");
  w.check_clean("DK-001");
  w.check_clean("DK-002");
}

TEST_CASE("hook guards: a timer's calls are judged after the calls before them; an escalation's too") {
  desk_world w;
  REQUIRE(w.open("property_management").result == outcome::status::done);  // priority high
  REQUIRE(w.open("engineering").result == outcome::status::done);           // priority low
  CHECK(w.rt().tick(test::at("2026-03-02T11:05:00Z")).fired == 2);
  auto tail = [&](const std::string& id, std::size_t n) {
    const auto events = w.log(id);
    REQUIRE(events.size() >= n);
    return layout(std::vector<event>(events.end() - static_cast<std::ptrdiff_t>(n), events.end()));
  };
  // The set of the same on_breach makes `overdue` true before the guarded notify is judged.
  CHECK(tail("DK-001", 3) ==
        "timer_fired open.answer\n"
        "fields_changed set #1 (on_breach of limit 'answer' of step 'open')\n"
        "messages_requested notify #2 (on_breach of limit 'answer' of step 'open')\n");
  CHECK(tail("DK-002", 2) ==
        "timer_fired open.answer\n"
        "fields_changed set #1 (on_breach of limit 'answer' of step 'open')\n");
  CHECK(w.rt().tick(test::at("2026-03-09T09:05:00Z")).fired == 2);
  CHECK(tail("DK-001", 1) == "timer_fired week_old\n");
  CHECK(tail("DK-002", 2) == "timer_fired week_old\nfields_changed set #1 (escalation 'week_old')\n");
  w.check_clean("DK-001");
  w.check_clean("DK-002");
}

// The log of `id` with `forged` inserted after event `after`, renumbered.
std::vector<event> with_forged(std::vector<event> events, std::size_t after, event forged) {
  events.insert(events.begin() + static_cast<std::ptrdiff_t>(after), std::move(forged));
  for (std::size_t i = 0; i < events.size(); ++i) events[i].seq = static_cast<std::int64_t>(i + 1);
  return events;
}

TEST_CASE("hook guards: conformance finds an effect recorded under a false guard") {
  desk_world w;
  REQUIRE(w.open("property_management").result == outcome::status::done);
  REQUIRE(w.open("engineering").result == outcome::status::done);
  const std::vector<event> guarded = w.log("DK-001");  // the guard held: set, notify, notify
  const std::vector<event> plain = w.log("DK-002");    // it did not: notify
  const auto definition = w.rt().definition(plain.front().definition_hash);
  REQUIRE(definition);
  CHECK(check_conformance(*definition, w.org(), nullptr, guarded).empty());
  CHECK(check_conformance(*definition, w.org(), nullptr, plain).empty());

  SUBCASE("a field change") {
    event forged = guarded[1];  // DK-001's set, as if made on DK-002
    forged.case_id = "DK-002";
    const auto found = check_conformance(*definition, w.org(), nullptr, with_forged(plain, 1, forged));
    REQUIRE(found.size() == 1);
    CHECK(found[0].seq == 2);
    CHECK(found[0].rule == "handler");
    CHECK(found[0].message == "fields changed by handler 'set' in on_enter of step 'open', a call whose guard "
                              "`category == \"property_management\"` was false then");
  }
  SUBCASE("a message to the property department") {
    event forged = guarded[2];
    forged.case_id = "DK-002";
    const auto found = check_conformance(*definition, w.org(), nullptr, with_forged(plain, 1, forged));
    REQUIRE(found.size() == 1);
    CHECK(found[0].seq == 2);
    CHECK(found[0].rule == "handler");
    CHECK(found[0].message == "messages requested by handler 'notify' in on_enter of step 'open', a call whose guard "
                              "`category == \"property_management\"` was false then");
  }
  SUBCASE("a call number that names another handler's call") {
    event forged = guarded[2];
    forged.case_id = "DK-002";
    forged.data["call"] = 1;  // the guarded set
    const auto found = check_conformance(*definition, w.org(), nullptr, with_forged(plain, 1, forged));
    REQUIRE(found.size() == 1);
    CHECK(found[0].message == "messages requested by handler 'notify' in on_enter of step 'open', which the procedure "
                              "does not call there, or not at the moment of its trigger");
  }
  SUBCASE("an effect written before calls were numbered may be any call of its handler in the hook") {
    event forged = guarded[2];
    forged.case_id = "DK-002";
    forged.data.erase("call");  // so the unguarded notify (call 3) may have made it
    CHECK(check_conformance(*definition, w.org(), nullptr, with_forged(plain, 1, forged)).empty());
    forged = guarded[1];
    forged.case_id = "DK-002";
    forged.data.erase("call");  // the only set of the hook is guarded
    CHECK(check_conformance(*definition, w.org(), nullptr, with_forged(plain, 1, forged)).size() == 1);
  }
  SUBCASE("a message from a hook that does not call the handler") {
    event forged = guarded[2];
    forged.data["hook"] = "on_exit of step 'open'";
    const auto found = check_conformance(*definition, w.org(), nullptr, with_forged(guarded, 3, forged));
    REQUIRE(found.size() == 1);
    CHECK(found[0].seq == 4);
    CHECK(found[0].message == "messages requested by handler 'notify' in on_exit of step 'open', which the procedure "
                              "does not call there, or not at the moment of its trigger");
  }
}

}  // namespace
}  // namespace caseflow::hook_guards
