// complaint_8d (processes/complaint_8d.yaml, PROCEDURES.md §8, 002) through the real binary in
// virtual time under cn-mainland: report numbers, the urgent and non-urgent reply limits
// (counted from receiving the complaint), the QE's review loop and the effectiveness check.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

class eight_d_session : public cli_session {
 public:
  std::string open(const std::string& now, const std::string& urgency) const {
    return start(
        "bai.xue", now, "complaint_8d",
        {"customer=华东汽配有限公司", "product=JX-12连接器", "defect=端子弯针", "channel=email", "urgency=" + urgency});
  }
  std::string step_of(const std::string& id) const { return show(id, "2026-12-30T10:00+08:00")["step"]; }
};

// Tue 2026-03-31 08:40.
const std::string k_urgent_at = "2026-03-31T08:40+08:00";

TEST_CASE("complaint_8d: report numbers are 8D, the date and a serial of the day") {
  eight_d_session s;
  CHECK(s.open(k_urgent_at, "urgent") == "8D20260331001");
  CHECK(s.open("2026-03-31T15:00+08:00", "normal") == "8D20260331002");
  CHECK(s.open("2026-04-01T09:00+08:00", "normal") == "8D20260401001");
}

TEST_CASE("complaint_8d: urgent main path from containment to the effectiveness check") {
  eight_d_session s;
  const std::string id = s.open(k_urgent_at, "urgent");
  s.act("bai.xue", "2026-03-31T08:50+08:00", id, "urgent", {}, "批量性不良");
  s.act("shi.lei", "2026-03-31T10:45+08:00", id, "contained", {"containment=在库全检隔离"}, "会议确定");
  s.act("yu.hai", "2026-03-31T13:30+08:00", id, "analysed",
        {"root_cause=治具磨损", "responsibility=internal", "corrective_action=更换治具"});
  s.act("shi.lei", "2026-03-31T14:00+08:00", id, "accepted");
  s.act("shi.lei", "2026-03-31T15:30+08:00", id, "sent", {"written_reply=8D报告"});
  s.act("shi.lei", "2026-04-14T10:00+08:00", id, "effective", {}, "纳入标准化");
  CHECK(steps_taken(s.history(id)) ==
        strings{"containment", "root_cause", "qe_review", "written_reply", "effectiveness", "closed"});
  CHECK(s.tick("2026-04-15T10:00+08:00")["fired"] == 0);
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("complaint_8d: urgent containment within 4 hours") {
  eight_d_session s;
  const std::string id = s.open(k_urgent_at, "urgent");
  const nlohmann::json list = s.deadlines(id, "2026-03-31T08:41+08:00");
  CHECK(rules_of(list) == strings{"urgent_containment_4h", "urgent_written_reply_24h"});
  CHECK(deadline(list, "urgent_containment_4h")["due"] == "2026-03-31T12:40:00+08:00");
  CHECK(s.tick("2026-03-31T12:39+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-03-31T12:40+08:00");
  CHECK(kinds(fired["events"]) ==
        strings{"timer_fired urgent_containment_4h", "notification_requested urgent_containment_4h"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"qa_manager", "production_manager"});
  // Contained in time: cleared.
  const std::string contained = s.open(k_urgent_at, "urgent");
  s.act("bai.xue", "2026-03-31T08:50+08:00", contained, "urgent", {}, "转QE");
  s.act("shi.lei", "2026-03-31T11:00+08:00", contained, "contained", {"containment=隔离"}, "会议");
  CHECK(deadline(s.deadlines(contained, "2026-03-31T11:01+08:00"), "urgent_containment_4h") == nullptr);
}

TEST_CASE("complaint_8d: urgent written reply within 24 hours") {
  eight_d_session s;
  const std::string id = s.open(k_urgent_at, "urgent");
  CHECK(deadline(s.deadlines(id, "2026-03-31T08:41+08:00"), "urgent_written_reply_24h")["due"] ==
        "2026-04-01T08:40:00+08:00");
  s.tick("2026-04-01T08:39+08:00");
  const nlohmann::json fired = s.tick("2026-04-01T08:40+08:00");
  CHECK(kinds(fired["events"]) ==
        strings{"timer_fired urgent_written_reply_24h", "notification_requested urgent_written_reply_24h"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"qa_manager", "general_manager"});
}

TEST_CASE("complaint_8d: urgent written reply within the customer's shorter deadline") {
  eight_d_session s;
  const std::string id = s.open(k_urgent_at, "urgent");
  s.act("bai.xue", "2026-03-31T08:50+08:00", id, "urgent", {"customer_deadline=8h"}, "客户要求8小时内回复");
  // The customer's 8 hours replace the 24 hours, still counted from receipt.
  const nlohmann::json list = s.deadlines(id, "2026-03-31T08:51+08:00");
  CHECK(rules_of(list) == strings{"urgent_containment_4h", "urgent_written_reply_customer_8h"});
  CHECK(deadline(list, "urgent_written_reply_customer_8h")["due"] == "2026-03-31T16:40:00+08:00");
  s.tick("2026-03-31T16:39+08:00");
  const nlohmann::json fired = s.tick("2026-03-31T16:40+08:00");
  CHECK(kinds(fired["events"]) == strings{"timer_fired urgent_written_reply_customer_8h",
                                          "notification_requested urgent_written_reply_customer_8h"});
  CHECK(s.tick("2026-04-01T08:40+08:00")["fired"] == 0);  // no 24-hour rule left
}

TEST_CASE("complaint_8d: non-urgent first reply within 1 working day") {
  eight_d_session s;
  // Wed 2026-09-30 10:00: Wed does not count; 10-01..10-07 National Day; day 1 Thu 10-08, 18:00.
  const std::string id = s.open("2026-09-30T10:00+08:00", "normal");
  const nlohmann::json list = s.deadlines(id, "2026-09-30T10:01+08:00");
  CHECK(rules_of(list) == strings{"normal_first_reply_1_working_day", "normal_written_reply_3_working_days"});
  CHECK(deadline(list, "normal_first_reply_1_working_day")["due"] == "2026-10-08T18:00:00+08:00");
  CHECK(s.tick("2026-10-08T17:59+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-10-08T18:00+08:00");
  CHECK(kinds(fired["events"]) == strings{"timer_fired normal_first_reply_1_working_day",
                                          "notification_requested normal_first_reply_1_working_day"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"qa_manager"});
  // Replied in time: cleared.
  const std::string replied = s.open("2026-09-30T10:00+08:00", "normal");
  s.act("bai.xue", "2026-09-30T10:10+08:00", replied, "normal", {}, "转QE");
  s.act("shi.lei", "2026-09-30T16:00+08:00", replied, "replied", {"first_reply=已确认不良，3个工作日内书面回复"});
  CHECK(rules_of(s.deadlines(replied, "2026-09-30T16:01+08:00")) == strings{"normal_written_reply_3_working_days"});
}

TEST_CASE("complaint_8d: non-urgent written reply within 3 working days") {
  eight_d_session s;
  // Day 1 Thu 10-08, day 2 Fri 10-09, day 3 the make-up Saturday 10-10, 18:00.
  const std::string id = s.open("2026-09-30T10:00+08:00", "normal");
  CHECK(deadline(s.deadlines(id, "2026-09-30T10:01+08:00"), "normal_written_reply_3_working_days")["due"] ==
        "2026-10-10T18:00:00+08:00");
  s.tick("2026-10-10T17:59+08:00");
  const nlohmann::json fired = s.tick("2026-10-10T18:00+08:00");
  CHECK(kinds(fired["events"]) == strings{"timer_fired normal_written_reply_3_working_days",
                                          "notification_requested normal_written_reply_3_working_days"});
}

TEST_CASE("complaint_8d: non-urgent path takes the first reply, not containment") {
  eight_d_session s;
  const std::string id = s.open("2026-09-30T10:00+08:00", "normal");
  s.refused("bai.xue", "2026-09-30T10:10+08:00", {"do", id, "urgent", "--comment", "x"},
            "caseflow: action 'urgent' is not allowed now: its condition `urgency == \"urgent\"` is false (urgency = "
            "\"normal\")\n");
  s.act("bai.xue", "2026-09-30T10:10+08:00", id, "normal", {}, "转QE");
  CHECK(s.step_of(id) == "first_reply");
}

TEST_CASE("complaint_8d: the QE sends an analysis that falls short back to the department") {
  eight_d_session s;
  const std::string id = s.open("2026-09-30T10:00+08:00", "normal");
  s.act("bai.xue", "2026-09-30T10:10+08:00", id, "normal", {}, "转QE");
  s.act("shi.lei", "2026-09-30T16:00+08:00", id, "replied", {"first_reply=已收到"});
  s.refused("yu.hai", "2026-10-08T10:00+08:00", {"do", id, "analysed", "--set", "root_cause=操作失误"},
            "caseflow: action 'analysed' needs responsibility, corrective_action: give --set responsibility=… --set "
            "corrective_action=…\n");
  s.act("yu.hai", "2026-10-08T10:00+08:00", id, "analysed",
        {"root_cause=操作失误", "responsibility=internal", "corrective_action=培训"});
  s.act("shi.lei", "2026-10-08T14:00+08:00", id, "reanalyse", {}, "未找到真因");
  CHECK(s.step_of(id) == "root_cause");
}

TEST_CASE("complaint_8d: measures that are not effective go back to the root cause") {
  eight_d_session s;
  const std::string id = s.open(k_urgent_at, "urgent");
  s.act("bai.xue", "2026-03-31T08:50+08:00", id, "urgent", {}, "转QE");
  s.act("shi.lei", "2026-03-31T10:45+08:00", id, "contained", {"containment=隔离"}, "会议");
  s.act("yu.hai", "2026-03-31T13:30+08:00", id, "analysed",
        {"root_cause=来料不良", "responsibility=supplier", "corrective_action=SQE组织供应商改善"});
  s.act("shi.lei", "2026-03-31T14:00+08:00", id, "accepted");
  s.act("shi.lei", "2026-03-31T15:30+08:00", id, "sent", {"written_reply=8D报告"});
  s.act("shi.lei", "2026-04-14T10:00+08:00", id, "not_effective", {}, "仍有弯针");
  CHECK(s.step_of(id) == "root_cause");
}

}  // namespace
}  // namespace caseflow::test
