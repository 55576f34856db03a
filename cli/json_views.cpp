#include "json_views.h"

namespace caseflow::cli {

nlohmann::json field_view(const field_def& field) {
  nlohmann::json j = {{"name", field.id},
                      {"type", std::string(to_string(field.type))},
                      {"required", field.required},
                      {"personal", field.personal},
                      {"display", field.name.preferred(field.id)}};
  if (field.type == field_type::enumeration) j["values"] = field.values;
  if (!is_null(field.default_value)) j["default"] = to_json(field.default_value);
  return j;
}

nlohmann::json action_view(const procedure& p, const action_option& option) {
  const action_def& a = *option.action;
  nlohmann::json needs = nlohmann::json::array(), sets = nlohmann::json::array();
  for (const auto& name : a.required_fields)
    if (const field_def* f = p.find_field(name)) needs.push_back(field_view(*f));
  for (const auto& name : a.settable_fields)
    if (const field_def* f = p.find_field(name)) sets.push_back(field_view(*f));
  nlohmann::json j = {{"name", a.id},
                      {"display", a.name.preferred(a.id)},
                      {"to", a.to},
                      {"roles", option.roles},
                      {"requires", needs},
                      {"sets", sets},
                      {"comment_required", a.comment_required},
                      {"permitted", option.permitted},
                      {"guard_holds", option.guard_holds}};
  if (a.guard) j["guard"] = a.guard->source();
  if (!option.why_not.empty()) j["why_not"] = option.why_not;
  return j;
}

nlohmann::json approval_view(const case_approval& a) {
  nlohmann::json levels = nlohmann::json::array();
  const int next = a.next_level();
  for (std::size_t i = 0; i < a.levels.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    nlohmann::json signed_by = nlohmann::json::array();
    for (const auto& s : a.sign_offs)
      if (s.level == n)
        signed_by.push_back({{"actor", s.actor}, {"role", s.role}, {"on_behalf_of", s.on_behalf_of},
                             {"at", format_instant_utc(s.at)}, {"decision", s.approved ? "approve" : "reject"},
                             {"comment", s.comment}});
    levels.push_back({{"level", n}, {"roles", a.levels[i].roles}, {"mode", a.levels[i].all ? "all" : "any"},
                      {"approvals", signed_by}, {"done", n < next}});
  }
  return {{"step", a.step},     {"tier", a.tier},     {"amount", to_json(a.amount)},
          {"status", a.status}, {"levels", levels},   {"next", a.status == "pending" ? a.pending_roles()
                                                                                    : std::vector<std::string>{}}};
}

nlohmann::json event_view(const event& e) {
  nlohmann::json view = {{"id", e.id},         {"case", e.case_id},     {"seq", e.seq},
          {"at", format_instant_utc(e.at)}, {"actor", e.actor}, {"role", e.role},
          {"on_behalf_of", e.on_behalf_of}, {"kind", e.kind}, {"action", e.action},
          {"from", e.from_step}, {"to", e.to_step},      {"data", e.data},
          {"comment", e.comment}, {"definition", e.definition_hash}, {"hash", e.hash}};
  if (!e.branch.empty()) view["branch"] = e.branch;  // the position it acts on (parallel work)
  return view;
}

}  // namespace caseflow::cli
