#include "store/sqlite/schema.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include "caseflow/sqlite_store.h"
#include "store/sqlite/migrations.h"

namespace caseflow::detail {

namespace {

// The current version (k_schema_version), for a new database; an older one is moved forward by
// the steps in migrations.cpp. Every table is documented in README.md "Database schema".
constexpr const char* k_schema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE definitions(
  hash TEXT PRIMARY KEY, procedure TEXT NOT NULL, version TEXT NOT NULL,
  text TEXT NOT NULL, first_used_at TEXT NOT NULL);
CREATE TABLE events(
  id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL,
  actor TEXT NOT NULL, role TEXT NOT NULL, on_behalf_of TEXT NOT NULL, kind TEXT NOT NULL,
  action TEXT NOT NULL, from_step TEXT NOT NULL, to_step TEXT NOT NULL, data TEXT NOT NULL,
  comment TEXT NOT NULL, definition_hash TEXT NOT NULL REFERENCES definitions(hash),
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL, format INTEGER NOT NULL, branch TEXT NOT NULL,
  org_version TEXT NOT NULL,
  UNIQUE(case_id, seq));
CREATE TABLE cases(
  id TEXT PRIMARY KEY, procedure TEXT NOT NULL, definition_hash TEXT NOT NULL REFERENCES definitions(hash),
  step TEXT NOT NULL, open INTEGER NOT NULL, assignee TEXT NOT NULL, seq INTEGER NOT NULL,
  opened_at TEXT NOT NULL, updated_at TEXT NOT NULL, state TEXT NOT NULL);
CREATE INDEX cases_by_step ON cases(procedure, step);
CREATE INDEX cases_by_assignee ON cases(assignee, open);
CREATE INDEX cases_open ON cases(open, procedure);
CREATE TABLE case_serials(period TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE personal_data(
  digest TEXT PRIMARY KEY, case_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT,
  scheme TEXT NOT NULL, digest_key TEXT, erased_at TEXT, erased_by TEXT);
CREATE INDEX personal_data_by_case ON personal_data(case_id, field);
CREATE TABLE timers(
  case_id TEXT NOT NULL, rule TEXT NOT NULL, kind TEXT NOT NULL, due_at TEXT NOT NULL,
  due_seconds INTEGER NOT NULL, fired INTEGER NOT NULL, provisional INTEGER NOT NULL,
  calendar_version TEXT NOT NULL, PRIMARY KEY(case_id, rule)) WITHOUT ROWID;
CREATE INDEX timers_pending ON timers(fired, due_seconds);
CREATE INDEX timers_by_kind ON timers(kind, due_seconds);
CREATE TABLE attachments(digest TEXT PRIMARY KEY, size INTEGER NOT NULL, content BLOB NOT NULL);
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, event_id INTEGER NOT NULL, channel TEXT NOT NULL,
  recipient TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE, payload TEXT NOT NULL,
  state TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_seconds INTEGER NOT NULL,
  last_error TEXT NOT NULL, created_at TEXT NOT NULL, claimed_by TEXT, lease_until_seconds INTEGER);
CREATE INDEX outbox_due ON outbox(state, next_attempt_seconds);
CREATE INDEX outbox_claimed ON outbox(claimed_by) WHERE claimed_by IS NOT NULL;
CREATE TABLE similar_keys(
  case_id TEXT PRIMARY KEY, procedure TEXT NOT NULL, key TEXT NOT NULL, opened_seconds INTEGER NOT NULL,
  distinct_digest TEXT NOT NULL, open INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX similar_by_key ON similar_keys(procedure, key, opened_seconds);
CREATE TABLE deployments(
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, reason TEXT NOT NULL,
  source TEXT NOT NULL, manifest TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE deployed_files(hash TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE schedule_openings(
  procedure TEXT NOT NULL, schedule TEXT NOT NULL, period TEXT NOT NULL, period_start TEXT NOT NULL,
  case_id TEXT NOT NULL, opened_at TEXT NOT NULL, PRIMARY KEY(procedure, schedule, period)) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('similar_secret', lower(hex(randomblob(32))));
)sql";

std::string text_column(SQLite::Statement& q, int i) { return q.getColumn(i).getString(); }

}  // namespace

database_clock stored_clock(SQLite::Database& db) {
  SQLite::Statement get(db, "SELECT value FROM meta WHERE key = 'clock'");
  return get.executeStep() && get.getColumn(0).getString() == "virtual" ? database_clock::virtual_time
                                                                        : database_clock::real;
}

std::optional<schema_migration> prepare_schema(SQLite::Database& db, const std::string& path, const sqlite_options& options) {
  const bool read_only = options.read_only;
  // One statement reads one snapshot: read apart, a first command of another process could
  // commit the whole schema between "no meta" and "how many tables" and look like a foreign file.
  SQLite::Statement probe(db, "SELECT count(*) FILTER (WHERE type = 'table' AND name = 'meta'), count(*) FROM sqlite_master");
  probe.executeStep();
  const bool has_meta = probe.getColumn(0).getInt() != 0;
  const int objects = probe.getColumn(1).getInt();
  probe.reset();
  if (!has_meta) {
    if (objects != 0)
      throw store_error(fmt::format("{} is not a caseflow database (it has tables but no caseflow schema)", path));
    if (read_only) throw store_error(fmt::format("{} is an empty database", path));
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (!db.tableExists("meta")) {  // another process may have created it meanwhile
      db.exec(k_schema);
      SQLite::Statement put(db, "INSERT INTO meta(key, value) VALUES ('schema_version', ?), ('application', 'caseflow'), "
                                "('clock', ?)");
      put.bind(1, std::to_string(k_schema_version));
      put.bind(2, options.virtual_time ? "virtual" : "real");
      put.exec();
    }
    tx.commit();
    return std::nullopt;
  }
  const int version = stored_schema_version(db);
  if (version == 0) throw store_error(fmt::format("{} is not a caseflow database (no schema version)", path));
  if (version > k_schema_version)
    throw store_error(fmt::format("{} was written by a newer caseflow (schema version {}; this build reads up to {}); "
                                  "upgrade caseflow to open it; nothing was written",
                                  path, version, k_schema_version));
  if (version < k_schema_version && read_only)
    throw store_error(fmt::format("{} has schema version {} and this build needs {}; open it once without "
                                  "--read-only to migrate it (a backup is written first)",
                                  path, version, k_schema_version));
  if (options.virtual_time && stored_clock(db) == database_clock::real)
    throw store_error(fmt::format("{} follows the real clock (it was created without --now), so --now and CASEFLOW_NOW "
                                  "are refused; an admin may make it a virtual-time database with `caseflow admin "
                                  "mark-virtual`",
                                  path));
  if (version == k_schema_version) return std::nullopt;
  return migrate_schema(db, path);
}

std::string explain_sqlite_error(const SQLite::Exception& e) {
  switch (e.getErrorCode()) {
    case SQLITE_FULL: return "the disk is full; nothing was written";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return "the database file is corrupt or not a database";
    case SQLITE_READONLY: return "the database is read-only; nothing was written";
    case SQLITE_IOERR:
      if (e.getExtendedErrorCode() == SQLITE_IOERR_WRITE || e.getExtendedErrorCode() == SQLITE_IOERR_TRUNCATE ||
          e.getExtendedErrorCode() == SQLITE_IOERR_SHMSIZE)
        return "the database files could not be written (the disk is full, or a file size limit was reached); "
               "nothing was written";
      return fmt::format("an I/O error occurred ({}); nothing was written", e.what());
    case SQLITE_CANTOPEN: return "the database file cannot be opened";
    default: return e.what();
  }
}

event read_event_row(SQLite::Statement& q) {
  event e;
  e.id = q.getColumn(0).getInt64();
  e.case_id = text_column(q, 1);
  e.seq = q.getColumn(2).getInt64();
  e.at = parse_instant(text_column(q, 3)).value_or(instant{});
  e.actor = text_column(q, 4);
  e.role = text_column(q, 5);
  e.on_behalf_of = text_column(q, 6);
  e.kind = text_column(q, 7);
  e.action = text_column(q, 8);
  e.from_step = text_column(q, 9);
  e.to_step = text_column(q, 10);
  e.comment = text_column(q, 12);
  e.definition_hash = text_column(q, 13);
  e.prev_hash = text_column(q, 14);
  e.hash = text_column(q, 15);
  e.format = q.getColumn(16).getInt();
  e.branch = text_column(q, 17);
  e.org_version = text_column(q, 18);
  e.data_text = text_column(q, 11);
  e.data = nlohmann::json::parse(e.data_text, nullptr, /*allow_exceptions=*/false);
  return e;
}

void bind_event(SQLite::Statement& q, const event& e) {
  q.bind(1, e.id);
  q.bind(2, e.case_id);
  q.bind(3, e.seq);
  q.bind(4, format_instant_utc(e.at));
  q.bind(5, e.actor);
  q.bind(6, e.role);
  q.bind(7, e.on_behalf_of);
  q.bind(8, e.kind);
  q.bind(9, e.action);
  q.bind(10, e.from_step);
  q.bind(11, e.to_step);
  q.bind(12, e.data_text.empty() ? e.data.dump() : e.data_text);
  q.bind(13, e.comment);
  q.bind(14, e.definition_hash);
  q.bind(15, e.prev_hash);
  q.bind(16, e.hash);
  q.bind(17, e.format);
  q.bind(18, e.branch);
  q.bind(19, e.org_version);
}

case_record read_case_row(SQLite::Statement& q) {
  case_record r;
  r.id = text_column(q, 0);
  r.procedure = text_column(q, 1);
  r.definition_hash = text_column(q, 2);
  r.step = text_column(q, 3);
  r.assignee = text_column(q, 4);
  r.open = q.getColumn(5).getInt() != 0;
  r.seq = q.getColumn(6).getInt64();
  r.state = nlohmann::json::parse(text_column(q, 7), nullptr, false);
  return r;
}

}  // namespace caseflow::detail

namespace caseflow::detail {

void sync_timers(SQLite::Database& db, const case_state& state) {
  SQLite::Statement clear(db, "DELETE FROM timers WHERE case_id = ?");
  clear.bind(1, state.id);
  clear.exec();
  if (state.deadlines.empty()) return;
  SQLite::Statement insert(db, "INSERT INTO timers(case_id, rule, kind, due_at, due_seconds, fired, provisional, "
                               "calendar_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& d : state.deadlines) {
    insert.bind(1, state.id);
    insert.bind(2, d.rule);
    insert.bind(3, d.kind);
    insert.bind(4, format_instant_utc(d.due));
    insert.bind(5, d.due.seconds);
    insert.bind(6, d.breached ? 1 : 0);
    insert.bind(7, d.provisional ? 1 : 0);
    insert.bind(8, d.calendar_version);
    insert.exec();
    insert.reset();
  }
}

}  // namespace caseflow::detail
