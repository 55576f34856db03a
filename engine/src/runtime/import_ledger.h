// import_ledger.h — which lines of a JSONL import are already in the log, so that a rerun of
// the same file resumes (caseflow/importer.h). Internal to the importer.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/store.h"

namespace caseflow {

// The key an imported case's opening event (case_started) records in its data: the digest of
// the line it was imported from (line_digest).
inline constexpr const char* k_import_digest_key = "import_digest";

// SHA-256 hex of a line's canonical JSON: `line` parsed, then written compactly with its keys
// sorted, so spacing and key order do not change it.
std::string line_digest(const nlohmann::json& line);

// The cases imported so far, by the digest of their line. A value: copy it to make the same
// decisions twice (the importer's two passes).
class import_ledger {
 public:
  // Reads every imported opening event of `log` once: O(events).
  static import_ledger read(event_log& log);

  // Whether a case was imported from a line with this digest and (when `id` is not empty) this
  // id; if so, that case is taken off the ledger, so that a file listing the same id-less line
  // twice skips it as often as it was imported, and imports the other copies.
  bool take(const std::string& digest, const std::string& id);

 private:
  std::unordered_map<std::string, std::vector<std::string>> cases_;  // digest -> case ids
};

}  // namespace caseflow
