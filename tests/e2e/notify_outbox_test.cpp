// End-to-end notifications: the complaint's escalation notices (hot within 1 working day,
// major at once and then weekly) travel through the transactional outbox to a webhook and an
// SMTP sink started by the test on 127.0.0.1; retries with backoff, the dead-letter state and
// requeueing; `kill -9` of `caseflow run` mid-delivery loses nothing; Chinese text survives;
// secrets never reach the database, the output or the log.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "caseflow/value.h"

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"
#include "e2e/notify_servers.h"

namespace caseflow::test {
namespace {

const std::string k_token = "tok-SECRET-4711";
const std::string k_password = "pw-SECRET-0815";

class notify_session {
 public:
  explicit notify_session(env_list env) : env_(std::move(env)) {}
  run_result cf(const std::string& now, std::vector<std::string> args) {
    std::vector<std::string> all{"--procedures", k_processes, "--db", dir_.db()};
    if (!now.empty()) all.insert(all.end(), {"--now", now});
    all.insert(all.end(), args.begin(), args.end());
    run_result r = run_caseflow(all, dir_, env_);
    output_ += r.out + r.err;
    return r;
  }
  std::string must(const std::string& now, std::vector<std::string> args) {
    const run_result r = cf(now, std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  nlohmann::json json(const std::string& now, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    return nlohmann::json::parse(must(now, std::move(args)));
  }
  std::string open_complaint(const std::string& now) {
    const std::string out = must(now, {"--as", "zhang.wei", "start", "complaint", "--set", "customer=张三", "--set",
                                       "channel=phone", "--set", "summary=卫生间漏水"});
    return out.substr(0, out.size() - 1);
  }
  const scratch_dir& dir() const { return dir_; }
  const std::string& output() const { return output_; }
  env_list& env() { return env_; }

 private:
  scratch_dir dir_;
  env_list env_;
  std::string output_;
};

std::string unbase64(const std::string& text) {
  static const std::string k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    const auto at = k_alphabet.find(c);
    if (at == std::string::npos) continue;  // padding and line breaks
    bits = (bits << 6) | static_cast<unsigned>(at);
    if ((count += 6) >= 8) out.push_back(static_cast<char>((bits >> (count -= 8)) & 0xff));
  }
  return out;
}

// The decoded body of a mail written by the email channel (base64 after the blank line).
std::string mail_body(const std::string& data) {
  const auto start = data.find("\r\n\r\n");
  std::string b64 = data.substr(start + 4);
  return unbase64(b64.substr(0, b64.find("\r\n.\r\n")));
}

bool has_rule(const std::vector<nlohmann::json>& docs, const std::string& rule) {
  return std::any_of(docs.begin(), docs.end(), [&](const nlohmann::json& d) { return d["rule"] == rule; });
}

std::size_t count_kind(const nlohmann::json& history, const std::string& kind) {
  return static_cast<std::size_t>(std::count_if(history["events"].begin(), history["events"].end(),
                                                 [&](const nlohmann::json& e) { return e["kind"] == kind; }));
}

// A row of the outbox table as stored, with the rule of the event that enqueued it.
struct stored_message {
  std::int64_t id = 0;
  std::string rule;
  std::string channel;
  std::string recipient;
  std::string state;
  int attempts = 0;
  std::int64_t next_attempt = 0;  // seconds since the epoch
  std::string last_error;
  std::string idempotency_key;
};

// The outbox table of `db`, read with SQLite itself (not through caseflow), in id order.
std::vector<stored_message> outbox_table(const std::string& db) {
  SQLite::Database d(db, SQLite::OPEN_READONLY);
  SQLite::Statement q(d, "SELECT o.id, e.data, o.channel, o.recipient, o.state, o.attempts, o.next_attempt_seconds, "
                         "o.last_error, o.idempotency_key FROM outbox o JOIN events e ON e.id = o.event_id ORDER BY o.id");
  std::vector<stored_message> rows;
  while (q.executeStep())
    rows.push_back({q.getColumn(0).getInt64(), nlohmann::json::parse(q.getColumn(1).getString()).value("rule", ""),
                    q.getColumn(2).getString(), q.getColumn(3).getString(), q.getColumn(4).getString(),
                    q.getColumn(5).getInt(), q.getColumn(6).getInt64(), q.getColumn(7).getString(),
                    q.getColumn(8).getString()});
  return rows;
}

// "rule channel recipient" of every row, sorted.
std::vector<std::string> rules_channels_recipients(const std::vector<stored_message>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.rule + " " + r.channel + " " + r.recipient);
  std::sort(out.begin(), out.end());
  return out;
}

// Seconds since the epoch of a UTC date and time, worked out with <chrono>, not by caseflow.
std::int64_t utc_seconds(int year, unsigned month, unsigned day, int hour, int minute, int second = 0) {
  using namespace std::chrono;
  const sys_days date{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}};
  return duration_cast<seconds>(date.time_since_epoch()).count() + hour * 3600 + minute * 60 + second;
}

// `--now` text for a time given in seconds since the epoch.
std::string at_seconds(std::int64_t t) { return format_instant_utc(instant{t}); }

TEST_CASE("notify: the complaint's escalation notices reach a webhook and an SMTP sink through the outbox") {
  webhook_server hook;
  smtp_sink smtp;
  notify_session s({{"CASEFLOW_WEBHOOK_URL", hook.url()},
                    {"CASEFLOW_WEBHOOK_TOKEN", k_token},
                    {"CASEFLOW_SMTP_URL", smtp.url()},
                    {"CASEFLOW_SMTP_USER", "mailer"},
                    {"CASEFLOW_SMTP_PASSWORD", k_password}});
  s.env().push_back({"CASEFLOW_NOTIFY_LOG", s.dir().file("notify.log")});
  // Monday 2026-03-02 10:00 Beijing time, a working day.
  const std::string id = s.open_complaint("2026-03-02T10:00+08:00");

  // A week unresolved: severity becomes hot; the hot report is due within 1 working day.
  s.must("2026-03-09T10:00+08:00", {"tick"});
  s.must("2026-03-09T10:00+08:00", {"dispatch"});
  CHECK_FALSE(has_rule(bodies(hook), "hot_report"));
  s.must("2026-03-11T10:00+08:00", {"tick"});
  const nlohmann::json outbox_before = s.json("2026-03-11T10:00+08:00", {"outbox"});
  CHECK(std::any_of(outbox_before["messages"].begin(), outbox_before["messages"].end(),
                    [](const nlohmann::json& m) { return m["state"] == "pending"; }));
  s.must("2026-03-11T10:00+08:00", {"dispatch"});
  CHECK(has_rule(bodies(hook), "hot_report"));

  // A month unresolved: major, reported at once; then weekly.
  s.must("2026-04-03T10:00+08:00", {"tick"});
  s.must("2026-04-03T10:00+08:00", {"dispatch"});
  CHECK(has_rule(bodies(hook), "major_report"));
  CHECK_FALSE(has_rule(bodies(hook), "major_weekly_report"));
  s.must("2026-04-10T11:00+08:00", {"tick"});
  s.must("2026-04-10T11:00+08:00", {"dispatch"});
  CHECK(has_rule(bodies(hook), "major_weekly_report"));

  // Webhook documents: Chinese intact, idempotency key in header and body, the token sent.
  for (const auto& r : hook.requests()) {
    const auto doc = nlohmann::json::parse(r.body);
    CHECK(doc["case_id"] == id);
    CHECK(r.head.find("Idempotency-Key: " + doc["idempotency_key"].get<std::string>()) != std::string::npos);
    CHECK(r.head.find("Authorization: Bearer " + k_token) != std::string::npos);
  }
  const auto docs = bodies(hook);
  const auto hot = std::find_if(docs.begin(), docs.end(), [](const nlohmann::json& d) { return d["rule"] == "hot_report"; });
  REQUIRE(hot != docs.end());
  CHECK(hot->at("message").get<std::string>().find("热点投诉须在1个工作日内报公司") != std::string::npos);
  std::set<std::string> keys;
  for (const auto& d : docs) keys.insert(d["idempotency_key"].get<std::string>());
  CHECK(keys.size() == docs.size());  // each message once

  // E-mail: one per person of the notified roles (vp: 赵磊, group_coordinator: 孙丽).
  const auto mails = smtp.mails();
  auto mailed = [&](const std::string& address, const std::string& text) {
    return std::any_of(mails.begin(), mails.end(), [&](const smtp_sink::mail& m) {
      return !m.to.empty() && m.to.front().find(address) != std::string::npos && mail_body(m.data).find(text) != std::string::npos;
    });
  };
  CHECK(mailed("zhao.lei@example.com", "重大投诉：立即上报"));
  CHECK(mailed("sun.li@example.com", "重大投诉周报"));
  CHECK(mailed("wang.fang@example.com", "热点投诉"));
  CHECK(mailed("sun.li@example.com", "热点投诉"));

  // Every message delivered, each outcome an event on the case, and the log still verifies.
  const nlohmann::json outbox = s.json("", {"outbox"});
  REQUIRE_FALSE(outbox["messages"].empty());
  for (const auto& m : outbox["messages"]) CHECK(m["state"] == "delivered");
  const nlohmann::json history = s.json("", {"history", id});
  CHECK(count_kind(history, "notification_delivered") == outbox["messages"].size());
  s.must("", {"verify"});
  CHECK(read_bytes(s.dir().file("notify.log")).value_or("").find("重大投诉周报") != std::string::npos);

  // Exactly the rows the procedure calls for. The notifications (complaint.yaml): the forwarding
  // limit's 80% reminder (to the assignee) and its breach (cs_manager), hot_report (cs_manager,
  // group_coordinator), major_report and major_weekly_report (vp, group_coordinator); the
  // escalations that only raise the severity notify nobody. Each notification is one webhook
  // row and one log row, and one e-mail row per person it names who has an address
  // (actions/notify.cpp; people in org.yaml: cs_manager 王芳, group_coordinator 孙丽, vp 赵磊).
  // Nobody was assigned, so the reminder mails no one.
  const std::string reminder = "intake.forward_phone_email.reminder", breach = "intake.forward_phone_email";
  const std::vector<std::string> expected_rows = [&] {
    std::vector<std::string> rows{reminder + " webhook ", reminder + " log ",
                                  breach + " webhook ", breach + " log ", breach + " email wang.fang@example.com"};
    for (const std::string rule : {"hot_report", "major_report", "major_weekly_report"}) {
      rows.push_back(rule + " webhook ");
      rows.push_back(rule + " log ");
      rows.push_back(rule + " email " + (rule == "hot_report" ? "wang.fang" : "zhao.lei") + "@example.com");
      rows.push_back(rule + " email sun.li@example.com");
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }();
  const std::vector<stored_message> rows = outbox_table(s.dir().db());
  CHECK(rules_channels_recipients(rows) == expected_rows);  // 17 rows
  for (const auto& r : rows) CHECK(r.state == "delivered");
  CHECK(hook.requests().size() == 5);  // one POST per notification, each delivered at the first try
  CHECK(mails.size() == 7);            // one per e-mail row
  const std::string log = read_bytes(s.dir().file("notify.log")).value_or("");
  CHECK(std::count(log.begin(), log.end(), '\n') == 5);  // one line per notification

  // Secrets: never in the database, its WAL, any output, or the log file.
  for (const auto& secret : {k_token, k_password}) {
    CHECK(read_bytes(s.dir().db()).value_or("").find(secret) == std::string::npos);
    CHECK(read_bytes(s.dir().db() + "-wal").value_or("").find(secret) == std::string::npos);
    CHECK(s.output().find(secret) == std::string::npos);
    CHECK(read_bytes(s.dir().file("notify.log")).value_or("").find(secret) == std::string::npos);
  }
}

TEST_CASE("notify: with no channel configured a notice is a dead letter that says so, never lost in silence") {
  notify_session s({});  // no CASEFLOW_WEBHOOK_URL, CASEFLOW_SMTP_URL or CASEFLOW_NOTIFY_LOG
  const std::string id = s.open_complaint("2026-03-02T10:00+08:00");
  // The intake limit (30 working minutes) reminds the assignee at 80% (10:24) and, breached at
  // 10:30, notifies the manager: two notices, each a dead letter.
  s.must("2026-03-02T10:31+08:00", {"tick"});
  const nlohmann::json all = s.json("2026-03-02T10:32+08:00", {"outbox"})["messages"];
  REQUIRE(all.size() == 2);
  std::vector<std::string> rules;
  for (const auto& m : all) {
    CHECK(m["case_id"] == id);
    CHECK(m["channel"] == "none");
    CHECK(m["state"] == "dead");
    CHECK(m["attempts"] == 0);
    CHECK(m["last_error"] == "no channel configured");
    rules.push_back(m["payload"]["rule"]);
  }
  CHECK(rules == std::vector<std::string>{"intake.forward_phone_email.reminder", "intake.forward_phone_email"});
  const nlohmann::json messages = nlohmann::json::array({all[1]});
  CHECK(messages[0]["payload"]["recipients"][0]["id"] == "wang.fang");
  // Nothing to send, and it cannot be requeued; the log still verifies.
  CHECK(s.must("2026-03-02T10:33+08:00", {"dispatch"}).find("delivered 0") != std::string::npos);
  const std::string row = std::to_string(messages[0]["id"].get<std::int64_t>());
  const run_result retry = s.cf("2026-03-02T10:34+08:00", {"--as", "yang.guang", "outbox", "retry", row});
  CHECK(retry.exit_code == 1);
  CHECK(retry.err == "caseflow: outbox message " + row +
                         " was requested while no channel was configured (CASEFLOW_WEBHOOK_URL, CASEFLOW_SMTP_URL or "
                         "CASEFLOW_NOTIFY_LOG): it has nowhere to go and cannot be requeued\n");
  CHECK(s.cf("", {"verify"}).exit_code == 0);
}

TEST_CASE("notify: a webhook that fails twice is retried with backoff and delivered once it answers") {
  webhook_server hook;
  hook.fail_first = 2;
  notify_session s({{"CASEFLOW_WEBHOOK_URL", hook.url()}, {"CASEFLOW_RETRY_SECONDS", "10"}});
  const std::string id = s.open_complaint("2026-03-02T10:00+08:00");
  // The 30-minute forwarding limit (30m working from Monday 10:00, within working hours) has
  // its 80% reminder at 10:24 and its breach at 10:30: two notifications, and with only the
  // webhook configured one row each (actions/notify.cpp).
  s.must("2026-03-02T10:30+08:00", {"tick"});
  const std::vector<stored_message> queued = outbox_table(s.dir().db());
  REQUIRE(queued.size() == 2);
  CHECK(queued[0].rule == "intake.forward_phone_email.reminder");
  CHECK(queued[1].rule == "intake.forward_phone_email");

  // The server fails the first two requests: both rows, at 10:30:00 (02:30:00 UTC).
  const std::int64_t failed_at = utc_seconds(2026, 3, 2, 2, 30);
  CHECK(s.json("2026-03-02T10:30:00+08:00", {"dispatch"})["failed"] == 2);
  for (const auto& row : outbox_table(s.dir().db())) {
    CHECK(row.state == "pending");
    CHECK(row.attempts == 1);
    CHECK(row.next_attempt == failed_at + 10);  // CASEFLOW_RETRY_SECONDS: the first delay
    CHECK(row.last_error == "webhook: HTTP 500");
  }
  // Backoff: the second attempt is due 10 s later, not before.
  CHECK(s.json("2026-03-02T10:30:05+08:00", {"dispatch"})["events"].empty());
  CHECK(s.json("2026-03-02T10:30:10+08:00", {"dispatch"})["delivered"] == 2);
  CHECK(s.json("2026-03-02T10:31:00+08:00", {"dispatch"})["events"].empty());
  const std::vector<stored_message> rows = outbox_table(s.dir().db());
  REQUIRE(rows.size() == 2);
  for (const auto& row : rows) {
    CHECK(row.state == "delivered");
    CHECK(row.attempts == 2);
    CHECK(row.last_error == "");
  }
  // Four requests: each row failed once and was delivered once, with one key both times.
  const auto all = bodies(hook);
  REQUIRE(all.size() == 4);
  CHECK(all[0]["idempotency_key"] == rows[0].idempotency_key);
  CHECK(all[1]["idempotency_key"] == rows[1].idempotency_key);
  CHECK(all[2]["idempotency_key"] == rows[0].idempotency_key);
  CHECK(all[3]["idempotency_key"] == rows[1].idempotency_key);
  const nlohmann::json history = s.json("", {"history", id});
  CHECK(count_kind(history, "notification_failed") == 2);
  CHECK(count_kind(history, "notification_delivered") == 2);
  CHECK(s.json("", {"outbox", "--failed"})["messages"].empty());
}

TEST_CASE("notify: two dispatchers at once send each message once: rows are claimed before they are sent") {
  webhook_server hook;
  hook.delay_ms = 100;  // slow enough that the two passes overlap
  notify_session s({{"CASEFLOW_WEBHOOK_URL", hook.url()}});
  for (int i = 0; i < 10; ++i) s.open_complaint("2026-03-02T10:00+08:00");
  s.must("2026-03-02T10:25+08:00", {"tick"});  // each complaint's 80% reminder: one webhook row each
  REQUIRE(outbox_table(s.dir().db()).size() == 10);

  const std::vector<std::string> args{"--procedures", k_processes,  "--db", s.dir().db(), "--now",
                                      "2026-03-02T10:25+08:00", "--json", "dispatch"};
  child first(CASEFLOW_BINARY, args, s.env(), s.dir().path());
  child second(CASEFLOW_BINARY, args, s.env(), s.dir().path());
  int delivered = 0;
  for (const run_result& r : {first.wait(), second.wait()}) {
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    delivered += nlohmann::json::parse(r.out)["delivered"].get<int>();
  }
  CHECK(delivered == 10);
  CHECK(hook.requests().size() == 10);
  for (const auto& row : outbox_table(s.dir().db())) {
    CHECK(row.state == "delivered");
    CHECK(row.attempts == 1);
  }
  SQLite::Database db(s.dir().db());
  CHECK(db.execAndGet("SELECT count(*) FROM events WHERE kind = 'notification_delivered'").getInt() == 10);
  CHECK(db.execAndGet("SELECT count(*) FROM outbox WHERE claimed_by IS NOT NULL").getInt() == 0);
}

TEST_CASE("notify: a webhook that keeps failing is retried after 30, 60, 120 and 240 s, is dead after 5 attempts, "
          "and is requeued") {
  webhook_server hook;
  hook.fail_first = 1000;
  notify_session s({{"CASEFLOW_WEBHOOK_URL", hook.url()}});  // the default retry policy
  const std::string id = s.open_complaint("2026-03-02T10:00+08:00");
  s.must("2026-03-02T10:25+08:00", {"tick"});  // only the 80% reminder (10:24): one webhook row
  REQUIRE(outbox_table(s.dir().db()).size() == 1);

  // retry_policy (caseflow/outbox.h): attempt n that fails is retried 30 s * 2^(n-1) later;
  // the fifth failure is dead. Every failure is HTTP 500 from the test's server.
  const std::int64_t first = utc_seconds(2026, 3, 2, 2, 25);  // 10:25 Beijing time
  const std::vector<std::int64_t> delays{30, 60, 120, 240};
  std::int64_t t = first;
  for (int attempt = 1; attempt <= 4; ++attempt) {
    CAPTURE(attempt);
    if (attempt > 1) CHECK(s.json(at_seconds(t - 1), {"dispatch"})["events"].empty());  // not due yet
    const nlohmann::json pass = s.json(at_seconds(t), {"dispatch"});
    CHECK(pass["failed"] == 1);
    const std::vector<stored_message> rows = outbox_table(s.dir().db());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].state == "pending");
    CHECK(rows[0].attempts == attempt);
    CHECK(rows[0].next_attempt == t + delays[static_cast<std::size_t>(attempt - 1)]);
    CHECK(rows[0].last_error == "webhook: HTTP 500");
    t += delays[static_cast<std::size_t>(attempt - 1)];
  }
  CHECK(t == first + 450);
  CHECK(s.json(at_seconds(t - 1), {"dispatch"})["events"].empty());
  CHECK(s.json(at_seconds(t), {"dispatch"})["dead"] == 1);
  const std::vector<stored_message> dead = outbox_table(s.dir().db());
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].state == "dead");
  CHECK(dead[0].attempts == 5);
  CHECK(dead[0].next_attempt == t);
  CHECK(dead[0].last_error == "webhook: HTTP 500");
  CHECK(s.json(at_seconds(t + 3600), {"dispatch"})["events"].empty());  // dead stays dead
  CHECK(hook.requests().size() == 5);

  // The case's log: four failures, each naming its attempt and next time, then the dead letter.
  const nlohmann::json history = s.json("", {"history", id});
  std::vector<nlohmann::json> outcomes;
  for (const auto& e : history["events"])
    if (e["kind"].get<std::string>().rfind("notification_", 0) == 0 && e["kind"] != "notification_requested")
      outcomes.push_back(e);
  REQUIRE(outcomes.size() == 5);
  std::int64_t at = first;
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(outcomes[i]["kind"] == "notification_failed");
    CHECK(outcomes[i]["data"]["attempt"] == i + 1);
    CHECK(outcomes[i]["data"]["error"] == "webhook: HTTP 500");
    CHECK(outcomes[i]["data"]["next_attempt"] == at_seconds(at + delays[i]));
    at += delays[i];
  }
  CHECK(outcomes[4]["kind"] == "notification_dead");
  CHECK(outcomes[4]["data"]["attempt"] == 5);
  CHECK(outcomes[4]["data"]["error"] == "webhook: HTTP 500");
  CHECK_FALSE(outcomes[4]["data"].contains("next_attempt"));

  // Requeued by the manager: pending again, due at once, attempts and error cleared.
  const std::int64_t requeued_at = t + 7200;
  const std::string row_id = std::to_string(dead[0].id);
  CHECK(s.must(at_seconds(requeued_at), {"--as", "wang.fang", "outbox", "retry", row_id}) ==
        "outbox message " + row_id + " requeued\n");
  const nlohmann::json after = s.json("", {"history", id});
  REQUIRE_FALSE(after["events"].empty());
  const nlohmann::json& requeue = after["events"].back();
  CHECK(requeue["kind"] == "notification_requeued");
  CHECK(requeue["data"] == nlohmann::json{{"outbox_id", dead[0].id}, {"by", "wang.fang"}});
  const std::vector<stored_message> pending = outbox_table(s.dir().db());
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].state == "pending");
  CHECK(pending[0].attempts == 0);
  CHECK(pending[0].next_attempt == requeued_at);
  CHECK(pending[0].last_error == "");
  CHECK(s.json("", {"outbox", "--failed"})["messages"].empty());

  // The server answers again: delivered at the first attempt after the requeue, with the same key.
  hook.fail_first = 5;
  const nlohmann::json delivered = s.json(at_seconds(requeued_at), {"dispatch"});
  CHECK(delivered["delivered"] == 1);
  REQUIRE(delivered["events"].size() == 1);
  CHECK(delivered["events"][0]["data"]["attempt"] == 1);
  const std::vector<stored_message> done = outbox_table(s.dir().db());
  REQUIRE(done.size() == 1);
  CHECK(done[0].state == "delivered");
  CHECK(done[0].attempts == 1);
  const auto all = bodies(hook);
  REQUIRE(all.size() == 6);
  for (const auto& d : all) CHECK(d["idempotency_key"] == done[0].idempotency_key);
  s.must("", {"verify"});
}

TEST_CASE("notify: a webhook that never answers times out, goes dead, and can be requeued") {
  webhook_server hook;
  hook.hang = true;
  notify_session s({{"CASEFLOW_WEBHOOK_URL", hook.url()},
                    {"CASEFLOW_WEBHOOK_TIMEOUT", "1"},
                    {"CASEFLOW_MAX_ATTEMPTS", "2"},
                    {"CASEFLOW_RETRY_SECONDS", "10"}});
  s.open_complaint("2026-03-02T10:00+08:00");
  s.must("2026-03-02T10:25+08:00", {"tick"});  // only the 80% reminder (10:24)
  REQUIRE(s.json("", {"outbox"})["messages"].size() == 1);
  const nlohmann::json first = s.json("2026-03-02T10:25+08:00", {"dispatch"});
  CHECK(first["failed"] == 1);
  REQUIRE(first["events"].size() == 1);
  CHECK(first["events"][0]["data"]["error"].get<std::string>().find("webhook: Timeout") != std::string::npos);
  CHECK(s.json("2026-03-02T10:26+08:00", {"dispatch"})["dead"] == 1);
  const nlohmann::json failed = s.json("", {"outbox", "--failed"});
  REQUIRE(failed["messages"].size() == 1);
  CHECK(failed["messages"][0]["state"] == "dead");
  CHECK(s.json("2026-03-02T10:27+08:00", {"dispatch"})["events"].empty());  // dead stays dead

  hook.hang = false;
  const std::string id = std::to_string(failed["messages"][0]["id"].get<int>());
  s.must("2026-03-02T10:28+08:00", {"--as", "wang.fang", "outbox", "retry", id});
  check_refused(s.dir().db(), [&] { return s.cf("2026-03-02T10:28+08:00", {"outbox", "retry", id}); },  // pending
                "caseflow: outbox message " + id + " has not failed\n");
  CHECK(s.json("2026-03-02T10:28+08:00", {"dispatch"})["delivered"] == 1);
  CHECK(s.json("", {"outbox"})["messages"][0]["state"] == "delivered");
  check_refused(s.dir().db(), [&] { return s.cf("", {"outbox", "retry", "999"}); },
                "caseflow: no outbox message 999\n");
}

TEST_CASE("notify: kill -9 of `caseflow run` in the middle of a delivery loses nothing") {
  webhook_server hook;
  hook.hang = true;  // the first delivery hangs until the runner is killed
  notify_session s({{"CASEFLOW_WEBHOOK_URL", hook.url()}, {"CASEFLOW_WEBHOOK_TIMEOUT", "30"}});
  const std::string id = s.open_complaint("2026-03-02T10:00+08:00");
  s.must("2026-03-02T10:30+08:00", {"tick"});
  const std::string pid_file = s.dir().file("run.pid");
  env_list env = s.env();
  std::vector<std::string> args{"-c", "echo $$ > " + pid_file + "; exec " + std::string(CASEFLOW_BINARY) +
                                          " --procedures " + k_processes + " --db " + s.dir().db() +
                                          " run --poll 0.2"};
  child runner("/bin/sh", args, env, s.dir().path());
  for (int i = 0; i < 400 && hook.requests().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  REQUIRE_FALSE(hook.requests().empty());
  const pid_t pid = std::stoi(read_bytes(pid_file).value_or("0"));
  REQUIRE(pid > 0);
  ::kill(pid, SIGKILL);
  CHECK(runner.wait().exit_code == 128 + SIGKILL);

  hook.hang = false;
  const nlohmann::json pending = s.json("", {"outbox"});
  REQUIRE_FALSE(pending["messages"].empty());
  s.must("", {"dispatch"});
  const nlohmann::json outbox = s.json("", {"outbox"});
  std::set<std::string> received;
  for (const auto& d : bodies(hook)) received.insert(d["idempotency_key"].get<std::string>());
  for (const auto& m : outbox["messages"]) {
    CHECK(m["state"] == "delivered");
    CHECK(received.count(m["idempotency_key"].get<std::string>()) == 1);
  }
  // The interrupted message went out twice with one key: the receiver can drop the copy.
  CHECK(hook.requests().size() == outbox["messages"].size() + 1);
  CHECK(count_kind(s.json("", {"history", id}), "notification_delivered") == outbox["messages"].size());
  s.must("", {"verify"});
}

}  // namespace
}  // namespace caseflow::test
