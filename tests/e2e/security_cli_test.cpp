// Security: owner-only database files, secrets kept out of every output, acting users bound
// to OS users, and a truly read-only mode.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::string k_security_now = "2026-03-02T10:00+08:00";

// `caseflow args...` at k_security_now on the database in `dir`, with `procedures` (by default
// the shipped ones) and `env`.
run_result security_cf(const scratch_dir& dir, std::vector<std::string> args, const env_list& env = {},
                       const std::string& procedures = k_processes) {
  std::vector<std::string> all{"--procedures", procedures, "--db", dir.db(), "--now", k_security_now};
  all.insert(all.end(), args.begin(), args.end());
  return run_caseflow(all, dir, env);
}

const std::vector<std::string> k_open_complaint{"start", "complaint", "--set", "customer=张三", "--set", "channel=phone",
                                                "--set", "summary=卫生间漏水"};

TEST_CASE("security: the database and its -wal and -shm files are owner-only even under a permissive umask") {
  scratch_dir dir;
  const mode_t old_mask = ::umask(0);
  const run_result r = security_cf(dir, [] {
    auto args = k_open_complaint;
    args.insert(args.begin(), {"--as", "zhang.wei"});
    return args;
  }());
  ::umask(old_mask);
  INFO("stderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(file_mode(dir.db()) == 0600);
  // While a connection is open the write-ahead log and shared-memory files exist.
  SQLite::Database db(dir.db(), SQLite::OPEN_READWRITE);
  db.exec("INSERT INTO meta(key, value) VALUES ('probe', 'x')");
  CHECK(file_mode(dir.db() + "-wal") == 0600);
  CHECK(file_mode(dir.db() + "-shm") == 0600);
}

TEST_CASE("security: secrets never reach the output, the database or the log when deliveries fail") {
  scratch_dir dir;
  const std::string token = "tok-NEVER-SHOWN-1234";
  const std::string password = "pw-NEVER-SHOWN-5678";
  // Nothing listens on port 9: every delivery fails and its error is recorded and printed.
  const env_list env{{"CASEFLOW_WEBHOOK_URL", "http://127.0.0.1:9/hook"},
                     {"CASEFLOW_WEBHOOK_TOKEN", token},
                     {"CASEFLOW_SMTP_URL", "smtp://127.0.0.1:9"},
                     {"CASEFLOW_SMTP_USER", "mailer"},
                     {"CASEFLOW_SMTP_PASSWORD", password},
                     {"CASEFLOW_MAX_ATTEMPTS", "1"},
                     {"CASEFLOW_NOTIFY_LOG", dir.file("notify.log")}};
  std::string output;
  auto run_all = [&](std::vector<std::string> args, const std::string& now) {
    args.insert(args.begin(), {"--procedures", k_processes, "--db", dir.db(), "--now", now});
    const run_result r = run_caseflow(args, dir, env);
    output += r.out + r.err;
    return r;
  };
  auto args = k_open_complaint;
  args.insert(args.begin(), {"--as", "zhang.wei"});
  REQUIRE(run_all(args, k_security_now).exit_code == 0);
  REQUIRE(run_all({"tick"}, "2026-04-03T10:00+08:00").exit_code == 0);
  run_all({"dispatch"}, "2026-04-03T10:00+08:00");
  run_all({"--json", "outbox"}, "2026-04-03T10:00+08:00");
  run_all({"--json", "history", "TS-2026-00001"}, "2026-04-03T10:00+08:00");
  run_all({"export"}, "2026-04-03T10:00+08:00");
  CHECK(contains(output, "notification_dead"));  // the failures really happened and were reported
  for (const auto& secret : {token, password}) {
    CHECK_FALSE(contains(output, secret));
    CHECK_FALSE(contains(read_bytes(dir.db()).value_or(""), secret));
    CHECK_FALSE(contains(read_bytes(dir.db() + "-wal").value_or(""), secret));
    CHECK_FALSE(contains(read_bytes(dir.file("notify.log")).value_or(""), secret));
  }
}

// A copy of the shipped procedures whose org.yaml maps the OS user running the tests.
std::string procedures_with_os_user(const scratch_dir& dir, const std::string& person, const std::string& extra = "") {
  const std::string folder = dir.file("processes");
  std::filesystem::copy(k_processes, folder, std::filesystem::copy_options::recursive);
  const passwd* me = ::getpwuid(::getuid());
  REQUIRE(me != nullptr);
  std::string org = read_bytes(folder + "/org.yaml").value();
  const std::string key = "  " + person + ":";
  const auto at = org.find(key);
  REQUIRE(at != std::string::npos);
  const auto close = org.find(" }", at);
  org.insert(close, ", os_user: " + std::string(me->pw_name));
  std::ofstream(folder + "/org.yaml", std::ios::trunc) << extra << org;
  return folder;
}

TEST_CASE("security: with --bind-os-user the acting user is the OS user, and only an admin may act as someone else") {
  scratch_dir dir;
  const std::string login = ::getpwuid(::getuid())->pw_name;
  const std::string procedures = procedures_with_os_user(dir, "zhang.wei");
  auto start = k_open_complaint;
  start.insert(start.begin(), "--bind-os-user");

  // No --as: the OS user acts, as the person it maps to.
  const run_result own = security_cf(dir, start, {}, procedures);
  INFO("stderr: ", own.err);
  REQUIRE(own.exit_code == 0);
  const run_result history = security_cf(dir, {"--json", "history", "TS-2026-00001"}, {}, procedures);
  CHECK(nlohmann::json::parse(history.out)["events"][0]["actor"] == "zhang.wei");

  // --as someone else: refused, nothing written.
  const db_snapshot before = snapshot(dir.db());
  auto as_other = start;
  as_other.insert(as_other.begin(), {"--as", "li.na"});
  const run_result refused = security_cf(dir, as_other, {}, procedures);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "caseflow: acting users are bound to OS users: the OS user '" + login +
                           "' is zhang.wei and may not act as 'li.na' (only a person holding the 'admin' role may)\n");
  CHECK(snapshot(dir.db()) == before);
  // The environment variable does the same.
  auto plain_as_other = k_open_complaint;
  plain_as_other.insert(plain_as_other.begin(), {"--as", "li.na"});
  CHECK(security_cf(dir, plain_as_other, {{"CASEFLOW_BIND_OS_USER", "1"}}, procedures).err == refused.err);
  // --as themselves is fine.
  auto as_self = start;
  as_self.insert(as_self.begin(), {"--as", "zhang.wei"});
  CHECK(security_cf(dir, as_self, {}, procedures).exit_code == 0);
}

TEST_CASE("security: an admin bound to the OS user may act as someone else; an unmapped OS user may not act") {
  scratch_dir dir;
  const std::string login = ::getpwuid(::getuid())->pw_name;
  // org.yaml may turn binding on for everyone (`bind_os_user: true`): no flag needed.
  const std::string procedures = procedures_with_os_user(dir, "wang.fang", "bind_os_user: true\n");
  std::string org = read_bytes(procedures + "/org.yaml").value();
  org.replace(org.find("roles: [cs_manager]"), 19, "roles: [cs_manager, admin]");
  std::ofstream(procedures + "/org.yaml", std::ios::trunc) << org;
  auto as_other = k_open_complaint;
  as_other.insert(as_other.begin(), {"--as", "li.na"});
  const run_result r = security_cf(dir, as_other, {}, procedures);
  INFO("stderr: ", r.err);
  CHECK(r.exit_code == 0);
  const nlohmann::json opened =
      nlohmann::json::parse(security_cf(dir, {"--json", "history", "TS-2026-00001"}, {}, procedures).out)["events"][0];
  CHECK(opened["actor"] == "li.na");
  // Both are recorded: the person acted for, and the admin who entered it.
  CHECK(opened["data"]["entered_by"] == "wang.fang");
  // A note the admin adds as li.na too; one as themselves records no entered_by.
  REQUIRE(security_cf(dir, {"--as", "li.na", "note", "TS-2026-00001", "代录"}, {}, procedures).exit_code == 0);
  REQUIRE(security_cf(dir, {"note", "TS-2026-00001", "本人"}, {}, procedures).exit_code == 0);
  const nlohmann::json events =
      nlohmann::json::parse(security_cf(dir, {"--json", "history", "TS-2026-00001"}, {}, procedures).out)["events"];
  std::vector<std::string> notes;
  for (const auto& e : events)
    if (e["kind"] == "note_added")
      notes.push_back(e["actor"].get<std::string>() + " " +
                      (e["data"].is_object() ? e["data"].value("entered_by", "-") : std::string("-")));
  CHECK(notes == std::vector<std::string>{"li.na wang.fang", "wang.fang -"});
  CHECK(security_cf(dir, {"verify"}, {}, procedures).exit_code == 0);

  scratch_dir unmapped;
  const run_result nobody = security_cf(unmapped, {"--bind-os-user", "--as", "zhang.wei", "start", "complaint"});
  CHECK(nobody.exit_code == 1);
  CHECK(nobody.err == "caseflow: acting users are bound to OS users, and no person in org.yaml has `os_user: " + login +
                          "` (the OS user running caseflow)\n");
  CHECK_FALSE(std::filesystem::exists(unmapped.db()));
}

TEST_CASE("security: --read-only reads, and refuses every write without touching the file (even as root)") {
  scratch_dir dir;
  auto start = k_open_complaint;
  start.insert(start.begin(), {"--as", "zhang.wei"});
  REQUIRE(security_cf(dir, start).exit_code == 0);
  const db_snapshot before = snapshot(dir.db());
  const run_result list = security_cf(dir, {"--read-only", "list"});
  CHECK(list.exit_code == 0);
  CHECK(contains(list.out, "TS-2026-00001"));
  const run_result note = security_cf(dir, {"--read-only", "--as", "zhang.wei", "note", "TS-2026-00001", "x"});
  CHECK(note.exit_code == 1);
  CHECK(note.err == "caseflow: the database is read-only; nothing was written\n");
  // The database bytes are the same (a read-only connection may leave an empty -wal behind).
  CHECK(read_bytes(dir.db()) == before.main);
  CHECK(read_bytes(dir.db() + "-wal").value_or("").empty());
}

}  // namespace
}  // namespace caseflow::test
