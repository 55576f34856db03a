// caseflow tick — opens the cases of the periodic duties due now, then fires every timer due
// now, once.
// caseflow run — keeps doing so: sleeps until the next timer or opening is due (or a new one
// may have been scheduled by another process), and stops cleanly on SIGINT or SIGTERM.
// caseflow schedule — the schedules, what each opened last and when it opens next.
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

#include "caseflow/schedules.h"
#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

namespace {

std::atomic<bool> g_stop{false};

void request_stop(int) { g_stop = true; }

// One line per event a person follows; a notification's routing (data.routed, the outbox rows
// `caseflow outbox` lists) is left out of the line.
void print_events(const std::vector<event>& events) {
  for (const auto& e : events) {
    if (e.kind != event_kind::timer_fired && e.kind != event_kind::fields_changed &&
        e.kind != event_kind::notification_requested && e.kind != event_kind::action_taken)
      continue;
    nlohmann::json data = e.data;
    if (data.is_object()) data.erase(std::string(k_routed_key));
    print_line(fmt::format("{} #{} {} {}", e.case_id, e.seq, e.kind,
                           e.kind == event_kind::action_taken ? e.action + " → " + e.to_step : data.dump()));
  }
}

// A rule that reached the bound of one tick (runtime::k_max_firings_per_rule) and is still due.
std::string capped_text(const runtime::capped_rule& r) {
  return fmt::format("{}: {} fired {} times, the most one tick fires for one rule of a case; the next tick goes on",
                     r.case_id, r.rule, r.fired);
}

std::string refusal_text(const runtime::timer_refusal& r) {
  return fmt::format("timer {} of case {} was not fired: {}", r.rule, r.case_id, r.message);
}

std::string opened_text(const schedule_run::opened& o) {
  return fmt::format("{} opened: schedule {} of {} for {}", o.case_id, o.schedule, o.procedure, o.period);
}

std::string refusal_text(const schedule_run::refusal& r) {
  return fmt::format("schedule {} of {} did not open {}: {}", r.schedule, r.procedure, r.period, r.message);
}

// The periods due open first (their limits may be due at once), then the timers fire. A
// refused firing or opening wrote nothing, but stays due: the tick says so and fails.
int run_tick(context& ctx) {
  const schedule_run opened = open_due_periods(ctx.runtime(), ctx.now());
  const auto report = ctx.runtime().tick(ctx.now());
  if (ctx.options().json) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : report.events) events.push_back(event_view(e));
    nlohmann::json refused = nlohmann::json::array();
    for (const auto& r : report.refused)
      refused.push_back({{"case_id", r.case_id}, {"rule", r.rule}, {"message", r.message}});
    nlohmann::json capped = nlohmann::json::array();
    for (const auto& r : report.capped) capped.push_back({{"case_id", r.case_id}, {"rule", r.rule}, {"fired", r.fired}});
    nlohmann::json cases = nlohmann::json::array();
    for (const auto& o : opened.cases)
      cases.push_back({{"case_id", o.case_id}, {"procedure", o.procedure}, {"schedule", o.schedule}, {"period", o.period}});
    print_json({{"opened", cases},
                {"already_opened", opened.already_opened},
                {"fired", report.fired},
                {"skipped", report.skipped},
                {"refused", refused},
                {"capped", capped},
                {"events", events}});
  } else {
    for (const auto& o : opened.cases) print_line(opened_text(o));
    print_events(report.events);
    print_line(fmt::format("fired {} timer{}; skipped {}", report.fired, report.fired == 1 ? "" : "s", report.skipped));
    for (const auto& r : report.capped) print_line(capped_text(r));
  }
  for (const auto& r : opened.refused) std::cerr << "caseflow: " << refusal_text(r) << '\n';
  for (const auto& r : report.refused) std::cerr << "caseflow: " << refusal_text(r) << '\n';
  return report.refused.empty() && opened.refused.empty() ? k_exit_done : k_exit_refused;
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
    const schedule_run opened = open_due_periods(runtime, ctx.now());
    for (const auto& o : opened.cases) print_line(opened_text(o));
    for (const auto& r : opened.refused)
      if (told.insert(refusal_text(r)).second) std::cerr << "caseflow run: " << refusal_text(r) << '\n';
    const auto report = runtime.tick(ctx.now());
    total += report.fired;
    print_events(report.events);
    for (const auto& r : report.capped) print_line(capped_text(r));
    for (const auto& r : report.refused)
      if (told.insert(refusal_text(r)).second) std::cerr << "caseflow run: " << refusal_text(r) << '\n';
    print_dispatch(dispatch_pass(ctx));
    std::cout.flush();
    auto next = ctx.store().next_timer_due();
    for (const auto& s : schedule_statuses(runtime, ctx.now()))
      if (!next || s.next.opens < *next) next = s.next.opens;
    const double until_next = next ? static_cast<double>(next->seconds - ctx.now().seconds) : opts.poll_seconds;
    auto sleep = std::chrono::milliseconds(static_cast<long>(1000 * std::clamp(until_next, 0.05, opts.poll_seconds)));
    for (auto slept = std::chrono::milliseconds(0); slept < sleep && !g_stop; slept += std::chrono::milliseconds(50))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::cerr << fmt::format("caseflow run: stopped after firing {} timer{}\n", total, total == 1 ? "" : "s");
  return k_exit_done;
}

int run_schedule(context& ctx) {
  const auto statuses = schedule_statuses(ctx.runtime(), ctx.now());
  if (ctx.options().json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : statuses) {
      const procedure* p = ctx.library().find(s.procedure);
      list.push_back({{"procedure", s.procedure},
                      {"schedule", s.schedule->id},
                      {"every", to_string(s.schedule->period)},
                      {"report", s.schedule->report.empty() ? nlohmann::json() : nlohmann::json(s.schedule->report)},
                      {"last_period", s.last ? nlohmann::json(s.last->period) : nlohmann::json()},
                      {"last_case", s.last ? nlohmann::json(s.last->case_id) : nlohmann::json()},
                      {"next_period", s.next.label},
                      {"next_opens", ctx.format_time(s.next.opens, p)},
                      {"next_opens_utc", format_instant_utc(s.next.opens)},
                      {"due", s.next.opens <= ctx.now()}});
    }
    print_json({{"schedules", list}});
    return k_exit_done;
  }
  if (statuses.empty()) {
    print_line("no schedules in the procedures");
    return k_exit_done;
  }
  table t({"PROCEDURE", "SCHEDULE", "EVERY", "REPORT", "LAST OPENED", "NEXT", "OPENS"});
  for (const auto& s : statuses) {
    const procedure* p = ctx.library().find(s.procedure);
    t.add({s.procedure, s.schedule->id, to_string(s.schedule->period),
           s.schedule->report.empty() ? "-" : s.schedule->report,
           s.last ? s.last->period + " (" + s.last->case_id + ")" : "-", s.next.label,
           ctx.format_time(s.next.opens, p) + (s.next.opens <= ctx.now() ? " (due: the next tick opens it)" : "")});
  }
  std::cout << t.str();
  return k_exit_done;
}

}  // namespace

void setup_schedule(CLI::App& app, const global_options& options, int* exit) {
  auto* sub = app.add_subcommand("schedule", "periodic duties: what each schedule opened last and opens next");
  sub->fallthrough();
  sub->callback([&options, exit] { *exit = guarded(options, run_schedule); });
}

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
