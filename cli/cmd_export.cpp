// caseflow export [--since TIME] [--format jsonl|csv] — the event log for external audit
// tools, in log order, streamed. The format is documented in caseflow/export.h.
#include <iostream>

#include <fmt/format.h>

#include "caseflow/export.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

struct export_options {
  std::string since;
  std::string format = "jsonl";
};

int run_export(context& ctx, const export_options& opts) {
  std::optional<instant> since;
  if (!opts.since.empty()) {
    since = parse_instant(opts.since);
    if (!since) throw command_failure{k_exit_usage, fmt::format("--since '{}' is not an ISO-8601 time with a zone", opts.since)};
  }
  const bool csv = opts.format == "csv";
  if (csv) std::cout << export_csv_header();
  ctx.store(/*must_exist=*/true).scan_events([&](const event& e) {
    if (!since || e.at >= *since) std::cout << (csv ? export_csv_row(e) : export_json_line(e));
    return true;
  });
  return k_exit_done;
}

}  // namespace

void setup_export(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<export_options>();
  auto* sub = app.add_subcommand("export", "the event log for external audit tools (JSON Lines or CSV)");
  sub->fallthrough();
  sub->add_option("--since", opts->since, "only events at or after this time (ISO-8601 with zone)");
  sub->add_option("--format", opts->format, "jsonl or csv")->check(CLI::IsMember({"jsonl", "csv"}))->capture_default_str();
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_export(ctx, *opts); }); });
}

}  // namespace caseflow::cli
