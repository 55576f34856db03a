// Deadlines and timer firing. See caseflow/timers.h for the contract.
#include "caseflow/timers.h"

#include <algorithm>

#include <fmt/format.h>

#include "caseflow/similar.h"
#include "core/branch_rules.h"

namespace caseflow {

namespace {

constexpr std::string_view k_limit = "limit";
constexpr std::string_view k_reminder = "reminder";
constexpr std::string_view k_escalation = "escalation";
constexpr std::string_view k_obligation = "obligation";
// How far ahead a working day is looked for (an obligation's next occurrence, a rolled day).
constexpr int k_max_obligation_days = 400;

// Durations measured in wall-clock time (a reminder before them is a share of wall-clock time).
bool is_plain(const duration& d) {
  return d.kind == duration::unit::calendar_seconds || d.kind == duration::unit::calendar_months ||
         d.kind == duration::unit::same_day;
}

// When the time a field names falls due: a datetime field at its value; a date field (with its
// offset) at the end of the day it designates — local midnight, or the close of a working day
// for a working offset (calendar::due). nullopt while the field has no value, and for a working
// offset without a calendar.
std::optional<deadline> due_at_field(const calendar* cal, const field_values& fields, const date_offset& at,
                                     bool roll_to_working_day = false) {
  const auto v = fields.find(at.field);
  if (v == fields.end()) return std::nullopt;
  const std::string version = cal ? cal->version() : "";
  if (const auto* t = std::get_if<instant>(&v->second)) return deadline{*t, false, version};
  const auto* day = std::get_if<civil_date>(&v->second);
  if (!day) return std::nullopt;
  if (cal && roll_to_working_day) {
    // The day the offset designates, moved to the next working day when it is not one; due at
    // the end of that day (the close, for a working offset), as calendar::due.
    civil_date rolled = cal->resolve(*day, at);
    for (int i = 0; i < k_max_obligation_days && !cal->is_working_day(rolled); ++i) rolled = civil_date{rolled.days + 1};
    const deadline plain = cal->due(*day, at);
    const instant due = at.working ? cal->local_time(rolled, cal->hours().back().end_minute) : end_of_day(cal, rolled);
    return deadline{due, plain.provisional || !cal->covers(rolled), version};
  }
  if (cal) return cal->due(*day, at);
  if (at.working) return std::nullopt;
  return deadline{end_of_day(nullptr, plain_offset(*day, at)), false, ""};
}

// A limit's deadline in case `c`: `within` from the step's entry, `at` a field's time, or the
// earlier (or later) of the two where both are known. *by_within says which one it is.
std::optional<deadline> limit_due(const calendar* cal, const case_state& c, const limit_def& limit, bool* by_within) {
  std::optional<deadline> after = limit.within ? due_in(cal, c.step_entered_at, *limit.within) : std::nullopt;
  std::optional<deadline> at = limit.at ? due_at_field(cal, c.fields, *limit.at, limit.roll_to_working_day) : std::nullopt;
  *by_within = after && (!at || (after->due < at->due) != limit.whichever_later);
  return *by_within ? after : at;
}

instant reminder_time(const calendar* cal, instant start, const deadline& limit, const duration& d, int percent) {
  if (cal && !is_plain(d)) {
    const std::int64_t working = cal->working_seconds_between(start, limit.due);
    return cal->due(start, duration{duration::unit::working_seconds, working * percent / 100, ""}).due;
  }
  return instant{start.seconds + (limit.due.seconds - start.seconds) * percent / 100};
}

field_values arrival_context(const calendar* cal, const case_state& c) {
  field_values values = c.fields;
  const instant t = c.step_entered_at;
  values["received_in_working_hours"] = cal ? cal->in_working_hours(t) : true;
  values["received_on_working_day"] = cal ? cal->is_working_day(cal->local_date(t)) : true;
  values["received_on_holiday"] = cal ? cal->classify(cal->local_date(t)) == calendar::day_kind::holiday : false;
  return values;
}

struct wanted {
  std::string rule;
  std::string_view kind;
  deadline due;
  std::string field;   // the field whose time it may fall due at ("" = none)
  std::string branch;  // the position it belongs to ("" = the main path)
};

// The limits and reminders of the step of position `branch`; `c` is the case as that position
// sees it (branch_view for a branch), so `within` counts from the position's entry.
void add_position_limits(const procedure& p, const calendar* cal, const case_state& c, const std::string& branch,
                         std::vector<wanted>* out) {
  const step_def* step = p.find_step(c.step);
  if (!step || !step->is_open()) return;
  const field_values context = arrival_context(cal, c);
  for (const auto& limit : step->limits) {
    if (limit.when && !limit.when->evaluate(context)) continue;
    bool by_within = false;
    auto due = limit_due(cal, c, limit, &by_within);
    if (!due) continue;
    const std::string rule = branch_rule(branch, fmt::format("{}.{}", step->id, limit.id));
    out->push_back({rule, k_limit, *due, limit.at ? limit.at->field : "", branch});
    const case_deadline* existing = c.find_deadline(rule);
    const std::string reminder = branch_rule(branch, fmt::format("{}.{}.reminder", step->id, limit.id));
    const bool reminded = std::find(c.reminders_sent.begin(), c.reminders_sent.end(), reminder) != c.reminders_sent.end();
    if (limit.remind_percent > 0 && !reminded && !(existing && existing->breached)) {
      deadline remind = *due;
      // A share of working time for a working `within`, else of plain time (a field's time is).
      const duration plain{duration::unit::calendar_seconds, 0, ""};
      remind.due = reminder_time(cal, c.step_entered_at, *due, by_within ? *limit.within : plain, limit.remind_percent);
      out->push_back({reminder, k_reminder, remind, limit.at ? limit.at->field : "", branch});
    }
  }
}

// The limits of every open position: the main path, then each open branch.
void add_limits(const procedure& p, const calendar* cal, const case_state& c, std::vector<wanted>* out) {
  add_position_limits(p, cal, c, "", out);
  for (const auto& id : c.open_branches()) add_position_limits(p, cal, detail::branch_view(c, id), id, out);
}

void add_escalations(const procedure& p, const calendar* cal, const case_state& c, instant now,
                     std::vector<wanted>* out) {
  if (!c.open || c.paused_since) return;
  field_values values = c.fields;
  for (const auto& e : p.escalations) {
    if (e.when && !e.when->evaluate(values)) continue;
    if (e.unless && e.unless->evaluate(values)) continue;
    auto fired = c.escalations_fired.find(e.id);
    const int times = fired == c.escalations_fired.end() ? 0 : fired->second;
    if (times > 0 && !e.every) continue;
    std::optional<deadline> due;
    if (const case_deadline* pending = e.from_condition ? c.find_deadline(e.id) : nullptr) {
      due = deadline{pending->due, pending->provisional, pending->calendar_version};  // counted from when it began
    } else if (e.at) {
      due = due_at_field(cal, values, *e.at);
    } else if (e.from_condition) {
      due = due_in(cal, now, e.after);  // it has just begun to apply
    } else {
      due = due_in(cal, instant{c.opened_at.seconds + c.paused_seconds}, e.after);
      for (int i = 0; due && i < times; ++i) due = due_in(cal, due->due, *e.every);
    }
    if (due) out->push_back({e.id, k_escalation, *due, e.at ? e.at->field : "", ""});
  }
}

// The first occurrence of `o` due after `t`: minute o.before_minute of each local day (each
// working day for `every: working day`); nullopt without a calendar for working days.
std::optional<deadline> next_occurrence(const calendar* cal, const obligation_def& o, instant t) {
  if (o.working_days && !cal) return std::nullopt;
  civil_date day = local_day(cal, t);
  for (int i = 0; i < k_max_obligation_days; ++i, day = civil_date{day.days + 1}) {
    if (o.working_days && !cal->is_working_day(day)) continue;
    const instant due = local_minute(cal, day, o.before_minute);
    if (due > t) return deadline{due, cal && !cal->covers(day), cal ? cal->version() : ""};
  }
  return std::nullopt;
}

nlohmann::json deadline_data(const wanted& w) {
  return {{"rule", w.rule},
          {"kind", w.kind},
          {"due", format_instant_utc(w.due.due)},
          {"provisional", w.due.provisional},
          {"calendar_version", w.due.calendar_version}};
}

// Appends `e` (numbered after `c`) to `out` and folds it into `c`.
void push(const procedure& p, case_state* c, event e, std::vector<event>* out) {
  e.seq = c->seq + 1;
  *c = apply(p, std::move(*c), e);
  out->push_back(std::move(e));
}

// An obligation's occurrence its action met (DESIGN.md "Met and breached").
bool is_met(const case_deadline& d) { return d.kind == k_obligation && d.met_at && *d.met_at <= d.due; }

// The data of the deadline_cleared that records a met occurrence (reason `met`).
nlohmann::json met_data(const case_deadline& d) {
  return {{"rule", d.rule}, {"reason", "met"}, {"due", format_instant_utc(d.due)}, {"met_at", format_instant_utc(*d.met_at)}};
}

// The occurrence owed after `settled` (the step's entry, or the occurrence just met or
// breached) as a deadline_set; `carried` is an action taken after `settled` (late for the
// occurrence before, so it may meet this one). False when there is none within
// k_max_obligation_days.
bool owe_next(const procedure& p, const calendar* cal, const obligation_def& o, const std::string& rule, instant settled,
              std::optional<instant> carried, instant now, case_state* c, std::vector<event>* out) {
  const auto due = next_occurrence(cal, o, settled);
  if (!due) return false;
  event e = system_event(p, *c, event_kind::deadline_set, now);
  e.data = deadline_data({rule, k_obligation, *due, "", ""});
  e.data["window_start"] = format_instant_utc(settled);
  if (carried) e.data["met_at"] = format_instant_utc(*carried);
  push(p, c, std::move(e), out);
  return true;
}

// Brings each obligation of the current step in line: the first occurrence once the step is
// entered; after one is met (deadline_cleared, reason `met`) or breached (its timer fired), the
// next; an occurrence still owed moves only with the calendar.
void settle_obligations(const procedure& p, const calendar* cal, instant now, case_state* c, std::vector<event>* out) {
  const step_def* step = p.find_step(c->step);
  if (!step || !step->is_open()) return;
  for (const auto& o : step->obligations) {
    const std::string rule = fmt::format("{}.{}", step->id, o.id);
    for (int i = 0; i < k_max_obligation_days; ++i) {
      const case_deadline* owed = c->find_deadline(rule);
      if (!owed) {
        if (!owe_next(p, cal, o, rule, c->step_entered_at, std::nullopt, now, c, out)) break;
        continue;
      }
      const instant due = owed->due;
      const std::optional<instant> met_at = owed->met_at;
      if (is_met(*owed)) {
        event e = system_event(p, *c, event_kind::deadline_cleared, now);
        e.data = met_data(*owed);
        push(p, c, std::move(e), out);
        if (!owe_next(p, cal, o, rule, due, std::nullopt, now, c, out)) break;
      } else if (owed->breached) {
        if (!owe_next(p, cal, o, rule, due, met_at, now, c, out)) break;
      } else {
        const auto again = next_occurrence(cal, o, owed->window_start.value_or(c->step_entered_at));
        if (again && (again->due != due || again->provisional != owed->provisional)) {
          event e = system_event(p, *c, event_kind::deadline_changed, now);
          e.data = deadline_data({rule, k_obligation, *again, "", ""});
          e.data["old_due"] = format_instant_utc(due);
          e.data["window_start"] = format_instant_utc(owed->window_start.value_or(c->step_entered_at));
          if (met_at) e.data["met_at"] = format_instant_utc(*met_at);
          push(p, c, std::move(e), out);
        }
        break;
      }
    }
  }
}

bool is_obligation_of(const procedure& p, const case_state& c, const case_deadline& d) {
  const step_def* step = p.find_step(c.step);
  if (!step || !step->is_open() || d.kind != k_obligation) return false;
  return std::any_of(step->obligations.begin(), step->obligations.end(),
                     [&](const obligation_def& o) { return fmt::format("{}.{}", step->id, o.id) == d.rule; });
}

}  // namespace

std::vector<event> schedule_deadlines(const procedure& p, const calendar* cal, const case_state& c, instant now) {
  std::vector<wanted> want;
  add_limits(p, cal, c, &want);
  add_escalations(p, cal, c, now, &want);
  std::vector<event> events;
  case_state next = c;
  for (const auto& existing : c.deadlines) {
    const bool still = std::any_of(want.begin(), want.end(), [&](const wanted& w) { return w.rule == existing.rule; });
    if (still || is_obligation_of(p, c, existing)) continue;
    // A finished or cancelled branch's deadline is cleared on the main path (its position is gone).
    event e = system_event(p, next, event_kind::deadline_cleared, now,
                           next.position(existing.branch) ? existing.branch : std::string());
    if (is_met(existing)) {
      e.data = met_data(existing);  // its action met it, and left the step
    } else {
      e.data = {{"rule", existing.rule},
                {"reason", existing.kind == k_limit || existing.kind == k_obligation
                               ? "step left or condition no longer holds"
                               : "no longer applies"}};
    }
    push(p, &next, std::move(e), &events);
  }
  for (const auto& w : want) {
    const case_deadline* existing = next.find_deadline(w.rule);
    // Only a moved time is a change; a new calendar version that leaves it in place is not.
    if (existing && existing->due == w.due.due && existing->provisional == w.due.provisional) continue;
    if (existing && existing->breached) continue;  // a breach stands until the step is left
    if (existing && existing->extended_from) continue;  // an extension stands until the step is left
    event e = system_event(p, next, existing ? event_kind::deadline_changed : event_kind::deadline_set, now, w.branch);
    e.data = deadline_data(w);
    if (existing) {
      e.data["old_due"] = format_instant_utc(existing->due);
      // A deadline that may fall due at a field's time moves when the field is set, changed or
      // cleared (DESIGN.md "Events": reason field). A calendar recompute says `calendar` instead.
      if (!w.field.empty()) {
        e.data["reason"] = "field";
        e.data["field"] = w.field;
      }
    }
    push(p, &next, std::move(e), &events);
  }
  settle_obligations(p, cal, now, &next, &events);
  return events;
}

std::vector<event> with_deadlines(const procedure& p, const calendar* cal, const case_state& c,
                                  std::vector<event> events, instant now) {
  case_state next = c;
  for (const auto& e : events) next = apply(p, std::move(next), e);
  for (auto& e : schedule_deadlines(p, cal, next, now)) push(p, &next, std::move(e), &events);
  return events;
}

decision fire_timer(const procedure& p, const organisation& org, const calendar* cal, const case_state& c,
                    std::string_view rule, const moment& at) {
  const case_deadline* pending = c.find_deadline(rule);
  if (!pending || pending->breached || at.now < pending->due)
    return {{}, refusal{refusal_code::unknown_action, fmt::format("timer {} of case {} is not due", rule, c.id)}};
  const std::string kind = pending->kind;
  const timer_effects* effects = p.find_timer_rule(kind, rule).effects;
  const escalation_def* escalation = nullptr;
  for (const auto& e : p.escalations)
    if (e.id == rule && kind == k_escalation) escalation = &e;
  std::vector<event> events;
  case_state next = c;
  const instant was_due = pending->due;
  // A branch's timer fires on its branch: a reminder counts there, an automatic action is its.
  const std::string branch = c.position(pending->branch) ? pending->branch : std::string();
  event fired = system_event(p, next, event_kind::timer_fired, at.now, branch);
  fired.data = {{"rule", rule}, {"kind", kind}, {"due", format_instant_utc(was_due)}};
  push(p, &next, std::move(fired), &events);
  if (escalation && escalation->every) {
    // A repeating escalation is next due one period after this one was due.
    if (auto again = due_in(cal, was_due, *escalation->every)) {
      event e = system_event(p, next, event_kind::deadline_set, at.now);
      e.data = deadline_data({std::string(rule), k_escalation, *again, "", ""});
      push(p, &next, std::move(e), &events);
    }
  }

  if (kind == k_reminder) {
    event e = system_event(p, next, event_kind::notification_requested, at.now);
    e.data = {{"rule", rule}, {"to", nlohmann::json::array({"assignee"})},
              {"message", fmt::format("reminder: {} of case {} is due soon", rule.substr(0, rule.rfind('.')), c.id)}};
    push(p, &next, std::move(e), &events);
  }
  if (effects) {
    field_values changes = effects->set;
    for (auto& [name, target] : raised_fields(p, next.fields, effects->raise)) changes[name] = std::move(target);
    if (!changes.empty()) {
      event e = system_event(p, next, event_kind::fields_changed, at.now);
      e.data = {{"fields", fields_to_json(changes)}, {"reason", fmt::format("{} {} was due", kind, rule)}};
      push(p, &next, std::move(e), &events);
    }
    if (!effects->notify.empty()) {
      event e = system_event(p, next, event_kind::notification_requested, at.now);
      e.data = {{"rule", rule}, {"to", effects->notify},
                {"message", effects->message.empty() ? fmt::format("case {}: {} {} is due", c.id, kind, rule)
                                                     : effects->message}};
      push(p, &next, std::move(e), &events);
    }
    if (!effects->action.empty()) {
      command cmd;
      cmd.type = command::kind::act;
      cmd.actor = k_system_actor;
      cmd.action = effects->action;
      cmd.automatic = true;
      cmd.branch = branch;
      decision taken = decide(p, org, next, cmd, at);
      if (taken) {
        for (auto& e : taken.events) push(p, &next, std::move(e), &events);
      } else {
        event e = system_event(p, next, event_kind::notification_requested, at.now);
        e.data = {{"rule", rule}, {"to", nlohmann::json::array({"assignee"})},
                  {"message", fmt::format("automatic action '{}' was refused: {}", effects->action, taken.refused->message)}};
        push(p, &next, std::move(e), &events);
      }
    }
  }
  for (auto& e : schedule_deadlines(p, cal, next, at.now)) push(p, &next, std::move(e), &events);
  return {std::move(events), std::nullopt};
}

}  // namespace caseflow
