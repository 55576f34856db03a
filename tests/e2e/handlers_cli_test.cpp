// End-to-end handler hooks: procedures written in a temporary folder call notify, webhook,
// set, escalate and start_case from on_enter, on_exit and actions; the real `caseflow`
// binary records their effects as events, writes their messages to the outbox, delivers
// them to a webhook server on 127.0.0.1, opens sub-cases whose logs name each other, and
// keeps `verify` and `replay` green. Quiet hours hold a non-urgent notice raised at 03:00.
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

namespace caseflow::test {
namespace {

constexpr const char* k_care = R"(procedure: care
name: { zh: 客户关怀, en: Customer care }
calendar: cn-mainland
case_id: "CR-{yyyy}-{seq:03}"
roles: { clerk: 客服, manager: 经理 }
fields:
  address: { type: text, required: true }
  severity: { type: enum, values: [general, important, hot], default: general }
  priority: { type: enum, values: [low, high], default: low }
  repaired: bool
start: received
steps:
  received:
    role: clerk
    on_enter:
      - notify: { to: [manager], message: "案件 {case.id} 已受理：{case.address}" }
      - notify: { to: [manager], message: "urgent copy of {case.id}", urgent: true }
      - set: { priority: high }
    actions:
      repeat:
        to: received
        run:
          - escalate: { severity: important, reason: "二次投诉" }
      forward:
        to: repairing
        run:
          - webhook: { event: crm_ticket, body: { ticket: "{case.id}", where: "{case.address}" } }
  repairing:
    role: clerk
    wait_for_subcases: true
    after_subcases: finish
    on_enter:
      - start_case: { procedure: visit, fields: { where: "{case.address}" }, wait: true }
    on_exit:
      - set: { repaired: true }
    actions:
      finish: done
  done: { terminal: true }
)";

constexpr const char* k_visit = R"(procedure: visit
name: { zh: 上门维修, en: Repair visit }
case_id: "VS-{yyyy}-{seq:03}"
roles: { worker: 维修工 }
fields:
  where: { type: text, required: true }
  cost: money
start: survey
steps:
  survey:
    role: worker
    actions: { complete: { to: fixed, sets: [cost] } }
  fixed: { terminal: true }
)";

constexpr const char* k_org = R"(people:
  ann: { name: 安娜, roles: [clerk], email: ann@example.com }
  max: { name: 马克, roles: [manager], email: max@example.com }
  wu:  { name: 吴工, roles: [worker] }
)";

class hook_session {
 public:
  explicit hook_session(env_list env, const std::string& care = k_care) : env_(std::move(env)) {
    const auto procedures = dir_.path() / "procedures";
    std::filesystem::create_directories(procedures);
    std::filesystem::copy(std::string(CASEFLOW_SOURCE_DIR) + "/processes/calendars", procedures / "calendars");
    std::ofstream(procedures / "care.yaml") << care;
    std::ofstream(procedures / "visit.yaml") << k_visit;
    std::ofstream(procedures / "org.yaml") << k_org;
  }
  run_result cf(const std::string& now, std::vector<std::string> args) {
    std::vector<std::string> all{"--procedures", (dir_.path() / "procedures").string(), "--db", dir_.db(), "--now", now};
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir_, env_);
  }
  std::string must(const std::string& now, std::vector<std::string> args) {
    const run_result r = cf(now, std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  nlohmann::json json(const std::string& now, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    return nlohmann::json::parse(must(now, std::move(args)));
  }
  std::string open(const std::string& now) {
    const std::string out = must(now, {"--as", "ann", "start", "care", "--set", "address=幸福里 3-201"});
    return out.substr(0, out.size() - 1);
  }
  const scratch_dir& dir() const { return dir_; }
  std::vector<nlohmann::json> events_of(const std::string& id, const std::string& kind) {
    std::vector<nlohmann::json> out;
    const nlohmann::json history = json("2026-03-02T10:00+08:00", {"history", id});
    for (const auto& e : history["events"])
      if (e["kind"] == kind) out.push_back(e);
    return out;
  }

 private:
  scratch_dir dir_;
  env_list env_;
};

TEST_CASE("handlers: an on_enter notify and an action's webhook reach the local webhook server through the outbox") {
  webhook_server hook;
  hook_session s({{"CASEFLOW_WEBHOOK_URL", hook.url()}});
  const std::string id = s.open("2026-03-02T10:00+08:00");
  CHECK(id == "CR-2026-001");
  s.must("2026-03-02T10:05+08:00", {"--as", "ann", "do", id, "forward"});
  CHECK(s.events_of(id, "messages_requested").size() == 3);  // two notify calls and the webhook
  s.must("2026-03-02T10:06+08:00", {"dispatch"});
  const auto docs = bodies(hook);
  REQUIRE(docs.size() == 3);
  CHECK(docs[0]["kind"] == "notification");
  CHECK(docs[0]["message"] == "案件 CR-2026-001 已受理：幸福里 3-201");
  CHECK(docs[0]["recipients"][0]["id"] == "max");
  CHECK(docs[2]["kind"] == "webhook");
  CHECK(docs[2]["event"] == "crm_ticket");
  CHECK(docs[2]["body"] == nlohmann::json::parse(R"({"ticket": "CR-2026-001", "where": "幸福里 3-201"})"));
  CHECK_FALSE(docs[2]["idempotency_key"].get<std::string>().empty());
  // Each document names the event that triggered it by its id in the log (not 0): the case's
  // opening for the on_enter notices, the forward for the webhook.
  const nlohmann::json history = s.json("2026-03-02T10:06+08:00", {"history", id})["events"];
  auto first_of = [&](const std::string& kind) {
    for (const auto& e : history)
      if (e["kind"] == kind) return e;
    return nlohmann::json();
  };
  const nlohmann::json forward = first_of("action_taken");
  REQUIRE(forward.is_object());
  CHECK(docs[2]["event_id"] == forward["id"]);
  CHECK(docs[2]["event_seq"] == forward["seq"]);
  CHECK(docs[0]["event_id"] == first_of("case_started")["id"]);
  CHECK(docs[0]["event_id"].get<std::int64_t>() > 0);
  CHECK(s.events_of(id, "notification_delivered").size() == 3);
  CHECK(s.must("2026-03-02T10:07+08:00", {"verify"}).find("verified:") != std::string::npos);
}

TEST_CASE("handlers: a notify hook with no channel configured records its notice as a dead letter") {
  hook_session s({});
  const std::string id = s.open("2026-03-02T10:00+08:00");
  // The on_enter notices of the intake step: recorded, each one dead row of channel none.
  const auto requested = s.events_of(id, "messages_requested");
  REQUIRE(requested.size() == 2);
  CHECK(requested[0]["data"]["messages"][0]["channel"] == "none");
  const nlohmann::json rows = s.json("2026-03-02T10:01+08:00", {"outbox"})["messages"];
  REQUIRE(rows.size() == 2);
  for (const auto& r : rows) {
    CHECK(r["state"] == "dead");
    CHECK(r["last_error"] == "no channel configured");
  }
  CHECK(rows[0]["payload"]["message"] == "案件 CR-2026-001 已受理：幸福里 3-201");
  CHECK(s.must("2026-03-02T10:02+08:00", {"verify"}).find("verified:") != std::string::npos);
}

TEST_CASE("handlers: set and escalate are recorded as events, and verify and replay stay green") {
  hook_session s({});
  const std::string id = s.open("2026-03-02T10:00+08:00");
  CHECK(s.json("2026-03-02T10:00+08:00", {"show", id})["fields"]["priority"] == "high");
  s.must("2026-03-02T10:10+08:00", {"--as", "ann", "do", id, "repeat"});
  const auto changes = s.events_of(id, "fields_changed");
  REQUIRE(changes.size() == 2);
  CHECK(changes[0]["actor"] == "system");
  CHECK(changes[0]["data"]["handler"] == "set");
  CHECK(changes[1]["data"]["fields"]["severity"] == "important");
  CHECK(changes[1]["data"]["reason"] == "escalate: 二次投诉");
  s.must("2026-03-02T10:20+08:00", {"verify"});
  s.must("2026-03-02T10:20+08:00", {"replay"});
}

TEST_CASE("sub-cases: the parent's and the child's logs name each other and the parent waits for the child") {
  hook_session s({});
  const std::string id = s.open("2026-03-02T10:00+08:00");
  s.must("2026-03-02T10:05+08:00", {"--as", "ann", "do", id, "forward"});
  const auto started = s.events_of(id, "subcase_started");
  REQUIRE(started.size() == 1);
  CHECK(started[0]["data"]["case_id"] == "VS-2026-001");
  CHECK(started[0]["data"]["procedure"] == "visit");
  const auto child_open = s.events_of("VS-2026-001", "case_started");
  REQUIRE(child_open.size() == 1);
  CHECK(child_open[0]["data"]["parent"] == id);
  CHECK(child_open[0]["data"]["fields"]["where"] == "幸福里 3-201");

  const nlohmann::json parent_view = s.json("2026-03-02T10:06+08:00", {"show", id});
  REQUIRE(parent_view["subcases"].size() == 1);
  CHECK(parent_view["subcases"][0]["id"] == "VS-2026-001");
  CHECK(parent_view["subcases"][0]["open"] == true);
  CHECK(s.json("2026-03-02T10:06+08:00", {"show", "VS-2026-001"})["parent"] == id);
  const std::string text = s.must("2026-03-02T10:06+08:00", {"show", id});
  CHECK(text.find("VS-2026-001") != std::string::npos);

  check_refused(s.dir().db(), [&] { return s.cf("2026-03-02T10:07+08:00", {"--as", "ann", "do", id, "finish"}); },
                "caseflow: case " + id + " is waiting for its sub-case VS-2026-001 (visit): action 'finish' cannot "
                "leave step 'repairing' until it reaches a terminal or resolved step\n");

  s.must("2026-03-02T11:00+08:00", {"--as", "wu", "do", "VS-2026-001", "complete", "--set", "cost=880"});
  const auto finished = s.events_of(id, "subcase_finished");
  REQUIRE(finished.size() == 1);
  CHECK(finished[0]["data"]["case_id"] == "VS-2026-001");
  CHECK(finished[0]["data"]["step"] == "fixed");
  CHECK(finished[0]["data"]["outcome"]["cost"] == "880.00");
  const nlohmann::json after = s.json("2026-03-02T11:00+08:00", {"show", id});
  CHECK(after["step"] == "done");  // after_subcases: finish, taken by system
  CHECK(after["fields"]["repaired"] == true);  // on_exit of repairing
  CHECK(after["subcases"][0]["open"] == false);
  s.must("2026-03-02T11:00+08:00", {"verify"});
  s.must("2026-03-02T11:00+08:00", {"replay"});
}

TEST_CASE("quiet hours: a non-urgent notice raised at 03:00 on a working day waits for 09:00; an urgent one goes at once") {
  webhook_server hook;
  hook_session s({{"CASEFLOW_WEBHOOK_URL", hook.url()}, {"CASEFLOW_QUIET_HOURS", "1"}});
  // Tuesday 2026-03-03, 03:00 Beijing time: a working day, outside working hours.
  const std::string id = s.open("2026-03-03T03:00+08:00");
  const nlohmann::json rows = s.json("2026-03-03T03:00+08:00", {"outbox"})["messages"];
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]["next_attempt"] == "2026-03-03T01:00:00Z");  // 09:00 local, the next working moment
  CHECK(rows[1]["next_attempt"] == "2026-03-02T19:00:00Z");  // 03:00 local: at once

  const nlohmann::json night = s.json("2026-03-03T03:01+08:00", {"dispatch"});
  CHECK(night["delivered"] == 1);
  REQUIRE(bodies(hook).size() == 1);
  CHECK(bodies(hook)[0]["message"] == "urgent copy of " + id);
  const nlohmann::json morning = s.json("2026-03-03T09:00+08:00", {"dispatch"});
  CHECK(morning["delivered"] == 1);
  REQUIRE(bodies(hook).size() == 2);
  CHECK(bodies(hook)[1]["message"] == "案件 " + id + " 已受理：幸福里 3-201");
}

TEST_CASE("handlers: validate rejects an unknown handler and bad arguments with file:line:col") {
  std::string care = k_care;
  care.replace(care.find("- set: { priority: high }"), 25, "- sett: { priority: high }");
  care.replace(care.find("reason: \"二次投诉\""), 22, "reason: \"\"");
  hook_session s({}, care);
  const run_result r = s.cf("2026-03-02T10:00+08:00", {"validate"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("care.yaml:18:9: on_enter of step 'received': unknown handler 'sett'; did you mean 'set'?") !=
        std::string::npos);
  CHECK(r.err.find("care.yaml:23:13: action 'repeat' of step 'received': escalate: escalate needs `reason`") !=
        std::string::npos);
}

}  // namespace
}  // namespace caseflow::test
