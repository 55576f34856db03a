// caseflow/store.h — where events, case projections and definitions are kept.
//
// The store is a set of role interfaces (the cases and their commits, the event log, the timer
// queue, the outbox, attachments, personal data, the similar-cases index, the database itself)
// so that a server database can be added without touching the core; `store` is all of them.
// Each role's contract is written above it, the rules every role shares above the first.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/deployment_record.h"
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

// A case of a similar-cases group, as the index holds it (see similar.h).
struct similar_case {
  std::string case_id;
  instant opened_at;
  std::string distinct_digest;  // keyed digest of the `distinct` value, never the value itself
  bool open = true;
};
struct similar_group {
  std::string distinct_digest;       // the probe case's own
  std::vector<similar_case> others;  // ordered by opening time, the probe excluded
};

// Optimistic check of a group read before the commit: the commit is refused as a conflict when
// the index holds a different number of similar cases in [from, to] by then.
struct similar_check {
  instant from;
  instant to;
  std::size_t others = 0;
};

// Which clock a database follows, for its whole life (DESIGN.md "Time"). A database created by
// a command given a time (`--now`) is a virtual-time database: tests, demos and examples move
// its time as they please. Any other is a real-clock (production) database, where commands
// run at the clock's time and a given time is refused; databases created before caseflow
// recorded the kind are real-clock ones.
enum class database_clock { real, virtual_time };

// A period a schedule opened a case for (DESIGN.md "Periodic duties"): (procedure, schedule,
// period) is a unique key, so a period opens once whatever the number of ticks racing.
struct schedule_opening {
  std::string procedure;
  std::string schedule;
  std::string period;        // its label, e.g. "2026-11"
  civil_date period_start;   // orders the periods of a schedule
  std::string case_id;       // the case opened (filled by the store on commit)
  instant opened_at;
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
  // A new case whose events carry this text as case_id: commit_batch() allocates its id from
  // id_pattern before writing anything and replaces the text by the id wherever it appears
  // in the batch (event case ids, inside any text of event data, the states' id, parent and
  // sub-case ids). Placeholders start with the control character \x1f, which no input holds.
  std::string placeholder;
  // For a case joining a similar-cases group: the group it was decided against.
  std::optional<similar_check> similar;
  // Personal fields of the case whose every stored value is erased in the same transaction,
  // recording who (`erased_by`) and when (the first event's time). See erasure.h.
  std::vector<std::string> erase_personal_fields;
  std::string erased_by;
  // A new case a schedule opens: the period is claimed in the same transaction; when it was
  // already claimed nothing is written (commit_status::already_opened).
  std::optional<schedule_opening> opening;
};

enum class commit_status {
  committed,
  conflict,      // the case changed since it was read (or the database stayed busy)
  id_taken,      // a new case's explicit id already exists
  already_opened,  // the schedule's period was already opened (commit_request::opening)
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

// Cases a report over [since, until) may need: of `procedure` ("" = any), opened before
// `until`, and open or changed at or after `since`.
struct activity_window {
  std::string procedure;
  instant since;
  instant until;
};

// A worker's claim on the outbox rows it is about to deliver (DESIGN.md "Leases"), so that two
// workers (two `dispatch`es or `run` loops, on one machine or several) never send one message
// at once. A claim ends when the row's outcome is committed, when the worker releases it, or at
// `until`; after that another worker may claim the row, so a worker that died mid-way delays
// its rows by at most the lease (delivery is at-least-once only across a crash), and not at all
// when it ran on the same machine (lease_holder_stopped). Lease times are read from the real
// clock, whatever time the command runs at. Lease columns are bookkeeping: verify does not
// compare them. Timers need no lease in a store whose firing is one transaction guarded by the
// case's version (two workers cannot both fire a timer: the second is refused and skips it); a
// store with row locks may skip rows another worker has locked (PostgreSQL's SKIP LOCKED).
struct lease {
  std::string worker;  // unique among live workers (host, process and a random part)
  instant taken;       // now, by the real clock: a lease that ended before this is free
  instant until;       // the end of this claim
};

// A lease for this process, for `seconds` from now by the real clock. Its worker name is
// "host:pid:random" (the random part tells two leases of one process apart).
lease new_lease(std::int64_t seconds);
// Whether the worker named `worker` (a name new_lease() gave) is known to have stopped: a process
// of this machine that no longer runs. Its claims are then free at once; a worker of another
// machine is never known to have stopped, and its claims end with their lease.
bool lease_holder_stopped(std::string_view worker);

// A deadline waiting to fire.
struct timer_ref {
  std::string case_id;
  std::string rule;
  instant due;
};

// The roles a store plays. Each is an interface of its own, so that a caller names the narrowest
// one it needs (verify_chain reads the event log and the case projections, dispatch_outbox the
// outbox) and one contract test suite (tests/engine/store/store_contract.h) holds every backend
// to each. Every backend implements every role for real: no role has a default that quietly
// does nothing. A role reference is a view of one store object, with that object's rules:
//   - one store object is used by one thread at a time (a server gives each request thread a
//     store object, a connection, of its own); many objects, in many threads and processes
//     on many machines, may share one database;
//   - every read sees committed data only; a read that visits rows one at a time may see the
//     rows committed by others while it runs, or not, but never part of a commit;
//   - a storage failure that is not the caller's fault throws store_error.

// The cases: their projections and the commits that change them. A commit is atomic: its events
// (given the next positions of the log and chained to the events before them), the case
// projection, the definition text (stored once per hash), the blobs, the timers, the
// similar-cases index, the outbox rows its events cause and the erasure of personal values are
// written together, in one transaction, or none of them is. A commit is guarded by the case's
// version: it is refused (commit_status::conflict, nothing written) when the case's seq is no
// longer `expected_seq`, when the similar-cases group it was decided against changed
// (commit_request::similar), or when the database stays busy with another writer for too long;
// a new case with an explicit id that exists already is refused (commit_status::id_taken).
class case_store {
 public:
  virtual ~case_store() = default;

  // The projection of case `id`, personal values resolved; nullopt for an unknown case.
  virtual std::optional<case_record> load_case(std::string_view id) = 0;
  virtual commit_result commit(commit_request request) = 0;
  // Several requests in one transaction (bulk import): all are written, or none is. The
  // results stop at the first request that could not be written.
  virtual std::vector<commit_result> commit_batch(std::vector<commit_request> requests) = 0;
  // Every case projection, ordered by id, one at a time. Stop early by returning false.
  virtual void scan_cases(const std::function<bool(const case_record&)>& visit) = 0;
  // The cases that pass `filter`, ordered by id.
  virtual std::vector<case_record> list_cases(const case_filter& filter) = 0;
  // The cases of `window`, ordered by id, one at a time: every case of the window, and perhaps
  // some more of the procedure (callers still check the times in the log).
  virtual void scan_active_cases(const activity_window& window, const std::function<bool(const case_record&)>& visit) = 0;
  // Cases with a step limit due at or before `now` (breached or about to be) that pass `filter`.
  virtual std::vector<case_record> overdue_cases(instant now, const case_filter& filter) = 0;
};

// The event log, one hash chain in log order (see chain.h), and the definitions its events name.
// Append-only: only case_store commits add to it.
class event_log {
 public:
  virtual ~event_log() = default;

  // The case's events in order, personal values resolved (erased ones are null).
  virtual std::vector<event> case_events(std::string_view id) = 0;
  // The case's events in order, as stored (personal values as digests, data_text the bytes kept).
  virtual std::vector<event> stored_case_events(std::string_view id) = 0;
  // Every event in log order, as stored (personal values as digests), one at a time:
  // memory does not grow with the log. Stop early by returning false.
  virtual void scan_events(const std::function<bool(const event&)>& visit) = 0;
  // The definition text stored under `hash`; nullopt when none is.
  virtual std::optional<std::string> definition_text(std::string_view hash) = 0;
};

// The deadlines waiting to fire, kept by each commit from the case's deadlines. Firing needs no
// claim here: a firing is a commit guarded by the case's version, so of two workers firing one
// timer the second is refused (see lease).
class timer_queue {
 public:
  virtual ~timer_queue() = default;

  // Timers due at or before `now` that have not fired, oldest first, at most `limit`.
  virtual std::vector<timer_ref> due_timers(instant now, std::size_t limit) = 0;
  // When the next timer that has not fired is due; nullopt when none waits.
  virtual std::optional<instant> next_timer_due() = 0;
  // Ids of the cases that have any deadline (for recomputation), ordered.
  virtual std::vector<std::string> cases_with_deadlines() = 0;
  // The timers kept for case `id` (pending and breached), by rule, as case deadlines (without
  // their position: `branch` is ""), so that verify can hold them to the case's log.
  virtual std::vector<case_deadline> case_timers(std::string_view id) = 0;
};

// The outbox (see outbox.h): rows written by the commits whose events cause messages, and
// claimed by the workers that deliver them (see lease).
class outbox_store {
 public:
  virtual ~outbox_store() = default;

  // The rows `query` asks for: due ones by next attempt, the others by id.
  virtual std::vector<outbox_entry> outbox_entries(const outbox_query& query) = 0;
  virtual std::optional<outbox_entry> find_outbox_entry(std::int64_t id) = 0;
  // Claims the rows of `due` (a due_only query) that no live lease holds, for `claim`, and
  // returns them by next attempt. Atomic: of two workers claiming at once each row goes to
  // one. Writes nothing when nothing is free, so a read-only database may be asked too.
  virtual std::vector<outbox_entry> claim_outbox(const outbox_query& due, const lease& claim) = 0;
  // Ends the claims of `claim.worker` on these rows (claimed but whose outcome was not
  // recorded), so that the next worker need not wait for the lease to run out. Another
  // worker's claims are left alone.
  virtual void release_outbox(const std::vector<std::int64_t>& ids, const lease& claim) = 0;
};

// The evidence kept with cases (see blob), written by the commits that carry it.
class attachment_store {
 public:
  virtual ~attachment_store() = default;

  // The stored bytes with this digest; nullopt when none are stored.
  virtual std::optional<std::string> attachment(std::string_view digest) = 0;
  // Every stored blob, ordered by digest, one at a time (bytes as stored, for verification).
  virtual void scan_attachments(const std::function<bool(const blob&)>& visit) = 0;
};

// One personal value as a store keeps it, apart from the log: the event that recorded it holds
// only `digest`, a keyed digest (personal_digest) whose key lives here and nowhere else. Erasing
// the value deletes both the value and the key, so nothing left can confirm a guess of it.
struct personal_value {
  std::string digest;  // as the event's fields hold it: {"personal": digest}
  std::string case_id;
  std::string field;
  std::optional<std::string> value;  // nullopt once erased
  std::string scheme;                // k_personal_hmac, or k_personal_salted (values stored before schema 8)
  std::string key;                   // the digest key (hex); empty once erased
  std::string erased_at;             // UTC, "" while kept
  std::string erased_by;
};

// The digest schemes: HMAC-SHA-256 under a random key per value of "case\nfield\nvalue", and
// (values stored before schema 8) SHA-256 of "salt\ncase\nfield\nvalue", the salt being the key.
inline constexpr std::string_view k_personal_hmac = "hmac-sha256";
inline constexpr std::string_view k_personal_salted = "salted-sha256";

// The digest of `value`, held by field `field` of case `case_id`, under `key` and `scheme`.
// Throws std::invalid_argument for an unknown scheme.
std::string personal_digest(std::string_view scheme, std::string_view key, std::string_view case_id,
                            std::string_view field, std::string_view value);

// Personal values, kept apart from the log (DESIGN.md "Personal data"; see erasure.h).
class personal_data {
 public:
  virtual ~personal_data() = default;

  // Every stored personal value that is not erased, ordered by case id, field and insertion, one
  // at a time: `visit` returns false to stop.
  virtual void scan_personal_values(const std::function<bool(const personal_value&)>& visit) = 0;
  // Every personal value stored for case `case_id` (erased ones too), in insertion order.
  virtual std::vector<personal_value> case_personal_values(const std::string& case_id) = 0;
  // Removes the older copies of the database that still hold erased values (SQLite: the frames
  // of the write-ahead log, copied back and emptied), waiting for readers of an older snapshot
  // as long as a writer waits for a writer. False when a reader still keeps one: the purge is
  // then pending, and every later opening of the database for writing tries it again until it
  // succeeds. True on a store that keeps no such copies.
  virtual bool purge_erased() = 0;
};

// The similar-cases index (see similar.h), kept by each commit.
class similar_index {
 public:
  virtual ~similar_index() = default;

  // The cases similar to `c` (same procedure, same `similar.same` values) opened in
  // [from, to], c itself excluded. The digests are keyed per database, so they can be
  // compared only within it.
  virtual similar_group similar_cases(const procedure& p, const case_state& c, instant from, instant to) = 0;
};

// The database itself: what it follows and what a migration left to do.
class database_admin {
 public:
  virtual ~database_admin() = default;

  // Finishes what a schema migration left to code that can read definitions: today the
  // similar-cases index of the cases written before the index existed (a database migrated to
  // schema version 3). `definition` parses a stored definition hash. Runs once, in one
  // transaction, and again on the next call if it failed; a no-op when nothing is pending and
  // on a read-only store.
  virtual void complete_migration(
      const std::function<std::shared_ptr<const procedure>(std::string_view hash)>& definition) = 0;
  // The clock this database follows (see database_clock).
  virtual database_clock clock_kind() = 0;
  // Makes this a virtual-time database from now on, recording who (`by`, an admin in `role`,
  // checked by the caller) and when, and appending a k_reason_marked_virtual entry to the
  // deployment log in the same transaction. Throws store_error where the database cannot record it.
  virtual void mark_virtual(const std::string& by, const std::string& role, instant at) = 0;
};

// What is deployed (deployment.h, deployment_record.h): the deployment log, one hash chain of
// its own, and the texts its entries publish, by content hash (procedures are kept with the
// definitions). Append-only.
class deployment_log {
 public:
  virtual ~deployment_log() = default;

  // The entry in force: the one with the highest id; nullopt when nothing is deployed.
  virtual std::optional<deployment_record> current_deployment() = 0;
  // Every entry, oldest first.
  virtual std::vector<deployment_record> deployments() = 0;
  // The text deployed under `hash`, of any kind; nullopt when none is.
  virtual std::optional<std::string> deployed_text(std::string_view hash) = 0;
  // Records `entry` (id, prev_hash and hash are filled here) and stores the texts of `files` not
  // yet stored, in one transaction; returns the entry as recorded. When the deployment in force
  // already holds `entry.manifest` (another process deployed the same files meanwhile), nothing
  // is written and that deployment is returned.
  virtual deployment_record record_deployment(deployment_record entry, const std::vector<deployed_file>& files) = 0;
};

// The periods schedules opened.
class schedule_log {
 public:
  virtual ~schedule_log() = default;
  // The latest period (by period_start) `schedule` of `procedure` opened; nullopt when none.
  virtual std::optional<schedule_opening> last_opening(std::string_view procedure, std::string_view schedule) = 0;
};

// A whole store: every role, for the callers that truly need them all (the runtime). Backends
// derive from it. Implementations are handles: non-copyable.
class store : public case_store,
              public event_log,
              public timer_queue,
              public outbox_store,
              public attachment_store,
              public personal_data,
              public similar_index,
              public database_admin,
              public deployment_log,
              public schedule_log {};

}  // namespace caseflow
