#include "caseflow/runtime.h"

#include <cstdint>

#include <fmt/format.h>

#include "caseflow/calendar.h"
#include "caseflow/timers.h"

namespace caseflow {

runtime::runtime(store& s, const procedure_library& library, const organisation& org, const calendar_set* calendars)
    : store_(s), library_(library), org_(org), calendars_(calendars) {}

const calendar* runtime::calendar_for(const procedure& p) const {
  return calendars_ && !p.calendar.empty() ? calendars_->find(p.calendar) : nullptr;
}

moment runtime::moment_for(const procedure& p, instant now) const {
  if (const calendar* cal = calendar_for(p)) return {now, cal->local_date(now)};
  const std::int64_t days = now.seconds >= 0 ? now.seconds / 86400 : (now.seconds - 86399) / 86400;
  return {now, civil_date{static_cast<std::int32_t>(days)}};
}

std::shared_ptr<const procedure> runtime::definition(std::string_view hash) {
  if (auto it = definitions_.find(hash); it != definitions_.end()) return it->second;
  std::shared_ptr<const procedure> found;
  for (const procedure* p : library_.all())
    if (p->hash == hash) found = std::make_shared<const procedure>(*p);
  if (!found) {
    auto text = store_.definition_text(hash);
    if (!text) throw store_error(fmt::format("the definition {} is missing from the database", hash));
    diagnostics problems;
    auto p = load_procedure_text(*text, fmt::format("definition {}", hash.substr(0, 12)), &problems);
    if (!p) throw store_error(fmt::format("the stored definition {} no longer loads: {}", hash,
                                          problems.empty() ? "" : to_string(problems.front())));
    found = std::make_shared<const procedure>(std::move(*p));
  }
  definitions_.emplace(std::string(hash), found);
  return found;
}

std::optional<loaded_case> runtime::load(std::string_view case_id) {
  auto record = store_.load_case(case_id);
  if (!record) return std::nullopt;
  auto p = definition(record->definition_hash);
  return loaded_case{state_from_json(*p, record->state), p};
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
  cmd.type = command::kind::start;
  case_state fresh;
  fresh.id = id;
  const moment at = moment_for(*p, now);
  decision decided = decide(*p, org_, fresh, cmd, at);
  return commit(*p, fresh, std::move(decided), p->case_id_pattern, at.today);
}

outcome runtime::execute(std::string_view case_id, command cmd, instant now) {
  auto loaded = load(case_id);
  if (!loaded)
    return {outcome::status::not_found, std::string(case_id), {}, fmt::format("no case '{}'", case_id), std::nullopt};
  const procedure& p = *loaded->definition;
  const moment at = moment_for(p, now);
  decision decided = decide(p, org_, loaded->state, cmd, at);
  return commit(p, loaded->state, std::move(decided), "", at.today);
}

outcome runtime::commit(const procedure& p, const case_state& current,
                        decision decided, std::string id_pattern, civil_date local_day) {
  if (!decided)
    return {outcome::status::refused, current.id, {}, decided.refused->message, decided.refused->code};
  commit_request request;
  request.definition = &p;
  request.expected_seq = current.seq;
  if (!decided.events.empty()) {
    const instant now = decided.events.back().at;
    decided.events = with_deadlines(p, calendar_for(p), current, std::move(decided.events), now);
  }
  case_state next = current;
  for (const auto& e : decided.events) next = apply(p, std::move(next), e);
  request.resulting_state = std::move(next);
  request.events = std::move(decided.events);
  request.id_pattern = std::move(id_pattern);
  request.local_day = local_day;
  commit_result stored = store_.commit(std::move(request));
  switch (stored.status) {
    case commit_status::committed:
      return {outcome::status::done, stored.case_id, std::move(stored.events), "", std::nullopt};
    case commit_status::conflict:
      return {outcome::status::conflict, current.id, {}, stored.message + "; nothing was written, safe to retry",
              std::nullopt};
    case commit_status::id_taken:
      return {outcome::status::refused, current.id, {}, stored.message, refusal_code::invalid_value};
  }
  return {};
}

runtime::tick_report runtime::tick(instant now, std::size_t limit) {
  tick_report report;
  // Firing can make further timers due at once (an escalation that applies immediately):
  // keep going until a pass fires nothing, within the limit.
  for (std::size_t before = SIZE_MAX; report.fired != before && report.fired < limit;) {
    before = report.fired;
    fire_due(now, limit - report.fired, &report);
  }
  return report;
}

void runtime::fire_due(instant now, std::size_t limit, tick_report* out) {
  tick_report& report = *out;
  for (const timer_ref& timer : store_.due_timers(now, limit)) {
    auto loaded = load(timer.case_id);
    if (!loaded) {
      ++report.skipped;
      continue;
    }
    const procedure& p = *loaded->definition;
    decision fired = fire_timer(p, org_, calendar_for(p), loaded->state, timer.rule, moment_for(p, now));
    if (!fired) {  // already fired by another tick, or no longer due
      ++report.skipped;
      continue;
    }
    outcome result = commit(p, loaded->state, std::move(fired), "", {});
    if (result.result != outcome::status::done) {
      ++report.skipped;
      continue;
    }
    ++report.fired;
    for (auto& e : result.events) report.events.push_back(std::move(e));
  }
}

std::vector<event> runtime::recompute_deadlines(instant now) {
  std::vector<event> recorded;
  for (const auto& id : store_.cases_with_deadlines()) {
    auto loaded = load(id);
    if (!loaded) continue;
    const procedure& p = *loaded->definition;
    decision changes{schedule_deadlines(p, calendar_for(p), loaded->state, now), std::nullopt};
    if (changes.events.empty()) continue;
    outcome result = commit(p, loaded->state, std::move(changes), "", {});
    for (auto& e : result.events) recorded.push_back(std::move(e));
  }
  return recorded;
}

}  // namespace caseflow
