// caseflow import FILE [--batch N] — imports historical cases from JSON Lines (one case a
// line; format in caseflow/importer.h), as an admin. Every line is checked first; one bad line
// and nothing is written; then the cases are written in batches of N. A rerun of the same file
// skips the cases an earlier run imported from the same lines (counted as already imported).
#include <iostream>

#include <fmt/format.h>

#include "caseflow/erasure.h"
#include "caseflow/importer.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

struct import_cli_options {
  std::string file;
  std::size_t batch = import_options{}.batch_size;
};

// Importing writes other people's actions into the log: only an admin may, and every imported
// event records who imported it (data `imported_by`).
int run_import(context& ctx, const import_cli_options& opts) {
  const std::string importer = ctx.user();
  const person* who = ctx.org().find(importer);
  if (!who || !who->holds(k_erasure_role))
    throw command_failure{k_exit_refused, fmt::format("{} may not import: importing history needs the '{}' role; "
                                                      "nothing was imported",
                                                      importer, k_erasure_role)};
  ctx.runtime().set_imported_by(importer);
  import_options options;
  options.batch_size = opts.batch;
  const import_report report = import_cases(ctx.runtime(), opts.file, options);
  for (const auto& problem : report.problems) std::cerr << to_string(problem) << '\n';
  switch (report.result) {
    case import_report::status::done: break;
    case import_report::status::invalid:
      std::cerr << (report.cases == 0
                        ? fmt::format("caseflow: nothing was imported ({} problem{}{})\n", report.problems.size(),
                                      report.problems.size() == 1 ? "" : "s",
                                      report.problems.size() >= options.max_problems ? ", stopped looking there" : "")
                        : fmt::format("caseflow: {} changed during the import; {} cases were imported before it\n",
                                      opts.file, report.cases));
      return k_exit_refused;
    case import_report::status::conflict: return k_exit_conflict;
  }
  if (ctx.options().json)
    print_json({{"imported", report.cases},
                {"events", report.events},
                {"batches", report.batches},
                {"already_imported", report.already_imported}});
  else
    std::cout << fmt::format("imported {} cases ({} events) in {} transactions{}\n", report.cases, report.events,
                             report.batches,
                             report.already_imported == 0
                                 ? ""
                                 : fmt::format("; {} already imported from the same lines, skipped",
                                               report.already_imported));
  return k_exit_done;
}

}  // namespace

void setup_import(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<import_cli_options>();
  auto* sub = app.add_subcommand("import", "import historical cases from a JSON Lines file (admin only; checked whole first, written in "
                                 "batches; a rerun of the same file skips the cases already imported from the same lines)");
  sub->fallthrough();
  sub->add_option("file", opts->file, "JSONL file: one case a line")->required()->check(CLI::ExistingFile);
  sub->add_option("--batch", opts->batch, "cases per transaction")->capture_default_str()->check(CLI::PositiveNumber);
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_import(ctx, *opts); }); });
}

}  // namespace caseflow::cli
