// `caseflow run` on the real clock: it fires each timer when it falls due, sleeps in between,
// notices a timer scheduled after it started, and stops cleanly on SIGINT and on SIGTERM.
// Cases are opened with --now a little in the past so that their 3-second escalation falls due
// a second or two after the real now; each test takes a few seconds of real time.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "caseflow/calendar.h"
#include "caseflow/schedules.h"
#include "caseflow/value.h"
#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

// A procedure whose one escalation falls due 3 s after a case opens, round the clock.
constexpr const char* k_ping_procedure = R"(procedure: ping
name: { zh: 提醒, en: Ping }
calendar: 24x7
case_id: "PG-{seq:03}"
roles:
  cs_specialist: { zh: 客服专员, en: Customer-service specialist }
  cs_manager: { zh: 客户服务中心经理, en: Customer-service center manager }
fields:
  customer: { type: text, required: true }
escalations:
  - { rule: three_seconds, after: 3s, notify: [cs_manager], message: "ping: open three seconds" }
start: open
steps:
  open:
    role: cs_specialist
    actions: { close: closed }
  closed: { terminal: true }
)";

class run_desk {
 public:
  run_desk() { make_procedures_folder(dir_.file("processes"), {{"ping.yaml", k_ping_procedure}}); }
  std::vector<std::string> argv(std::vector<std::string> args) const {
    std::vector<std::string> all{"--procedures", dir_.file("processes"), "--db", dir_.db()};
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
  // Opens a case whose escalation falls due `due_in` after the real now; returns its id.
  std::string open_due_in(std::chrono::milliseconds due_in) const {
    const auto opened = std::chrono::system_clock::now() + due_in - std::chrono::seconds(3);
    const instant at{std::chrono::duration_cast<std::chrono::seconds>(opened.time_since_epoch()).count()};
    const run_result r = run_caseflow(
        argv({"--as", "zhang.wei", "--now", format_instant_utc(at), "start", "ping", "--set", "customer=x"}), dir_);
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.size() - 1);
  }
  // How many times the escalation of `id` fired, as the log says.
  int fired(const std::string& id) const {
    SQLite::Database db(dir_.db());
    SQLite::Statement q(db, "SELECT count(*) FROM events WHERE case_id = ? AND kind = 'timer_fired'");
    q.bind(1, id);
    REQUIRE(q.executeStep());
    return q.getColumn(0).getInt();
  }
  // Waits until the escalation of `id` has fired, at most `limit`; true when it did.
  bool wait_fired(const std::string& id, std::chrono::seconds limit) const {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < give_up) {
      if (fired(id) > 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  const scratch_dir& dir() const { return dir_; }

 private:
  scratch_dir dir_;
};

// The whole life of one `run`, stopped by `stop_signal`.
void run_until_signal(int stop_signal) {
  run_desk d;
  const std::string first = d.open_due_in(std::chrono::milliseconds(2500));
  child loop(CASEFLOW_BINARY, d.argv({"run", "--poll", "1"}), {}, d.dir().path());
  // Not before it is due: the loop sleeps until then.
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  CHECK(d.fired(first) == 0);
  REQUIRE(d.wait_fired(first, std::chrono::seconds(10)));
  // A timer scheduled by another process after the loop started, due in 1.5 s, is noticed.
  const std::string second = d.open_due_in(std::chrono::milliseconds(1500));
  REQUIRE(d.wait_fired(second, std::chrono::seconds(10)));
  // Each fired once, however many passes the loop made meanwhile.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  CHECK(d.fired(first) == 1);
  CHECK(d.fired(second) == 1);
  loop.send_signal(stop_signal);
  const run_result stopped = loop.wait();
  CHECK(stopped.exit_code == 0);
  CHECK(stopped.err == "caseflow run: stopped after firing 2 timers\n");
  CHECK(contains(stopped.out, first));
  CHECK(contains(stopped.out, second));
  CHECK(run_caseflow(d.argv({"verify"}), d.dir()).exit_code == 0);
}

TEST_CASE("run: fires timers as they fall due, notices new ones, and stops cleanly on SIGINT") {
  run_until_signal(SIGINT);
}

TEST_CASE("run: stops cleanly on SIGTERM") { run_until_signal(SIGTERM); }

TEST_CASE("run: two loops on one database fire each timer once and send each notification once") {
  run_desk d;
  const env_list env{{"CASEFLOW_NOTIFY_LOG", d.dir().file("notify.log")}};
  std::vector<std::string> ids;
  for (int n = 0; n < 6; ++n) ids.push_back(d.open_due_in(std::chrono::milliseconds(1500 + 200 * n)));
  std::vector<child> loops;
  loops.reserve(2);
  for (int n = 0; n < 2; ++n) loops.emplace_back(CASEFLOW_BINARY, d.argv({"run", "--poll", "0.2"}), env, d.dir().path());
  for (const auto& id : ids) REQUIRE(d.wait_fired(id, std::chrono::seconds(10)));
  // Passes enough for both loops to try every timer and every outbox row more than once.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  int fired_by_loops = 0;
  for (auto& loop : loops) {
    loop.send_signal(SIGTERM);
    const run_result stopped = loop.wait();
    CHECK(stopped.exit_code == 0);
    int n = 0;
    CHECK(std::sscanf(stopped.err.c_str(), "caseflow run: stopped after firing %d timer", &n) == 1);
    fired_by_loops += n;
  }
  CHECK(fired_by_loops == 6);  // between them, each timer once
  for (const auto& id : ids) CHECK(d.fired(id) == 1);
  SQLite::Database db(d.dir().db());
  CHECK(db.execAndGet("SELECT count(*) FROM outbox").getInt() == 6);
  CHECK(db.execAndGet("SELECT count(*) FROM outbox WHERE state = 'delivered'").getInt() == 6);
  CHECK(db.execAndGet("SELECT count(*) FROM events WHERE kind = 'notification_delivered'").getInt() == 6);
  SQLite::Statement keys(db, "SELECT idempotency_key FROM outbox");
  const std::string log = read_bytes(d.dir().file("notify.log")).value_or("");
  while (keys.executeStep()) {
    const std::string key = " " + keys.getColumn(0).getString().substr(0, 12) + " ";
    int copies = 0;
    for (auto at = log.find(key); at != std::string::npos; at = log.find(key, at + 1)) ++copies;
    CHECK_MESSAGE(copies == 1, "a notification reached the log channel ", copies, " times");
  }
  CHECK(run_caseflow(d.argv({"verify"}), d.dir()).exit_code == 0);
}

// A weekly duty that opens at the start of its week (UTC: no calendar), so the current week's
// case is due whenever the test runs.
constexpr const char* k_weekly_procedure = R"(procedure: weekly
name: { zh: 周报, en: Weekly duty }
roles:
  cs_specialist: { zh: 客服专员, en: Customer-service specialist }
fields:
  period: { type: text, required: true }
schedules:
  - { schedule: weekly, every: week, opens: start, case_id: "WK-{period}" }
start: open
steps:
  open:
    role: cs_specialist
    actions: { done: closed }
  closed: { terminal: true }
)";

TEST_CASE("run: opens a schedule's period once, however many passes it makes") {
  scratch_dir dir;
  make_procedures_folder(dir.file("processes"), {{"weekly.yaml", k_weekly_procedure}});
  schedule_def week;
  week.period = schedule_def::every::week;
  week.opens_at_start = true;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  const std::string expected =
      "WK-" + period_containing(week, nullptr, local_day(nullptr, instant{now.count()})).label;
  const std::vector<std::string> base{"--procedures", dir.file("processes"), "--db", dir.db()};
  std::vector<std::string> args = base;
  args.insert(args.end(), {"--as", "zhang.wei", "run", "--poll", "0.2"});
  child loop(CASEFLOW_BINARY, args, {}, dir.path());
  auto openings = [&] {
    if (!std::filesystem::exists(dir.db())) return -1;
    SQLite::Database db(dir.db());
    if (!db.tableExists("schedule_openings")) return -1;
    return db.execAndGet("SELECT count(*) FROM schedule_openings").getInt();
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (openings() < 1 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // several more passes
  loop.send_signal(SIGTERM);
  const run_result stopped = loop.wait();
  INFO("stderr: ", stopped.err);
  CHECK(stopped.exit_code == 0);
  CHECK(openings() == 1);
  CHECK(contains(stopped.out, expected + " opened: schedule weekly of weekly for "));
  SQLite::Database db(dir.db());
  CHECK(db.execAndGet("SELECT case_id FROM schedule_openings").getString() == expected);
  std::vector<std::string> verify = base;
  verify.push_back("verify");
  CHECK(run_caseflow(verify, dir).exit_code == 0);
}

TEST_CASE("run: refuses virtual time, which is tick's") {
  run_desk d;
  const run_result r = run_caseflow(d.argv({"--now", "2026-03-02T10:00+08:00", "run"}), d.dir());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "caseflow: run follows the real clock; use `tick --now` for virtual time\n");
  CHECK_FALSE(std::filesystem::exists(d.dir().db()));
}

}  // namespace
}  // namespace caseflow::test
