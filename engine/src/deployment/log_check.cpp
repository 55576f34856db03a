// Checking the deployment log and the deployed texts. See caseflow/deployment.h.
#include <set>

#include <fmt/format.h>

#include "caseflow/chain.h"
#include "caseflow/deployment.h"
#include "caseflow/hash.h"
#include "caseflow/store.h"

namespace caseflow {

std::vector<finding> verify_deployments(deployment_log& s, database_clock clock) {
  std::vector<finding> findings;
  auto add = [&](std::int64_t id, std::string message) {
    findings.push_back({"", id, "deployment", fmt::format("deployment {}: {}", id, std::move(message))});
  };
  std::string previous;
  std::int64_t expected = 1;
  std::set<std::string> checked;
  bool virtual_recorded = false;
  std::int64_t last = 0;
  for (const deployment_record& d : s.deployments()) {
    if (d.reason == k_reason_marked_virtual || (d.id == 1 && d.reason == k_reason_first_command_virtual))
      virtual_recorded = true;
    else if (d.reason == k_reason_folder_changed && !virtual_recorded)
      add(d.id, "redeployed as a virtual-time database does, but the log does not record the database becoming one");
    last = d.id;
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
    // An entry that publishes nothing (the clock marked before anything was deployed) names no org.yaml.
    if (!(d.manifest == deployment_manifest{})) check_text("org.yaml", d.manifest.organisation);
  }
  if (last > 0 && clock == database_clock::virtual_time && !virtual_recorded)
    add(last, "meta.clock says this database follows virtual time (so --now is accepted), but the deployment log "
              "never recorded it becoming one: the clock was changed outside caseflow");
  if (clock == database_clock::real && virtual_recorded)
    add(last, "the deployment log records a virtual-time database, but meta.clock says real time: the clock was "
              "changed outside caseflow");
  return findings;
}

}  // namespace caseflow
