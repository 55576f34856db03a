// store/sqlite/migrations.h — internal: moving a database written by an older caseflow forward.
//
// The schema version lives in `meta.schema_version`. Each step takes a database from
// version `from` to `from + 1`; the steps run in order inside one IMMEDIATE transaction,
// after a consistent copy of the database is written beside it. Adding a version is one
// entry in migration_steps() (migrations.cpp), the same change in the creation
// script (sqlite_schema.cpp) and k_schema_version + 1 (caseflow/sqlite_store.h).
#pragma once

#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "caseflow/sqlite_store.h"

namespace caseflow::detail {

struct migration_step {
  int from;          // the step turns version `from` into `from + 1`
  const char* what;  // one line for the message and the README
  const char* sql;   // statements run in the migration transaction
};

// Every step, ordered by `from`; the last ends at k_schema_version.
const std::vector<migration_step>& migration_steps();

// The name of the backup written before migrating `path` from `version`: "<path>.v<version>-backup"
// when it is free or holds an earlier attempt's backup of that version (which is replaced: one
// backup per version), else with "-2", "-3", … appended (a file caseflow did not write is kept).
// Throws store_error when the name is a symbolic link.
std::string backup_path_for(const std::string& path, int version);

// Migrates `db` (opened read-write on `path`) to k_schema_version: copies the database to
// backup_path_for() with SQLite's backup API (owner-only), then in one IMMEDIATE transaction
// re-reads the version (another process may have migrated meanwhile), runs the steps and
// records the new version. Returns nullopt when there was nothing to do. A failed step rolls
// everything back (the database is unchanged; the backup stays) and throws store_error.
std::optional<schema_migration> migrate_schema(SQLite::Database& db, const std::string& path);

// The version recorded in `meta` (0 when the row is missing or not a number).
int stored_schema_version(SQLite::Database& db);

}  // namespace caseflow::detail
