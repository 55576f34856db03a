// Time as the trust model has it (DESIGN.md "Time"): a database follows the real clock unless
// it was created in virtual time (`--now`), and then for its whole life; an admin may turn a
// real-clock database into a virtual-time one, recorded; within a case time only moves
// forward, with 5 s of clock skew absorbed and recorded.
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::vector<std::string> k_clock_complaint{"start", "complaint", "--set", "customer=张三", "--set",
                                                 "channel=phone", "--set", "summary=卫生间漏水"};

// `caseflow --as USER args...` by the real clock (no --now).
run_result by_clock(const cli_session& s, const std::string& user, std::vector<std::string> args) {
  args.insert(args.begin(), {"--as", user});
  return s.cf(std::move(args));
}

std::string real_clock_message(const cli_session& s) {
  return "caseflow: " + s.dir().db() +
         " follows the real clock (it was created without --now), so --now and CASEFLOW_NOW are refused; an admin "
         "may make it a virtual-time database with `caseflow admin mark-virtual`\n";
}

TEST_CASE("clock: a database created without --now follows the real clock and refuses --now from then on") {
  cli_session s;
  const run_result started = by_clock(s, "zhang.wei", k_clock_complaint);
  INFO("stderr: ", started.err);
  REQUIRE(started.exit_code == 0);
  const std::string id = started.out.substr(0, started.out.size() - 1);

  // A time given on the command line or in the environment is refused, by readers and writers alike.
  const db_snapshot before = stored_bytes(s.dir().db());
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--now", "2026-12-01T10:00+08:00", "--as", "zhang.wei", "note", id, "补记"},
           {"--now", "2027-01-01T10:00+08:00", "tick"},
           {"--now", "2026-12-01T10:00+08:00", "show", id}}) {
    CAPTURE(args);
    const run_result r = s.cf(args);
    CHECK(r.exit_code == 1);
    CHECK(r.err == real_clock_message(s));
    CHECK(r.out.empty());
  }
  const run_result from_env =
      run_caseflow(s.argv({"--as", "zhang.wei", "note", id, "补记"}), s.dir(), {{"CASEFLOW_NOW", "2026-12-01T10:00+08:00"}});
  CHECK(from_env.exit_code == 1);
  CHECK(from_env.err == real_clock_message(s));
  CHECK(stored_bytes(s.dir().db()) == before);

  // show and verify say which kind of database this is.
  CHECK(contains(s.cf({"show", id}).out, "\nclock     real\n"));
  CHECK(nlohmann::json::parse(s.cf({"--json", "show", id}).out)["clock"] == "real");
  const run_result verified = s.cf({"verify"});
  CHECK(verified.exit_code == 0);
  CHECK(contains(verified.out, "\na real-clock database: commands are timed by the clock (--now is refused)\n"));
  CHECK(nlohmann::json::parse(s.cf({"--json", "verify"}).out)["clock"] == "real");
}

TEST_CASE("clock: a database created with --now is a virtual-time one for its whole life") {
  cli_session s;
  const std::string id = s.start("zhang.wei", "2026-03-02T10:00+08:00", "complaint",
                                 {"customer=张三", "channel=phone", "summary=卫生间漏水"});
  // The real clock may act on it too (it is later than the virtual times here).
  REQUIRE(by_clock(s, "zhang.wei", {"note", id, "真实时间的备注"}).exit_code == 0);
  CHECK(contains(s.cf({"show", id}).out, "\nclock     virtual (a test or demo database: times are given with --now)\n"));
  CHECK(nlohmann::json::parse(s.cf({"--json", "verify"}).out)["clock"] == "virtual");
  CHECK(contains(s.cf({"verify"}).out, "\na virtual-time database: its times were given with --now, not read from a clock\n"));
  SQLite::Database db(s.dir().db());
  CHECK(db.execAndGet("SELECT value FROM meta WHERE key = 'clock'").getString() == "virtual");
}

TEST_CASE("clock: only an admin may make a real-clock database a virtual-time one, and it is recorded") {
  cli_session s;
  const run_result started = by_clock(s, "zhang.wei", k_clock_complaint);
  REQUIRE(started.exit_code == 0);
  const std::string id = started.out.substr(0, started.out.size() - 1);

  check_refused(s.dir().db(), [&] { return by_clock(s, "zhang.wei", {"admin", "mark-virtual"}); },
                "caseflow: zhang.wei may not change the clock a database follows: only a person holding the 'admin' "
                "role in org.yaml may; nothing was written\n");
  // A read-only open may leave an empty write-ahead log behind: compare what is stored.
  const db_snapshot before = stored_bytes(s.dir().db());
  const run_result read_only = by_clock(s, "yang.guang", {"--read-only", "admin", "mark-virtual"});
  CHECK(read_only.exit_code == 1);
  CHECK(read_only.err == "caseflow: the database is read-only; nothing was written\n");
  CHECK(stored_bytes(s.dir().db()) == before);

  const run_result marked = by_clock(s, "yang.guang", {"admin", "mark-virtual"});
  INFO("stderr: ", marked.err);
  REQUIRE(marked.exit_code == 0);
  CHECK(marked.out == s.dir().db() + " is now a virtual-time database: --now is accepted (marked by yang.guang as admin)\n");
  check_refused(s.dir().db(), [&] { return by_clock(s, "yang.guang", {"admin", "mark-virtual"}); },
                "caseflow: " + s.dir().db() + " is a virtual-time database already; nothing was written\n");
  {
    SQLite::Database db(s.dir().db());
    CHECK(db.execAndGet("SELECT value FROM meta WHERE key = 'clock'").getString() == "virtual");
    CHECK(db.execAndGet("SELECT value FROM meta WHERE key = 'clock_marked_by'").getString() == "yang.guang");
    CHECK(db.execAndGet("SELECT count(*) FROM meta WHERE key = 'clock_marked_at'").getInt() == 1);
  }
  // --now is accepted from now on (a time after the case's last event).
  CHECK(s.as("zhang.wei", "2027-01-04T10:00+08:00", {"note", id, "虚拟时间"}).exit_code == 0);
  // The deployment log holds the change, so verify accepts the virtual clock.
  const nlohmann::json deployments = nlohmann::json::parse(s.cf({"--json", "deployments"}).out);
  CHECK(contains(deployments.dump(), "\"reason\":\"clock marked virtual\""));
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("clock: meta.clock switched to virtual with SQLite, to backdate with --now, fails verify") {
  cli_session s;
  const run_result started = by_clock(s, "zhang.wei", k_clock_complaint);
  REQUIRE(started.exit_code == 0);
  const std::string id = started.out.substr(0, started.out.size() - 1);
  {
    SQLite::Database db(s.dir().db(), SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO meta(key, value) VALUES ('clock', 'virtual') "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  }
  // The forged clock lets --now through (nothing in the case's own log forbids a later time)...
  REQUIRE(s.as("zhang.wei", "2027-06-01T10:00+08:00", {"note", id, "伪造时间"}).exit_code == 0);
  // ...but verify finds the clock the deployment log never recorded.
  const run_result verified = s.cf({"verify"});
  CHECK(verified.exit_code == 4);
  CHECK(contains(verified.out, "[deployment] deployment 1: meta.clock says this database follows virtual time (so --now "
                               "is accepted), but the deployment log never recorded it becoming one: the clock was "
                               "changed outside caseflow\n"));
}

TEST_CASE("clock: within a case time only moves forward; up to 5 s of skew is recorded at the last event's time") {
  cli_session s;
  const std::string id = s.start("zhang.wei", "2026-03-02T10:00+08:00", "complaint",
                                 {"customer=张三", "channel=phone", "summary=卫生间漏水"});
  // 6 s before the case was opened: refused, nothing written.
  s.refused("zhang.wei", "2026-03-02T09:59:54+08:00", {"note", id, "早于立案"},
            "caseflow: case " + id + " was last changed at 2026-03-02T02:00:00Z, after 2026-03-02T01:59:54Z: time only "
            "moves forward within a case (at most 5 s of clock skew is absorbed); nothing was written\n");
  s.refused("zhang.wei", "2026-03-02T09:00+08:00",
            {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=engineering"},
            "caseflow: case " + id + " was last changed at 2026-03-02T02:00:00Z, after 2026-03-02T01:00:00Z: time only "
            "moves forward within a case (at most 5 s of clock skew is absorbed); nothing was written\n");
  // 5 s before: recorded at the time of the case's last event, saying what was asked.
  REQUIRE(s.as("zhang.wei", "2026-03-02T09:59:55+08:00",
               {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=engineering"})
              .exit_code == 0);
  const nlohmann::json events = s.history(id);
  const nlohmann::json* forward = nullptr;
  for (const auto& e : events)
    if (e["kind"] == "action_taken") forward = &e;
  REQUIRE(forward != nullptr);
  CHECK((*forward)["at"] == events[0]["at"]);
  CHECK((*forward)["data"]["clamped_from"] == "2026-03-02T01:59:55Z");
  // The log stays in order and conforms.
  CHECK(s.cf({"verify"}).exit_code == 0);
}

}  // namespace
}  // namespace caseflow::test
