// move_in (processes/move_in.yaml, PROCEDURES.md §4) through the real binary in virtual time
// under cn-mainland: the milestones counted back from the move-in date (Sat 2026-06-27), the
// daily debrief of each handover day, repairs tracked until none is open, the feedback report.
// A milestone counted from a date field is due at the end (24:00) of its day.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

class move_in_session : public cli_session {
 public:
  std::string open() const {
    return start("wang.fang", "2026-05-06T10:00+08:00", "move_in",
                 {"project=翠湖天地三期", "move_in_date=2026-06-27", "households=320"});
  }
  // Opened and prepared up to the ready site, every milestone met in time.
  std::string ready() const {
    const std::string id = open();
    act("wang.fang", "2026-05-08T15:00+08:00", id, "form_team",
        {"team_formed_on=2026-05-08", "plan=入住工作计划安排表"}, "成立");
    act("zheng.hui", "2026-05-11T11:00+08:00", id, "lists_ready", {"households_ready=312", "households_owing=46"});
    act("tang.ming", "2026-05-12T17:00+08:00", id, "inspected", {"mock_inspection_on=2026-05-12", "defects_found=87"},
        "87项");
    act("zhu.hong", "2026-06-10T16:00+08:00", id, "repaired", {"defects_repaired_on=2026-06-10"}, "返修完毕");
    act("zheng.hui", "2026-06-12T10:00+08:00", id, "notices_sent", {"notices_sent_on=2026-06-12"});
    act("tang.ming", "2026-06-26T16:00+08:00", id, "site_ready", {}, "现场布置完毕");
    return id;
  }
  std::string step_of(const std::string& id) const { return show(id, "2026-12-30T10:00+08:00")["step"]; }
};

TEST_CASE("move_in: main path from the preparation team to the VP's acceptance of the feedback report") {
  move_in_session s;
  const std::string id = s.ready();
  CHECK(id == "RZ-2026-0001");
  CHECK(s.deadlines(id, "2026-06-26T16:01+08:00") == nlohmann::json::array());  // every milestone met
  s.act("wang.fang", "2026-06-27T08:30+08:00", id, "open_day");
  s.act("wang.fang", "2026-06-27T18:30+08:00", id, "debrief", {"households_moved_in=146", "repairs_raised=23"}, "快报");
  s.act("wang.fang", "2026-06-27T18:40+08:00", id, "handover_ended");
  s.act("zhang.wei", "2026-07-10T17:00+08:00", id, "all_repaired", {"repairs_completed=23"});
  s.act("zhang.wei", "2026-07-15T10:00+08:00", id, "report", {"feedback_report=交付满意度较高"});
  s.act("zhao.lei", "2026-07-16T09:30+08:00", id, "accepted", {}, "同意");
  CHECK(steps_taken(s.history(id)) == strings{"customer_lists", "mock_inspection", "defect_repair", "notices",
                                              "site_preparation", "handover_ready", "on_site_day", "handover_ready",
                                              "repairs_follow_up", "feedback", "vp_review", "closed"});
  const nlohmann::json shown = s.show(id, "2026-07-16T09:31+08:00");
  CHECK(shown["open"] == false);
  CHECK(shown["fields"]["households_moved_in"] == 146);
  CHECK(s.tick("2027-01-01T00:00+08:00")["fired"] == 0);
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("move_in: milestones are counted back from the move-in date") {
  move_in_session s;
  const std::string id = s.open();
  const nlohmann::json list = s.deadlines(id, "2026-05-06T10:01+08:00");
  CHECK(rules_of(list) == strings{"preparation_team", "mock_inspection", "defects_repaired", "notices_sent"});
  // 06-27 - 1 month = 05-27, - half a month (15 days) = 05-12; end of that day.
  CHECK(deadline(list, "preparation_team")["due"] == "2026-05-13T00:00:00+08:00");
  // 06-27 - 45 days = 05-13.
  CHECK(deadline(list, "mock_inspection")["due"] == "2026-05-14T00:00:00+08:00");
  // Before the move-in day: the end of 06-26.
  CHECK(deadline(list, "defects_repaired")["due"] == "2026-06-27T00:00:00+08:00");
  CHECK(deadline(list, "notices_sent")["due"] == "2026-06-27T00:00:00+08:00");
}

TEST_CASE("move_in: preparation team formed 1.5 months before move-in") {
  move_in_session s;
  const std::string late = s.open();
  CHECK(s.tick("2026-05-12T23:59+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-05-13T00:00+08:00");
  CHECK(kinds(fired["events"]) == strings{"timer_fired preparation_team", "notification_requested preparation_team"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"cs_manager", "vp"});

  const std::string on_time = s.open();
  s.refused("wang.fang", "2026-05-08T15:00+08:00",
            {"do", on_time, "form_team", "--set", "plan=计划", "--comment", "c"},
            "caseflow: action 'form_team' needs team_formed_on: give --set team_formed_on=…\n");
  s.act("wang.fang", "2026-05-08T15:00+08:00", on_time, "form_team", {"team_formed_on=2026-05-08", "plan=计划"},
        "成立");
  CHECK(deadline(s.deadlines(on_time, "2026-05-08T15:01+08:00"), "preparation_team") == nullptr);
  // Formed in time: nothing more fires at the milestone (the late case fired already).
  CHECK(s.tick("2026-05-13T00:00+08:00")["fired"] == 0);
  CHECK(deadline(s.deadlines(late, "2026-05-13T00:01+08:00"), "preparation_team") == nullptr);
}

TEST_CASE("move_in: mock inspection 45 days before move-in") {
  move_in_session s;
  const std::string id = s.open();
  s.act("wang.fang", "2026-05-08T15:00+08:00", id, "form_team", {"team_formed_on=2026-05-08", "plan=计划"}, "成立");
  s.act("zheng.hui", "2026-05-11T11:00+08:00", id, "lists_ready", {"households_ready=312", "households_owing=46"});
  CHECK(s.tick("2026-05-13T23:59+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-05-14T00:00+08:00");
  CHECK(kinds(fired["events"]) == strings{"timer_fired mock_inspection", "notification_requested mock_inspection"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"property_manager", "cs_manager"});
  // Done late, it still moves on and the milestone is not raised again.
  s.act("tang.ming", "2026-05-15T17:00+08:00", id, "inspected", {"mock_inspection_on=2026-05-15", "defects_found=12"},
        "晚2天");
  CHECK(s.step_of(id) == "defect_repair");
  CHECK(deadline(s.deadlines(id, "2026-05-15T17:01+08:00"), "mock_inspection") == nullptr);
}

TEST_CASE("move_in: inspection defects repaired and notices sent before the move-in day") {
  move_in_session s;
  const std::string id = s.open();
  s.act("wang.fang", "2026-05-08T15:00+08:00", id, "form_team", {"team_formed_on=2026-05-08", "plan=计划"}, "成立");
  s.act("zheng.hui", "2026-05-11T11:00+08:00", id, "lists_ready", {"households_ready=312", "households_owing=46"});
  s.act("tang.ming", "2026-05-12T17:00+08:00", id, "inspected", {"mock_inspection_on=2026-05-12", "defects_found=87"},
        "87项");
  CHECK(s.tick("2026-06-26T23:59+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-06-27T00:00+08:00");
  CHECK(fired["fired"] == 2);
  CHECK(kinds(fired["events"]) == strings{"timer_fired defects_repaired", "notification_requested defects_repaired",
                                          "timer_fired notices_sent", "notification_requested notices_sent"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"project_manager", "cs_manager"});
  CHECK(fired["events"][3]["data"]["to"] == nlohmann::json{"marketing", "cs_manager"});
}

TEST_CASE("move_in: customer lists cannot count more households than the batch") {
  move_in_session s;
  const std::string id = s.open();
  s.act("wang.fang", "2026-05-08T15:00+08:00", id, "form_team", {"team_formed_on=2026-05-08", "plan=计划"}, "成立");
  s.refused("feng.tao", "2026-05-11T11:00+08:00",
            {"do", id, "lists_ready", "--set", "households_ready=321", "--set", "households_owing=46"},
            "caseflow: action 'lists_ready' is not allowed now: its condition `households_ready <= households and "
            "households_owing <= households` is false (households_ready = 321, households = 320, households_owing = "
            "46)\n");
  s.act("feng.tao", "2026-05-11T11:00+08:00", id, "lists_ready", {"households_ready=320", "households_owing=46"});
  CHECK(s.step_of(id) == "mock_inspection");
}

TEST_CASE("move_in: daily debrief and flash report the same day of each handover day") {
  move_in_session s;
  const std::string id = s.ready();
  s.act("wang.fang", "2026-06-27T08:30+08:00", id, "open_day");
  CHECK(deadline(s.deadlines(id, "2026-06-27T08:31+08:00"), "on_site_day.daily_debrief")["due"] ==
        "2026-06-28T00:00:00+08:00");
  // A debrief needs the day's figures and the flash report.
  s.refused("wang.fang", "2026-06-27T18:30+08:00",
            {"do", id, "debrief", "--set", "households_moved_in=146", "--set", "repairs_raised=23"},
            "caseflow: action 'debrief' needs a comment: give --comment \"…\"\n");
  s.act("wang.fang", "2026-06-27T18:30+08:00", id, "debrief", {"households_moved_in=146", "repairs_raised=23"}, "快报");
  CHECK(s.deadlines(id, "2026-06-27T18:31+08:00") == nlohmann::json::array());
  // The second day has no debrief: breached at midnight, the manager and the VP are told.
  s.act("wang.fang", "2026-06-28T08:30+08:00", id, "open_day");
  CHECK(s.tick("2026-06-28T23:59+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-06-29T00:00+08:00");
  CHECK(kinds(fired["events"]) ==
        strings{"timer_fired on_site_day.daily_debrief", "notification_requested on_site_day.daily_debrief"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"cs_manager", "vp"});
  CHECK(contains(s.at("2026-06-29T00:01+08:00", {"list", "--overdue"}).out, id + "  move_in"));
}

TEST_CASE("move_in: the handover ends only after households moved in") {
  move_in_session s;
  const std::string id = s.ready();
  s.refused("wang.fang", "2026-06-27T08:00+08:00", {"do", id, "handover_ended"},
            "caseflow: action 'handover_ended' is not allowed now: its condition `households_moved_in > 0` is false "
            "(households_moved_in = 0)\n");
  s.act("wang.fang", "2026-06-27T08:30+08:00", id, "open_day");
  s.refused("wang.fang", "2026-06-27T18:30+08:00",
            {"do", id, "debrief", "--set", "households_moved_in=321", "--set", "repairs_raised=0", "--comment", "快报"},
            "caseflow: action 'debrief' is not allowed now: its condition `households_moved_in <= households` is "
            "false (households_moved_in = 321, households = 320)\n");
}

TEST_CASE("move_in: repairs raised on site are tracked until all are done") {
  move_in_session s;
  const std::string id = s.ready();
  s.act("wang.fang", "2026-06-27T08:30+08:00", id, "open_day");
  s.act("wang.fang", "2026-06-27T18:30+08:00", id, "debrief",
        {"households_moved_in=146", "repairs_raised=23", "repair_orders=WX-2026-00101至WX-2026-00123"}, "快报");
  s.act("wang.fang", "2026-06-27T18:40+08:00", id, "handover_ended");
  s.refused("zhang.wei", "2026-07-03T17:00+08:00", {"do", id, "all_repaired", "--set", "repairs_completed=14"},
            "caseflow: action 'all_repaired' is not allowed now: its condition `repairs_completed == repairs_raised` "
            "is false (repairs_completed = 14, repairs_raised = 23)\n");
  s.act("zhang.wei", "2026-07-03T17:00+08:00", id, "repairs_update", {"repairs_completed=14"}, "14项已完成");
  CHECK(s.step_of(id) == "repairs_follow_up");
  // An update cannot claim more than was raised.
  s.refused("zhang.wei", "2026-07-08T17:00+08:00",
            {"do", id, "repairs_update", "--set", "repairs_completed=24", "--comment", "x"},
            "caseflow: action 'repairs_update' is not allowed now: its condition `repairs_completed < repairs_raised` "
            "is false (repairs_completed = 24, repairs_raised = 23)\n");
  s.act("zhang.wei", "2026-07-10T17:00+08:00", id, "all_repaired", {"repairs_completed=23"});
  CHECK(s.step_of(id) == "feedback");
}

TEST_CASE("move_in: the VP sends the feedback report back for rework") {
  move_in_session s;
  const std::string id = s.ready();
  s.act("wang.fang", "2026-06-27T08:30+08:00", id, "open_day");
  s.act("wang.fang", "2026-06-27T18:30+08:00", id, "debrief", {"households_moved_in=300", "repairs_raised=0"}, "快报");
  s.act("wang.fang", "2026-06-27T18:40+08:00", id, "handover_ended");
  s.act("zhang.wei", "2026-06-29T10:00+08:00", id, "all_repaired", {"repairs_completed=0"});
  s.act("zhang.wei", "2026-07-01T10:00+08:00", id, "report", {"feedback_report=初稿"});
  s.act("zhao.lei", "2026-07-02T10:00+08:00", id, "rework", {}, "补充各部门整改措施");
  CHECK(s.step_of(id) == "feedback");
}

}  // namespace
}  // namespace caseflow::test
