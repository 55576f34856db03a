// caseflow history CASE — the case's events, in order.
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "caseflow/erasure.h"

#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

namespace {

struct history_options {
  std::string case_id;
};

std::string describe(const event& e) {
  std::string what;
  if (e.kind == event_kind::case_started) what = fmt::format("opened in {}", e.to_step);
  else if (e.kind == event_kind::action_taken) what = fmt::format("{}: {} → {}", e.action, e.from_step, e.to_step);
  else if (e.kind == event_kind::assigned) what = fmt::format("assigned to {}", e.data.value("assignee", ""));
  else if (e.kind == event_kind::note_added) what = "note";
  else if (e.kind == event_kind::personal_data_erased)
    what = fmt::format("erased {}", fmt::join(e.data.value("erased", std::vector<std::string>{}), ", "));
  else what = e.kind;
  if (auto fields = e.data.find("fields"); fields != e.data.end() && !fields->empty()) {
    std::string changes;
    for (const auto& [name, v] : fields->items())
      changes += fmt::format("{}{}={}", changes.empty() ? "" : ", ", name, v.is_string() ? v.get<std::string>() : v.dump());
    what += " [" + changes + "]";
  }
  if (!e.comment.empty()) what += fmt::format(" “{}”", e.comment);
  if (e.kind == event_kind::branches_opened)
    for (const auto& b : e.data.value("branches", nlohmann::json::array()))
      what += fmt::format(" {}→{}", b.value("id", ""), b.value("step", ""));
  if (!e.branch.empty()) what = fmt::format("[{}] {}", e.branch, what);
  return what;
}

int run_history(context& ctx, const history_options& opts) {
  ctx.store(/*must_exist=*/true);
  auto loaded = ctx.runtime().load(opts.case_id);
  if (!loaded) throw command_failure{k_exit_refused, fmt::format("no case '{}'", opts.case_id)};
  auto events = ctx.store().case_events(opts.case_id);
  mark_erased(events);
  if (ctx.options().json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : events) list.push_back(event_view(e));
    print_json({{"id", opts.case_id}, {"events", list}});
    return k_exit_done;
  }
  table t({"#", "TIME", "ACTOR", "ROLE", "EVENT"});
  for (const auto& e : events)
    t.add({std::to_string(e.seq), ctx.format_time(e.at, loaded->definition.get()), e.actor,
           e.on_behalf_of.empty() ? (e.role.empty() ? "-" : e.role) : e.role + " for " + e.on_behalf_of, describe(e)});
  std::cout << t.str();
  return k_exit_done;
}

}  // namespace

void setup_history(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<history_options>();
  auto* sub = app.add_subcommand("history", "the case's events, in order");
  sub->fallthrough();
  sub->add_option("case", opts->case_id, "case id")->required();
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_history(ctx, *opts); }); });
}

}  // namespace caseflow::cli
