// caseflow tick — fires every timer due now, once.
// caseflow run — keeps doing so: sleeps until the next timer is due (or a new one may have
// been scheduled by another process), and stops cleanly on SIGINT or SIGTERM.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <iostream>
#include <set>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

namespace {

std::atomic<bool> g_stop{false};

void request_stop(int) { g_stop = true; }

void print_events(const std::vector<event>& events) {
  for (const auto& e : events)
    if (e.kind == event_kind::timer_fired || e.kind == event_kind::fields_changed ||
        e.kind == event_kind::notification_requested || e.kind == event_kind::action_taken)
      print_line(fmt::format("{} #{} {} {}", e.case_id, e.seq, e.kind,
                             e.kind == event_kind::action_taken ? e.action + " → " + e.to_step : e.data.dump()));
}

// A rule that reached the bound of one tick (runtime::k_max_firings_per_rule) and is still due.
std::string capped_text(const runtime::capped_rule& r) {
  return fmt::format("{}: {} fired {} times, the most one tick fires for one rule of a case; the next tick goes on",
                     r.case_id, r.rule, r.fired);
}

std::string refusal_text(const runtime::timer_refusal& r) {
  return fmt::format("timer {} of case {} was not fired: {}", r.rule, r.case_id, r.message);
}

// A refused firing wrote nothing, but the timer stays due: the tick says so and fails.
int run_tick(context& ctx) {
  const auto report = ctx.runtime().tick(ctx.now());
  if (ctx.options().json) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : report.events) events.push_back(event_view(e));
    nlohmann::json refused = nlohmann::json::array();
    for (const auto& r : report.refused)
      refused.push_back({{"case_id", r.case_id}, {"rule", r.rule}, {"message", r.message}});
    nlohmann::json capped = nlohmann::json::array();
    for (const auto& r : report.capped) capped.push_back({{"case_id", r.case_id}, {"rule", r.rule}, {"fired", r.fired}});
    print_json({{"fired", report.fired},
                {"skipped", report.skipped},
                {"refused", refused},
                {"capped", capped},
                {"events", events}});
  } else {
    print_events(report.events);
    print_line(fmt::format("fired {} timer{}; skipped {}", report.fired, report.fired == 1 ? "" : "s", report.skipped));
    for (const auto& r : report.capped) print_line(capped_text(r));
  }
  for (const auto& r : report.refused) std::cerr << "caseflow: " << refusal_text(r) << '\n';
  return report.refused.empty() ? k_exit_done : k_exit_refused;
}

struct run_options {
  double poll_seconds = 5;  // the longest sleep: timers other processes schedule are noticed by then
};

int run_run(context& ctx, const run_options& opts) {
  if (!ctx.options().now.empty())
    throw command_failure{k_exit_usage, "run follows the real clock; use `tick --now` for virtual time"};
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  auto& runtime = ctx.runtime();
  std::size_t total = 0;
  std::set<std::string> told;  // each refused firing is reported once, not at every pass
  while (!g_stop) {
    const auto report = runtime.tick(ctx.now());
    total += report.fired;
    print_events(report.events);
    for (const auto& r : report.capped) print_line(capped_text(r));
    for (const auto& r : report.refused)
      if (told.insert(refusal_text(r)).second) std::cerr << "caseflow run: " << refusal_text(r) << '\n';
    print_dispatch(dispatch_pass(ctx));
    std::cout.flush();
    auto next = ctx.store().next_timer_due();
    const double until_next = next ? static_cast<double>(next->seconds - ctx.now().seconds) : opts.poll_seconds;
    auto sleep = std::chrono::milliseconds(static_cast<long>(1000 * std::clamp(until_next, 0.05, opts.poll_seconds)));
    for (auto slept = std::chrono::milliseconds(0); slept < sleep && !g_stop; slept += std::chrono::milliseconds(50))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::cerr << fmt::format("caseflow run: stopped after firing {} timer{}\n", total, total == 1 ? "" : "s");
  return k_exit_done;
}

}  // namespace

void setup_tick(CLI::App& app, const global_options& options, int* exit) {
  auto* sub = app.add_subcommand("tick", "fire the timers due now, once");
  sub->fallthrough();
  sub->callback([&options, exit] { *exit = guarded(options, run_tick); });
}

void setup_run(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<run_options>();
  auto* sub = app.add_subcommand("run", "keep firing timers as they fall due (stop with Ctrl-C)");
  sub->fallthrough();
  // At least a tenth of a second: 0 would make the loop spin at full CPU.
  sub->add_option("--poll", opts->poll_seconds, "longest sleep between checks, seconds (0.1 to 3600)")
      ->check(
          [](const std::string& text) -> std::string {
            double seconds = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
            const bool number = error == std::errc{} && end == text.data() + text.size();
            return number && seconds >= 0.1 && seconds <= 3600
                       ? ""
                       : "'" + text + "' is not from 0.1 to 3600 seconds (0 would make the loop spin)";
          },
          "SECONDS")
      ->capture_default_str();
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_run(ctx, *opts); }); });
}

}  // namespace caseflow::cli
