// lost_race.h — a race between caseflow commands whose outcome does not depend on timing.
//
// race_under_write_lock() holds SQLite's write lock on the database while it starts every
// command, waits until each has opened the database's write-ahead log (so it has read the case
// it acts on) and a little more (so it has decided and waits for the lock), then releases the
// lock. The commands then commit one after another, each against the state all of them read:
// of commands that change the same case, the first wins and every other one must lose the race
// (exit 3, nothing written). Header-only (inline functions).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "e2e/cli_runner.h"

namespace caseflow::test {

// True when process `pid` has `path` open.
inline bool has_file_open(pid_t pid, const std::filesystem::path& path) {
  std::error_code ec;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    std::error_code unreadable;
    if (std::filesystem::read_symlink(fd.path(), unreadable) == path) return true;
  }
  return false;
}

// Runs `binary` once per entry of `commands` against the WAL-mode database `db_path` under a
// held write lock (see above) and returns their results in order. REQUIRES: the database
// exists, is in WAL mode, and no command needs the write lock before it has read.
inline std::vector<run_result> race_under_write_lock(const std::string& binary, const std::string& db_path,
                                                     const std::vector<std::vector<std::string>>& commands,
                                                     const env_list& env, const std::filesystem::path& output_dir) {
  using namespace std::chrono_literals;
  std::vector<child> racers;
  racers.reserve(commands.size());
  {
    SQLite::Database holder(db_path, SQLite::OPEN_READWRITE);
    holder.exec("BEGIN IMMEDIATE");
    const std::filesystem::path wal = std::filesystem::canonical(db_path + "-wal");
    for (const auto& args : commands) racers.emplace_back(binary, args, env, output_dir);
    // Each racer opens the log to read; caseflow waits up to 5 s for a held write lock.
    const auto give_up = std::chrono::steady_clock::now() + 3s;
    for (const auto& racer : racers)
      while (!has_file_open(racer.pid(), wal) && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(300ms);  // from reading to waiting for the lock: milliseconds
    holder.exec("ROLLBACK");
  }
  std::vector<run_result> results;
  for (auto& racer : racers) results.push_back(racer.wait());
  return results;
}

}  // namespace caseflow::test
