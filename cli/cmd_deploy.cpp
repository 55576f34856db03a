// caseflow deploy [DIR] — publishes a procedures folder into the database (caseflow/deployment.h);
// caseflow deployments — lists what was deployed, when and by whom.
//
// Deploying needs a role of k_deploy_roles in the organisation in force: the one deployed, or
// the folder's own when nothing is deployed yet. The folder is validated whole first; a folder
// equal to what is deployed records nothing.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.h"

namespace caseflow::cli {

namespace {

struct deploy_options {
  std::string dir;
  bool dry_run = false;
};

// "3 procedures, 2 calendars and org.yaml" for the first deployment; the changes for a later one.
std::string changes_of(const deployment_record* before, const deployment_record& d) {
  if (!before)
    return fmt::format("{} procedure{}, {} calendar{} and org.yaml", d.manifest.procedures.size(),
                       d.manifest.procedures.size() == 1 ? "" : "s", d.manifest.calendars.size(),
                       d.manifest.calendars.size() == 1 ? "" : "s");
  return fmt::format("{}", fmt::join(manifest_differences(before->manifest, d.manifest), ", "));
}

int run_deploy(context& ctx, const deploy_options& opts) {
  const std::string dir = opts.dir.empty() ? ctx.options().procedures : opts.dir;
  const folder_contents folder = ctx.read_folder(dir);
  caseflow::store& db = ctx.store();
  const std::optional<deployment_record> current = db.current_deployment();
  // Who may deploy is decided by the organisation in force, not by the folder being deployed.
  const organisation in_force = current ? ctx.deployed_definitions(*current).org : folder.definitions.org;
  const std::string actor = ctx.user_in(in_force);
  const person* who = in_force.find(actor);
  const auto role = who ? std::find_if(std::begin(k_deploy_roles), std::end(k_deploy_roles),
                                       [&](std::string_view r) { return who->holds(r); })
                        : std::end(k_deploy_roles);
  if (role == std::end(k_deploy_roles))
    throw command_failure{k_exit_refused,
                          fmt::format("{} may not deploy: only a person holding 'admin' or 'process_owner' in the "
                                      "organisation in force may; nothing was written",
                                      actor)};
  const std::vector<std::string> changes =
      current ? manifest_differences(current->manifest, folder.manifest) : std::vector<std::string>{};
  if (current && changes.empty()) {
    print_line(fmt::format("nothing to deploy: {} is what deployment {} holds", dir, current->id));
    return k_exit_done;
  }
  if (opts.dry_run) {
    print_line(fmt::format("would deploy {}: {} (nothing was written)", dir,
                           current ? fmt::format("{}", fmt::join(changes, ", ")) : "everything (nothing is deployed yet)"));
    return k_exit_done;
  }
  std::vector<event> recomputed;
  const deployment_record d = ctx.deploy(folder, dir, actor, std::string(*role), &recomputed);
  if (ctx.options().json) {
    print_json({{"deployment", d.id}, {"changes", current ? nlohmann::json(changes) : nlohmann::json::array()},
                {"deadline_changes", recomputed.size()}});
    return k_exit_done;
  }
  print_line(fmt::format("deployment {} by {} as {}: {}", d.id, actor, *role,
                         changes_of(current ? &*current : nullptr, d)));
  for (const event& e : recomputed)
    print_line(fmt::format("{} deadline_changed {}: {} → {}", e.case_id, e.data.value("rule", ""),
                           e.data.value("old_due", ""), e.data.value("due", "")));
  if (!recomputed.empty()) print_line(fmt::format("{} deadline changes recorded", recomputed.size()));
  return k_exit_done;
}

int run_deployments(context& ctx) {
  const std::vector<deployment_record> all = ctx.store(/*must_exist=*/true).deployments();
  if (ctx.options().json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : all)
      list.push_back({{"id", d.id}, {"at", format_instant_utc(d.at)}, {"actor", d.actor}, {"role", d.role},
                      {"reason", d.reason}, {"source", d.source}, {"manifest", d.manifest.to_json()}, {"hash", d.hash}});
    print_json({{"deployments", list}});
    return k_exit_done;
  }
  if (all.empty()) {
    std::cout << "nothing is deployed yet: the first command given a procedures folder deploys it\n";
    return k_exit_done;
  }
  table t({"ID", "AT", "BY", "ROLE", "REASON", "WHAT"});
  for (std::size_t i = 0; i < all.size(); ++i) {
    const deployment_record& d = all[i];
    t.add({std::to_string(d.id), format_instant_utc(d.at), d.actor, d.role.empty() ? "-" : d.role, d.reason,
           changes_of(i ? &all[i - 1] : nullptr, d)});
  }
  std::cout << t.str();
  return k_exit_done;
}

}  // namespace

void setup_deploy(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<deploy_options>();
  auto* sub = app.add_subcommand("deploy", "publish a procedures folder into the database (admin or process owner)");
  sub->fallthrough();
  sub->add_option("dir", opts->dir, "the folder (default: the procedures folder)");
  sub->add_flag("--dry-run", opts->dry_run, "say what would change and write nothing");
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_deploy(ctx, *opts); }); });
  auto* list = app.add_subcommand("deployments", "list what was deployed, when and by whom");
  list->fallthrough();
  list->callback([&options, exit] { *exit = guarded(options, run_deployments); });
}

}  // namespace caseflow::cli
