// store/sqlite/schema.h — internal: the SQLite schema, its version, and row <-> struct mapping.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/SQLiteCpp.h>

#include "caseflow/event.h"
#include "caseflow/sqlite_store.h"
#include "caseflow/store.h"

namespace caseflow::detail {

// SELECT list for events, in the order read_event_row expects.
inline constexpr std::string_view k_event_columns =
    "SELECT id, case_id, seq, at, actor, role, on_behalf_of, kind, action, from_step, to_step, data, comment, "
    "definition_hash, prev_hash, hash, format, branch, org_version FROM events";

// Creates the schema in an empty database, or checks the version of an existing one and
// migrates an older one (unless `read_only`, which refuses it); returns the migration done.
// Throws store_error for a file that is not a caseflow database or is newer than this build.
// The clock a caseflow database follows (meta `clock`; absent: real).
database_clock stored_clock(SQLite::Database& db);
std::optional<schema_migration> prepare_schema(SQLite::Database& db, const std::string& path, const sqlite_options& options);

// A sentence for an SQLite failure ("the disk is full", "the database file is corrupt", …).
std::string explain_sqlite_error(const SQLite::Exception& e);

// Reads a row of k_event_columns as stored (data_text set: personal values are digests).
event read_event_row(SQLite::Statement& q);
// Binds parameters 1..19 of an INSERT in k_event_columns order (data as data_text when set).
void bind_event(SQLite::Statement& q, const event& e);
// Reads id, procedure, definition_hash, step, assignee, open, seq, state.
case_record read_case_row(SQLite::Statement& q);

}  // namespace caseflow::detail

namespace caseflow::detail {
// Makes the `similar_keys` row of the case match its state (in the open transaction): present
// while the case counts in a similar-cases group, absent otherwise. Defined in store/sqlite/similar.cpp.
void sync_similar(SQLite::Database& db, const procedure& p, const case_state& state);
// The rows similar to `c` opened in [from, to], c excluded (see store::similar_cases).
similar_group similar_rows(SQLite::Database& db, const procedure& p, const case_state& c, instant from, instant to);
// Makes the `timers` rows of the case match its state's deadlines (in the open transaction).
void sync_timers(SQLite::Database& db, const case_state& state);
}  // namespace caseflow::detail

namespace caseflow::detail {
// The outbox rows an event names (requested_messages) or the outcome it records, in the open
// transaction. See outbox.h; defined in store/sqlite/outbox.cpp.
void project_outbox(SQLite::Database& db, const event& stored);
}  // namespace caseflow::detail

namespace caseflow {
class sqlite_store;
namespace detail {
// The connection of `s` (for the outbox queries in outbox.cpp and the index upkeep in similar.cpp).
SQLite::Database& database_of(sqlite_store& s);
// Appends `entry` to the deployment log with `files` (in the open transaction), setting its id,
// prev_hash and hash; returns it. Defined in store/sqlite/deployments.cpp.
deployment_record append_deployment(SQLite::Database& db, deployment_record entry, const std::vector<deployed_file>& files);
// Appends the k_reason_marked_virtual entry (the current manifest, by `by` as `role`), in the open transaction.
void append_marked_virtual(SQLite::Database& db, const std::string& by, const std::string& role, instant at);
}  // namespace detail
}  // namespace caseflow
