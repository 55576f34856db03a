// Which lines of an import are already in the log. See import_ledger.h.
#include "import_ledger.h"

#include <algorithm>

#include "caseflow/hash.h"

namespace caseflow {

std::string line_digest(const nlohmann::json& line) { return sha256_hex(line.dump()); }

import_ledger import_ledger::read(event_log& log) {
  import_ledger ledger;
  log.scan_events([&](const event& e) {
    if (e.seq != 1 || e.kind != event_kind::case_started || !e.data.is_object()) return true;
    const auto digest = e.data.find(k_import_digest_key);
    if (digest != e.data.end() && digest->is_string()) ledger.cases_[digest->get<std::string>()].push_back(e.case_id);
    return true;
  });
  return ledger;
}

bool import_ledger::take(const std::string& digest, const std::string& id) {
  const auto found = cases_.find(digest);
  if (found == cases_.end()) return false;
  std::vector<std::string>& ids = found->second;
  const auto which = id.empty() ? ids.begin() : std::find(ids.begin(), ids.end(), id);
  if (which == ids.end()) return false;
  ids.erase(which);
  if (ids.empty()) cases_.erase(found);
  return true;
}

}  // namespace caseflow
