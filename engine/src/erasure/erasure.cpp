// Erasing personal values. See caseflow/erasure.h.
#include "caseflow/erasure.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "erasure/person_match.h"

namespace caseflow {

namespace {

std::string personal_field_list(const procedure& p) {
  std::string names;
  for (const auto& f : p.fields)
    if (f.personal) names += (names.empty() ? "" : ", ") + f.id;
  return names.empty() ? "none" : names;
}

// What erasing `fields` of one case means: the event, the state after it, the request.
struct case_erasure {
  loaded_case loaded;
  commit_request request;
};

case_erasure plan(loaded_case loaded, const std::vector<std::string>& fields, const erasure_request& r,
                  const command_time& when) {
  event e;
  e.case_id = loaded.state.id;
  e.seq = loaded.state.seq + 1;
  e.at = when.at;
  e.actor = r.actor;
  e.role = std::string(k_erasure_role);
  e.kind = event_kind::personal_data_erased;
  e.from_step = loaded.state.step;
  e.to_step = loaded.state.step;
  e.definition_hash = loaded.state.definition_hash;
  e.data = {{"erased", fields}};
  record_clamp(when, &e);
  case_erasure out{std::move(loaded), {}};
  out.request.definition = out.loaded.definition.get();
  out.request.expected_seq = out.loaded.state.seq;
  out.request.resulting_state = apply(*out.loaded.definition, out.loaded.state, e);
  out.request.events.push_back(std::move(e));
  out.request.erase_personal_fields = fields;
  out.request.erased_by = r.actor;
  return out;
}

// The values of `fields` in case `c` (personal, set), in lookup form.
std::vector<std::string> values_of(const case_state& c, const std::vector<std::string>& fields) {
  std::vector<std::string> values;
  for (const auto& name : fields)
    if (auto it = c.fields.find(name); it != c.fields.end() && !is_null(it->second))
      values.push_back(detail::lookup_form(format_value(it->second)));
  return values;
}

// Adds to `targets` each personal field, in each sub-case (at any depth) of a target, whose value
// contains one of the values erased in the case that opened it.
void follow_into_subcases(runtime& rt, std::map<std::string, std::vector<std::string>>* targets) {
  std::vector<std::pair<std::string, std::vector<std::string>>> pending;  // a case, the values leaving it
  for (const auto& [case_id, fields] : *targets)
    if (auto loaded = rt.load(case_id)) pending.emplace_back(case_id, values_of(loaded->state, fields));
  std::set<std::string> seen;
  while (!pending.empty()) {
    auto [case_id, values] = std::move(pending.back());
    pending.pop_back();
    if (values.empty() || !seen.insert(case_id).second) continue;
    const auto parent = rt.load(case_id);
    if (!parent) continue;
    for (const auto& sub : parent->state.subcases) {
      const auto child = rt.load(sub.id);
      if (!child) continue;
      bool carried = false;
      for (const auto& f : child->definition->fields) {
        auto it = child->state.fields.find(f.id);
        if (!f.personal || it == child->state.fields.end() || is_null(it->second)) continue;
        const std::string text = detail::lookup_form(format_value(it->second));
        const auto contained = [&](const std::string& v) { return !v.empty() && text.find(v) != std::string::npos; };
        if (std::none_of(values.begin(), values.end(), contained)) continue;
        auto& fields = (*targets)[sub.id];
        if (std::find(fields.begin(), fields.end(), f.id) == fields.end()) fields.push_back(f.id);
        carried = true;
      }
      if (carried) pending.emplace_back(sub.id, values);
    }
  }
}

erasure_result refuse(std::string message) {
  erasure_result r;
  r.message = std::move(message);
  return r;
}

}  // namespace

erasure_result erase_personal_data(runtime& rt, const erasure_request& r, instant now) {
  const person* actor = rt.org().find(r.actor);
  if (!actor) return refuse(fmt::format("'{}' is not a person in the organisation", r.actor));
  if (!actor->holds(k_erasure_role))
    return refuse(fmt::format("{} may not erase personal data: only a person holding the '{}' role in org.yaml may",
                              r.actor, k_erasure_role));

  event_log& log = rt.storage();
  // Which fields of which cases.
  std::map<std::string, std::vector<std::string>> targets;
  erasure_result done;
  if (!r.case_id.empty()) {
    targets[r.case_id].push_back(r.field);
  } else {
    personal_data& stored = rt.storage();
    std::set<std::pair<std::string, std::string>> near;
    stored.scan_personal_values([&](const personal_value& v) {
      const detail::person_match m = detail::match_person(r.person_value, *v.value);
      auto& fields = targets[v.case_id];
      if (m == detail::person_match::same && std::find(fields.begin(), fields.end(), v.field) == fields.end())
        fields.push_back(v.field);
      if (m == detail::person_match::near) near.emplace(v.case_id, v.field);
      if (fields.empty()) targets.erase(v.case_id);
      return true;
    });
    for (const auto& [case_id, fields] : targets)
      for (const auto& f : fields) near.erase({case_id, f});  // an older value near, the current one the same
    done.near_matches.assign(near.begin(), near.end());
    if (targets.empty()) {
      std::string message = "no case holds that value in a personal field; nothing was erased";
      if (!near.empty()) {
        std::vector<std::string> named;
        for (const auto& [case_id, field] : near) named.push_back(fmt::format("{} {}", case_id, field));
        message += fmt::format(" (near matches, left alone: {}; erase one with --case and --field if it is the "
                               "same person)",
                               fmt::join(named, ", "));
      }
      return refuse(std::move(message));
    }
  }
  follow_into_subcases(rt, &targets);

  std::vector<case_erasure> plans;
  for (const auto& [case_id, fields] : targets) {
    auto loaded = rt.load(case_id);
    if (!loaded) return refuse(fmt::format("no case '{}'", case_id));
    const procedure& p = *loaded->definition;
    for (const auto& name : fields) {
      const field_def* field = p.find_field(name);
      if (!field)
        return refuse(fmt::format("case {} ({}) has no field '{}'; its personal fields: {}", case_id, p.id, name,
                                  personal_field_list(p)));
      if (!field->personal)
        return refuse(fmt::format("field '{}' of {} is not personal data (only personal: true fields can be erased; "
                                  "its personal fields: {})",
                                  name, p.id, personal_field_list(p)));
      if (!loaded->state.fields.count(name)) {
        const bool already = erased_fields(log.case_events(case_id)).count(name) > 0;
        return refuse(fmt::format("case {} holds no value for '{}'{}; nothing was erased", case_id, name,
                                  already ? " (it was erased already)" : ""));
      }
    }
    const command_time when = command_time_for(loaded->state, now);
    if (when.refused) return refuse(when.refused->message);
    plans.push_back(plan(std::move(*loaded), fields, r, when));
  }

  std::vector<commit_request> requests;
  for (auto& planned : plans) requests.push_back(std::move(planned.request));
  const auto results = rt.write_batch(std::move(requests));
  for (const auto& result : results)
    if (result.status != commit_status::committed) {
      erasure_result lost;
      lost.conflict = true;
      lost.message = result.message + "; nothing was erased";
      return lost;
    }
  done.ok = true;
  done.purge_pending = !static_cast<personal_data&>(rt.storage()).purge_erased();
  for (const auto& [case_id, fields] : targets) done.erased.emplace_back(case_id, fields);
  return done;
}

std::set<std::string> erased_fields(const std::vector<event>& events) {
  std::set<std::string> names;
  for (const auto& e : events)
    if (e.kind == event_kind::personal_data_erased && e.data.is_object())
      for (const auto& name : e.data.value("erased", nlohmann::json::array()))
        if (name.is_string()) names.insert(name.get<std::string>());
  return names;
}

void mark_erased(nlohmann::json& fields, const std::set<std::string>& erased, bool add_missing) {
  if (!fields.is_object()) return;
  for (const auto& name : erased) {
    auto it = fields.find(name);
    if (it == fields.end() ? add_missing : it->is_null()) fields[name] = k_erased_marker;
  }
}

void mark_erased(std::vector<event>& events) {
  const auto erased = erased_fields(events);
  if (erased.empty()) return;
  for (auto& e : events)
    if (auto fields = e.data.find("fields"); fields != e.data.end()) mark_erased(*fields, erased);
}

}  // namespace caseflow
