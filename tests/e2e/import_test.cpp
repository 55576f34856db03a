#include <filesystem>
// End-to-end tests of `caseflow import`: historical complaints from JSON Lines.
#include <fstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "caseflow/hash.h"
#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

// Three complaints along the paths of examples/complaint.sh, by the people of processes/org.yaml.
const std::vector<std::string> k_good_lines = {
    R"({"procedure":"complaint","id":"TS-2025-00001","opened_at":"2025-03-03T09:00:00+08:00","actor":"zhang.wei",)"
    R"("fields":{"customer":"陈先生","phone":"13900001111","channel":"email","summary":"卫生间渗水"},)"
    R"("actions":[{"action":"forward","actor":"zhang.wei","at":"2025-03-03T09:10:00+08:00",)"
    R"("set":{"category":"engineering_quality","department":"engineering"}},)"
    R"({"action":"answer","actor":"liu.yang","at":"2025-03-04T10:30:00+08:00","set":{"cause":"防水层破损"},)"
    R"("comment":"已现场查看"}]})",
    R"({"procedure":"complaint","id":"TS-2025-00002","opened_at":"2025-03-04T09:00:00+08:00","actor":"li.na",)"
    R"("fields":{"customer":"王女士","channel":"phone","summary":"电梯故障"},)"
    R"("actions":[{"note":"电话告知客户","actor":"li.na","at":"2025-03-04T09:05:00+08:00"},)"
    R"({"assign":"zhang.wei","actor":"li.na","at":"2025-03-04T09:06:00+08:00"}]})",
    R"({"procedure":"complaint","id":"TS-2025-00003","opened_at":"2025-03-05T09:00:00+08:00","actor":"zhang.wei",)"
    R"("fields":{"customer":"刘先生","channel":"visit","summary":"夜间施工噪音","complainants":3}})",
};

std::string write_lines(const scratch_dir& dir, const std::string& name, const std::vector<std::string>& lines) {
  const std::string path = dir.file(name);
  std::ofstream out(path, std::ios::binary);
  for (const auto& line : lines) out << line << '\n';
  return path;
}

// `caseflow args...` with the shipped procedures and the database in `dir`, as the admin yang.guang.
run_result import_cf(const scratch_dir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"--procedures", k_processes, "--db", dir.db(), "--as", "yang.guang"});
  return run_caseflow(args, dir);
}

// Events in the database; a database that was never created holds none.
std::int64_t stored_events(const scratch_dir& dir) {
  if (!std::filesystem::exists(dir.db())) return 0;
  SQLite::Database db(dir.db());
  return db.execAndGet("SELECT count(*) FROM events").getInt64();
}

TEST_CASE("import: three complaints become verifiable history") {
  scratch_dir dir;
  const std::string file = write_lines(dir, "cases.jsonl", k_good_lines);
  const run_result imported = import_cf(dir, {"--json", "import", file, "--batch", "2"});
  INFO("stderr: ", imported.err);
  REQUIRE(imported.exit_code == 0);
  const auto report = nlohmann::json::parse(imported.out);
  CHECK(report["imported"] == 3);

  const run_result history = import_cf(dir, {"--json", "history", "TS-2025-00001"});
  REQUIRE(history.exit_code == 0);
  const auto events = operator_events(nlohmann::json::parse(history.out));
  REQUIRE(events.size() == 3);
  CHECK(events[1]["action"] == "forward");
  CHECK(events[2]["actor"] == "liu.yang");
  CHECK(events[2]["comment"] == "已现场查看");

  const run_result text = import_cf(dir, {"history", "TS-2025-00002"});
  CHECK(text.out.find("assigned to zhang.wei") != std::string::npos);
  CHECK(text.out.find("电话告知客户") != std::string::npos);

  const run_result verified = import_cf(dir, {"verify"});
  INFO("verify: ", verified.out, verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find(fmt::format("{} events in 3 cases", report["events"].get<int>())) != std::string::npos);
  CHECK(report["events"] == stored_events(dir));
  SQLite::Database db(dir.db());
  CHECK(db.execAndGet("SELECT count(*) FROM events WHERE actor <> 'system'").getInt() == 7);
  // Every person's imported event records the admin who imported it.
  CHECK(db.execAndGet("SELECT count(*) FROM events WHERE actor <> 'system' AND "
                      "json_extract(data, '$.imported_by') = 'yang.guang'").getInt() == 7);
  CHECK(events[2]["data"]["imported_by"] == "yang.guang");
}

TEST_CASE("import: one bad line and nothing is written") {
  scratch_dir dir;
  std::vector<std::string> lines = k_good_lines;
  // liu.yang is a department handler: he may not take the specialist's `forward`.
  lines.insert(lines.begin() + 1,
               R"({"procedure":"complaint","id":"TS-2025-00009","opened_at":"2025-03-03T09:00:00+08:00",)"
               R"("actor":"zhang.wei","fields":{"customer":"赵先生","channel":"email","summary":"外墙开裂"},)"
               R"("actions":[{"action":"forward","actor":"liu.yang","at":"2025-03-03T10:00:00+08:00",)"
               R"("set":{"category":"engineering_quality","department":"engineering"}}]})");
  const std::string file = write_lines(dir, "cases.jsonl", lines);
  check_refused(dir.db(), [&] { return import_cf(dir, {"import", file, "--batch", "1"}); },
                file + ":2:1: action 1 ('forward'): liu.yang may not take action 'forward' on case TS-2025-00009: it "
                "needs the role cs_specialist; liu.yang holds roles dept_handler\ncaseflow: nothing was imported (1 "
                "problem)\n");
}

TEST_CASE("import: malformed JSON, unknown keys and repeated ids are reported by line") {
  scratch_dir dir;
  std::vector<std::string> lines = k_good_lines;
  lines.push_back(R"({"procedure":"complaint", "openedat": "2025-03-03T09:00:00+08:00"})");
  lines.push_back(R"({"procedure":"complaint",)");
  lines.push_back(lines[0]);
  const std::string file = write_lines(dir, "cases.jsonl", lines);
  check_refused(dir.db(), [&] { return import_cf(dir, {"import", file}); },
                file + ":4:1: unknown key 'openedat' in a case; did you mean 'opened_at'?\n" + file + ":5:26: "
                "malformed JSON: parse error at line 1, column 26: syntax error while parsing object key - unexpected "
                "end of input; expected string literal\n" + file + ":6:1: case TS-2025-00001 is also on line 1; each "
                "case must be listed once\ncaseflow: nothing was imported (3 problems)\n");
  check_refused(dir.db(), [&] { return import_cf(dir, {"history", "TS-2025-00001"}); },
                "caseflow: no database at " + dir.db() + " (set --db or CASEFLOW_DB)\n");
}

// The stored events of the cases `ids` in the order written, every column a verifier reads.
std::vector<std::string> events_of(const scratch_dir& dir, const std::vector<std::string>& ids) {
  SQLite::Database db(dir.db());
  std::vector<std::string> rows;
  for (const auto& id : ids) {
    SQLite::Statement q(db, "SELECT id, seq, kind, actor, at, data, hash FROM events WHERE case_id = ? ORDER BY id");
    q.bind(1, id);
    while (q.executeStep())
      rows.push_back(fmt::format("{}|{}|{}|{}|{}|{}|{}", q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                                 q.getColumn(2).getString(), q.getColumn(3).getString(), q.getColumn(4).getString(),
                                 q.getColumn(5).getString(), q.getColumn(6).getString()));
  }
  return rows;
}

std::int64_t stored_cases(const scratch_dir& dir) {
  SQLite::Database db(dir.db());
  return db.execAndGet("SELECT count(*) FROM cases").getInt64();
}

nlohmann::json import_json(const scratch_dir& dir, const std::string& file, const std::string& batch = "500") {
  const run_result r = import_cf(dir, {"--json", "import", file, "--batch", batch});
  INFO("import stderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

TEST_CASE("import: a rerun of the whole file after a prefix was written imports only the rest") {
  scratch_dir dir;
  // What a kill after the first batch of two leaves: the first two lines written.
  const std::string prefix =
      write_lines(dir, "prefix.jsonl", std::vector<std::string>(k_good_lines.begin(), k_good_lines.begin() + 2));
  const std::string full = write_lines(dir, "cases.jsonl", k_good_lines);
  const auto first = import_json(dir, prefix, "1");
  CHECK(first["imported"] == 2);
  CHECK(first["already_imported"] == 0);
  const std::vector<std::string> written = events_of(dir, {"TS-2025-00001", "TS-2025-00002"});
  const std::int64_t events_before = stored_events(dir);

  const run_result rerun = import_cf(dir, {"import", full, "--batch", "1"});
  INFO("rerun stderr: ", rerun.err);
  REQUIRE(rerun.exit_code == 0);
  SQLite::Database db(dir.db());
  const std::int64_t third_events =
      db.execAndGet("SELECT count(*) FROM events WHERE case_id = 'TS-2025-00003'").getInt64();
  CHECK(third_events > 0);
  CHECK(rerun.out == fmt::format("imported 1 cases ({} events) in 1 transactions; 2 already imported from the same "
                                 "lines, skipped\n",
                                 third_events));
  CHECK(stored_events(dir) == events_before + third_events);
  CHECK(stored_cases(dir) == 3);
  CHECK(events_of(dir, {"TS-2025-00001", "TS-2025-00002"}) == written);
  // Each opening event records the digest of its line's canonical JSON.
  for (std::size_t i = 0; i < k_good_lines.size(); ++i) {
    SQLite::Statement q(db, "SELECT json_extract(data, '$.import_digest') FROM events WHERE case_id = ? AND seq = 1");
    q.bind(1, fmt::format("TS-2025-0000{}", i + 1));
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == sha256_hex(nlohmann::json::parse(k_good_lines[i]).dump()));
  }

  // Once more: everything is there, nothing is written.
  const auto again = import_json(dir, full);
  CHECK(again["imported"] == 0);
  CHECK(again["events"] == 0);
  CHECK(again["already_imported"] == 3);
  CHECK(stored_events(dir) == events_before + third_events);

  const run_result verified = import_cf(dir, {"verify"});
  INFO("verify: ", verified.out, verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(contains(verified.out, fmt::format("{} events in 3 cases", events_before + third_events)));
}

TEST_CASE("import: a changed line whose id was imported before is still refused, nothing written") {
  scratch_dir dir;
  import_json(dir, write_lines(dir, "prefix.jsonl", {k_good_lines[0]}));
  std::vector<std::string> changed = k_good_lines;
  const auto at = changed[0].find("卫生间渗水");
  REQUIRE(at != std::string::npos);
  changed[0].replace(at, std::string("卫生间渗水").size(), "厨房渗水");
  const std::string file = write_lines(dir, "cases.jsonl", changed);
  check_refused(dir.db(), [&] { return import_cf(dir, {"import", file}); },
                file + ":1:1: case TS-2025-00001 is already in the database and was not imported from this line (a "
                "rerun skips only the cases imported from the same content)\ncaseflow: nothing was imported (1 "
                "problem)\n");
}

TEST_CASE("import: lines without an id are recognised on a rerun, however their JSON is spaced or ordered") {
  scratch_dir dir;
  const std::vector<std::string> lines = {
      R"({"procedure":"complaint","opened_at":"2025-04-01T09:00:00+08:00","actor":"zhang.wei",)"
      R"("fields":{"customer":"孙女士","channel":"phone","summary":"门禁失灵"}})",
      R"({"procedure":"complaint","opened_at":"2025-04-02T09:00:00+08:00","actor":"li.na",)"
      R"("fields":{"customer":"周先生","channel":"email","summary":"车位被占"}})",
  };
  // The first line as another tool would write it: keys sorted, spaced out.
  const std::string respaced = nlohmann::json::parse(lines[0]).dump(1);
  std::string one_line;
  for (char c : respaced)
    if (c != '\n') one_line += c;
  CHECK(import_json(dir, write_lines(dir, "prefix.jsonl", {one_line}))["imported"] == 1);
  const std::string full = write_lines(dir, "cases.jsonl", lines);
  const auto resumed = import_json(dir, full);
  CHECK(resumed["imported"] == 1);
  CHECK(resumed["already_imported"] == 1);
  CHECK(stored_cases(dir) == 2);
  const auto again = import_json(dir, full);
  CHECK(again["imported"] == 0);
  CHECK(again["already_imported"] == 2);
  CHECK(stored_cases(dir) == 2);
  SQLite::Database db(dir.db());
  CHECK(db.execAndGet("SELECT count(*) FROM events WHERE kind = 'case_started' AND "
                      "json_extract(data, '$.fields.summary') = '门禁失灵'").getInt() == 1);

  // A line listed twice was imported once: the second copy is a case of its own, imported now.
  const auto doubled = import_json(dir, write_lines(dir, "doubled.jsonl", {lines[0], lines[0]}));
  CHECK(doubled["imported"] == 1);
  CHECK(doubled["already_imported"] == 1);
  CHECK(stored_cases(dir) == 3);
  CHECK(import_cf(dir, {"verify"}).exit_code == 0);
}

}  // namespace
}  // namespace caseflow::test
