// builtins.h — internal: the factories of the built-in handlers and senders (one file each).
#pragma once

#include <memory>

#include "caseflow/actions.h"

namespace caseflow::actions {

std::unique_ptr<action_handler> make_notify_handler(const delivery_config& config);
std::unique_ptr<action_handler> make_webhook_handler();
std::unique_ptr<action_handler> make_set_handler();
std::unique_ptr<action_handler> make_escalate_handler();
std::unique_ptr<action_handler> make_start_case_handler();
std::unique_ptr<channel_sender> make_webhook_sender(const delivery_config& config);
std::unique_ptr<channel_sender> make_email_sender(const delivery_config& config);
std::unique_ptr<channel_sender> make_log_sender(const delivery_config& config);

// libcurl's process-wide initialisation, done once before the first handle.
void ensure_curl();

}  // namespace caseflow::actions
