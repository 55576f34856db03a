// lawyer_engagement (processes/lawyer_engagement.yaml, PROCEDURES.md §5, 000 外聘律师管理)
// through the real binary in virtual time: selection, contract and fees, finance review, the
// VP's authorisation, the monthly work report, the final evaluation.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

class lawyer_session : public cli_session {
 public:
  std::string open() const {
    return start("wang.fang", "2026-03-13T10:00+08:00", "lawyer_engagement",
                 {"legal_case=FL-2026-0001", "matter=一审代理"});
  }
  // Fees agreed, waiting for finance.
  std::string at_finance() const {
    const std::string id = open();
    act("wang.fang", "2026-03-13T16:00+08:00", id, "selected", {"lawyer=李明律师", "law_firm=上海明诚律师事务所"},
        "比选");
    act("wang.fang", "2026-03-16T10:00+08:00", id, "terms_agreed",
        {"fee=60000", "fee_terms=一审固定收费", "contract=HT-007"});
    return id;
  }
  // Authorised on Tue 2026-03-17 09:30: engaged.
  std::string engaged() const {
    const std::string id = at_finance();
    act("feng.tao", "2026-03-16T15:00+08:00", id, "fees_approved", {}, "符合标准");
    act("zhao.lei", "2026-03-17T09:30+08:00", id, "authorised", {}, "同意");
    return id;
  }
  std::string step_of(const std::string& id) const { return show(id, "2026-12-30T10:00+08:00")["step"]; }
};

TEST_CASE("lawyer_engagement: main path from selection to the final evaluation") {
  lawyer_session s;
  const std::string id = s.engaged();
  CHECK(id == "LS-2026-0001");
  s.act("zhang.wei", "2026-04-15T16:00+08:00", id, "monthly_report", {"reports=1"}, "3月汇报");
  s.act("wang.fang", "2026-04-16T10:00+08:00", id, "continue", {}, "进度正常");
  s.act("zhang.wei", "2026-05-20T16:00+08:00", id, "case_ended", {}, "调解结案");
  s.act("wang.fang", "2026-05-21T10:00+08:00", id, "evaluated", {"quality=good"}, "执业质量良好");
  CHECK(steps_taken(s.history(id)) == strings{"negotiation", "fee_review", "vp_authorisation", "engaged",
                                              "report_review", "engaged", "evaluation", "closed"});
  CHECK(s.show(id, "2026-05-21T10:01+08:00")["deadlines"] == nlohmann::json::array());
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("lawyer_engagement: the lawyer reports every month") {
  lawyer_session s;
  const std::string id = s.engaged();
  const nlohmann::json list = s.deadlines(id, "2026-03-17T09:31+08:00");
  CHECK(rules_of(list) == strings{"engaged.monthly_report", "engaged.monthly_report.reminder"});
  CHECK(deadline(list, "engaged.monthly_report")["due"] == "2026-04-17T09:30:00+08:00");
  // 90% of 31 days = 27 days 21h36m.
  CHECK(deadline(list, "engaged.monthly_report.reminder")["due"] == "2026-04-14T07:06:00+08:00");
  // A report restarts the month from the CS center's review.
  s.act("zhang.wei", "2026-04-15T16:00+08:00", id, "monthly_report", {"reports=1"}, "3月汇报");
  s.act("wang.fang", "2026-04-16T10:00+08:00", id, "continue", {}, "进度正常");
  CHECK(deadline(s.deadlines(id, "2026-04-16T10:01+08:00"), "engaged.monthly_report")["due"] ==
        "2026-05-16T10:00:00+08:00");
  s.tick("2026-05-16T09:59+08:00");
  const nlohmann::json fired = s.tick("2026-05-16T10:00+08:00");
  CHECK(kinds(fired["events"]) ==
        strings{"timer_fired engaged.monthly_report", "notification_requested engaged.monthly_report"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"cs_manager"});
}

TEST_CASE("lawyer_engagement: finance returns fees to negotiation") {
  lawyer_session s;
  const std::string id = s.at_finance();
  s.refused("wang.fang", "2026-03-16T15:00+08:00", {"do", id, "fees_approved", "--comment", "x"},
            "caseflow: wang.fang may not take action 'fees_approved' on case " + id +
                ": it needs the role finance; wang.fang holds roles cs_manager\n");
  s.act("feng.tao", "2026-03-16T15:00+08:00", id, "fees_returned", {}, "超出收费标准");
  CHECK(s.step_of(id) == "negotiation");
}

TEST_CASE("lawyer_engagement: the VP asks for another lawyer") {
  lawyer_session s;
  const std::string id = s.at_finance();
  s.act("feng.tao", "2026-03-16T15:00+08:00", id, "fees_approved", {}, "符合标准");
  s.act("zhao.lei", "2026-03-17T09:30+08:00", id, "other_lawyer", {}, "另选有房地产诉讼经验的律师");
  CHECK(s.step_of(id) == "selection");
}

}  // namespace
}  // namespace caseflow::test
