// caseflow/chain.h — the hash chain over the whole event log, and its verification.
//
// Each event's hash is SHA-256 over the previous event's hash and the event's canonical
// JSON (every stored column but `hash`, keys sorted), in the event's chain format (event.h
// k_chain_format; format 2 takes the data column's bytes as stored, so an edit that parses to
// the same JSON — a duplicate key, other spacing — still breaks the hash). Because the chain runs through the
// whole log in order, editing, deleting, inserting or reordering any event — or deleting
// a whole case — breaks it. The head digest (the last hash and the event count) lets an
// auditor who wrote it down detect a later truncation of the tail. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caseflow/event.h"
#include "caseflow/store.h"

namespace caseflow {

// The canonical text an event's hash is computed over (includes prev_hash, not hash), in
// e.format: 1 or 2 (REQUIRES one of them).
std::string canonical_event(const event& e);
// sha256(canonical_event(e)).
std::string event_hash(const event& e);

struct finding {
  std::string case_id;
  std::int64_t seq = 0;
  std::string rule;     // e.g. "chain", "sequence", "projection"
  std::string message;
};

struct verification {
  std::vector<finding> findings;
  std::int64_t events = 0;
  std::int64_t cases = 0;
  std::string head_hash;  // hash of the last event ("" for an empty log)
  bool ok() const { return findings.empty(); }
};

// Streams the whole log once and checks the chain, per-case sequences and that every
// projected case (of `cases`, the same database) agrees with its log (exists, same last seq).
// Memory grows with the number of cases (one small entry each), not with the number of events.
verification verify_chain(event_log& log, case_store& cases);

}  // namespace caseflow
