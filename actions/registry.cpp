// register_builtins: the handlers and senders caseflow ships. See caseflow/actions.h.
#include <curl/curl.h>

#include "builtins.h"

namespace caseflow::actions {

void ensure_curl() {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
}

void register_builtins(handler_registry& registry, const delivery_config& config) {
  registry.add(make_notify_handler(config));
  registry.add(make_webhook_handler());
  registry.add(make_set_handler());
  registry.add(make_escalate_handler());
  registry.add(make_start_case_handler());
  if (!config.webhook_url.empty()) registry.add(make_webhook_sender(config));
  if (!config.smtp_url.empty()) registry.add(make_email_sender(config));
  if (!config.log_path.empty()) registry.add(make_log_sender(config));
}

}  // namespace caseflow::actions
