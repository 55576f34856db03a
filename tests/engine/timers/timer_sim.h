// test::sim — one case driven the way the runtime drives it (decide, with_deadlines,
// fire_timer, apply), for the tests of business time (timers, obligations, extensions).
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/calendar.h"
#include "caseflow/core.h"
#include "caseflow/org.h"
#include "caseflow/timers.h"
#include "engine/test_support.h"

namespace caseflow::test {

// The people of the timer tests: ann (role agent) and lee (role lead).
inline const organisation& agent_and_lead() {
  static const organisation o = [] {
    organisation built;
    built.add(person{"ann", "Ann", {"agent"}, "", ""});
    built.add(person{"lee", "Lee", {"lead"}, "", ""});
    return built;
  }();
  return o;
}

// The instant `iso` names; text that does not parse fails the test.
inline instant timers_at(const char* iso) {
  auto t = parse_instant(iso);
  REQUIRE(t.has_value());
  return *t;
}

using sets_t = std::vector<std::pair<std::string, std::string>>;

// One ticket driven the way the runtime drives it: decide, then with_deadlines; timers fired
// with fire_timer; every event folded into the case with apply().
class sim {
 public:
  // A case of `p`, which needs a required text field `customer`, under `cal`.
  sim(const calendar* cal, const procedure& p, const organisation& org) : cal_(cal), p_(p), org_(org) {}

  std::vector<event> open(const char* when, sets_t sets = {}) {
    sets.insert(sets.begin(), {"customer", "Zhang"});
    command cmd;
    cmd.type = command::kind::start;
    cmd.actor = "ann";
    cmd.sets = std::move(sets);
    case_state fresh;
    fresh.id = "TK-2026-001";
    return decided(fresh, cmd, when);
  }

  std::vector<event> act(const char* actor, const char* action, const char* when, sets_t sets = {},
                         const char* comment = "") {
    return decided(c_, command_for(actor, action, std::move(sets), comment), when);
  }

  // What act() would do, refused or not, without recording it.
  decision try_act(const char* actor, const char* action, const char* when, sets_t sets = {},
                   const char* comment = "") const {
    return decide(p_, org_, c_, command_for(actor, action, std::move(sets), comment), moment_at(timers_at(when)));
  }

  // fire_timer; on success the events are folded into the case.
  decision fire(const char* rule, const char* when) {
    decision d = fire_timer(p_, org_, cal_, c_, rule, moment_at(timers_at(when)));
    if (d) record(d.events);
    return d;
  }

  // Fires every pending (not breached) deadline due by `when`, earliest first, until none is
  // left — what `caseflow tick` does for one case.
  std::vector<event> tick(const char* when) {
    std::vector<event> all;
    for (;;) {
      const case_deadline* next = nullptr;
      for (const auto& d : c_.deadlines)
        if (!d.breached && d.due <= timers_at(when) && (!next || d.due < next->due)) next = &d;
      if (!next) return all;
      decision d = fire_timer(p_, org_, cal_, c_, next->rule, moment_at(timers_at(when)));
      REQUIRE(static_cast<bool>(d));
      record(d.events);
      all.insert(all.end(), d.events.begin(), d.events.end());
    }
  }

  // schedule_deadlines under `cal` (default: this sim's), recorded.
  std::vector<event> reschedule(const char* when, const calendar* cal = nullptr) {
    auto events = schedule_deadlines(p_, cal ? cal : cal_, c_, timers_at(when));
    record(events);
    return events;
  }

  const case_state& c() const { return c_; }
  const std::vector<event>& log() const { return log_; }  // every event recorded, in order

  // The local due time of `rule`, or "none".
  std::string due(const std::string& rule) const {
    const case_deadline* d = c_.find_deadline(rule);
    return d ? cn().format_local(d->due) : "none";
  }
  std::vector<std::string> rules() const {
    std::vector<std::string> out;
    for (const auto& d : c_.deadlines) out.push_back(d.rule);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string field(const std::string& name) const {
    auto it = c_.fields.find(name);
    return it == c_.fields.end() ? "-" : format_value(it->second);
  }

 private:
  moment moment_at(instant t) const { return {t, cal_->local_date(t), cal_}; }

  static command command_for(const char* actor, const char* action, sets_t sets, const char* comment) {
    command cmd;
    cmd.type = command::kind::act;
    cmd.actor = actor;
    cmd.action = action;
    cmd.sets = std::move(sets);
    cmd.comment = comment;
    return cmd;
  }

  std::vector<event> decided(const case_state& current, const command& cmd, const char* when) {
    decision d = decide(p_, org_, current, cmd, moment_at(timers_at(when)));
    INFO("refused: ", d.refused ? d.refused->message : std::string());
    REQUIRE(static_cast<bool>(d));
    auto events = with_deadlines(p_, cal_, current, std::move(d.events), timers_at(when));
    if (current.seq == 0) c_ = current;
    record(events);
    return events;
  }

  void record(const std::vector<event>& events) {
    for (const auto& e : events) {
      REQUIRE(e.seq == c_.seq + 1);
      c_ = apply(p_, std::move(c_), e);
      log_.push_back(e);
    }
  }

  const calendar* cal_;
  const procedure& p_;
  const organisation& org_;
  case_state c_;
  std::vector<event> log_;
};

inline std::vector<std::string> kinds(const std::vector<event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.kind + (e.data.contains("rule") ? " " + e.data["rule"].get<std::string>() : ""));
  return out;
}

using strings = std::vector<std::string>;

}  // namespace caseflow::test
