// caseflow/deployment_record.h — the deployment log's entries and the files they publish, as
// a store keeps them (store.h). What deploying means is in deployment.h. Plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "caseflow/value.h"

namespace caseflow {

// One deployed file. `kind` is "procedure" (name: the procedure id), "calendar" (name: its file
// name in calendars/) or "organisation" (name: org.yaml); `hash` is the SHA-256 hex of `text`.
struct deployed_file {
  std::string kind;
  std::string name;
  std::string hash;
  std::string text;
  std::string version;  // a procedure's `version:` ("" for the others)
};

// Which version of each file a deployment holds: name -> content hash.
struct deployment_manifest {
  std::map<std::string, std::string> procedures;  // procedure id -> definition hash
  std::map<std::string, std::string> calendars;   // calendar file name -> hash
  std::string organisation;                        // org.yaml's hash (organisation::version())

  nlohmann::json to_json() const;
  static deployment_manifest from_json(const nlohmann::json& j);
  bool operator==(const deployment_manifest&) const = default;
};

// An entry of the deployment log. `id` counts from 1; `hash` is SHA-256 over `prev_hash` and the
// entry's canonical JSON (deployment_hash), so editing or removing an entry breaks the log.
struct deployment_record {
  std::int64_t id = 0;
  instant at;
  std::string actor;   // who deployed (a person, or the OS login when no --as was given)
  std::string role;    // the role they deployed in ("" for a first command's deployment)
  std::string reason;  // one of the k_reason_* below
  std::string source;  // the folder it was read from
  deployment_manifest manifest;
  std::string prev_hash;
  std::string hash;
};
std::string deployment_hash(const deployment_record& d);

// Why an entry was written. The clock a database follows is recorded here too, so that an edit of
// `meta.clock` (which would let --now backdate a real-clock database) shows in verify: a
// virtual-time database's log starts with k_reason_first_command_virtual or holds a
// k_reason_marked_virtual entry (admin mark-virtual, the same manifest as before).
inline constexpr std::string_view k_reason_deploy = "deploy";
inline constexpr std::string_view k_reason_first_command = "first command";
inline constexpr std::string_view k_reason_first_command_virtual = "first command (virtual time)";
inline constexpr std::string_view k_reason_folder_changed = "folder changed (virtual time)";
inline constexpr std::string_view k_reason_marked_virtual = "clock marked virtual";

}  // namespace caseflow
