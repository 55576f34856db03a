// property_complaint (processes/property_complaint.yaml, PROCEDURES.md §8, 002) through the
// real binary in virtual time. Its calendar, property-service, works every day and closes the
// departments' reporting day at 17:00; the other limits are plain hours.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

class property_session : public cli_session {
 public:
  std::string open(const std::string& now) const {
    return start("jiang.tao", now, "property_complaint",
                 {"owner=赵女士", "unit=5栋2单元1801", "channel=phone", "complaint=电梯困人"});
  }
  std::string dispatched(const std::string& opened, const std::string& dispatched_at) const {
    const std::string id = open(opened);
    act("jiang.tao", dispatched_at, id, "dispatch", {"department=engineering"});
    return id;
  }
  std::string step_of(const std::string& id) const { return show(id, "2026-12-30T10:00+08:00")["step"]; }
};

// Mon 2026-05-18.
const std::string k_opened = "2026-05-18T09:12+08:00";
const std::string k_dispatched = "2026-05-18T09:15+08:00";

TEST_CASE("property_complaint: main path from the first report to the same-day return visit") {
  property_session s;
  const std::string id = s.dispatched(k_opened, k_dispatched);
  CHECK(id == "WY-20260518-001");
  s.act("xie.jun", "2026-05-18T16:30+08:00", id, "report_progress", {"progress=配件明早到货"}, "已告知业户");
  s.act("xie.jun", "2026-05-19T08:40+08:00", id, "done", {"result=更换门机控制板"});
  s.act("pan.yue", "2026-05-19T09:00+08:00", id, "checked");
  s.act("jiang.tao", "2026-05-19T15:00+08:00", id, "satisfied", {}, "业户满意");
  CHECK(steps_taken(s.history(id)) == strings{"handling", "in_progress", "head_check", "return_visit", "closed"});
  CHECK(s.show(id, "2026-05-19T15:01+08:00")["deadlines"] == nlohmann::json::array());
  CHECK(s.cf({"verify"}).exit_code == 0);
  // A second complaint the same day takes the next serial of the day; the next day starts again.
  CHECK(s.open("2026-05-18T20:00+08:00") == "WY-20260518-002");
  CHECK(s.open("2026-05-19T08:00+08:00") == "WY-20260519-001");
}

TEST_CASE("property_complaint: dispatch within 5 minutes of the first report") {
  property_session s;
  const std::string id = s.open(k_opened);
  const nlohmann::json list = s.deadlines(id, "2026-05-18T09:13+08:00");
  // The daily progress reply is owed only once a department has the complaint (handling).
  CHECK(rules_of(list) == strings{"reception.dispatch", "escalate_to_supervisor"});
  CHECK(deadline(list, "reception.dispatch")["due"] == "2026-05-18T09:17:00+08:00");
  CHECK(s.tick("2026-05-18T09:16+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-05-18T09:17+08:00");
  CHECK(kinds(fired["events"]) ==
        strings{"timer_fired reception.dispatch", "notification_requested reception.dispatch"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"property_supervisor"});
  // Dispatched in time: nothing fires.
  const std::string on_time = s.dispatched(k_opened, k_dispatched);
  CHECK(deadline(s.deadlines(on_time, "2026-05-18T09:16+08:00"), "reception.dispatch") == nullptr);
}

TEST_CASE("property_complaint: handled within 12 hours of dispatch") {
  property_session s;
  const std::string id = s.dispatched(k_opened, k_dispatched);
  const nlohmann::json list = s.deadlines(id, "2026-05-18T09:16+08:00");
  CHECK(deadline(list, "handling.done_within_12_hours")["due"] == "2026-05-18T21:15:00+08:00");
  CHECK(s.tick("2026-05-18T21:14+08:00")["events"].size() == 3);  // only the 17:00 daily progress call
  const nlohmann::json fired = s.tick("2026-05-18T21:15+08:00");
  CHECK(kinds(fired["events"]) ==
        strings{"timer_fired handling.done_within_12_hours", "notification_requested handling.done_within_12_hours"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"property_front_desk"});
}

TEST_CASE("property_complaint: progress reported within 24 hours when not done in 12") {
  property_session s;
  const std::string late = s.dispatched(k_opened, k_dispatched);
  CHECK(deadline(s.deadlines(late, "2026-05-18T09:16+08:00"), "handling.progress_within_24_hours")["due"] ==
        "2026-05-19T09:15:00+08:00");
  const std::string reported = s.dispatched(k_opened, k_dispatched);
  s.act("xie.jun", "2026-05-18T22:00+08:00", reported, "report_progress", {"progress=待配件"}, "已告知业户");
  CHECK(deadline(s.deadlines(reported, "2026-05-18T22:01+08:00"), "handling.progress_within_24_hours") == nullptr);
  s.tick("2026-05-19T09:14+08:00");
  const nlohmann::json fired = s.tick("2026-05-19T09:15+08:00");
  CHECK(kinds(fired["events"]) == strings{"timer_fired handling.progress_within_24_hours",
                                          "notification_requested handling.progress_within_24_hours"});
  CHECK(fired["events"][0]["case"] == late);
}

TEST_CASE("property_complaint: escalate to the supervisor at 24 hours") {
  property_session s;
  const std::string id = s.dispatched(k_opened, k_dispatched);
  s.act("xie.jun", "2026-05-18T16:30+08:00", id, "report_progress", {"progress=待配件"}, "已告知业户");
  CHECK(deadline(s.deadlines(id, "2026-05-18T16:31+08:00"), "escalate_to_supervisor")["due"] ==
        "2026-05-19T09:12:00+08:00");
  s.tick("2026-05-19T09:11+08:00");
  const nlohmann::json fired = s.tick("2026-05-19T09:12+08:00");
  CHECK(kinds(fired["events"]) == strings{"timer_fired escalate_to_supervisor", "fields_changed",
                                          "notification_requested escalate_to_supervisor"});
  CHECK(fired["events"][1]["data"]["fields"] == nlohmann::json{{"escalated", true}});
  CHECK(fired["events"][2]["data"]["to"] == nlohmann::json{"property_supervisor", "property_dept_head"});
  CHECK(s.show(id, "2026-05-19T09:13+08:00")["fields"]["escalated"] == true);
  // Handled within the 24 hours: no escalation.
  const std::string done = s.dispatched(k_opened, k_dispatched);
  s.act("xie.jun", "2026-05-18T11:00+08:00", done, "done", {"result=已修复"});
  CHECK(deadline(s.deadlines(done, "2026-05-18T11:01+08:00"), "escalate_to_supervisor") == nullptr);
}

TEST_CASE("property_complaint: departments report progress every day before 17:00") {
  property_session s;
  const std::string id = s.dispatched(k_opened, k_dispatched);
  // An obligation of the handling step from dispatch (Mon 09:15): first due Mon 17:00.
  const nlohmann::json owed = deadline(s.deadlines(id, "2026-05-18T09:16+08:00"), "handling.daily_progress");
  CHECK(owed["due"] == "2026-05-18T17:00:00+08:00");
  CHECK(owed["kind"] == "obligation");
  CHECK(s.tick("2026-05-18T16:59+08:00")["fired"] == 0);
  // No reply on Monday: breached at 17:00, Tuesday's reply is owed.
  const nlohmann::json day1 = s.tick("2026-05-18T17:00+08:00");
  CHECK(kinds(day1["events"]) == strings{"timer_fired handling.daily_progress",
                                         "notification_requested handling.daily_progress",
                                         "deadline_set handling.daily_progress"});
  CHECK(day1["events"][1]["data"]["to"] == nlohmann::json{"property_handler", "property_front_desk"});
  CHECK(day1["events"][2]["data"]["due"] == "2026-05-19T09:00:00Z");  // 17:00 on Tuesday
  // Tuesday 10:00 the department replies: Tuesday's occurrence is met, and the case moves on to
  // in_progress, whose own daily reply is first due Tuesday 17:00.
  const std::size_t before = s.history(id).size();
  s.act("xie.jun", "2026-05-19T10:00+08:00", id, "report_progress", {"progress=待配件"}, "已告知业户");
  nlohmann::json replied = nlohmann::json::array();
  for (const auto& e : s.history(id))
    if (e["seq"].get<std::size_t>() > before) replied.push_back(e);
  CHECK(kinds(replied) == strings{"action_taken", "deadline_cleared handling.done_within_12_hours",
                                  "deadline_cleared handling.progress_within_24_hours",
                                  "deadline_cleared handling.daily_progress", "deadline_set in_progress.daily_progress"});
  CHECK(replied[3]["data"]["reason"] == "met");
  CHECK(replied[3]["data"]["met_at"] == "2026-05-19T02:00:00Z");
  CHECK(deadline(s.deadlines(id, "2026-05-19T10:01+08:00"), "in_progress.daily_progress")["due"] ==
        "2026-05-19T17:00:00+08:00");
  // Two replies on Tuesday still meet only Tuesday: Wednesday's is owed from Tuesday 17:00.
  s.act("xie.jun", "2026-05-19T11:00+08:00", id, "report_progress", {"progress=配件已到"}, "明早安装");
  s.act("xie.jun", "2026-05-19T12:00+08:00", id, "report_progress", {"progress=已约业户"}, "明早九点");
  CHECK(deadline(s.deadlines(id, "2026-05-19T12:01+08:00"), "in_progress.daily_progress")["due"] ==
        "2026-05-20T17:00:00+08:00");
  // A complaint dispatched after 17:00 is first due at 17:00 the next day.
  const std::string evening = s.dispatched("2026-05-18T19:30+08:00", "2026-05-18T19:32+08:00");
  CHECK(deadline(s.deadlines(evening, "2026-05-18T19:33+08:00"), "handling.daily_progress")["due"] ==
        "2026-05-19T17:00:00+08:00");
  // Once handled the duty ends; the audit lists each day's outcome.
  s.act("xie.jun", "2026-05-20T10:00+08:00", id, "done", {"result=已修复"});
  CHECK(deadline(s.deadlines(id, "2026-05-20T10:01+08:00"), "in_progress.daily_progress") == nullptr);
  const nlohmann::json audit = s.json_at("2026-05-20T10:02+08:00", {"audit", id});
  std::vector<std::string> days;
  for (const auto& v : audit["visits"])
    for (const auto& o : v["obligations"]) days.push_back(o["due"].get<std::string>() + " " + o["outcome"].get<std::string>());
  CHECK(days == strings{"2026-05-18T09:00:00Z breached", "2026-05-19T09:00:00Z met", "2026-05-19T09:00:00Z met"});
}

TEST_CASE("property_complaint: same-day return visit after the department head's check") {
  property_session s;
  const std::string id = s.dispatched(k_opened, k_dispatched);
  s.act("xie.jun", "2026-05-18T11:00+08:00", id, "done", {"result=已修复"});
  s.refused("xie.jun", "2026-05-18T11:10+08:00", {"do", id, "checked"},  // the head checks
            "caseflow: xie.jun may not take action 'checked' on case " + id +
                ": it needs the role property_dept_head; xie.jun holds roles property_handler\n");
  s.act("pan.yue", "2026-05-18T11:20+08:00", id, "checked");
  CHECK(deadline(s.deadlines(id, "2026-05-18T11:21+08:00"), "return_visit.same_day_return_visit")["due"] ==
        "2026-05-19T00:00:00+08:00");
  CHECK(s.tick("2026-05-18T23:59+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-05-19T00:00+08:00");
  CHECK(kinds(fired["events"]) == strings{"timer_fired return_visit.same_day_return_visit",
                                          "notification_requested return_visit.same_day_return_visit"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"property_supervisor"});
}

TEST_CASE("property_complaint: an unsatisfied owner or the department head sends it back to handling") {
  property_session s;
  const std::string id = s.dispatched(k_opened, k_dispatched);
  s.act("xie.jun", "2026-05-18T11:00+08:00", id, "done", {"result=已修复"});
  s.act("pan.yue", "2026-05-18T11:20+08:00", id, "redo", {}, "未彻底修复");
  CHECK(s.step_of(id) == "handling");
  s.act("xie.jun", "2026-05-18T14:00+08:00", id, "done", {"result=更换控制板"});
  s.act("pan.yue", "2026-05-18T14:20+08:00", id, "checked");
  s.act("jiang.tao", "2026-05-18T16:00+08:00", id, "not_satisfied", {}, "业户反映仍有异响");
  CHECK(s.step_of(id) == "handling");
}

}  // namespace
}  // namespace caseflow::test
