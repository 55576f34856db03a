// caseflow/sqlite_store.h — the embedded SQLite store (one file, WAL, busy timeout).
//
// The schema is documented in README.md ("Database schema") for auditors who query it
// directly. Opening creates the file (owner-only permissions) and the schema when absent,
// and refuses a database written by a newer caseflow. Non-copyable handle.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "caseflow/store.h"

namespace caseflow {

// The schema this build writes; older databases are migrated forward when opened for writing.
inline constexpr int k_schema_version = 8;

// A migration done while opening: from version `from` to `to`, after a copy to `backup`.
struct schema_migration {
  int from = 0;
  int to = 0;
  std::string backup;
};

struct sqlite_options {
  int busy_timeout_ms = 5000;  // how long a writer waits for another before reporting a conflict
  bool read_only = false;      // open an existing database without writing anything
  // The caller runs in virtual time (given a time, `--now`): a database created now is a
  // virtual-time one, and an existing real-clock database is refused, before anything is
  // migrated or written (see database_clock).
  bool virtual_time = false;
};

class sqlite_store final : public store {
 public:
  // Opens or creates `path` (":memory:" for tests). Throws store_error with a clear message
  // for a file that is not a caseflow database, is newer than this build, or cannot be opened.
  explicit sqlite_store(const std::string& path, sqlite_options options = {});
  ~sqlite_store() override;
  sqlite_store(const sqlite_store&) = delete;
  sqlite_store& operator=(const sqlite_store&) = delete;

  // case_store
  std::optional<case_record> load_case(std::string_view id) override;
  commit_result commit(commit_request request) override;
  std::vector<commit_result> commit_batch(std::vector<commit_request> requests) override;
  void scan_cases(const std::function<bool(const case_record&)>& visit) override;
  std::vector<case_record> list_cases(const case_filter& filter) override;
  void scan_active_cases(const activity_window& window, const std::function<bool(const case_record&)>& visit) override;
  std::vector<case_record> overdue_cases(instant now, const case_filter& filter) override;
  // event_log
  std::vector<event> case_events(std::string_view id) override;
  std::vector<event> stored_case_events(std::string_view id) override;
  void scan_events(const std::function<bool(const event&)>& visit) override;
  std::optional<std::string> definition_text(std::string_view hash) override;
  // timer_queue
  std::vector<timer_ref> due_timers(instant now, std::size_t limit) override;
  std::optional<instant> next_timer_due() override;
  std::vector<std::string> cases_with_deadlines() override;
  std::vector<case_deadline> case_timers(std::string_view id) override;
  // deployment_log
  std::optional<deployment_record> current_deployment() override;
  std::vector<deployment_record> deployments() override;
  std::optional<std::string> deployed_text(std::string_view hash) override;
  std::optional<schedule_opening> last_opening(std::string_view procedure, std::string_view schedule) override;
  deployment_record record_deployment(deployment_record entry, const std::vector<deployed_file>& files) override;
  // outbox_store
  std::vector<outbox_entry> outbox_entries(const outbox_query& query) override;
  std::optional<outbox_entry> find_outbox_entry(std::int64_t id) override;
  std::vector<outbox_entry> claim_outbox(const outbox_query& due, const lease& claim) override;
  void release_outbox(const std::vector<std::int64_t>& ids, const lease& claim) override;
  // attachment_store (a database created before evidence was kept holds none)
  std::optional<std::string> attachment(std::string_view digest) override;
  void scan_attachments(const std::function<bool(const blob&)>& visit) override;
  // personal_data
  void scan_personal_values(const std::function<bool(const personal_value&)>& visit) override;
  std::vector<personal_value> case_personal_values(const std::string& case_id) override;
  bool purge_erased() override;
  // similar_index
  similar_group similar_cases(const procedure& p, const case_state& c, instant from, instant to) override;
  // database_admin
  void complete_migration(
      const std::function<std::shared_ptr<const procedure>(std::string_view hash)>& definition) override;
  database_clock clock_kind() override;
  void mark_virtual(const std::string& by, const std::string& role, instant at) override;

  // The schema migration opening this database did, if any (to tell the user about the backup).
  const std::optional<schema_migration>& migration() const;
  // Messages of the events committed from now on are written by `router` (none when unset).
  void set_outbox_router(outbox_router router);

  // For tests and tools that inspect the file directly.
  struct impl;
  impl& internals() { return *impl_; }

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace caseflow
