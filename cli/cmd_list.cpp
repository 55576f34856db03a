// caseflow list [--procedure P] [--step S] [--open] [--mine] — finds cases.
#include <iostream>

#include "commands.h"

namespace caseflow::cli {

namespace {

struct list_options {
  std::string procedure;
  std::string step;
  bool open = false;
  bool mine = false;
  bool overdue = false;
  std::size_t limit = 0;
};

int run_list(context& ctx, const list_options& opts) {
  case_filter filter;
  filter.procedure = opts.procedure;
  filter.step = opts.step;
  filter.open_only = opts.open;
  filter.limit = opts.limit;
  if (opts.mine) filter.assignee = ctx.user();
  const auto rows = opts.overdue ? ctx.store(true).overdue_cases(ctx.now(), filter) : ctx.store(true).list_cases(filter);
  if (ctx.options().json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : rows)
      list.push_back({{"id", r.id}, {"procedure", r.procedure}, {"step", r.step}, {"open", r.open},
                      {"assignee", r.assignee}, {"seq", r.seq}, {"updated_at", r.state.value("updated_at", 0)}});
    print_json({{"cases", list}});
    return k_exit_done;
  }
  table t({"CASE", "PROCEDURE", "STEP", "ASSIGNEE", "STATUS"});
  for (const auto& r : rows) t.add({r.id, r.procedure, r.step, r.assignee.empty() ? "-" : r.assignee, r.open ? "open" : "closed"});
  std::cout << t.str();
  return k_exit_done;
}

}  // namespace

void setup_list(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<list_options>();
  auto* sub = app.add_subcommand("list", "find cases");
  sub->fallthrough();
  sub->add_option("--procedure", opts->procedure, "only cases of this procedure");
  sub->add_option("--step", opts->step, "only cases in this step");
  sub->add_flag("--open", opts->open, "only open cases");
  sub->add_flag("--mine", opts->mine, "only cases assigned to --as");
  sub->add_flag("--overdue", opts->overdue, "only cases past a step's time limit at --now");
  sub->add_option("--limit", opts->limit, "at most this many");
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_list(ctx, *opts); }); });
}

}  // namespace caseflow::cli
