// Checking the deployment log and the deployed texts. See caseflow/deployment.h.
#include <set>

#include <fmt/format.h>

#include "caseflow/chain.h"
#include "caseflow/deployment.h"
#include "caseflow/hash.h"
#include "caseflow/store.h"

namespace caseflow {

std::vector<finding> verify_deployments(deployment_log& s) {
  std::vector<finding> findings;
  auto add = [&](std::int64_t id, std::string message) {
    findings.push_back({"", id, "deployment", fmt::format("deployment {}: {}", id, std::move(message))});
  };
  std::string previous;
  std::int64_t expected = 1;
  std::set<std::string> checked;
  for (const deployment_record& d : s.deployments()) {
    if (d.id != expected)
      add(d.id, fmt::format("follows deployment {}: deployments were deleted or inserted", expected - 1));
    if (d.prev_hash != previous) add(d.id, "does not link to the deployment before it");
    if (deployment_hash(d) != d.hash) add(d.id, "its content does not match its hash: the entry was edited");
    previous = d.hash;
    expected = d.id + 1;
    auto check_text = [&](std::string_view what, const std::string& hash) {
      if (!checked.insert(hash).second) return;
      const auto text = s.deployed_text(hash);
      if (!text) add(d.id, fmt::format("the text of {} ({}) is missing from the database", what, hash));
      else if (sha256_hex(*text) != hash)
        add(d.id, fmt::format("the stored text of {} does not match its hash {}: it was edited", what, hash));
    };
    for (const auto& [id, hash] : d.manifest.procedures) check_text(fmt::format("procedure {}", id), hash);
    for (const auto& [name, hash] : d.manifest.calendars) check_text(fmt::format("calendar {}", name), hash);
    check_text("org.yaml", d.manifest.organisation);
  }
  return findings;
}

}  // namespace caseflow
