// Schema migration through the CLI: a real version 1 database (made with the version 1 DDL in
// tests/fixtures/schema_v1.sql and filled with a real case's rows) is backed up and migrated.
#include <filesystem>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "caseflow/chain.h"
#include "caseflow/hash.h"
#include "caseflow/sqlite_store.h"
#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::string k_migration_now = "2026-03-02T10:00+08:00";

// `caseflow args...` with the shipped procedures on the database `db`, at `now` (none: the clock).
run_result migration_cf(const scratch_dir& dir, const std::string& db, std::vector<std::string> args,
                        const std::string& now = k_migration_now) {
  std::vector<std::string> all{"--procedures", k_processes, "--db", db};
  if (!now.empty()) all.insert(all.end(), {"--now", now});
  all.insert(all.end(), args.begin(), args.end());
  return run_caseflow(all, dir);
}

// A database from before caseflow recorded its clock is a real-clock one (DESIGN.md): the
// first command on the version 1 copy, run by the clock, migrates it; `admin mark-virtual`
// then lets the test go on in virtual time.
void mark_virtual(const scratch_dir& dir, const std::string& db) {
  const run_result marked = migration_cf(dir, db, {"--as", "yang.guang", "admin", "mark-virtual"}, "");
  INFO("stderr: ", marked.err);
  REQUIRE(marked.exit_code == 0);
  CHECK(marked.out == db + " is now a virtual-time database: --now is accepted (marked by yang.guang as admin)\n");
}

void must(const scratch_dir& dir, const std::string& db, std::vector<std::string> args) {
  const run_result r = migration_cf(dir, db, std::move(args));
  INFO("stderr: ", r.err);
  REQUIRE(r.exit_code == 0);
}

// Rewrites the chain of `db`'s events (version 1 columns) as a version 1 build computed it.
void rechain_in_format_1(SQLite::Database& db) {
  SQLite::Statement rows(db, "SELECT id, case_id, seq, at, actor, role, on_behalf_of, kind, action, from_step, to_step, "
                             "data, comment, definition_hash FROM events ORDER BY id");
  std::vector<event> events;
  while (rows.executeStep()) {
    event e;
    e.format = 1;
    e.id = rows.getColumn(0).getInt64();
    e.case_id = rows.getColumn(1).getString();
    e.seq = rows.getColumn(2).getInt64();
    e.at = parse_instant(rows.getColumn(3).getString()).value();
    e.actor = rows.getColumn(4).getString();
    e.role = rows.getColumn(5).getString();
    e.on_behalf_of = rows.getColumn(6).getString();
    e.kind = rows.getColumn(7).getString();
    e.action = rows.getColumn(8).getString();
    e.from_step = rows.getColumn(9).getString();
    e.to_step = rows.getColumn(10).getString();
    e.data = nlohmann::json::parse(rows.getColumn(11).getString());
    e.comment = rows.getColumn(12).getString();
    e.definition_hash = rows.getColumn(13).getString();
    events.push_back(std::move(e));
  }
  std::string previous;
  for (event& e : events) {
    e.prev_hash = previous;
    previous = event_hash(e);
    SQLite::Statement put(db, "UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?");
    put.bind(1, e.prev_hash);
    put.bind(2, previous);
    put.bind(3, e.id);
    put.exec();
  }
}

// Copies every row of a current database into a new database made with the version 1 DDL.
void make_v1_copy(const std::string& current, const std::string& old) {
  SQLite::Database db(old, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(read_bytes(std::string(CASEFLOW_SOURCE_DIR) + "/tests/fixtures/schema_v1.sql").value());
  SQLite::Statement attach(db, "ATTACH DATABASE ? AS current");
  attach.bind(1, current);
  attach.exec();
  for (const char* table : {"definitions", "cases", "case_serials", "timers", "attachments"})
    db.exec(std::string("INSERT INTO ") + table + " SELECT * FROM current." + table);
  // Version 5 added the chain format, branch and organisation version of events: copy the
  // others, and hash them again as version 1 did (chain format 1).
  db.exec("INSERT INTO events SELECT id, case_id, seq, at, actor, role, on_behalf_of, kind, action, from_step, "
          "to_step, data, comment, definition_hash, prev_hash, hash FROM current.events");
  // Before version 8 a personal value's digest was SHA-256 of "salt\ncase\nfield\nvalue": digest
  // each value so, with its key as the salt, in personal_data and in the events that hold it.
  db.exec("INSERT INTO personal_data SELECT digest, case_id, field, value, digest_key, erased_at "
          "FROM current.personal_data");
  {
    SQLite::Statement rows(db, "SELECT digest, case_id, field, value, salt FROM personal_data");
    std::vector<std::pair<std::string, std::string>> renamed;
    while (rows.executeStep())
      renamed.emplace_back(rows.getColumn(0).getString(),
                           sha256_hex(rows.getColumn(4).getString() + "\n" + rows.getColumn(1).getString() + "\n" +
                                      rows.getColumn(2).getString() + "\n" + rows.getColumn(3).getString()));
    for (const auto& [from, to] : renamed) {
      SQLite::Statement row(db, "UPDATE personal_data SET digest = ? WHERE digest = ?");
      row.bind(1, to);
      row.bind(2, from);
      row.exec();
      SQLite::Statement events(db, "UPDATE events SET data = replace(data, ?, ?)");
      events.bind(1, from);
      events.bind(2, to);
      events.exec();
    }
  }
  rechain_in_format_1(db);
  // Version 4 added the lease columns of the outbox: copy the others.
  db.exec("INSERT INTO outbox SELECT id, case_id, event_id, channel, recipient, idempotency_key, payload, state, "
          "attempts, next_attempt_seconds, last_error, created_at FROM current.outbox");
  db.exec("DETACH DATABASE current");
}

std::string head_of(const std::string& path) {
  SQLite::Database db(path);
  return db.execAndGet("SELECT count(*) || ' ' || (SELECT hash FROM events ORDER BY id DESC LIMIT 1) FROM events")
      .getString();
}

TEST_CASE("migration: the first command on a real version 1 database backs it up, migrates it, and it still verifies") {
  scratch_dir dir;
  const std::string current = dir.file("current.db");
  must(dir, current, {"--as", "zhang.wei", "start", "complaint", "--set", "customer=张三", "--set", "phone=13912345678",
                      "--set", "channel=phone", "--set", "summary=卫生间漏水"});
  must(dir, current, {"--as", "zhang.wei", "do", "TS-2026-00001", "forward", "--set", "category=engineering_quality",
                      "--set", "department=engineering"});
  must(dir, current, {"--as", "zhang.wei", "note", "TS-2026-00001", "客户来电催促"});
  const std::string old = dir.file("old.db");
  make_v1_copy(current, old);
  const std::string head_before = head_of(old);

  // --now is refused on it, before anything is migrated or written (opening it may leave an
  // empty write-ahead log behind, which stored_bytes counts as none).
  const db_snapshot unmigrated = stored_bytes(old);
  const run_result with_now = migration_cf(dir, old, {"verify"});
  CHECK(with_now.exit_code == 1);
  CHECK(with_now.err == "caseflow: " + old + " follows the real clock (it was created without --now), so --now and "
                        "CASEFLOW_NOW are refused; an admin may make it a virtual-time database with `caseflow admin "
                        "mark-virtual`\n");
  CHECK(stored_bytes(old) == unmigrated);
  CHECK_FALSE(std::filesystem::exists(old + ".v1-backup"));
  const run_result verify = migration_cf(dir, old, {"verify"}, "");
  INFO("stdout: ", verify.out);
  CHECK(verify.exit_code == 0);
  CHECK(verify.err == "caseflow: " + old + ": migrated from schema version 1 to " + std::to_string(k_schema_version) + "; the version 1 database was first "
                                           "copied to " + old + ".v1-backup\n");
  CHECK(contains(verify.out, "a real-clock database: commands are timed by the clock (--now is refused)\n"));
  CHECK(head_of(old) == head_before);
  CHECK(head_of(old + ".v1-backup") == head_before);
  {
    SQLite::Database backup(old + ".v1-backup");
    CHECK(backup.execAndGet("SELECT value FROM meta WHERE key = 'schema_version'").getString() == "1");
    SQLite::Database migrated(old);
    CHECK(migrated.execAndGet("SELECT value FROM meta WHERE key = 'schema_version'").getString() == std::to_string(k_schema_version));
    CHECK(migrated.tableExists("similar_keys"));
    CHECK(migrated.execAndGet("SELECT length(value) FROM meta WHERE key = 'similar_secret'").getInt() == 64);
  }

  mark_virtual(dir, old);
  CHECK(contains(migration_cf(dir, old, {"verify"}).out, "a virtual-time database: its times were given with --now"));
  // Later commands: nothing to migrate, nothing said.
  const run_result replay = migration_cf(dir, old, {"replay"});
  CHECK(replay.exit_code == 0);
  CHECK(replay.err.empty());
  // What version 2 adds works on the migrated database.
  const run_result erase = migration_cf(dir, old, {"--as", "yang.guang", "erase", "--person", "13912345678"});
  INFO("stderr: ", erase.err);
  CHECK(erase.exit_code == 0);
  CHECK(erase.out == "TS-2026-00001: erased phone (yang.guang as admin)\n");
  CHECK(migration_cf(dir, old, {"verify"}).exit_code == 0);
  // The case continues where it was.
  must(dir, old, {"--as", "liu.yang", "do", "TS-2026-00001", "answer", "--set", "cause=防水层破损", "--comment", "已回复"});
}

// Opens a complaint from `customer` and forwards it as a roof leak in 翠湖天地 (the same
// complaint for the similar-cases rule of complaint.yaml); returns its id.
std::string same_complaint(const scratch_dir& dir, const std::string& db, const std::string& customer) {
  const run_result started = migration_cf(dir, db, {"--as", "zhang.wei", "start", "complaint", "--set",
                                                    "customer=" + customer, "--set", "channel=phone", "--set",
                                                    "summary=顶楼屋面漏水"});
  INFO("stderr: ", started.err);
  REQUIRE(started.exit_code == 0);
  const std::string id = started.out.substr(0, started.out.size() - 1);
  must(dir, db, {"--as", "zhang.wei", "do", id, "forward", "--set", "category=engineering_quality", "--set",
                 "department=project", "--set", "sub_type=屋面渗漏", "--set", "project=翠湖天地", "--set",
                 "kind=quality"});
  return id;
}

std::string severity_of(const scratch_dir& dir, const std::string& db, const std::string& id) {
  const run_result shown = migration_cf(dir, db, {"--json", "show", id});
  INFO("stderr: ", shown.err);
  REQUIRE(shown.exit_code == 0);
  return nlohmann::json::parse(shown.out)["fields"]["severity"];
}

TEST_CASE("migration: complaints open before the migration count for the similar-cases rule after it") {
  scratch_dir dir;
  const std::string current = dir.file("current.db");
  const std::string first = same_complaint(dir, current, "张三");
  const std::string second = same_complaint(dir, current, "李四");
  const std::string old = dir.file("old.db");
  make_v1_copy(current, old);

  // The first command migrates, and the migration indexes both open complaints.
  mark_virtual(dir, old);
  CHECK(severity_of(dir, old, first) == "general");
  {
    SQLite::Database migrated(old);
    CHECK(migrated.execAndGet("SELECT count(*) FROM similar_keys WHERE open = 1").getInt() == 2);
    CHECK(migrated.execAndGet("SELECT count(*) FROM meta WHERE key = 'similar_backfill'").getInt() == 0);
  }
  // A third complainant makes all three hot, as on a database that was never migrated.
  const std::string third = same_complaint(dir, old, "王五");
  for (const auto& id : {first, second, third}) {
    INFO("case ", id);
    CHECK(severity_of(dir, old, id) == "hot");
  }
  CHECK(migration_cf(dir, old, {"verify"}).exit_code == 0);
}

// tests/fixtures/schema_v4_complaint.sql is the dump of a database the last build of schema
// version 4 wrote (a complaint opened, forwarded, noted, and two timers fired: 15 events); its
// chain head is the one that build printed. Every hash in it is chain format 1.
TEST_CASE("migration: a database the version 4 build wrote keeps its hashes; new events are chain format 2") {
  scratch_dir dir;
  const std::string old = dir.file("v4.db");
  {
    SQLite::Database db(old, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(read_bytes(std::string(CASEFLOW_SOURCE_DIR) + "/tests/fixtures/schema_v4_complaint.sql").value());
  }
  const std::string head = "15:a04cae5f30f1966b9823984aa1f9d3b5309130d3124a64960df3b00eb93b431f";
  const run_result verified = migration_cf(dir, old, {"verify"}, "2026-03-06T10:00+08:00");
  INFO("stdout: ", verified.out);
  CHECK(verified.exit_code == 0);
  CHECK(verified.err == "caseflow: " + old + ": migrated from schema version 4 to " + std::to_string(k_schema_version) + "; the version 4 database was first "
                                             "copied to " + old + ".v4-backup\n");
  CHECK(contains(verified.out, "verified: 15 events in 1 cases; head " + head + "\n"));
  {
    SQLite::Database db(old);
    CHECK(db.execAndGet("SELECT count(*) FROM events WHERE format = 1 AND branch = '' AND org_version = ''").getInt() == 15);
  }
  // The next event is written in format 2, with the organisation it was decided under, and
  // links to the last format 1 event.
  const run_result answered = migration_cf(dir, old, {"--as", "liu.yang", "do", "TS-2026-00001", "answer", "--set",
                                                      "cause=防水层破损", "--comment", "已回复"},
                                           "2026-03-06T10:05+08:00");
  INFO("stderr: ", answered.err);
  REQUIRE(answered.exit_code == 0);
  const std::string org_version = sha256_hex(read_bytes(std::string(k_processes) + "/org.yaml").value());
  {
    SQLite::Database db(old);
    SQLite::Statement q(db, "SELECT id, format, org_version, prev_hash FROM events WHERE id > 15 ORDER BY id");
    int rows = 0;
    while (q.executeStep()) {
      ++rows;
      CHECK(q.getColumn(1).getInt() == 2);
      CHECK(q.getColumn(2).getString() == org_version);
      if (q.getColumn(0).getInt() == 16) CHECK(q.getColumn(3).getString() == head.substr(3));
    }
    // The answer, and the clearing of the written-answer limit (breached by the fixture's tick, so
    // kept until the step is left); `handling` sets no limit of its own.
    CHECK(rows == 2);
  }
  const run_result again = migration_cf(dir, old, {"verify"}, "2026-03-06T10:10+08:00");
  INFO("stdout: ", again.out);
  CHECK(again.exit_code == 0);
}

TEST_CASE("migration: --read-only refuses an older database and writes nothing") {
  scratch_dir dir;
  const std::string current = dir.file("current.db");
  must(dir, current, {"--as", "zhang.wei", "start", "complaint", "--set", "customer=张三", "--set", "channel=phone",
                      "--set", "summary=卫生间漏水"});
  const std::string old = dir.file("old.db");
  make_v1_copy(current, old);
  const db_snapshot before = snapshot(old);
  const run_result r = migration_cf(dir, old, {"--read-only", "list"}, "");
  CHECK(r.exit_code == 1);
  CHECK(r.err == "caseflow: " + old + " has schema version 1 and this build needs " + std::to_string(k_schema_version) +
                           "; open it once without --read-only "
                                      "to migrate it (a backup is written first)\n");
  // The database bytes are the same (a read-only connection may leave an empty -wal behind).
  CHECK(read_bytes(old) == before.main);
  CHECK(read_bytes(old + "-wal").value_or("").empty());
}

}  // namespace
}  // namespace caseflow::test
