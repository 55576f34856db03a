// caseflow/core.h — the pure heart of the engine: decide and apply.
//
// decide() checks a command against a procedure, the organisation and a case, and returns
// either the events to append or a refusal that says exactly why. apply() folds one event
// into a case. Both are pure: no I/O, no clock, no globals; the runtime (runtime.h) does
// the reading and writing around them. Replay is the same fold as live behaviour, so the
// two cannot disagree. Thread-safe: no shared state.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/calendar.h"
#include "caseflow/event.h"
#include "caseflow/org.h"
#include "caseflow/procedure.h"

namespace caseflow {

namespace event_kind {
// Evidence kept with the case (see attachments.h): data {name, size, digest, note}.
inline constexpr std::string_view attachment_added = "attachment_added";
}  // namespace event_kind

// What an operator asked for.
struct command {
  enum class kind { start, act, assign, note, attach };
  kind type = kind::act;
  std::string actor;
  std::string action;                                      // kind::act
  std::vector<std::pair<std::string, std::string>> sets;   // `--set name=value`, as typed
  std::string comment;                                     // kind::act; kind::note: the note
  std::string assignee;                                    // kind::assign ("" unassigns); assigning, unassigning and notes need a role of the procedure
  // kind::attach: evidence already stored by digest; the note goes in `comment`.
  struct evidence {
    std::string name;
    std::int64_t size = 0;
    std::string digest;  // SHA-256 hex of the bytes
  } attachment;
  bool automatic = false;  // taken by `system` on a timer: no role needed, no comment asked
  // The position it acts on: "" = the main path, else an open branch (case_state::branches).
  // On a branch, kind::act takes an action of the branch's step (roles, guards and segregation
  // of duties as there), kind::assign gives that position to a person, and notes and
  // evidence are recorded on it; every event carries the branch. Refused (branch_not_open)
  // when the branch is unknown, finished or cancelled; kind::start takes none.
  std::string branch;
};

// Why a command was refused. Each code maps to exit status 1 in the CLI.
enum class refusal_code {
  unknown_action,    // no such action in the current step
  not_permitted,     // the actor lacks the role
  guard_failed,      // the action's guard is false
  invalid_value,     // a --set value of the wrong type, or an unknown field
  missing_value,     // a required field has no value
  comment_required,
  case_closed,       // the case is in a terminal step
  unknown_person,
  time_out_of_order, // timed before the case's last event by more than k_clock_skew_seconds
  branch_not_open,   // the command names a branch that is unknown, finished or cancelled
  branch_ambiguous,  // the action is open in several branches and the command names none
};

struct refusal {
  refusal_code code;
  std::string message;  // a whole sentence for the operator
};

struct decision {
  std::vector<event> events;       // empty when refused
  std::optional<refusal> refused;
  explicit operator bool() const { return !refused; }
};

// When a command is decided: `now` (UTC) and the local date it falls on in the procedure's
// calendar (delegations are dated in local days), and that calendar, which counts the working
// time in guards. Guards see `now` and `today` as names (procedure::action_guard_names).
struct moment {
  instant now;
  civil_date today;
  const calendar* cal = nullptr;  // the procedure's; null when it has none (dates in UTC)
};
// The moment of `now` in `cal` (may be null). The runtime and conformance both take a
// command's moment from here, so a guard re-decided by `verify` sees the same `now` and `today`.
moment moment_in(const calendar* cal, instant now);

// Time only moves forward within a case (DESIGN.md "Time"). A command timed before the case's
// last event by at most k_clock_skew_seconds (clock skew between machines) is recorded at the
// last event's time, and its first event says so in data `clamped_from` (the time asked for);
// one timed earlier still is refused with refusal_code::time_out_of_order.
inline constexpr std::int64_t k_clock_skew_seconds = 5;
struct command_time {
  instant at;                          // when the command's events are recorded
  std::optional<instant> clamped_from; // the time asked for, when it was moved forward
  std::optional<refusal> refused;
};
command_time command_time_for(const case_state& current, instant asked);
// Marks `e` (the first event of the command) with `clamped_from` when `t` was moved forward;
// for a decision, its first event (none when refused).
void record_clamp(const command_time& t, event* e);
void record_clamp(const command_time& t, decision* d);

// Decides `cmd` on `current` (for kind::start, a case that does not exist yet; the events
// then carry `case_id` from `current.id`, which may be "" for the store to allocate).
// On a branch (cmd.branch), an action that enters the branch's end step is followed by its
// branch_finished; when that makes its fork's join rule hold, by branch_cancelled for the
// fork's branches still open and branches_joined, which moves the parent position to the
// join's target (and, when that is the parent branch's end, finishes it too, and so on). An
// action that would leave a fork step while branches it opened are open is refused, unless the
// fork says `leaving: cancel` (then each is followed by branch_cancelled, reason "left"). An
// event that puts a position in a fork step is followed by that fork's branches_opened.
decision decide(const procedure& p, const organisation& org, const case_state& current, const command& cmd,
                const moment& at);

// The position an action named without a branch is taken on: the main path when its step has
// `action` (as before forks existed), else the one open branch whose step has it (its id).
// "" also when no position has it (decide then says the action is unknown). Refused with
// branch_ambiguous, naming the branches, when several open branches have it.
struct position_choice {
  std::string branch;
  std::optional<refusal> refused;
};
position_choice choose_position(const procedure& p, const case_state& c, std::string_view action);

// An event by `system` on case `c` (next seq, same step), decided under `p`: the start of
// every deadline, timer and approval bookkeeping event. On position `branch` ("" = the main
// path), from/to are that position's step ("" when no open branch has that id).
event system_event(const procedure& p, const case_state& c, std::string_view kind, instant at,
                   std::string_view branch = "");

// Folds `e` into `current`. Total: an event the procedure does not know, or whose `branch`
// names no open branch, changes only the version and times. REQUIRES: e.seq == current.seq + 1.
case_state apply(const procedure& p, case_state current, const event& e);

// An action as `show` presents it to a given user. In an approval step, `approve` and
// `reject` carry the roles of the pending level, and are permitted only to someone who may
// sign it now (segregation of duties included).
struct action_option {
  const action_def* action;
  std::vector<std::string> roles;        // effective roles (the action's, else the step's)
  bool permitted = false;                // the user holds (or is delegated) one of them
  bool guard_holds = true;
  std::string why_not;                   // for approve/reject: why the user may not sign now
};
// On position `branch` ("" = the main path): the actions of its step; none when no open branch
// has that id.
std::vector<action_option> actions_for(const procedure& p, const organisation& org, const case_state& c,
                                       std::string_view user, const moment& at, std::string_view branch = "");

// Case state <-> JSON (the projection's `state` column). Field values are typed by `p`.
nlohmann::json state_to_json(const case_state& c);
case_state state_from_json(const procedure& p, const nlohmann::json& j);

// Field values <-> JSON object, typed by `p`; unknown names are skipped.
nlohmann::json fields_to_json(const field_values& fields);
field_values fields_from_json(const procedure& p, const nlohmann::json& j);

}  // namespace caseflow
