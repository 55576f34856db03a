// Delivering the outbox and recording each outcome. See caseflow/outbox_dispatch.h.
#include <fmt/format.h>

#include "caseflow/outbox_dispatch.h"
#include "caseflow/runtime.h"

namespace caseflow {

namespace {

// Records `kind` with `data` on case `case_id` (actor `system`); the store updates the outbox
// row in the same transaction. A case that changes meanwhile is re-read, a few times.
std::optional<event> record(runtime& rt, const std::string& case_id, std::string_view kind, nlohmann::json data,
                            instant now) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto loaded = rt.load(case_id);
    if (!loaded) return std::nullopt;
    const procedure& p = *loaded->definition;
    event e;
    e.case_id = case_id;
    e.seq = loaded->state.seq + 1;
    e.at = now;
    e.actor = k_system_actor;
    e.kind = kind;
    e.from_step = loaded->state.step;
    e.to_step = loaded->state.step;
    e.data = data;
    e.definition_hash = loaded->state.definition_hash;
    commit_request request;
    request.definition = &p;
    request.expected_seq = loaded->state.seq;
    request.resulting_state = apply(p, loaded->state, e);
    request.events.push_back(std::move(e));
    commit_result stored = rt.write(std::move(request));
    if (stored.status == commit_status::committed) return std::move(stored.events.front());
  }
  return std::nullopt;
}

nlohmann::json outcome_data(const outbox_entry& m, int attempt) {
  return {{"outbox_id", m.id},
          {"channel", m.channel},
          {"recipient", m.recipient},
          {"idempotency_key", m.idempotency_key},
          {"attempt", attempt}};
}

}  // namespace

dispatch_report dispatch_outbox(runtime& rt, const std::map<std::string, channel_sender*, std::less<>>& senders,
                                instant now, const retry_policy& policy, std::size_t limit) {
  dispatch_report report;
  outbox_query due;
  due.due_only = true;
  due.now = now;
  due.limit = limit;
  // Claimed before sending, so that two dispatchers never send one message (store.h, lease);
  // five minutes covers the slowest delivery a sender allows. A row whose outcome could not be
  // recorded is released for the next pass.
  outbox_store& outbox = rt.storage();
  const lease claim = new_lease(300);
  std::vector<std::int64_t> unrecorded;
  for (const outbox_entry& m : outbox.claim_outbox(due, claim)) {
    auto sender = senders.find(m.channel);
    const delivery_result sent = sender == senders.end()
                                     ? delivery_result::failed(fmt::format("no sender for channel {}", m.channel))
                                     : sender->second->send(m);
    const int attempt = m.attempts + 1;
    nlohmann::json data = outcome_data(m, attempt);
    std::string_view kind = event_kind::notification_delivered;
    if (!sent.delivered) {
      data["error"] = sent.error;
      if (attempt >= policy.max_attempts) {
        kind = event_kind::notification_dead;
      } else {
        kind = event_kind::notification_failed;
        data["next_attempt"] = format_instant_utc(instant{now.seconds + policy.delay_after(attempt)});
      }
    }
    auto recorded = record(rt, m.case_id, kind, std::move(data), now);
    if (!recorded) {
      ++report.skipped;
      unrecorded.push_back(m.id);
      continue;
    }
    if (kind == event_kind::notification_delivered) ++report.delivered;
    else if (kind == event_kind::notification_dead) ++report.dead;
    else ++report.failed;
    report.events.push_back(std::move(*recorded));
  }
  outbox.release_outbox(unrecorded, claim);
  return report;
}

std::string requeue_outbox(runtime& rt, std::int64_t outbox_id, std::string_view by, instant now) {
  outbox_store& outbox = rt.storage();
  auto m = outbox.find_outbox_entry(outbox_id);
  if (!m) return fmt::format("no outbox message {}", outbox_id);
  if (m->state == "delivered") return fmt::format("outbox message {} was already delivered", outbox_id);
  if (m->state == "pending" && m->attempts == 0) return fmt::format("outbox message {} has not failed", outbox_id);
  if (m->channel == k_no_channel)
    return fmt::format("outbox message {} was requested while no channel was configured (CASEFLOW_WEBHOOK_URL, "
                       "CASEFLOW_SMTP_URL or CASEFLOW_NOTIFY_LOG): it has nowhere to go and cannot be requeued",
                       outbox_id);
  auto recorded = record(rt, m->case_id, event_kind::notification_requeued,
                         {{"outbox_id", outbox_id}, {"by", std::string(by)}}, now);
  return recorded ? "" : fmt::format("could not record the requeue on case {}; try again", m->case_id);
}

}  // namespace caseflow
