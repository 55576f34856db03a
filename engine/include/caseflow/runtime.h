// caseflow/runtime.h — runs commands: read the case, decide, commit, in one transaction.
//
// The runtime is the only place where the pure core meets the store and the clock. A case
// is decided under the definition it was opened with (looked up by hash in the store), so
// editing a YAML file changes new cases, never the past. Non-copyable handle; one thread.
//
// Handler calls (action_handler.h) run inside commit, once a handler registry is set: their
// effects are recorded after their trigger in the same transaction. A handler that asks for
// a sub-case (start_case) opens it in that transaction too: the child's case_started (by
// `system`) holds {parent}, the parent records subcase_started {case_id, procedure, wait}.
// When a child later reaches a terminal or resolved step (or is reopened), the same
// transaction appends subcase_finished {case_id, procedure, step, outcome} (subcase_reopened)
// to the parent; if the parent's step names `after_subcases: ACTION` and no sub-case is open
// any more, `system` then takes that action. A parent cannot change step while a sub-case it
// started with `wait: true` is open, nor leave a `wait_for_subcases: true` step while any is.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/action_handler.h"
#include "caseflow/core.h"
#include "caseflow/loader.h"
#include "caseflow/org.h"
#include "caseflow/store.h"

namespace caseflow {

class calendar;
class calendar_set;

struct outcome {
  enum class status { done, refused, conflict, not_found, already_opened };
  status result = status::done;
  std::string case_id;
  std::vector<event> events;  // as stored, when done
  std::string message;        // why, when not done
  std::optional<refusal_code> code;
};

// A case together with the definition it is pinned to.
struct loaded_case {
  case_state state;
  std::shared_ptr<const procedure> definition;
};

class runtime {
 public:
  // All references must outlive the runtime. `calendars` may be null (dates are then UTC).
  // Finishes what a schema migration of `s` left pending (store::complete_migration) first.
  runtime(store& s, const procedure_library& library, const organisation& org, const calendar_set* calendars);
  runtime(const runtime&) = delete;
  // Handlers for the procedures' hooks (must outlive the runtime); null = hooks do not run.
  void set_handlers(const handler_registry* handlers) { handlers_ = handlers; }
  runtime& operator=(const runtime&) = delete;

  // Opens a case of `procedure_id`; `id` overrides the procedure's id pattern, and is refused
  // unless it follows the rule of identifier.h and looks like no existing case's id.
  outcome start(std::string_view procedure_id, command cmd, instant now, std::string id = "");
  // A case a schedule opens for one period (schedules.h): by `system`, with `sets` (the period's
  // fields), its case_started data naming {schedule, period}, and `report` attached in the same
  // transaction, which also claims the period (store.h schedule_opening): status
  // already_opened, nothing written, when another tick opened it first.
  struct scheduled_case {
    std::string id;  // the schedule's case_id with the period filled in
    schedule_opening key;
    std::vector<std::pair<std::string, std::string>> sets;
    struct evidence {
      std::string name;
      std::string bytes;
      std::string note;
    };
    std::optional<evidence> report;
  };
  outcome start_scheduled(const procedure& p, scheduled_case opening, instant now);
  // Performs an act/assign/note command on an existing case. An action given without a branch
  // is taken on the position choose_position() picks (core.h).
  outcome execute(std::string_view case_id, command cmd, instant now);

  // Fires every timer due at `now` (at most `limit`), each exactly once: a timer another
  // process fired first, or whose case changed meanwhile, is skipped (and retried next
  // time if still due). A firing that is refused (a hook's handler is missing or refuses its
  // arguments) writes nothing and is listed in `refused`, once per timer, with the reason.
  struct timer_refusal {
    std::string case_id;
    std::string rule;
    std::string message;
  };
  // A rule of one case that fired k_max_firings_per_rule times in one tick (a repeating escalation
  // far behind): the tick fired it no more; it is still due, and the next tick goes on.
  struct capped_rule {
    std::string case_id;
    std::string rule;
    std::size_t fired = 0;
  };
  static constexpr std::size_t k_max_firings_per_rule = 1000;  // DESIGN.md "Time"
  struct tick_report {
    std::size_t fired = 0;
    std::size_t skipped = 0;
    std::vector<event> events;  // everything the firings recorded
    std::vector<timer_refusal> refused;
    std::vector<capped_rule> capped;
  };
  tick_report tick(instant now, std::size_t limit = 10000);
  // Recomputes the deadlines of every case that has any under the current calendars;
  // each change is recorded as a deadline_changed event with the old and the new time and the
  // reason "calendar".
  // Returns the events recorded.
  std::vector<event> recompute_deadlines(instant now);

  std::optional<loaded_case> load(std::string_view case_id);
  // The definition stored under `hash` (parsed once and cached). Throws store_error if the
  // stored text no longer loads.
  std::shared_ptr<const procedure> definition(std::string_view hash);
  // The organisation deployed under `version` (event::org_version), parsed once and cached: the
  // one in force for "" and for its own version; null when the store holds no such version.
  const organisation* organisation_version(std::string_view version);
  // `now` with the local date it falls on in the procedure's calendar.
  moment moment_for(const procedure& p, instant now) const;
  // The procedure's calendar, or null when it names none (or an unknown one).
  const calendar* calendar_for(const procedure& p) const;

  // The person who enters the commands when it is not the acting user (an admin acting as
  // someone else, README "Who is acting"): each event a person makes then records it in data
  // `entered_by`. "" = the acting user themselves (the default).
  void set_entered_by(std::string person) { entered_by_ = std::move(person); }
  // The admin importing history (importer.h): each event a person makes then records it in data
  // `imported_by`, the admin's own included. "" = not an import (the default).
  void set_imported_by(std::string person) { imported_by_ = std::move(person); }

  // Writes through the store (store::commit, commit_batch), recording on every event the
  // organisation version it was decided under (org().version()), and `entered_by` when set.
  // Every write goes through these.
  commit_result write(commit_request request);
  std::vector<commit_result> write_batch(std::vector<commit_request> requests);

  store& storage() { return store_; }
  const organisation& org() const { return org_; }
  const procedure_library& library() const { return library_; }

 private:
  // Records on `e` the organisation version, entered_by_ and imported_by_ (write, write_batch).
  void stamp(event* e) const;
  // Why an id given to start() is refused ("" when it is not).
  std::string explicit_id_problem(const std::string& id);
  // How often each (case, rule) fired in the tick under way.
  using firing_counts = std::map<std::pair<std::string, std::string>, std::size_t>;
  void fire_due(instant now, std::size_t limit, firing_counts* counts, tick_report* report);
  // Fires one due timer, counting it in `report` as fired, skipped, refused or capped.
  void fire_one(const timer_ref& timer, instant now, firing_counts* counts, tick_report* report);
  outcome commit(const procedure& p, const case_state& current, decision decided, std::string id_pattern,
                 civil_date local_day, std::optional<schedule_opening> opening = std::nullopt,
                 std::vector<blob> blobs = {});
  // The requests of one transaction: a case's change and those it causes (sub-cases, parents).
  struct batch {
    std::vector<commit_request> requests;
    int placeholders = 0;
    std::string error;  // why the change is refused ("" = none)
  };
  void prepare(const procedure& p, const case_state& current, std::vector<event> events, std::string id_pattern,
               civil_date local_day, int depth, batch* out);
  std::string open_subcase(const subcase_request& request, const case_state& parent, int depth, batch* out,
                           std::string* error);
  void tell_parent(const procedure& child_procedure, const case_state& child, instant now, int depth, batch* out);
  // Appends `events` and the deadline changes they cause to `request`, folding its state.
  void append_events(const procedure& p, commit_request* request, std::vector<event> events);
  // Whether `after` newly counts in a similar-cases group (or counts under other values).
  bool joins_similar_group(const procedure& p, const case_state& before, const case_state& after) const;
  // Counts the group of the batch's first case (from the store's index) and, for each rule the
  // count reaches, adds its raise to that case and one request per open similar case.
  void add_similar_raises(const procedure& p, std::vector<commit_request>* batch);

  store& store_;
  const procedure_library& library_;
  std::string entered_by_;
  std::string imported_by_;
  const organisation& org_;
  const calendar_set* calendars_;
  const handler_registry* handlers_ = nullptr;
  std::map<std::string, std::shared_ptr<const procedure>, std::less<>> definitions_;
  std::map<std::string, std::unique_ptr<organisation>, std::less<>> organisations_;  // null: not deployed
};

}  // namespace caseflow
