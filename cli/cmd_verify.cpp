// caseflow verify — checks the hash chain of the whole log, then each case's conformance to
// its definition, its approvals and its evidence (caseflow/verify.h); exit 4 on any finding.
#include <charconv>
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "caseflow/chain.h"
#include "caseflow/deployment.h"
#include "caseflow/verify.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

// A head written down earlier ("N:HASH", as verify prints it): the log must still hold event N
// with that hash, or it was truncated or rewritten since.
std::optional<finding> check_head(event_log& log, const std::string& written) {
  const auto colon = written.find(':');
  std::int64_t id = 0;
  const std::string hash = colon == std::string::npos ? "" : written.substr(colon + 1);
  const auto [end, error] = std::from_chars(written.data(), written.data() + (colon == std::string::npos ? 0 : colon), id);
  if (colon == std::string::npos || error != std::errc{} || end != written.data() + colon || id < 1 || hash.size() != 64)
    throw command_failure{k_exit_usage, fmt::format("--head '{}': give the head as verify printed it, N:HASH (an event "
                                                    "count and 64 hex digits)",
                                                    written)};
  std::optional<std::string> found;
  log.scan_events([&](const event& e) {
    if (e.id == id) found = e.hash;
    return e.id < id;
  });
  if (!found)
    return finding{"", id, "head", fmt::format("the log has no event {}: it was truncated after the head {} was "
                                               "written down",
                                               id, written)};
  if (*found != hash)
    return finding{"", id, "head", fmt::format("event {} has the hash {}, not the one written down ({}): the log was "
                                               "rewritten up to it",
                                               id, *found, hash)};
  return std::nullopt;
}

int run_verify(context& ctx, const std::string& written_head) {
  caseflow::store& db = ctx.store(/*must_exist=*/true);
  verification v = verify_chain(db, db);
  if (!written_head.empty())
    if (auto f = check_head(db, written_head)) v.findings.push_back(std::move(*f));
  for (auto& f : verify_deployments(db, static_cast<database_admin&>(db).clock_kind())) v.findings.push_back(std::move(f));
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
    if (v.ok()) std::cout << "write the head down: `caseflow verify --head N:HASH` later shows whether the log still holds it\n";
  }
  return v.ok() ? k_exit_done : k_exit_verify;
}

}  // namespace

void setup_verify(CLI::App& app, const global_options& options, int* exit) {
  auto* sub = app.add_subcommand("verify", "check the event log's hash chain and that every event was allowed");
  sub->fallthrough();
  auto head = std::make_shared<std::string>();
  sub->add_option("--head", *head, "a head written down earlier (N:HASH): the log must still hold it");
  sub->callback([&options, exit, head] {
    *exit = guarded(options, [&](context& ctx) { return run_verify(ctx, *head); });
  });
}

}  // namespace caseflow::cli
