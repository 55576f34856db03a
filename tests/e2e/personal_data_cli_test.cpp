// Personal data that is really gone (issue 16): after `caseflow erase` nothing left in the files
// confirms a guess of an erased value, no byte of it remains in the database or its write-ahead
// log (with hundreds of cases, and with another process reading meanwhile), `--person` finds a
// person's values however they were typed and names the near misses, and a value copied into a
// sub-case is erased there too.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "caseflow/hash.h"
#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test::personal_data_e2e {
namespace {

const std::string k_opened = "2026-03-02T10:00+08:00";
const std::string k_later = "2026-03-03T10:00+08:00";

// The bytes of the database file and its write-ahead log.
std::string file_bytes(const scratch_dir& dir) {
  return read_bytes(dir.db()).value_or("") + read_bytes(dir.db() + "-wal").value_or("");
}

// Every text an attacker holding the files could try as a digest key: each value of each column
// of each table, and each run of 32 or more hex digits anywhere in the files' bytes.
std::set<std::string> key_candidates(const scratch_dir& dir) {
  std::set<std::string> found;
  {
    SQLite::Database db(dir.db());
    SQLite::Statement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
    while (tables.executeStep()) {
      SQLite::Statement rows(db, "SELECT * FROM \"" + tables.getColumn(0).getString() + "\"");
      while (rows.executeStep())
        for (int i = 0; i < rows.getColumnCount(); ++i)
          if (!rows.getColumn(i).isNull()) found.insert(rows.getColumn(i).getString());
    }
  }
  const std::string bytes = file_bytes(dir);
  static const std::regex k_hex("[0-9a-fA-F]{32,}");
  for (std::sregex_iterator it(bytes.begin(), bytes.end(), k_hex), end; it != end; ++it) found.insert(it->str());
  return found;
}

// Whether some candidate key confirms that `digest` is the digest of `value` in field `field` of
// case `id`, under either scheme caseflow ever used (HMAC, or the salted SHA-256 before schema 8).
bool guess_confirmed(const scratch_dir& dir, const std::string& digest, const std::string& id, const std::string& field,
                     const std::string& value) {
  const std::string message = id + "\n" + field + "\n" + value;
  for (const auto& key : key_candidates(dir))
    if (hmac_sha256_hex(key, message) == digest || sha256_hex(key + "\n" + message) == digest) return true;
  return false;
}

// The digest the first event of case `id` holds for field `field`.
std::string recorded_digest(const scratch_dir& dir, const std::string& id, const std::string& field) {
  SQLite::Database db(dir.db());
  SQLite::Statement q(db, "SELECT data FROM events WHERE case_id = ? AND seq = 1");
  q.bind(1, id);
  REQUIRE(q.executeStep());
  return nlohmann::json::parse(q.getColumn(0).getString())["fields"][field]["personal"].get<std::string>();
}

std::string start_complaint(const cli_session& s, const std::string& customer, const std::string& phone) {
  return s.start("zhang.wei", k_opened, "complaint",
                 {"customer=" + customer, "phone=" + phone, "channel=phone", "summary=卫生间漏水"});
}

TEST_CASE("erase: once erased, nothing left in the files confirms a guess of the value against its digest") {
  cli_session s;
  const std::string phone = "13912345678";
  const std::string id = start_complaint(s, "张三", phone);
  const std::string digest = recorded_digest(s.dir(), id, "phone");
  // The attack works while the value is kept: the key is in the file (this test can fail).
  REQUIRE(guess_confirmed(s.dir(), digest, id, "phone", phone));

  s.must("yang.guang", k_later, {"erase", "--case", id, "--field", "phone"});
  CHECK_FALSE(guess_confirmed(s.dir(), digest, id, "phone", phone));
  CHECK(recorded_digest(s.dir(), id, "phone") == digest);  // the log is untouched
  CHECK_FALSE(contains(file_bytes(s.dir()), phone));
  CHECK(s.at(k_later, {"verify"}).exit_code == 0);

  // Putting the key back (an insider undoing the shredding) is what verify reports.
  {
    SQLite::Database db(s.dir().db(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE personal_data SET digest_key = '" + std::string(64, 'e') + "' WHERE field = 'phone'");
  }
  const run_result verify = s.at(k_later, {"verify"});
  CHECK(verify.exit_code == 4);
  CHECK(contains(verify.out, "[personal] the value of 'phone' (digest " + digest.substr(0, 12) +
                                 ") was erased but its digest key is still stored: the digest can confirm a guess\n"));
}

TEST_CASE("erase --person finds the person's values however they were typed, and names the near misses") {
  cli_session s;
  const std::string plain = start_complaint(s, "张三", "13912345678");
  const std::string full_width = start_complaint(s, "李四", "１３９１２３４５６７８");  // NFKC: the same digits
  const std::string dashed = start_complaint(s, "王五", "139-1234-5678");
  const std::string one_off = start_complaint(s, "赵六", "13912345679");
  const std::string other = start_complaint(s, "钱七", "13700000000");

  const run_result r = s.as("yang.guang", k_later, {"erase", "--person", " 13912345678 "});
  INFO("stderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == plain + ": erased phone (yang.guang as admin)\n" + full_width +
                     ": erased phone (yang.guang as admin)\n"
                     "near matches, left alone (erase one with --case and --field if it is the same person): " +
                     dashed + " phone, " + one_off + " phone\n");
  CHECK(s.show(plain, k_later)["fields"]["phone"] == "[erased]");
  CHECK(s.show(full_width, k_later)["fields"]["phone"] == "[erased]");
  CHECK(s.show(dashed, k_later)["fields"]["phone"] == "139-1234-5678");
  CHECK(s.show(one_off, k_later)["fields"]["phone"] == "13912345679");
  CHECK(s.show(other, k_later)["fields"]["phone"] == "13700000000");
  CHECK_FALSE(contains(file_bytes(s.dir()), "１３９１２３４５６７８"));

  // Nothing the same left: refused, naming the near matches, writing nothing.
  s.refused("yang.guang", k_later, {"erase", "--person", "13912345678"},
            "caseflow: no case holds that value in a personal field; nothing was erased (near matches, left alone: " +
                dashed + " phone, " + one_off + " phone; erase one with --case and --field if it is the same person)\n");
  const nlohmann::json json = s.json_at(k_later, {"--as", "yang.guang", "erase", "--person", "13700000000"});
  CHECK(json == nlohmann::json{{"actor", "yang.guang"},
                               {"cases", {{{"id", other}, {"erased", {"phone"}}}}},
                               {"near_matches", nlohmann::json::array()}});
}

TEST_CASE("erase: a value copied into a sub-case is erased there too, in the same transaction") {
  const std::string parent = R"(procedure: intake
roles: { cs_specialist: 客服专员 }
fields:
  customer: { type: text, personal: true, required: true }
  phone: { type: text, personal: true }
start: open
steps:
  open:
    role: cs_specialist
    on_enter:
      - start_case: { procedure: visit, fields: { contact: "{case.phone}", who: "{case.customer}", note: "回访 {case.phone}" } }
    actions:
      done: closed
  closed: { terminal: true }
)";
  const std::string child = R"(procedure: visit
roles: { cs_specialist: 客服专员 }
fields:
  contact: { type: text, personal: true }
  who: { type: text, personal: true }
  note: { type: text }
start: open
steps:
  open:
    role: cs_specialist
    actions:
      done: closed
  closed: { terminal: true }
)";
  cli_session s({{"intake.yaml", parent}, {"visit.yaml", child}});
  const std::string id = s.start("zhang.wei", k_opened, "intake", {"customer=张三", "phone=13912345678"});
  const nlohmann::json opened = s.show(id, k_opened);
  REQUIRE(opened["subcases"].size() == 1);
  const std::string sub = opened["subcases"][0]["id"];
  REQUIRE(s.show(sub, k_opened)["fields"]["contact"] == "13912345678");
  REQUIRE(s.show(sub, k_opened)["fields"]["note"] == "回访 ***");  // quoted in a template: masked

  const std::string out = s.must("yang.guang", k_later, {"erase", "--case", id, "--field", "phone"});
  CHECK(out == id + ": erased phone (yang.guang as admin)\n" + sub + ": erased contact (yang.guang as admin)\n");
  const nlohmann::json shown = s.show(sub, k_later);
  CHECK(shown["fields"]["contact"] == "[erased]");
  CHECK(shown["fields"]["who"] == "张三");  // another value, not erased
  CHECK(shown["fields"]["note"] == "回访 ***");
  CHECK_FALSE(contains(file_bytes(s.dir()), "13912345678"));
  CHECK(s.at(k_later, {"verify"}).exit_code == 0);
}

TEST_CASE("erase: a case leaves the similar-cases index when the personal value it was counted by is erased") {
  cli_session s;
  const std::string id = start_complaint(s, "张三", "13912345678");
  s.must("zhang.wei", k_opened, {"do", id, "forward", "--set", "category=engineering_quality", "--set",
                                 "department=project", "--set", "sub_type=屋面渗漏", "--set", "project=翠湖天地", "--set",
                                 "kind=quality"});
  const auto indexed = [&] {
    SQLite::Database db(s.dir().db());
    SQLite::Statement q(db, "SELECT count(*) FROM similar_keys WHERE case_id = ?");
    q.bind(1, id);
    REQUIRE(q.executeStep());
    return q.getColumn(0).getInt();
  };
  REQUIRE(indexed() == 1);  // counted by its customer (similar.distinct), a keyed digest of the name
  s.must("yang.guang", k_later, {"erase", "--case", id, "--field", "customer"});
  CHECK(indexed() == 0);  // no digest of the erased name is left to compare a guess with
  CHECK(s.at(k_later, {"verify"}).exit_code == 0);
}

// 320 complaints imported in one command, seven of them the same customer's.
const std::string k_customer = "欧阳娜娜";
const std::string k_phone = "13712345678";

std::string import_many(const cli_session& s) {
  const std::string file = s.dir().file("many.jsonl");
  std::ofstream lines(file, std::ios::binary);
  for (int i = 0; i < 320; ++i) {
    const bool ours = i % 47 == 3;
    nlohmann::json line{{"procedure", "complaint"},
                        {"opened_at", fmt::format("2026-03-02T{:02}:{:02}:00+08:00", 9 + i / 60, i % 60)},
                        {"actor", "zhang.wei"},
                        {"fields",
                         {{"customer", ours ? k_customer : fmt::format("客户{:03}", i)},
                          {"phone", ours ? k_phone : fmt::format("1390000{:04}", i)},
                          {"channel", "phone"},
                          {"summary", fmt::format("第{}号投诉：卫生间漏水", i)}}}};
    lines << line.dump() << '\n';
  }
  lines.close();
  s.must("yang.guang", k_opened, {"import", file});
  return file;
}

TEST_CASE("erase --person with 320 cases: no byte of the value is left in the database or its log") {
  cli_session s;
  import_many(s);
  REQUIRE(contains(file_bytes(s.dir()), k_phone));
  const std::string out = s.must("yang.guang", k_later, {"erase", "--person", k_phone});
  CHECK(std::count(out.begin(), out.end(), '\n') == 7);
  s.must("yang.guang", k_later, {"erase", "--person", k_customer});
  const std::string bytes = file_bytes(s.dir());
  CHECK_FALSE(contains(bytes, k_phone));
  CHECK_FALSE(contains(bytes, k_customer));
  CHECK(contains(bytes, "13900000100"));  // the others' values stay
  CHECK(s.at(k_later, {"verify"}).exit_code == 0);
}

// Holds a read transaction on the database (an older snapshot) for `hold`, from another thread.
class snapshot_reader {
 public:
  snapshot_reader(const std::string& db, std::chrono::milliseconds hold) : db_(db) {
    db_.exec("BEGIN");
    REQUIRE(db_.execAndGet("SELECT count(*) FROM personal_data").getInt() > 0);  // the snapshot is taken here
    thread_ = std::thread([this, hold] {
      std::this_thread::sleep_for(hold);
      db_.exec("COMMIT");
    });
  }
  ~snapshot_reader() { thread_.join(); }
  snapshot_reader(const snapshot_reader&) = delete;
  snapshot_reader& operator=(const snapshot_reader&) = delete;

 private:
  SQLite::Database db_;
  std::thread thread_;
};

int purge_pending(const scratch_dir& dir) {
  SQLite::Database db(dir.db());
  return db.execAndGet("SELECT count(*) FROM meta WHERE key = 'purge_pending'").getInt();
}

TEST_CASE("erase waits for a reader of an older snapshot, then purges; one that reads too long leaves a purge the "
          "next command does") {
  cli_session s;
  import_many(s);
  {
    // The reader finishes within the wait: when erase returns, the value is gone from the files.
    snapshot_reader reader(s.dir().db(), std::chrono::milliseconds(1500));
    const run_result r = s.as("yang.guang", k_later, {"erase", "--person", k_phone});
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK_FALSE(contains(file_bytes(s.dir()), k_phone));
    CHECK(purge_pending(s.dir()) == 0);
  }
  {
    // The reader outlasts the wait (5 s): erase says so and leaves the purge pending.
    snapshot_reader reader(s.dir().db(), std::chrono::milliseconds(7000));
    const run_result r = s.as("yang.guang", k_later, {"erase", "--person", k_customer});
    REQUIRE(r.exit_code == 0);
    CHECK(r.err == "caseflow erase: another process is still reading an older snapshot of the database, which keeps "
                   "copies of the erased values in its write-ahead log; they are purged by the next command that opens "
                   "the database for writing after that reader finishes\n");
    CHECK(purge_pending(s.dir()) == 1);
  }
  // The reader is gone: the next command opening the database for writing purges.
  s.must("zhang.wei", k_later, {"note", "TS-2026-00001", "客户来电"});
  CHECK_FALSE(contains(file_bytes(s.dir()), k_customer));
  CHECK(purge_pending(s.dir()) == 0);
  CHECK(s.at(k_later, {"verify"}).exit_code == 0);
}

}  // namespace
}  // namespace caseflow::test::personal_data_e2e
