// caseflow procedures — the procedures that can be started, with versions and fields.
#include <iostream>

#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

namespace {

int run_procedures(context& ctx) {
  const auto& library = ctx.library();
  if (ctx.options().json) {
    nlohmann::json list = nlohmann::json::array();
    for (const procedure* p : library.all()) {
      nlohmann::json fields = nlohmann::json::array(), roles = nlohmann::json::object();
      for (const auto& f : p->fields) fields.push_back(field_view(f));
      for (const auto& r : p->roles) roles[r.id] = r.name.preferred(r.id);
      list.push_back({{"id", p->id},
                      {"name", {{"zh", p->name.zh}, {"en", p->name.en}}},
                      {"version", p->version},
                      {"hash", p->hash},
                      {"calendar", p->calendar},
                      {"start", p->start},
                      {"roles", roles},
                      {"start_roles", p->find_step(p->start)->roles},
                      {"fields", fields}});
    }
    print_json({{"procedures", list}});
    return k_exit_done;
  }
  table t({"PROCEDURE", "VERSION", "NAME", "STEPS", "DEFINITION"});
  for (const procedure* p : library.all())
    t.add({p->id, p->version, p->name.preferred(p->id) + (p->name.en.empty() || p->name.zh.empty() ? "" : " / " + p->name.en),
           std::to_string(p->steps.size()), p->hash.substr(0, 12)});
  std::cout << t.str();
  return k_exit_done;
}

}  // namespace

void setup_procedures(CLI::App& app, const global_options& options, int* exit) {
  auto* sub = app.add_subcommand("procedures", "list the procedures that can be started");
  sub->fallthrough();
  sub->callback([&options, exit] { *exit = guarded(options, run_procedures); });
}

}  // namespace caseflow::cli
