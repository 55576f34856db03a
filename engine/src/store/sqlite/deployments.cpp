// The deployment log and the deployed texts. See caseflow/store.h and caseflow/deployment.h.
#include <fmt/format.h>

#include "caseflow/sqlite_store.h"
#include "store/sqlite/schema.h"

namespace caseflow {

namespace {

constexpr const char* k_deployment_columns =
    "SELECT id, at, actor, role, reason, source, manifest, prev_hash, hash FROM deployments";

deployment_record read_deployment(SQLite::Statement& q) {
  deployment_record d;
  d.id = q.getColumn(0).getInt64();
  d.at = parse_instant(q.getColumn(1).getString()).value_or(instant{});
  d.actor = q.getColumn(2).getString();
  d.role = q.getColumn(3).getString();
  d.reason = q.getColumn(4).getString();
  d.source = q.getColumn(5).getString();
  d.manifest = deployment_manifest::from_json(nlohmann::json::parse(q.getColumn(6).getString(), nullptr, false));
  d.prev_hash = q.getColumn(7).getString();
  d.hash = q.getColumn(8).getString();
  return d;
}

std::optional<deployment_record> latest(SQLite::Database& db) {
  SQLite::Statement q(db, std::string(k_deployment_columns) + " ORDER BY id DESC LIMIT 1");
  if (!q.executeStep()) return std::nullopt;
  return read_deployment(q);
}

}  // namespace

std::optional<deployment_record> sqlite_store::current_deployment() {
  try {
    return latest(detail::database_of(*this));
  } catch (const SQLite::Exception& e) {
    throw store_error(detail::explain_sqlite_error(e));
  }
}

std::vector<deployment_record> sqlite_store::deployments() {
  std::vector<deployment_record> all;
  SQLite::Statement q(detail::database_of(*this), std::string(k_deployment_columns) + " ORDER BY id");
  while (q.executeStep()) all.push_back(read_deployment(q));
  return all;
}

std::optional<std::string> sqlite_store::deployed_text(std::string_view hash) {
  SQLite::Statement q(detail::database_of(*this), "SELECT text FROM deployed_files WHERE hash = ?1 "
                                                  "UNION ALL SELECT text FROM definitions WHERE hash = ?1 LIMIT 1");
  q.bind(1, std::string(hash));
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

namespace detail {

deployment_record append_deployment(SQLite::Database& db, deployment_record entry, const std::vector<deployed_file>& files) {
  const std::optional<deployment_record> previous = latest(db);
  SQLite::Statement definition(db, "INSERT OR IGNORE INTO definitions(hash, procedure, version, text, first_used_at) "
                                   "VALUES (?, ?, ?, ?, ?)");
  SQLite::Statement other(db, "INSERT OR IGNORE INTO deployed_files(hash, kind, name, text) VALUES (?, ?, ?, ?)");
  for (const deployed_file& f : files) {
    SQLite::Statement& q = f.kind == "procedure" ? definition : other;
    q.bind(1, f.hash);
    if (f.kind == "procedure") {
      q.bind(2, f.name);
      q.bind(3, f.version);
      q.bind(4, f.text);
      q.bind(5, format_instant_utc(entry.at));
    } else {
      q.bind(2, f.kind);
      q.bind(3, f.name);
      q.bind(4, f.text);
    }
    q.exec();
    q.reset();
  }
  entry.id = previous ? previous->id + 1 : 1;
  entry.prev_hash = previous ? previous->hash : "";
  entry.hash = deployment_hash(entry);
  SQLite::Statement insert(db, "INSERT INTO deployments(id, at, actor, role, reason, source, manifest, prev_hash, hash) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, entry.id);
  insert.bind(2, format_instant_utc(entry.at));
  insert.bind(3, entry.actor);
  insert.bind(4, entry.role);
  insert.bind(5, entry.reason);
  insert.bind(6, entry.source);
  insert.bind(7, entry.manifest.to_json().dump());
  insert.bind(8, entry.prev_hash);
  insert.bind(9, entry.hash);
  insert.exec();
  return entry;
}

void append_marked_virtual(SQLite::Database& db, const std::string& by, const std::string& role, instant at) {
  deployment_record entry;
  entry.at = at;
  entry.actor = by;
  entry.role = role;
  entry.reason = std::string(k_reason_marked_virtual);
  if (const auto previous = latest(db)) {
    entry.source = previous->source;
    entry.manifest = previous->manifest;
  }
  append_deployment(db, std::move(entry), {});
}

}  // namespace detail

deployment_record sqlite_store::record_deployment(deployment_record entry, const std::vector<deployed_file>& files) {
  SQLite::Database& db = detail::database_of(*this);
  try {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::optional<deployment_record> previous = latest(db);
    if (previous && previous->manifest == entry.manifest) return *previous;
    entry = detail::append_deployment(db, std::move(entry), files);
    tx.commit();
    return entry;
  } catch (const SQLite::Exception& e) {
    throw store_error(detail::explain_sqlite_error(e));
  }
}

}  // namespace caseflow
