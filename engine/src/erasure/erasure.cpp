// Erasing personal values. See caseflow/erasure.h.
#include "caseflow/erasure.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

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

  // Which fields of which cases.
  personal_data& holders = rt.storage();
  event_log& log = rt.storage();
  std::map<std::string, std::vector<std::string>> targets;
  if (!r.case_id.empty()) {
    targets[r.case_id].push_back(r.field);
  } else {
    for (auto& [case_id, field] : holders.personal_value_holders(r.person_value))
      targets[case_id].push_back(field);
    if (targets.empty()) return refuse("no case holds that value in a personal field; nothing was erased");
  }

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
  erasure_result done;
  for (const auto& result : results)
    if (result.status != commit_status::committed) {
      done.conflict = true;
      done.message = result.message + "; nothing was erased";
      return done;
    }
  done.ok = true;
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
