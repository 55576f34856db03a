// Periodic duties through the real binary (DESIGN.md "Periodic duties"; processes/
// complaint_report.yaml, survey_plan.yaml, property_fee_slips.yaml): `tick` opens each period's
// case exactly once — a second tick, a racing tick, a tick a month late — with the period's
// report attached, and `caseflow schedule` says what opens next. Times are local (+08:00).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "caseflow/sqlite_store.h"
#include "e2e/cli_session.h"
#include "e2e/lost_race.h"

namespace caseflow::test {
namespace {

strings opened_ids(const nlohmann::json& tick) {
  strings ids;
  for (const auto& o : tick["opened"]) ids.push_back(o["case_id"]);
  return ids;
}

// Every case the schedules opened, by id, from the database itself.
std::multiset<std::string> stored_openings(const cli_session& s) {
  SQLite::Database db(s.dir().db());
  SQLite::Statement q(db, "SELECT case_id FROM schedule_openings");
  std::multiset<std::string> ids;
  while (q.executeStep()) ids.insert(q.getColumn(0).getString());
  return ids;
}

TEST_CASE("schedules: the first tick opens the latest period of each schedule, once") {
  cli_session s(k_shipped_processes);
  // Tue 2026-12-01 09:00: November (and its second half) ended; week 48 (11-23..11-29) opened
  // Monday; the third quarter on 1 October; December's fee slips and the 2026 survey plan at
  // their periods' starts.
  const nlohmann::json first = s.tick("2026-12-01T09:00+08:00");
  CHECK(opened_ids(first) == strings{"CRW-2026-W48", "CRH-2026-11-H2", "CRM-2026-11", "CRQ-2026-Q3", "SF-2026-12",
                                     "WYTJ-2026-12", "MYJH-2026"});
  const nlohmann::json monthly = s.show("CRM-2026-11", "2026-12-01T09:01+08:00");
  CHECK(monthly["fields"]["period"] == "2026-11");
  CHECK(monthly["fields"]["period_start"] == "2026-11-01");
  CHECK(monthly["fields"]["period_end"] == "2026-11-30");
  CHECK(monthly["fields"]["report_kind"] == "monthly");
  CHECK(monthly["opened_at"] == "2026-12-01T01:00:00Z");
  // Due by the 3rd of the next month: the end of Thu 12-03.
  CHECK(deadline(monthly["deadlines"], "preparing.monthly_due")["due"] == "2026-12-04T00:00:00+08:00");
  const nlohmann::json history = s.history("CRM-2026-11");
  CHECK(history[0]["actor"] == "system");
  CHECK(history[0]["data"]["schedule"] == "monthly");
  CHECK(history[0]["data"]["period"] == "2026-11");
  // The same moment again, and a day later: nothing more to open.
  CHECK(opened_ids(s.tick("2026-12-01T09:00+08:00")).empty());
  CHECK(opened_ids(s.tick("2026-12-02T10:00+08:00")).empty());
  CHECK(stored_openings(s).size() == 7);
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("schedules: a tick a quarter late opens each missed period once, across December") {
  cli_session s(k_shipped_processes);
  s.tick("2026-12-01T09:00+08:00");
  // Next tick on Tue 2027-03-02: December, January and February; the fourth quarter; the
  // half months from December's first; January to March's fee slips; the 2027 plan.
  const strings opened = opened_ids(s.tick("2027-03-02T10:00+08:00"));
  const std::set<std::string> got(opened.begin(), opened.end());
  for (const char* id : {"CRM-2026-12", "CRM-2027-01", "CRM-2027-02", "CRQ-2026-Q4", "CRH-2026-12-H1", "CRH-2026-12-H2",
                         "CRH-2027-01-H1", "CRH-2027-01-H2", "CRH-2027-02-H1", "CRH-2027-02-H2", "SF-2027-01",
                         "SF-2027-02", "SF-2027-03", "WYTJ-2027-03", "MYJH-2027", "CRW-2026-W53", "CRW-2027-W01",
                         "CRW-2027-W08"}) {
    CAPTURE(id);
    CHECK(got.count(id) == 1);
  }
  // Weeks 49 to 53 of 2026 and 1 to 8 of 2027: 13 weekly cases; with three months of the
  // property analysis (January to March), 30 in all.
  CHECK(opened.size() == 30);
  CHECK(got.size() == opened.size());
  CHECK(got.count("CRM-2027-03") == 0);  // March opens on 1 April
  CHECK(opened_ids(s.tick("2027-03-02T10:00+08:00")).empty());
  CHECK(stored_openings(s).size() == 37);
}

TEST_CASE("schedules: two ticks racing open each period once") {
  cli_session s(k_shipped_processes);
  REQUIRE(s.cf({"--now", "2026-11-30T10:00+08:00", "tick"}).exit_code == 0);  // opens up to November's first half
  const std::vector<std::string> args = s.argv({"--json", "--now", "2026-12-01T09:00+08:00", "tick"});
  const auto racers = race_under_write_lock(CASEFLOW_BINARY, s.dir().db(), {args, args}, {}, s.dir().path());
  std::multiset<std::string> opened;
  std::size_t already = 0;
  for (const auto& r : racers) {
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    const auto report = nlohmann::json::parse(r.out);
    for (const auto& id : opened_ids(report)) opened.insert(id);
    already += report["already_opened"].get<std::size_t>();
  }
  // November, its second half, December's fee slips and property analysis are due at 1 December 09:00: opened by
  // one racer each; the other was told they were already opened.
  CHECK(opened == std::multiset<std::string>{"CRH-2026-11-H2", "CRM-2026-11", "SF-2026-12", "WYTJ-2026-12"});
  CHECK(already <= 4);
  const auto ids = stored_openings(s);
  CHECK(ids.count("CRM-2026-11") == 1);
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("schedules: the monthly report attached is the period's, as of its opening") {
  cli_session s(k_shipped_processes);
  for (const char* when : {"2026-11-10T10:00+08:00", "2026-11-20T10:00+08:00"})
    s.start("zhang.wei", when, "complaint", {"customer=张三", "channel=phone", "summary=漏水"});
  s.start("zhang.wei", "2026-12-01T10:00+08:00", "complaint", {"customer=李四", "channel=phone", "summary=噪音"});
  s.tick("2026-12-02T10:00+08:00");
  const nlohmann::json list = s.json_at("2026-12-02T10:01+08:00", {"attachments", "CRM-2026-11"})["attachments"];
  REQUIRE(list.size() == 1);
  CHECK(list[0]["name"] == "monthly-2026-11.json");
  CHECK(list[0]["actor"] == "system");
  const run_result got = s.cf({"attachment", "get", "CRM-2026-11", "monthly-2026-11.json"});
  REQUIRE(got.exit_code == 0);
  const auto report = nlohmann::json::parse(got.out);
  CHECK(report["report"] == "monthly");
  CHECK(report["period"]["label"] == "2026-11");
  CHECK(report["as_of"] == "2026-12-01T01:00:00Z");  // the opening, 1 December 09:00
  // Two complaints received in November; the one of 1 December is not in it.
  const auto& summary = report["tables"]["summary"];
  CHECK(summary[0]["figure"] == "received");
  CHECK(summary[0]["current"] == 2);
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("schedules: a due day that is not a working day moves to the next working day") {
  cli_session s(k_shipped_processes);
  // September's report is due by 3 October, in the National Day holiday (10-01..10-07): the
  // next working day is Thu 10-08, due at its end.
  s.tick("2026-10-01T09:00+08:00");
  CHECK(deadline(s.deadlines("CRM-2026-09", "2026-10-01T09:01+08:00"), "preparing.monthly_due")["due"] ==
        "2026-10-09T00:00:00+08:00");
  // The first half of October is due by Sun 10-18: Mon 10-19.
  s.tick("2026-10-16T09:00+08:00");
  CHECK(deadline(s.deadlines("CRH-2026-10-H1", "2026-10-16T09:01+08:00"), "preparing.half_month_due")["due"] ==
        "2026-10-20T00:00:00+08:00");
  // The 2027 survey plan is due by 31 January 2027, a Sunday: Mon 2027-02-01 (past the
  // calendar's 2026 holidays, so provisional).
  s.tick("2027-01-01T09:00+08:00");
  const nlohmann::json plan = deadline(s.deadlines("MYJH-2027", "2027-01-01T09:01+08:00"), "planning.plan_in_january");
  CHECK(plan["due"] == "2027-02-02T00:00:00+08:00");
  CHECK(plan["provisional"] == true);
}

TEST_CASE("schedules: caseflow schedule lists each schedule with its last and next period") {
  cli_session s(k_shipped_processes);
  s.tick("2026-12-01T09:00+08:00");
  const nlohmann::json listed = s.json_at("2026-12-01T10:00+08:00", {"schedule"})["schedules"];
  nlohmann::json monthly;
  for (const auto& row : listed)
    if (row["procedure"] == "complaint_report" && row["schedule"] == "monthly") monthly = row;
  REQUIRE(monthly.is_object());
  CHECK(monthly["every"] == "month");
  CHECK(monthly["report"] == "monthly");
  CHECK(monthly["last_period"] == "2026-11");
  CHECK(monthly["last_case"] == "CRM-2026-11");
  CHECK(monthly["next_period"] == "2026-12");
  CHECK(monthly["next_opens"] == "2027-01-01T09:00:00+08:00");
  CHECK(monthly["due"] == false);
  CHECK(listed.size() == 7);
  const run_result text = s.at("2026-12-01T10:00+08:00", {"schedule"});
  CHECK(contains(text.out, "2026-11 (CRM-2026-11)"));
}

}  // namespace
}  // namespace caseflow::test
