// Promises of the command line that no other test holds to: `--read-only` (and
// CASEFLOW_READ_ONLY) refuses every writing command and writes nothing (and `dispatch` sends
// nothing); the database and its
// -wal and -shm files are created owner-only; a database in a folder this user may not write is
// read with --read-only (and a write says why it cannot be); `assign` and `list --procedure/--step/--open/--mine`.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"
#include "e2e/notify_servers.h"
#include "e2e/unwritable_folder.h"

namespace caseflow::test {
namespace {

constexpr const char* k_day = "2026-03-02T10:00+08:00";

// A database with one complaint forwarded to the engineering department (TS-2026-00001).
std::string seeded_complaint(const cli_session& s) {
  const std::string id = s.start("zhang.wei", k_day, "complaint",
                                 {"customer=陈先生", "phone=13900001111", "channel=phone", "summary=卫生间渗水"});
  s.act("zhang.wei", k_day, id, "forward", {"category=engineering_quality", "department=engineering"});
  return id;
}

TEST_CASE("read-only: every writing command is refused and writes nothing, by flag or by environment") {
  cli_session s;
  const std::string id = seeded_complaint(s);
  std::ofstream(s.dir().file("photo.jpg"), std::ios::binary) << "jpeg bytes";
  std::ofstream(s.dir().file("old.jsonl"), std::ios::binary)
      << R"({"procedure":"complaint","id":"TS-2025-00001","opened_at":"2025-03-03T09:00:00+08:00",)"
      << R"("actor":"zhang.wei","fields":{"customer":"王女士","channel":"phone","summary":"电梯故障"}})" << '\n';
  // Each would write on a writable database (checked last, below).
  // Each would write on a writable database (checked last, below, in this order).
  const std::vector<std::vector<std::string>> writers{
      {"--as", "zhang.wei", "start", "complaint", "--set", "customer=x", "--set", "channel=phone", "--set",
       "summary=s"},
      {"--as", "zhang.wei", "assign", id, "liu.yang"},
      {"--as", "zhang.wei", "note", id, "客户来电"},
      {"--as", "zhang.wei", "attach", id, s.dir().file("photo.jpg")},
      {"--as", "liu.yang", "do", id, "answer", "--set", "cause=防水层破损", "--comment", "已回复"},
      {"--as", "yang.guang", "erase", "--case", id, "--field", "phone"},
      {"--as", "yang.guang", "import", s.dir().file("old.jsonl")},
      {"tick"},  // at 20 March the complaint's one-week escalation is due
  };
  const std::string later = "2026-03-20T10:00+08:00";
  for (const auto& args : writers) {
    CAPTURE(args[args.size() > 2 ? 2 : 0]);
    for (const bool by_environment : {false, true}) {
      CAPTURE(by_environment);
      const db_snapshot before = stored_bytes(s.dir().db());
      std::vector<std::string> all{"--procedures", k_processes, "--db", s.dir().db(), "--now", later};
      if (!by_environment) all.push_back("--read-only");
      all.insert(all.end(), args.begin(), args.end());
      const run_result r =
          run_caseflow(all, s.dir(), by_environment ? env_list{{"CASEFLOW_READ_ONLY", "1"}} : env_list{});
      CHECK(r.exit_code == 1);
      CHECK(r.err == "caseflow: the database is read-only; nothing was written\n");
      CHECK(stored_bytes(s.dir().db()) == before);
    }
  }
  // The same commands write when the database is writable: the refusals above were read-only's.
  for (const auto& args : writers) {
    CAPTURE(args[args.size() > 2 ? 2 : 0]);
    const db_snapshot before = stored_bytes(s.dir().db());
    std::vector<std::string> all{"--procedures", k_processes, "--db", s.dir().db(), "--now", later};
    all.insert(all.end(), args.begin(), args.end());
    const run_result r = run_caseflow(all, s.dir());
    INFO("stderr: ", r.err);
    CHECK(r.exit_code == 0);
    CHECK_FALSE(stored_bytes(s.dir().db()) == before);
  }
}

TEST_CASE("read-only: dispatch and outbox retry are refused, write nothing and send nothing, by flag or by environment") {
  webhook_server hook;
  hook.fail_first = 1;  // the first delivery fails and, with one attempt allowed, is dead at once
  cli_session s;
  const env_list webhook{{"CASEFLOW_WEBHOOK_URL", hook.url()}, {"CASEFLOW_MAX_ATTEMPTS", "1"}};
  auto cf = [&](const std::string& now, std::vector<std::string> args, env_list env) {
    args.insert(args.begin(), {"--now", now});
    return run_caseflow(s.argv(std::move(args)), s.dir(), env);
  };
  auto must = [&](const std::string& now, std::vector<std::string> args) {
    const run_result r = cf(now, std::move(args), webhook);
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  // A complaint by phone at 10:00: its 30-minute forwarding limit reminds at 10:24 and is
  // breached at 10:30, one webhook message each (only the webhook is configured).
  s.start("zhang.wei", k_day, "complaint", {"customer=陈先生", "channel=phone", "summary=卫生间渗水"});
  must("2026-03-02T10:25+08:00", {"tick"});
  CHECK(nlohmann::json::parse(must("2026-03-02T10:25+08:00", {"--json", "dispatch"}))["dead"] == 1);
  must("2026-03-02T10:30+08:00", {"tick"});
  REQUIRE(hook.requests().size() == 1);
  // Message 1 is dead (to requeue), message 2 pending and due (to send).
  const std::vector<std::vector<std::string>> writers{{"dispatch"}, {"--as", "wang.fang", "outbox", "retry", "1"}};
  for (const auto& args : writers) {
    CAPTURE(args.front());
    for (const bool by_environment : {false, true}) {
      CAPTURE(by_environment);
      env_list env = webhook;
      std::vector<std::string> all = args;
      if (by_environment) env.push_back({"CASEFLOW_READ_ONLY", "1"});
      else all.insert(all.begin(), "--read-only");
      const db_snapshot before = stored_bytes(s.dir().db());
      const run_result r = cf("2026-03-02T10:31+08:00", all, env);
      CHECK(r.exit_code == 1);
      CHECK(r.err == "caseflow: the database is read-only; nothing was written\n");
      CHECK(r.out == "");
      CHECK(stored_bytes(s.dir().db()) == before);
      CHECK(hook.requests().size() == 1);  // nothing sent
    }
  }
  // The same commands write (and send) when the database is writable.
  const db_snapshot before = stored_bytes(s.dir().db());
  CHECK(nlohmann::json::parse(must("2026-03-02T10:31+08:00", {"--json", "dispatch"}))["delivered"] == 1);
  CHECK(hook.requests().size() == 2);
  const db_snapshot dispatched = stored_bytes(s.dir().db());
  CHECK_FALSE(dispatched == before);
  CHECK(must("2026-03-02T10:31+08:00", {"--as", "wang.fang", "outbox", "retry", "1"}) == "outbox message 1 requeued\n");
  CHECK_FALSE(stored_bytes(s.dir().db()) == dispatched);
}

// SQLite reads a WAL database through a -shm file it creates beside it, so --read-only failed on
// a copy in a read-only folder ("the database is read-only"); the file is now read as immutable
// when no -wal shows a writer at work (engine/src/store/sqlite/store.cpp).
TEST_CASE("read-only: a database in a folder this user may not write is read with --read-only; a write says why not") {
  cli_session s;
  const std::string id = seeded_complaint(s);
  REQUIRE_FALSE(std::filesystem::exists(s.dir().db() + "-wal"));  // closed cleanly: the main file holds it all
  const nlohmann::json shown = s.json_at(k_day, {"show", id, "--json"});
  scratch_dir storage;
  scratch_dir output;
  const std::string db = storage.db();
  std::filesystem::copy_file(s.dir().db(), db);
  const unwritable_folder locked(storage.path());
  const db_snapshot before = stored_bytes(db);
  const auto reading = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db, "--now", k_day, "--read-only"});
    return locked.run_caseflow(args, output);
  };

  const run_result listed = reading({"list"});
  CHECK(listed.exit_code == 0);
  CHECK(listed.err.empty());
  CHECK(listed.out.find(id + "  complaint") != std::string::npos);
  const run_result show = reading({"show", id, "--json"});
  REQUIRE(show.exit_code == 0);
  CHECK(nlohmann::json::parse(show.out) == shown);
  const run_result verified = reading({"verify"});
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.rfind("verified: ", 0) == 0);

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--db", db, "--now", k_day, "--as", "zhang.wei", "note", id, "客户来电"},
        std::vector<std::string>{"--db", db, "--now", k_day, "list"}}) {
    CAPTURE(args.back());
    const run_result refused = locked.run_caseflow(args, output);
    CHECK(refused.exit_code == 1);
    CHECK(refused.out.empty());
    CHECK(refused.err == "caseflow: " + db +
                             ": this user may not write the folder the database is in (SQLite keeps its -wal and -shm "
                             "files beside it); give --read-only to read it; nothing was written\n");
  }
  CHECK(stored_bytes(db) == before);
  CHECK_FALSE(std::filesystem::exists(db + "-wal"));
  CHECK_FALSE(std::filesystem::exists(db + "-shm"));
}

TEST_CASE("files: the database, its -wal and its -shm are created owner-only whatever the umask") {
  cli_session s;
  const mode_t old_mask = ::umask(0);  // the most permissive: what caseflow sets must hold alone
  seeded_complaint(s);
  CHECK(file_mode(s.dir().db()) == 0600);
  // While caseflow holds the database open (a `run` loop on the real clock) the -wal and -shm
  // files exist; SQLite gives them the database's mode.
  child reader(CASEFLOW_BINARY, s.argv({"run", "--poll", "1"}), {}, s.dir().path());
  ::umask(old_mask);
  for (int i = 0; i < 250 && !std::filesystem::exists(s.dir().db() + "-shm"); ++i) ::usleep(20000);
  REQUIRE(std::filesystem::exists(s.dir().db() + "-wal"));
  REQUIRE(std::filesystem::exists(s.dir().db() + "-shm"));
  CHECK(file_mode(s.dir().db() + "-wal") == 0600);
  CHECK(file_mode(s.dir().db() + "-shm") == 0600);
  reader.send_signal(SIGTERM);
  reader.wait();
}

TEST_CASE("assign and list: a case given to a person is theirs, and list filters by procedure, step, open and mine") {
  cli_session s;
  const std::string forwarded = seeded_complaint(s);
  const std::string fresh = s.start("li.na", k_day, "complaint", {"customer=王女士", "channel=phone", "summary=电梯故障"});
  const std::string review =
      s.start("liu.yang", k_day, "legal_review", {"document=《物业服务委托合同》", "department=engineering"});
  CHECK(s.must("zhang.wei", k_day, {"assign", forwarded, "liu.yang"}) == forwarded + ": assigned to liu.yang\n");
  CHECK(s.show(forwarded, k_day)["assignee"] == "liu.yang");

  auto ids = [&](std::vector<std::string> filters, const std::string& user = "zhang.wei") {
    filters.insert(filters.begin(), {"--as", user, "list"});
    std::vector<std::string> out;
    const nlohmann::json listed = s.json_at(k_day, filters);
    for (const auto& c : listed["cases"]) out.push_back(c["id"]);
    std::sort(out.begin(), out.end());
    return out;
  };
  // One more complaint, found invalid and signed off: closed.
  const std::string closed = s.start("li.na", k_day, "complaint", {"customer=赵先生", "channel=phone", "summary=非本小区"});
  s.act("li.na", k_day, closed, "invalid", {"invalid_reason=非本公司物业"});
  s.act("chen.jing", k_day, closed, "sign", {}, "确认无效");
  CHECK(s.show(closed, k_day)["open"] == false);

  CHECK(ids({}) == strings{review, forwarded, fresh, closed});
  CHECK(ids({"--procedure", "complaint"}) == strings{forwarded, fresh, closed});
  CHECK(ids({"--procedure", "legal_review"}) == strings{review});
  CHECK(ids({"--step", "intake"}) == strings{fresh});
  CHECK(ids({"--step", "department_reply"}) == strings{forwarded});
  CHECK(ids({"--mine"}, "liu.yang") == strings{forwarded});
  CHECK(ids({"--mine"}, "li.na").empty());
  CHECK(ids({"--open"}) == strings{review, forwarded, fresh});
  CHECK(ids({"--step", "closed_invalid"}) == strings{closed});
  CHECK(ids({"--procedure", "complaint", "--step", "intake", "--open"}) == strings{fresh});
}

}  // namespace
}  // namespace caseflow::test
