// cli_runner.h — test helpers that run the real `caseflow` binary and look at its files.
//
// Header-only (inline functions): the test glob builds only *_test.cpp files. A child's
// stdout and stderr go to temporary files, so a chatty child can never block on a pipe.
// The child's environment is the test's minus every CASEFLOW_* variable, plus the ones given.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scratch_dir.h"

extern char** environ;

namespace caseflow::test {

// The source tree under test (CASEFLOW_SOURCE_DIR): processes/, scripts/, examples/, tests/.
inline const std::string k_source = CASEFLOW_SOURCE_DIR;

using env_list = std::vector<std::pair<std::string, std::string>>;

struct run_result {
  int exit_code = -1;  // the exit status, or 128 + signal number
  std::string out;
  std::string err;
};

// A file's bytes; nullopt when it does not exist.
inline std::optional<std::string> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The bytes of a SQLite database and its write-ahead log (absent parts are nullopt).
struct db_snapshot {
  std::optional<std::string> main;
  std::optional<std::string> wal;
  bool operator==(const db_snapshot&) const = default;
};

inline db_snapshot snapshot(const std::string& db_path) { return {read_bytes(db_path), read_bytes(db_path + "-wal")}; }

// snapshot() with an empty write-ahead log counted as none: what was stored, for comparing
// before and after a command that must write nothing (a read-only open may leave an empty
// -wal behind, which holds nothing).
inline db_snapshot stored_bytes(const std::string& db_path) {
  db_snapshot s = snapshot(db_path);
  if (s.wal && s.wal->empty()) s.wal.reset();
  return s;
}

// The permission bits of the file at `path` (e.g. 0600); the file must exist.
inline unsigned file_mode(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw std::runtime_error("cannot stat " + path);
  return info.st_mode & 07777;
}

// A started child process; wait() collects its exit code and output.
class child {
 public:
  child(const std::string& binary, const std::vector<std::string>& args, const env_list& env,
        const std::filesystem::path& output_dir) {
    static std::atomic<int> counter{0};
    const std::string stem = (output_dir / ("run_" + std::to_string(counter++))).string();
    out_path_ = stem + ".out";
    err_path_ = stem + ".err";

    std::vector<std::string> argv_text{binary};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e)
      if (std::strncmp(*e, "CASEFLOW_", 9) != 0) env_text.emplace_back(*e);
    for (const auto& [name, value] : env) env_text.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + binary + ": " + std::strerror(rc));
  }
  child(const child&) = delete;
  child& operator=(const child&) = delete;
  child(child&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)), out_path_(std::move(other.out_path_)), err_path_(std::move(other.err_path_)) {}
  ~child() {
    if (pid_ > 0) wait();
  }

  // The child's process id; -1 once it has been waited for.
  pid_t pid() const { return pid_; }

  // Sends `sig` to the child (nothing once it has been waited for).
  void send_signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
  }

  run_result wait() {
    run_result result;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = read_bytes(out_path_).value_or("");
    result.err = read_bytes(err_path_).value_or("");
    std::filesystem::remove(out_path_);
    std::filesystem::remove(err_path_);
    return result;
  }

 private:
  pid_t pid_ = -1;
  std::string out_path_;
  std::string err_path_;
};

// Runs `binary args...` to completion.
inline run_result run(const std::string& binary, const std::vector<std::string>& args, const env_list& env,
                      const std::filesystem::path& output_dir) {
  return child(binary, args, env, output_dir).wait();
}

// Runs the caseflow binary under test.
inline run_result run_caseflow(const std::vector<std::string>& args, const scratch_dir& dir, const env_list& env = {}) {
  return run(CASEFLOW_BINARY, args, env, dir.path());
}


// The events people caused, without the deadline bookkeeping `system` records beside them.
inline nlohmann::json operator_events(const nlohmann::json& history) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : history["events"])
    if (e["actor"] != "system") out.push_back(e);
  return out;
}

}  // namespace caseflow::test
