// verify holds every table caseflow keeps beside the log to the log (caseflow/verify.h): edits
// made with SQLite that touch no event — a case hidden from `list --open`, a deleted timer, an
// outbox row marked delivered or moved to another event — fail verify (exit 4) and name the
// table's rule.
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

// A complaint opened at 10:00 and ticked at 10:25 (its 80% reminder fires and asks for a
// notification; the webhook channel makes that one outbox row, pending: it is never sent).
class tampered_desk {
 public:
  tampered_desk() {
    id_ = s_.start("zhang.wei", "2026-03-02T10:00+08:00", "complaint",
                   {"customer=张三", "channel=phone", "summary=卫生间漏水"});
    const run_result ticked = cf("2026-03-02T10:25+08:00", {"tick"});
    INFO("stderr: ", ticked.err);
    REQUIRE(ticked.exit_code == 0);
    REQUIRE(cf("2026-03-02T10:26+08:00", {"verify"}).exit_code == 0);
    SQLite::Database db(s_.dir().db());
    REQUIRE(db.execAndGet("SELECT count(*) FROM outbox").getInt() == 1);
    REQUIRE(db.execAndGet("SELECT count(*) FROM timers WHERE case_id = '" + id_ + "'").getInt() >= 1);
  }
  run_result cf(const std::string& now, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--now", now});
    return run_caseflow(s_.argv(std::move(args)), s_.dir(), {{"CASEFLOW_WEBHOOK_URL", "http://127.0.0.1:9/never"}});
  }
  void tamper(const std::string& sql) const {
    SQLite::Database db(s_.dir().db(), SQLite::OPEN_READWRITE);
    REQUIRE(db.exec(sql) >= 1);
  }
  // verify's output, which must fail.
  std::string failed_verify() const {
    const run_result r = cf("2026-03-02T10:30+08:00", {"verify"});
    CHECK(r.exit_code == 4);
    return r.out;
  }
  const std::string& id() const { return id_; }
  const scratch_dir& dir() const { return s_.dir(); }

 private:
  cli_session s_;
  std::string id_;
};

TEST_CASE("verify: a case row edited to hide the case from list --open") {
  tampered_desk d;
  d.tamper("UPDATE cases SET open = 0, step = 'closed'");
  const std::string out = d.failed_verify();
  CHECK(contains(out, "case " + d.id() + " event "));
  CHECK(contains(out, ": [projection] the case row says step 'closed', closed, assignee ''; its log gives step "
                      "'intake', open, assignee ''\n"));
}

TEST_CASE("verify: a case's stored state edited") {
  tampered_desk d;
  d.tamper("UPDATE cases SET state = json_set(state, '$.fields.summary', '没有漏水')");
  CHECK(contains(d.failed_verify(), ": [projection] the stored state differs from the fold of its log: "
                                    "fields.summary: stored \"没有漏水\", replayed \"卫生间漏水\"\n"));
}

TEST_CASE("verify: a deleted timer (the escalation would never fire)") {
  tampered_desk d;
  d.tamper("DELETE FROM timers WHERE rule = 'intake.forward_phone_email'");
  CHECK(contains(d.failed_verify(), ": [timers] the timer intake.forward_phone_email is missing: its log has it "
                                    "limit 2026-03-02T02:30:00Z"));
}

TEST_CASE("verify: an outbox row marked delivered, or moved to another event") {
  tampered_desk d;
  d.tamper("UPDATE outbox SET state = 'delivered', attempts = 1");
  CHECK(contains(d.failed_verify(), ": [outbox] outbox row 1 is delivered after 1 attempt; its log gives pending "
                                    "after 0\n"));
  d.tamper("UPDATE outbox SET state = 'pending', attempts = 0, event_id = 1");
  CHECK(contains(d.failed_verify(), ": [outbox] outbox row 1 has an idempotency key that is not its event's, "
                                    "channel's and recipient's: its event, channel or recipient was changed\n"));
  d.tamper("UPDATE outbox SET event_id = 999");
  CHECK(contains(d.failed_verify(), ": [outbox] outbox row 1 names event 999, which is not an event of this case\n"));
}

// The head verify prints, written down and checked later with --head.
TEST_CASE("verify --head: a head written down still holds, and a truncated or rewritten log is found") {
  tampered_desk d;
  const run_result first = d.cf("2026-03-02T10:26+08:00", {"--json", "verify"});
  REQUIRE(first.exit_code == 0);
  const std::string head = nlohmann::json::parse(first.out)["head"];
  const std::string count = head.substr(0, head.find(':'));
  // Later commands keep the head: the log still holds it.
  REQUIRE(d.cf("2026-03-02T10:27+08:00", {"--as", "zhang.wei", "note", d.id(), "回电"}).exit_code == 0);
  const run_result later = d.cf("2026-03-02T10:28+08:00", {"verify", "--head", head});
  INFO("stdout: ", later.out);
  CHECK(later.exit_code == 0);
  // A head that was never this log's: the log was rewritten up to it.
  const std::string other = count + ":" + std::string(64, 'a');
  const run_result rewritten = d.cf("2026-03-02T10:28+08:00", {"verify", "--head", other});
  CHECK(rewritten.exit_code == 4);
  CHECK(contains(rewritten.out, "[head] event " + count + " has the hash " + head.substr(head.find(':') + 1) +
                                    ", not the one written down (" + std::string(64, 'a') +
                                    "): the log was rewritten up to it\n"));
  // The tail cut off below the head.
  d.tamper("DELETE FROM events WHERE id >= " + count);
  const run_result truncated = d.cf("2026-03-02T10:28+08:00", {"verify", "--head", head});
  CHECK(truncated.exit_code == 4);
  CHECK(contains(truncated.out, "[head] the log has no event " + count + ": it was truncated after the head " + head +
                                    " was written down\n"));
  // A head that is not one.
  const run_result bad = d.cf("2026-03-02T10:28+08:00", {"verify", "--head", "12"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "caseflow: --head '12': give the head as verify printed it, N:HASH (an event count and 64 hex "
                   "digits)\n");
}

TEST_CASE("verify: a routed notification's outbox payload reworded") {
  tampered_desk d;
  // The tick's reminder was routed to the webhook channel, and the event recorded what it made.
  {
    SQLite::Database db(d.dir().db());
    REQUIRE(db.execAndGet("SELECT count(*) FROM events WHERE kind = 'notification_requested' AND "
                          "json_extract(data, '$.routed[0].channel') = 'webhook'")
                .getInt() == 1);
  }
  d.tamper("UPDATE outbox SET payload = json_set(payload, '$.message', '一切正常，无需处理')");
  const std::string out = d.failed_verify();
  CHECK(contains(out, ": [outbox] outbox row 1 is not a message its event "));
  CHECK(contains(out, " requested: its payload, channel or recipient was changed\n"));
}

TEST_CASE("verify: a stored personal value reworded, without touching its digest") {
  tampered_desk d;
  d.tamper("UPDATE personal_data SET value = '李四' WHERE field = 'customer'");
  CHECK(contains(d.failed_verify(), "[personal] the stored value of 'customer' (digest "));
  CHECK(contains(d.failed_verify(), ") does not match its digest: it was changed after it was recorded\n"));
}

TEST_CASE("verify: a personal value erased with SQLite, by no one the log names") {
  tampered_desk d;
  d.tamper("UPDATE personal_data SET value = NULL, digest_key = NULL WHERE field = 'customer'");
  CHECK(contains(d.failed_verify(), "[personal] the value of 'customer' (digest "));
  CHECK(contains(d.failed_verify(), ") is gone but no personal_data_erased event names the field\n"));
}

TEST_CASE("verify: a personal value's row deleted") {
  tampered_desk d;
  d.tamper("DELETE FROM personal_data WHERE field = 'customer'");
  const std::string out = d.failed_verify();
  CHECK(contains(out, "case " + d.id() + " event 1: [personal] the value of 'customer' this event recorded is missing "
                      "from personal_data (digest "));
}

TEST_CASE("verify: a row planted in personal_data") {
  tampered_desk d;
  d.tamper("INSERT INTO personal_data(digest, case_id, field, value, scheme, digest_key) VALUES ('" +
           std::string(64, 'b') + "', '" + d.id() + "', 'phone', '13900000000', 'hmac-sha256', '" + std::string(64, 'c') +
           "')");
  CHECK(contains(d.failed_verify(), "[personal] personal_data holds a value of 'phone' (digest bbbbbbbbbbbb) that no "
                                    "event of the case recorded\n"));
}

}  // namespace
}  // namespace caseflow::test
