// Where a command's procedures, calendars and organisation come from (DESIGN.md "Deployments and
// folders"), as context::library() promises:
//   - a new database, or one created before deployments: the folder (--procedures, default
//     ./processes), deployed by the first command that writes ("first command");
//   - a virtual-time database: the folder when it exists, redeployed whenever a file changed
//     ("folder changed (virtual time)"), except by a read-only command, which runs what is
//     deployed; what is deployed when the folder is absent;
//   - a real-clock database: what is deployed, never the folder; a folder given explicitly
//     (--procedures or CASEFLOW_PROCEDURES) that differs from it is refused, naming the files.
// A deployment a command makes by itself is recorded just before its first write (so a refused
// command writes nothing). `deploy` recomputes the deadlines when a calendar changed
// (deadline_changed, reason calendar); in virtual time, `calendar recompute` does it after a
// calendar file was edited.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "acting_user.h"
#include "caseflow/hash.h"
#include "context.h"

namespace caseflow::cli {

folder_contents context::read_folder(const std::string& dir) {
  diagnostics problems;
  folder_contents folder = read_procedures_folder(dir, &handlers(), &problems);
  if (!folder.definitions.failed.empty()) fail_with(problems, folder.definitions.failed);
  return folder;
}

std::string context::deployer() const {
  if (!options_.as.empty() && !options_.bind_os_user) return options_.as;
  const std::string login = os_login();
  return login.empty() ? "unknown OS user" : login;
}

deployment_record context::deployment_for(const folder_contents& folder, const std::string& dir,
                                          const std::string& actor, const std::string& role,
                                          const std::string& reason) const {
  deployment_record entry;
  entry.at = now();
  entry.actor = actor;
  entry.role = role;
  entry.reason = reason;
  entry.source = std::filesystem::absolute(dir).lexically_normal().string();
  entry.manifest = folder.manifest;
  return entry;
}

deployment_record context::deploy(const folder_contents& folder, const std::string& dir, const std::string& actor,
                                  const std::string& role, std::vector<event>* recomputed) {
  const std::optional<deployment_record> before = store().current_deployment();
  deployment_record recorded =
      store().record_deployment(deployment_for(folder, dir, actor, role, std::string(k_reason_deploy)), folder.files);
  if (before && recorded.id != before->id && before->manifest.calendars != recorded.manifest.calendars) {
    // The runtime of this context runs the folder's definitions, which are the ones deployed now.
    library_ = folder.definitions.library;
    org_ = folder.definitions.org;
    calendars_ = folder.definitions.calendars;
    *recomputed = runtime().recompute_deadlines(now());
  }
  return recorded;
}

loaded_definitions context::deployed_definitions(const deployment_record& d) {
  std::vector<deployed_file> files;
  auto add = [&](std::string kind, const std::string& name, const std::string& hash) {
    auto text = store().deployed_text(hash);
    if (!text)
      throw command_failure{k_exit_refused, fmt::format("the deployed text of {} ({}) is missing from {}: the database "
                                                        "was edited (run `caseflow verify`)",
                                                        name, hash, options_.db)};
    if (sha256_hex(*text) != hash)
      throw command_failure{k_exit_refused, fmt::format("the deployed text of {} does not match its hash {}: the "
                                                        "database was edited (run `caseflow verify`)",
                                                        name, hash)};
    files.push_back({std::move(kind), name, hash, std::move(*text), ""});
  };
  for (const auto& [name, hash] : d.manifest.calendars) add("calendar", name, hash);
  for (const auto& [id, hash] : d.manifest.procedures) add("procedure", id, hash);
  add("organisation", "org.yaml", d.manifest.organisation);
  diagnostics problems;
  loaded_definitions loaded = caseflow::load_definitions(files, &handlers(), &problems);
  if (!loaded.failed.empty()) fail_with(problems, fmt::format("{} deployed in {}", loaded.failed, options_.db));
  return loaded;
}

loaded_definitions context::resolve_definitions() {
  store();
  lazy_store& s = *store_;
  if (!s.exists()) {
    folder_contents folder = read_folder(options_.procedures);
    // A database created by a command given --now follows virtual time (lazy_store).
    const std::string_view reason = options_.now.empty() ? k_reason_first_command : k_reason_first_command_virtual;
    s.deploy_before_write(deployment_for(folder, options_.procedures, deployer(), "", std::string(reason)), folder.files);
    return std::move(folder.definitions);
  }
  const std::optional<deployment_record> current = s.current_deployment();
  if (!current) {  // a database created before deployments
    folder_contents folder = read_folder(options_.procedures);
    const std::string_view reason =
        s.clock_kind() == database_clock::virtual_time ? k_reason_first_command_virtual : k_reason_first_command;
    s.deploy_before_write(deployment_for(folder, options_.procedures, deployer(), "", std::string(reason)), folder.files);
    return std::move(folder.definitions);
  }
  if (s.clock_kind() == database_clock::virtual_time) {
    if (options_.read_only || !std::filesystem::is_directory(options_.procedures)) return deployed_definitions(*current);
    folder_contents folder = read_folder(options_.procedures);
    if (folder.manifest != current->manifest)
      s.deploy_before_write(deployment_for(folder, options_.procedures, deployer(), "", std::string(k_reason_folder_changed)),
                            folder.files);
    return std::move(folder.definitions);
  }
  if (options_.procedures_given) {
    folder_contents folder = read_folder(options_.procedures);
    const std::vector<std::string> changes = manifest_differences(current->manifest, folder.manifest);
    // The same texts as deployed, already parsed: not parsed a second time from the database.
    if (changes.empty()) return std::move(folder.definitions);
    throw command_failure{
        k_exit_refused,
        fmt::format("{} is not what {} runs: {} (deployment {} by {}); deploy it with `caseflow deploy` (an "
                    "admin or process owner), or leave out --procedures to run what is deployed; nothing was written",
                    options_.procedures, options_.db, fmt::join(changes, ", "), current->id, current->actor)};
  }
  return deployed_definitions(*current);
}

}  // namespace caseflow::cli
