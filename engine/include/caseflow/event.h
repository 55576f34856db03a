// caseflow/event.h — the events a case is the fold of, and the case state they build.
//
// Events are facts: once stored they are never changed. The store adds `id`, `prev_hash`
// and `hash` (the chain); everything else is decided by the core. Both types are plain
// values: intentionally copyable.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/procedure.h"
#include "caseflow/value.h"

namespace caseflow {

// Event kinds. Strings, not an enum, so that the log reads plainly in SQL and a newer
// engine can add kinds without renumbering.
namespace event_kind {
inline constexpr std::string_view case_started = "case_started";  // data: {fields}
inline constexpr std::string_view action_taken = "action_taken";  // data: {fields} (those the action set)
inline constexpr std::string_view assigned = "assigned";          // data: {assignee}
inline constexpr std::string_view note_added = "note_added";      // comment holds the note
// Business time (by `system`): data {rule, kind, due, provisional, calendar_version}
inline constexpr std::string_view deadline_set = "deadline_set";
inline constexpr std::string_view deadline_changed = "deadline_changed";  // + old_due
inline constexpr std::string_view deadline_cleared = "deadline_cleared";  // data {rule, reason}
inline constexpr std::string_view timer_fired = "timer_fired";            // data {rule, kind, due}
inline constexpr std::string_view fields_changed = "fields_changed";      // data {fields, reason}
inline constexpr std::string_view notification_requested = "notification_requested";  // data {to, message, rule}
// Approvals (by `system`; see approvals.h). The chain is fixed when a case enters an approval
// step: data {step, from_step, tier, amount, levels: [{mode: "all"|"any", roles}], reason}.
// Approvers then act with action_taken events whose data holds {approval: {level, role}}.
inline constexpr std::string_view approval_chain_fixed = "approval_chain_fixed";
// The amount changed in the approval step: earlier approvals no longer count.
// data {step, voided: [{level, actor, role}], reason}; an approval_chain_fixed follows.
inline constexpr std::string_view approvals_voided = "approvals_voided";
// Handler effects (by `system`; see action_handler.h): outbound messages for the outbox.
// data {handler, hook, call, messages: [{channel, recipient, payload, not_before}]}
inline constexpr std::string_view messages_requested = "messages_requested";
// Sub-cases (by `system`; see runtime.h). On the parent: data {case_id, procedure, wait,
// handler, hook, call} when a child is opened; data {case_id, procedure, step, fields} when the child
// reaches a terminal or resolved step, and data {case_id, procedure, step} when it is reopened.
// The child's case_started data holds {parent}.
inline constexpr std::string_view subcase_started = "subcase_started";
inline constexpr std::string_view subcase_finished = "subcase_finished";
inline constexpr std::string_view subcase_reopened = "subcase_reopened";
// Personal values erased (caseflow erase; see erasure.h), by a person holding `admin`, in role
// `admin`: data {erased: [field, ...]}; never the values. Folding it removes those fields.
inline constexpr std::string_view personal_data_erased = "personal_data_erased";
// Parallel work (see case_state::branches). A fork step opens branches in the position it is
// in (the event's `branch`: "" = the main path, else the parent branch); from/to are the fork
// step. By `system`: data {fork, join: {mode: "all"|"any"|"at_least", at_least (for at_least),
// target}, branches: [{id, name, value, step, end}]} (see branch_id(); `value` is the for-each
// value, "" otherwise; `step` the branch's first step; entering `end` finishes it). An entry
// whose id names an open branch is ignored; one naming a closed branch replaces its record.
inline constexpr std::string_view branches_opened = "branches_opened";
// Any event whose `branch` names an open branch acts on that branch: from/to are its steps
// (action_taken, assigned, deadlines, ...); the parent stays in the fork step. An event whose
// `branch` names no open branch changes only the version and times.
// The branch entered its end step (by `system`, branch = it, from/to = its end): data {fork}.
inline constexpr std::string_view branch_finished = "branch_finished";
// The branch stops unfinished, with the open branches opened inside it (branch = it, from/to =
// its step), by the person who cancelled it, or by `system` when its fork joined without it:
// data {reason} ("joined" for the latter, with {fork}).
inline constexpr std::string_view branch_cancelled = "branch_cancelled";
// Enough branches of a fork finished (its join rule): the parent position goes on from the
// fork step to the join's target (by `system`, branch = the parent position, from_step = the
// fork step, to_step = the target): data {fork, fork_seq, finished: [id, ...]}.
inline constexpr std::string_view branches_joined = "branches_joined";
}  // namespace event_kind

// The chain format: how an event's hash is computed (chain.h canonical_event). Format 1, the
// events written before caseflow recorded a format, hashes the columns of the first schema and
// the data as re-serialised JSON; format 2 adds the format itself, the branch and the
// organisation version, and hashes the data column's stored bytes. New events are written in
// k_chain_format; verify accepts every format from 1 to it.
inline constexpr int k_chain_format = 2;

struct event {
  std::int64_t id = 0;            // position in the whole log, 1-based (set by the store)
  std::string case_id;
  std::int64_t seq = 0;           // position in the case's log, 1-based
  instant at;                     // UTC
  std::string actor;              // who acted (`system` for the engine)
  std::string role;               // the role they acted in ("" for notes and `system`)
  std::string on_behalf_of;       // the principal when a deputy acts; "" otherwise
  std::string kind;               // see event_kind
  std::string action;             // the action taken, for action_taken
  std::string from_step;
  std::string to_step;
  // The position of the case it acts on: "" for the main path, else the id of an open branch
  // (see case_state::branches). Hashed from chain format 2 on.
  std::string branch;
  nlohmann::json data = nlohmann::json::object();  // what changed, by kind
  std::string comment;
  std::string definition_hash;    // the definition the event was decided under
  std::string org_version;        // the organisation it was decided under (organisation::version())
  int format = k_chain_format;    // the chain format its hash is computed in
  // The stored bytes of `data`, set by the store on an event read as stored (personal values as
  // digests); "" otherwise, where data.dump() stands for them. Format 2 hashes these bytes.
  std::string data_text;
  std::string prev_hash;          // hash of the event before it in the whole log ("" for the first)
  std::string hash;               // SHA-256 over prev_hash and the canonical event (see chain.h)
};

// A deadline the case is waiting for. `kind` is "limit" (a step's time limit; when it fires
// it stays, marked breached, until the step is left), "reminder" (before a limit),
// "escalation" (case-wide) or "obligation" (the occurrence of a step's recurring duty now
// owed: when met or breached, the next occurrence takes its place); reminders and escalations
// disappear when they fire.
struct case_deadline {
  std::string rule;               // "step.limit", "step.limit.reminder" or "escalation"; a
                                  // branch's rules are qualified by it (see branch_rule())
  std::string kind;
  instant due;
  bool provisional = false;       // computed past the calendar's coverage
  std::string calendar_version;
  bool breached = false;          // a limit that has fired
  std::string branch;             // the position it belongs to: "" = the main path
  // Where it was due before its first extension; set once extended, and then the deadline stays
  // where the extensions put it until the step is left.
  std::optional<instant> extended_from;
  // An obligation's occurrence: its window is (window_start, due]; met_at is when its action was
  // last taken after window_start (nullopt = not since). Met when met_at <= due.
  std::optional<instant> window_start;
  std::optional<instant> met_at;
};

// The approval chain fixed for a case's current (or last) approval step, and who signed it.
struct case_approval {
  struct level {
    bool all = false;                // countersign (会签): every role must approve; else any one
    std::vector<std::string> roles;
  };
  struct sign_off {
    int level = 0;                   // 1-based
    std::string actor;
    std::string role;
    std::string on_behalf_of;
    instant at;
    std::int64_t seq = 0;
    bool approved = true;            // false: a rejection
    std::string comment;
  };
  std::string step;
  std::string from_step;             // the step that entered the approval (the proposer's)
  int tier = 0;                      // 1-based, in the order of the file
  money amount;
  std::vector<level> levels;
  std::vector<sign_off> sign_offs;   // in order; voided ones are dropped
  std::string status = "pending";    // pending | approved | rejected | withdrawn
  std::int64_t fixed_seq = 0;        // the approval_chain_fixed event

  // The first level not yet complete (1-based); levels.size() + 1 when all are.
  int next_level() const;
  // Roles of the next level still to sign (for `all`, those not yet signed). Empty when done.
  std::vector<std::string> pending_roles() const;
  bool complete() const { return next_level() > static_cast<int>(levels.size()); }
};

// A case another case opened (start_case), as its parent sees it.
struct case_subcase {
  std::string id;
  std::string procedure;
  bool wait = false;   // the parent may not change step while it is open
  bool open = true;    // not yet in a terminal or resolved step
  std::string step;    // its step when it last finished or reopened ("" before)
};

// Parallel work: a fork step opens branches that run at the same time, each a position of its
// own (step, assignee, reminders, performers), and joins them by a rule; the position that
// forked (the main path or, nested, a branch) stays in the fork step until the join moves it on.
//
// Branch ids, unique within a case: a fork's branch is called by its name (`legal`); a
// "for each" branch adds the value it was opened for in brackets (`answer[engineering]`); a
// branch opened inside a branch is prefixed by its parent's id and `/` (`legal/draft`,
// `answer[engineering]/check`). Ids are keys, never parsed: the parts are kept in case_branch.
std::string branch_id(std::string_view parent, std::string_view name, std::string_view value = "");
// A deadline rule of a branch's position: `<rule>@<branch>` (`answer.limit@answer[sales]`); the
// main path's rules stay unqualified, so a case without branches keeps its rule ids.
std::string branch_rule(std::string_view branch, std::string_view rule);

// One opening of branches (a branches_opened event) and its join.
struct case_fork {
  std::int64_t seq = 0;      // the branches_opened event: names the fork within the case
  std::string step;          // the fork step
  std::string parent;        // the position that forked: "" = the main path, else a branch id
  branch_join join;
  bool joined = false;       // its branches_joined was applied
};

// A branch: a position of the case besides the main path.
struct case_branch {
  std::string id;            // see branch_id()
  std::string name;          // the fork's name for it (for-each: without the value)
  std::string value;         // for-each: the list value it was opened for; "" otherwise
  std::int64_t fork_seq = 0; // the case_fork it belongs to
  std::string fork;          // the fork step that opened it
  std::string parent;        // "" = the main path, else the id of the branch that forked
  std::string step;
  std::string end;           // entering this step finishes the branch
  std::string assignee;
  instant step_entered_at;
  std::vector<std::string> reminders_sent;  // in the current step visit
  std::map<std::string, std::vector<std::string>, std::less<>> performers;  // in this branch, by step
  std::string status = "open";  // open | finished | cancelled

  bool is_open() const { return status == "open"; }
};

// One open position, as the core reads it: the main path (branch "") or an open branch.
struct case_position {
  std::string branch;
  std::string step;
  std::string assignee;
  instant step_entered_at;
  std::vector<std::string> reminders_sent;
};

// A case as the fold of its events (see core.h apply()).
struct case_state {
  std::string id;
  std::string procedure;
  std::string definition_hash;
  std::string step;
  std::string assignee;
  field_values fields;
  std::int64_t seq = 0;           // seq of the last event applied: the case's version
  instant opened_at;
  instant updated_at;
  instant step_entered_at;
  bool open = true;               // the current step is neither terminal nor resolved
  // Who took actions in each step, in order (segregation of duties looks here).
  std::map<std::string, std::vector<std::string>, std::less<>> performers;
  std::vector<case_deadline> deadlines;             // in the order they were set
  std::map<std::string, int, std::less<>> escalations_fired;  // rule -> times fired
  std::vector<std::string> reminders_sent;          // in the current step visit
  std::int64_t paused_seconds = 0;                  // time spent in clock-pausing steps
  std::optional<instant> paused_since;              // set while in such a step
  std::optional<case_approval> approval;            // the latest approval chain, if any
  std::string parent;                               // the case that opened this one ("" = none)
  std::vector<case_subcase> subcases;               // the cases this one opened, in order
  // Parallel work: the members above from `step` to `reminders_sent` are the main path's
  // position; these are the forks opened and their branches (open and closed), in order.
  std::vector<case_fork> forks;
  std::vector<case_branch> branches;

  const case_deadline* find_deadline(std::string_view rule) const;
  const case_branch* find_branch(std::string_view id) const;      // open or closed; null if none
  const case_fork* find_fork(std::int64_t seq) const;
  // The position `branch` ("" = the main path); nullopt when no open branch has that id.
  std::optional<case_position> position(std::string_view branch) const;
  std::vector<std::string> open_branches() const;                 // their ids, in order

  bool exists() const { return seq > 0; }
};

}  // namespace caseflow
