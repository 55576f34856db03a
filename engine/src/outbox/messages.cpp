// The data of outbound messages: how they are recorded in events, their idempotency key, and
// the retry policy. See caseflow/outbox.h.
#include <algorithm>

#include <fmt/format.h>

#include "caseflow/hash.h"
#include "caseflow/outbox.h"

namespace caseflow {

nlohmann::json messages_to_json(const std::vector<outbound_message>& messages) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& m : messages)
    list.push_back({{"channel", m.channel}, {"recipient", m.recipient}, {"payload", m.payload},
                    {"not_before", m.not_before.seconds ? nlohmann::json(format_instant_utc(m.not_before)) : nlohmann::json()}});
  return list;
}

std::vector<outbound_message> requested_messages(const event& e) {
  std::vector<outbound_message> messages;
  const std::string key = e.kind == event_kind::notification_requested ? std::string(k_routed_key) : "messages";
  if (e.kind != event_kind::notification_requested && e.kind != event_kind::messages_requested) return messages;
  for (const auto& m : e.data.value(key, nlohmann::json::array())) {
    const auto not_before = m.value("not_before", nlohmann::json());
    messages.push_back({m.value("channel", ""), m.value("recipient", ""), m.value("payload", nlohmann::json::object()),
                        not_before.is_string() ? parse_instant(not_before.get<std::string>()).value_or(instant{}) : instant{}});
  }
  return messages;
}

std::string outbox_idempotency_key(std::string_view event_hash, std::string_view channel, std::string_view recipient) {
  return sha256_hex(fmt::format("{}\n{}\n{}", event_hash, channel, recipient));
}

std::int64_t retry_policy::delay_after(int attempt) const {
  std::int64_t delay = first_delay_seconds;
  for (int i = 1; i < attempt && delay < max_delay_seconds; ++i) delay *= factor;
  return std::min(delay, max_delay_seconds);
}

}  // namespace caseflow
