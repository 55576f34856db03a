// caseflow do CASE ACTION [--set k=v]... [--comment TEXT] — performs an action on a case.
#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

namespace {

struct do_options {
  std::string case_id;
  std::string action;
  std::vector<std::string> sets;
  std::string comment;
  std::string branch;
};

int run_do(context& ctx, const do_options& opts) {
  command cmd;
  cmd.type = command::kind::act;
  cmd.actor = ctx.user();
  cmd.action = opts.action;
  cmd.sets = parse_sets(opts.sets);
  cmd.comment = opts.comment;
  cmd.branch = opts.branch;
  outcome result = ctx.runtime().execute(opts.case_id, cmd, ctx.now());
  if (result.result != outcome::status::done) return report_outcome(result);
  // The action's own event; deadline bookkeeping by `system` may follow it.
  const event& last = result.events.front();
  if (ctx.options().json) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : result.events) events.push_back(event_view(e));
    print_json({{"id", result.case_id}, {"step", result.events.back().to_step}, {"events", events}});
  } else {
    print_line(fmt::format("{}{}: {} → {} ({} as {})", result.case_id,
                           last.branch.empty() ? "" : " branch " + last.branch, last.from_step, last.to_step,
                           last.actor, last.on_behalf_of.empty() ? last.role : last.role + " for " + last.on_behalf_of));
  }
  return k_exit_done;
}

}  // namespace

void setup_do(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<do_options>();
  auto* sub = app.add_subcommand("do", "perform an action on a case");
  sub->fallthrough();
  sub->add_option("case", opts->case_id, "case id")->required();
  sub->add_option("action", opts->action, "action name (see `caseflow show CASE`)")->required();
  sub->add_option("--set", opts->sets, "field value, name=value (repeatable)");
  sub->add_option("--comment", opts->comment, "a comment recorded with the action");
  sub->add_option("--branch", opts->branch,
                  "the open branch to act on (see `caseflow show CASE`); needed only when the action is open in several");
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_do(ctx, *opts); }); });
}

}  // namespace caseflow::cli
