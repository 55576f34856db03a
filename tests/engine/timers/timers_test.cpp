// Business time for cases (engine/src/timers/timers.cpp): which deadlines schedule_deadlines asks
// for, and what fire_timer does when one is due. A small inline procedure runs under the
// shipped cn-mainland calendar (Asia/Shanghai, 09:00-12:00 and 13:00-18:00, Mon-Fri, 2026
// Spring Festival 02-15..02-23, make-up Saturdays 02-14 and 02-28, National Day 10-01..10-07).
// Expected times are worked out by hand in the comments; all are local (+08:00).
#include "caseflow/timers.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/calendar.h"
#include "caseflow/core.h"
#include "caseflow/loader.h"
#include "engine/test_support.h"
#include "engine/timers/timer_sim.h"

namespace caseflow {
namespace {

using test::cn;
using test::kinds;
using test::sets_t;
using test::strings;
using test::timers_at;
using test::k_calendar_dir;

constexpr const char* k_timed_ticket = R"(procedure: ticket
name: { zh: 工单, en: Ticket }
version: "1"
calendar: cn-mainland
case_id: "TK-{yyyy}-{seq:03}"
roles: { agent: 客服, lead: 组长 }
fields:
  customer: { type: text, required: true }
  level: { type: enum, values: [low, medium, high, critical], default: low }
  flagged: { type: bool, default: false }
  vip: { type: bool, default: false }
escalations:
  - { rule: medium_after_3d, after: 3d, unless: 'vip', raise: { level: medium } }
  - { rule: high_after_week, after: 7d, unless: 'vip', raise: { level: high }, message: "一周未解决 / open a week" }
  - { rule: critical_report, when: 'level == "critical"', since: condition, after: 1 working day, notify: [lead] }
  - { rule: high_weekly, when: 'level == "high"', since: condition, after: 7d, every: 7d, notify: [lead],
      message: "weekly report" }
start: triage
steps:
  triage:
    role: agent
    limits:
      - { rule: quick, within: 30m working, remind_at: 80%, when: 'received_in_working_hours',
          on_breach: { notify: [lead], raise: { level: medium } } }
      - { rule: later, within: 1h working, when: 'not received_in_working_hours and not received_on_holiday',
          on_breach: { action: escalate } }
      - { rule: holiday, within: same day, when: 'received_on_holiday', on_breach: { set: { flagged: true } } }
    actions:
      take: work
      escalate: { to: lead_review, role: lead }
  lead_review:
    role: lead
    limits:
      - { rule: review, within: 4h working, remind_at: 50% }
    actions:
      back: triage
  work:
    role: agent
    actions:
      rate: { to: work, sets: [level, vip] }
      wait: waiting
      solve: solved
  waiting:
    role: agent
    pauses_clock: true
    actions:
      resume: work
  solved:
    role: agent
    resolved: true
    actions:
      reopen: work
)";

const procedure& ticket() {
  static const procedure p = test::load_or_fail(k_timed_ticket, "ticket.yaml");
  return p;
}

// The ticket procedure of these tests, driven by test::sim.
class sim : public test::sim {
 public:
  sim() : test::sim(&cn(), ticket(), test::agent_and_lead()) {}
  sim(const calendar* cal, const procedure& p) : test::sim(cal, p, test::agent_and_lead()) {}
};

bool ok(const decision& d) { return static_cast<bool>(d); }

TEST_CASE("timers: a step limit's `when` on the arrival context picks the rule") {
  SUBCASE("in working hours: quick, 30m working, with its 80% reminder") {
    sim s;
    s.open("2026-02-13T17:50+08:00");  // Fri, 10 min before the close
    // 10 min on Fri, 20 min on the make-up Saturday 02-14: 09:20. Reminder at 80% = 24 min:
    // 10 on Fri + 14 on Sat = 09:14.
    CHECK(s.due("triage.quick") == "2026-02-14T09:20:00+08:00");
    CHECK(s.due("triage.quick.reminder") == "2026-02-14T09:14:00+08:00");
    CHECK(s.due("triage.later") == "none");
    CHECK(s.due("triage.holiday") == "none");
    CHECK(s.c().find_deadline("triage.quick")->kind == "limit");
    CHECK(s.c().find_deadline("triage.quick.reminder")->kind == "reminder");
  }
  SUBCASE("on a workday after hours: later, 1h after work starts") {
    sim s;
    s.open("2026-03-03T19:00+08:00");  // Tue after the close -> Wed 09:00 + 1h
    CHECK(s.due("triage.later") == "2026-03-04T10:00:00+08:00");
    CHECK(s.due("triage.quick") == "none");
    CHECK(s.due("triage.holiday") == "none");
  }
  SUBCASE("on a plain weekend (not a holiday): later") {
    sim s;
    s.open("2026-03-07T10:00+08:00");  // Sat: weekend, not a holiday -> Mon 03-09 09:00 + 1h
    CHECK(s.due("triage.later") == "2026-03-09T10:00:00+08:00");
    CHECK(s.due("triage.holiday") == "none");
  }
  SUBCASE("on a public holiday: holiday, the same day") {
    sim s;
    s.open("2026-10-03T10:00+08:00");  // Sat in the National Day holiday -> 24:00 that day
    CHECK(s.due("triage.holiday") == "2026-10-04T00:00:00+08:00");
    CHECK(s.due("triage.later") == "none");
    CHECK(s.due("triage.quick") == "none");
    CHECK(s.c().find_deadline("triage.holiday.reminder") == nullptr);
  }
  SUBCASE("a working Saturday (make-up day) is in working hours") {
    sim s;
    s.open("2026-02-28T11:00+08:00");  // make-up Sat: 11:00 + 30 min = 11:30; 80% = 11:24
    CHECK(s.due("triage.quick") == "2026-02-28T11:30:00+08:00");
    CHECK(s.due("triage.quick.reminder") == "2026-02-28T11:24:00+08:00");
  }
}

TEST_CASE("timers: the events that set deadlines are the system's, with UTC due and the calendar version") {
  sim s;
  const auto events = s.open("2026-02-13T17:50+08:00");
  REQUIRE(events.size() == 5);
  CHECK(kinds(events) == strings{"case_started", "deadline_set triage.quick", "deadline_set triage.quick.reminder",
                                 "deadline_set medium_after_3d", "deadline_set high_after_week"});
  const event& set = events[1];
  CHECK(set.actor == "system");
  CHECK(set.seq == 2);
  CHECK(set.from_step == "triage");
  CHECK(set.to_step == "triage");
  CHECK(set.definition_hash == ticket().hash);
  CHECK(set.data == nlohmann::json{{"rule", "triage.quick"}, {"kind", "limit"}, {"due", "2026-02-14T01:20:00Z"},
                                   {"provisional", false}, {"calendar_version", cn().version()}});
  // Escalations count plain time from opening: 3 and 7 days.
  CHECK(s.due("medium_after_3d") == "2026-02-16T17:50:00+08:00");
  CHECK(s.due("high_after_week") == "2026-02-20T17:50:00+08:00");
}

TEST_CASE("timers: a reminder fires once and only once") {
  sim s;
  s.open("2026-02-13T17:50+08:00");
  const decision fired = s.fire("triage.quick.reminder", "2026-02-14T09:14+08:00");
  REQUIRE(static_cast<bool>(fired));
  REQUIRE(fired.events.size() == 2);
  CHECK(fired.events[0].kind == "timer_fired");
  CHECK(fired.events[0].actor == "system");
  CHECK(fired.events[0].data ==
        nlohmann::json{{"rule", "triage.quick.reminder"}, {"kind", "reminder"}, {"due", "2026-02-14T01:14:00Z"}});
  CHECK(fired.events[1].kind == "notification_requested");
  CHECK(fired.events[1].data["to"] == nlohmann::json::array({"assignee"}));
  CHECK(fired.events[1].data["message"] == "reminder: triage.quick of case TK-2026-001 is due soon");
  CHECK(s.c().find_deadline("triage.quick.reminder") == nullptr);
  CHECK(s.c().reminders_sent == strings{"triage.quick.reminder"});
  CHECK(s.due("triage.quick") == "2026-02-14T09:20:00+08:00");  // the limit itself still pending

  // Rescheduling (another command, a recompute) does not bring the reminder back.
  CHECK(s.reschedule("2026-02-14T09:15+08:00").empty());
  CHECK(s.c().find_deadline("triage.quick.reminder") == nullptr);
  // And it cannot fire again.
  const decision again = s.fire("triage.quick.reminder", "2026-02-14T09:16+08:00");
  REQUIRE_FALSE(static_cast<bool>(again));
  CHECK(again.events.empty());
}

TEST_CASE("timers: a timer never fires before it is due") {
  sim s;
  s.open("2026-02-13T17:50+08:00");
  const decision early = s.fire("triage.quick", "2026-02-14T09:19:59+08:00");
  REQUIRE_FALSE(static_cast<bool>(early));
  CHECK(early.events.empty());
  CHECK(early.refused->message == "timer triage.quick of case TK-2026-001 is not due");
  const decision unknown = s.fire("triage.nothing", "2026-03-01T09:00+08:00");
  REQUIRE_FALSE(static_cast<bool>(unknown));
  CHECK(unknown.refused->message == "timer triage.nothing of case TK-2026-001 is not due");
  CHECK_FALSE(s.c().find_deadline("triage.quick")->breached);
}

TEST_CASE("timers: a breached limit stays, overdue, until the step is left; then it is cleared") {
  sim s;
  s.open("2026-02-13T17:50+08:00");
  REQUIRE(ok(s.fire("triage.quick.reminder", "2026-02-14T09:14+08:00")));
  const decision breach = s.fire("triage.quick", "2026-02-14T09:20+08:00");
  REQUIRE(static_cast<bool>(breach));
  CHECK(kinds(breach.events) == strings{"timer_fired triage.quick", "fields_changed", "notification_requested triage.quick"});
  CHECK(breach.events[1].data ==
        nlohmann::json{{"fields", {{"level", "medium"}}}, {"reason", "limit triage.quick was due"}});
  CHECK(breach.events[2].data["to"] == nlohmann::json::array({"lead"}));
  CHECK(breach.events[2].data["message"] == "case TK-2026-001: limit triage.quick is due");
  CHECK(s.field("level") == "medium");

  const case_deadline* d = s.c().find_deadline("triage.quick");
  REQUIRE(d);
  CHECK(d->breached);
  CHECK(cn().format_local(d->due) == "2026-02-14T09:20:00+08:00");
  // It stays as it is, however often deadlines are recomputed, and does not fire twice.
  CHECK(s.reschedule("2026-02-24T10:00+08:00").empty());
  CHECK(s.c().find_deadline("triage.quick")->breached);
  const decision twice = s.fire("triage.quick", "2026-02-24T10:00+08:00");
  REQUIRE_FALSE(static_cast<bool>(twice));
  CHECK(twice.events.empty());

  // Leaving the step clears it.
  const auto took = s.act("ann", "take", "2026-02-24T10:05+08:00");
  CHECK(kinds(took) == strings{"action_taken", "deadline_cleared triage.quick"});
  CHECK(took[1].data["reason"] == "step left or condition no longer holds");
  CHECK(s.c().find_deadline("triage.quick") == nullptr);
}

TEST_CASE("timers: a limit breached before its reminder fired drops the reminder") {
  sim s;
  s.open("2026-02-13T17:50+08:00");
  // Both are due at 09:30; the limit fired first: the reminder is no longer of use.
  const decision breach = s.fire("triage.quick", "2026-02-14T09:30+08:00");
  REQUIRE(static_cast<bool>(breach));
  CHECK(s.c().find_deadline("triage.quick.reminder") == nullptr);
  const strings recorded = kinds(breach.events);
  CHECK(std::count(recorded.begin(), recorded.end(), "deadline_cleared triage.quick.reminder") == 1);
}

TEST_CASE("timers: firing the same timer twice is refused") {
  sim s;
  s.open("2026-02-13T17:50+08:00");
  REQUIRE(ok(s.fire("medium_after_3d", "2026-02-16T17:50+08:00")));
  CHECK(s.c().escalations_fired.at("medium_after_3d") == 1);
  CHECK(s.c().find_deadline("medium_after_3d") == nullptr);
  const decision again = s.fire("medium_after_3d", "2026-02-16T17:51+08:00");
  REQUIRE_FALSE(static_cast<bool>(again));
  CHECK(again.events.empty());
  CHECK(s.reschedule("2026-02-16T17:52+08:00").empty());  // not scheduled again
  CHECK(s.c().escalations_fired.at("medium_after_3d") == 1);
}

TEST_CASE("timers: raise only goes up; an enum field already higher is not lowered") {
  sim s;
  s.open("2026-02-13T17:50+08:00", {{"level", "high"}});
  const decision breach = s.fire("triage.quick", "2026-02-14T09:20+08:00");  // raise: level medium
  REQUIRE(static_cast<bool>(breach));
  CHECK(std::none_of(breach.events.begin(), breach.events.end(),
                     [](const event& e) { return e.kind == "fields_changed"; }));
  CHECK(s.field("level") == "high");
  const decision medium = s.fire("medium_after_3d", "2026-02-16T17:50+08:00");  // raise: level medium
  REQUIRE(static_cast<bool>(medium));
  CHECK(kinds(medium.events) == strings{"timer_fired medium_after_3d"});
  CHECK(s.field("level") == "high");

  // From a lower value it does raise.
  sim low;
  low.open("2026-02-13T17:50+08:00");
  const decision raised = low.fire("high_after_week", "2026-02-20T17:50+08:00");
  REQUIRE(static_cast<bool>(raised));
  REQUIRE(raised.events.size() >= 2);
  CHECK(raised.events[1].kind == "fields_changed");
  CHECK(raised.events[1].data == nlohmann::json{{"fields", {{"level", "high"}}},
                                                {"reason", "escalation high_after_week was due"}});
  CHECK(low.field("level") == "high");
}

TEST_CASE("timers: set writes the field as given") {
  sim s;
  s.open("2026-10-03T10:00+08:00");
  CHECK(s.field("flagged") == "false");
  REQUIRE_FALSE(ok(s.fire("triage.holiday", "2026-10-03T23:59:59+08:00")));
  const decision breach = s.fire("triage.holiday", "2026-10-04T00:00+08:00");
  REQUIRE(static_cast<bool>(breach));
  CHECK(kinds(breach.events) == strings{"timer_fired triage.holiday", "fields_changed"});
  CHECK(breach.events[1].data == nlohmann::json{{"fields", {{"flagged", true}}}, {"reason", "limit triage.holiday was due"}});
  CHECK(s.field("flagged") == "true");
}

TEST_CASE("timers: an automatic action on breach moves the case, and the new step's limits are scheduled") {
  sim s;
  s.open("2026-03-03T19:00+08:00");  // Tue after hours: later due Wed 10:00
  const decision breach = s.fire("triage.later", "2026-03-04T10:00+08:00");
  REQUIRE(static_cast<bool>(breach));
  CHECK(kinds(breach.events) == strings{"timer_fired triage.later", "action_taken", "deadline_cleared triage.later",
                                        "deadline_set lead_review.review", "deadline_set lead_review.review.reminder"});
  const event& moved = breach.events[1];
  CHECK(moved.actor == "system");
  CHECK(moved.action == "escalate");
  CHECK(moved.from_step == "triage");
  CHECK(moved.to_step == "lead_review");
  CHECK(s.c().step == "lead_review");
  // 4h working from Wed 10:00: 10-12, 13-15 -> 15:00; 50% = 2h -> 12:00.
  CHECK(s.due("lead_review.review") == "2026-03-04T15:00:00+08:00");
  CHECK(s.due("lead_review.review.reminder") == "2026-03-04T12:00:00+08:00");
  CHECK(s.c().find_deadline("triage.later") == nullptr);
  // Escalations are unaffected by the move.
  CHECK(s.due("high_after_week") == "2026-03-10T19:00:00+08:00");
}

TEST_CASE("timers: escalation `after` counts from opening, excluding time in clock-pausing steps") {
  sim s;
  s.open("2026-03-02T10:00+08:00");  // Mon
  CHECK(s.due("medium_after_3d") == "2026-03-05T10:00:00+08:00");
  CHECK(s.due("high_after_week") == "2026-03-09T10:00:00+08:00");
  s.act("ann", "take", "2026-03-02T11:00+08:00");
  const auto paused = s.act("ann", "wait", "2026-03-03T10:00+08:00");
  CHECK(kinds(paused) == strings{"action_taken", "deadline_cleared medium_after_3d", "deadline_cleared high_after_week"});
  CHECK(paused[1].data["reason"] == "no longer applies");
  CHECK(s.c().deadlines.empty());
  CHECK(s.reschedule("2026-03-04T10:00+08:00").empty());  // nothing while waiting
  CHECK_FALSE(ok(s.fire("medium_after_3d", "2026-03-05T10:00+08:00")));

  // Two days waiting (03-03 10:00 .. 03-05 10:00) push both back by two days.
  s.act("ann", "resume", "2026-03-05T10:00+08:00");
  CHECK(s.c().paused_seconds == 2 * 86400);
  CHECK(s.due("medium_after_3d") == "2026-03-07T10:00:00+08:00");
  CHECK(s.due("high_after_week") == "2026-03-11T10:00:00+08:00");
  CHECK(s.tick("2026-03-07T09:59:59+08:00").empty());
  const auto fired = s.tick("2026-03-07T10:00+08:00");
  CHECK(kinds(fired) == strings{"timer_fired medium_after_3d", "fields_changed"});
  CHECK(s.field("level") == "medium");

  // A second pause adds up with the first.
  s.act("ann", "wait", "2026-03-08T10:00+08:00");
  s.act("ann", "resume", "2026-03-09T16:00+08:00");  // 30 hours
  CHECK(s.c().paused_seconds == 2 * 86400 + 30 * 3600);
  CHECK(s.due("high_after_week") == "2026-03-12T16:00:00+08:00");
}

TEST_CASE("timers: a `since: condition` escalation counts from when its `when` became true") {
  sim s;
  s.open("2026-03-02T10:00+08:00");  // Mon
  s.act("ann", "take", "2026-03-02T10:05+08:00");
  CHECK(s.due("critical_report") == "none");
  const auto rated = s.act("ann", "rate", "2026-03-04T11:00+08:00", {{"level", "critical"}});
  CHECK(kinds(rated) == strings{"action_taken", "deadline_set critical_report"});
  // 1 working day from Wed 03-04 11:00: the first working day after Wed, Thu -> Thu 18:00
  // (from opening it would have been Tue 03-03 18:00).
  CHECK(s.due("critical_report") == "2026-03-05T18:00:00+08:00");
  // Recomputing later keeps the count from when it began.
  CHECK(s.reschedule("2026-03-05T09:00+08:00").empty());
  CHECK(s.due("critical_report") == "2026-03-05T18:00:00+08:00");
  CHECK_FALSE(ok(s.fire("critical_report", "2026-03-05T17:59:59+08:00")));
  const decision fired = s.fire("critical_report", "2026-03-05T18:00+08:00");
  REQUIRE(static_cast<bool>(fired));
  CHECK(kinds(fired.events) == strings{"timer_fired critical_report", "notification_requested critical_report"});
  CHECK(fired.events[1].data["to"] == nlohmann::json::array({"lead"}));
  CHECK(fired.events[1].data["message"] == "case TK-2026-001: escalation critical_report is due");
  // Once: no repetition without `every`.
  CHECK(s.c().find_deadline("critical_report") == nullptr);
  CHECK(s.reschedule("2026-03-06T09:00+08:00").empty());
}

TEST_CASE("timers: a `since: condition` escalation is cleared when its condition stops holding") {
  sim s;
  s.open("2026-03-02T10:00+08:00");
  s.act("ann", "take", "2026-03-02T10:05+08:00");
  s.act("ann", "rate", "2026-03-04T11:00+08:00", {{"level", "critical"}});
  const auto lowered = s.act("ann", "rate", "2026-03-04T15:00+08:00", {{"level", "low"}});
  CHECK(kinds(lowered) == strings{"action_taken", "deadline_cleared critical_report"});
  // Critical again: counted afresh from then (Thu 09:00 -> the working day after Thu, Fri 18:00).
  s.act("ann", "rate", "2026-03-05T09:00+08:00", {{"level", "critical"}});
  CHECK(s.due("critical_report") == "2026-03-06T18:00:00+08:00");
}

TEST_CASE("timers: `every` repeats an escalation weekly, counted from when it was due") {
  sim s;
  s.open("2026-03-02T10:00+08:00");
  s.act("ann", "take", "2026-03-02T10:05+08:00");
  s.act("ann", "rate", "2026-03-04T11:00+08:00", {{"level", "high"}});
  CHECK(s.due("high_weekly") == "2026-03-11T11:00:00+08:00");
  CHECK_FALSE(ok(s.fire("high_weekly", "2026-03-11T10:59+08:00")));
  const decision first = s.fire("high_weekly", "2026-03-11T11:00+08:00");
  REQUIRE(static_cast<bool>(first));
  CHECK(kinds(first.events) == strings{"timer_fired high_weekly", "deadline_set high_weekly",
                                       "notification_requested high_weekly"});
  CHECK(first.events[2].data["message"] == "weekly report");
  CHECK(s.due("high_weekly") == "2026-03-18T11:00:00+08:00");
  // Fired late: the next one is still a week after this one was due, not after the firing.
  REQUIRE(ok(s.fire("high_weekly", "2026-03-18T12:30+08:00")));
  CHECK(s.due("high_weekly") == "2026-03-25T11:00:00+08:00");
  CHECK(s.c().escalations_fired.at("high_weekly") == 2);
  CHECK(s.reschedule("2026-03-19T09:00+08:00").empty());
  // No longer high: the repetition stops.
  const auto lowered = s.act("ann", "rate", "2026-03-19T10:00+08:00", {{"level", "medium"}});
  CHECK(kinds(lowered) == strings{"action_taken", "deadline_cleared high_weekly"});
}

TEST_CASE("timers: `unless` suppresses an escalation while it holds") {
  sim vip;
  vip.open("2026-03-02T10:00+08:00", {{"vip", "true"}});
  CHECK(vip.due("medium_after_3d") == "none");
  CHECK(vip.due("high_after_week") == "none");
  CHECK(vip.rules() == strings{"triage.quick", "triage.quick.reminder"});

  sim s;
  s.open("2026-03-02T10:00+08:00");
  s.act("ann", "take", "2026-03-02T10:05+08:00");
  const auto became_vip = s.act("ann", "rate", "2026-03-03T10:00+08:00", {{"vip", "true"}});
  CHECK(kinds(became_vip) == strings{"action_taken", "deadline_cleared medium_after_3d", "deadline_cleared high_after_week"});
  CHECK(s.c().deadlines.empty());
  CHECK_FALSE(ok(s.fire("medium_after_3d", "2026-03-05T10:00+08:00")));
  // No longer suppressed: back, still counted from opening.
  s.act("ann", "rate", "2026-03-04T10:00+08:00", {{"vip", "false"}});
  CHECK(s.due("medium_after_3d") == "2026-03-05T10:00:00+08:00");
  CHECK(s.due("high_after_week") == "2026-03-09T10:00:00+08:00");
}

TEST_CASE("timers: a case that becomes resolved clears its escalations") {
  sim s;
  s.open("2026-03-02T10:00+08:00");
  s.act("ann", "take", "2026-03-02T10:05+08:00");
  s.act("ann", "rate", "2026-03-03T10:00+08:00", {{"level", "high"}});
  CHECK(s.rules() == strings{"high_after_week", "high_weekly", "medium_after_3d"});
  const auto solved = s.act("ann", "solve", "2026-03-04T12:00+08:00");
  CHECK(kinds(solved) == strings{"action_taken", "deadline_cleared medium_after_3d", "deadline_cleared high_after_week",
                                 "deadline_cleared high_weekly"});
  CHECK_FALSE(s.c().open);
  CHECK(s.c().deadlines.empty());
  CHECK(s.reschedule("2026-04-01T10:00+08:00").empty());
  CHECK(s.tick("2026-04-01T10:00+08:00").empty());
  CHECK_FALSE(ok(s.fire("high_after_week", "2026-04-01T10:00+08:00")));
}

// cn-mainland with one extra closure, Wed 2026-03-04: a calendar edit as a company makes it.
const calendar& closed_on_0304() {
  static const calendar_set set = [] {
    diagnostics problems;
    auto text = read_text_file(k_calendar_dir + "/cn-mainland.yaml");
    REQUIRE(text.has_value());
    calendar_set loaded = load_calendar_sources(
        {{"cn-mainland.yaml", *text},
         {"acme.yaml", "calendar: acme\nextends: cn-mainland\nclosures:\n  - { name: 停电 Power cut, date: 2026-03-04 }\n"}},
        &problems);
    for (const diagnostic& d : problems) FAIL_CHECK(to_string(d));
    return loaded;
  }();
  const calendar* acme = set.find("acme");
  REQUIRE(acme);
  return *acme;
}

TEST_CASE("timers: a calendar change gives deadline_changed with the old due time") {
  const calendar* acme = &closed_on_0304();
  REQUIRE(acme->version() != cn().version());

  sim s;
  s.open("2026-03-03T19:00+08:00");  // Tue after hours: later due Wed 03-04 10:00 under cn-mainland
  CHECK(s.due("triage.later") == "2026-03-04T10:00:00+08:00");
  CHECK(s.reschedule("2026-03-03T20:00+08:00").empty());  // same calendar: nothing to record

  // With Wed 03-04 closed, work starts Thu 09:00: due Thu 10:00.
  const auto changed = s.reschedule("2026-03-03T20:00+08:00", acme);
  auto later = std::find_if(changed.begin(), changed.end(), [](const event& e) { return e.data["rule"] == "triage.later"; });
  REQUIRE(later != changed.end());
  CHECK(later->kind == "deadline_changed");
  CHECK(later->actor == "system");
  CHECK(later->data == nlohmann::json{{"rule", "triage.later"}, {"kind", "limit"}, {"due", "2026-03-05T02:00:00Z"},
                                      {"provisional", false}, {"calendar_version", acme->version()},
                                      {"old_due", "2026-03-04T02:00:00Z"}});
  CHECK(s.due("triage.later") == "2026-03-05T10:00:00+08:00");
  CHECK(s.c().find_deadline("triage.later")->calendar_version == acme->version());
  // Plain-time escalations keep their time (3 and 7 days from opening).
  CHECK(s.due("medium_after_3d") == "2026-03-06T19:00:00+08:00");
  CHECK(s.due("high_after_week") == "2026-03-10T19:00:00+08:00");
  // Once recorded, recomputing under the same calendar records nothing more.
  CHECK(s.reschedule("2026-03-03T21:00+08:00", acme).empty());
}

// A deadline whose time and provisional flag did not move under a new calendar version is
// not a change: recompute must not grow the log with no-op events.
TEST_CASE("timers: a calendar change records only the deadlines whose time moved") {
  const calendar* acme = &closed_on_0304();
  sim s;
  s.open("2026-03-03T19:00+08:00");
  const auto changed = s.reschedule("2026-03-03T20:00+08:00", acme);
  CHECK(kinds(changed) == strings{"deadline_changed triage.later"});
  for (const auto& e : changed) CHECK(e.data["due"] != e.data["old_due"]);
}

// A `same day` limit is wall-clock time: its reminder is a share of wall-clock time, never
// the next working moment days after the limit.
TEST_CASE("timers: a reminder is never due after its limit") {
  // A `same day` limit with a reminder, opened on a public holiday: there is no working time
  // before the limit, so the reminder must not be due after it.
  constexpr const char* k_holiday = R"(procedure: hotline
calendar: cn-mainland
case_id: "HL-{seq:03}"
roles: { agent: 客服 }
fields:
  customer: { type: text, required: true }
start: intake
steps:
  intake:
    role: agent
    limits:
      - { rule: call_back, within: same day, remind_at: 50% }
    actions:
      done: closed
  closed: { terminal: true }
)";
  diagnostics out;
  auto p = load_procedure_text(k_holiday, "hotline.yaml", &out);
  for (const diagnostic& d : out) FAIL_CHECK(to_string(d));
  REQUIRE(p.has_value());
  case_state c;
  c.id = "HL-001";
  c.procedure = "hotline";
  c.step = "intake";
  c.seq = 1;
  c.fields["customer"] = std::string("Zhang");
  c.opened_at = c.step_entered_at = timers_at("2026-10-03T10:00+08:00");  // National Day holiday
  const auto events = schedule_deadlines(*p, &cn(), c, c.opened_at);
  case_state next = c;
  for (const auto& e : events) next = apply(*p, std::move(next), e);
  const case_deadline* limit = next.find_deadline("intake.call_back");
  REQUIRE(limit);
  CHECK(cn().format_local(limit->due) == "2026-10-04T00:00:00+08:00");
  // There is no working time before 24:00, so a reminder can only be at or before the limit
  // (half of the plain time would be 17:00), or left out.
  if (const case_deadline* reminder = next.find_deadline("intake.call_back.reminder")) {
    INFO("reminder due ", cn().format_local(reminder->due));
    CHECK(reminder->due <= limit->due);
  }
}

// A repair whose limits fall due at field times (issue: deadlines at a field's time).
constexpr const char* k_repair = R"(procedure: repair
name: { zh: 维修, en: Repair }
version: "1"
calendar: cn-mainland
case_id: "RP-{seq:03}"
roles: { agent: 客服 }
fields:
  customer: { type: text, required: true }
  agreed_time: { type: datetime }
  customer_deadline: { type: date }
  visit_date: { type: date }
  new_time: { type: datetime }
  consented_by: { type: text }
  consent_channel: { type: enum, values: [phone, sms, in_person] }
start: fixing
steps:
  fixing:
    role: agent
    limits:
      - { rule: agreed, at: agreed_time }
      - { rule: answer, within: 24h, at: customer_deadline }
      - { rule: prepare, within: 2 working days, at: visit_date - 1 working day, whichever: later }
    actions:
      agree: { to: fixing, sets: [agreed_time, customer_deadline, visit_date] }
      postpone: { to: fixing, extends: { limit: answer, by: 1 working day } }
      reschedule: { to: fixing, extends: { limit: agreed, to: new_time, consent: [consented_by, consent_channel] } }
      report_progress: { to: fixing, restarts_limits: true }
      done: closed
  closed: { terminal: true }
)";

const procedure& repair() {
  static const procedure p = test::load_or_fail(k_repair, "repair.yaml");
  return p;
}

// The one event of `kind` for `rule` in `events` (the test fails when there is not exactly one).
const event& only(const std::vector<event>& events, std::string_view kind, std::string_view rule) {
  const event* found = nullptr;
  int count = 0;
  for (const auto& e : events)
    if (e.kind == kind && e.data.value("rule", "") == rule) found = &e, ++count;
  std::string all;
  for (const auto& k : kinds(events)) all += k + "; ";
  INFO(kind, " ", rule, " in ", all);
  REQUIRE(count == 1);
  return *found;
}

TEST_CASE("timers: a limit at a datetime field is set, moved and cleared with the field") {
  sim s(&cn(), repair());
  s.open("2026-03-03T10:00+08:00");  // Tue
  CHECK(s.due("fixing.agreed") == "none");  // no agreed time yet, and no `within`
  // A wall time without an offset is read in the calendar's zone (Asia/Shanghai).
  auto set = s.act("ann", "agree", "2026-03-03T11:00+08:00", {{"agreed_time", "2026-03-05T14:00"}});
  CHECK(s.due("fixing.agreed") == "2026-03-05T14:00:00+08:00");
  CHECK(only(set, event_kind::deadline_set, "fixing.agreed").data["due"] == "2026-03-05T06:00:00Z");
  auto moved = s.act("ann", "agree", "2026-03-03T11:30+08:00", {{"agreed_time", "2026-03-06T09:30+08:00"}});
  const event& changed = only(moved, event_kind::deadline_changed, "fixing.agreed");
  CHECK(changed.data["old_due"] == "2026-03-05T06:00:00Z");
  CHECK(changed.data["due"] == "2026-03-06T01:30:00Z");
  CHECK(changed.data["reason"] == "field");
  CHECK(changed.data["field"] == "agreed_time");
  auto cleared = s.act("ann", "agree", "2026-03-03T12:00+08:00", {{"agreed_time", ""}});
  CHECK(only(cleared, event_kind::deadline_cleared, "fixing.agreed").seq > 0);
  CHECK(s.due("fixing.agreed") == "none");
  CHECK(s.field("agreed_time") == "");
}

TEST_CASE("timers: 24 hours or the customer's deadline, whichever is earlier") {
  sim s(&cn(), repair());
  s.open("2026-03-03T10:00+08:00");
  CHECK(s.due("fixing.answer") == "2026-03-04T10:00:00+08:00");  // 24 plain hours
  // A date field is due at the END of its day: 03-03 24:00 = 03-04 00:00, before 10:00.
  auto today = s.act("ann", "agree", "2026-03-03T10:30+08:00", {{"customer_deadline", "2026-03-03"}});
  CHECK(s.due("fixing.answer") == "2026-03-04T00:00:00+08:00");
  CHECK(only(today, event_kind::deadline_changed, "fixing.answer").data["reason"] == "field");
  // A later customer deadline leaves the 24 hours in force.
  s.act("ann", "agree", "2026-03-03T10:40+08:00", {{"customer_deadline", "2026-03-10"}});
  CHECK(s.due("fixing.answer") == "2026-03-04T10:00:00+08:00");
  // Clearing it falls back to the duration, which is already the due time: nothing moves.
  auto cleared = s.act("ann", "agree", "2026-03-03T10:50+08:00", {{"customer_deadline", ""}});
  CHECK(kinds(cleared) == strings{"action_taken"});
  CHECK(s.due("fixing.answer") == "2026-03-04T10:00:00+08:00");
}

TEST_CASE("timers: 2 working days or a working day before the visit, whichever is later") {
  sim s(&cn(), repair());
  s.open("2026-03-03T10:00+08:00");  // Tue: 2 working days after 03-03 = Thu 03-05, at its close
  CHECK(s.due("fixing.prepare") == "2026-03-05T18:00:00+08:00");
  // Visit Mon 03-09: one working day before is Fri 03-06, due at its close — the later one.
  s.act("ann", "agree", "2026-03-03T11:00+08:00", {{"visit_date", "2026-03-09"}});
  CHECK(s.due("fixing.prepare") == "2026-03-06T18:00:00+08:00");
  // Visit Wed 03-04: the day before is Tue 03-03 18:00, earlier than Thu: back to Thu.
  s.act("ann", "agree", "2026-03-03T11:10+08:00", {{"visit_date", "2026-03-04"}});
  CHECK(s.due("fixing.prepare") == "2026-03-05T18:00:00+08:00");
  s.act("ann", "agree", "2026-03-03T11:20+08:00", {{"visit_date", "2026-03-20"}});
  // Fri 03-20 - 1 working day = Thu 03-19, 18:00.
  CHECK(s.due("fixing.prepare") == "2026-03-19T18:00:00+08:00");
}

TEST_CASE("timers: a datetime that is not one is refused, naming the calendar's zone") {
  sim s(&cn(), repair());
  s.open("2026-03-03T10:00+08:00");
  command cmd;
  cmd.type = command::kind::act;
  cmd.actor = "ann";
  cmd.action = "agree";
  cmd.sets = {{"agreed_time", "2026-03-05 25:00"}};
  const moment at{timers_at("2026-03-03T11:00+08:00"), make_date(2026, 3, 3), &cn()};
  decision bad = decide(repair(), test::agent_and_lead(), s.c(), cmd, at);
  REQUIRE(bad.refused);
  CHECK(bad.refused->message ==
        "field 'agreed_time': '2026-03-05 25:00' is not a date and time (e.g. 2026-02-13T17:50 in Asia/Shanghai, or "
        "with an offset: 2026-02-13T17:50+08:00)");
}

TEST_CASE("timers: extending a running limit by a duration counts from its due time and needs a reason") {
  sim s(&cn(), repair());
  s.open("2026-03-03T10:00+08:00");  // answer due Wed 03-04 10:00 (24h)
  decision silent = s.try_act("ann", "postpone", "2026-03-03T15:00+08:00");
  REQUIRE(silent.refused);
  CHECK(silent.refused->code == refusal_code::comment_required);
  auto events = s.act("ann", "postpone", "2026-03-03T15:00+08:00", {}, "零件未到 parts on order");
  // 1 working day from Wed 03-04 10:00: the close of the first working day after the 4th, Thu.
  CHECK(s.due("fixing.answer") == "2026-03-05T18:00:00+08:00");
  CHECK(kinds(events) == strings{"action_taken", "deadline_changed fixing.answer"});
  const event& x = events[1];
  CHECK(x.actor == "ann");
  CHECK(x.data["reason"] == "extension");
  CHECK(x.data["old_due"] == "2026-03-04T02:00:00Z");
  CHECK(x.data["due"] == "2026-03-05T10:00:00Z");
  CHECK(x.data["extension_reason"] == "零件未到 parts on order");
  // The extension stands: a customer deadline that would pull the limit earlier no longer does.
  s.act("ann", "agree", "2026-03-03T16:00+08:00", {{"customer_deadline", "2026-03-03"}});
  CHECK(s.due("fixing.answer") == "2026-03-05T18:00:00+08:00");
}

TEST_CASE("timers: an extension to an agreed time needs the consent fields and may not shorten") {
  sim s(&cn(), repair());
  s.open("2026-03-03T10:00+08:00");
  decision early = s.try_act("ann", "reschedule", "2026-03-03T10:10+08:00",
                             {{"new_time", "2026-03-06T10:00"}, {"consented_by", "Zhang"}, {"consent_channel", "phone"}},
                             "customer away");
  REQUIRE(early.refused);  // no agreed time yet: the limit is not running
  CHECK(early.refused->message ==
        "limit 'fixing.agreed' of case TK-2026-001 is not running; only a running limit can be extended");
  s.act("ann", "agree", "2026-03-03T10:20+08:00", {{"agreed_time", "2026-03-05T14:00"}});
  decision no_consent = s.try_act("ann", "reschedule", "2026-03-03T10:30+08:00", {{"new_time", "2026-03-06T10:00"}},
                                  "customer away");
  REQUIRE(no_consent.refused);
  CHECK(no_consent.refused->message ==
        "action 'reschedule' needs consented_by, consent_channel: give --set consented_by=… --set consent_channel=…");
  decision shorter = s.try_act("ann", "reschedule", "2026-03-03T10:30+08:00",
                               {{"new_time", "2026-03-05T12:00"}, {"consented_by", "Zhang"}, {"consent_channel", "sms"}},
                               "customer asked");
  REQUIRE(shorter.refused);
  CHECK(shorter.refused->message ==
        "an extension must move limit 'fixing.agreed' later: it is due 2026-03-05T14:00:00+08:00, the new time "
        "2026-03-05T12:00:00+08:00 is not later");
  auto events = s.act("ann", "reschedule", "2026-03-03T10:40+08:00",
                      {{"new_time", "2026-03-06T10:00"}, {"consented_by", "Zhang"}, {"consent_channel", "phone"}},
                      "customer away on the 5th");
  CHECK(s.due("fixing.agreed") == "2026-03-06T10:00:00+08:00");
  REQUIRE(events.size() == 2);
  CHECK(events[0].data["fields"]["consented_by"] == "Zhang");
  CHECK(events[0].data["fields"]["consent_channel"] == "phone");
  CHECK(events[1].data["reason"] == "extension");
  CHECK(events[1].data["old_due"] == "2026-03-05T06:00:00Z");
  CHECK(events[1].data["consent_fields"] == nlohmann::json::array({"consented_by", "consent_channel"}));
}

TEST_CASE("timers: a self-loop that restarts the limits schedules them again from the action, breach or not") {
  sim s(&cn(), repair());
  s.open("2026-03-03T10:00+08:00");
  s.tick("2026-03-04T10:00+08:00");  // 24h: answer breached at Wed 10:00
  REQUIRE(s.c().find_deadline("fixing.answer")->breached);
  // A plain self-loop changes nothing about the limits.
  auto plain = s.act("ann", "agree", "2026-03-04T10:30+08:00", {});
  CHECK(kinds(plain) == strings{"action_taken"});
  auto events = s.act("ann", "report_progress", "2026-03-04T11:00+08:00");
  // answer: 24h from Wed 11:00; prepare: 2 working days after Wed 03-04, the close of Fri 03-06.
  CHECK(kinds(events) == strings{"action_taken", "deadline_set fixing.answer", "deadline_set fixing.prepare"});
  CHECK(s.due("fixing.answer") == "2026-03-05T11:00:00+08:00");
  CHECK_FALSE(s.c().find_deadline("fixing.answer")->breached);
  CHECK(s.due("fixing.prepare") == "2026-03-06T18:00:00+08:00");
  CHECK(s.c().step_entered_at == timers_at("2026-03-04T11:00+08:00"));
}

}  // namespace
}  // namespace caseflow
