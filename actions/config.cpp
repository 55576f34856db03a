// Delivery configuration from the environment. See caseflow/actions.h.
#include <cstdlib>
#include <sstream>

#include "caseflow/actions.h"

namespace caseflow::actions {

namespace {

std::string env(const char* name, std::string fallback = "") {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

long env_number(const char* name, long fallback) {
  const std::string text = env(name);
  if (text.empty()) return fallback;
  char* end = nullptr;
  const long n = std::strtol(text.c_str(), &end, 10);
  return end && *end == '\0' && n > 0 ? n : fallback;
}

}  // namespace

std::vector<std::string> delivery_config::channels() const {
  std::vector<std::string> out;
  if (!webhook_url.empty()) out.emplace_back("webhook");
  if (!smtp_url.empty()) out.emplace_back("email");
  if (!log_path.empty()) out.emplace_back("log");
  return out;
}

delivery_config delivery_config_from_env() {
  delivery_config c;
  c.webhook_url = env("CASEFLOW_WEBHOOK_URL");
  c.webhook_token = env("CASEFLOW_WEBHOOK_TOKEN");
  c.webhook_timeout_seconds = env_number("CASEFLOW_WEBHOOK_TIMEOUT", c.webhook_timeout_seconds);
  c.smtp_url = env("CASEFLOW_SMTP_URL");
  c.smtp_from = env("CASEFLOW_SMTP_FROM", c.smtp_from);
  c.smtp_user = env("CASEFLOW_SMTP_USER");
  c.smtp_password = env("CASEFLOW_SMTP_PASSWORD");
  c.smtp_timeout_seconds = env_number("CASEFLOW_SMTP_TIMEOUT", c.smtp_timeout_seconds);
  c.log_path = env("CASEFLOW_NOTIFY_LOG");
  c.quiet_hours = env("CASEFLOW_QUIET_HOURS") == "1";
  std::istringstream rules(env("CASEFLOW_URGENT_RULES"));
  for (std::string rule; std::getline(rules, rule, ',');)
    if (!rule.empty()) c.urgent_rules.push_back(rule);
  c.retry.max_attempts = static_cast<int>(env_number("CASEFLOW_MAX_ATTEMPTS", c.retry.max_attempts));
  c.retry.first_delay_seconds = env_number("CASEFLOW_RETRY_SECONDS", c.retry.first_delay_seconds);
  return c;
}

}  // namespace caseflow::actions
