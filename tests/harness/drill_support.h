// drill_support.h — what the crash and concurrency harnesses share: a scratch workspace
// with the drill procedure (tests/harness/drill.yaml), the shipped organisation and the
// 24x7 calendar, and a read-only view of the database they check.
//
// The harnesses drive the real `caseflow` binary (through tests/e2e/cli_runner.h) and read
// the SQLite file directly with their own queries, so a check never trusts the code it checks.
// Not thread-safe except where a function says so.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "caseflow/value.h"
#include "e2e/cli_runner.h"

namespace caseflow::harness {

// Where the drill runs: procedures/ (drill.yaml, org.yaml, calendars/24x7.yaml), the
// database and the log channel's file, in a scratch directory removed at the end.
class drill_workspace {
 public:
  // `source_dir` is the repository root (processes/ and tests/harness/drill.yaml are read).
  explicit drill_workspace(const std::string& source_dir);

  std::string db() const { return dir_.db(); }
  std::string notify_log() const { return dir_.file("notify.log"); }
  std::string file(const std::string& name) const { return dir_.file(name); }
  const std::filesystem::path& path() const { return dir_.path(); }
  // CASEFLOW_DB, CASEFLOW_PROCEDURES, CASEFLOW_USER (a cs_specialist) and CASEFLOW_NOTIFY_LOG.
  test::env_list env() const;

 private:
  test::scratch_dir dir_;
};

// One row of the `events` table, as stored.
struct stored_event {
  std::int64_t id = 0;
  std::string case_id;
  std::int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string kind;
  std::string action;
  std::string comment;
  nlohmann::json data;
};

// One row of the `outbox` table.
struct outbox_row {
  std::int64_t id = 0;
  std::string case_id;
  std::int64_t event_id = 0;
  std::string state;
  std::string idempotency_key;
};

// What the database holds, read in one read-only transaction. REQUIRES: no writer is
// running (the harnesses read between commands).
struct database_view {
  std::vector<stored_event> events;               // by id
  std::vector<outbox_row> outbox;                 // by id
  std::map<std::string, std::int64_t> case_seqs;  // the projection's version of each case
};
database_view read_database(const std::string& db_path);

// The rule a timer_fired event fired (its data's "rule"), or "".
std::string fired_rule(const stored_event& e);

// "2026-03-02T00:00:00Z" plus `seconds`.
std::string utc_after(const std::string& start, std::int64_t seconds);

// A failed check: the harness prints every one and exits 1.
class findings {
 public:
  void check(bool ok, const std::string& what) {
    if (!ok) list_.push_back(what);
  }
  bool empty() const { return list_.empty(); }
  // Prints the findings (at most 30) to stderr.
  void print(const std::string& harness) const;

 private:
  std::vector<std::string> list_;
};

// Command-line options of the form --name value, with defaults; unknown names are errors.
class option_map {
 public:
  option_map(int argc, char** argv, std::map<std::string, std::string> defaults);
  std::string text(const std::string& name) const { return values_.at(name); }
  std::int64_t number(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace caseflow::harness
