// caseflow — the command-line tool. This file only wires the subcommands (one per file).
#include <CLI/CLI.hpp>

#include "commands.h"
#include "context.h"

int main(int argc, char** argv) {
  using namespace caseflow::cli;
  CLI::App app{"caseflow: procedure-driven casework with a verifiable event log"};
  app.require_subcommand(1);
  global_options options;
  app.add_option("--db", options.db, "SQLite database file")->envname("CASEFLOW_DB")->capture_default_str();
  app.add_option("--procedures", options.procedures, "folder of procedure YAML files, org.yaml and calendars/")
      ->envname("CASEFLOW_PROCEDURES")
      ->capture_default_str();
  app.add_option("--as", options.as, "the person acting (an id from org.yaml)")->envname("CASEFLOW_USER");
  app.add_option("--now", options.now, "the current time, ISO-8601 with zone (virtual time)")->envname("CASEFLOW_NOW");
  app.add_option("--plugins", options.plugins, "folder of action-handler plug-ins (*.so)")->envname("CASEFLOW_PLUGINS");
  app.add_flag("--json", options.json, "machine-readable output: one JSON document on stdout");

  int exit = k_exit_done;
  for (command_setup setup : all_commands()) setup(app, options, &exit);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? k_exit_done : k_exit_usage;
  }
  return exit;
}
