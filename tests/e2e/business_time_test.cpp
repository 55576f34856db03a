// End-to-end business time: the real `caseflow` binary in virtual time (--now) on temp
// databases with the shipped processes/ — calendar due/show/recompute, the complaint's time
// rules (PROCEDURES.md §1, processes/complaint.yaml) through tick, list --overdue, show and
// history, and that every timer fires exactly once, also with two ticks racing.
//
// cn-mainland: Asia/Shanghai (+08:00), 09:00-12:00 and 13:00-18:00, Mon-Fri, covers 2025-2026;
// 2026 Spring Festival 02-15..02-23 with make-up Saturdays 02-14 and 02-28; National Day
// 10-01..10-07 with make-up Saturday 10-10. Expected times are worked out by hand beside them.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

// The shared session plus the complaint these tests open.
class business_time_session : public cli_session {
 public:
  // Opens a complaint received through `channel` at `now`; returns its id.
  std::string open_complaint(const std::string& channel, const std::string& now) const {
    return start("zhang.wei", now, "complaint", {"customer=张三", "channel=" + channel, "summary=卫生间漏水"});
  }
};

// ---------------------------------------------------------------------------------------------
// caseflow calendar

TEST_CASE("business time: calendar due gives the end of a limit under cn-mainland") {
  business_time_session s;
  struct row {
    std::string start, duration, out;
  };
  const std::vector<row> table{
      // The event's day (Fri 02-13) does not count: day 1 Sat 02-14 (make-up), 02-15..02-23
      // holiday, day 2 Tue 02-24; close 18:00.
      {"2026-02-13T17:50+08:00", "2 working days", "2026-02-24T18:00:00+08:00\n"},
      // After Friday's close makes no difference: day 1 is still the make-up Saturday.
      {"2026-02-13T18:00+08:00", "1 working day", "2026-02-14T18:00:00+08:00\n"},
      // A Sunday event: day 1 is Monday 03-16.
      {"2026-03-15T10:00+08:00", "1 working day", "2026-03-16T18:00:00+08:00\n"},
      // 10 min on Fri, 20 min from 09:00 on the make-up Saturday.
      {"2026-02-13T17:50+08:00", "30m working", "2026-02-14T09:20:00+08:00\n"},
      // Sat in the National Day holiday: counting starts Thu 10-08 09:00.
      {"2026-10-03T10:00+08:00", "1h working", "2026-10-08T10:00:00+08:00\n"},
      // Plain time is the same in every calendar.
      {"2026-02-13T17:50+08:00", "7d", "2026-02-20T17:50:00+08:00\n"},
      // Past coverage (2027 is not listed yet): the plain week, marked provisional.
      {"2027-02-08T10:00+08:00", "1h working", "2027-02-08T11:00:00+08:00  (provisional: past the calendar's coverage)\n"},
  };
  for (const auto& [start, duration, out] : table) {
    CAPTURE(start);
    CAPTURE(duration);
    const run_result r = s.cf({"calendar", "due", "cn-mainland", start, duration});
    CHECK(r.err == "");
    CHECK(r.exit_code == 0);
    CHECK(r.out == out);
  }
}

TEST_CASE("business time: calendar due --json gives due, due_utc, version and provisional") {
  business_time_session s;
  const run_result r = s.cf({"--json", "calendar", "due", "cn-mainland", "2026-02-13T17:50+08:00", "2 working days"});
  REQUIRE(r.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["calendar"] == "cn-mainland");
  CHECK(j["start"] == "2026-02-13T17:50:00+08:00");
  CHECK(j["duration"] == "2 working days");
  CHECK(j["due"] == "2026-02-24T18:00:00+08:00");
  CHECK(j["due_utc"] == "2026-02-24T10:00:00Z");
  CHECK(j["provisional"] == false);
  const std::string version = j["calendar_version"];
  CHECK(version.size() == 12);
  CHECK(version.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(j.size() == 7);

  const nlohmann::json later =
      nlohmann::json::parse(s.cf({"--json", "calendar", "due", "cn-mainland", "2027-02-08T10:00+08:00", "1h working"}).out);
  CHECK(later["due"] == "2027-02-08T11:00:00+08:00");
  CHECK(later["provisional"] == true);
  CHECK(later["calendar_version"] == version);
}

TEST_CASE("business time: calendar due refuses a bad duration and an unknown calendar") {
  business_time_session s;
  const run_result bad = s.cf({"calendar", "due", "cn-mainland", "2026-02-13T17:50+08:00", "2 fortnights"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.out == "");
  CHECK(bad.err ==
        "caseflow: bad duration '2 fortnights': expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, end of day\n");

  const run_result unknown = s.cf({"calendar", "due", "cn-mainlnd", "2026-02-13T17:50+08:00", "1h"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.out == "");
  CHECK(unknown.err ==
        "caseflow: unknown calendar 'cn-mainlnd'; did you mean 'cn-mainland'?; calendars: 24x7, cn-mainland, "
        "property-service\n");

  check_refused(s.dir().db(), [&] { return s.cf({"calendar", "due", "cn-mainland", "2026-02-13 17:50", "1h"}); },
                "caseflow: START '2026-02-13 17:50' is not an ISO-8601 time with a zone, e.g. 2026-02-13T17:50+08:00\n"
                );
}

TEST_CASE("business time: calendar show lists holidays, make-up days and working days per month") {
  business_time_session s;
  // Working days of 2026, by hand (weekdays − weekday holidays + make-up days):
  //   Jan 22 − 2 (01-01 Thu, 01-02 Fri) + 1 (01-04) = 21
  //   Feb 20 − 6 (16, 17, 18, 19, 20, 23) + 2 (02-14, 02-28) = 16
  //   Mar 22;  Apr 22 − 1 (04-06 Mon) = 21;  May 21 − 3 (01, 04, 05) + 1 (05-09) = 19
  //   Jun 22 − 1 (06-19 Fri) = 21;  Jul 23;  Aug 21;  Sep 22 − 1 (09-25 Fri) + 1 (09-20) = 22
  //   Oct 22 − 5 (01, 02, 05, 06, 07) + 1 (10-10) = 18;  Nov 21;  Dec 23;  total 248
  const std::vector<int> expected{21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23};

  const nlohmann::json j = s.json_at("2026-03-02T10:00+08:00", {"calendar", "show", "cn-mainland", "--year", "2026"});
  CHECK(j["calendar"] == "cn-mainland");
  CHECK(j["year"] == 2026);
  CHECK(j["covered"] == true);
  CHECK(j["time_zone"] == "Asia/Shanghai");
  REQUIRE(j["months"].size() == 12);
  for (int m = 0; m < 12; ++m) {
    CAPTURE(m + 1);
    CHECK(j["months"][m]["month"] == m + 1);
    CHECK(j["months"][m]["working_days"] == expected[m]);
  }
  const auto& feb = j["months"][1];
  CHECK(feb["holidays"] == nlohmann::json{"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
                                          "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"});
  CHECK(feb["makeup_days"] == nlohmann::json{"2026-02-14", "2026-02-28"});
  CHECK(feb["closures"] == nlohmann::json::array());
  const auto& oct = j["months"][9];
  CHECK(oct["holidays"].size() == 7);
  CHECK(oct["holidays"].front() == "2026-10-01");
  CHECK(oct["holidays"].back() == "2026-10-07");
  CHECK(oct["makeup_days"] == nlohmann::json{"2026-10-10"});
  CHECK(j["months"][2]["holidays"] == nlohmann::json::array());  // March: none

  const run_result text = s.cf({"calendar", "show", "cn-mainland", "--year", "2026"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.starts_with("cn-mainland 2026 (Asia/Shanghai), 中国大陆工作日历\n"));
  // Rows as whitespace-separated words: month, working days, holidays (named at the first
  // day of each), make-up days, closures.
  auto words_of = [&](const std::string& prefix) {
    const auto at = text.out.find("\n" + prefix + " ");
    REQUIRE(at != std::string::npos);
    const std::string line = text.out.substr(at + 1, text.out.find('\n', at + 1) - at - 1);
    std::vector<std::string> words;
    for (std::size_t i = 0; i < line.size();) {
      const auto start = line.find_first_not_of(' ', i);
      if (start == std::string::npos) break;
      const auto end = line.find(' ', start);
      words.push_back(line.substr(start, end - start));
      i = end == std::string::npos ? line.size() : end;
    }
    return words;
  };
  CHECK(words_of("2026-02") == strings{"2026-02", "16", "02-15", "春节", "Spring", "Festival", "02-16", "02-17", "02-18",
                                       "02-19", "02-20", "02-21", "02-22", "02-23", "02-14", "02-28", "-"});
  CHECK(words_of("2026-10") == strings{"2026-10", "18", "10-01", "国庆节", "National", "Day", "10-02", "10-03", "10-04",
                                       "10-05", "10-06", "10-07", "10-10", "-"});
  CHECK(words_of("2026-03") == strings{"2026-03", "22", "-", "-", "-"});
  CHECK(words_of("total") == strings{"total", "248"});

  const nlohmann::json next = s.json_at("2026-03-02T10:00+08:00", {"calendar", "show", "cn-mainland", "--year", "2027"});
  CHECK(next["covered"] == false);
  CHECK(next["months"][1]["holidays"] == nlohmann::json::array());
  CHECK(next["months"][1]["working_days"] == 20);  // Feb 2027: plain week, 4 × 5
}

// The State Council's 2026 notice made Saturday 14 February a working day (春节调休). Take that
// make-up day out of a copy of cn-mainland.yaml while an email complaint of Friday 17:50 waits
// to be forwarded: `30m working` was 10 minutes on Friday and 20 on that Saturday (09:20); now
// the next working day is Tuesday 24 February, after the Spring Festival holiday (15-23), so
// 09:20 that day. The reminder (at 80%, 6 minutes earlier) moves with it.
TEST_CASE("business time: deploying a real calendar change moves the pending deadlines") {
  scratch_dir dir;
  const std::string procedures = dir.file("processes");
  std::filesystem::copy(k_processes, procedures, std::filesystem::copy_options::recursive);
  const env_list env{{"CASEFLOW_PROCEDURES", procedures}, {"CASEFLOW_DB", dir.db()}};
  auto cf = [&](std::vector<std::string> args) {
    const run_result r = run_caseflow(args, dir, env);
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  std::string id = cf({"--as", "zhang.wei", "--now", "2026-02-13T17:50+08:00", "start", "complaint", "--set",
                       "customer=陈先生", "--set", "channel=email", "--set", "summary=卫生间渗水"});
  id.pop_back();
  auto due_of = [&](const std::string& rule) {
    const nlohmann::json shown = nlohmann::json::parse(cf({"--json", "--now", "2026-02-14T08:00+08:00", "show", id}));
    return deadline(shown["deadlines"], rule)["due"].get<std::string>();
  };
  CHECK(due_of("intake.forward_phone_email") == "2026-02-14T09:20:00+08:00");

  const std::string calendar = procedures + "/calendars/cn-mainland.yaml";
  std::string text = read_bytes(calendar).value();
  const std::string make_up_day = "  - { name: 春节调休, date: 2026-02-14 }\n";
  REQUIRE(contains(text, make_up_day));
  text.erase(text.find(make_up_day), make_up_day.size());
  std::ofstream(calendar, std::ios::binary | std::ios::trunc) << text;

  // Deploying the changed calendar recomputes the deadlines (DESIGN.md "Deployments and folders").
  CHECK(cf({"--as", "yang.guang", "--now", "2026-02-14T08:00+08:00", "deploy"}) ==
        "deployment 2 by yang.guang as admin: calendar cn-mainland.yaml changed\n" + id +
            " deadline_changed intake.forward_phone_email: 2026-02-14T01:20:00Z → 2026-02-24T01:20:00Z\n" + id +
            " deadline_changed intake.forward_phone_email.reminder: 2026-02-14T01:14:00Z → 2026-02-24T01:14:00Z\n"
            "2 deadline changes recorded\n");
  CHECK(due_of("intake.forward_phone_email") == "2026-02-24T09:20:00+08:00");
  const nlohmann::json history = nlohmann::json::parse(cf({"--json", "history", id}));
  std::vector<nlohmann::json> changed;
  for (const auto& e : history["events"])
    if (e["kind"] == "deadline_changed") changed.push_back(e);
  REQUIRE(changed.size() == 2);
  CHECK(changed[0]["actor"] == "system");
  CHECK(changed[0]["data"]["rule"] == "intake.forward_phone_email");
  CHECK(changed[0]["data"]["old_due"] == "2026-02-14T01:20:00Z");
  CHECK(changed[0]["data"]["due"] == "2026-02-24T01:20:00Z");
  CHECK(changed[0]["data"]["reason"] == "calendar");
  // The new deadline names the calendar version that computed it, not the old one.
  const nlohmann::json first = history["events"][1];
  REQUIRE(first["kind"] == "deadline_set");
  CHECK(changed[0]["data"]["calendar_version"] != first["data"]["calendar_version"]);
  // Once recomputed, nothing is left to change.
  CHECK(cf({"--now", "2026-02-14T08:00+08:00", "calendar", "recompute"}) == "0 deadline changes recorded\n");
  CHECK(cf({"--now", "2026-02-14T08:00+08:00", "verify"}).find("verified:") == 0);
}

TEST_CASE("business time: calendar recompute with no calendar change records nothing") {
  business_time_session s;
  const std::string id = s.open_complaint("email", "2026-02-13T17:50+08:00");
  const std::size_t before = s.history(id).size();
  const run_result r = s.at("2026-02-14T08:00+08:00", {"calendar", "recompute"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "0 deadline changes recorded\n");
  CHECK(s.json_at("2026-02-14T08:00+08:00", {"calendar", "recompute"}) == nlohmann::json{{"changes", nlohmann::json::array()}});
  CHECK(s.history(id).size() == before);
  // Even past some deadlines (the reminder and the limit are due), nothing is recomputed.
  CHECK(s.at("2026-02-14T10:00+08:00", {"calendar", "recompute"}).out == "0 deadline changes recorded\n");
  CHECK(s.history(id).size() == before);
}

// ---------------------------------------------------------------------------------------------
// The complaint's time rules

TEST_CASE("business time: an email complaint on Friday 17:50 — forwarding limit, hot and major escalations") {
  business_time_session s;
  const std::string id = s.open_complaint("email", "2026-02-13T17:50+08:00");
  CHECK(id == "TS-2026-00001");

  // In working hours: phone/email forward within 30 min working, reminder at 80% (24 min:
  // 10 on Fri, 14 on the make-up Saturday). Escalations: 7 days and 1 month from opening.
  const nlohmann::json list = s.deadlines(id, "2026-02-13T17:51+08:00");
  CHECK(rules_of(list) == strings{"intake.forward_phone_email", "intake.forward_phone_email.reminder",
                                  "hot_after_one_week", "major_after_one_month"});
  const nlohmann::json limit = deadline(list, "intake.forward_phone_email");
  CHECK(limit["kind"] == "limit");
  CHECK(limit["due"] == "2026-02-14T09:20:00+08:00");
  CHECK(limit["due_utc"] == "2026-02-14T01:20:00Z");
  CHECK(limit["provisional"] == false);
  CHECK(limit["breached"] == false);
  CHECK(limit["overdue"] == false);
  CHECK(limit["working_seconds_left"] == 29 * 60);  // 17:51 -> 18:00 + 09:00 -> 09:20
  const nlohmann::json reminder = deadline(list, "intake.forward_phone_email.reminder");
  CHECK(reminder["kind"] == "reminder");
  CHECK(reminder["due"] == "2026-02-14T09:14:00+08:00");
  CHECK(deadline(list, "hot_after_one_week")["due"] == "2026-02-20T17:50:00+08:00");
  CHECK(deadline(list, "major_after_one_month")["due"] == "2026-03-13T17:50:00+08:00");

  // 09:19: only the reminder (due 09:14).
  const nlohmann::json r1 = s.tick("2026-02-14T09:19+08:00");
  CHECK(r1["fired"] == 1);
  CHECK(r1["skipped"] == 0);
  CHECK(kinds(r1["events"]) == strings{"timer_fired intake.forward_phone_email.reminder",
                                       "notification_requested intake.forward_phone_email.reminder"});
  CHECK(r1["events"][1]["data"]["to"] == nlohmann::json{"assignee"});
  CHECK(s.at("2026-02-14T09:19+08:00", {"list", "--overdue"}).out == "CASE  PROCEDURE  STEP  ASSIGNEE  STATUS\n");

  // 09:20: the limit, and the manager is told.
  const run_result r2 = s.at("2026-02-14T09:20+08:00", {"tick"});
  CHECK(r2.exit_code == 0);
  CHECK(r2.out == id + " #8 timer_fired {\"due\":\"2026-02-14T01:20:00Z\",\"kind\":\"limit\",\"rule\":\"intake.forward_phone_email\"}\n" +
                      id + " #9 notification_requested {\"message\":\"case " + id +
                      ": limit intake.forward_phone_email is due\",\"rule\":\"intake.forward_phone_email\",\"to\":[\"cs_manager\"]}\n"
                      "fired 1 timer; skipped 0\n");
  const run_result overdue = s.at("2026-02-14T09:21+08:00", {"list", "--overdue"});
  CHECK(overdue.out == "CASE           PROCEDURE  STEP    ASSIGNEE  STATUS\n" + id + "  complaint  intake  -         open\n");
  const nlohmann::json breached = deadline(s.deadlines(id, "2026-02-14T09:21+08:00"), "intake.forward_phone_email");
  CHECK(breached["breached"] == true);
  CHECK(breached["overdue"] == true);
  CHECK(breached["overdue_seconds"] == 60);
  CHECK(deadline(s.deadlines(id, "2026-02-14T09:21+08:00"), "intake.forward_phone_email.reminder") == nullptr);

  // Hot exactly one week after intake, not a minute before.
  CHECK(s.tick("2026-02-20T17:49+08:00")["fired"] == 0);
  const nlohmann::json hot = s.tick("2026-02-20T17:50+08:00");
  CHECK(hot["fired"] == 1);
  CHECK(kinds(hot["events"]) == strings{"timer_fired hot_after_one_week", "fields_changed", "deadline_set hot_report"});
  CHECK(hot["events"][1]["data"]["fields"] == nlohmann::json{{"severity", "hot"}});
  CHECK(hot["events"][1]["actor"] == "system");
  CHECK(s.json_at("2026-02-20T17:51+08:00", {"show", id})["fields"]["severity"] == "hot");
  // Hot: report within 1 working day of becoming hot. Fri 02-20 is a holiday and does not count
  // (art. 201); 02-21..02-23 are holidays too, so day 1 is Tue 02-24, due at its 18:00 close.
  CHECK(deadline(s.deadlines(id, "2026-02-20T17:51+08:00"), "hot_report")["due"] == "2026-02-24T18:00:00+08:00");
  CHECK(s.tick("2026-02-24T17:59+08:00")["fired"] == 0);
  const nlohmann::json report = s.tick("2026-02-24T18:00+08:00");
  CHECK(kinds(report["events"]) == strings{"timer_fired hot_report", "notification_requested hot_report"});
  CHECK(report["events"][1]["data"]["to"] == nlohmann::json{"cs_manager", "group_coordinator"});

  // Major one month after intake, and reported at once, in the same tick.
  CHECK(s.tick("2026-03-13T17:49+08:00")["fired"] == 0);
  const nlohmann::json major = s.tick("2026-03-13T17:50+08:00");
  CHECK(major["fired"] == 2);
  CHECK(kinds(major["events"]) == strings{"timer_fired major_after_one_month", "fields_changed",
                                          "deadline_set major_report", "deadline_set major_weekly_report",
                                          "timer_fired major_report", "notification_requested major_report"});
  CHECK(major["events"][1]["data"]["fields"] == nlohmann::json{{"severity", "major"}});
  CHECK(major["events"][5]["data"]["to"] == nlohmann::json{"vp", "group_coordinator"});
  CHECK(major["events"][5]["data"]["message"] == "重大投诉：立即上报 / major complaint: report immediately");
  CHECK(deadline(s.deadlines(id, "2026-03-13T17:51+08:00"), "major_weekly_report")["due"] == "2026-03-20T17:50:00+08:00");

  // Weekly reports while major: 7 and 14 days later.
  CHECK(s.tick("2026-03-20T17:49+08:00")["fired"] == 0);
  const nlohmann::json week1 = s.tick("2026-03-20T17:50+08:00");
  CHECK(week1["fired"] == 1);
  CHECK(kinds(week1["events"]) == strings{"timer_fired major_weekly_report", "deadline_set major_weekly_report",
                                          "notification_requested major_weekly_report"});
  CHECK(week1["events"][1]["data"]["due"] == "2026-03-27T09:50:00Z");
  CHECK(s.tick("2026-03-27T17:49+08:00")["fired"] == 0);
  const nlohmann::json week2 = s.tick("2026-03-27T17:50+08:00");
  CHECK(week2["fired"] == 1);
  CHECK(week2["events"][0]["data"]["rule"] == "major_weekly_report");
  CHECK(week2["events"][0]["data"]["due"] == "2026-03-27T09:50:00Z");
  CHECK(deadline(s.deadlines(id, "2026-03-27T17:51+08:00"), "major_weekly_report")["due"] == "2026-04-03T17:50:00+08:00");

  // The history has all of it, by `system`, at the tick times.
  const nlohmann::json events = s.history(id);
  std::vector<std::string> fired;
  std::map<std::string, std::string> when;
  for (const auto& e : events) {
    if (e["kind"] == "case_started") continue;
    CAPTURE(e.dump());
    CHECK(e["actor"] == "system");
    if (e["kind"] == "timer_fired") {
      fired.push_back(e["data"]["rule"]);
      when[e["data"]["rule"]] = e["at"];  // the last firing
    }
  }
  CHECK(fired == strings{"intake.forward_phone_email.reminder", "intake.forward_phone_email", "hot_after_one_week",
                         "hot_report", "major_after_one_month", "major_report", "major_weekly_report",
                         "major_weekly_report"});
  CHECK(when["hot_after_one_week"] == "2026-02-20T09:50:00Z");
  CHECK(when["major_after_one_month"] == "2026-03-13T09:50:00Z");
  CHECK(when["major_report"] == "2026-03-13T09:50:00Z");
  CHECK(when["major_weekly_report"] == "2026-03-27T09:50:00Z");
  std::vector<std::string> severities;
  for (const auto& e : events)
    if (e["kind"] == "fields_changed") severities.push_back(e["data"]["fields"]["severity"]);
  CHECK(severities == strings{"hot", "major"});

  const run_result verified = s.cf({"verify"});
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.starts_with("verified: " + std::to_string(events.size()) + " events in 1 cases; head "));
}

TEST_CASE("business time: a forum post on a public holiday is forwarded the same day") {
  business_time_session s;
  const std::string id = s.open_complaint("forum", "2026-10-03T10:00+08:00");  // Sat, National Day
  const nlohmann::json list = s.deadlines(id, "2026-10-03T10:01+08:00");
  CHECK(rules_of(list) == strings{"intake.forward_holiday", "hot_after_one_week", "major_after_one_month"});
  const nlohmann::json d = deadline(list, "intake.forward_holiday");
  CHECK(d["due"] == "2026-10-04T00:00:00+08:00");
  CHECK(d["due_utc"] == "2026-10-03T16:00:00Z");
  CHECK(d["seconds_left"] == 14 * 3600 - 60);  // no working time left today: plain time

  CHECK(s.tick("2026-10-03T23:59+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2026-10-04T00:00+08:00");
  CHECK(fired["fired"] == 1);
  CHECK(kinds(fired["events"]) == strings{"timer_fired intake.forward_holiday", "notification_requested intake.forward_holiday"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"cs_manager"});
  CHECK(fired["events"][1]["data"]["message"] == "节假日投诉须当天电话转交 / holiday complaint: forward by phone today");
  CHECK(s.tick("2026-10-04T00:00+08:00")["fired"] == 0);
}

TEST_CASE("business time: an email after hours is forwarded within 1h of work starting; forwarding clears it") {
  business_time_session s;
  const std::string id = s.open_complaint("email", "2026-03-03T19:00+08:00");  // Tue after the close
  const nlohmann::json list = s.deadlines(id, "2026-03-03T19:01+08:00");
  CHECK(rules_of(list) == strings{"intake.forward_after_hours", "hot_after_one_week", "major_after_one_month"});
  CHECK(deadline(list, "intake.forward_after_hours")["due"] == "2026-03-04T10:00:00+08:00");  // Wed 09:00 + 1h

  s.must("zhang.wei", "2026-03-04T09:30+08:00",
         {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=engineering"});
  const nlohmann::json after = s.deadlines(id, "2026-03-04T09:31+08:00");
  CHECK(deadline(after, "intake.forward_after_hours") == nullptr);
  // The department answers within 4h working: 09:30-12:00 and 13:00-14:30; 75% = 3h -> 13:30.
  CHECK(deadline(after, "department_reply.written_answer")["due"] == "2026-03-04T14:30:00+08:00");
  CHECK(deadline(after, "department_reply.written_answer.reminder")["due"] == "2026-03-04T13:30:00+08:00");

  const nlohmann::json events = s.history(id);
  const strings all = kinds(events);
  CHECK(std::count(all.begin(), all.end(), "deadline_cleared intake.forward_after_hours") == 1);
  for (const auto& e : events)
    if (e["kind"] == "deadline_cleared") {
      CHECK(e["at"] == "2026-03-04T01:30:00Z");
      CHECK(e["actor"] == "system");
    }
  // Forwarded in time: nothing fires at 10:00.
  CHECK(s.tick("2026-03-04T10:00+08:00")["fired"] == 0);
  CHECK(s.at("2026-03-04T10:01+08:00", {"list", "--overdue"}).out == "CASE  PROCEDURE  STEP  ASSIGNEE  STATUS\n");
}

TEST_CASE("business time: a closed complaint has no escalations left and later ticks fire nothing for it") {
  business_time_session s;
  const std::string id = s.open_complaint("phone", "2026-03-02T10:00+08:00");
  CHECK(rules_of(s.deadlines(id, "2026-03-02T10:01+08:00")) ==
        strings{"intake.forward_phone_email", "intake.forward_phone_email.reminder", "hot_after_one_week",
                "major_after_one_month"});
  s.must("zhang.wei", "2026-03-02T10:10+08:00",
         {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=engineering"});
  s.must("liu.yang", "2026-03-02T11:00+08:00", {"do", id, "answer", "--set", "cause=防水层破损", "--comment", "书面回复"});
  s.must("zhang.wei", "2026-03-02T14:00+08:00", {"do", id, "investigate"});
  s.must("zhang.wei", "2026-03-03T10:00+08:00", {"do", id, "propose", "--set", "plan=重做防水"});
  // Waiting for the customer pauses the case's clock: no escalations meanwhile.
  CHECK(s.deadlines(id, "2026-03-03T10:01+08:00") == nlohmann::json::array());
  s.must("zhang.wei", "2026-03-04T10:00+08:00", {"do", id, "agreed"});
  // One day paused: a week + a day from opening.
  CHECK(deadline(s.deadlines(id, "2026-03-04T10:01+08:00"), "hot_after_one_week")["due"] == "2026-03-10T10:00:00+08:00");
  s.must("liu.yang", "2026-03-05T16:00+08:00", {"do", id, "done", "--comment", "已完工"});
  s.must("zhang.wei", "2026-03-06T10:00+08:00", {"do", id, "satisfied"});

  const nlohmann::json shown = s.json_at("2026-03-06T10:01+08:00", {"show", id});
  CHECK(shown["step"] == "closed");
  CHECK(shown["open"] == false);
  CHECK(shown["deadlines"] == nlohmann::json::array());
  const nlohmann::json events = s.history(id);
  const std::size_t count = events.size();
  REQUIRE(count >= 3);
  CHECK(kinds(nlohmann::json{events[count - 3], events[count - 2], events[count - 1]}) ==
        strings{"action_taken", "deadline_cleared hot_after_one_week", "deadline_cleared major_after_one_month"});

  // Past the week and the month: nothing fires, nothing is recorded.
  for (const char* now : {"2026-03-10T10:00+08:00", "2026-04-02T10:00+08:00", "2026-06-01T10:00+08:00"}) {
    CAPTURE(now);
    const nlohmann::json t = s.tick(now);
    CHECK(t["fired"] == 0);
    CHECK(t["events"] == nlohmann::json::array());
  }
  CHECK(s.history(id).size() == count);
  CHECK(s.cf({"verify"}).exit_code == 0);
}

// ---------------------------------------------------------------------------------------------
// Exactly once

TEST_CASE("business time: a second tick at the same time fires nothing") {
  business_time_session s;
  const std::string id = s.open_complaint("email", "2026-02-13T17:50+08:00");
  // At 09:30 both the reminder (09:14) and the limit (09:20) are due.
  const nlohmann::json first = s.tick("2026-02-14T09:30+08:00");
  CHECK(first["fired"] == 2);
  const run_result second = s.at("2026-02-14T09:30+08:00", {"tick"});
  CHECK(second.exit_code == 0);
  CHECK(second.out == "fired 0 timers; skipped 0\n");
  const run_result later = s.at("2026-02-15T09:30+08:00", {"tick"});
  CHECK(later.out == "fired 0 timers; skipped 0\n");
  const strings all = kinds(s.history(id));
  CHECK(std::count(all.begin(), all.end(), "timer_fired intake.forward_phone_email") == 1);
  CHECK(std::count(all.begin(), all.end(), "timer_fired intake.forward_phone_email.reminder") == 1);
}

TEST_CASE("business time: two ticks racing fire each due timer exactly once") {
  business_time_session s;
  constexpr int k_cases = 6;
  std::vector<std::string> ids;
  for (int i = 0; i < k_cases; ++i) ids.push_back(s.open_complaint("email", "2026-02-13T17:50+08:00"));

  struct round {
    std::string now;
    int due_per_case;
  };
  const std::vector<round> rounds{
      {"2026-02-14T09:30+08:00", 2},  // reminder + forwarding limit
      {"2026-02-20T17:50+08:00", 1},  // hot_after_one_week
      {"2026-02-25T18:00+08:00", 1},  // hot_report
      {"2026-03-13T17:50+08:00", 2},  // major_after_one_month + major_report
      {"2026-03-20T17:50+08:00", 1},  // major_weekly_report
      {"2026-03-27T17:50+08:00", 1},  // major_weekly_report again
  };
  for (const auto& [now, due_per_case] : rounds) {
    CAPTURE(now);
    child a(CASEFLOW_BINARY, s.argv({"--json", "--now", now, "tick"}), {}, s.dir().path());
    child b(CASEFLOW_BINARY, s.argv({"--json", "--now", now, "tick"}), {}, s.dir().path());
    const run_result ra = a.wait();
    const run_result rb = b.wait();
    INFO("a: ", ra.out, ra.err);
    INFO("b: ", rb.out, rb.err);
    REQUIRE(ra.exit_code == 0);
    REQUIRE(rb.exit_code == 0);
    const int fired = nlohmann::json::parse(ra.out)["fired"].get<int>() + nlohmann::json::parse(rb.out)["fired"].get<int>();
    CHECK(fired == k_cases * due_per_case);
    CHECK(s.tick(now)["fired"] == 0);  // nothing left behind
  }

  const std::map<std::string, int> expected{
      {"intake.forward_phone_email.reminder", 1}, {"intake.forward_phone_email", 1}, {"hot_after_one_week", 1},
      {"hot_report", 1}, {"major_after_one_month", 1}, {"major_report", 1}, {"major_weekly_report", 2}};
  for (const auto& id : ids) {
    CAPTURE(id);
    std::map<std::string, int> fired;
    for (const auto& e : s.history(id))
      if (e["kind"] == "timer_fired") ++fired[e["data"]["rule"]];
    CHECK(fired == expected);
  }
  const run_result verified = s.cf({"verify"});
  CHECK(verified.exit_code == 0);
}

}  // namespace
}  // namespace caseflow::test
