#include "caseflow/runtime.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include <fmt/format.h>

#include "caseflow/calendar.h"
#include "caseflow/hash.h"
#include "caseflow/identifier.h"
#include "caseflow/similar.h"
#include "caseflow/timers.h"
#include "handlers/hooks.h"

namespace caseflow {

namespace {
// How often a new case's similar-cases count is retried when it loses a race.
constexpr int k_similar_attempts = 3;
}  // namespace

runtime::runtime(store& s, const procedure_library& library, const organisation& org, const calendar_set* calendars)
    : store_(s), library_(library), org_(org), calendars_(calendars) {
  store_.complete_migration([this](std::string_view hash) { return definition(hash); });
}

const calendar* runtime::calendar_for(const procedure& p) const {
  return calendars_ && !p.calendar.empty() ? calendars_->find(p.calendar) : nullptr;
}

moment runtime::moment_for(const procedure& p, instant now) const { return moment_in(calendar_for(p), now); }

std::shared_ptr<const procedure> runtime::definition(std::string_view hash) {
  if (auto it = definitions_.find(hash); it != definitions_.end()) return it->second;
  std::shared_ptr<const procedure> found;
  for (const procedure* p : library_.all())
    if (p->hash == hash) found = std::make_shared<const procedure>(*p);
  if (!found) {
    auto text = store_.definition_text(hash);
    if (!text) throw store_error(fmt::format("the definition {} is missing from the database", hash));
    if (sha256_hex(*text) != hash)
      throw store_error(fmt::format("the stored definition {} does not match its hash: the database was edited "
                                    "(run `caseflow verify`)",
                                    hash));
    diagnostics problems;
    auto p = load_procedure_text(*text, fmt::format("definition {}", hash.substr(0, 12)), &problems);
    if (!p) throw store_error(fmt::format("the stored definition {} no longer loads: {}", hash,
                                          problems.empty() ? "" : to_string(problems.front())));
    found = std::make_shared<const procedure>(std::move(*p));
  }
  definitions_.emplace(std::string(hash), found);
  return found;
}

const organisation* runtime::organisation_version(std::string_view version) {
  if (version.empty() || version == org_.version()) return &org_;
  auto it = organisations_.find(version);
  if (it == organisations_.end()) {
    std::unique_ptr<organisation> found;
    if (auto text = store_.deployed_text(version); text && sha256_hex(*text) == version) {
      diagnostics problems;
      found = std::make_unique<organisation>(
          load_organisation_text(*text, fmt::format("organisation {}", version.substr(0, 12)), &problems));
      if (has_errors(problems)) found.reset();
    }
    it = organisations_.emplace(std::string(version), std::move(found)).first;
  }
  return it->second.get();
}

std::optional<loaded_case> runtime::load(std::string_view case_id) {
  auto record = store_.load_case(case_id);
  if (!record) return std::nullopt;
  auto p = definition(record->definition_hash);
  return loaded_case{state_from_json(*p, record->state), p};
}

std::string runtime::explicit_id_problem(const std::string& id) {
  if (std::string why = identifier_problem(id); !why.empty())
    return fmt::format("the case id is not allowed: {} ({})", why, k_identifier_rule);
  // An id equal to an existing one is the store's to refuse (id_taken), in the transaction.
  // A look-alike is found before it: the ids of cases opened between the two are not seen.
  const std::string key = look_alike_key(id);
  std::string like;
  store_.scan_cases([&](const case_record& r) {
    if (r.id != id && look_alike_key(r.id) == key) like = r.id;
    return like.empty();
  });
  if (like.empty()) return "";
  return fmt::format("case id '{}' looks like the existing case {} ({}); choose another", id, like, k_look_alike_rule);
}

outcome runtime::start(std::string_view procedure_id, command cmd, instant now, std::string id) {
  const procedure* p = library_.find(procedure_id);
  if (!p) {
    std::vector<std::string> ids;
    for (const procedure* q : library_.all()) ids.push_back(q->id);
    std::string list;
    for (const auto& i : ids) list += (list.empty() ? "" : ", ") + i;
    return {outcome::status::not_found, "", {},
            fmt::format("unknown procedure '{}'{}; procedures: {}", procedure_id, did_you_mean(procedure_id, ids), list),
            std::nullopt};
  }
  if (!id.empty())
    if (std::string why = explicit_id_problem(id); !why.empty())
      return {outcome::status::refused, "", {}, why, refusal_code::invalid_value};
  cmd.type = command::kind::start;
  case_state fresh;
  fresh.id = id;
  const moment at = moment_for(*p, now);
  // A new case that joins a similar-cases group is counted in the transaction that stores it
  // (commit): when the group changed between the count and the commit, nothing was written,
  // so the case is decided and counted again, a few times, before the conflict is reported.
  for (int attempt = 1;; ++attempt) {
    outcome result = commit(*p, fresh, decide(*p, org_, fresh, cmd, at), p->case_id_pattern, at.today);
    if (result.result != outcome::status::conflict || !p->similar || attempt == k_similar_attempts) return result;
  }
}

outcome runtime::start_scheduled(const procedure& p, scheduled_case opening, instant now) {
  // Another tick may have opened this period (and so its id) since the caller looked.
  auto opened_elsewhere = [&] {
    const auto last = store_.last_opening(p.id, opening.key.schedule);
    return last && last->period_start >= opening.key.period_start;
  };
  if (opened_elsewhere())
    return {outcome::status::already_opened, opening.id, {}, "opened by another tick", std::nullopt};
  if (std::string why = explicit_id_problem(opening.id); !why.empty()) {
    if (opened_elsewhere())
      return {outcome::status::already_opened, opening.id, {}, "opened by another tick", std::nullopt};
    return {outcome::status::refused, "", {}, why, refusal_code::invalid_value};
  }
  command cmd;
  cmd.type = command::kind::start;
  cmd.actor = k_system_actor;
  cmd.automatic = true;
  cmd.sets = std::move(opening.sets);
  case_state fresh;
  fresh.id = opening.id;
  const moment at = moment_for(p, now);
  decision decided = decide(p, org_, fresh, cmd, at);
  if (!decided) return {outcome::status::refused, opening.id, {}, decided.refused->message, decided.refused->code};
  decided.events.front().data["schedule"] = opening.key.schedule;
  decided.events.front().data["period"] = opening.key.period;
  std::vector<blob> blobs;
  if (opening.report) {
    // The period's report, attached by `system` as the case opens (attachments.h).
    case_state opened = fresh;
    for (const auto& e : decided.events) opened = apply(p, std::move(opened), e);
    command attach;
    attach.type = command::kind::attach;
    attach.actor = k_system_actor;
    attach.automatic = true;
    attach.comment = opening.report->note;
    attach.attachment = {opening.report->name, static_cast<std::int64_t>(opening.report->bytes.size()),
                         sha256_hex(opening.report->bytes)};
    decision attached = decide(p, org_, opened, attach, at);
    if (!attached) return {outcome::status::refused, opening.id, {}, attached.refused->message, attached.refused->code};
    for (auto& e : attached.events) decided.events.push_back(std::move(e));
    blobs.push_back({attach.attachment.digest, std::move(opening.report->bytes)});
  }
  opening.key.case_id = opening.id;
  opening.key.opened_at = now;
  return commit(p, fresh, std::move(decided), p.case_id_pattern, at.today, std::move(opening.key), std::move(blobs));
}

outcome runtime::execute(std::string_view case_id, command cmd, instant now) {
  auto loaded = load(case_id);
  if (!loaded)
    return {outcome::status::not_found, std::string(case_id), {}, fmt::format("no case '{}'", case_id), std::nullopt};
  const procedure& p = *loaded->definition;
  const command_time when = command_time_for(loaded->state, now);
  if (when.refused) return {outcome::status::refused, loaded->state.id, {}, when.refused->message, when.refused->code};
  const moment at = moment_for(p, when.at);
  if (cmd.type == command::kind::act && cmd.branch.empty()) {
    position_choice chosen = choose_position(p, loaded->state, cmd.action);
    if (chosen.refused)
      return {outcome::status::refused, loaded->state.id, {}, chosen.refused->message, chosen.refused->code};
    cmd.branch = std::move(chosen.branch);
  }
  decision decided = decide(p, org_, loaded->state, cmd, at);
  record_clamp(when, &decided);
  return commit(p, loaded->state, std::move(decided), "", at.today);
}

namespace {

constexpr int k_max_subcase_depth = 8;

bool is_placeholder(std::string_view id) { return !id.empty() && id.front() == '\x1f'; }

}  // namespace

void runtime::stamp(event* e) const {
  e->org_version = org_.version();
  if (e->actor == k_system_actor) return;
  auto record = [&](const char* key, const std::string& person) {
    if (e->data.is_null()) e->data = nlohmann::json::object();
    if (e->data.is_object()) e->data[key] = person;
  };
  if (!entered_by_.empty() && e->actor != entered_by_) record("entered_by", entered_by_);
  if (!imported_by_.empty()) record("imported_by", imported_by_);
}

commit_result runtime::write(commit_request request) {
  for (event& e : request.events) stamp(&e);
  return store_.commit(std::move(request));
}

std::vector<commit_result> runtime::write_batch(std::vector<commit_request> requests) {
  for (commit_request& request : requests)
    for (event& e : request.events) stamp(&e);
  return store_.commit_batch(std::move(requests));
}

outcome runtime::commit(const procedure& p, const case_state& current,
                        decision decided, std::string id_pattern, civil_date local_day,
                        std::optional<schedule_opening> opening, std::vector<blob> blobs) {
  if (!decided)
    return {outcome::status::refused, current.id, {}, decided.refused->message, decided.refused->code};
  batch changes;
  prepare(p, current, std::move(decided.events), std::move(id_pattern), local_day, 0, &changes);
  if (!changes.error.empty())
    return {outcome::status::refused, current.id, {}, changes.error, refusal_code::invalid_value};
  // A schedule's period is claimed, and its report stored, with the case's first events.
  changes.requests.front().opening = std::move(opening);
  for (auto& b : blobs) changes.requests.front().blobs.push_back(std::move(b));
  // A case that joins a similar-cases group is counted with it in this same transaction; a new
  // case by its placeholder id, which the store replaces by the id it allocates.
  if (joins_similar_group(p, current, changes.requests.front().resulting_state))
    add_similar_raises(p, &changes.requests);
  std::vector<commit_result> stored = write_batch(std::move(changes.requests));
  for (auto& result : stored) {
    switch (result.status) {
      case commit_status::committed: continue;
      case commit_status::conflict:
        return {outcome::status::conflict, current.id, {}, result.message + "; nothing was written, safe to retry",
                std::nullopt};
      case commit_status::id_taken:
        return {outcome::status::refused, current.id, {}, result.message, refusal_code::invalid_value};
      case commit_status::already_opened:
        return {outcome::status::already_opened, current.id, {}, result.message, std::nullopt};
    }
  }
  return {outcome::status::done, stored.front().case_id, std::move(stored.front().events), "", std::nullopt};
}

void runtime::prepare(const procedure& p, const case_state& current, std::vector<event> events, std::string id_pattern,
                      civil_date local_day, int depth, batch* out) {
  const std::size_t index = out->requests.size();
  out->requests.emplace_back();
  commit_request request;
  request.definition = &p;
  request.expected_seq = current.seq;
  request.id_pattern = std::move(id_pattern);
  request.local_day = local_day;
  if (!current.exists() && !events.empty()) {
    // A new case without an id gets a placeholder, so that a sub-case it opens can name it.
    if (events.front().case_id.empty()) {
      const std::string placeholder = fmt::format("\x1fnew case {}", ++out->placeholders);
      for (auto& e : events) e.case_id = placeholder;
    }
    if (is_placeholder(events.front().case_id)) request.placeholder = events.front().case_id;
  }
  if (handlers_ && !events.empty()) {
    const detail::hook_environment env{
        *handlers_, org_, calendar_for(p),
        [&](const subcase_request& r, const case_state& parent, std::string* error) {
          return open_subcase(r, parent, depth, out, error);
        }};
    events = detail::run_hooks(p, current, std::move(events), env, &out->error);
    if (!out->error.empty()) return;
  }
  if (!events.empty()) {
    const instant now = events.back().at;
    events = with_deadlines(p, calendar_for(p), current, std::move(events), now);
  }
  case_state next = current;
  for (const auto& e : events) next = apply(p, std::move(next), e);
  const bool tell = !next.parent.empty() && current.exists() && current.open != next.open;
  const instant now = events.empty() ? instant{} : events.back().at;
  request.resulting_state = std::move(next);
  request.events = std::move(events);
  out->requests[index] = std::move(request);
  if (tell) tell_parent(p, out->requests[index].resulting_state, now, depth, out);
}

std::string runtime::open_subcase(const subcase_request& request, const case_state& parent, int depth, batch* out,
                                  std::string* error) {
  const procedure* child = library_.find(request.procedure);
  if (!child) {
    std::vector<std::string> ids;
    for (const procedure* q : library_.all()) ids.push_back(q->id);
    *error = fmt::format("unknown procedure '{}'{}", request.procedure, did_you_mean(request.procedure, ids));
    return "";
  }
  if (depth + 1 > k_max_subcase_depth) {
    *error = fmt::format("sub-cases nest deeper than {} levels (does a procedure start itself?)", k_max_subcase_depth);
    return "";
  }
  command cmd;
  cmd.type = command::kind::start;
  cmd.actor = k_system_actor;
  cmd.automatic = true;
  cmd.sets = request.fields;
  const moment at = moment_for(*child, parent.updated_at);
  decision opened = decide(*child, org_, case_state{}, cmd, at);
  if (!opened) {
    *error = fmt::format("cannot open a {} sub-case: {}", child->id, opened.refused->message);
    return "";
  }
  const std::string placeholder = fmt::format("\x1fnew case {}", ++out->placeholders);
  for (auto& e : opened.events) e.case_id = placeholder;
  opened.events.front().data["parent"] = parent.id;
  prepare(*child, case_state{}, std::move(opened.events), child->case_id_pattern, at.today, depth + 1, out);
  if (!out->error.empty()) *error = out->error;
  return placeholder;
}

void runtime::tell_parent(const procedure& child_procedure, const case_state& child, instant now, int depth, batch* out) {
  for (const auto& r : out->requests)
    if (r.resulting_state.id == child.parent) {
      out->error = fmt::format("sub-case {} would finish in the same change as its parent {}; take the step separately",
                               child.id, child.parent);
      return;
    }
  auto parent = load(child.parent);
  if (!parent) return;  // the parent is not in this database (e.g. imported alone): nothing to tell
  const procedure& pp = *parent->definition;
  const command_time when = command_time_for(parent->state, now);
  if (when.refused) {
    out->error = when.refused->message;
    return;
  }
  now = when.at;
  event e = system_event(pp, parent->state, child.open ? event_kind::subcase_reopened : event_kind::subcase_finished, now);
  e.data = {{"case_id", child.id}, {"procedure", child_procedure.id}, {"step", child.step}};
  record_clamp(when, &e);
  if (!child.open) {
    field_values outcome;  // personal values stay in the child's log
    for (const auto& [name, v] : child.fields)
      if (const field_def* f = child_procedure.find_field(name); f && !f->personal) outcome[name] = v;
    e.data["outcome"] = fields_to_json(outcome);
  }
  std::vector<event> events{e};
  case_state after = apply(pp, parent->state, e);
  const step_def* step = pp.find_step(after.step);
  const bool none_open = std::none_of(after.subcases.begin(), after.subcases.end(), [](const case_subcase& s) { return s.open; });
  if (!child.open && step && !step->after_subcases.empty() && none_open) {
    command cmd;
    cmd.type = command::kind::act;
    cmd.actor = k_system_actor;
    cmd.action = step->after_subcases;
    cmd.automatic = true;
    decision taken = decide(pp, org_, after, cmd, moment_for(pp, now));
    if (taken) {
      for (auto& t : taken.events) events.push_back(std::move(t));
    } else {
      event told = system_event(pp, after, event_kind::notification_requested, now);
      told.data = {{"rule", "after_subcases"}, {"to", nlohmann::json::array({"assignee"})},
                   {"message", fmt::format("automatic action '{}' was refused: {}", step->after_subcases,
                                           taken.refused->message)}};
      events.push_back(std::move(told));
    }
  }
  prepare(pp, parent->state, std::move(events), "", {}, depth + 1, out);
}

void runtime::append_events(const procedure& p, commit_request* request, std::vector<event> events) {
  if (events.empty()) return;
  const instant now = events.back().at;
  events = with_deadlines(p, calendar_for(p), request->resulting_state, std::move(events), now);
  for (auto& e : events) {
    request->resulting_state = apply(p, std::move(request->resulting_state), e);
    request->events.push_back(std::move(e));
  }
}

bool runtime::joins_similar_group(const procedure& p, const case_state& before, const case_state& after) const {
  const auto joined = signature_of(p, after);
  return joined && joined != signature_of(p, before);
}

void runtime::add_similar_raises(const procedure& p, std::vector<commit_request>* batch) {
  commit_request& trigger = batch->front();
  const case_state& c = trigger.resulting_state;
  const instant now = trigger.events.empty() ? c.updated_at : trigger.events.back().at;
  const std::int64_t span = window_span_seconds(*p.similar);
  const instant from{c.opened_at.seconds - span}, to{c.opened_at.seconds + span};
  similar_group group = store_.similar_cases(p, c, from, to);
  trigger.similar = similar_check{from, to, group.others.size()};
  std::erase_if(group.others, [&](const similar_case& other) {
    return !within_window(*p.similar, calendar_for(p), c.opened_at, other.opened_at);
  });
  std::set<std::string> distinct{group.distinct_digest};
  for (const auto& other : group.others) distinct.insert(other.distinct_digest);
  const int count = static_cast<int>(distinct.size());
  auto others_of = [&](const std::string& id) {
    std::vector<std::string> ids;
    if (id != c.id) ids.push_back(c.id);
    for (const auto& other : group.others)
      if (other.case_id != id) ids.push_back(other.case_id);
    return ids;
  };
  for (const auto& rule : p.similar->rules) {
    if (count < rule.at_least) continue;
    append_events(p, &trigger, similar_raise(p, trigger.resulting_state, rule, count, others_of(c.id), now));
  }
  auto in_trigger = [&](const similar_rule& rule) {
    return std::any_of(p.similar->rules.begin(), p.similar->rules.end(),
                       [&](const similar_rule& r) { return r.id == rule.id; });
  };
  std::vector<commit_request> raised;
  for (const auto& other : group.others) {
    if (!other.open) continue;
    auto loaded = load(other.case_id);
    if (!loaded) continue;
    // The other case is raised under the definition it is pinned to (kept alive by the
    // runtime's definition cache), by its rule of the same name.
    const procedure& q = *loaded->definition;
    if (!q.similar) continue;
    commit_request raise;
    raise.definition = &q;
    raise.expected_seq = loaded->state.seq;
    raise.resulting_state = loaded->state;
    for (const auto& rule : q.similar->rules)
      if (count >= rule.at_least && in_trigger(rule))
        append_events(q, &raise, similar_raise(q, raise.resulting_state, rule, count, others_of(other.case_id), now));
    if (!raise.events.empty()) raised.push_back(std::move(raise));
  }
  for (auto& request : raised) batch->push_back(std::move(request));  // `trigger` is not used after this
}

runtime::tick_report runtime::tick(instant now, std::size_t limit) {
  tick_report report;
  firing_counts counts;
  // Firing can make further timers due at once (an escalation that applies immediately, a
  // repeating one behind by several periods): keep going until a pass fires nothing, within
  // the limit and at most k_max_firings_per_rule times per rule of a case.
  for (std::size_t before = SIZE_MAX; report.fired != before && report.fired < limit;) {
    before = report.fired;
    fire_due(now, limit - report.fired, &counts, &report);
  }
  return report;
}

void runtime::fire_due(instant now, std::size_t limit, firing_counts* counts, tick_report* out) {
  tick_report& report = *out;
  // Two ticks at once may both read a timer: the first to commit fires it, and the second,
  // refused by the case's version, skips it (store.h, lease).
  for (const timer_ref& timer : store_.due_timers(now, limit)) fire_one(timer, now, counts, &report);
}

void runtime::fire_one(const timer_ref& timer, instant now, firing_counts* counts, tick_report* out) {
  tick_report& report = *out;
  std::size_t& fired_before = (*counts)[{timer.case_id, timer.rule}];
  if (fired_before >= k_max_firings_per_rule) {
    const bool listed = std::any_of(report.capped.begin(), report.capped.end(), [&](const capped_rule& r) {
      return r.case_id == timer.case_id && r.rule == timer.rule;
    });
    if (!listed) report.capped.push_back({timer.case_id, timer.rule, fired_before});
    return;
  }
  auto loaded = load(timer.case_id);
  if (!loaded) {
    ++report.skipped;
    return;
  }
  const procedure& p = *loaded->definition;
  // A case changed after `now` (virtual time run backwards, or a clock behind another
  // machine's by more than the skew) fires when time has caught up.
  const command_time when = command_time_for(loaded->state, now);
  if (when.refused) {
    ++report.skipped;
    return;
  }
  decision fired = fire_timer(p, org_, calendar_for(p), loaded->state, timer.rule, moment_for(p, when.at));
  if (!fired) {  // already fired by another tick, or no longer due
    ++report.skipped;
    return;
  }
  record_clamp(when, &fired);
  outcome result = commit(p, loaded->state, std::move(fired), "", {});
  if (result.result == outcome::status::refused) {  // tried again in the next pass
    const bool listed = std::any_of(report.refused.begin(), report.refused.end(), [&](const timer_refusal& r) {
      return r.case_id == timer.case_id && r.rule == timer.rule;
    });
    if (!listed) report.refused.push_back({timer.case_id, timer.rule, result.message});
    return;
  }
  if (result.result != outcome::status::done) {
    ++report.skipped;
    return;
  }
  ++report.fired;
  ++fired_before;
  for (auto& e : result.events) report.events.push_back(std::move(e));
}

std::vector<event> runtime::recompute_deadlines(instant now) {
  std::vector<event> recorded;
  for (const auto& id : store_.cases_with_deadlines()) {
    auto loaded = load(id);
    if (!loaded) continue;
    const procedure& p = *loaded->definition;
    const command_time when = command_time_for(loaded->state, now);
    if (when.refused) continue;  // recomputed by a later run, once time has caught up
    decision changes{schedule_deadlines(p, calendar_for(p), loaded->state, when.at), std::nullopt};
    for (event& e : changes.events)
      if (e.kind == event_kind::deadline_changed) e.data["reason"] = "calendar";  // DESIGN.md "Events"
    record_clamp(when, &changes);
    if (changes.events.empty()) continue;
    outcome result = commit(p, loaded->state, std::move(changes), "", {});
    for (auto& e : result.events) recorded.push_back(std::move(e));
  }
  return recorded;
}

}  // namespace caseflow
