// legal_review (processes/legal_review.yaml, PROCEDURES.md §6) through the real binary in
// virtual time under cn-mainland: pre-registration, the drafting-standard check, the review
// and revision limits, the re-check loop, VP confirmation, and the per-department record of
// missed pre-registrations. Expected times are worked out by hand beside them.
#include <algorithm>
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

class review_session : public cli_session {
 public:
  // A document of `department` approved by its head at `approved_at`, waiting for the legal staff.
  // Drafted at 09:00 and finalised at 09:30 on 2 March 2026 (at `approved_at` when that is
  // earlier: time only moves forward within a case), approved at `approved_at`.
  std::string approved(const std::string& department, const std::string& approved_at,
                       const std::string& urgency = "general") const {
    const std::string id = start("liu.yang", std::min<std::string>(approved_at, "2026-03-02T09:00+08:00"),
                                 "legal_review", {"document=《物业服务委托合同》", "department=" + department});
    act("liu.yang", std::min<std::string>(approved_at, "2026-03-02T09:30+08:00"), id, "finalise",
        {"urgency=" + urgency, "pages=8"});
    act("chen.jing", approved_at, id, "approve");
    return id;
  }
  // Received (pre-registered or not) and found conforming at `now`: the case is in review.
  std::string in_review(const std::string& now, const std::string& urgency = "general", bool preregistered = true,
                        const std::string& department = "engineering") const {
    const std::string id = approved(department, std::min<std::string>(now, "2026-03-02T10:00+08:00"), urgency);
    act("zhou.min", now, id, "received", {std::string("preregistered=") + (preregistered ? "true" : "false")});
    act("zhou.min", now, id, "conforms", {"max_typos_per_page=2"});
    return id;
  }
  std::string step_of(const std::string& id) const { return show(id, "2026-12-30T10:00+08:00")["step"]; }
};

TEST_CASE("legal_review: main path from the handler's draft to the VP's confirmation") {
  review_session s;
  const std::string id = s.approved("sales", "2026-04-13T14:00+08:00");
  CHECK(id == "FW-2026-00001");
  s.act("zhou.min", "2026-04-14T09:10+08:00", id, "received", {"preregistered=true"});
  s.act("zhou.min", "2026-04-14T09:40+08:00", id, "conforms", {"max_typos_per_page=1"});
  s.act("zhou.min", "2026-04-15T16:00+08:00", id, "opinion_issued", {"opinion=补充违约责任条款"});
  s.act("liu.yang", "2026-04-15T17:00+08:00", id, "signed_for");
  s.act("liu.yang", "2026-04-16T15:00+08:00", id, "resubmit");
  s.act("zhou.min", "2026-04-17T10:00+08:00", id, "passed");
  s.act("zhao.lei", "2026-04-17T16:00+08:00", id, "confirmed", {}, "同意");
  const nlohmann::json shown = s.show(id, "2026-04-17T16:01+08:00");
  CHECK(shown["step"] == "closed");
  CHECK(shown["open"] == false);
  CHECK(shown["fields"]["preregistered"] == true);
  CHECK(shown["deadlines"] == nlohmann::json::array());
  CHECK(steps_taken(s.history(id)) == strings{"head_approval", "receipt", "standard_check", "review",
                                              "opinion_collection", "revision", "recheck", "vp_confirmation",
                                              "closed"});
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("legal_review: review answered within 2 working days") {
  review_session s;
  // Entered Thu 2026-09-24 10:00: Thu does not count; 09-25..09-27 Mid-Autumn; day 1 Mon 09-28, day 2 Tue 09-29, 18:00.
  const std::string id = s.in_review("2026-09-24T10:00+08:00");
  const nlohmann::json list = s.deadlines(id, "2026-09-24T10:01+08:00");
  CHECK(rules_of(list) == strings{"review.answer_general", "review.answer_general.reminder"});
  CHECK(deadline(list, "review.answer_general")["due"] == "2026-09-29T18:00:00+08:00");
  // 75% of 23 working hours (7 Thu + 8 Mon + 8 Tue) = 17h15m: Tue 11:15.
  CHECK(deadline(list, "review.answer_general.reminder")["due"] == "2026-09-29T11:15:00+08:00");

  CHECK(s.tick("2026-09-29T17:59+08:00")["fired"] == 1);  // the reminder only
  const nlohmann::json breach = s.tick("2026-09-29T18:00+08:00");
  CHECK(kinds(breach["events"]) ==
        strings{"timer_fired review.answer_general", "notification_requested review.answer_general"});
  CHECK(breach["events"][1]["data"]["to"] == nlohmann::json{"assignee", "dept_handler"});
  CHECK(breach["events"][1]["data"]["message"] ==
        "审核逾期：须告知送审人原因及预计完成时间 / review overdue: tell the sender why and when");
  CHECK(contains(s.at("2026-09-29T18:01+08:00", {"list", "--overdue"}).out, id + "  legal_review  review"));
}

TEST_CASE("legal_review: an urgent document is answered within 1 working day") {
  review_session s;
  // Entered Thu 2026-04-30 15:00: Thu does not count; 05-01..05-05 Labour Day; day 1 Wed 05-06, 18:00.
  const std::string id = s.in_review("2026-04-30T15:00+08:00", "urgent");
  const nlohmann::json list = s.deadlines(id, "2026-04-30T15:01+08:00");
  CHECK(rules_of(list) == strings{"review.answer_urgent", "review.answer_urgent.reminder"});
  CHECK(deadline(list, "review.answer_urgent")["due"] == "2026-05-06T18:00:00+08:00");
  CHECK(s.tick("2026-05-06T17:59+08:00")["events"][0]["data"]["rule"] == "review.answer_urgent.reminder");
  CHECK(s.tick("2026-05-06T18:00+08:00")["events"][0]["data"]["rule"] == "review.answer_urgent");
  // Answering in time clears the limit.
  const std::string on_time = s.in_review("2026-04-30T15:00+08:00", "urgent");
  s.act("zhou.min", "2026-05-06T11:00+08:00", on_time, "opinion_issued", {"opinion=同意"});
  CHECK(deadline(s.deadlines(on_time, "2026-05-06T11:01+08:00"), "review.answer_urgent") == nullptr);
}

TEST_CASE("legal_review: a missed pre-registration is recorded for the department head and lifts the review time") {
  review_session s;
  const std::string id = s.approved("marketing", "2026-03-03T10:00+08:00");
  s.refused("zhou.min", "2026-03-03T10:30+08:00", {"do", id, "received"},
            "caseflow: action 'received' needs preregistered: give --set preregistered=…\n");
  s.act("zhou.min", "2026-03-03T10:30+08:00", id, "received", {"preregistered=false"});
  const nlohmann::json fired = s.tick("2026-03-03T10:30+08:00");
  CHECK(kinds(fired["events"]) ==
        strings{"timer_fired missed_preregistration", "notification_requested missed_preregistration"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"dept_head"});
  CHECK(s.tick("2026-03-10T10:30+08:00")["fired"] == 0);  // once
  // The legal staff are not held to the review time.
  s.act("zhou.min", "2026-03-03T11:00+08:00", id, "conforms", {"max_typos_per_page=0"});
  CHECK(s.deadlines(id, "2026-03-03T11:01+08:00") == nlohmann::json::array());
}

TEST_CASE("legal_review: missed pre-registrations are counted per department") {
  review_session s;
  const std::map<std::string, strings> received{
      {"engineering", {"false", "true", "false"}}, {"sales", {"true"}}, {"design", {"false"}}};
  for (const auto& [department, flags] : received)
    for (const auto& flag : flags) {
      const std::string id = s.approved(department, "2026-03-03T10:00+08:00");
      s.act("zhou.min", "2026-03-04T09:00+08:00", id, "received", {"preregistered=" + flag});
    }
  // caseflow's own report counts them (README "Reports"): 5 submitted, 3 missed.
  const nlohmann::json report =
      s.json_at("2026-03-31T18:00+08:00", {"report", "legal-review-misses", "--month", "2026-03"});
  std::map<std::string, std::pair<int, int>> by_department;  // department -> (submitted, missed)
  for (const auto& row : report["tables"]["by_department"])
    by_department[row["department"]] = {row["submitted"].get<int>(), row["missed"].get<int>()};
  CHECK(by_department == std::map<std::string, std::pair<int, int>>{
                             {"all", {5, 3}}, {"design", {1, 1}}, {"engineering", {3, 2}}, {"sales", {1, 0}}});
  CHECK(report["headline"][1]["value"] == "3");
  CHECK(report["headline"][1]["detail"] == "60.0%");
}

TEST_CASE("legal_review: a document off the drafting standard is returned for rework") {
  review_session s;
  const std::string id = s.approved("finance", "2026-03-03T10:00+08:00");
  s.act("zhou.min", "2026-03-04T09:00+08:00", id, "received", {"preregistered=true"});
  s.refused("zhou.min", "2026-03-04T09:30+08:00", {"do", id, "conforms", "--set", "max_typos_per_page=4"},
            "caseflow: action 'conforms' is not allowed now: its condition `max_typos_per_page <= 3` is false "
            "(max_typos_per_page = 4)\n");
  CHECK(s.step_of(id) == "standard_check");
  s.refused("zhou.min", "2026-03-04T09:30+08:00", {"do", id, "nonconforming"},
            "caseflow: action 'nonconforming' needs a comment: give --comment \"…\"\n");
  s.act("zhou.min", "2026-03-04T09:30+08:00", id, "nonconforming", {"max_typos_per_page=4"},
        "缺少争议解决条款，错别字超标");
  CHECK(s.step_of(id) == "drafting");
  s.act("liu.yang", "2026-03-05T09:30+08:00", id, "finalise");
  s.act("chen.jing", "2026-03-05T10:00+08:00", id, "approve");
  CHECK(s.step_of(id) == "receipt");
}

TEST_CASE("legal_review: the department head sends a draft back before it goes to legal") {
  review_session s;
  const std::string id = s.start("liu.yang", "2026-03-02T09:00+08:00", "legal_review",
                                 {"document=《停车位租赁协议》", "department=property_management"});
  s.act("liu.yang", "2026-03-02T09:30+08:00", id, "finalise");
  s.refused("liu.yang", "2026-03-02T10:00+08:00", {"do", id, "approve"},  // only the head
            "caseflow: liu.yang may not take action 'approve' on case " + id +
                ": it needs the role dept_head; liu.yang holds roles dept_handler\n");
  s.act("chen.jing", "2026-03-02T10:00+08:00", id, "send_back", {}, "租金条款未定稿");
  CHECK(s.step_of(id) == "drafting");
}

TEST_CASE("legal_review: the legal staff convene the handlers when discussion is needed") {
  review_session s;
  const std::string id = s.in_review("2026-03-04T09:00+08:00");
  s.act("zhou.min", "2026-03-04T10:00+08:00", id, "discuss", {}, "涉及工程与财务两部门意见");
  CHECK(s.step_of(id) == "discussion");
  s.act("zhou.min", "2026-03-05T15:00+08:00", id, "agreed", {"opinion=按会议纪要修改付款节点"}, "已达成共识");
  CHECK(s.step_of(id) == "opinion_collection");
}

TEST_CASE("legal_review: revision sent back within 1 working day") {
  review_session s;
  // Signed for on Fri 2026-02-13 17:00: Fri does not count, day 1 the make-up Saturday 02-14, 18:00.
  const std::string id = s.in_review("2026-02-12T10:00+08:00");
  s.act("zhou.min", "2026-02-13T15:00+08:00", id, "opinion_issued", {"opinion=补充验收标准"});
  s.act("liu.yang", "2026-02-13T17:00+08:00", id, "signed_for");
  CHECK(deadline(s.deadlines(id, "2026-02-13T17:01+08:00"), "revision.revise")["due"] == "2026-02-14T18:00:00+08:00");
  CHECK(s.tick("2026-02-14T17:59+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-02-14T18:00+08:00");
  CHECK(kinds(fired["events"]) == strings{"timer_fired revision.revise", "notification_requested revision.revise"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"dept_head"});
}

TEST_CASE("legal_review: re-check loops until the revised text passes") {
  review_session s;
  const std::string id = s.in_review("2026-03-04T09:00+08:00");
  s.act("zhou.min", "2026-03-04T15:00+08:00", id, "opinion_issued", {"opinion=第3条价款含税口径不明"});
  s.act("liu.yang", "2026-03-04T16:00+08:00", id, "signed_for");
  s.act("liu.yang", "2026-03-05T11:00+08:00", id, "resubmit");
  s.act("zhou.min", "2026-03-05T15:00+08:00", id, "not_passed", {"opinion=含税口径仍不一致"}, "复验不通过");
  CHECK(s.step_of(id) == "opinion_collection");
  s.act("liu.yang", "2026-03-05T16:00+08:00", id, "signed_for");
  s.act("liu.yang", "2026-03-06T10:00+08:00", id, "resubmit");
  s.act("zhou.min", "2026-03-06T14:00+08:00", id, "passed");
  CHECK(s.step_of(id) == "vp_confirmation");
}

TEST_CASE("legal_review: the VP returns the final text for revision") {
  review_session s;
  const std::string id = s.in_review("2026-03-04T09:00+08:00");
  s.act("zhou.min", "2026-03-04T15:00+08:00", id, "passed");
  s.refused("zhou.min", "2026-03-04T16:00+08:00", {"do", id, "confirmed", "--comment", "ok"},
            "caseflow: zhou.min may not take action 'confirmed' on case " + id +
                ": it needs the role vp; zhou.min holds roles legal_advisor\n");
  s.act("zhao.lei", "2026-03-05T10:00+08:00", id, "returned", {}, "付款比例调整后再报");
  CHECK(s.step_of(id) == "revision");
  s.act("liu.yang", "2026-03-05T16:00+08:00", id, "resubmit");
  s.act("zhou.min", "2026-03-06T10:00+08:00", id, "passed");
  s.act("zhao.lei", "2026-03-06T16:00+08:00", id, "confirmed", {}, "同意");
  CHECK(s.step_of(id) == "closed");
}

}  // namespace
}  // namespace caseflow::test
