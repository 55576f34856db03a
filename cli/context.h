// context.h — what every subcommand shares: the global options, opening the database and
// the procedures, the clock, output helpers and the exit codes of the CLI contract.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "caseflow/action_handler.h"
#include "caseflow/calendar.h"
#include "caseflow/deployment.h"
#include "caseflow/text_output.h"
#include "caseflow/loader.h"
#include "caseflow/org.h"
#include "caseflow/runtime.h"
#include "caseflow/sqlite_store.h"
#include "lazy_store.h"

namespace caseflow::cli {

// Exit codes (DESIGN.md): scripts depend on them.
enum exit_code : int {
  k_exit_done = 0,
  k_exit_refused = 1,   // refused or invalid input; nothing was written
  k_exit_usage = 2,
  k_exit_conflict = 3,  // lost a race with a concurrent change; nothing written, safe to retry
  k_exit_verify = 4,    // the log failed verification
};

struct global_options {
  std::string db = "./caseflow.db";
  std::string procedures = "./processes";
  std::string as;
  std::string now;
  std::string plugins;  // --plugins / CASEFLOW_PLUGINS: a folder of handler plug-ins (*.so)
  bool json = false;
  bool bind_os_user = false;  // --bind-os-user / CASEFLOW_BIND_OS_USER=1: the acting user is the OS user
  bool read_only = false;     // --read-only / CASEFLOW_READ_ONLY=1: open the database without writing
  bool procedures_given = false;  // --procedures or CASEFLOW_PROCEDURES was given (not the default)
};

// Thrown by subcommands for a failure that ends the command with `code` and `message`
// printed on stderr as "caseflow: message".
struct command_failure {
  int code;
  std::string message;
};

// Everything a command needs, loaded on demand. Non-copyable.
class context {
 public:
  explicit context(const global_options& options) : options_(options) {}
  context(const context&) = delete;
  context& operator=(const context&) = delete;

  const global_options& options() const { return options_; }
  // The procedures, org and calendars the command runs: those deployed in the database, as
  // DESIGN.md "Deployments and folders" says (see deployed_definitions.cpp); any load error
  // fails the command (exit 1).
  const procedure_library& library();
  const organisation& org();
  const calendar_set& calendars();
  // The database; created when absent unless `must_exist`.
  // Opened on first use; created only when a command writes (see lazy_store.h). Given a time
  // (--now), a real-clock database is refused when opened (sqlite_options::virtual_time).
  caseflow::store& store(bool must_exist = false);
  caseflow::runtime& runtime();
  // The built-in handlers and senders (configured from CASEFLOW_* variables, see
  // caseflow/actions.h) and those of the plug-ins; a bad plug-in fails the command (exit 1).
  const handler_registry& handlers();

  // --now / CASEFLOW_NOW, else the system clock.
  instant now() const;
  // The UTC date of now().
  civil_date today() const;
  // --as / CASEFLOW_USER; fails with a usage error when not given. When acting users are bound
  // to OS users (bind_os_user, or org.yaml `bind_os_user: true`), see acting_user.h.
  // An admin bound to the OS user acting `--as` someone else is recorded on each event too
  // (runtime::set_entered_by).
  std::string user();
  // The same, for an organisation other than the one the command runs (deploy's); *self (when
  // given) is set to the OS user's own person when users are bound.
  std::string user_in(const organisation& org, std::string* self = nullptr) const;
  // The folder's files validated whole (for deploy and validate); a problem fails the command
  // with the diagnostics.
  folder_contents read_folder(const std::string& dir);
  // Deploys `folder` (read from `dir`) as `actor` in `role`, unless what is deployed is the same:
  // the entry recorded (or the one in force), and the deadlines recomputed when a calendar
  // changed (their events are put in *recomputed).
  deployment_record deploy(const folder_contents& folder, const std::string& dir, const std::string& actor,
                           const std::string& role, std::vector<event>* recomputed);
  // The log entry that deploys `folder`, at now().
  deployment_record deployment_for(const folder_contents& folder, const std::string& dir, const std::string& actor,
                                   const std::string& role, const std::string& reason) const;
  // The definitions of deployment `d`, from the texts stored for it (each checked against its hash).
  loaded_definitions deployed_definitions(const deployment_record& d);
  // Who is recorded for a deployment a command makes by itself: --as when given, else the OS login.
  std::string deployer() const;

  // Local ISO-8601 in the procedure's calendar zone when known, else UTC.
  std::string format_time(instant t, const procedure* p);

 private:
  void load_definitions();
  // The definitions deployed in the database (see library()), deploying the folder first where
  // the rules say so.
  loaded_definitions resolve_definitions();
  const global_options& options_;
  std::optional<procedure_library> library_;
  std::optional<organisation> org_;
  std::optional<calendar_set> calendars_;
  std::unique_ptr<lazy_store> store_;
  std::unique_ptr<caseflow::runtime> runtime_;
  std::unique_ptr<handler_registry> handlers_;
};

// Fails the command (exit 1) with the errors of `problems`, as "cannot load WHAT:" and one line each.
[[noreturn]] void fail_with(const diagnostics& problems, std::string_view what);

// Prints `j` as the single JSON document on stdout.
void print_json(const nlohmann::json& j);

// Prints `line` and a line feed on stdout, escaped for the terminal (terminal_text): every line
// of human output that holds stored or given text is printed through it or through table.
void print_line(std::string_view line);

// Aligned text table; widths count East Asian characters as two columns; every cell is escaped
// for the terminal (terminal_text).
class table {
 public:
  explicit table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string str() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Parses `--set k=v` items into pairs; a malformed item fails with a usage error.
std::vector<std::pair<std::string, std::string>> parse_sets(const std::vector<std::string>& items);

// Maps a runtime outcome to output and an exit code (prints the message on failure).
int report_outcome(const outcome& result);

// Each subcommand: setup_X adds it to `app`; the callback sets *exit.
using command_setup = void (*)(CLI::App& app, const global_options& options, int* exit);

}  // namespace caseflow::cli

namespace caseflow::cli {
// Runs `body` with a fresh context, turning command_failure, store_error and other
// exceptions into a message on stderr and the matching exit code.
int guarded(const global_options& options, const std::function<int(context&)>& body);
}  // namespace caseflow::cli
