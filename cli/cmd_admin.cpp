// caseflow admin mark-virtual — makes a real-clock database a virtual-time one (store.h,
// database_clock), so that `--now` is accepted on it from then on. Needs the admin role; who
// and when are recorded in the database's meta table (clock_marked_by, clock_marked_at).
#include <iostream>

#include <fmt/format.h>

#include "caseflow/erasure.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

int run_mark_virtual(context& ctx) {
  const std::string actor = ctx.user();
  const person* who = ctx.org().find(actor);
  if (!who || !who->holds(k_erasure_role))
    throw command_failure{k_exit_refused,
                          fmt::format("{} may not change the clock a database follows: only a person holding the '{}' "
                                      "role in org.yaml may; nothing was written",
                                      actor, k_erasure_role)};
  database_admin& db = ctx.store(/*must_exist=*/true);
  if (db.clock_kind() == database_clock::virtual_time)
    throw command_failure{k_exit_refused,
                          fmt::format("{} is a virtual-time database already; nothing was written", ctx.options().db)};
  db.mark_virtual(actor, std::string(k_erasure_role), ctx.now());
  std::cout << fmt::format("{} is now a virtual-time database: --now is accepted (marked by {} as {})\n",
                           ctx.options().db, actor, k_erasure_role);
  return k_exit_done;
}

}  // namespace

void setup_admin(CLI::App& app, const global_options& options, int* exit) {
  auto* admin = app.add_subcommand("admin", "database administration (needs the admin role)");
  admin->require_subcommand(1);
  auto* mark = admin->add_subcommand("mark-virtual",
                                     "make a real-clock database a virtual-time one, so that --now is accepted");
  mark->fallthrough();
  mark->callback([&options, exit] { *exit = guarded(options, run_mark_virtual); });
}

}  // namespace caseflow::cli
