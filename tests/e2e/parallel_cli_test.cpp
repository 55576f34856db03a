// End-to-end: parallel work through the real binary. A complaint plan is reviewed jointly by
// the responsible department and the legal advisor before the manager approves it (SEED-GAPS
// §1.5, 方案由相关部门与法律顾问共同评审): the fork opens both branches, `show --json` lets a
// script that knows nothing of the procedure find and drive them, an action open in both
// needs --branch, each branch's limit fires on its own, the join moves the case on, leaving
// the fork step cancels what is still open, and verify re-decides it all.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace parallel_cli {
namespace {

constexpr const char* k_plan_review = R"(procedure: plan_review
name: 处理方案联合评审
calendar: cn-mainland
case_id: "PR-{seq:03}"
roles: { cs_specialist: 客服专员, dept_handler: 部门经办, legal_advisor: 法律顾问, cs_manager: 客服经理 }
fields:
  summary: { type: text, required: true }
  legal_opinion: { type: text }
start: drafting
steps:
  drafting:
    role: cs_specialist
    actions:
      submit: { to: review }
  review:
    name: 联合评审
    role: cs_specialist
    parallel:
      branches:
        department: { from: dept_review, until: reviewed }
        legal: { from: legal_review, until: reviewed }
      join: all
      then: approval
      leaving: cancel
    actions:
      withdraw: { to: withdrawn, comment: true }
  dept_review:
    role: dept_handler
    limits:
      - { rule: answer, within: 1 working day, on_breach: { notify: [cs_manager] } }
    actions:
      agree: { to: reviewed }
  legal_review:
    role: legal_advisor
    limits:
      - { rule: opinion, within: 2 working days, on_breach: { notify: [cs_manager] } }
    actions:
      agree: { to: reviewed }
      opinion: { to: reviewed, requires: [legal_opinion] }
  reviewed: { name: 评审完成 }
  approval:
    role: cs_manager
    actions:
      approve: { to: closed }
  withdrawn: { terminal: true }
  closed: { terminal: true }
)";

// Monday 7 December 2026, a working day (cn-mainland closes at 18:00).
using procedures = std::vector<std::pair<std::string, std::string>>;

const std::string k_monday = "2026-12-07T09:00+08:00";

std::vector<std::string> branch_ids(const nlohmann::json& shown) {
  std::vector<std::string> ids;
  for (const auto& b : shown["branches"]) ids.push_back(b["id"]);
  return ids;
}

const nlohmann::json& branch(const nlohmann::json& shown, const std::string& id) {
  for (const auto& b : shown["branches"])
    if (b["id"] == id) return b;
  FAIL("no open branch ", id, " in ", shown["branches"].dump());
  static const nlohmann::json none;
  return none;
}

// The kind of each event, with the branch it acts on: "action_taken@legal".
std::vector<std::string> positions(const nlohmann::json& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    out.push_back(e["kind"].get<std::string>() + (e.contains("branch") ? "@" + e["branch"].get<std::string>() : ""));
  return out;
}

TEST_CASE("parallel cli: a joint review forks, each branch is driven from show --json, and the join moves on") {
  cli_session s(procedures{{"plan_review.yaml", k_plan_review}});
  const std::string id = s.start("zhang.wei", k_monday, "plan_review", {"summary=赔偿方案"});
  s.act("zhang.wei", "2026-12-07T09:10+08:00", id, "submit");

  nlohmann::json shown = s.show(id, "2026-12-07T09:11+08:00");
  CHECK(shown["step"] == "review");
  CHECK(branch_ids(shown) == std::vector<std::string>{"department", "legal"});
  CHECK(branch(shown, "department")["step"] == "dept_review");
  CHECK(branch(shown, "department")["roles"] == nlohmann::json::array({"dept_handler"}));
  CHECK(branch(shown, "legal")["ends_in"] == "reviewed");
  // Each branch's limit counts from the fork: by the close (18:00) of the first and the second
  // working day after Monday.
  const nlohmann::json& answer = branch(shown, "department")["deadlines"];
  REQUIRE(answer.size() == 1);
  CHECK(answer[0]["rule"] == "dept_review.answer@department");
  CHECK(answer[0]["due_utc"] == "2026-12-08T10:00:00Z");
  REQUIRE(branch(shown, "legal")["deadlines"].size() == 1);
  CHECK(branch(shown, "legal")["deadlines"][0]["rule"] == "legal_review.opinion@legal");
  CHECK(branch(shown, "legal")["deadlines"][0]["due_utc"] == "2026-12-09T10:00:00Z");
  // The main path keeps its own actions; a branch lists those of its step.
  CHECK(shown["actions"].size() == 1);
  CHECK(shown["actions"][0]["name"] == "withdraw");
  CHECK(branch(shown, "legal")["actions"].size() == 2);

  // `agree` is open in both branches: the command must name one.
  s.refused("liu.yang", "2026-12-07T10:00+08:00", {"do", id, "agree"},
            "caseflow: action 'agree' is open in several branches of case PR-001: department (in dept_review), "
            "legal (in legal_review); name one with --branch\n");
  s.refused("liu.yang", "2026-12-07T10:00+08:00", {"do", id, "agree", "--branch", "legl"},
            "caseflow: case PR-001 has no branch 'legl'; did you mean 'legal'? (open branches: department, legal)\n");
  // A blind script: take the first permitted action of each branch, as show --json lists it.
  const nlohmann::json as_handler = s.json_at("2026-12-07T10:00+08:00", {"--as", "liu.yang", "show", id});
  std::string dept_action;
  for (const auto& a : branch(as_handler, "department")["actions"])
    if (a["permitted"] == true && dept_action.empty()) dept_action = a["name"];
  REQUIRE(dept_action == "agree");
  const std::string out = s.must("liu.yang", "2026-12-07T10:00+08:00", {"do", id, dept_action, "--branch", "department"});
  CHECK(out == "PR-001 branch department: dept_review → reviewed (liu.yang as dept_handler)\n");

  shown = s.show(id, "2026-12-07T10:01+08:00");
  CHECK(branch_ids(shown) == std::vector<std::string>{"legal"});
  CHECK(shown["step"] == "review");
  // `opinion` is open only in the legal branch: no --branch needed.
  s.refused("zhou.min", "2026-12-07T11:00+08:00", {"do", id, "opinion"},
            "caseflow: action 'opinion' needs legal_opinion: give --set legal_opinion=…\n");
  s.act("zhou.min", "2026-12-07T11:00+08:00", id, "opinion", {"legal_opinion=同意，补充免责条款"});

  shown = s.show(id, "2026-12-07T11:01+08:00");
  CHECK(shown["step"] == "approval");
  CHECK(shown["branches"].empty());
  CHECK(shown["deadlines"].empty());
  CHECK(shown["fields"]["legal_opinion"] == "同意，补充免责条款");

  const nlohmann::json events = s.history(id);
  CHECK(positions(events) == std::vector<std::string>{
                                 "case_started", "action_taken", "branches_opened", "deadline_set@department",
                                 "deadline_set@legal", "action_taken@department", "branch_finished@department",
                                 "deadline_cleared", "action_taken@legal", "branch_finished@legal", "branches_joined",
                                 "deadline_cleared"});
  REQUIRE(events.size() == 12);
  CHECK(events[10]["to"] == "approval");
  CHECK(events[10]["data"]["finished"] == nlohmann::json::array({"department", "legal"}));

  s.act("wang.fang", "2026-12-07T14:00+08:00", id, "approve");
  const run_result verified = s.at("2026-12-07T15:00+08:00", {"verify"});
  INFO(verified.out, verified.err);
  CHECK(verified.exit_code == 0);
  // The stored state is the fold of the log, and replay shows each position as it was.
  CHECK(s.json_at("2026-12-07T15:00+08:00", {"replay"})["differing"] == 0);
  auto state_at = [&](int seq) {
    const nlohmann::json r = s.json_at("2026-12-07T15:00+08:00", {"replay", "--case", id, "--seq", std::to_string(seq)});
    REQUIRE(r["cases"].size() == 1);
    return r["cases"][0]["state"];
  };
  auto statuses = [](const nlohmann::json& state) {
    std::vector<std::string> out;
    for (const auto& b : state.value("branches", nlohmann::json::array()))
      out.push_back(b["id"].get<std::string>() + " " + b["step"].get<std::string>() + " " + b["status"].get<std::string>());
    return out;
  };
  CHECK(statuses(state_at(2)).empty());
  CHECK(statuses(state_at(3)) == std::vector<std::string>{"department dept_review open", "legal legal_review open"});
  CHECK(statuses(state_at(7)) == std::vector<std::string>{"department reviewed finished", "legal legal_review open"});
  const nlohmann::json joined = state_at(11);
  CHECK(joined["step"] == "approval");
  CHECK(statuses(joined) == std::vector<std::string>{"department reviewed finished", "legal reviewed finished"});
}

TEST_CASE("parallel cli: each branch's limit fires on its branch, and leaving the fork cancels the open branches") {
  cli_session s(procedures{{"plan_review.yaml", k_plan_review}});
  const std::string id = s.start("zhang.wei", k_monday, "plan_review", {"summary=维修方案"});
  s.act("zhang.wei", "2026-12-07T09:10+08:00", id, "submit");
  // Tuesday 18:30: the department's day is over, the legal advisor's two days are not.
  const nlohmann::json fired = s.tick("2026-12-08T18:30+08:00");
  CHECK(kinds(fired["events"]) ==
        strings{"timer_fired dept_review.answer@department", "notification_requested dept_review.answer@department"});
  REQUIRE(fired["events"].size() == 2);
  CHECK(fired["events"][0]["branch"] == "department");
  nlohmann::json shown = s.show(id, "2026-12-08T18:31+08:00");
  CHECK(deadline(branch(shown, "department")["deadlines"], "dept_review.answer@department")["breached"] == true);
  CHECK(deadline(branch(shown, "legal")["deadlines"], "legal_review.opinion@legal")["breached"] == false);

  s.act("zhang.wei", "2026-12-08T18:40+08:00", id, "withdraw", {}, "客户撤诉");
  shown = s.show(id, "2026-12-08T18:41+08:00");
  CHECK(shown["step"] == "withdrawn");
  CHECK(shown["branches"].empty());
  CHECK(shown["deadlines"].empty());
  const nlohmann::json events = s.history(id);
  REQUIRE(events.size() >= 5);
  std::vector<std::string> tail;
  for (std::size_t i = events.size() - 5; i < events.size(); ++i)
    tail.push_back(events[i]["kind"].get<std::string>() + "@" + events[i].value("branch", "") + " " +
                   events[i]["data"].value("reason", ""));
  CHECK(tail == std::vector<std::string>{"action_taken@ ", "branch_cancelled@department left",
                                         "branch_cancelled@legal left", "deadline_cleared@ step left or condition no "
                                                                        "longer holds",
                                         "deadline_cleared@ step left or condition no longer holds"});
  // Nothing is left to fire once the branches are gone.
  CHECK(s.tick("2026-12-10T09:00+08:00")["events"].empty());
  const run_result verified = s.at("2026-12-10T10:00+08:00", {"verify"});
  INFO(verified.out, verified.err);
  CHECK(verified.exit_code == 0);
}

}  // namespace
}  // namespace parallel_cli
}  // namespace caseflow::test
