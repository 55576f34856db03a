// The deployment log's entries. See caseflow/deployment_record.h.
#include "caseflow/deployment_record.h"

#include "caseflow/hash.h"

namespace caseflow {

nlohmann::json deployment_manifest::to_json() const {
  return {{"procedures", procedures}, {"calendars", calendars}, {"organisation", organisation}};
}

deployment_manifest deployment_manifest::from_json(const nlohmann::json& j) {
  deployment_manifest m;
  if (!j.is_object()) return m;
  if (auto it = j.find("procedures"); it != j.end() && it->is_object())
    for (const auto& [name, hash] : it->items())
      if (hash.is_string()) m.procedures[name] = hash.get<std::string>();
  if (auto it = j.find("calendars"); it != j.end() && it->is_object())
    for (const auto& [name, hash] : it->items())
      if (hash.is_string()) m.calendars[name] = hash.get<std::string>();
  m.organisation = j.value("organisation", "");
  return m;
}

std::string deployment_hash(const deployment_record& d) {
  const nlohmann::json canonical = {{"id", d.id},         {"at", format_instant_utc(d.at)}, {"actor", d.actor},
                                    {"role", d.role},     {"reason", d.reason},             {"source", d.source},
                                    {"manifest", d.manifest.to_json()}, {"prev", d.prev_hash}};
  return sha256_hex(canonical.dump());
}

}  // namespace caseflow
