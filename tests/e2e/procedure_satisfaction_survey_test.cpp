// satisfaction_survey (processes/satisfaction_survey.yaml, PROCEDURES.md §8, 000/004) through the
// real binary in virtual time: the first return visit's 90% coverage, the VP-approved plan,
// the 20% non-response rule and its top-up, the score bands, two surveys within a year of move-in.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

class survey_session : public cli_session {
 public:
  std::string open() const {
    return start("zhang.wei", "2026-07-20T10:00+08:00", "satisfaction_survey",
                 {"project=翠湖天地三期", "move_in_date=2026-06-27"});
  }
  // A survey round with 100 customers sampled, in fieldwork.
  std::string in_fieldwork() const {
    const std::string id = open();
    act("zhang.wei", "2026-08-14T17:00+08:00", id, "visited", {"households_moved_in=312", "households_visited=291"});
    act("zhang.wei", "2026-08-17T10:00+08:00", id, "submit_plan", {"topic=入住交付", "method=phone", "sample_size=100"},
        "方案");
    act("zhao.lei", "2026-08-18T09:30+08:00", id, "approve");
    return id;
  }
  std::string in_analysis() const {
    const std::string id = in_fieldwork();
    act("zhang.wei", "2026-09-04T17:00+08:00", id, "results_in", {"responses=85"});
    return id;
  }
  // One complete round on `day`, published as the first or the second valid survey of the year
  // (`which`: first_survey_on or second_survey_on); the case is in round_done.
  void round(const std::string& id, const std::string& day, const std::string& which) const {
    act("zhang.wei", day + "T10:00+08:00", id, "submit_plan",
        {"topic=满意度", "method=questionnaire", "sample_size=50"}, "方案");
    act("zhao.lei", day + "T11:00+08:00", id, "approve");
    act("zhang.wei", day + "T15:00+08:00", id, "results_in", {"responses=45"});
    act("zhang.wei", day + "T16:00+08:00", id, "scored", {"score=80", "band=satisfied"});
    act("wang.fang", day + "T17:00+08:00", id, "published", {which + "=" + day}, "发布");
  }
  std::string step_of(const std::string& id) const { return show(id, "2026-12-30T10:00+08:00")["step"]; }
};

TEST_CASE("satisfaction_survey: main path, two valid surveys within the first year") {
  survey_session s;
  const std::string id = s.open();
  CHECK(id == "MY-2026-0001");
  s.act("zhang.wei", "2026-08-14T17:00+08:00", id, "visited", {"households_moved_in=312", "households_visited=291"});
  s.round(id, "2026-09-07", "first_survey_on");
  s.act("wang.fang", "2026-09-07T17:10+08:00", id, "next_survey");
  s.round(id, "2026-12-07", "second_survey_on");
  s.act("wang.fang", "2026-12-07T17:10+08:00", id, "year_complete", {}, "完成");
  const nlohmann::json shown = s.show(id, "2026-12-07T17:11+08:00");
  CHECK(shown["step"] == "closed");
  CHECK(shown["deadlines"] == nlohmann::json::array());
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("satisfaction_survey: first return visit covers at least 90% of moved-in households") {
  survey_session s;
  const std::string id = s.open();
  // 280 of 312 is 89.7%; 281 is 90.06%.
  s.refused("zhang.wei", "2026-08-14T17:00+08:00",
            {"do", id, "visited", "--set", "households_moved_in=312", "--set", "households_visited=280"},
            "caseflow: action 'visited' is not allowed now: its condition `households_visited * 10 >= "
            "households_moved_in * 9 and households_visited <= households_moved_in` is false (households_visited = "
            "280, households_moved_in = 312)\n");
  CHECK(s.step_of(id) == "first_return_visit");
  s.act("zhang.wei", "2026-08-14T17:00+08:00", id, "visited", {"households_moved_in=312", "households_visited=281"});
  CHECK(s.step_of(id) == "planning");
}

TEST_CASE("satisfaction_survey: the VP approves the survey plan or sends it back") {
  survey_session s;
  const std::string id = s.open();
  s.act("zhang.wei", "2026-08-14T17:00+08:00", id, "visited", {"households_moved_in=312", "households_visited=300"});
  s.act("zhang.wei", "2026-08-17T10:00+08:00", id, "submit_plan", {"topic=入住交付", "method=phone", "sample_size=100"},
        "方案");
  s.refused("wang.fang", "2026-08-18T09:30+08:00", {"do", id, "approve"},  // the VP's
            "caseflow: wang.fang may not take action 'approve' on case " + id +
                ": it needs the role vp; wang.fang holds roles cs_manager\n");
  s.act("zhao.lei", "2026-08-18T09:30+08:00", id, "send_back", {}, "样本量不足");
  CHECK(s.step_of(id) == "planning");
}

TEST_CASE("satisfaction_survey: more than 20% non-response makes a survey invalid unless topped up") {
  survey_session s;
  // 79 of 100 answered: 21% non-response.
  const std::string id = s.in_fieldwork();
  s.refused("zhang.wei", "2026-09-04T17:00+08:00", {"do", id, "results_in", "--set", "responses=79"},
            "caseflow: action 'results_in' is not allowed now: its condition `responses <= sample_size and responses "
            "* 5 >= sample_size * 4` is false (responses = 79, sample_size = 100)\n");
  s.act("zhang.wei", "2026-09-04T17:00+08:00", id, "top_up", {"responses=79"}, "补访21户");
  s.act("zhang.wei", "2026-09-08T17:00+08:00", id, "results_in", {"responses=80"});  // exactly 20%: valid
  CHECK(s.step_of(id) == "analysis");
  // Not topped up: invalid, the round is planned again and does not count.
  const std::string invalid = s.in_fieldwork();
  s.refused("zhang.wei", "2026-09-04T17:00+08:00",
            {"do", invalid, "invalid", "--set", "responses=80", "--comment", "x"},
            "caseflow: action 'invalid' is not allowed now: its condition `responses * 5 < sample_size * 4` is false "
            "(responses = 80, sample_size = 100)\n");
  s.act("zhang.wei", "2026-09-04T17:00+08:00", invalid, "invalid", {"responses=60"}, "未回复40%，本次调查无效");
  CHECK(s.step_of(invalid) == "planning");
}

TEST_CASE("satisfaction_survey: scores fall in the bands 90-100, 76-89, 60-75, 45-59, below 45") {
  survey_session s;
  struct row {
    int score;
    std::string band;
    bool ok;
  };
  const std::vector<row> table{
      {100, "very_satisfied", true},   {90, "very_satisfied", true},   {89, "very_satisfied", false},
      {89, "satisfied", true},         {76, "satisfied", true},        {75, "satisfied", false},
      {75, "average", true},           {60, "average", true},          {59, "average", false},
      {59, "dissatisfied", true},      {45, "dissatisfied", true},     {44, "dissatisfied", false},
      {44, "very_dissatisfied", true}, {0, "very_dissatisfied", true}, {45, "very_dissatisfied", false},
      {101, "very_satisfied", false},
  };
  for (const auto& [score, band, ok] : table) {
    CAPTURE(score);
    CAPTURE(band);
    const std::string id = s.in_analysis();
    const run_result r = s.as("zhang.wei", "2026-09-08T11:00+08:00",
                              {"do", id, "scored", "--set", "score=" + std::to_string(score), "--set", "band=" + band});
    CHECK(r.exit_code == (ok ? 0 : 1));
    CHECK(s.step_of(id) == (ok ? "publication" : "analysis"));
  }
}

TEST_CASE("satisfaction_survey: at least two surveys within a year of move-in") {
  survey_session s;
  const std::string id = s.open();
  // Move-in 2026-06-27: due at the end of 2027-06-27.
  CHECK(rules_of(s.deadlines(id, "2026-07-20T10:01+08:00")) == strings{"two_surveys_in_first_year"});
  CHECK(deadline(s.deadlines(id, "2026-07-20T10:01+08:00"), "two_surveys_in_first_year")["due"] ==
        "2027-06-28T00:00:00+08:00");
  s.act("zhang.wei", "2026-08-14T17:00+08:00", id, "visited", {"households_moved_in=312", "households_visited=291"});
  s.round(id, "2026-09-07", "first_survey_on");
  s.refused("wang.fang", "2026-09-07T17:10+08:00", {"do", id, "year_complete", "--comment", "x"},
            "caseflow: action 'year_complete' is not allowed now: its condition `second_survey_on >= first_survey_on` "
            "is false (second_survey_on = (not set), first_survey_on = 2026-09-07)\n");
  // A second survey dated before the first is refused.
  s.refused("wang.fang", "2026-09-07T17:10+08:00",
            {"do", id, "year_complete", "--set", "second_survey_on=2026-09-01", "--comment", "x"},
            "caseflow: action 'year_complete' is not allowed now: its condition `second_survey_on >= first_survey_on` "
            "is false (second_survey_on = 2026-09-01, first_survey_on = 2026-09-07)\n");
  CHECK(s.tick("2027-06-27T23:59+08:00")["fired"] == 0);
  const nlohmann::json fired = s.tick("2027-06-28T00:00+08:00");
  CHECK(kinds(fired["events"]) ==
        strings{"timer_fired two_surveys_in_first_year", "notification_requested two_surveys_in_first_year"});
  CHECK(fired["events"][1]["data"]["to"] == nlohmann::json{"cs_manager", "vp"});
  // The second survey clears it on a case that still has time.
  const std::string second = s.open();
  s.act("zhang.wei", "2026-08-14T17:00+08:00", second, "visited",
        {"households_moved_in=312", "households_visited=291"});
  s.round(second, "2026-09-07", "first_survey_on");
  s.act("wang.fang", "2026-09-07T17:10+08:00", second, "next_survey");
  s.round(second, "2026-12-07", "second_survey_on");
  CHECK(s.deadlines(second, "2026-12-07T17:01+08:00") == nlohmann::json::array());
}

}  // namespace
}  // namespace caseflow::test
