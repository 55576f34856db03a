// caseflow/actions.h — the built-in action handlers and channel senders (one file each in
// actions/), their deployment configuration, and plug-in loading.
//
// Configuration comes from the environment of the process that delivers, never from a
// procedure file; secrets are only ever read from the environment and never logged,
// stored or printed (errors name the channel, not the URL or the credentials):
//   CASEFLOW_WEBHOOK_URL       POST every notification as JSON here (webhook channel on)
//   CASEFLOW_WEBHOOK_TOKEN     secret; sent as "Authorization: Bearer …" when set
//   CASEFLOW_WEBHOOK_TIMEOUT   seconds per attempt (default 10)
//   CASEFLOW_SMTP_URL          e.g. smtp://127.0.0.1:2525 or smtps://mail.example.com (email channel on)
//   CASEFLOW_SMTP_FROM         sender address (default caseflow@localhost)
//   CASEFLOW_SMTP_USER, CASEFLOW_SMTP_PASSWORD   secret credentials, when the server wants them
//   CASEFLOW_SMTP_TIMEOUT      seconds per attempt (default 30)
//   CASEFLOW_NOTIFY_LOG        append one line per notification to this file (log channel on)
//   CASEFLOW_QUIET_HOURS       "1": non-urgent notifications wait for the working hours of the
//                              procedure's calendar
//   CASEFLOW_URGENT_RULES      comma-separated rules whose notifications always go at once
//   CASEFLOW_MAX_ATTEMPTS      attempts before a message is dead (default 5)
//   CASEFLOW_RETRY_SECONDS     delay after the first failed attempt, doubled each time (default 30)
// Not thread-safe to configure; senders are used from one thread.
#pragma once

#include <string>
#include <vector>

#include "caseflow/action_handler.h"
#include "caseflow/calendar.h"
#include "caseflow/outbox.h"

namespace caseflow::actions {

struct delivery_config {
  std::string webhook_url;
  std::string webhook_token;  // secret
  long webhook_timeout_seconds = 10;
  std::string smtp_url;
  std::string smtp_from = "caseflow@localhost";
  std::string smtp_user;
  std::string smtp_password;  // secret
  long smtp_timeout_seconds = 30;
  std::string log_path;
  bool quiet_hours = false;
  std::vector<std::string> urgent_rules;
  retry_policy retry;

  // The channels that are switched on, in a fixed order (webhook, email, log).
  std::vector<std::string> channels() const;
};

// Reads the CASEFLOW_* variables above.
delivery_config delivery_config_from_env();

// Adds the built-in handlers (notify, webhook, set, escalate, start_case) and the senders of
// the configured channels.
void register_builtins(handler_registry& registry, const delivery_config& config);

// The router the store calls for each event committed (see outbox.h): notification_requested
// events go through the registry's `notify` handler and every handler named `notify.*`
// (how a plug-in adds a channel, e.g. `notify.sms`), in name order. `calendar_of` gives the procedure's
// calendar (or null) for quiet hours. The references must outlive the router.
outbox_router make_notification_router(const handler_registry& registry, const organisation& org,
                                       std::function<const calendar*(const procedure&)> calendar_of);

// `text` with {case.id}, {case.procedure}, {case.step}, {case.assignee}, {case.FIELD},
// {rule} and {procedure.name} replaced. Personal fields render as "***" (the outbox cannot be
// erased); unknown placeholders are left as written, so a typo shows in the message instead
// of losing it. Example: render_template("案件 {case.id}: {rule}", ctx, "hot_report").
std::string render_template(std::string_view text, const handler_context& ctx, std::string_view rule);

// Loads every *.so in `dir` and calls its caseflow_register_plugin entry (action_handler.h).
// Returns "" or a sentence naming the plug-in file and what is wrong with it.
std::string load_plugins(handler_registry& registry, const std::string& dir);

}  // namespace caseflow::actions
