#include "caseflow/sqlite_store.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "caseflow/chain.h"
#include "caseflow/hash.h"
#include "caseflow/runtime.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

using test::at;

constexpr const char* k_store_ticket = R"(procedure: ticket
case_id: "TS-{yyyy}-{seq:05}"
roles: { agent: 客服 }
fields:
  customer: { type: text, required: true, personal: true }
  phone: { type: text, personal: true }
  note: { type: text }
start: open
steps:
  open:
    role: agent
    actions:
      work: { to: working, sets: [note, phone] }
  working:
    role: agent
    actions:
      finish: done
      rework: open
  done: { terminal: true }
)";

struct world {
  procedure_library library;
  organisation org;
  world() {
    diagnostics out;
    auto p = load_procedure_text(k_store_ticket, "ticket.yaml", &out);
    REQUIRE(p.has_value());
    library.add(std::move(*p));
    org.add(person{"ann", "Ann", {"agent"}, "", ""});
  }
};

// A fresh directory with a database path in it, removed at the end of the test.
struct temp_db {
  std::filesystem::path dir;
  std::string path;
  temp_db() {
    static std::atomic<int> counter{0};
    dir = std::filesystem::temp_directory_path() /
          ("caseflow_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    path = (dir / "c.db").string();
  }
  ~temp_db() { std::filesystem::remove_all(dir); }
};

command start_cmd(std::string customer) {
  command cmd;
  cmd.actor = "ann";
  cmd.sets = {{"customer", std::move(customer)}};
  return cmd;
}

command act(std::string action, std::vector<std::pair<std::string, std::string>> sets = {}) {
  command cmd;
  cmd.type = command::kind::act;
  cmd.actor = "ann";
  cmd.action = std::move(action);
  cmd.sets = std::move(sets);
  return cmd;
}

std::string must_start(runtime& rt, const char* now, std::string customer = "Zhang San") {
  outcome o = rt.start("ticket", start_cmd(std::move(customer)), at(now));
  INFO(o.message);
  REQUIRE(o.result == outcome::status::done);
  return o.case_id;
}

void must_do(runtime& rt, const std::string& id, command cmd, const char* now = "2026-03-02T10:00:00Z") {
  outcome o = rt.execute(id, std::move(cmd), at(now));
  INFO(o.message);
  REQUIRE(o.result == outcome::status::done);
}

std::int64_t count(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  REQUIRE(q.executeStep());
  return q.getColumn(0).getInt64();
}

// What a commit reads back through the interface is the store contract's (store_contract.h);
// here, the rows it leaves in the file.
TEST_CASE("store: a commit writes events, projection and definition together") {
  world w;
  temp_db tmp;
  std::string id;
  {
    sqlite_store s(tmp.path);
    runtime rt(s, w.library, w.org, nullptr);
    id = must_start(rt, "2026-03-01T09:00:00Z");
    must_do(rt, id, act("work", {{"note", "called back"}}));
  }
  SQLite::Database db(tmp.path);
  CHECK(count(db, "SELECT count(*) FROM events") == 2);
  CHECK(count(db, "SELECT count(*) FROM cases") == 1);
  CHECK(count(db, "SELECT count(*) FROM definitions") == 1);
  CHECK(count(db, "SELECT seq FROM cases WHERE id = '" + id + "'") == 2);
}

TEST_CASE("store: works on an in-memory database") {
  world w;
  sqlite_store s(":memory:");
  runtime rt(s, w.library, w.org, nullptr);
  const std::string id = must_start(rt, "2026-03-01T09:00:00Z");
  must_do(rt, id, act("work"));
  must_do(rt, id, act("finish"));
  auto loaded = rt.load(id);
  REQUIRE(loaded.has_value());
  CHECK(loaded->state.step == "done");
  CHECK_FALSE(loaded->state.open);
  const verification v = verify_chain(s, s);
  CHECK(v.ok());
  CHECK(v.events == 3);
  CHECK(v.cases == 1);
}

TEST_CASE("store: personal values are kept out of the events table") {
  world w;
  temp_db tmp;
  std::string id;
  {
    sqlite_store s(tmp.path);
    runtime rt(s, w.library, w.org, nullptr);
    id = must_start(rt, "2026-03-01T09:00:00Z", "Zhang San");
    must_do(rt, id, act("work", {{"phone", "13800000001"}, {"note", "public text"}}));
    const auto events = s.case_events(id);
    REQUIRE(events.size() == 2);
    CHECK(events[0].data["fields"]["customer"] == "Zhang San");
    CHECK(events[1].data["fields"]["phone"] == "13800000001");
    CHECK(events[1].data["fields"]["note"] == "public text");
    CHECK(verify_chain(s, s).ok());
  }
  SQLite::Database db(tmp.path);
  SQLite::Statement q(db, "SELECT data FROM events ORDER BY id");
  std::vector<nlohmann::json> stored;
  while (q.executeStep()) stored.push_back(nlohmann::json::parse(q.getColumn(0).getString()));
  REQUIRE(stored.size() == 2);
  for (const auto& data : stored) {
    CHECK(data.dump().find("Zhang San") == std::string::npos);
    CHECK(data.dump().find("13800000001") == std::string::npos);
  }
  const auto digest = stored[0]["fields"]["customer"]["personal"].get<std::string>();
  CHECK(digest.size() == 64);
  CHECK(stored[1]["fields"]["note"] == "public text");
  SQLite::Statement kept(db, "SELECT case_id, field, value FROM personal_data WHERE digest = ?");
  kept.bind(1, digest);
  REQUIRE(kept.executeStep());
  CHECK(kept.getColumn(0).getString() == id);
  CHECK(kept.getColumn(1).getString() == "customer");
  CHECK(kept.getColumn(2).getString() == "Zhang San");
}

TEST_CASE("store: case ids count per year") {
  world w;
  sqlite_store s(":memory:");
  runtime rt(s, w.library, w.org, nullptr);
  CHECK(must_start(rt, "2026-03-01T09:00:00Z") == "TS-2026-00001");
  CHECK(must_start(rt, "2026-12-31T23:00:00Z") == "TS-2026-00002");
  CHECK(must_start(rt, "2027-01-01T00:30:00Z") == "TS-2027-00001");
  CHECK(must_start(rt, "2026-12-31T23:59:00Z") == "TS-2026-00003");
}

// A log of two interleaved cases: ids 1..5 are A1, B1, A2, B2, A3.
struct two_cases {
  world w;
  temp_db tmp;
  std::string a, b;
  two_cases() {
    sqlite_store s(tmp.path);
    runtime rt(s, w.library, w.org, nullptr);
    a = must_start(rt, "2026-03-01T09:00:00Z", "Ann Customer");
    b = must_start(rt, "2026-03-01T09:05:00Z", "Bob Customer");
    must_do(rt, a, act("work", {{"note", "first"}}));
    must_do(rt, b, act("work"));
    must_do(rt, a, act("finish"));
  }
  void tamper(const std::string& sql) {
    SQLite::Database db(tmp.path, SQLite::OPEN_READWRITE);
    db.exec(sql);
  }
  verification verify() {
    sqlite_store s(tmp.path);
    return verify_chain(s, s);
  }
};

bool has_finding(const verification& v, const std::string& case_id, std::int64_t seq, const std::string& rule) {
  return std::any_of(v.findings.begin(), v.findings.end(), [&](const finding& f) {
    return f.case_id == case_id && f.seq == seq && f.rule == rule;
  });
}

std::string describe(const verification& v) {
  std::string text;
  for (const auto& f : v.findings) text += f.case_id + " " + std::to_string(f.seq) + " [" + f.rule + "] " + f.message + "\n";
  return text;
}

TEST_CASE("store: an untampered log verifies") {
  two_cases log;
  const verification v = log.verify();
  CHECK_MESSAGE(v.ok(), describe(v));
  CHECK(v.events == 5);
  CHECK(v.cases == 2);
  sqlite_store s(log.tmp.path);
  CHECK(v.head_hash == s.case_events(log.a).back().hash);
}

TEST_CASE("store: verify finds an edited event") {
  two_cases log;
  log.tamper("UPDATE events SET data = '{\"fields\":{\"note\":\"second\"}}' WHERE id = 3");
  const verification v = log.verify();
  INFO(describe(v));
  REQUIRE_FALSE(v.ok());
  CHECK(v.findings.front().case_id == log.a);
  CHECK(v.findings.front().seq == 2);
  CHECK(v.findings.front().rule == "chain");
  CHECK(v.findings.front().message.find("edited") != std::string::npos);
}

TEST_CASE("store: verify finds a deleted event") {
  two_cases log;
  log.tamper("DELETE FROM events WHERE id = 3");
  const verification v = log.verify();
  INFO(describe(v));
  // The gap shows at the next event in the log; the case it was taken from has a hole.
  CHECK(has_finding(v, log.b, 2, "chain"));
  CHECK(has_finding(v, log.a, 3, "sequence"));
}

TEST_CASE("store: verify finds two events that swapped places") {
  two_cases log;
  // Swap the contents of log positions 2 (B1) and 3 (A2), keeping the ids.
  log.tamper(R"sql(
    CREATE TEMP TABLE saved AS SELECT * FROM events WHERE id IN (2, 3);
    UPDATE events SET case_id = 'x' || id WHERE id IN (2, 3);
    UPDATE events SET (case_id, seq, at, actor, role, on_behalf_of, kind, action, from_step, to_step, data, comment,
                       definition_hash, prev_hash, hash) =
      (SELECT case_id, seq, at, actor, role, on_behalf_of, kind, action, from_step, to_step, data, comment,
              definition_hash, prev_hash, hash FROM saved WHERE saved.id = 5 - events.id)
      WHERE id IN (2, 3);
  )sql");
  const verification v = log.verify();
  INFO(describe(v));
  CHECK(has_finding(v, log.a, 2, "chain"));
  CHECK(has_finding(v, log.b, 1, "chain"));
}

TEST_CASE("store: verify finds a deleted case") {
  two_cases log;
  log.tamper("DELETE FROM events WHERE case_id = '" + log.b + "'; DELETE FROM cases WHERE id = '" + log.b + "';");
  const verification v = log.verify();
  INFO(describe(v));
  CHECK(has_finding(v, log.a, 2, "chain"));
  CHECK(has_finding(v, log.a, 3, "chain"));
  CHECK(v.cases == 1);
}

TEST_CASE("store: verify finds a forged event appended with a valid hash") {
  two_cases log;
  event forged;
  {
    sqlite_store s(log.tmp.path);
    const event last = s.case_events(log.a).back();
    forged = last;
    forged.id = last.id + 1;
    forged.seq = last.seq + 1;
    forged.kind = std::string(event_kind::action_taken);
    forged.action = "rework";
    forged.from_step = "done";
    forged.to_step = "open";
    forged.prev_hash = last.hash;
    forged.hash = event_hash(forged);
  }
  {
    SQLite::Database db(log.tmp.path, SQLite::OPEN_READWRITE);
    SQLite::Statement q(db, "INSERT INTO events SELECT ?, case_id, ?, at, actor, role, on_behalf_of, kind, ?, ?, ?, "
                            "data, comment, definition_hash, ?, ?, format, branch, org_version FROM events WHERE id = 5");
    q.bind(1, forged.id);
    q.bind(2, forged.seq);
    q.bind(3, forged.action);
    q.bind(4, forged.from_step);
    q.bind(5, forged.to_step);
    q.bind(6, forged.prev_hash);
    q.bind(7, forged.hash);
    REQUIRE(q.exec() == 1);
  }
  const verification v = log.verify();
  INFO(describe(v));
  REQUIRE_FALSE(v.ok());
  // The chain holds (the forger knew the algorithm); the projection does not agree.
  CHECK(has_finding(v, log.a, 4, "projection"));
}

TEST_CASE("store: verify finds a forged event inserted with a bad hash") {
  two_cases log;
  log.tamper("INSERT INTO events SELECT 6, case_id, 4, at, actor, role, on_behalf_of, kind, action, from_step, "
             "to_step, data, comment, definition_hash, prev_hash, hash, format, branch, org_version FROM events WHERE id = 5");
  const verification v = log.verify();
  INFO(describe(v));
  CHECK(has_finding(v, log.a, 4, "chain"));
}

TEST_CASE("store: a file that is not a caseflow database is refused") {
  temp_db tmp;
  {
    SQLite::Database db(tmp.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE other(x)");
  }
  CHECK_THROWS_WITH_AS(sqlite_store{tmp.path},
                       (tmp.path + " is not a caseflow database (it has tables but no caseflow schema)").c_str(),
                       store_error);
}

}  // namespace
}  // namespace caseflow
