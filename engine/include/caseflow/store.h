// caseflow/store.h — where events, case projections and definitions are kept.
//
// The store is an interface so that a server database can be added without touching the
// core. A commit is atomic: the events, the case projection and the definition text are
// written together or not at all. Implementations are handles: non-copyable. One store
// object is used by one thread at a time; many processes may share one database.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/event.h"
#include "caseflow/outbox.h"
#include "caseflow/procedure.h"

namespace caseflow {

// A storage failure that is not the caller's fault (I/O error, corrupt file, disk full).
class store_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The stored projection of a case, as read back.
struct case_record {
  std::string id;
  std::string procedure;
  std::string definition_hash;
  std::string step;
  std::string assignee;
  bool open = true;
  std::int64_t seq = 0;
  nlohmann::json state;  // state_to_json() form, personal values resolved
};

// Content-addressed bytes kept with a case (evidence): `digest` is the SHA-256 hex of `bytes`.
struct blob {
  std::string digest;
  std::string bytes;
};

struct commit_request {
  const procedure* definition = nullptr;  // stored by hash the first time a case uses it
  std::int64_t expected_seq = 0;          // the case's seq when decided; 0 for a new case
  std::vector<event> events;              // seq, case_id (may be "" for a new case) filled
  case_state resulting_state;             // the projection after the events
  // For a new case without an id: allocate one from this pattern and local day.
  std::string id_pattern;
  civil_date local_day;
  // Written in the same transaction as the events; a digest already stored is kept once.
  std::vector<blob> blobs;
  // Personal fields of the case whose every stored value is erased in the same transaction,
  // recording who (`erased_by`) and when (the first event's time). See erasure.h.
  std::vector<std::string> erase_personal_fields;
  std::string erased_by;
};

enum class commit_status {
  committed,
  conflict,      // the case changed since it was read (or the database stayed busy)
  id_taken,      // a new case's explicit id already exists
};

struct commit_result {
  commit_status status = commit_status::committed;
  std::string case_id;
  std::vector<event> events;  // as stored: id, prev_hash, hash filled
  std::string message;        // why, when not committed
};

struct case_filter {
  std::string procedure;  // "" = any
  std::string step;       // "" = any
  std::string assignee;   // "" = anyone
  bool open_only = false;
  std::size_t limit = 0;  // 0 = no limit
};

// A deadline waiting to fire.
struct timer_ref {
  std::string case_id;
  std::string rule;
  instant due;
};

class store {
 public:
  virtual ~store() = default;

  virtual std::optional<case_record> load_case(std::string_view id) = 0;
  virtual std::optional<std::string> definition_text(std::string_view hash) = 0;
  virtual commit_result commit(commit_request request) = 0;
  // Several requests in one transaction (bulk import): all are written, or none is. The
  // results stop at the first request that could not be written.
  virtual std::vector<commit_result> commit_batch(std::vector<commit_request> requests) = 0;
  // The case's events in order, personal values resolved (erased ones are null).
  virtual std::vector<event> case_events(std::string_view id) = 0;
  // Every event in log order, as stored (personal values as digests), one at a time:
  // memory does not grow with the log. Stop early by returning false.
  virtual void scan_events(const std::function<bool(const event&)>& visit) = 0;
  // Every case projection, ordered by id, one at a time.
  virtual void scan_cases(const std::function<bool(const case_record&)>& visit) = 0;
  virtual std::vector<case_record> list_cases(const case_filter& filter) = 0;
  // Cases with a step limit due at or before `now` (breached or about to be), by due time.
  virtual std::vector<case_record> overdue_cases(instant now, const case_filter& filter) = 0;

  // Timers due at or before `now` that have not fired, oldest first, at most `limit`.
  virtual std::vector<timer_ref> due_timers(instant now, std::size_t limit) = 0;
  // When the next timer that has not fired is due.
  virtual std::optional<instant> next_timer_due() = 0;
  // Ids of the cases that have any deadline (for recomputation), ordered.
  virtual std::vector<std::string> cases_with_deadlines() = 0;

  // The stored bytes with this digest (see blob). A store without attachments has none.
  virtual std::optional<std::string> attachment(std::string_view /*digest*/) { return std::nullopt; }
  // Every stored blob, ordered by digest, one at a time (bytes as stored, for verification).
  virtual void scan_attachments(const std::function<bool(const blob&)>& /*visit*/) {}

  // Every (case id, field) whose stored personal value equals `value` (not erased), ordered.
  virtual std::vector<std::pair<std::string, std::string>> personal_value_holders(std::string_view /*value*/) {
    return {};
  }

  // The outbox (see outbox.h). A store without one holds no messages.
  virtual std::vector<outbox_entry> outbox_entries(const outbox_query&) { return {}; }
  virtual std::optional<outbox_entry> find_outbox_entry(std::int64_t) { return std::nullopt; }
};

}  // namespace caseflow
