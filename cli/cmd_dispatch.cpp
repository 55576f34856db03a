// caseflow dispatch — delivers the outbox once: every pending message that is due, with
// retries (exponential backoff) and a dead-letter state; each outcome is an event.
// caseflow outbox [--failed] — lists the messages; `caseflow outbox retry ID` requeues one.
// `caseflow run` calls dispatch_pass() on every loop (cmd_tick_run.cpp).
#include <iostream>

#include <fmt/format.h>

#include "caseflow/actions.h"
#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

dispatch_report dispatch_pass(context& ctx) {
  // Each send's outcome is an event: on a read-only database none could be recorded, and a
  // message sent without its outcome is sent again by the next dispatch. So send nothing.
  if (ctx.options().read_only) throw command_failure{k_exit_refused, "the database is read-only; nothing was written"};
  const auto& registry = ctx.handlers();
  return dispatch_outbox(ctx.runtime(), registry.senders(), ctx.now(), actions::delivery_config_from_env().retry);
}

void print_dispatch(const dispatch_report& report) {
  for (const auto& e : report.events)
    print_line(fmt::format("{} #{} {} {} {}{}", e.case_id, e.seq, e.kind, e.data.value("channel", ""),
                           e.data.value("recipient", ""),
                           e.data.contains("error") ? " (" + e.data.value("error", "") + ")" : ""));
}

namespace {

int run_dispatch(context& ctx) {
  const auto report = dispatch_pass(ctx);
  if (ctx.options().json) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : report.events) events.push_back(event_view(e));
    print_json({{"delivered", report.delivered}, {"failed", report.failed}, {"dead", report.dead},
                {"skipped", report.skipped}, {"events", events}});
  } else {
    print_dispatch(report);
    print_line(fmt::format("delivered {}; failed {}; dead {}; skipped {}", report.delivered, report.failed,
                           report.dead, report.skipped));
  }
  return k_exit_done;
}

struct outbox_options {
  bool failed = false;
  std::int64_t retry_id = 0;
};

nlohmann::json entry_view(const outbox_entry& m) {
  return {{"id", m.id},           {"case_id", m.case_id},   {"event_id", m.event_id},
          {"channel", m.channel}, {"recipient", m.recipient}, {"idempotency_key", m.idempotency_key},
          {"state", m.state},     {"attempts", m.attempts},  {"next_attempt", format_instant_utc(m.next_attempt)},
          {"last_error", m.last_error}, {"created_at", format_instant_utc(m.created_at)}, {"payload", m.payload}};
}

int run_outbox(context& ctx, const outbox_options& opts) {
  outbox_query query;
  query.failed_only = opts.failed;
  const auto entries = ctx.store().outbox_entries(query);
  if (ctx.options().json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : entries) list.push_back(entry_view(m));
    print_json({{"messages", list}});
    return k_exit_done;
  }
  table t({"id", "case", "channel", "recipient", "state", "attempts", "next attempt", "last error"});
  for (const auto& m : entries)
    t.add({std::to_string(m.id), m.case_id, m.channel, m.recipient, m.state, std::to_string(m.attempts),
           format_instant_utc(m.next_attempt), m.last_error});
  std::cout << t.str();
  return k_exit_done;
}

int run_outbox_retry(context& ctx, const outbox_options& opts) {
  ctx.store(/*must_exist=*/true);
  const std::string by = ctx.options().as.empty() ? std::string(k_system_actor) : ctx.options().as;
  if (auto why = requeue_outbox(ctx.runtime(), opts.retry_id, by, ctx.now()); !why.empty())
    throw command_failure{k_exit_refused, why};
  print_line(fmt::format("outbox message {} requeued", opts.retry_id));
  return k_exit_done;
}

}  // namespace

void setup_dispatch(CLI::App& app, const global_options& options, int* exit) {
  auto* sub = app.add_subcommand("dispatch", "deliver the due outbox messages once (webhook, email, log, plug-ins)");
  sub->fallthrough();
  sub->callback([&options, exit] { *exit = guarded(options, run_dispatch); });
}

void setup_outbox(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<outbox_options>();
  auto* sub = app.add_subcommand("outbox", "list the outbox messages; `outbox retry ID` requeues a failed one");
  sub->fallthrough();
  sub->add_flag("--failed", opts->failed, "only dead messages and those that have failed at least once");
  auto* retry = sub->add_subcommand("retry", "put a failed or dead message back in the queue");
  retry->fallthrough();
  retry->add_option("ID", opts->retry_id, "the message id (from `caseflow outbox`)")->required();
  retry->callback([&options, opts, exit] {
    *exit = guarded(options, [&](context& ctx) { return run_outbox_retry(ctx, *opts); });
  });
  sub->callback([&options, opts, exit, retry] {
    if (retry->parsed()) return;
    *exit = guarded(options, [&](context& ctx) { return run_outbox(ctx, *opts); });
  });
}

}  // namespace caseflow::cli
