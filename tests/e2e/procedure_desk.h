// procedure_desk.h — a desk for procedure rule tests: one temporary database with the shipped
// processes/ and org.yaml (or a folder given in their place), commands run as a named person at
// a given virtual time.
// Header-only (the test glob builds only *_test.cpp files).
#pragma once

#include <algorithm>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {

class procedure_desk {
 public:
  // `procedures`: the folder of procedure definitions and org.yaml that every command reads.
  explicit procedure_desk(std::string procedures = k_processes) : procedures_(std::move(procedures)) {}
  // `caseflow --as USER --now NOW args...`
  run_result as(const std::string& user, const std::string& now, std::vector<std::string> args) const {
    std::vector<std::string> all{"--procedures", procedures_, "--db", dir_.db(), "--as", user, "--now", now};
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir_);
  }
  // The same, which must succeed; returns stdout.
  std::string must(const std::string& user, const std::string& now, std::vector<std::string> args) const {
    const run_result r = as(user, now, args);
    INFO("args: ", nlohmann::json(args).dump(), " stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  // The same, which must be refused with `message` and write nothing (check_refused).
  void refused(const std::string& user, const std::string& now, std::vector<std::string> args,
               const std::string& message, int exit_code = 1,
               std::source_location where = std::source_location::current()) const {
    check_refused(dir_.db(), [&] { return as(user, now, std::move(args)); }, message, exit_code, where);
  }
  // Opens a case; returns its id.
  std::string start(const std::string& user, const std::string& now, std::vector<std::string> args) const {
    std::string id = must(user, now, std::move(args));
    REQUIRE(!id.empty());
    id.pop_back();
    return id;
  }
  nlohmann::json json(const std::string& now, std::vector<std::string> args) const {
    args.insert(args.begin(), "--json");
    return nlohmann::json::parse(must("zhang.wei", now, std::move(args)));
  }
  nlohmann::json show(const std::string& id, const std::string& now) const { return json(now, {"show", id}); }
  std::vector<nlohmann::json> events(const std::string& id, const std::string& now) const {
    const auto all = json(now, {"history", id})["events"];
    return {all.begin(), all.end()};
  }
  // The open deadline `rule` of the case (its JSON), or null.
  nlohmann::json deadline(const std::string& id, const std::string& now, const std::string& rule) const {
    const nlohmann::json shown = show(id, now);
    for (const auto& d : shown["deadlines"])
      if (d["rule"] == rule) return d;
    return nullptr;
  }
  // True when a notification for `rule` was requested in the case.
  bool notified(const std::string& id, const std::string& now, const std::string& rule) const {
    const auto all = events(id, now);
    return std::any_of(all.begin(), all.end(), [&](const nlohmann::json& e) {
      return e["kind"] == "notification_requested" && e["data"]["rule"] == rule;
    });
  }
  // verify and replay both pass.
  void audit_clean(const std::string& now) const {
    const run_result verified = as("zhang.wei", now, {"verify"});
    INFO("verify: ", verified.out, verified.err);
    CHECK(verified.exit_code == 0);
    const run_result replayed = as("zhang.wei", now, {"replay"});
    INFO("replay: ", replayed.out, replayed.err);
    CHECK(replayed.exit_code == 0);
  }
  std::string sql(const std::string& query) const { return run("/usr/bin/sqlite3", {dir_.db(), query}, {}, dir_.path()).out; }

 private:
  std::string procedures_;
  scratch_dir dir_;
};

}  // namespace caseflow::test
