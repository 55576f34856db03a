// caseflow replay [--case ID] [--as-of TIME | --seq N] — rebuilds each case from its log alone
// (under the definition text stored with it) and compares it with the stored projection;
// exit 4 when any differs. With --as-of or --seq: shows the state at that moment instead.
#include <iostream>

#include <fmt/format.h>

#include "caseflow/replay.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

struct replay_options {
  std::string case_id;
  std::string as_of;
  std::int64_t seq = 0;
};

// One line per item, each escaped for the terminal (text_output.h).
std::string describe_state(context& ctx, const procedure& p, const case_state& c) {
  std::string out = terminal_text(fmt::format("{} at event {} ({}): step {}{}, assignee {}", c.id, c.seq,
                                              ctx.format_time(c.updated_at, &p), c.step, c.open ? "" : " (closed)",
                                              c.assignee.empty() ? "-" : c.assignee)) +
                    '\n';
  for (const auto& [name, v] : c.fields) out += terminal_text(fmt::format("  {} = {}", name, format_value(v))) + '\n';
  for (const auto& d : c.deadlines)
    out += fmt::format("  deadline {} ({}) due {}{}\n", d.rule, d.kind, ctx.format_time(d.due, &p), d.breached ? ", breached" : "");
  return out;
}

int run_replay(context& ctx, const replay_options& opts) {
  caseflow::store& db = ctx.store(/*must_exist=*/true);
  case_store& projections = db;
  event_log& log = db;
  runtime& rt = ctx.runtime();
  replay_limit limit;
  limit.seq = opts.seq;
  if (!opts.as_of.empty()) {
    limit.as_of = parse_instant(opts.as_of);
    if (!limit.as_of)
      throw command_failure{k_exit_usage, fmt::format("--as-of '{}' is not an ISO-8601 time with a zone", opts.as_of)};
  }
  if (opts.seq > 0 && opts.case_id.empty()) throw command_failure{k_exit_usage, "--seq needs --case"};
  const bool compare = !limit.as_of && limit.seq == 0;
  const bool json = ctx.options().json;
  nlohmann::json cases = nlohmann::json::array();
  std::size_t count = 0, differing = 0;

  auto replay_one = [&](const case_record& record) {
    const auto p = rt.definition(record.definition_hash);
    const case_state c = replay_case(*p, log.case_events(record.id), limit);
    if (!c.exists()) return true;  // opened after the moment asked for
    ++count;
    if (!compare) {
      if (json) cases.push_back({{"id", record.id}, {"seq", c.seq}, {"state", state_to_json(c)}});
      else std::cout << describe_state(ctx, *p, c);
      return true;
    }
    const auto differences = json_differences(record.state, state_to_json(c));
    if (!differences.empty()) ++differing;
    if (json) {
      cases.push_back({{"id", record.id}, {"seq", c.seq}, {"matches", differences.empty()}, {"differences", differences}});
    } else if (!differences.empty()) {
      print_line(fmt::format("{}: the stored state differs from the log:", record.id));
      for (const auto& d : differences) print_line("  " + d);
    }
    return true;
  };

  if (!opts.case_id.empty()) {
    auto record = projections.load_case(opts.case_id);
    if (!record) throw command_failure{k_exit_refused, fmt::format("no case '{}'", opts.case_id)};
    replay_one(*record);
  } else {
    projections.scan_cases(replay_one);
  }
  if (json) print_json({{"cases", cases}, {"replayed", count}, {"differing", differing}});
  else if (compare)
    print_line(fmt::format("replayed {} cases: {}", count,
                           differing ? fmt::format("{} differ from their log", differing) : "all match their log"));
  return differing ? k_exit_verify : k_exit_done;
}

}  // namespace

void setup_replay(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<replay_options>();
  auto* sub = app.add_subcommand("replay", "rebuild state from the log and compare it with what is stored");
  sub->fallthrough();
  sub->add_option("--case", opts->case_id, "only this case");
  auto* as_of = sub->add_option("--as-of", opts->as_of, "show the state at this time (ISO-8601 with zone)");
  sub->add_option("--seq", opts->seq, "show the state after this event of the case (needs --case)")->excludes(as_of);
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_replay(ctx, *opts); }); });
}

}  // namespace caseflow::cli
