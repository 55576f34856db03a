// Holding the stored projection, timers and outbox to the log. See audit/stored_tables.h.
#include "audit/stored_tables.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "caseflow/core.h"
#include "caseflow/replay.h"

namespace caseflow::detail {

namespace {

constexpr std::size_t k_differences_shown = 5;

std::string deadline_text(const case_deadline& d) {
  return fmt::format("{} {}{}{} (calendar {})", d.kind, format_instant_utc(d.due), d.breached ? ", breached" : "",
                     d.provisional ? ", provisional" : "", d.calendar_version.empty() ? "-" : d.calendar_version);
}

// The state and attempts the delivery events give a row: its last outcome, after any requeue.
struct row_fold {
  std::string state = "pending";
  int attempts = 0;
};

}  // namespace

std::vector<finding> check_stored_tables(const case_record& record, const case_state& rebuilt,
                                         const std::vector<event>& events, const std::vector<case_deadline>& timers,
                                         const std::vector<outbox_entry>& rows) {
  std::vector<finding> findings;
  auto add = [&](std::string rule, std::string message) {
    findings.push_back({record.id, rebuilt.seq, std::move(rule), std::move(message)});
  };

  // The projection: its columns and its state, against the fold of the log.
  if (record.step != rebuilt.step || record.open != rebuilt.open || record.assignee != rebuilt.assignee)
    add("projection", fmt::format("the case row says step '{}', {}, assignee '{}'; its log gives step '{}', {}, "
                                  "assignee '{}'",
                                  record.step, record.open ? "open" : "closed", record.assignee, rebuilt.step,
                                  rebuilt.open ? "open" : "closed", rebuilt.assignee));
  const std::vector<std::string> differences = json_differences(record.state, state_to_json(rebuilt));
  for (std::size_t i = 0; i < differences.size() && i < k_differences_shown; ++i)
    add("projection", fmt::format("the stored state differs from the fold of its log: {}", differences[i]));

  // The timers: one per folded deadline, equal to it.
  std::map<std::string, const case_deadline*> wanted;
  for (const auto& d : rebuilt.deadlines) wanted[d.rule] = &d;
  std::map<std::string, const case_deadline*> kept;
  for (const auto& t : timers) kept[t.rule] = &t;
  for (const auto& [rule, d] : wanted) {
    auto it = kept.find(rule);
    if (it == kept.end())
      add("timers", fmt::format("the timer {} is missing: its log has it {}", rule, deadline_text(*d)));
    else if (it->second->kind != d->kind || it->second->due != d->due || it->second->breached != d->breached ||
             it->second->provisional != d->provisional || it->second->calendar_version != d->calendar_version)
      add("timers", fmt::format("the timer {} is kept as {}; its log has it {}", rule, deadline_text(*it->second),
                                deadline_text(*d)));
  }
  for (const auto& [rule, t] : kept)
    if (!wanted.count(rule)) add("timers", fmt::format("the timer {} is kept but its log has no such deadline", rule));

  // The outbox: each row belongs to the event that caused it and is what its outcomes made it.
  std::map<std::int64_t, const event*> by_id;
  std::map<std::int64_t, row_fold> folded;
  for (const auto& e : events) {
    by_id[e.id] = &e;
    const std::int64_t row = e.data.is_object() ? e.data.value("outbox_id", std::int64_t{0}) : 0;
    if (row == 0) continue;
    row_fold& f = folded[row];
    if (e.kind == event_kind::notification_delivered) f = {"delivered", e.data.value("attempt", 0)};
    else if (e.kind == event_kind::notification_failed) f = {"pending", e.data.value("attempt", 0)};
    else if (e.kind == event_kind::notification_dead) f = {"dead", e.data.value("attempt", 0)};
    else if (e.kind == event_kind::notification_requeued) f = {"pending", 0};
  }
  for (const auto& row : rows) {
    auto cause = by_id.find(row.event_id);
    if (cause == by_id.end()) {
      add("outbox", fmt::format("outbox row {} names event {}, which is not an event of this case", row.id, row.event_id));
      continue;
    }
    const event& e = *cause->second;
    if (row.idempotency_key != outbox_idempotency_key(e.hash, row.channel, row.recipient))
      add("outbox", fmt::format("outbox row {} has an idempotency key that is not its event's, channel's and "
                                "recipient's: its event, channel or recipient was changed",
                                row.id));
    // A message the event names (a notification routed before caseflow recorded its routing
    // names none: its payload cannot be checked).
    if (e.kind == event_kind::messages_requested || e.data.contains(k_routed_key)) {
      const auto requested = requested_messages(e);
      const bool found = std::any_of(requested.begin(), requested.end(), [&](const outbound_message& m) {
        return m.channel == row.channel && m.recipient == row.recipient && m.payload == row.payload;
      });
      if (!found)
        add("outbox", fmt::format("outbox row {} is not a message its event {} requested: its payload, channel or "
                                  "recipient was changed",
                                  row.id, e.seq));
    }
    // A notification with no channel is dead from the start (outbox.h, k_no_channel).
    const row_fold initial = row.channel == k_no_channel ? row_fold{"dead", 0} : row_fold{};
    const row_fold f = folded.count(row.id) ? folded[row.id] : initial;
    if (row.state != f.state || row.attempts != f.attempts)
      add("outbox", fmt::format("outbox row {} is {} after {} attempt{}; its log gives {} after {}", row.id, row.state,
                                row.attempts, row.attempts == 1 ? "" : "s", f.state, f.attempts));
    folded.erase(row.id);
  }
  for (const auto& [row, f] : folded)
    add("outbox", fmt::format("the log records outcomes of outbox row {}, which is missing", row));
  return findings;
}

}  // namespace caseflow::detail
