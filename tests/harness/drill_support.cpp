#include "drill_support.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <iostream>
#include <stdexcept>

namespace caseflow::harness {

drill_workspace::drill_workspace(const std::string& source_dir) {
  namespace fs = std::filesystem;
  const fs::path procedures = dir_.path() / "procedures";
  fs::create_directories(procedures / "calendars");
  fs::copy_file(fs::path(source_dir) / "processes" / "org.yaml", procedures / "org.yaml");
  fs::copy_file(fs::path(source_dir) / "processes" / "calendars" / "24x7.yaml", procedures / "calendars" / "24x7.yaml");
  fs::copy_file(fs::path(source_dir) / "tests" / "harness" / "drill.yaml", procedures / "drill.yaml");
}

test::env_list drill_workspace::env() const {
  return {{"CASEFLOW_DB", db()},
          {"CASEFLOW_PROCEDURES", (dir_.path() / "procedures").string()},
          {"CASEFLOW_USER", "zhang.wei"},
          {"CASEFLOW_NOTIFY_LOG", notify_log()}};
}

database_view read_database(const std::string& db_path) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  SQLite::Transaction read(db, SQLite::TransactionBehavior::DEFERRED);
  database_view view;
  SQLite::Statement events(db,
                           "SELECT id, case_id, seq, at, actor, kind, action, comment, data FROM events ORDER BY id");
  while (events.executeStep()) {
    stored_event e;
    e.id = events.getColumn(0).getInt64();
    e.case_id = events.getColumn(1).getString();
    e.seq = events.getColumn(2).getInt64();
    e.at = events.getColumn(3).getString();
    e.actor = events.getColumn(4).getString();
    e.kind = events.getColumn(5).getString();
    e.action = events.getColumn(6).getString();
    e.comment = events.getColumn(7).getString();
    e.data = nlohmann::json::parse(events.getColumn(8).getString(), nullptr, /*allow_exceptions=*/false);
    view.events.push_back(std::move(e));
  }
  SQLite::Statement outbox(db, "SELECT id, case_id, event_id, state, idempotency_key FROM outbox ORDER BY id");
  while (outbox.executeStep())
    view.outbox.push_back({outbox.getColumn(0).getInt64(), outbox.getColumn(1).getString(),
                           outbox.getColumn(2).getInt64(), outbox.getColumn(3).getString(),
                           outbox.getColumn(4).getString()});
  SQLite::Statement cases(db, "SELECT id, seq FROM cases");
  while (cases.executeStep()) view.case_seqs[cases.getColumn(0).getString()] = cases.getColumn(1).getInt64();
  return view;
}

std::string fired_rule(const stored_event& e) {
  return e.data.is_object() ? e.data.value("rule", std::string()) : std::string();
}

std::string utc_after(const std::string& start, std::int64_t seconds) {
  const auto t = parse_instant(start);
  if (!t) throw std::invalid_argument("not a time: " + start);
  return format_instant_utc(instant{t->seconds + seconds});
}

void findings::print(const std::string& harness) const {
  std::cerr << harness << ": " << list_.size() << " finding" << (list_.size() == 1 ? "" : "s") << ":\n";
  for (std::size_t i = 0; i < list_.size() && i < 30; ++i) std::cerr << "  " << list_[i] << '\n';
}

option_map::option_map(int argc, char** argv, std::map<std::string, std::string> defaults)
    : values_(std::move(defaults)) {
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name.rfind("--", 0) != 0 || !values_.count(name.substr(2)) || i + 1 >= argc)
      throw std::invalid_argument("unknown option or missing value: " + name);
    values_[name.substr(2)] = argv[++i];
  }
}

std::int64_t option_map::number(const std::string& name) const {
  const std::string& text = values_.at(name);
  std::size_t used = 0;
  const std::int64_t n = std::stoll(text, &used);
  if (used != text.size()) throw std::invalid_argument("--" + name + " needs a number, not '" + text + "'");
  return n;
}

}  // namespace caseflow::harness
