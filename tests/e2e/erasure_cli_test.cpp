// `caseflow erase`: personal values leave the database, the log still verifies and replays,
// readers print "[erased]", and only the admin role may erase.
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::string k_erasure_now = "2026-03-02T10:00+08:00";
const std::string k_later = "2026-03-03T10:00+08:00";
const std::string k_phone = "13912345678";

class erase_session {
 public:
  run_result cf(std::vector<std::string> args) const {
    std::vector<std::string> all{"--procedures", k_processes, "--db", dir_.db()};
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir_);
  }
  run_result as(const std::string& user, std::vector<std::string> args, const std::string& now = k_later) const {
    args.insert(args.begin(), {"--as", user, "--now", now});
    return cf(std::move(args));
  }
  std::string open_complaint(const std::string& customer) const {
    const run_result r = as("zhang.wei",
                            {"start", "complaint", "--set", "customer=" + customer, "--set", "phone=" + k_phone, "--set",
                             "channel=phone", "--set", "summary=卫生间漏水"},
                            k_erasure_now);
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.size() - 1);
  }
  nlohmann::json json(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--json", "--now", k_later});
    const run_result r = cf(std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
  void passes_verify_and_replay() const {
    const run_result verify = cf({"--now", k_later, "verify"});
    INFO("verify: ", verify.out, verify.err);
    CHECK(verify.exit_code == 0);
    const run_result replay = cf({"replay"});
    INFO("replay: ", replay.out, replay.err);
    CHECK(replay.exit_code == 0);
  }
  const scratch_dir& dir() const { return dir_; }

 private:
  scratch_dir dir_;
};

TEST_CASE("erase: a personal field leaves the database, readers print [erased], verify and replay still pass") {
  erase_session s;
  const std::string id = s.open_complaint("张三");
  REQUIRE(contains(read_bytes(s.dir().db()).value_or(""), k_phone));

  const run_result r = s.as("yang.guang", {"erase", "--case", id, "--field", "phone"});
  INFO("stderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == id + ": erased phone (yang.guang as admin)\n");

  // Not in the file at all: not in personal_data, not in the projection, not in freed space.
  CHECK_FALSE(contains(read_bytes(s.dir().db()).value_or(""), k_phone));
  CHECK_FALSE(contains(read_bytes(s.dir().db() + "-wal").value_or(""), k_phone));
  {
    SQLite::Database db(s.dir().db());
    SQLite::Statement q(db, "SELECT value IS NULL, erased_by, erased_at FROM personal_data WHERE case_id = ? AND field = 'phone'");
    q.bind(1, id);
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);
    CHECK(q.getColumn(1).getString() == "yang.guang");
    CHECK(q.getColumn(2).getString() == "2026-03-03T02:00:00Z");
    CHECK(db.execAndGet("SELECT count(*) FROM personal_data WHERE field = 'customer' AND value = '张三'").getInt() == 1);
  }

  const nlohmann::json shown = s.json({"show", id});
  CHECK(shown["fields"]["phone"] == "[erased]");
  CHECK(shown["fields"]["customer"] == "张三");
  const run_result text = s.cf({"--now", k_later, "show", id});
  const auto phone_line = text.out.substr(text.out.find("\nphone "), text.out.find('\n', text.out.find("\nphone ") + 1) - text.out.find("\nphone "));
  CHECK(phone_line.ends_with("[erased]"));

  const nlohmann::json history = s.json({"history", id});
  CHECK(history["events"][0]["data"]["fields"]["phone"] == "[erased]");
  CHECK(history["events"][0]["data"]["fields"]["customer"] == "张三");
  const nlohmann::json& erasure = history["events"].back();
  CHECK(erasure["kind"] == "personal_data_erased");
  CHECK(erasure["actor"] == "yang.guang");
  CHECK(erasure["role"] == "admin");
  CHECK(erasure["at"] == "2026-03-03T02:00:00Z");
  CHECK(erasure["data"] == nlohmann::json{{"erased", {"phone"}}});
  CHECK(contains(s.cf({"--now", k_later, "history", id}).out, "erased phone"));

  const nlohmann::json audit = s.json({"audit", id});
  CHECK_FALSE(contains(audit.dump(), k_phone));
  // The export keeps the chain's digests only: it never held the value and still does not.
  CHECK_FALSE(contains(s.cf({"export"}).out, k_phone));
  CHECK(contains(s.cf({"export"}).out, "personal_data_erased"));

  s.passes_verify_and_replay();

  // The case goes on; the erased field stays erased.
  const run_result forward = s.as("zhang.wei", {"do", id, "forward", "--set", "category=engineering_quality", "--set",
                                                "department=engineering"});
  INFO("stderr: ", forward.err);
  CHECK(forward.exit_code == 0);
  CHECK(s.json({"show", id})["fields"]["phone"] == "[erased]");
  s.passes_verify_and_replay();
}

TEST_CASE("erase --person erases every personal field holding the value in every case, in one transaction") {
  erase_session s;
  const std::string first = s.open_complaint("张三");
  const std::string second = s.open_complaint("张三");
  const std::string other = s.open_complaint("李四");

  const run_result r = s.as("yang.guang", {"erase", "--person", "张三"});
  INFO("stderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == first + ": erased customer (yang.guang as admin)\n" + second + ": erased customer (yang.guang as admin)\n");
  CHECK(s.json({"show", first})["fields"]["customer"] == "[erased]");
  CHECK(s.json({"show", second})["fields"]["customer"] == "[erased]");
  CHECK(s.json({"show", other})["fields"]["customer"] == "李四");
  CHECK_FALSE(contains(read_bytes(s.dir().db()).value_or(""), "张三"));
  s.passes_verify_and_replay();

  const run_result again = s.as("yang.guang", {"erase", "--person", "张三"});
  CHECK(again.exit_code == 1);
  CHECK(again.err == "caseflow: no case holds that value in a personal field; nothing was erased\n");
}

TEST_CASE("erase refuses, writing nothing: a user without the admin role, a field that is not personal, twice") {
  erase_session s;
  const std::string id = s.open_complaint("张三");
  const db_snapshot before = snapshot(s.dir().db());
  struct refusal {
    std::string user;
    std::vector<std::string> args;
    int exit_code;
    std::string err;
  };
  const std::vector<refusal> refusals{
      {"zhang.wei", {"erase", "--case", id, "--field", "phone"}, 1,
       "caseflow: zhang.wei may not erase personal data: only a person holding the 'admin' role in org.yaml may\n"},
      {"yang.guang", {"erase", "--case", id, "--field", "summary"}, 1,
       "caseflow: field 'summary' of complaint is not personal data (only personal: true fields can be erased; its "
       "personal fields: customer, phone, address)\n"},
      {"yang.guang", {"erase", "--case", id, "--field", "fone"}, 1,
       "caseflow: case " + id + " (complaint) has no field 'fone'; its personal fields: customer, phone, address\n"},
      {"yang.guang", {"erase", "--case", id, "--field", "address"}, 1,
       "caseflow: case " + id + " holds no value for 'address'; nothing was erased\n"},
      {"yang.guang", {"erase", "--case", "TS-2026-09999", "--field", "phone"}, 1, "caseflow: no case 'TS-2026-09999'\n"},
      {"yang.guang", {"erase", "--case", id}, 2, "caseflow: erase --case needs both --case ID and --field FIELD\n"},
      {"yang.guang", {"erase"}, 2, "caseflow: say what to erase: --case ID --field FIELD, or --person VALUE\n"},
      {"yang.guang", {"erase", "--case", id, "--field", "phone", "--person", "张三"}, 2,
       "caseflow: say what to erase: --case ID --field FIELD, or --person VALUE\n"},
  };
  for (const auto& r : refusals) {
    const run_result got = s.as(r.user, r.args);
    INFO("args: ", nlohmann::json(r.args).dump());
    CHECK(got.exit_code == r.exit_code);
    CHECK(got.err == r.err);
    CHECK(got.out.empty());
    CHECK(snapshot(s.dir().db()) == before);
  }
  REQUIRE(s.as("yang.guang", {"erase", "--case", id, "--field", "phone"}).exit_code == 0);
  const run_result twice = s.as("yang.guang", {"erase", "--case", id, "--field", "phone"});
  CHECK(twice.exit_code == 1);
  CHECK(twice.err == "caseflow: case " + id + " holds no value for 'phone' (it was erased already); nothing was erased\n");
}

TEST_CASE("verify flags an erasure recorded by someone without the admin role") {
  erase_session s;
  const std::string id = s.open_complaint("张三");
  REQUIRE(s.as("yang.guang", {"erase", "--case", id, "--field", "phone"}).exit_code == 0);
  {
    // Forge the erasure as zhang.wei: the chain breaks, and the conformance check names the rule too.
    SQLite::Database db(s.dir().db(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE events SET actor = 'zhang.wei', role = 'admin' WHERE kind = 'personal_data_erased'");
  }
  const run_result verify = s.cf({"--now", k_later, "verify"});
  CHECK(verify.exit_code == 4);
  CHECK(contains(verify.out + verify.err,
                 "zhang.wei erased personal data as 'admin' but only a person holding 'admin' may"));
}

}  // namespace
}  // namespace caseflow::test
