// store_contract.h — the store contract, written once: what every backend promises through the
// role interfaces of caseflow/store.h (case_store, event_log, timer_queue, outbox_store,
// attachment_store, personal_data, database_admin, deployment_log; similar_index is held to its contract by
// tests/engine/store/sqlite/similar_race_test.cpp and the similar-cases tests). The tests reach a
// backend only through those interfaces (and the runtime, which takes a `store&`).
//
// A backend's test file defines a type with `static std::unique_ptr<store> make()` (a fresh,
// empty database, followed in real time), names it with TYPE_TO_STRING and invokes every test
// template below with it (see sqlite/contract_test.cpp); a test's name ends with the backend's.
// Header-only, included by one test file per backend.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <doctest/doctest.h>

#include "caseflow/attachments.h"
#include "caseflow/chain.h"
#include "caseflow/core.h"
#include "caseflow/deployment.h"
#include "caseflow/erasure.h"
#include "caseflow/hash.h"
#include "caseflow/loader.h"
#include "caseflow/outbox.h"
#include "caseflow/runtime.h"
#include "caseflow/store.h"
#include "engine/test_support.h"

namespace caseflow::test::contract {

// Ids count per year from 001; a case in `open` has one limit, `open.reply`, due an hour
// (elapsed: no calendar) after it opened. Its deadline is recorded: opening writes case_started
// and deadline_set, leaving `open` (work) action_taken and deadline_cleared, finish one event.
inline constexpr const char* k_contract_procedure = R"(procedure: contract
case_id: "CT-{yyyy}-{seq:03}"
start: open
roles: { agent: 客服 }
fields:
  note: { type: text }
  customer: { type: text, required: true, personal: true }
  phone: { type: text, personal: true }
steps:
  open:
    role: agent
    limits: [{ rule: reply, within: 1h }]
    actions: { work: { to: working, sets: [note, phone] } }
  working: { role: agent, actions: { finish: done } }
  done: { terminal: true }
)";

// One fresh database of the backend, with a runtime over it: ann is an agent, root an admin.
class world {
 public:
  explicit world(std::unique_ptr<store> db) : db_(std::move(db)) {
    diagnostics out;
    auto p = load_procedure_text(k_contract_procedure, "contract.yaml", &out);
    REQUIRE(p.has_value());
    library_.add(std::move(*p));
    org_.add(person{"ann", "Ann", {"agent"}, "", ""});
    org_.add(person{"root", "Root", {std::string(k_erasure_role)}, "", ""});
    rt_ = std::make_unique<runtime>(*db_, library_, org_, nullptr);
  }
  world(const world&) = delete;
  world& operator=(const world&) = delete;

  store& db() { return *db_; }
  runtime& rt() { return *rt_; }
  const procedure& p() const { return *library_.find("contract"); }

  // Opens a case at `now` (the next id of the pattern, or `id`).
  std::string open(const char* now, const std::string& customer, const std::string& id = "") {
    command cmd;
    cmd.actor = "ann";
    cmd.sets = {{"customer", customer}};
    const outcome o = rt_->start("contract", std::move(cmd), at(now), id);
    INFO(o.message);
    REQUIRE(o.result == outcome::status::done);
    return o.case_id;
  }
  void act(const std::string& id, const char* action, std::vector<std::pair<std::string, std::string>> sets,
           const char* now) {
    command cmd;
    cmd.actor = "ann";
    cmd.action = action;
    cmd.sets = std::move(sets);
    const outcome o = rt_->execute(id, std::move(cmd), at(now));
    INFO(o.message);
    REQUIRE(o.result == outcome::status::done);
  }

  // A request that appends the events `decided` on `current` (as read) to the case.
  commit_request request(const case_state& current, std::vector<event> decided) const {
    commit_request r;
    r.definition = &p();
    r.expected_seq = current.seq;
    r.resulting_state = current;
    for (const auto& e : decided) r.resulting_state = apply(p(), r.resulting_state, e);
    r.events = std::move(decided);
    return r;
  }
  // The state of case `id` as read now.
  case_state read(const std::string& id) {
    auto loaded = rt_->load(id);
    REQUIRE(loaded.has_value());
    return loaded->state;
  }
  // A request for ann's note `text` on case `current` (as read) at `now`; the step stays.
  commit_request note(const case_state& current, const std::string& text, const char* now) {
    command cmd;
    cmd.type = command::kind::note;
    cmd.actor = "ann";
    cmd.comment = text;
    decision d = decide(p(), org_, current, cmd, rt_->moment_for(p(), at(now)));
    INFO((d.refused ? d.refused->message : ""));
    REQUIRE(static_cast<bool>(d));
    return request(current, std::move(d.events));
  }
  // A new case `id` decided on an empty state (as runtime::start decides it).
  commit_request new_case(const std::string& id, const std::string& customer, const char* now) {
    case_state fresh;
    fresh.id = id;
    command cmd;
    cmd.type = command::kind::start;
    cmd.actor = "ann";
    cmd.sets = {{"customer", customer}};
    decision d = decide(p(), org_, fresh, cmd, rt_->moment_for(p(), at(now)));
    REQUIRE(static_cast<bool>(d));
    return request(fresh, std::move(d.events));
  }

  // Every event of the log, in the order scan_events gives them.
  std::vector<event> log() {
    std::vector<event> events;
    db_->scan_events([&](const event& e) {
      events.push_back(e);
      return true;
    });
    return events;
  }

 private:
  procedure_library library_;
  organisation org_;
  std::unique_ptr<store> db_;
  std::unique_ptr<runtime> rt_;
};

// ---- case_store and event_log: commits, read back --------------------------------------------

TEST_CASE_TEMPLATE_DEFINE("store contract: a commit is read back: projection, events and definition", backend,
                          store_contract_commit_then_load) {
  world w(backend::make());
  const std::string id = w.open("2026-03-01T09:00:00Z", "Zhang San");
  w.act(id, "work", {{"note", "called back"}}, "2026-03-01T09:30:00Z");
  case_store& cases = w.db();
  event_log& log = w.db();

  const auto record = cases.load_case(id);
  REQUIRE(record.has_value());
  CHECK(record->id == "CT-2026-001");  // the first id of the pattern in 2026
  CHECK(record->procedure == "contract");
  CHECK(record->definition_hash == w.p().hash);
  CHECK(record->step == "working");
  CHECK(record->open);
  CHECK(record->seq == 4);  // case_started, deadline_set, action_taken, deadline_cleared
  CHECK(record->state.at("fields").at("customer") == "Zhang San");  // personal values resolved
  CHECK(record->state.at("fields").at("note") == "called back");
  CHECK_FALSE(cases.load_case("CT-2026-002").has_value());
  CHECK(log.definition_text(w.p().hash) == std::optional<std::string>(k_contract_procedure));
  CHECK_FALSE(log.definition_text("no such hash").has_value());

  const auto events = log.case_events(id);
  REQUIRE(events.size() == 4);
  CHECK(events[0].kind == event_kind::case_started);
  CHECK(events[0].data.at("fields").at("customer") == "Zhang San");
  CHECK(events[1].kind == event_kind::deadline_set);
  CHECK(events[2].action == "work");
  CHECK(events[3].kind == event_kind::deadline_cleared);
  for (std::size_t i = 1; i < events.size(); ++i) {
    CHECK(events[i].seq == static_cast<std::int64_t>(i + 1));
    CHECK(events[i].prev_hash == events[i - 1].hash);  // one case alone: its events are the log
  }
  CHECK(events[2].hash == event_hash(events[2]));
  CHECK(log.case_events("CT-2026-002").empty());

  // A second case, closed: list_cases filters, scan_cases visits all by id and stops when asked.
  const std::string other = w.open("2026-03-01T10:00:00Z", "Li Si");
  w.act(other, "work", {}, "2026-03-01T10:10:00Z");
  w.act(other, "finish", {}, "2026-03-01T10:20:00Z");
  case_filter open_only;
  open_only.open_only = true;
  const auto open = cases.list_cases(open_only);
  REQUIRE(open.size() == 1);
  CHECK(open[0].id == id);
  CHECK(cases.list_cases({}).size() == 2);
  std::vector<std::string> scanned;
  cases.scan_cases([&](const case_record& r) {
    scanned.push_back(r.id);
    return true;
  });
  CHECK(scanned == std::vector<std::string>{"CT-2026-001", "CT-2026-002"});
  scanned.clear();
  cases.scan_cases([&](const case_record& r) {
    scanned.push_back(r.id);
    return false;
  });
  CHECK(scanned == std::vector<std::string>{"CT-2026-001"});
}

TEST_CASE_TEMPLATE_DEFINE("store contract: a commit against a stale version is a conflict and writes nothing", backend,
                          store_contract_stale_conflict) {
  world w(backend::make());
  const std::string id = w.open("2026-03-01T09:00:00Z", "Zhang San");
  // Decide on the case as read now, then let another command move it first.
  const case_state stale = w.read(id);  // at event 2 (case_started, deadline_set)
  commit_request late = w.note(stale, "decided on event 2", "2026-03-01T09:20:00Z");
  w.act(id, "work", {}, "2026-03-01T09:10:00Z");
  const std::size_t logged = w.log().size();

  case_store& cases = w.db();
  const commit_result result = cases.commit(std::move(late));
  CHECK(result.status == commit_status::conflict);
  CHECK(result.message == "case CT-2026-001 changed while this command was being decided (now at event 4, expected 2)");
  CHECK(w.db().case_events(id).size() == 4);
  CHECK(w.log().size() == logged);
  CHECK(cases.load_case(id)->seq == 4);
  CHECK(cases.load_case(id)->step == "working");
  CHECK(verify_chain(w.db(), cases).ok());
}

TEST_CASE_TEMPLATE_DEFINE("store contract: a new case with an id that is taken is refused and writes nothing", backend,
                          store_contract_id_taken) {
  world w(backend::make());
  w.open("2026-03-01T09:00:00Z", "A", "T-1");
  case_store& cases = w.db();
  const commit_result again = cases.commit(w.new_case("T-1", "B", "2026-03-01T09:05:00Z"));
  CHECK(again.status == commit_status::id_taken);
  CHECK(again.message == "a case with id T-1 already exists");
  CHECK(w.db().case_events("T-1").size() == 2);  // case_started, deadline_set
  CHECK(cases.load_case("T-1")->state.at("fields").at("customer") == "A");
  CHECK(w.log().size() == 2);
}

TEST_CASE_TEMPLATE_DEFINE("store contract: a batch is written whole or not at all", backend,
                          store_contract_batch_all_or_nothing) {
  world w(backend::make());
  const std::string a = w.open("2026-03-01T09:00:00Z", "Ann Customer");
  const std::string b = w.open("2026-03-01T09:05:00Z", "Bob Customer");
  case_store& cases = w.db();

  // B moves after it was read: the batch's second request is stale, so its first is not kept.
  const case_state stale_b = w.read(b);
  w.act(b, "work", {}, "2026-03-01T09:10:00Z");
  std::vector<commit_request> refused;
  refused.push_back(w.note(w.read(a), "first", "2026-03-01T09:20:00Z"));
  refused.push_back(w.note(stale_b, "second", "2026-03-01T09:20:00Z"));
  const auto results = cases.commit_batch(std::move(refused));
  REQUIRE(results.size() == 2);
  CHECK(results[1].status == commit_status::conflict);
  CHECK(cases.load_case(a)->seq == 2);
  CHECK(w.db().case_events(a).size() == 2);
  CHECK(w.log().size() == 6);  // two events for each opening and for b's work

  // Both current: both written, one after the other in the log.
  std::vector<commit_request> both;
  both.push_back(w.note(w.read(a), "first", "2026-03-01T09:20:00Z"));
  both.push_back(w.note(w.read(b), "second", "2026-03-01T09:20:00Z"));
  const auto written = cases.commit_batch(std::move(both));
  REQUIRE(written.size() == 2);
  CHECK(written[0].status == commit_status::committed);
  CHECK(written[1].status == commit_status::committed);
  REQUIRE(written[0].events.size() == 1);
  REQUIRE(written[1].events.size() == 1);
  CHECK(written[0].events[0].id == 7);
  CHECK(written[1].events[0].id == 8);
  CHECK(written[1].events[0].prev_hash == written[0].events[0].hash);
  CHECK(cases.load_case(a)->seq == 3);
  CHECK(cases.load_case(b)->seq == 5);
  CHECK(w.db().case_events(b).back().comment == "second");
}

TEST_CASE_TEMPLATE_DEFINE("store contract: scan_events gives the log in order, each event chained to the one before",
                          backend, store_contract_scan_events) {
  world w(backend::make());
  const std::string a = w.open("2026-03-01T09:00:00Z", "Ann Customer");
  const std::string b = w.open("2026-03-01T09:05:00Z", "Bob Customer");
  w.act(a, "work", {{"phone", "13800000001"}}, "2026-03-01T09:10:00Z");
  w.act(b, "work", {}, "2026-03-01T09:15:00Z");
  w.act(a, "finish", {}, "2026-03-01T09:20:00Z");
  // Interleaved as committed, two events for each opening and work, one for the finish.
  const std::vector<event> events = w.log();
  REQUIRE(events.size() == 9);
  const std::vector<std::pair<std::string, std::int64_t>> expected{{a, 1}, {a, 2}, {b, 1}, {b, 2}, {a, 3},
                                                                   {a, 4}, {b, 3}, {b, 4}, {a, 5}};
  std::string previous;
  for (std::size_t i = 0; i < events.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].id == static_cast<std::int64_t>(i + 1));
    CHECK(std::make_pair(events[i].case_id, events[i].seq) == expected[i]);
    CHECK(events[i].prev_hash == previous);
    CHECK(events[i].hash == event_hash(events[i]));
    previous = events[i].hash;
  }
  // As stored: a personal value is a digest in the log, and resolved in the case's events.
  CHECK(events[4].data.at("fields").at("phone").is_object());
  CHECK(w.db().case_events(a).at(2).data.at("fields").at("phone") == "13800000001");
  int visited = 0;
  w.db().scan_events([&](const event&) { return ++visited < 2; });
  CHECK(visited == 2);
  const verification v = verify_chain(w.db(), w.db());
  CHECK(v.ok());
  CHECK(v.head_hash == previous);
}

// ---- timer_queue -------------------------------------------------------------------------------

TEST_CASE_TEMPLATE_DEFINE("store contract: due timers come oldest first, at most the limit", backend,
                          store_contract_due_timers) {
  world w(backend::make());
  timer_queue& timers = w.db();
  CHECK_FALSE(timers.next_timer_due().has_value());
  // Each case's open.reply is due an hour after it opened: 10:00, 09:00 and 09:30.
  const std::string a = w.open("2026-03-01T09:00:00Z", "A");
  const std::string b = w.open("2026-03-01T08:00:00Z", "B");
  const std::string c = w.open("2026-03-01T08:30:00Z", "C");

  const auto all = timers.due_timers(at("2026-03-01T11:00:00Z"), 10);
  REQUIRE(all.size() == 3);
  CHECK(all[0].case_id == b);
  CHECK(all[0].rule == "open.reply");
  CHECK(all[0].due == at("2026-03-01T09:00:00Z"));
  CHECK(all[1].case_id == c);
  CHECK(all[2].case_id == a);
  const auto two = timers.due_timers(at("2026-03-01T11:00:00Z"), 2);
  REQUIRE(two.size() == 2);
  CHECK(two[0].case_id == b);
  CHECK(two[1].case_id == c);
  const auto by_930 = timers.due_timers(at("2026-03-01T09:30:00Z"), 10);  // due at `now` counts
  REQUIRE(by_930.size() == 2);
  CHECK(by_930[1].case_id == c);
  CHECK(timers.due_timers(at("2026-03-01T08:59:59Z"), 10).empty());
  CHECK(timers.next_timer_due() == std::optional<instant>(at("2026-03-01T09:00:00Z")));
  CHECK(timers.cases_with_deadlines() == std::vector<std::string>{a, b, c});

  // Leaving `open` clears B's limit: it is no longer due, and the next one is C's.
  w.act(b, "work", {}, "2026-03-01T08:40:00Z");
  const auto left = timers.due_timers(at("2026-03-01T11:00:00Z"), 10);
  REQUIRE(left.size() == 2);
  CHECK(left[0].case_id == c);
  CHECK(timers.next_timer_due() == std::optional<instant>(at("2026-03-01T09:30:00Z")));
}

// ---- outbox_store ------------------------------------------------------------------------------

TEST_CASE_TEMPLATE_DEFINE("store contract: an outbox row claimed by one lease is not given to another until released",
                          backend, store_contract_outbox_claims) {
  world w(backend::make());
  const std::string id = w.open("2026-03-01T09:00:00Z", "Zhang San");
  // One event asking for three messages: two at once, one not before 10:00.
  const case_state current = w.read(id);
  event asked = system_event(w.p(), current, event_kind::messages_requested, at("2026-03-01T09:10:00Z"));
  asked.data["messages"] = messages_to_json({{"log", "first", {{"n", 1}}, {}},
                                             {"log", "second", {{"n", 2}}, {}},
                                             {"log", "later", {{"n", 3}}, at("2026-03-01T10:00:00Z")}});
  REQUIRE(w.db().commit(w.request(current, {asked})).status == commit_status::committed);

  outbox_store& outbox = w.db();
  const auto rows = outbox.outbox_entries({});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].recipient == "first");
  CHECK(rows[0].state == "pending");
  CHECK(rows[0].payload == nlohmann::json{{"n", 1}});
  CHECK(rows[0].event_id == 3);  // the messages_requested event, after case_started and deadline_set
  CHECK(rows[2].next_attempt == at("2026-03-01T10:00:00Z"));
  REQUIRE(outbox.find_outbox_entry(rows[1].id).has_value());
  CHECK(outbox.find_outbox_entry(rows[1].id)->recipient == "second");
  CHECK_FALSE(outbox.find_outbox_entry(rows[2].id + 1).has_value());

  outbox_query due;
  due.due_only = true;
  due.now = at("2026-03-01T09:30:00Z");
  const lease one = new_lease(300);
  const lease two = new_lease(300);
  const auto claimed = outbox.claim_outbox(due, one);
  REQUIRE(claimed.size() == 2);  // `later` is not due yet
  CHECK(claimed[0].id == rows[0].id);
  CHECK(claimed[1].id == rows[1].id);
  CHECK(outbox.claim_outbox(due, two).empty());
  // Only the holder's release frees a row.
  outbox.release_outbox({rows[0].id}, two);
  CHECK(outbox.claim_outbox(due, two).empty());
  outbox.release_outbox({rows[0].id}, one);
  const auto freed = outbox.claim_outbox(due, two);
  REQUIRE(freed.size() == 1);
  CHECK(freed[0].id == rows[0].id);
  CHECK(outbox.claim_outbox(due, one).empty());
  // Claims are bookkeeping: the rows stay pending, and all of them are still listed.
  CHECK(outbox.outbox_entries({}).size() == 3);
  CHECK(outbox.find_outbox_entry(rows[0].id)->state == "pending");
}

// ---- attachment_store --------------------------------------------------------------------------

TEST_CASE_TEMPLATE_DEFINE("store contract: attached bytes are read back as stored, each digest once", backend,
                          store_contract_attachments) {
  world w(backend::make());
  const std::string id = w.open("2026-03-01T09:00:00Z", "Zhang San");
  const std::string photo("\x89PNG\0\r\n", 7);  // bytes, a NUL among them
  const std::string text = "收据 receipt";
  for (const auto& [name, bytes] : {std::pair{"photo.png", photo}, std::pair{"receipt.txt", text},
                                    std::pair{"copy.png", photo}}) {
    const outcome o = attach_evidence(w.rt(), id, "ann", name, bytes, "", at("2026-03-01T09:10:00Z"));
    INFO(o.message);
    REQUIRE(o.result == outcome::status::done);
  }
  attachment_store& blobs = w.db();
  CHECK(blobs.attachment(sha256_hex(photo)) == std::optional<std::string>(photo));
  CHECK(blobs.attachment(sha256_hex(text)) == std::optional<std::string>(text));
  CHECK_FALSE(blobs.attachment(sha256_hex("never attached")).has_value());
  std::vector<blob> stored;
  blobs.scan_attachments([&](const blob& b) {
    stored.push_back(b);
    return true;
  });
  // Two blobs (the copy is the photo's digest), ordered by digest.
  std::vector<std::string> digests{sha256_hex(photo), sha256_hex(text)};
  std::sort(digests.begin(), digests.end());
  REQUIRE(stored.size() == 2);
  CHECK(stored[0].digest == digests[0]);
  CHECK(stored[1].digest == digests[1]);
  CHECK(stored[0].bytes == (digests[0] == sha256_hex(photo) ? photo : text));
  CHECK(check_attachments(blobs, w.db()).empty());
}

// ---- personal_data -----------------------------------------------------------------------------

TEST_CASE_TEMPLATE_DEFINE("store contract: personal values are kept apart under keyed digests; erasing one deletes "
                          "its value and key",
                          backend, store_contract_personal_values) {
  world w(backend::make());
  const std::string a = w.open("2026-03-01T09:00:00Z", "Zhang San");
  const std::string b = w.open("2026-03-01T09:05:00Z", "Li Si");
  w.act(a, "work", {{"phone", "13800138000"}}, "2026-03-01T09:20:00Z");
  personal_data& personal = w.db();
  event_log& log = w.db();

  std::vector<personal_value> kept;
  personal.scan_personal_values([&](const personal_value& v) {
    kept.push_back(v);
    return true;
  });
  REQUIRE(kept.size() == 3);  // ordered by case, field
  CHECK(kept[0].case_id == a);
  CHECK(kept[0].field == "customer");
  CHECK(kept[1].field == "phone");
  CHECK(kept[2].case_id == b);
  for (const auto& v : kept) {
    REQUIRE(v.value.has_value());
    CHECK(v.scheme == k_personal_hmac);
    CHECK(v.key.size() == 64);
    CHECK(v.digest == personal_digest(v.scheme, v.key, v.case_id, v.field, *v.value));
    CHECK(v.erased_at.empty());
  }
  CHECK(kept[0].key != kept[2].key);  // a key per value
  // The events hold the digests, not the values.
  std::string stored_fields;
  log.scan_events([&](const event& e) {
    if (e.case_id == a) stored_fields += e.data_text;
    return true;
  });
  CHECK(stored_fields.find("Zhang San") == std::string::npos);
  CHECK(stored_fields.find(kept[0].digest) != std::string::npos);

  const erasure_result erased = erase_personal_data(w.rt(), {"root", a, "phone", ""}, at("2026-03-01T09:30:00Z"));
  INFO(erased.message);
  REQUIRE(erased.ok);
  const auto rows = personal.case_personal_values(a);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].value == std::optional<std::string>("Zhang San"));
  CHECK_FALSE(rows[1].value.has_value());
  CHECK(rows[1].key.empty());  // nothing left to confirm a guess of the digest with
  CHECK(rows[1].digest == kept[1].digest);
  CHECK(rows[1].erased_by == "root");
  CHECK(rows[1].erased_at == "2026-03-01T09:30:00Z");
  std::size_t still_kept = 0;
  personal.scan_personal_values([&](const personal_value&) { return ++still_kept < 1; });
  CHECK(still_kept == 1);  // visit returning false stops the scan
}

// ---- database_admin ----------------------------------------------------------------------------

TEST_CASE_TEMPLATE_DEFINE("store contract: a new database follows the real clock until it is marked virtual", backend,
                          store_contract_clock) {
  world w(backend::make());  // the runtime already finished any pending migration: none is left
  database_admin& admin = w.db();
  int parsed = 0;
  admin.complete_migration([&](std::string_view) -> std::shared_ptr<const procedure> {
    ++parsed;
    return nullptr;
  });
  CHECK(parsed == 0);
  CHECK(admin.clock_kind() == database_clock::real);
  admin.mark_virtual("root", "admin", at("2026-03-01T09:00:00Z"));
  CHECK(admin.clock_kind() == database_clock::virtual_time);
  // Recorded in the deployment log too, in the same transaction.
  deployment_log& log = w.db();
  const auto entry = log.current_deployment();
  REQUIRE(entry.has_value());
  CHECK(entry->reason == k_reason_marked_virtual);
  CHECK(entry->actor == "root");
  CHECK(entry->role == "admin");
  CHECK(verify_deployments(log, database_clock::virtual_time).empty());
}

// ---- deployment_log ------------------------------------------------------------------------------

// A deployment entry of `manifest` by `actor` at `when`, and the files it publishes.
inline deployment_record deployment_of(deployment_manifest manifest, const char* actor, const char* when) {
  deployment_record d;
  d.at = at(when);
  d.actor = actor;
  d.role = "admin";
  d.reason = "deploy";
  d.source = "/srv/processes";
  d.manifest = std::move(manifest);
  return d;
}

TEST_CASE_TEMPLATE_DEFINE("store contract: deployments are chained from 1, their texts kept by hash, a repeat is none",
                          backend, store_contract_deployments) {
  world w(backend::make());
  deployment_log& log = w.db();
  CHECK_FALSE(log.current_deployment().has_value());
  CHECK(log.deployments().empty());
  const std::string org_text = "people:\n  ann: { name: Ann, roles: [agent] }\n";
  const std::string calendar_text = "calendar: plain\n";
  const std::vector<deployed_file> files{
      {"procedure", "contract", sha256_hex(k_contract_procedure), k_contract_procedure, "1"},
      {"calendar", "plain.yaml", sha256_hex(calendar_text), calendar_text, ""},
      {"organisation", "org.yaml", sha256_hex(org_text), org_text, ""}};
  deployment_manifest first;
  first.procedures = {{"contract", files[0].hash}};
  first.calendars = {{"plain.yaml", files[1].hash}};
  first.organisation = files[2].hash;

  const deployment_record one = log.record_deployment(deployment_of(first, "root", "2026-03-01T09:00:00Z"), files);
  CHECK(one.id == 1);
  CHECK(one.prev_hash.empty());
  CHECK(one.hash == deployment_hash(one));
  for (const auto& f : files) CHECK(log.deployed_text(f.hash) == f.text);
  CHECK(log.deployed_text(sha256_hex("never deployed")) == std::nullopt);
  // The procedure text is a definition too: the events name it by the same hash.
  CHECK(w.db().definition_text(files[0].hash) == files[0].text);

  // The same manifest again (another process deployed the same files meanwhile): nothing new.
  const deployment_record again = log.record_deployment(deployment_of(first, "ann", "2026-03-01T09:05:00Z"), files);
  CHECK(again.id == 1);
  CHECK(again.actor == "root");

  deployment_manifest second = first;
  const std::string new_org = org_text + "  bob: { name: Bob, roles: [agent] }\n";
  second.organisation = sha256_hex(new_org);
  const deployment_record two = log.record_deployment(deployment_of(second, "root", "2026-03-02T09:00:00Z"),
                                                      {{"organisation", "org.yaml", second.organisation, new_org, ""}});
  CHECK(two.id == 2);
  CHECK(two.prev_hash == one.hash);
  CHECK(two.hash == deployment_hash(two));
  CHECK(log.current_deployment()->id == 2);
  CHECK(log.current_deployment()->manifest == second);
  const std::vector<deployment_record> all = log.deployments();
  REQUIRE(all.size() == 2);
  CHECK(all[0].hash == one.hash);
  CHECK(all[0].at == at("2026-03-01T09:00:00Z"));
  CHECK(all[0].manifest == first);
  CHECK(all[1].source == "/srv/processes");
  CHECK(verify_deployments(log, database_clock::real).empty());
  // The same log under a clock it never recorded: meta.clock was edited.
  CHECK(verify_deployments(log, database_clock::virtual_time).size() == 1);
}

}  // namespace caseflow::test::contract

// Invokes every test of the contract for `backend` (a type named with TYPE_TO_STRING).
#define CASEFLOW_STORE_CONTRACT(backend)                                                                    \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_commit_then_load, backend);                                     \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_stale_conflict, backend);                                       \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_id_taken, backend);                                             \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_batch_all_or_nothing, backend);                                 \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_scan_events, backend);                                          \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_due_timers, backend);                                           \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_outbox_claims, backend);                                        \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_attachments, backend);                                          \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_personal_values, backend);                               \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_clock, backend);                                                \
  TEST_CASE_TEMPLATE_INVOKE(store_contract_deployments, backend)
