// caseflow/outbox.h — the transactional outbox: messages that must reach the outside world
// (webhooks, e-mail, log files, plug-in channels) and are never lost.
//
// How a message travels:
//   1. A command records a notification_requested event. In the SAME transaction the store
//      asks its outbox_router which messages the event causes, records them in the event
//      (data.routed, before the event is hashed, so the rows are held to the log) and writes
//      them as `pending` rows of the `outbox` table. Either the transition and its messages
//      commit, or neither.
//   2. dispatch_outbox() (outbox_dispatch.h; run by `caseflow dispatch` and every loop of `caseflow run`) sends
//      each pending row that is due through the channel_sender of its channel and records
//      the outcome as an event on the case, together with the row update, in one transaction:
//        notification_delivered  data {outbox_id, channel, recipient, idempotency_key, attempt}
//        notification_failed     + {error, next_attempt}   (retried with exponential backoff)
//        notification_dead       + {error}                 (after retry_policy::max_attempts)
//        notification_requeued   data {outbox_id, by}      (`caseflow outbox retry ID`)
//      The outbox row is a projection of those events, so it can be rebuilt from the log.
//   3. At-least-once: a crash after a send but before its outcome is recorded sends the
//      message again on the next pass. Every message carries an idempotency key
//      (sha256 of the event hash, channel and recipient) so the receiver can drop the copy.
//   4. Nowhere to go: a notification requested while no channel is configured is still one row,
//      of channel k_no_channel, written `dead` with last_error k_no_channel_error, so `caseflow
//      outbox` shows it; it is never sent and cannot be requeued.
// Concurrent dispatchers claim each row before sending it (store.h, lease), so without a crash
// between no message is sent twice.
//
// Values here are plain data: intentionally copyable. channel_sender is an interface that
// plug-ins may implement; a sender is used from one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/event.h"

namespace caseflow {

struct procedure;

namespace event_kind {
inline constexpr std::string_view notification_delivered = "notification_delivered";
inline constexpr std::string_view notification_failed = "notification_failed";
inline constexpr std::string_view notification_dead = "notification_dead";
inline constexpr std::string_view notification_requeued = "notification_requeued";
}  // namespace event_kind

// The channel of a notification requested while no channel was configured, and its row's error.
inline constexpr std::string_view k_no_channel = "none";
inline constexpr std::string_view k_no_channel_error = "no channel configured";

// A message a handler wants sent. `not_before` delays it (quiet hours); {} = at once.
struct outbound_message {
  std::string channel;    // "webhook", "email", "log", a plug-in's channel name, or k_no_channel
  std::string recipient;  // channel-specific: an e-mail address, a person id, "" for a webhook
  nlohmann::json payload = nlohmann::json::object();
  instant not_before;
};

// A row of the outbox table.
struct outbox_entry {
  std::int64_t id = 0;
  std::string case_id;
  std::int64_t event_id = 0;  // the notification_requested event that caused it
  std::string channel;
  std::string recipient;
  std::string idempotency_key;
  nlohmann::json payload;
  std::string state;          // pending | delivered | dead
  int attempts = 0;
  instant next_attempt;
  std::string last_error;
  instant created_at;
};

// Decides, inside the commit transaction, which messages an event causes. Called for every
// event as it is stored (with the definition and the case state after the whole commit);
// returns nothing for events that cause no message. Must be deterministic and must not
// throw or touch the store.
using outbox_router =
    std::function<std::vector<outbound_message>(const procedure& definition, const case_state& state, const event& e)>;

struct outbox_query {
  bool failed_only = false;  // dead rows and pending rows that have failed at least once
  bool due_only = false;     // pending rows whose next attempt is at or before `now`
  instant now;
  std::size_t limit = 0;     // 0 = no limit
};

struct delivery_result {
  bool delivered = false;
  std::string error;  // why not, when not delivered; must not contain secrets

  static delivery_result ok() { return {true, ""}; }
  static delivery_result failed(std::string why) { return {false, std::move(why)}; }
};

// Sends one message over one channel. Implementations: actions/ (webhook, email, log) and
// plug-ins. send() must not throw; it reports every failure as delivery_result::failed.
class channel_sender {
 public:
  virtual ~channel_sender() = default;
  virtual std::string_view channel() const = 0;
  virtual delivery_result send(const outbox_entry& message) = 0;
};

// When to try again: attempt n (1-based) that failed is retried after
// first_delay_seconds * factor^(n-1), at most max_delay_seconds; after max_attempts failed
// attempts the message is dead until someone requeues it.
struct retry_policy {
  int max_attempts = 5;
  std::int64_t first_delay_seconds = 30;
  int factor = 2;
  std::int64_t max_delay_seconds = 6 * 3600;

  std::int64_t delay_after(int attempt) const;
};

// The messages an event names and the data form they are recorded in: a messages_requested
// event's data.messages (handler effects, see action_handler.h; written to the outbox whatever
// the router), a notification_requested event's data.routed (what the router made of it; absent
// in events stored before caseflow recorded it, and when it made none). One message per channel
// and recipient per event: a second one with the same pair is dropped.
inline constexpr std::string_view k_routed_key = "routed";
nlohmann::json messages_to_json(const std::vector<outbound_message>& messages);
std::vector<outbound_message> requested_messages(const event& e);

// The idempotency key of a message: sha256 hex of the event hash, channel and recipient.
std::string outbox_idempotency_key(std::string_view event_hash, std::string_view channel, std::string_view recipient);

}  // namespace caseflow
