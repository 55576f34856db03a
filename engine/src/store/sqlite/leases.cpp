// Leases on outbox rows. See caseflow/store.h (lease).
#include <algorithm>
#include <tuple>

#include "caseflow/sqlite_store.h"
#include "store/sqlite/schema.h"

namespace caseflow {

namespace {

// Ends the live claims of workers known to have stopped (lease_holder_stopped): a dispatcher
// killed on this machine leaves nothing waiting for its lease to run out.
void free_stopped_workers(SQLite::Database& db, instant taken) {
  std::vector<std::string> stopped;
  {
    SQLite::Statement q(db, "SELECT DISTINCT claimed_by FROM outbox WHERE claimed_by IS NOT NULL AND "
                            "lease_until_seconds > ?");
    q.bind(1, taken.seconds);
    while (q.executeStep())
      if (const std::string worker = q.getColumn(0).getString(); lease_holder_stopped(worker)) stopped.push_back(worker);
  }
  if (stopped.empty()) return;
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement update(db, "UPDATE outbox SET claimed_by = NULL, lease_until_seconds = NULL WHERE claimed_by = ?");
  for (const auto& worker : stopped) {
    update.bind(1, worker);
    update.exec();
    update.reset();
  }
  tx.commit();
}

}  // namespace

std::vector<outbox_entry> sqlite_store::claim_outbox(const outbox_query& due, const lease& claim) {
  const std::string free_rows =
      "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_seconds <= :now AND "
      "(lease_until_seconds IS NULL OR lease_until_seconds <= :taken) ORDER BY next_attempt_seconds, id" +
      std::string(due.limit ? " LIMIT :limit" : "");
  const auto bind = [&](SQLite::Statement& q) {
    q.bind(":now", due.now.seconds);
    q.bind(":taken", claim.taken.seconds);
    if (due.limit) q.bind(":limit", static_cast<std::int64_t>(due.limit));
  };
  SQLite::Database& db = detail::database_of(*this);
  std::vector<std::int64_t> ids;
  try {
    free_stopped_workers(db, claim.taken);
    {
      // Nothing free and due: nothing is written (so a read-only database can be asked too).
      // The probe ends before the write lock is asked for: a connection still reading cannot
      // wait for it.
      SQLite::Statement probe(db, "SELECT 1 FROM (" + free_rows + ") LIMIT 1");
      bind(probe);
      if (!probe.executeStep()) return {};
    }
    // The write lock is taken before the rows are chosen, so two dispatchers choose one after
    // the other, each seeing the other's claims.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    {
      SQLite::Statement update(db, "UPDATE outbox SET claimed_by = :worker, lease_until_seconds = :until WHERE id IN (" +
                                       free_rows + ") RETURNING id");
      bind(update);
      update.bind(":worker", claim.worker);
      update.bind(":until", claim.until.seconds);
      while (update.executeStep()) ids.push_back(update.getColumn(0).getInt64());
    }
    tx.commit();
  } catch (const SQLite::Exception& e) {
    throw store_error(detail::explain_sqlite_error(e));
  }
  std::vector<outbox_entry> rows;
  for (const std::int64_t id : ids)
    if (auto row = find_outbox_entry(id)) rows.push_back(std::move(*row));
  std::sort(rows.begin(), rows.end(), [](const outbox_entry& a, const outbox_entry& b) {
    return std::tie(a.next_attempt.seconds, a.id) < std::tie(b.next_attempt.seconds, b.id);
  });
  return rows;
}

void sqlite_store::release_outbox(const std::vector<std::int64_t>& ids, const lease& claim) {
  if (ids.empty()) return;
  SQLite::Statement update(detail::database_of(*this),
                           "UPDATE outbox SET claimed_by = NULL, lease_until_seconds = NULL WHERE id = ? AND claimed_by = ?");
  for (const std::int64_t id : ids) {
    update.bind(1, id);
    update.bind(2, claim.worker);
    update.exec();
    update.reset();
  }
}

}  // namespace caseflow
