// Conformance: a log whose hashes were all recomputed after an edit is still caught
// wherever the edit breaks a rule of the definition.
#include "caseflow/conformance.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "caseflow/replay.h"
#include "caseflow/runtime.h"
#include "caseflow/sqlite_store.h"
#include "caseflow/verify.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

using test::at;

constexpr const char* k_conformance_claim = R"(procedure: claim
case_id: "CL-{yyyy}-{seq:04}"
roles: { agent: 客服, manager: 经理 }
fields:
  customer: { type: text, required: true, personal: true }
  urgent: { type: bool, default: false }
start: open
steps:
  open:
    role: agent
    limits:
      - { rule: respond, within: 2h, on_breach: { notify: [manager] } }
    actions:
      submit: { to: review, sets: [urgent] }
  review:
    role: manager
    actions:
      approve: { to: done, when: 'not urgent' }
      reject: open
  done: { terminal: true }
)";

// A claim opened, breached, submitted, approved and noted, in a database file.
struct claim_log {
  procedure_library library;
  organisation org;
  std::filesystem::path dir;
  std::string path;
  std::string id;

  claim_log() {
    diagnostics out;
    auto p = load_procedure_text(k_conformance_claim, "claim.yaml", &out);
    REQUIRE(p.has_value());
    library.add(std::move(*p));
    org.add(person{"ann", "Ann", {"agent"}, "", ""});
    org.add(person{"bob", "Bob", {"manager"}, "", ""});
    org.add(person{"carl", "Carl", {"agent"}, "", ""});
    static std::atomic<int> counter{0};
    dir = std::filesystem::temp_directory_path() /
          ("caseflow_conformance_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    path = (dir / "c.db").string();

    sqlite_store s(path);
    runtime rt(s, library, org, nullptr);
    command open;
    open.actor = "ann";
    open.sets = {{"customer", "Zhang San"}};
    outcome o = rt.start("claim", open, at("2026-03-02T09:00:00Z"));
    REQUIRE(o.result == outcome::status::done);
    id = o.case_id;
    REQUIRE(rt.tick(at("2026-03-02T11:30:00Z")).fired == 1);
    must(rt, "ann", command::kind::act, "submit", "2026-03-02T12:00:00Z");
    must(rt, "bob", command::kind::act, "approve", "2026-03-02T13:00:00Z");
    must(rt, "ann", command::kind::note, "", "2026-03-02T14:00:00Z");
  }
  ~claim_log() { std::filesystem::remove_all(dir); }

  void must(runtime& rt, const char* actor, command::kind kind, const char* action, const char* now) {
    command cmd;
    cmd.type = kind;
    cmd.actor = actor;
    cmd.action = action;
    cmd.comment = kind == command::kind::note ? "called the customer" : "";
    outcome o = rt.execute(id, cmd, at(now));
    INFO(o.message);
    REQUIRE(o.result == outcome::status::done);
  }

  // Runs `sql` on the events, then recomputes every hash of the chain, as an attacker would.
  void tamper(const std::string& sql) {
    {
      SQLite::Database db(path, SQLite::OPEN_READWRITE);
      db.exec(sql);
    }
    std::vector<event> events;
    {
      sqlite_store s(path);
      s.scan_events([&](const event& e) {
        events.push_back(e);
        return true;
      });
    }
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    SQLite::Statement update(db, "UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?");
    std::string previous;
    for (auto& e : events) {
      e.prev_hash = previous;
      previous = event_hash(e);
      update.bind(1, e.prev_hash);
      update.bind(2, previous);
      update.bind(3, e.id);
      update.exec();
      update.reset();
    }
  }

  // The chain verifies (the attacker recomputed it); returns the conformance findings.
  std::vector<finding> findings() {
    sqlite_store s(path);
    const verification chain = verify_chain(s, s);
    CHECK(chain.ok());
    runtime rt(s, library, org, nullptr);
    return verify_cases(rt);
  }
};

std::string describe(const std::vector<finding>& findings) {
  std::string text;
  for (const auto& f : findings) text += f.case_id + " " + std::to_string(f.seq) + " [" + f.rule + "] " + f.message + "\n";
  return text;
}

bool has(const std::vector<finding>& findings, const std::string& rule) {
  return std::any_of(findings.begin(), findings.end(), [&](const finding& f) { return f.rule == rule; });
}

TEST_CASE("conformance: an untouched log conforms") {
  claim_log log;
  const auto found = log.findings();
  CHECK_MESSAGE(found.empty(), describe(found));
}

TEST_CASE("conformance: an actor without the role is caught after the chain was recomputed") {
  claim_log log;
  log.tamper("UPDATE events SET actor = 'carl' WHERE action = 'approve'");
  const auto found = log.findings();
  INFO(describe(found));
  REQUIRE(has(found, "role"));
  CHECK(found.front().case_id == log.id);
  CHECK(found.front().message.find("carl") != std::string::npos);
}

TEST_CASE("conformance: a timer that fired before it was due is caught") {
  claim_log log;
  log.tamper("UPDATE events SET at = '2026-03-02T10:30:00Z' WHERE kind = 'timer_fired'");
  const auto found = log.findings();
  INFO(describe(found));
  CHECK(has(found, "timer"));
}

TEST_CASE("conformance: an event timed before the event before it is caught") {
  claim_log log;
  log.tamper("UPDATE events SET at = '2026-03-02T12:30:00Z' WHERE kind = 'note_added'");
  const auto found = log.findings();
  REQUIRE_MESSAGE(found.size() == 2, describe(found));
  CHECK(found.front().case_id == log.id);
  CHECK(found.front().rule == "time");
  CHECK(found.front().message == "recorded at 2026-03-02T12:30:00Z, before the event before it (2026-03-02T13:00:00Z): "
                                 "time only moves forward within a case");
  // The case row was left as it was: its last change is still the note's old time (14:00Z).
  CHECK(found.back().rule == "projection");
  CHECK(found.back().message == "the stored state differs from the fold of its log: updated_at: stored 1772460000, "
                                "replayed 1772454600");
}

TEST_CASE("conformance: a transition out of a terminal step is caught") {
  claim_log log;
  log.tamper("UPDATE events SET kind = 'action_taken', action = 'reject', to_step = 'open', role = 'manager', "
             "actor = 'bob', comment = '' WHERE kind = 'note_added'");
  const auto found = log.findings();
  INFO(describe(found));
  CHECK(has(found, "terminal"));
}

TEST_CASE("conformance: a field value that breaks a later guard is caught") {
  claim_log log;
  log.tamper("UPDATE events SET data = '{\"fields\":{\"urgent\":true}}' WHERE action = 'submit'");
  const auto found = log.findings();
  INFO(describe(found));
  REQUIRE(has(found, "guard"));
  const auto guard = std::find_if(found.begin(), found.end(), [](const finding& f) { return f.rule == "guard"; });
  CHECK(guard->message.find("not urgent") != std::string::npos);
}

TEST_CASE("conformance: check_conformance is pure over a list of events") {
  claim_log log;
  sqlite_store s(log.path);
  runtime rt(s, log.library, log.org, nullptr);
  auto events = s.case_events(log.id);
  const auto p = rt.definition(events.front().definition_hash);
  CHECK(check_conformance(*p, log.org, nullptr, events).empty());
  // A seq gap is a sequence finding.
  events.erase(events.begin() + 1);
  CHECK(has(check_conformance(*p, log.org, nullptr, events), "sequence"));
}

TEST_CASE("replay: the fold of the log equals the stored projection, and stops where asked") {
  claim_log log;
  sqlite_store s(log.path);
  runtime rt(s, log.library, log.org, nullptr);
  const auto record = s.load_case(log.id).value();
  const auto p = rt.definition(record.definition_hash);
  const auto events = s.case_events(log.id);
  CHECK(json_differences(record.state, state_to_json(replay_case(*p, events))).empty());
  CHECK(replay_case(*p, events, {at("2026-03-02T12:30:00Z"), 0}).step == "review");
  CHECK(replay_case(*p, events, {std::nullopt, 1}).step == "open");
  CHECK_FALSE(replay_case(*p, events, {at("2026-03-01T00:00:00Z"), 0}).exists());
  nlohmann::json edited = record.state;
  edited["step"] = "open";
  const auto differences = json_differences(edited, state_to_json(replay_case(*p, events)));
  REQUIRE(differences.size() == 1);
  CHECK(differences.front() == "step: stored \"open\", replayed \"done\"");
}

}  // namespace
}  // namespace caseflow
