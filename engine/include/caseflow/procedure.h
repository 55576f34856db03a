// caseflow/procedure.h — the in-memory model of a procedure written in YAML.
//
// A procedure is loaded once (see loader.h), checked whole, and then only read: every
// object here is an immutable value after loading. Intentionally copyable. Thread-safe
// for concurrent const use. Steps, fields, roles and actions keep the order of the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/duration.h"
#include "caseflow/expression.h"
#include "caseflow/value.h"

namespace caseflow {

// A display name in Chinese and/or English. `name: 结案` sets zh; `{ zh: …, en: … }` both.
struct display_name {
  std::string zh;
  std::string en;
  // Chinese where defined, else English, else `fallback`.
  std::string preferred(std::string_view fallback) const;
};

struct role_def {
  std::string id;
  display_name name;
};

struct field_def {
  std::string id;
  display_name name;
  field_type type = field_type::text;
  std::vector<std::string> values;  // enum values, in order (for enum, the order is the rank)
  bool required = false;            // must be given when the case is opened
  value default_value;              // std::monostate when none
  bool personal = false;            // personal data: erasable, kept apart from the hash chain
};

// A call of a named handler (see action_handler.h) with its YAML arguments as JSON, written
// in a hook (on_enter, on_exit, an action's run, an on_breach's or escalation's run) as a list
// of maps, each naming one or more handlers:
//   on_enter:
//     - notify: { to: [cs_manager], message: "案件 {case.id} 已转交" }
//     - set: { priority: high }
//     - when: 'category == "property_management"'      # guards every handler of its map
//       notify: { to: [property_dept_head], message: "物业投诉 {case.id}" }
// `when` is a reserved key, never a handler name: a guard over the case's fields and `actor`
// (the guard language of caseflow/expression.h, checked at load), copied to each call of its
// map. A guarded call whose guard is false when its hook runs is skipped and records nothing
// (handlers/hooks.h says on which state it is judged). Calls keep the order of the file: the
// items in order, and a map's handlers in the order written.
// Scalars become JSON strings, except plain (unquoted) true/false and integers. Where the call
// was written is kept for the messages of validate() and of refusals.
struct handler_call {
  std::string handler;
  nlohmann::json args = nlohmann::json::object();
  int line = 0;
  int column = 0;
  std::optional<expression> when;  // the guard of its map; none = always called
};
using handler_calls = std::vector<handler_call>;

// An action that extends a running limit of its step (the action stays in the step):
//   extend: { to: reviewing, comment: true,
//             extends: { limit: answer, by: 2 working days } }            # from the current due time
//   agree_later: { to: fixing, extends: { limit: repair, to: agreed_time,  # an absolute time
//                  consent: [consented_by, consent_channel] } }         # "with the customer's consent"
// The command's comment is the required reason; `to` and the consent fields must be given with
// the action. The extension is a deadline_changed event (reason `extension`, with the old and new
// due time, the reason and the consent); a shorter or equal time is refused.
struct extension_def {
  std::string limit;                 // a limit id of the action's step
  std::optional<duration> by;        // counted from the current due time
  std::string to_field;              // or: the date/datetime field that gives the new time
  std::vector<std::string> consent;  // fields recording who consented and how
};

struct action_def {
  std::string id;
  display_name name;
  std::string to;                         // target step
  std::vector<std::string> roles;         // who may take it; empty = the step's roles
  std::optional<expression> guard;        // must hold for the action to be allowed
  std::vector<std::string> required_fields;  // must have a value after the action
  std::vector<std::string> settable_fields;  // the operator may set these with it (required ones too)
  bool comment_required = false;
  handler_calls run;                      // `run:` handlers called when the action is taken
  std::optional<extension_def> extends;   // extends a running limit of the step
  // A self-loop that enters its step anew (`restarts_limits: true`): the step's limits and
  // reminders start again from the action, as if the step had just been entered.
  bool restarts_limits = false;
};

// What happens when a limit is breached or an escalation is due. Any combination.
struct timer_effects {
  std::vector<std::string> notify;  // roles or person ids to tell
  std::string message;              // what to tell them ("" = a standard sentence)
  field_values raise;               // enum fields raised to at least this value (never lowered)
  field_values set;                 // fields set as written
  std::string action;               // an action of the current step taken by `system`
  handler_calls run;                // `run:` handlers called when it fires
};

// A time limit on a step, counted from entering the step, or due at a field's time, or both.
//   limits:
//     - { rule: forward, within: 30m working, when: 'received_in_working_hours', remind_at: 80%,
//         on_breach: { notify: [cs_manager], raise: { severity: important } } }
//     - { rule: repair, at: agreed_time }                      # a datetime field: that moment
//     - { rule: answer, within: 24h, at: customer_deadline }   # whichever is earlier (the default)
//     - { rule: visit, within: 2 working days, at: visit_date - 1 working day, whichever: later }
// `at` names a datetime field, or a date field with an optional offset (due at the END of the
// day it designates, as an escalation's `at`). While the field has no value the limit is due
// `within` alone (no limit without `within`); setting, changing or clearing the field moves the
// deadline (deadline_changed, reason `field`).
// `when` may use the case's fields and the arrival context of the step's entry:
// received_in_working_hours, received_on_working_day, received_on_holiday (bool).
struct limit_def {
  std::string id;
  std::optional<duration> within;
  std::optional<date_offset> at;    // a date/datetime field (an offset only for a date field)
  bool whichever_later = false;     // with both: the later of the two (default: the earlier)
  // `roll: next working day`: a date field's day (with its offset) that is not a working day of
  // the calendar moves to the next one that is (Civil Code art. 203).
  bool roll_to_working_day = false;
  std::optional<expression> when;
  int remind_percent = 0;           // 0 = no reminder
  timer_effects on_breach;
};

// A recurring duty of a step, owed while the case is in it: one occurrence a day (every day, or
// every working day of the calendar), due at `before` local time. The occurrences are the days
// whose due time falls after the step was entered; an action `met_by` meets the first unmet
// occurrence whose window (the previous occurrence's due time, this one's] contains it
// (DESIGN.md "Met and breached"). An occurrence not met by its due time is breached: its
// `on_breach` runs, and the next occurrence is owed. Leaving the step ends the duty; when the
// action that leaves is `met_by`, in its window, the occurrence counts as met.
//   obligations:
//     - { rule: daily_progress, every: working day, before: "17:00", met_by: report_progress,
//         on_breach: { notify: [cs_manager], message: "no progress report today" } }
struct obligation_def {
  std::string id;
  bool working_days = false;  // `every: working day` (else `every: day`)
  int before_minute = 0;      // minute of the local day the occurrence is due at, 1..1439
  std::string met_by;         // an action of the step
  timer_effects on_breach;
};

// A periodic duty (DESIGN.md "Periodic duties"): one case of the procedure for each period,
// opened by `caseflow tick` / `run` at a stated time, exactly once per (procedure, schedule,
// period). The case's fields `period` (text: 2026-W48, 2026-11-H1, 2026-11, 2026-Q4, 2026),
// and, where the procedure declares them, `period_start` and `period_end` (dates) are filled
// from the period; its limits fall due at days of the period through them
// (`at: period_end + 3d, roll: next working day`).
//   schedules:
//     - schedule: monthly
//       every: month              # week (Monday to Sunday) | half month | month | quarter | year
//       opens: after              # after (default): the day after the period ends; start: its first day
//       weekday: monday           # week: the weekday of the week after it opens on (default monday)
//       in: january               # year: the month it opens in (default january)
//       at: "09:00"               # the local time it opens (default 00:00)
//       case_id: "CR-M-{period}"  # the id names the period
//       report: monthly           # the `caseflow report` of the period, attached when it opens
//       report_procedure: complaint
//       set: { kind: monthly }    # further fields, as with --set
struct schedule_def {
  enum class every { week, half_month, month, quarter, year };
  std::string id;
  every period = every::month;
  bool opens_at_start = false;
  int weekday = 0;                 // 0 = Monday .. 6 = Sunday
  int month = 1;                   // 1..12
  int at_minute = 0;               // minute of the local day
  std::string case_id;             // with {period}
  std::string report;              // "" = none
  std::string report_procedure = "complaint";
  std::vector<std::pair<std::string, std::string>> sets;
};

// An escalation of the whole case, whatever its step, counted from when it was opened (time
// spent in steps that pause the clock does not count) or from a date field.
//   escalations:
//     - { rule: hot_after_week, after: 7d, unless: 'severity in ["hot", "major"]', raise: { severity: hot } }
//     - { rule: major_weekly, when: 'severity == "major"', after: 0m, every: 7d, notify: [vp] }
struct escalation_def {
  std::string id;
  duration after;                       // from the case's opening (ignored when `at` is given)
  std::optional<date_offset> at;        // relative to a date field instead
  std::optional<duration> every;        // repeat while it applies
  std::optional<expression> when;       // applies only while this holds
  std::optional<expression> unless;     // does not apply while this holds
  bool from_condition = false;          // `since: condition`: count from when `when` became true
  timer_effects effects;
};

// An approval matrix: the amount field picks a tier, the tier gives the chain of levels.
//   approve:
//     amount: amount
//     tiers:
//       - { when: 'responsibility == "company"', up_to: 10000 inclusive, chain: [cs_manager] }
//       - { when: 'responsibility == "company"', above: 10000, chain: [cs_manager, vp] }
//     not_by: [evidence]      # whoever acted in these steps may not approve
//     approved: pay           # where the last approval leads
//     rejected: evidence      # where a rejection leads (the proposer's step sends it back)
// Bounds, in yuan with at most two decimals: `above: X` (> X), `from: X` (>= X), `up_to: X`
// or `up_to: X inclusive` (<= X, 含), `below: X` (< X); a missing bound is open. A chain
// level is a role, `{ all: [a, b] }` (countersign, 会签: each role signs) or `{ any: [a, b] }`.
// Tiers with the same `when` text form one matrix and must cover [0, +inf) with no gap and
// no overlap; the conditions themselves are trusted to partition the cases.
struct approval_level_def {
  bool all = false;
  std::vector<std::string> roles;
};
struct approval_tier {
  std::optional<expression> when;
  std::optional<money> low;    // lowest amount covered (inclusive); nullopt = 0
  std::optional<money> high;   // highest amount covered (inclusive); nullopt = no limit
  std::vector<approval_level_def> chain;
  // Amounts below 0 are covered by no tier.
  bool covers(money amount) const { return low.value_or(money{0}) <= amount && (!high || amount <= *high); }
};
struct approval_def {
  std::string amount_field;
  std::vector<approval_tier> tiers;
  std::vector<std::string> not_by;  // steps whose performers may not approve
  std::string approved;             // target step once every level approved
  std::string rejected;             // target step of a rejection
  // The first tier (0-based) whose condition holds and whose bounds cover `amount`.
  std::optional<std::size_t> tier_for(const field_values& fields, money amount) const;
};

// The rule by which a fork's branches join: `all` (every branch not cancelled), `any` (the first
// to finish) or `at_least` N (capped at the branches not cancelled). A join needs at least one
// finished branch; open branches left when it is reached are cancelled (reason "joined").
struct branch_join {
  std::string mode = "all";  // all | any | at_least
  int at_least = 0;          // for at_least
  std::string target;        // the step the parent position goes on to
};

// A fork step (`parallel:` in YAML) opens its branches when a position (the main path or a
// branch) enters it, and the position waits there until they join:
//   review:
//     role: coordinator
//     parallel:
//       branches:
//         legal:   { from: legal_review, until: reviewed }
//         finance: { from: finance_review, until: reviewed }
//       join: all              # all | any | at least N
//       then: approval         # where the position goes on once they joined
//       leaving: refuse        # refuse (default) | cancel: what an action leaving the step with
//                              # branches open does (cancel records each branch_cancelled)
// A branch is a path of ordinary steps from `from`; it finishes when it enters `until`. A step
// that only ends branches needs no actions. Forks nest at most k_max_fork_depth deep.
struct fork_branch_def {
  std::string name;   // the branch's name (its id on the main path; see branch_id())
  std::string from;   // its first step
  std::string until;  // entering this step finishes it
};
struct fork_def {
  std::vector<fork_branch_def> branches;
  branch_join join;   // join.target is `then`
  bool cancel_on_leave = false;
};
// A fork inside a branch of a fork is depth 2; deeper nesting is refused at load.
inline constexpr int k_max_fork_depth = 2;

struct step_def {
  std::string id;
  display_name name;
  std::vector<std::string> roles;  // who works the step
  std::vector<action_def> actions;
  bool terminal = false;  // the case ends here; no action may leave it
  bool resolved = false;  // the case counts as closed here but may still be reopened
  bool pauses_clock = false;  // waiting (e.g. for the customer): case escalation clocks stop
  std::vector<limit_def> limits;
  std::vector<obligation_def> obligations;
  // An approval step: its actions `approve` and `reject` are implicit (added by the loader).
  std::optional<approval_def> approval;
  handler_calls on_enter;  // called when a case enters the step (the start step: when opened)
  handler_calls on_exit;   // called when a case leaves the step for another one
  // The case may not leave the step while any of its sub-cases is open (see runtime.h).
  bool wait_for_subcases = false;
  // An action of this step `system` takes when the last open sub-case finishes ("" = none).
  std::string after_subcases;
  std::optional<fork_def> fork;  // a fork step: `parallel:` (see fork_def)

  // Open means the case still needs work: neither terminal nor resolved.
  bool is_open() const { return !terminal && !resolved; }
  const action_def* find_action(std::string_view action_id) const;
};

// Cross-case rules: cases of one procedure are similar when the `same` fields are all set and
// equal; their number is the count of distinct values of `distinct` among the similar cases
// opened within `within` of each other (the case itself included). A case counts while it is
// not in a terminal step (a resolved case counts, but is not raised). Kept in an indexed table,
// never found by scanning. When a case joins a group (its `same`/`distinct` fields are set or
// change) and the count reaches a rule's `at_least`, the case and every open similar case are
// raised, each by a fields_changed event in its own log naming the rule and the other cases.
//   similar:
//     same: [category, sub_type, address]   # personal fields are compared by a keyed digest
//     within: 1 month                        # plain time: 30d, 2 weeks, 1 month
//     distinct: customer                     # counted by keyed digest, never by plain value
//     rules:
//       - { rule: same_complaint_three_complainants, at_least: 3, raise: { severity: hot },
//           message: "..." }
struct similar_rule {
  std::string id;
  int at_least = 2;
  field_values raise;   // enum fields raised to at least this value (never lowered)
  std::string message;  // the reason recorded ("" = a standard sentence)
};
struct similar_def {
  std::vector<std::string> same;
  duration within;
  std::string distinct;
  std::vector<similar_rule> rules;
};

struct procedure {
  std::string id;
  display_name name;
  std::string version;           // as written by the process owner, e.g. "1.2"
  std::string calendar;          // calendar id; "" = none
  std::string case_id_pattern;   // e.g. "TS-{yyyy}-{seq:05}"; see case_id.h
  std::vector<role_def> roles;
  std::vector<field_def> fields;
  std::string start;             // the first step
  std::vector<step_def> steps;
  std::vector<escalation_def> escalations;
  std::optional<similar_def> similar;
  std::vector<schedule_def> schedules;

  std::string file;              // where it was loaded from
  std::string source_text;       // the exact YAML text
  std::string hash;              // SHA-256 (hex) of source_text: the definition's identity
  // Where each step sits in `steps`, by id, so that a procedure of thousands of steps loads and
  // runs in time linear in its size. Built by index_steps() (the loader calls it); find_step
  // checks every hit against `steps` and searches linearly on a miss, so a stale or missing
  // index is slower, never wrong.
  std::unordered_map<std::string, std::size_t> step_positions;
  void index_steps();

  const step_def* find_step(std::string_view step_id) const;
  // What a timer of `kind` fires: an escalation's effects (rule = its id), or the on_breach of a
  // step's limit or obligation (rule "step.id"), with a description for messages ("limit 'x'
  // of step 'y'"); a branch's rule `step.id@branch` names the same rule. Null effects when the
  // procedure has no such rule (reminders have none).
  struct timer_rule {
    const timer_effects* effects = nullptr;
    std::string description;
  };
  timer_rule find_timer_rule(std::string_view kind, std::string_view rule) const;
  const field_def* find_field(std::string_view field_id) const;
  const role_def* find_role(std::string_view role_id) const;
  // The signatures guards are checked against: every field, plus `actor` (text).
  field_signatures guard_names() const;
  // guard_names() plus the arrival context a step limit's `when` may use.
  field_signatures limit_names() const;
  // guard_names() plus the command's time, which an action's guard may use (with durations,
  // caseflow/expression.h): `today` (date) and `now` (datetime), in the calendar's zone.
  field_signatures action_guard_names() const;
};

}  // namespace caseflow
