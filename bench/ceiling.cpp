#include "ceiling.h"

#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "caseflow/hash.h"

namespace caseflow::bench {

namespace {
constexpr const char* k_event_columns =
    "SELECT id, case_id, seq, at, actor, role, on_behalf_of, kind, action, from_step, to_step, data, comment, "
    "definition_hash, prev_hash, hash FROM events";
}

ceiling_run hashed_inserts(const std::string& path, std::int64_t rows, std::int64_t rows_per_transaction,
                           std::int64_t row_bytes) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("CREATE TABLE events(id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, seq INTEGER NOT NULL, "
          "body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE(case_id, seq))");
  SQLite::Statement insert(db, "INSERT INTO events(id, case_id, seq, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)");
  // The row's bytes other than the two hashes and the case id go into `body`.
  const std::string body(static_cast<std::size_t>(std::max<std::int64_t>(row_bytes - 2 * 64 - 16, 16)), 'x');
  std::string previous;
  ceiling_run run;
  const stopwatch total;
  for (std::int64_t id = 1; id <= rows;) {
    const stopwatch one;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (std::int64_t k = 0; k < rows_per_transaction && id <= rows; ++k, ++id) {
      const std::string case_id = fmt::format("BN-2025-{:07}", id / 6);
      std::string hash = sha256_hex(previous + case_id + body);
      insert.bind(1, id);
      insert.bind(2, case_id);
      insert.bind(3, id % 6 + 1);
      insert.bind(4, body);
      insert.bind(5, previous);
      insert.bind(6, hash);
      insert.exec();
      insert.reset();
      previous = std::move(hash);
    }
    tx.commit();
    run.per_transaction.add(one.micros());
  }
  run.seconds = total.seconds();
  run.rows = rows;
  return run;
}

ceiling_run read_and_hash(const std::string& db_path) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, std::string(k_event_columns) + " ORDER BY id");
  ceiling_run run;
  const stopwatch total;
  std::string previous;
  std::string text;
  while (q.executeStep()) {
    text.clear();
    for (int column = 0; column < 15; ++column) text += q.getColumn(column).getString();
    if (q.getColumn(14).getString() != previous) throw std::runtime_error("the ceiling read found a broken link");
    sha256_hex(text);
    previous = q.getColumn(15).getString();
    ++run.rows;
  }
  run.seconds = total.seconds();
  return run;
}

std::int64_t mean_event_bytes(const std::string& db_path) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  std::string sum = "8";  // seq
  for (const char* column : {"case_id", "at", "actor", "role", "on_behalf_of", "kind", "action", "from_step", "to_step",
                             "data", "comment", "definition_hash", "prev_hash", "hash"})
    sum += fmt::format(" + length(CAST({} AS BLOB))", column);
  return db.execAndGet(fmt::format("SELECT CAST(avg({}) AS INTEGER) FROM events", sum))
      .getInt64();
}

}  // namespace caseflow::bench
