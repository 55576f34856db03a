// Schema migrations. See migrations.h; README.md "Reliability and security".
#include "store/sqlite/migrations.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include <SQLiteCpp/Backup.h>
#include <fmt/format.h>
#include <sqlite3.h>

namespace caseflow::detail {

const std::vector<migration_step>& migration_steps() {
  static const std::vector<migration_step> steps = {
      {1, "personal data records who erased it and can be found by value (caseflow erase --person)",
       "ALTER TABLE personal_data ADD COLUMN erased_by TEXT;\n"
       "CREATE INDEX personal_data_by_value ON personal_data(value) WHERE value IS NOT NULL;"},
      // `key` and `distinct_digest` are SHA-256 digests keyed by `similar_secret`, so personal
      // values are never stored in plain and cannot be guessed by hashing (caseflow/similar.h).
      {2, "the similar-cases index (a procedure's `similar:` rules count cases through it)",
       "CREATE TABLE similar_keys(case_id TEXT PRIMARY KEY, procedure TEXT NOT NULL, key TEXT NOT NULL, "
       "opened_seconds INTEGER NOT NULL, distinct_digest TEXT NOT NULL, open INTEGER NOT NULL) WITHOUT ROWID;\n"
       "CREATE INDEX similar_by_key ON similar_keys(procedure, key, opened_seconds);\n"
       "INSERT INTO meta(key, value) VALUES ('similar_secret', lower(hex(randomblob(32))));\n"
       // The cases already stored are indexed by sqlite_store::complete_migration, which can
       // read their definitions; until then this row says the index is incomplete.
       "INSERT INTO meta(key, value) VALUES ('similar_backfill', 'pending');"},
      {3, "outbox rows are claimed before they are delivered (store.h, lease)",
       "ALTER TABLE outbox ADD COLUMN claimed_by TEXT;\n"
       "ALTER TABLE outbox ADD COLUMN lease_until_seconds INTEGER;\n"
       "CREATE INDEX outbox_claimed ON outbox(claimed_by) WHERE claimed_by IS NOT NULL;"},
      // Events written before keep format 1 (chain.h): their hashes stay valid.
      {4, "events record their chain format, branch and organisation version (chain format 2)",
       "ALTER TABLE events ADD COLUMN format INTEGER NOT NULL DEFAULT 1;\n"
       "ALTER TABLE events ADD COLUMN branch TEXT NOT NULL DEFAULT '';\n"
       "ALTER TABLE events ADD COLUMN org_version TEXT NOT NULL DEFAULT '';"},
      // Nothing is deployed yet: the first command given a procedures folder deploys it.
      {5, "procedures, calendars and the organisation are deployed into the database (caseflow deploy)",
       "CREATE TABLE deployments(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, "
       "reason TEXT NOT NULL, source TEXT NOT NULL, manifest TEXT NOT NULL, prev_hash TEXT NOT NULL, "
       "hash TEXT NOT NULL);\n"
       "CREATE TABLE deployed_files(hash TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, text TEXT NOT NULL);"},
      {6, "the periods schedules opened, one case each (periodic duties)",
       "CREATE TABLE schedule_openings(procedure TEXT NOT NULL, schedule TEXT NOT NULL, period TEXT NOT NULL, "
       "period_start TEXT NOT NULL, case_id TEXT NOT NULL, opened_at TEXT NOT NULL, "
       "PRIMARY KEY(procedure, schedule, period)) WITHOUT ROWID;"},
      // The salt of an erased value is dropped: without it the digest its event holds confirms no
      // guess. Kept values keep their salt as the key of scheme salted-sha256 (the events' digests
      // cannot change); values stored from now on get an HMAC key of their own. The index on the
      // plain values goes: a person is found by scanning, normalised (erasure.h).
      {7, "personal values are digested under a key of their own, destroyed when the value is erased",
       "CREATE TABLE personal_data_v8(digest TEXT PRIMARY KEY, case_id TEXT NOT NULL, field TEXT NOT NULL, "
       "value TEXT, scheme TEXT NOT NULL, digest_key TEXT, erased_at TEXT, erased_by TEXT);\n"
       "INSERT INTO personal_data_v8(digest, case_id, field, value, scheme, digest_key, erased_at, erased_by) "
       "SELECT digest, case_id, field, value, 'salted-sha256', CASE WHEN value IS NULL THEN NULL ELSE salt END, "
       "erased_at, erased_by FROM personal_data ORDER BY rowid;\n"
       "DROP TABLE personal_data;\n"
       "ALTER TABLE personal_data_v8 RENAME TO personal_data;\n"
       "CREATE INDEX personal_data_by_case ON personal_data(case_id, field);"},
  };
  return steps;
}

namespace {

// Whether `file` is a caseflow database of schema `version` (an earlier attempt's backup).
bool is_backup_of(const std::string& file, int version) {
  try {
    SQLite::Database db(file, SQLite::OPEN_READONLY);
    return db.tableExists("meta") && stored_schema_version(db) == version;
  } catch (const SQLite::Exception&) {
    return false;
  }
}

}  // namespace

std::string backup_path_for(const std::string& path, int version) {
  const std::string base = fmt::format("{}.v{}-backup", path, version);
  std::string candidate = base;
  for (int n = 2;; ++n) {
    std::error_code ec;
    const auto status = std::filesystem::symlink_status(candidate, ec);
    if (std::filesystem::is_symlink(status))
      throw store_error(fmt::format("{}: the backup name {} is a symbolic link; caseflow does not write a backup "
                                    "through one (remove it); the database is unchanged",
                                    path, candidate));
    if (!std::filesystem::exists(status) ||
        (std::filesystem::is_regular_file(status) && is_backup_of(candidate, version)))
      return candidate;
    candidate = fmt::format("{}-{}", base, n);
  }
}

int stored_schema_version(SQLite::Database& db) {
  SQLite::Statement get(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!get.executeStep()) return 0;
  const std::string text = get.getColumn(0).getString();
  int version = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  return error == std::errc{} && end == text.data() + text.size() && version > 0 ? version : 0;
}

namespace {

// A consistent copy of `db` (outside any transaction: the backup API cannot read through a
// connection that holds a write transaction) in an owner-only file at `backup`. The copy is
// written under a temporary name of its own, created here (never through a link), and renamed
// to `backup` once complete: a copy cut short is never under the backup's name, and an earlier
// attempt's backup is replaced, so there is one backup per version.
void write_backup(SQLite::Database& db, const std::string& backup) {
  const std::string temporary = fmt::format("{}.tmp-{}", backup, ::getpid());
  std::filesystem::remove(temporary);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw SQLite::Exception(fmt::format("cannot create {}: {}", temporary, std::strerror(errno)));
  ::close(fd);
  try {
    {
      SQLite::Database copy(temporary, SQLite::OPEN_READWRITE);
      // One step copies every page under one read lock: a consistent copy.
      if (SQLite::Backup(copy, db).executeStep() != SQLITE_DONE)
        throw SQLite::Exception("the database stayed busy during the copy");
    }
    std::filesystem::rename(temporary, backup);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

}  // namespace

std::optional<schema_migration> migrate_schema(SQLite::Database& db, const std::string& path) {
  const int version = stored_schema_version(db);
  schema_migration done{version, k_schema_version, backup_path_for(path, version)};
  try {
    write_backup(db, done.backup);
  } catch (const std::filesystem::filesystem_error& e) {
    throw store_error(fmt::format("{}: cannot write the backup {} before migrating from schema version {} to {}: {}; "
                                  "the database is unchanged",
                                  path, done.backup, version, k_schema_version, e.code().message()));
  } catch (const SQLite::Exception& e) {
    throw store_error(fmt::format("{}: cannot write the backup {} before migrating from schema version {} to {}: {}; "
                                  "the database is unchanged",
                                  path, done.backup, version, k_schema_version, e.what()));
  }
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  if (stored_schema_version(db) != version) return std::nullopt;  // migrated by another process meanwhile
  for (const auto& step : migration_steps()) {
    if (step.from < version) continue;
    try {
      db.exec(step.sql);
    } catch (const SQLite::Exception& e) {
      throw store_error(fmt::format("{}: migrating from schema version {} to {} failed ({}): {}; the database is "
                                    "unchanged (backup at {})",
                                    path, step.from, step.from + 1, step.what, e.what(), done.backup));
    }
  }
  SQLite::Statement put(db, "UPDATE meta SET value = ? WHERE key = 'schema_version'");
  put.bind(1, std::to_string(k_schema_version));
  put.exec();
  tx.commit();
  return done;
}

}  // namespace caseflow::detail
