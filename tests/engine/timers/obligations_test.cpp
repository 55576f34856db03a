// Obligations of a step (procedure.h obligation_def; timers.cpp settle_obligations): a daily
// progress report owed before 17:00 while the case is in the step. Under the shipped
// cn-mainland calendar (Asia/Shanghai; 2026 Spring Festival 02-15..02-23, make-up Saturdays
// 02-14 and 02-28). Expected times worked out by hand in the comments; all local (+08:00).
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/audit.h"
#include "caseflow/org.h"
#include "engine/test_support.h"
#include "engine/timers/timer_sim.h"

namespace caseflow {
namespace {

using test::cn;
using test::kinds;
using test::strings;
using test::timers_at;

constexpr const char* k_progress = R"(procedure: progress
name: { zh: 进度, en: Progress }
version: "1"
calendar: cn-mainland
case_id: "PG-{seq:03}"
roles: { agent: 客服, lead: 主管 }
fields:
  customer: { type: text, required: true }
start: handling
steps:
  handling:
    role: agent
    obligations:
      - rule: daily_report
        every: working day
        before: "17:00"
        met_by: report_progress
        on_breach: { notify: [lead], message: "no progress report today" }
      - { rule: daily_check, every: day, before: "20:00", met_by: check }
    actions:
      report_progress: { to: handling }
      check: { to: handling }
      done: closed
  closed: { terminal: true }
)";

const procedure& progress() {
  static const procedure p = test::load_or_fail(k_progress, "progress.yaml");
  return p;
}

test::sim progress_case() { return test::sim(&cn(), progress(), test::agent_and_lead()); }

TEST_CASE("obligations: the first occurrence is the first due time after the step is entered") {
  struct row {
    const char* entered;
    const char* report_due;  // every working day before 17:00
    const char* check_due;   // every day before 20:00
  };
  const row rows[] = {
      {"2026-03-02T10:00+08:00", "2026-03-02T17:00:00+08:00", "2026-03-02T20:00:00+08:00"},  // Mon morning
      {"2026-03-02T17:00+08:00", "2026-03-03T17:00:00+08:00", "2026-03-02T20:00:00+08:00"},  // at 17:00: not after it
      {"2026-03-02T21:00+08:00", "2026-03-03T17:00:00+08:00", "2026-03-03T20:00:00+08:00"},  // Mon evening
      {"2026-03-06T18:00+08:00", "2026-03-09T17:00:00+08:00", "2026-03-06T20:00:00+08:00"},  // Fri: Mon 03-09 next
      {"2026-03-07T09:00+08:00", "2026-03-09T17:00:00+08:00", "2026-03-07T20:00:00+08:00"},  // Sat: every day counts
      {"2026-02-13T18:00+08:00", "2026-02-14T17:00:00+08:00", "2026-02-13T20:00:00+08:00"},  // make-up Sat 02-14
      {"2026-02-14T17:30+08:00", "2026-02-24T17:00:00+08:00", "2026-02-14T20:00:00+08:00"},  // after the festival
  };
  for (const auto& r : rows) {
    CAPTURE(r.entered);
    auto s = progress_case();
    s.open(r.entered);
    CHECK(s.due("handling.daily_report") == r.report_due);
    CHECK(s.due("handling.daily_check") == r.check_due);
    CHECK(s.c().find_deadline("handling.daily_report")->kind == "obligation");
  }
}

TEST_CASE("obligations: a report met on Monday, missed on Tuesday") {
  auto s = progress_case();
  s.open("2026-03-02T10:00+08:00");  // Mon
  auto met = s.act("ann", "report_progress", "2026-03-02T15:00+08:00");
  CHECK(kinds(met) == strings{"action_taken", "deadline_cleared handling.daily_report", "deadline_set handling.daily_report"});
  CHECK(met[1].data["reason"] == "met");
  CHECK(met[1].data["due"] == "2026-03-02T09:00:00Z");  // Mon 17:00
  CHECK(met[1].data["met_at"] == "2026-03-02T07:00:00Z");
  CHECK(met[2].data["window_start"] == "2026-03-02T09:00:00Z");
  CHECK(s.due("handling.daily_report") == "2026-03-03T17:00:00+08:00");
  // Nothing on Tuesday: at 17:00 the occurrence is breached and Wednesday's is owed.
  auto missed = s.tick("2026-03-03T17:00+08:00");
  CHECK(kinds(missed) == strings{"timer_fired handling.daily_check", "deadline_set handling.daily_check",
                                 "timer_fired handling.daily_report", "notification_requested handling.daily_report",
                                 "deadline_set handling.daily_report"});
  CHECK(missed[2].data["due"] == "2026-03-03T09:00:00Z");
  CHECK(missed[3].data["message"] == "no progress report today");
  CHECK(missed[3].data["to"] == nlohmann::json::array({"lead"}));
  CHECK(s.due("handling.daily_report") == "2026-03-04T17:00:00+08:00");
  CHECK_FALSE(s.c().find_deadline("handling.daily_report")->breached);
  // The audit lists each occurrence of the visit with its outcome.
  const auto audit = audit_timeline(progress(), &cn(), s.log(), timers_at("2026-03-03T18:00+08:00"));
  std::vector<std::string> outcomes;
  for (const auto& o : audit["visits"][0]["obligations"])
    outcomes.push_back(o["rule"].get<std::string>() + " " + o["due"].get<std::string>() + " " + o["outcome"].get<std::string>());
  CHECK(outcomes == strings{"handling.daily_report 2026-03-02T09:00:00Z met",
                            "handling.daily_check 2026-03-02T12:00:00Z breached",
                            "handling.daily_report 2026-03-03T09:00:00Z breached"});
  CHECK(audit["breaches"].size() == 2);
}

TEST_CASE("obligations: a second report in a met window does not meet the next day") {
  auto s = progress_case();
  s.open("2026-03-02T10:00+08:00");
  s.act("ann", "report_progress", "2026-03-02T15:00+08:00");  // meets Mon
  auto again = s.act("ann", "report_progress", "2026-03-02T16:00+08:00");  // before Mon 17:00: Tue's window is later
  CHECK(kinds(again) == strings{"action_taken"});
  CHECK(s.due("handling.daily_report") == "2026-03-03T17:00:00+08:00");
  auto tue = s.tick("2026-03-03T17:00+08:00");
  CHECK(kinds(tue) == strings{"timer_fired handling.daily_check", "deadline_set handling.daily_check",
                              "timer_fired handling.daily_report", "notification_requested handling.daily_report",
                              "deadline_set handling.daily_report"});
}

TEST_CASE("obligations: a report after the due time, before the tick, meets the next day's occurrence") {
  auto s = progress_case();
  s.open("2026-03-02T10:00+08:00");
  // Mon 18:00: too late for Monday (due 17:00), inside Tuesday's window (Mon 17:00, Tue 17:00].
  auto late = s.act("ann", "report_progress", "2026-03-02T18:00+08:00");
  CHECK(kinds(late) == strings{"action_taken"});
  auto fired = s.tick("2026-03-02T19:00+08:00");
  CHECK(kinds(fired) == strings{"timer_fired handling.daily_report", "notification_requested handling.daily_report",
                                "deadline_set handling.daily_report", "deadline_cleared handling.daily_report",
                                "deadline_set handling.daily_report"});
  CHECK(fired[3].data["reason"] == "met");
  CHECK(fired[3].data["due"] == "2026-03-03T09:00:00Z");  // Tue 17:00, met by the Mon 18:00 report
  CHECK(s.due("handling.daily_report") == "2026-03-04T17:00:00+08:00");
}

TEST_CASE("obligations: each missed day is a breach of its own, and leaving the step ends the duty") {
  auto s = progress_case();
  s.open("2026-03-06T10:00+08:00");  // Fri
  // Ticked next on Wed 03-11 at 10:00: Fri, Mon and Tue were owed and missed (not Sat or Sun).
  auto fired = s.tick("2026-03-11T10:00+08:00");
  std::vector<std::string> breached;
  for (const auto& e : fired)
    if (e.kind == event_kind::timer_fired && e.data["rule"] == "handling.daily_report")
      breached.push_back(cn().format_local(*parse_instant(e.data["due"].get<std::string>())));
  CHECK(breached == strings{"2026-03-06T17:00:00+08:00", "2026-03-09T17:00:00+08:00", "2026-03-10T17:00:00+08:00"});
  CHECK(s.due("handling.daily_report") == "2026-03-11T17:00:00+08:00");
  auto done = s.act("ann", "done", "2026-03-11T11:00+08:00");
  CHECK(kinds(done) == strings{"action_taken", "deadline_cleared handling.daily_report", "deadline_cleared handling.daily_check"});
  CHECK(done[1].data["reason"] == "step left or condition no longer holds");
  CHECK(s.rules().empty());
}

}  // namespace
}  // namespace caseflow
