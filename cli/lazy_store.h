// lazy_store.h — the CLI's store: opens the SQLite database only when it is needed, and
// creates it only to write. Reading from a database that does not exist finds nothing,
// so a refused or read-only command never leaves an empty database file behind.
#pragma once

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "caseflow/sqlite_store.h"

namespace caseflow::cli {

class lazy_store final : public store {
 public:
  // `read_only`: never create or write the file (writes fail with "the database is read-only").
  // `virtual_time`: the command was given a time (sqlite_options::virtual_time).
  lazy_store(std::string path, bool read_only, bool virtual_time)
      : path_(std::move(path)), read_only_(read_only), virtual_time_(virtual_time) {}

  // The open database, created if absent. A schema migration done while opening is reported
  // on stderr with the name of the backup it wrote.
  sqlite_store& open() {
    if (!db_) {
      sqlite_options options;
      options.read_only = read_only_;
      options.virtual_time = virtual_time_;
      db_ = std::make_unique<sqlite_store>(path_, options);
      db_->set_outbox_router(router_);
      if (const auto& m = db_->migration())
        std::cerr << "caseflow: " << path_ << ": migrated from schema version " << m->from << " to " << m->to
                  << "; the version " << m->from << " database was first copied to " << m->backup << '\n';
      if (definition_) db_->complete_migration(definition_);
    }
    return *db_;
  }
  // Recorded just before this command's first write (see deployed_definitions.cpp), so that a
  // command that writes nothing leaves no deployment behind either.
  void deploy_before_write(deployment_record entry, std::vector<deployed_file> files) {
    pending_deployment_ = std::move(entry);
    pending_files_ = std::move(files);
  }
  // Kept until the database opens, then run on it (see database_admin::complete_migration), so that a
  // command that never touches the database still does not create it. REQUIRES: `definition`
  // stays callable while this store is used (the context's runtime, which registers it, is
  // destroyed only with the context).
  void complete_migration(
      const std::function<std::shared_ptr<const procedure>(std::string_view hash)>& definition) override {
    definition_ = definition;
    if (db_) db_->complete_migration(definition_);
  }
  // The outbox router of the database (see outbox.h); set before the first write.
  void set_outbox_router(outbox_router router) {
    router_ = std::move(router);
    if (db_) db_->set_outbox_router(router_);
  }
  bool exists() const { return db_ || std::filesystem::exists(path_); }

  std::optional<case_record> load_case(std::string_view id) override {
    return exists() ? open().load_case(id) : std::nullopt;
  }
  std::optional<std::string> definition_text(std::string_view hash) override {
    return exists() ? open().definition_text(hash) : std::nullopt;
  }
  commit_result commit(commit_request request) override {
    record_pending_deployment();
    return open().commit(std::move(request));
  }
  std::vector<commit_result> commit_batch(std::vector<commit_request> requests) override {
    record_pending_deployment();
    return open().commit_batch(std::move(requests));
  }
  std::vector<event> case_events(std::string_view id) override {
    return exists() ? open().case_events(id) : std::vector<event>{};
  }
  std::vector<event> stored_case_events(std::string_view id) override {
    return exists() ? open().stored_case_events(id) : std::vector<event>{};
  }
  void scan_events(const std::function<bool(const event&)>& visit) override {
    if (exists()) open().scan_events(visit);
  }
  void scan_cases(const std::function<bool(const case_record&)>& visit) override {
    if (exists()) open().scan_cases(visit);
  }
  std::vector<case_record> list_cases(const case_filter& filter) override {
    return exists() ? open().list_cases(filter) : std::vector<case_record>{};
  }
  void scan_active_cases(const activity_window& window, const std::function<bool(const case_record&)>& visit) override {
    if (exists()) open().scan_active_cases(window, visit);
  }
  std::vector<case_record> overdue_cases(instant now, const case_filter& filter) override {
    return exists() ? open().overdue_cases(now, filter) : std::vector<case_record>{};
  }
  std::vector<timer_ref> due_timers(instant now, std::size_t limit) override {
    return exists() ? open().due_timers(now, limit) : std::vector<timer_ref>{};
  }
  std::optional<instant> next_timer_due() override { return exists() ? open().next_timer_due() : std::nullopt; }
  std::vector<outbox_entry> claim_outbox(const outbox_query& due, const lease& claim) override {
    return exists() ? open().claim_outbox(due, claim) : std::vector<outbox_entry>{};
  }
  void release_outbox(const std::vector<std::int64_t>& ids, const lease& claim) override {
    if (exists()) open().release_outbox(ids, claim);
  }
  std::vector<case_deadline> case_timers(std::string_view id) override {
    return exists() ? open().case_timers(id) : std::vector<case_deadline>{};
  }
  std::vector<std::string> cases_with_deadlines() override {
    return exists() ? open().cases_with_deadlines() : std::vector<std::string>{};
  }
  similar_group similar_cases(const procedure& p, const case_state& c, instant from, instant to) override {
    return exists() ? open().similar_cases(p, c, from, to) : similar_group{};
  }
  std::vector<outbox_entry> outbox_entries(const outbox_query& query) override {
    return exists() ? open().outbox_entries(query) : std::vector<outbox_entry>{};
  }
  std::optional<outbox_entry> find_outbox_entry(std::int64_t id) override {
    return exists() ? open().find_outbox_entry(id) : std::nullopt;
  }
  std::optional<std::string> attachment(std::string_view digest) override {
    return exists() ? open().attachment(digest) : std::nullopt;
  }
  void scan_attachments(const std::function<bool(const blob&)>& visit) override {
    if (exists()) open().scan_attachments(visit);
  }
  void scan_personal_values(const std::function<bool(const personal_value&)>& visit) override {
    if (exists()) open().scan_personal_values(visit);
  }
  std::vector<personal_value> case_personal_values(const std::string& case_id) override {
    return exists() ? open().case_personal_values(case_id) : std::vector<personal_value>{};
  }
  bool purge_erased() override { return !exists() || open().purge_erased(); }
  std::optional<deployment_record> current_deployment() override {
    return exists() ? open().current_deployment() : std::nullopt;
  }
  std::vector<deployment_record> deployments() override {
    return exists() ? open().deployments() : std::vector<deployment_record>{};
  }
  std::optional<std::string> deployed_text(std::string_view hash) override {
    return exists() ? open().deployed_text(hash) : std::nullopt;
  }
  std::optional<schedule_opening> last_opening(std::string_view procedure, std::string_view schedule) override {
    return exists() ? open().last_opening(procedure, schedule) : std::nullopt;
  }
  deployment_record record_deployment(deployment_record entry, const std::vector<deployed_file>& files) override {
    return open().record_deployment(std::move(entry), files);
  }
  // A database not created yet follows the clock it will be created with.
  database_clock clock_kind() override {
    if (exists()) return open().clock_kind();
    return virtual_time_ ? database_clock::virtual_time : database_clock::real;
  }
  void mark_virtual(const std::string& by, const std::string& role, instant at) override {
    record_pending_deployment();
    open().mark_virtual(by, role, at);
  }

 private:
  void record_pending_deployment() {
    if (!pending_deployment_) return;
    open().record_deployment(std::move(*pending_deployment_), pending_files_);
    pending_deployment_.reset();
  }

  std::string path_;
  bool read_only_ = false;
  bool virtual_time_ = false;
  std::unique_ptr<sqlite_store> db_;
  outbox_router router_;
  std::function<std::shared_ptr<const procedure>(std::string_view hash)> definition_;
  std::optional<deployment_record> pending_deployment_;
  std::vector<deployed_file> pending_files_;
};

}  // namespace caseflow::cli
