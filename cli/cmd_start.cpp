// caseflow start PROCEDURE [--set k=v]... [--id ID] [--comment TEXT] — opens a case.
#include <iostream>

#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

namespace {

struct start_options {
  std::string procedure;
  std::vector<std::string> sets;
  std::string id;
  std::string comment;
};

int run_start(context& ctx, const start_options& opts) {
  command cmd;
  cmd.actor = ctx.user();
  cmd.sets = parse_sets(opts.sets);
  cmd.comment = opts.comment;
  const instant now = ctx.now();
  outcome result = ctx.runtime().start(opts.procedure, cmd, now, opts.id);
  if (result.result != outcome::status::done) return report_outcome(result);
  if (ctx.options().json) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : result.events) events.push_back(event_view(e));
    print_json({{"id", result.case_id}, {"step", result.events.back().to_step}, {"events", events}});
  } else {
    std::cout << result.case_id << '\n';
  }
  return k_exit_done;
}

}  // namespace

void setup_start(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<start_options>();
  auto* sub = app.add_subcommand("start", "open a case; prints its id");
  sub->fallthrough();
  sub->add_option("procedure", opts->procedure, "procedure id (see `caseflow procedures`)")->required();
  sub->add_option("--set", opts->sets, "field value, name=value (repeatable)");
  sub->add_option("--id", opts->id, "use this case id instead of the procedure's pattern");
  sub->add_option("--comment", opts->comment, "a comment recorded with the opening");
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_start(ctx, *opts); }); });
}

}  // namespace caseflow::cli
