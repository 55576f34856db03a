// cli_session.h — one temporary database and the shipped processes/, driven through the real
// `caseflow` binary in virtual time (--now); plus small readers of `show --json`, `tick --json`
// and `history --json` output. Shared by the end-to-end tests of the procedures.
//
// Header-only (inline functions): the test glob builds only *_test.cpp files.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "e2e/cli_runner.h"

namespace caseflow::test {

using strings = std::vector<std::string>;

// The shipped procedures folder, as deployed.
inline const std::string k_shipped_processes = std::string(CASEFLOW_SOURCE_DIR) + "/processes";

// The shipped folder as the tests of its procedures drive it: a copy without the periodic
// duties (the procedures that declare `schedules:`), made once per test program and removed at
// its end, so that a tick's exact firings in a test of one procedure are that procedure's, not
// those of the report cases the duties open. The duties are tested on k_shipped_processes.
inline std::string processes_without_duties() {
  struct folder {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("caseflow-processes-" + std::to_string(::getpid()));
    folder() {
      std::filesystem::remove_all(path);
      std::filesystem::copy(k_shipped_processes, path, std::filesystem::copy_options::recursive);
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.path().extension() != ".yaml") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (text.find("\nschedules:") != std::string::npos) std::filesystem::remove(entry.path());
      }
    }
    ~folder() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const folder copy;
  return copy.path.string();
}
inline const std::string k_processes = processes_without_duties();

// Makes `folder` a procedures folder holding the shipped org.yaml and calendars/ and only the
// procedures given (file name -> YAML text), so a test depends on nothing else in processes/.
inline void make_procedures_folder(const std::filesystem::path& folder,
                                   const std::vector<std::pair<std::string, std::string>>& procedures) {
  std::filesystem::create_directories(folder);
  std::filesystem::copy(k_processes + "/org.yaml", folder / "org.yaml");
  std::filesystem::copy(k_processes + "/calendars", folder / "calendars", std::filesystem::copy_options::recursive);
  for (const auto& [name, text] : procedures) std::ofstream(folder / name, std::ios::binary) << text;
}

// A refused command, run once by `run()`: it exits with `exit_code`, prints exactly `message` on stderr
// and leaves the database at `db_path` byte for byte as it was, its write-ahead log included. A failed
// check names the caller's line (`where`).
template <class Run>
void check_refused(const std::string& db_path, Run run, const std::string& message, int exit_code = 1,
                   std::source_location where = std::source_location::current()) {
  INFO("refusal at ", std::filesystem::path(where.file_name()).filename().string(), ":", where.line());
  const db_snapshot before = snapshot(db_path);
  const run_result r = run();
  CHECK(r.err == message);
  CHECK(r.exit_code == exit_code);
  CHECK(snapshot(db_path) == before);
}

// Every call passes --procedures (the shipped processes/) and --db (a fresh database).
class cli_session {
 public:
  // On the shipped processes/ without the periodic duties (k_processes).
  cli_session() = default;
  // On the procedures folder `folder` (k_shipped_processes: with the duties).
  explicit cli_session(std::string folder) : procedures_(std::move(folder)) {}
  // On a procedures folder of its own holding only `procedures` (make_procedures_folder).
  explicit cli_session(const std::vector<std::pair<std::string, std::string>>& procedures)
      : procedures_(dir_.file("processes")) {
    make_procedures_folder(procedures_, procedures);
  }

  std::vector<std::string> argv(std::vector<std::string> args) const {
    std::vector<std::string> all{"--procedures", procedures_, "--db", dir_.db()};
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
  run_result cf(std::vector<std::string> args) const { return run_caseflow(argv(std::move(args)), dir_); }
  // `caseflow --now NOW args...`
  run_result at(const std::string& now, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--now", now});
    return cf(std::move(args));
  }
  // `caseflow --as USER --now NOW args...`, whatever its outcome.
  run_result as(const std::string& user, const std::string& now, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--as", user, "--now", now});
    return cf(std::move(args));
  }
  // `caseflow --as USER --now NOW args...`, which must be refused with `message` and write nothing (check_refused).
  void refused(const std::string& user, const std::string& now, std::vector<std::string> args,
               const std::string& message, int exit_code = 1,
               std::source_location where = std::source_location::current()) const {
    check_refused(dir_.db(), [&] { return as(user, now, std::move(args)); }, message, exit_code, where);
  }
  // `caseflow --json --now NOW args...`, which must succeed.
  nlohmann::json json_at(const std::string& now, std::vector<std::string> args) const {
    const std::string what = args.empty() ? "" : args.front();
    args.insert(args.begin(), {"--json", "--now", now});
    const run_result r = cf(std::move(args));
    INFO(what, " stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
  // `caseflow --as USER --now NOW args...`, which must succeed; returns stdout.
  std::string must(const std::string& user, const std::string& now, std::vector<std::string> args) const {
    const run_result r = as(user, now, std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  // `caseflow --as USER --now NOW do CASE ACTION --set k=v... [--comment C]`, which must succeed.
  void act(const std::string& user, const std::string& now, const std::string& id, const std::string& action,
           const strings& sets = {}, const std::string& comment = "") const {
    std::vector<std::string> args{"do", id, action};
    for (const auto& s : sets) args.insert(args.end(), {"--set", s});
    if (!comment.empty()) args.insert(args.end(), {"--comment", comment});
    INFO("action ", action, " at ", now);
    must(user, now, std::move(args));
  }
  // Opens a case of `procedure` with `--set` assignments; returns its id.
  std::string start(const std::string& user, const std::string& now, const std::string& procedure,
                    const strings& sets) const {
    std::vector<std::string> args{"start", procedure};
    for (const auto& s : sets) args.insert(args.end(), {"--set", s});
    const std::string out = must(user, now, std::move(args));
    REQUIRE(out.size() > 1);
    return out.substr(0, out.size() - 1);
  }
  // `tick --json` at `now`.
  nlohmann::json tick(const std::string& now) const { return json_at(now, {"tick"}); }
  nlohmann::json show(const std::string& id, const std::string& now) const { return json_at(now, {"show", id}); }
  nlohmann::json deadlines(const std::string& id, const std::string& now) const { return show(id, now)["deadlines"]; }
  nlohmann::json history(const std::string& id) const {
    return json_at("2026-12-31T00:00+08:00", {"history", id})["events"];
  }
  const scratch_dir& dir() const { return dir_; }

 private:
  scratch_dir dir_;
  std::string procedures_ = k_processes;
};

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The deadline of `rule` in a `show --json` deadlines list; null when absent.
inline nlohmann::json deadline(const nlohmann::json& list, const std::string& rule) {
  for (const auto& d : list)
    if (d["rule"] == rule) return d;
  return nullptr;
}

inline strings rules_of(const nlohmann::json& list) {
  strings out;
  for (const auto& d : list) out.push_back(d["rule"]);
  return out;
}

// "kind rule" of each event, for the events of a tick or a history.
inline strings kinds(const nlohmann::json& events) {
  strings out;
  for (const auto& e : events)
    out.push_back(e["kind"].get<std::string>() +
                  (e["data"].contains("rule") ? " " + e["data"]["rule"].get<std::string>() : ""));
  return out;
}

// The step each action of a history led to, in order.
inline strings steps_taken(const nlohmann::json& events) {
  strings out;
  for (const auto& e : events)
    if (e["kind"] == "action_taken") out.push_back(e["to"]);
  return out;
}

}  // namespace caseflow::test
