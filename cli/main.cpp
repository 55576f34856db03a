// caseflow — the command-line tool. This file only wires the subcommands (one per file).
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "caseflow/diagnostic.h"
#include "caseflow/text_output.h"

#include "commands.h"
#include "context.h"

namespace {

// The first word that is neither a global option nor its value, when it names no subcommand
// (CLI11 would only say "A subcommand is required"); "" otherwise.
std::string unknown_command(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("-")) {
      // The global options that take a value (the others are flags).
      for (const char* valued : {"--db", "--procedures", "--as", "--now", "--plugins"})
        if (arg == valued) ++i;  // skip the option's value
      continue;
    }
    for (CLI::App* sub : app.get_subcommands(std::function<bool(CLI::App*)>{}))
      if (sub->check_name(arg)) return "";
    return arg;
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace caseflow::cli;
  CLI::App app{"caseflow: procedure-driven casework with a verifiable event log"};
  app.require_subcommand(1);
  global_options options;
  app.add_option("--db", options.db, "SQLite database file")->envname("CASEFLOW_DB")->capture_default_str();
  CLI::Option* procedures =
      app.add_option("--procedures", options.procedures,
                     "folder of procedure YAML files, org.yaml and calendars/ (deployed into the database: see deploy)")
          ->envname("CASEFLOW_PROCEDURES")
          ->capture_default_str();
  // Before any subcommand runs: a real-clock database compares only a folder given explicitly.
  app.parse_complete_callback([&options, procedures] { options.procedures_given = procedures->count() > 0; });
  app.add_option("--as", options.as, "the person acting (an id from org.yaml)")->envname("CASEFLOW_USER");
  app.add_option("--now", options.now, "the current time, ISO-8601 with zone (virtual time)")->envname("CASEFLOW_NOW");
  app.add_option("--plugins", options.plugins, "folder of action-handler plug-ins (*.so)")->envname("CASEFLOW_PLUGINS");
  app.add_flag("--json", options.json, "machine-readable output: one JSON document on stdout");
  app.add_flag("--bind-os-user", options.bind_os_user,
               "the acting user is the OS user (os_user: in org.yaml); --as someone else needs the admin role")
      ->envname("CASEFLOW_BIND_OS_USER");
  app.add_flag("--read-only", options.read_only, "open the database read-only: commands that write are refused")
      ->envname("CASEFLOW_READ_ONLY");

  // Text that is not UTF-8 never reaches the log (its JSON and hashes hold UTF-8 only).
  for (int i = 1; i < argc; ++i)
    if (const std::size_t bad = caseflow::invalid_utf8_at(argv[i]); bad != std::string::npos) {
      std::cerr << "caseflow: argument " << i << " ('" << caseflow::terminal_text(argv[i]) << "') is not UTF-8 text (byte "
                << bad + 1 << "); caseflow reads UTF-8 only\n";
      return k_exit_usage;
    }
  int exit = k_exit_done;
  for (command_setup setup : all_commands()) setup(app, options, &exit);
  if (const std::string unknown = unknown_command(app, argc, argv); !unknown.empty()) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands(std::function<bool(CLI::App*)>{})) names.push_back(sub->get_name());
    std::cerr << "caseflow: unknown command '" << unknown << "'" << caseflow::did_you_mean(unknown, names)
              << "; run `caseflow --help` for the list\n";
    return k_exit_usage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? k_exit_done : k_exit_usage;
  }
  return exit;
}
