// caseflow/deployment.h — what the database runs: procedures, calendars and the organisation as
// deployed into it, by content hash (DESIGN.md "Deployments and folders").
//
// A deployment publishes a folder's files (every procedure file, calendars/*.yaml and org.yaml)
// into the database, validated whole, and records who published them, when and why, as an
// entry of the database's chained deployment log. Commands then run the deployed texts, never
// a folder the caller picks: on a real-clock (production) database only `deploy` and `validate`
// read a folder. A virtual-time database (tests, demos) redeploys its folder whenever a file
// changed, so that editing a procedure and running the next command keeps working there.
// Plain values and free functions; thread-safe (no shared state).
#pragma once

#include <string>
#include <vector>

#include "caseflow/calendar.h"
#include "caseflow/deployment_record.h"
#include "caseflow/diagnostic.h"
#include "caseflow/loader.h"
#include "caseflow/org.h"
#include "caseflow/store.h"  // database_clock

namespace caseflow {

// Roles that may deploy: an administrator or a process owner.
inline constexpr std::string_view k_deploy_roles[] = {"admin", "process_owner"};

// The definitions a command runs, parsed from deployed (or folder) files.
struct loaded_definitions {
  procedure_library library;
  organisation org;
  calendar_set calendars;
  // The part that did not load, when one did not: "the calendars", "the procedures" or "the
  // organisation" (parts load in that order, and stop at the first that fails). "" when all did.
  std::string failed;
};
// Parses `files` (procedures are checked against `handlers`, and against the calendars).
// Problems go to *out with file:line:col, files named by deployed_file::name; `org_file` names
// the organisation file when `files` has none.
loaded_definitions load_definitions(const std::vector<deployed_file>& files, const handler_registry* handlers,
                                    diagnostics* out, std::string_view org_file = "org.yaml");

// A folder's files (every procedure file, calendars/*.yaml and org.yaml) read and validated
// whole, as a deployment publishes them: `files` named as deployed (procedure id, calendar file
// name, org.yaml) once they loaded. Problems go to *out with the files' paths, as `validate`
// gives them; definitions.failed says which part failed.
struct folder_contents {
  std::vector<deployed_file> files;
  deployment_manifest manifest;
  loaded_definitions definitions;
};
folder_contents read_procedures_folder(const std::string& dir, const handler_registry* handlers, diagnostics* out);

class deployment_log;
struct finding;
// Checks the deployment log of `s`: ids from 1 without gaps, each entry linked to the one before
// and matching its hash, every deployed text present and matching its hash, and the clock the
// database follows (`clock`, from meta) the one the log records (deployment_record.h: a virtual
// clock is recorded by the first entry or a k_reason_marked_virtual one, before any entry that
// needs it). Findings have no case (case_id ""), seq = the deployment id, rule "deployment".
std::vector<finding> verify_deployments(deployment_log& s, database_clock clock);

// What changed from `from` to `to`, one phrase each ("procedure complaint changed", "calendar
// cn-mainland.yaml added", "org.yaml changed"), in a stable order; empty when equal.
std::vector<std::string> manifest_differences(const deployment_manifest& from, const deployment_manifest& to);

}  // namespace caseflow
