// caseflow verify — checks the hash chain of the whole log, then each case's conformance to
// its definition, its approvals and its evidence (caseflow/verify.h); exit 4 on any finding.
#include <iostream>

#include <fmt/format.h>

#include "caseflow/chain.h"
#include "caseflow/deployment.h"
#include "caseflow/verify.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

int run_verify(context& ctx) {
  caseflow::store& db = ctx.store(/*must_exist=*/true);
  verification v = verify_chain(db, db);
  for (auto& f : verify_deployments(db)) v.findings.push_back(std::move(f));
  try {
    for (auto& f : verify_cases(ctx.runtime())) v.findings.push_back(std::move(f));
  } catch (const command_failure& failure) {
    // The definitions in force do not load (an edited deployed text): no event can be re-decided.
    v.findings.push_back({"", 0, "deployment", failure.message + "; the cases were not checked"});
  }
  const std::vector<deployment_record> deployed = db.deployments();
  const std::string deployments_head =
      deployed.empty() ? "-" : fmt::format("{}:{}", deployed.back().id, deployed.back().hash);
  const std::string head = fmt::format("{}:{}", v.events, v.head_hash.empty() ? "-" : v.head_hash);
  const bool virtual_time = db.clock_kind() == database_clock::virtual_time;
  if (ctx.options().json) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : v.findings)
      findings.push_back({{"case", f.case_id}, {"seq", f.seq}, {"rule", f.rule}, {"message", f.message}});
    print_json({{"ok", v.ok()}, {"events", v.events}, {"cases", v.cases}, {"head", head},
                {"clock", virtual_time ? "virtual" : "real"}, {"deployments", deployed.size()},
                {"deployments_head", deployments_head}, {"findings", findings}});
  } else {
    // A finding about a stored blob belongs to no case event; its message names the blob.
    for (const auto& f : v.findings)
      print_line(f.case_id.empty() ? fmt::format("[{}] {}", f.rule, f.message)
                                   : fmt::format("case {} event {}: [{}] {}", f.case_id, f.seq, f.rule, f.message));
    std::cout << fmt::format("{}: {} events in {} cases; head {}\n", v.ok() ? "verified" : "FAILED", v.events, v.cases,
                             head);
    std::cout << fmt::format("deployments: {}; head {}\n", deployed.size(), deployments_head);
    std::cout << (virtual_time ? "a virtual-time database: its times were given with --now, not read from a clock\n"
                               : "a real-clock database: commands are timed by the clock (--now is refused)\n");
    if (v.ok()) std::cout << "write the head down: a later log that does not contain it was truncated\n";
  }
  return v.ok() ? k_exit_done : k_exit_verify;
}

}  // namespace

void setup_verify(CLI::App& app, const global_options& options, int* exit) {
  auto* sub = app.add_subcommand("verify", "check the event log's hash chain and that every event was allowed");
  sub->fallthrough();
  sub->callback([&options, exit] { *exit = guarded(options, run_verify); });
}

}  // namespace caseflow::cli
