// The outbox table as a projection of events. See caseflow/outbox.h.
#include <fmt/format.h>

#include "caseflow/outbox.h"
#include "caseflow/sqlite_store.h"
#include "store/sqlite/schema.h"

namespace caseflow {

namespace {

constexpr std::string_view k_outbox_columns =
    "SELECT id, case_id, event_id, channel, recipient, idempotency_key, payload, state, attempts, "
    "next_attempt_seconds, last_error, created_at FROM outbox";

outbox_entry read_outbox_row(SQLite::Statement& q) {
  outbox_entry o;
  o.id = q.getColumn(0).getInt64();
  o.case_id = q.getColumn(1).getString();
  o.event_id = q.getColumn(2).getInt64();
  o.channel = q.getColumn(3).getString();
  o.recipient = q.getColumn(4).getString();
  o.idempotency_key = q.getColumn(5).getString();
  o.payload = nlohmann::json::parse(q.getColumn(6).getString(), nullptr, false);
  o.state = q.getColumn(7).getString();
  o.attempts = q.getColumn(8).getInt();
  o.next_attempt = instant{q.getColumn(9).getInt64()};
  o.last_error = q.getColumn(10).getString();
  o.created_at = parse_instant(q.getColumn(11).getString()).value_or(instant{});
  return o;
}

void insert_messages(SQLite::Database& db, const event& e) {
  // A notification was routed when it was stored (its data.routed); a messages_requested event
  // names its messages itself.
  const auto messages = requested_messages(e);
  if (messages.empty()) return;
  // OR IGNORE: the same event, channel and recipient is one message.
  SQLite::Statement insert(db, "INSERT OR IGNORE INTO outbox(case_id, event_id, channel, recipient, idempotency_key, "
                               "payload, state, attempts, next_attempt_seconds, last_error, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)");
  for (const auto& m : messages) {
    insert.bind(1, e.case_id);
    insert.bind(2, e.id);
    insert.bind(3, m.channel);
    insert.bind(4, m.recipient);
    insert.bind(5, outbox_idempotency_key(e.hash, m.channel, m.recipient));
    insert.bind(6, m.payload.dump());
    const bool nowhere = m.channel == k_no_channel;  // a dead letter from the start (outbox.h)
    insert.bind(7, nowhere ? "dead" : "pending");
    insert.bind(8, std::max(m.not_before.seconds, e.at.seconds));
    insert.bind(9, nowhere ? std::string(k_no_channel_error) : std::string());
    insert.bind(10, format_instant_utc(e.at));
    insert.exec();
    insert.reset();
  }
}

void record_outcome(SQLite::Database& db, const event& e) {
  const std::int64_t id = e.data.value("outbox_id", std::int64_t{0});
  // The outcome ends the claim of the worker that delivered it (store.h, lease).
  SQLite::Statement update(db, "UPDATE outbox SET state = ?, attempts = ?, next_attempt_seconds = ?, last_error = ?, "
                               "claimed_by = NULL, lease_until_seconds = NULL WHERE id = ?");
  const std::string error = e.data.value("error", "");
  if (e.kind == event_kind::notification_delivered) {
    update.bind(1, "delivered");
    update.bind(2, e.data.value("attempt", 0));
    update.bind(3, e.at.seconds);
    update.bind(4, "");
  } else if (e.kind == event_kind::notification_failed) {
    update.bind(1, "pending");
    update.bind(2, e.data.value("attempt", 0));
    update.bind(3, parse_instant(e.data.value("next_attempt", "")).value_or(e.at).seconds);
    update.bind(4, error);
  } else if (e.kind == event_kind::notification_dead) {
    update.bind(1, "dead");
    update.bind(2, e.data.value("attempt", 0));
    update.bind(3, e.at.seconds);
    update.bind(4, error);
  } else {  // notification_requeued
    update.bind(1, "pending");
    update.bind(2, 0);
    update.bind(3, e.at.seconds);
    update.bind(4, "");
  }
  update.bind(5, id);
  update.exec();
}

}  // namespace

void detail::project_outbox(SQLite::Database& db, const event& stored) {
  if (stored.kind == event_kind::notification_delivered || stored.kind == event_kind::notification_failed ||
      stored.kind == event_kind::notification_dead || stored.kind == event_kind::notification_requeued)
    record_outcome(db, stored);
  else
    insert_messages(db, stored);
}

std::vector<outbox_entry> sqlite_store::outbox_entries(const outbox_query& query) {
  std::string sql(k_outbox_columns);
  sql += " WHERE 1";
  if (query.due_only) sql += " AND state = 'pending' AND next_attempt_seconds <= :now";
  if (query.failed_only) sql += " AND (state = 'dead' OR (state = 'pending' AND attempts > 0))";
  sql += query.due_only ? " ORDER BY next_attempt_seconds, id" : " ORDER BY id";
  if (query.limit) sql += " LIMIT :limit";
  SQLite::Statement q(detail::database_of(*this), sql);
  if (query.due_only) q.bind(":now", query.now.seconds);
  if (query.limit) q.bind(":limit", static_cast<std::int64_t>(query.limit));
  std::vector<outbox_entry> rows;
  while (q.executeStep()) rows.push_back(read_outbox_row(q));
  return rows;
}

std::optional<outbox_entry> sqlite_store::find_outbox_entry(std::int64_t id) {
  SQLite::Statement q(detail::database_of(*this), std::string(k_outbox_columns) + " WHERE id = ?");
  q.bind(1, id);
  if (q.executeStep()) return read_outbox_row(q);
  return std::nullopt;
}

}  // namespace caseflow
