// The similar-cases index in SQLite (table similar_keys). See caseflow/similar.h.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <fmt/format.h>

#include "caseflow/hash.h"
#include "caseflow/similar.h"
#include "caseflow/sqlite_store.h"
#include "store/sqlite/schema.h"

namespace caseflow::detail {

namespace {

std::string secret_of(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT value FROM meta WHERE key = 'similar_secret'");
  if (!q.executeStep())
    throw store_error("the database has no similar_secret in meta (every schema version 3 database has one): "
                      "it was altered");
  return q.getColumn(0).getString();
}

struct digests {
  std::string key;
  std::string distinct;
};

// Keyed digests of a signature: equal values give equal digests within one database only.
digests digests_of(SQLite::Database& db, const procedure& p, const similar_signature& s) {
  const std::string secret = secret_of(db);
  std::string same;
  for (const auto& text : s.same) same += text + '\x1f';
  return {sha256_hex(fmt::format("{}\nsame\n{}\n{}", secret, p.id, same)),
          sha256_hex(fmt::format("{}\ndistinct\n{}\n{}\n{}", secret, p.id, p.similar->distinct, s.distinct))};
}

}  // namespace

void sync_similar(SQLite::Database& db, const procedure& p, const case_state& state) {
  if (!p.similar) return;
  const auto signature = signature_of(p, state);
  if (!signature) {
    SQLite::Statement remove(db, "DELETE FROM similar_keys WHERE case_id = ?");
    remove.bind(1, state.id);
    remove.exec();
    return;
  }
  const digests d = digests_of(db, p, *signature);
  SQLite::Statement upsert(db, "INSERT INTO similar_keys(case_id, procedure, key, opened_seconds, distinct_digest, open) "
                               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET key = excluded.key, "
                               "distinct_digest = excluded.distinct_digest, open = excluded.open");
  upsert.bind(1, state.id);
  upsert.bind(2, p.id);
  upsert.bind(3, d.key);
  upsert.bind(4, state.opened_at.seconds);
  upsert.bind(5, d.distinct);
  upsert.bind(6, state.open ? 1 : 0);
  upsert.exec();
}

similar_group similar_rows(SQLite::Database& db, const procedure& p, const case_state& c, instant from, instant to) {
  similar_group group;
  const auto signature = signature_of(p, c);
  if (!signature) return group;
  const digests d = digests_of(db, p, *signature);
  group.distinct_digest = d.distinct;
  // An index range read on similar_by_key (procedure, key, opened_seconds).
  SQLite::Statement q(db, "SELECT case_id, opened_seconds, distinct_digest, open FROM similar_keys "
                          "WHERE procedure = ? AND key = ? AND opened_seconds BETWEEN ? AND ? AND case_id != ? "
                          "ORDER BY opened_seconds, case_id");
  q.bind(1, p.id);
  q.bind(2, d.key);
  q.bind(3, from.seconds);
  q.bind(4, to.seconds);
  q.bind(5, c.id);
  while (q.executeStep())
    group.others.push_back({q.getColumn(0).getString(), instant{q.getColumn(1).getInt64()},
                            q.getColumn(2).getString(), q.getColumn(3).getInt() != 0});
  return group;
}

}  // namespace caseflow::detail

namespace caseflow {

void sqlite_store::complete_migration(
    const std::function<std::shared_ptr<const procedure>(std::string_view hash)>& definition) {
  SQLite::Database& db = detail::database_of(*this);
  if (sqlite3_db_readonly(db.getHandle(), "main") != 0) return;
  SQLite::Statement pending(db, "SELECT 1 FROM meta WHERE key = 'similar_backfill'");
  if (!pending.executeStep()) return;
  pending.reset();
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  // Re-read inside the write lock: another process may have finished it meanwhile.
  if (!pending.executeStep()) return;
  scan_cases([&](const case_record& record) {
    const auto p = definition(record.definition_hash);
    if (p->similar) detail::sync_similar(db, *p, state_from_json(*p, record.state));
    return true;
  });
  db.exec("DELETE FROM meta WHERE key = 'similar_backfill'");
  tx.commit();
}

similar_group sqlite_store::similar_cases(const procedure& p, const case_state& c, instant from, instant to) {
  return detail::similar_rows(detail::database_of(*this), p, c, from, to);
}

}  // namespace caseflow
