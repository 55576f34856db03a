// ceiling.h — what plain SQLite can do on this machine, measured in the same run as caseflow:
// hash-chained rows written with the engine's PRAGMAs (WAL, synchronous=NORMAL), and the
// event log read back with every hash recomputed. No JSON, no projection, no rules: the
// ratios in the results table are caseflow's rate divided by these.
#pragma once

#include <cstdint>
#include <string>

#include "measure.h"

namespace caseflow::bench {

struct ceiling_run {
  double seconds = 0;
  std::int64_t rows = 0;
  latencies per_transaction;
  double rate() const { return seconds > 0 ? static_cast<double>(rows) / seconds : 0; }
};

// Inserts `rows` rows of about `row_bytes` bytes into a fresh database at `path`, each
// row's hash = SHA-256(previous hash + row), `rows_per_transaction` rows per transaction.
ceiling_run hashed_inserts(const std::string& path, std::int64_t rows, std::int64_t rows_per_transaction,
                           std::int64_t row_bytes);

// Reads every row of the `events` table of a caseflow database in log order and recomputes
// a SHA-256 over each row's columns, checking that each links to the one before.
ceiling_run read_and_hash(const std::string& db_path);

// The mean stored size in bytes of an event row of a caseflow database.
std::int64_t mean_event_bytes(const std::string& db_path);

}  // namespace caseflow::bench
