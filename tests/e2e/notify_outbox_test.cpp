// End-to-end notifications: the complaint's escalation notices (hot within 1 working day,
// major at once and then weekly) travel through the transactional outbox to a webhook and an
// SMTP sink started by the test on 127.0.0.1; retries with backoff, the dead-letter state and
// requeueing; `kill -9` of `caseflow run` mid-delivery loses nothing; Chinese text survives;
// secrets never reach the database, the output or the log.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

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

  // Secrets: never in the database, its WAL, any output, or the log file.
  for (const auto& secret : {k_token, k_password}) {
    CHECK(read_bytes(s.dir().db()).value_or("").find(secret) == std::string::npos);
    CHECK(read_bytes(s.dir().db() + "-wal").value_or("").find(secret) == std::string::npos);
    CHECK(s.output().find(secret) == std::string::npos);
    CHECK(read_bytes(s.dir().file("notify.log")).value_or("").find(secret) == std::string::npos);
  }
}

TEST_CASE("notify: a webhook that fails twice is retried with backoff and delivered once it answers") {
  webhook_server hook;
  hook.fail_first = 2;
  notify_session s({{"CASEFLOW_WEBHOOK_URL", hook.url()}, {"CASEFLOW_RETRY_SECONDS", "10"}});
  const std::string id = s.open_complaint("2026-03-02T10:00+08:00");
  s.must("2026-03-02T10:30+08:00", {"tick"});  // the 30-minute forwarding limit: reminder and breach
  const auto n = s.json("2026-03-02T10:30+08:00", {"outbox"})["messages"].size();
  REQUIRE(n >= 1);

  CHECK(s.json("2026-03-02T10:30:00+08:00", {"dispatch"})["failed"] == std::min<std::size_t>(n, 2));
  // Backoff: the second attempt of the failures is due 10 s later, not before.
  CHECK(s.json("2026-03-02T10:30:05+08:00", {"dispatch"})["events"].empty());
  s.must("2026-03-02T10:30:10+08:00", {"dispatch"});
  s.must("2026-03-02T10:31:00+08:00", {"dispatch"});
  const nlohmann::json outbox = s.json("", {"outbox"});
  for (const auto& m : outbox["messages"]) CHECK(m["state"] == "delivered");
  CHECK(hook.requests().size() == n + 2);
  // The same key on the failed attempts and the delivery.
  const auto first = nlohmann::json::parse(hook.requests()[0].body)["idempotency_key"];
  const auto all = bodies(hook);
  CHECK(std::count_if(all.begin(), all.end(), [&](const nlohmann::json& d) { return d["idempotency_key"] == first; }) >= 2);
  const nlohmann::json history = s.json("", {"history", id});
  CHECK(count_kind(history, "notification_failed") == 2);
  CHECK(count_kind(history, "notification_delivered") == n);
  CHECK(s.json("", {"outbox", "--failed"})["messages"].empty());
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
