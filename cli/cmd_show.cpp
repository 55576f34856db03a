// caseflow show CASE — step, fields, assignee and the actions this user may take now.
#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

namespace {

struct show_options {
  std::string case_id;
};

int run_show(context& ctx, const show_options& opts) {
  ctx.store(/*must_exist=*/true);
  auto loaded = ctx.runtime().load(opts.case_id);
  if (!loaded) throw command_failure{k_exit_refused, fmt::format("no case '{}'", opts.case_id)};
  const procedure& p = *loaded->definition;
  const case_state& c = loaded->state;
  const std::string user = ctx.options().as;
  const auto options = actions_for(p, ctx.org(), c, user, ctx.runtime().moment_for(p, ctx.now()));
  const step_def* step = p.find_step(c.step);
  if (ctx.options().json) {
    nlohmann::json actions = nlohmann::json::array();
    for (const auto& o : options) actions.push_back(action_view(p, o));
    print_json({{"id", c.id},
                {"procedure", p.id},
                {"definition", p.hash},
                {"step", c.step},
                {"step_name", step ? step->name.preferred(c.step) : c.step},
                {"open", c.open},
                {"assignee", c.assignee},
                {"fields", fields_to_json(c.fields)},
                {"opened_at", format_instant_utc(c.opened_at)},
                {"updated_at", format_instant_utc(c.updated_at)},
                {"seq", c.seq},
                {"deadlines", nlohmann::json::array()},
                {"actions", actions}});
    return k_exit_done;
  }
  std::cout << fmt::format("{}  {} ({})\n", c.id, p.name.preferred(p.id), p.id);
  std::cout << fmt::format("step      {} ({}){}\n", step ? step->name.preferred(c.step) : c.step, c.step,
                           c.open ? "" : "  [closed]");
  std::cout << fmt::format("assignee  {}\n", c.assignee.empty() ? "-" : c.assignee);
  std::cout << fmt::format("opened    {}\nupdated   {}\n", ctx.format_time(c.opened_at, &p), ctx.format_time(c.updated_at, &p));
  table fields({"FIELD", "VALUE"});
  for (const auto& f : p.fields) {
    auto it = c.fields.find(f.id);
    fields.add({f.id + (f.name.zh.empty() ? "" : " " + f.name.zh), it == c.fields.end() ? "-" : format_value(it->second)});
  }
  std::cout << '\n' << fields.str();
  if (options.empty()) return k_exit_done;
  std::cout << '\n' << (user.empty() ? "actions:" : fmt::format("actions for {}:", user)) << '\n';
  table actions({"ACTION", "TO", "ROLES", "REQUIRES", "NOTE"});
  for (const auto& o : options) {
    std::string needs;
    for (const auto& r : o.action->required_fields) needs += (needs.empty() ? "" : ",") + r;
    std::string roles;
    for (const auto& r : o.roles) roles += (roles.empty() ? "" : ",") + r;
    std::string note = !o.permitted ? "not your role" : !o.guard_holds ? "condition false: " + o.action->guard->source() : "";
    actions.add({o.action->id, o.action->to, roles, needs.empty() ? "-" : needs, note});
  }
  std::cout << actions.str();
  return k_exit_done;
}

}  // namespace

void setup_show(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<show_options>();
  auto* sub = app.add_subcommand("show", "show a case: step, fields and the actions open now");
  sub->fallthrough();
  sub->add_option("case", opts->case_id, "case id")->required();
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_show(ctx, *opts); }); });
}

}  // namespace caseflow::cli
