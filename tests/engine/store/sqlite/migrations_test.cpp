// Schema migrations (engine/src/store/sqlite/migrations.cpp) on databases made with the version 1
// DDL kept in tests/fixtures/schema_v1.sql.
#include "store/sqlite/migrations.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "caseflow/sqlite_store.h"

namespace caseflow {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class temp_folder {
 public:
  temp_folder() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("caseflow_migration_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_folder() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A version 1 database holding one personal value, closed (no -wal left behind).
std::string make_v1_database(const temp_folder& dir, const std::string& extra_sql = "") {
  const std::string path = dir.file("old.db");
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(slurp(std::string(CASEFLOW_SOURCE_DIR) + "/tests/fixtures/schema_v1.sql"));
  db.exec("INSERT INTO personal_data(digest, case_id, field, value, salt) VALUES ('d1', 'TS-1', 'customer', '张三', 's')");
  db.exec("INSERT INTO personal_data(digest, case_id, field, value, salt, erased_at) "
          "VALUES ('d2', 'TS-1', 'phone', NULL, 'salt-of-an-erased-value', '2026-01-05T02:00:00Z')");
  if (!extra_sql.empty()) db.exec(extra_sql);
  return path;
}

bool has_column(SQLite::Database& db, const std::string& table, const std::string& column) {
  SQLite::Statement q(db, "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?");
  q.bind(1, table);
  q.bind(2, column);
  q.executeStep();
  return q.getColumn(0).getInt() == 1;
}

TEST_CASE("migration steps are contiguous and end at the version this build writes") {
  int expected_from = 1;
  for (const auto& step : detail::migration_steps()) {
    CHECK(step.from == expected_from);
    ++expected_from;
  }
  CHECK(expected_from == k_schema_version);
}

TEST_CASE("opening a version 1 database for writing backs it up, then migrates it to the current version") {
  temp_folder dir;
  const std::string path = make_v1_database(dir);
  const std::string before = slurp(path);
  {
    sqlite_store store(path);
    REQUIRE(store.migration().has_value());
    CHECK(store.migration()->from == 1);
    CHECK(store.migration()->to == k_schema_version);
    CHECK(store.migration()->backup == path + ".v1-backup");
  }
  SQLite::Database migrated(path);
  CHECK(detail::stored_schema_version(migrated) == k_schema_version);
  CHECK(has_column(migrated, "personal_data", "erased_by"));
  CHECK(migrated.execAndGet("SELECT value FROM personal_data WHERE digest = 'd1'").getString() == "张三");
  // Version 8: a kept value keeps its salt as the key of its digest; an erased one loses it.
  CHECK_FALSE(has_column(migrated, "personal_data", "salt"));
  CHECK(migrated.execAndGet("SELECT scheme || ' ' || digest_key FROM personal_data WHERE digest = 'd1'").getString() ==
        "salted-sha256 s");
  CHECK(migrated.execAndGet("SELECT digest_key IS NULL AND erased_at IS NOT NULL FROM personal_data WHERE digest = 'd2'")
            .getInt() == 1);
  CHECK(slurp(path).find("salt-of-an-erased-value") == std::string::npos);  // zeroed, not left in a free page
  CHECK(migrated.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'personal_data_by_value'").getInt() == 0);
  CHECK(migrated.tableExists("similar_keys"));
  CHECK(migrated.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'similar_by_key'").getInt() == 1);
  CHECK(migrated.execAndGet("SELECT length(value) FROM meta WHERE key = 'similar_secret'").getInt() == 64);

  SQLite::Database backup(path + ".v1-backup");
  CHECK(detail::stored_schema_version(backup) == 1);
  CHECK_FALSE(has_column(backup, "personal_data", "erased_by"));
  CHECK(backup.execAndGet("SELECT value FROM personal_data WHERE digest = 'd1'").getString() == "张三");
  struct stat info {};
  REQUIRE(::stat((path + ".v1-backup").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(before.size() > 0);

  // Opened again: nothing more to do, no second backup.
  sqlite_store again(path);
  CHECK_FALSE(again.migration().has_value());
  CHECK_FALSE(std::filesystem::exists(path + ".v1-backup-2"));
}

TEST_CASE("failed migration attempts leave one backup of the version, never a partial one") {
  temp_folder dir;
  const std::string path = make_v1_database(dir, "CREATE TABLE personal_data_by_value(x);");
  for (int attempt = 0; attempt < 3; ++attempt) CHECK_THROWS_AS(sqlite_store{path}, store_error);
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(path).parent_path()))
    files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  // The database and one backup (each with the write-ahead files SQLite keeps beside it): no
  // "-2", no temporary copy left.
  INFO("files: ", fmt::format("{}", fmt::join(files, " ")));
  for (const auto& f : files) {
    CHECK(f.find("backup-2") == std::string::npos);
    CHECK(f.find(".tmp-") == std::string::npos);
  }
  CHECK(std::filesystem::exists(path + ".v1-backup"));
  SQLite::Database backup(path + ".v1-backup", SQLite::OPEN_READONLY);
  CHECK(detail::stored_schema_version(backup) == 1);
}

TEST_CASE("a backup name planted as a symbolic link is refused, and nothing is written through it") {
  temp_folder dir;
  const std::string path = make_v1_database(dir);
  const std::string target = dir.file("elsewhere");
  std::ofstream(target) << "not to be overwritten";
  std::filesystem::create_symlink(target, path + ".v1-backup");
  CHECK_THROWS_WITH_AS(sqlite_store{path},
                       (path + ": the backup name " + path + ".v1-backup is a symbolic link; caseflow does not write a "
                               "backup through one (remove it); the database is unchanged").c_str(),
                       store_error);
  CHECK(slurp(target) == "not to be overwritten");
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(detail::stored_schema_version(db) == 1);
}

TEST_CASE("a file caseflow did not write under the backup name is kept: the backup takes the next name") {
  temp_folder dir;
  const std::string path = make_v1_database(dir);
  std::ofstream(path + ".v1-backup") << "an older backup";
  sqlite_store store(path);
  REQUIRE(store.migration().has_value());
  CHECK(store.migration()->backup == path + ".v1-backup-2");
  CHECK(slurp(path + ".v1-backup") == "an older backup");
}

TEST_CASE("a migration step that fails rolls back: the version 1 database is unchanged") {
  temp_folder dir;
  // The step creates this index; a database that already has an object of that name makes it fail.
  const std::string path = make_v1_database(dir, "CREATE TABLE personal_data_by_value(x);");
  const std::string before = slurp(path);
  CHECK_THROWS_WITH_AS(sqlite_store{path},
                       (path + ": migrating from schema version 1 to 2 failed (personal data records who erased it "
                               "and can be found by value (caseflow erase --person)): there is already a table named "
                               "personal_data_by_value; the database is unchanged (backup at " + path + ".v1-backup)")
                           .c_str(),
                       store_error);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(detail::stored_schema_version(db) == 1);
  CHECK_FALSE(has_column(db, "personal_data", "erased_by"));
  CHECK(slurp(path) == before);
}

TEST_CASE("a database written by a newer caseflow is refused and nothing is written") {
  temp_folder dir;
  const std::string path =
      make_v1_database(dir, "UPDATE meta SET value = '" + std::to_string(k_schema_version + 1) + "' WHERE key = 'schema_version'");
  const std::string before = slurp(path);
  CHECK_THROWS_WITH_AS(sqlite_store{path},
                       (path + " was written by a newer caseflow (schema version " + std::to_string(k_schema_version + 1) +
                        "; this build reads up to " + std::to_string(k_schema_version) +
                        "); upgrade caseflow to open it; nothing was written").c_str(),
                       store_error);
  CHECK(slurp(path) == before);
  CHECK_FALSE(std::filesystem::exists(path + ".v2-backup"));
}

TEST_CASE("a read-only open of an older database is refused without migrating it") {
  temp_folder dir;
  const std::string path = make_v1_database(dir);
  const std::string before = slurp(path);
  sqlite_options options;
  options.read_only = true;
  CHECK_THROWS_WITH_AS(sqlite_store(path, options),
                       (path + " has schema version 1 and this build needs " + std::to_string(k_schema_version) +
                        "; open it once without --read-only to migrate it (a backup is written first)").c_str(),
                       store_error);
  CHECK(slurp(path) == before);
  CHECK_FALSE(std::filesystem::exists(path + ".v1-backup"));
}

TEST_CASE("a schema version that is not a number is not a caseflow database") {
  temp_folder dir;
  const std::string path = make_v1_database(dir, "UPDATE meta SET value = 'two' WHERE key = 'schema_version'");
  CHECK_THROWS_WITH_AS(sqlite_store{path}, (path + " is not a caseflow database (no schema version)").c_str(),
                       store_error);
}

}  // namespace
}  // namespace caseflow
