// `caseflow run` on the real clock: it fires each timer when it falls due, sleeps in between,
// notices a timer scheduled after it started, and stops cleanly on SIGINT and on SIGTERM.
// Cases are opened with --now a little in the past so that their 3-second escalation falls due
// a second or two after the real now; each test takes a few seconds of real time.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>

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

TEST_CASE("run: refuses virtual time, which is tick's") {
  run_desk d;
  const run_result r = run_caseflow(d.argv({"--now", "2026-03-02T10:00+08:00", "run"}), d.dir());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "caseflow: run follows the real clock; use `tick --now` for virtual time\n");
  CHECK_FALSE(std::filesystem::exists(d.dir().db()));
}

}  // namespace
}  // namespace caseflow::test
