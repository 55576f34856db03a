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
// data {handler, hook, messages: [{channel, recipient, payload, not_before}]}
inline constexpr std::string_view messages_requested = "messages_requested";
// Sub-cases (by `system`; see runtime.h). On the parent: data {case_id, procedure, wait,
// handler, hook} when a child is opened; data {case_id, procedure, step, fields} when the child
// reaches a terminal or resolved step, and data {case_id, procedure, step} when it is reopened.
// The child's case_started data holds {parent}.
inline constexpr std::string_view subcase_started = "subcase_started";
inline constexpr std::string_view subcase_finished = "subcase_finished";
inline constexpr std::string_view subcase_reopened = "subcase_reopened";
// Personal values erased (caseflow erase; see erasure.h), by a person holding `admin`, in role
// `admin`: data {erased: [field, ...]}; never the values. Folding it removes those fields.
inline constexpr std::string_view personal_data_erased = "personal_data_erased";
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
// it stays, marked breached, until the step is left), "reminder" (before a limit) or
// "escalation" (case-wide); reminders and escalations disappear when they fire.
struct case_deadline {
  std::string rule;               // "step.limit", "step.limit.reminder" or "escalation"
  std::string kind;
  instant due;
  bool provisional = false;       // computed past the calendar's coverage
  std::string calendar_version;
  bool breached = false;          // a limit that has fired
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

  const case_deadline* find_deadline(std::string_view rule) const;

  bool exists() const { return seq > 0; }
};

}  // namespace caseflow
