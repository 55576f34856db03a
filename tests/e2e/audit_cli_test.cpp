// End-to-end tests of the audit commands: replay, verify (conformance and evidence),
// attach / attachments / attachment get, export and audit, on the complaint walk of
// examples/complaint.sh, and on three similar complaints.
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "caseflow/chain.h"
#include "caseflow/hash.h"
#include "caseflow/sqlite_store.h"
#include "caseflow/loader.h"
#include "caseflow/core.h"
#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

// The complaint procedure with the shipped org and calendars, copied so that the test
// depends on nothing else in processes/.
class audit_session {
 public:
  audit_session() {
    make_procedures_folder(dir_.path() / "processes",
                           {{"complaint.yaml", read_bytes(k_processes + "/complaint.yaml").value()}});
  }

  run_result cf(std::vector<std::string> args) const {
    std::vector<std::string> all{"--procedures", dir_.file("processes"), "--db", dir_.db()};
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir_);
  }
  nlohmann::json json(std::vector<std::string> args) const {
    args.insert(args.begin(), "--json");
    const run_result r = cf(std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
  std::string must(const std::string& user, const std::string& now, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--as", user, "--now", now});
    const run_result r = cf(std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  // The stored projection (cases.state) of `id`.
  nlohmann::json projection(const std::string& id) const {
    SQLite::Database db(dir_.db());
    SQLite::Statement q(db, "SELECT state FROM cases WHERE id = ?");
    q.bind(1, id);
    REQUIRE(q.executeStep());
    return nlohmann::json::parse(q.getColumn(0).getString());
  }
  void sql(const std::string& statement) const {
    SQLite::Database db(dir_.db(), SQLite::OPEN_READWRITE);
    db.exec(statement);
  }
  const scratch_dir& dir() const { return dir_; }

 private:
  scratch_dir dir_;
};

struct walked {
  std::string id;
  std::vector<std::pair<std::string, nlohmann::json>> states;  // (time, projection after the command)
};

// examples/complaint.sh: an email complaint on Friday 2026-02-13 17:50 walked to closure.
walked walk(const audit_session& s) {
  walked w;
  const std::string opened = "2026-02-13T17:50+08:00";
  w.id = s.must("zhang.wei", opened,
                {"start", "complaint", "--set", "customer=陈先生", "--set", "phone=13900001111", "--set", "channel=email",
                 "--set", "summary=3栋1202室卫生间渗水至楼下"});
  w.id.pop_back();
  w.states.emplace_back(opened, s.projection(w.id));
  const std::vector<std::pair<std::string, std::vector<std::string>>> steps{
      {"2026-02-13T17:58+08:00", {"zhang.wei", "do", w.id, "forward", "--set", "category=engineering_quality", "--set",
                                  "department=engineering"}},
      // The reminder of the written answer (due 11:58) fires: the walk crosses a timer.
      {"2026-02-14T12:00+08:00", {"zhang.wei", "tick"}},
      {"2026-02-14T12:30+08:00", {"liu.yang", "do", w.id, "answer", "--set", "cause=卫生间防水层破损", "--comment",
                                  "已现场查看，确认渗水点"}},
      {"2026-02-14T12:45+08:00", {"zhang.wei", "note", w.id, "电话告知客户处理进度, \"已回电\""}},
      {"2026-02-14T15:00+08:00", {"zhang.wei", "do", w.id, "investigate"}},
      {"2026-02-24T10:00+08:00", {"zhang.wei", "do", w.id, "propose", "--set", "plan=重做防水层并修复楼下吊顶，工期5天"}},
      {"2026-02-24T16:00+08:00", {"zhang.wei", "do", w.id, "agreed"}},
      {"2026-03-02T17:00+08:00", {"liu.yang", "do", w.id, "done", "--comment", "维修完成，闭水试验48小时合格"}},
      {"2026-03-03T10:00+08:00", {"zhang.wei", "do", w.id, "satisfied"}},
  };
  for (const auto& [now, args] : steps) {
    s.must(args.front(), now, {args.begin() + 1, args.end()});
    w.states.emplace_back(now, s.projection(w.id));
  }
  return w;
}

// Recomputes every hash of the chain after an edit, as an attacker who can write the file
// would: only the conformance checks can then catch the edit.
void recompute_chain(const audit_session& s) {
  std::vector<event> events;
  {
    sqlite_store store(s.dir().db());
    store.scan_events([&](const event& e) {
      events.push_back(e);
      return true;
    });
  }
  std::string previous;
  for (auto& e : events) {
    e.prev_hash = previous;
    previous = event_hash(e);
    s.sql(fmt::format("UPDATE events SET prev_hash = '{}', hash = '{}' WHERE id = {}", e.prev_hash, previous, e.id));
  }
}

TEST_CASE("audit cli: replay equals the live state at every command and every event") {
  audit_session s;
  const walked w = walk(s);
  const nlohmann::json all = s.json({"replay"});
  CHECK(all["replayed"] == 1);
  CHECK(all["differing"] == 0);
  CHECK(s.cf({"replay"}).out == "replayed 1 cases: all match their log\n");

  for (const auto& [now, live] : w.states) {
    CAPTURE(now);
    const nlohmann::json by_time = s.json({"replay", "--case", w.id, "--as-of", now});
    REQUIRE(by_time["cases"].size() == 1);
    CHECK(by_time["cases"][0]["state"] == live);
    const nlohmann::json by_seq = s.json({"replay", "--case", w.id, "--seq", std::to_string(live["seq"].get<int>())});
    CHECK(by_seq["cases"][0]["state"] == live);
  }
  // Between commands (the system events a command records with its action) there is no stored
  // projection; the state there is the projection the command started from with the stored
  // events folded onto it one by one (apply), which must reach the next stored projection.
  const std::int64_t last = w.states.back().second["seq"];
  sqlite_options read_only;
  read_only.read_only = true;
  sqlite_store store(s.dir().db(), read_only);
  const std::vector<event> events = store.case_events(w.id);
  REQUIRE(events.size() == static_cast<std::size_t>(last));
  diagnostics problems;
  const auto definition = load_procedure_text(*store.definition_text(events.front().definition_hash), "complaint",
                                              &problems);
  REQUIRE(definition.has_value());
  std::int64_t crossed = 0;  // events of kind timer_fired passed on the way
  for (std::size_t i = 1; i < w.states.size(); ++i) {
    case_state folded = state_from_json(*definition, w.states[i - 1].second);
    const std::int64_t to = w.states[i].second["seq"];
    for (std::int64_t seq = folded.seq + 1; seq <= to; ++seq) {
      CAPTURE(seq);
      const event& e = events[static_cast<std::size_t>(seq - 1)];
      crossed += e.kind == "timer_fired";
      folded = apply(*definition, folded, e);
      const nlohmann::json replayed =
          s.json({"replay", "--case", w.id, "--seq", std::to_string(seq)})["cases"][0]["state"];
      CHECK(replayed == state_to_json(folded));
    }
    CHECK(state_to_json(folded) == w.states[i].second);
  }
  CHECK(crossed == 1);
  // Before the case was opened there is nothing to show.
  CHECK(s.json({"replay", "--as-of", "2026-02-13T09:00+08:00"})["cases"].empty());
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("audit cli: replay reports an edited projection") {
  audit_session s;
  const walked w = walk(s);
  s.sql("UPDATE cases SET state = json_set(state, '$.step', 'intake', '$.fields.plan', '不处理')");
  const run_result r = s.cf({"replay"});
  CHECK(r.exit_code == 4);
  CHECK(contains(r.out, w.id + ": the stored state differs from the log:"));
  CHECK(contains(r.out, "  step: stored \"intake\", replayed \"closed\""));
  CHECK(contains(r.out, "fields.plan: stored \"不处理\""));
  const run_result j = s.cf({"--json", "replay", "--case", w.id});
  CHECK(j.exit_code == 4);
  CHECK(nlohmann::json::parse(j.out)["cases"][0]["matches"] == false);
}

TEST_CASE("audit cli: verify catches a hash-consistent edit that breaks a rule") {
  audit_session s;
  const walked w = walk(s);
  // 刘洋 (dept_handler) becomes the one who closed the case, and every hash is recomputed.
  s.sql("UPDATE events SET actor = 'liu.yang', role = 'dept_handler' WHERE action = 'satisfied'");
  recompute_chain(s);
  const run_result r = s.cf({"--json", "verify"});
  CHECK(r.exit_code == 4);
  const nlohmann::json v = nlohmann::json::parse(r.out);
  INFO("findings: ", v["findings"].dump());
  REQUIRE(v["findings"].size() == 2);
  CHECK(v["findings"][0]["rule"] == "role");
  CHECK(v["findings"][0]["case"] == w.id);
  CHECK(contains(v["findings"][0]["message"], "liu.yang"));
  // The attacker left the case row as it was: it still names the real performer.
  CHECK(v["findings"][1]["rule"] == "projection");
  CHECK(contains(v["findings"][1]["message"], "the stored state differs from the fold of its log: performers."));
  const run_result text = s.cf({"verify"});
  CHECK(text.exit_code == 4);
  CHECK(contains(text.out, "[role]"));
}

TEST_CASE("audit cli: verify names a similar-cases raise that records fewer complainants than its rule needs") {
  audit_session s;
  // complaint.yaml: the same category, sub_type and project from at least 3 distinct customers
  // within a month raises every one of them to hot. The third forwarding raises all three.
  std::vector<std::string> ids;
  for (const auto& [customer, now] : std::vector<std::pair<std::string, std::string>>{
           {"张三", "2026-11-02T10:00+08:00"}, {"李四", "2026-11-02T10:10+08:00"}, {"王五", "2026-11-02T10:20+08:00"}}) {
    std::string id = s.must("zhang.wei", now, {"start", "complaint", "--set", "customer=" + customer, "--set",
                                               "channel=phone", "--set", "summary=顶楼屋面漏水"});
    id.pop_back();
    s.must("zhang.wei", now, {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=project",
                              "--set", "sub_type=屋面渗漏", "--set", "project=翠湖天地"});
    ids.push_back(id);
  }
  CHECK(s.cf({"verify"}).exit_code == 0);
  // The first case's raise recorded 3 complainants; the edit says 2.
  const std::string raise = fmt::format(
      "case_id = '{}' AND kind = 'fields_changed' AND json_extract(data, '$.similar.count') = 3", ids[0]);
  std::int64_t seq = 0;
  {
    SQLite::Database db(s.dir().db());
    SQLite::Statement q(db, "SELECT seq FROM events WHERE " + raise);
    REQUIRE(q.executeStep());
    seq = q.getColumn(0).getInt64();
    CHECK_FALSE(q.executeStep());
  }
  s.sql("UPDATE events SET data = json_set(data, '$.similar.count', 2) WHERE " + raise);
  recompute_chain(s);

  const std::string message = "similar-cases rule 'same_complaint_three_complainants' needs 3 but the event records 2";
  const run_result r = s.cf({"--json", "verify"});
  CHECK(r.exit_code == 4);
  const nlohmann::json v = nlohmann::json::parse(r.out);
  CHECK(v["ok"] == false);
  REQUIRE(v["findings"].size() == 1);
  CHECK(v["findings"][0] == nlohmann::json{{"case", ids[0]}, {"seq", seq}, {"rule", "similar"}, {"message", message}});
  const run_result text = s.cf({"verify"});
  CHECK(text.exit_code == 4);
  CHECK(contains(text.out, fmt::format("case {} event {}: [similar] {}\n", ids[0], seq, message)));
  CHECK(contains(text.out, "FAILED: "));
}

TEST_CASE("audit cli: attach, list and get evidence; a changed blob fails verify") {
  audit_session s;
  const walked w = walk(s);
  std::string bytes = "\x89PNG\r\n\x1a\n";
  bytes += std::string("\0\x01\x02 signed form, page 1\r\n", 25);
  const std::string photo = s.dir().file("leak photo.png");
  std::ofstream(photo, std::ios::binary) << bytes;

  const std::string out = s.must("zhang.wei", "2026-03-03T11:00+08:00", {"attach", w.id, photo, "--note", "现场照片"});
  CHECK(contains(out, w.id + ": attached leak photo.png (" + std::to_string(bytes.size()) + " bytes, sha256 "));
  const nlohmann::json list = s.json({"attachments", w.id});
  REQUIRE(list["attachments"].size() == 1);
  const nlohmann::json a = list["attachments"][0];
  CHECK(a["name"] == "leak photo.png");
  CHECK(a["size"] == bytes.size());
  CHECK(a["note"] == "现场照片");
  CHECK(a["actor"] == "zhang.wei");
  CHECK(a["digest"].get<std::string>().size() == 64);

  for (const auto& which : {a["digest"].get<std::string>(), std::string("leak photo.png")}) {
    const std::string copy = s.dir().file("copy.png");
    const run_result got = s.cf({"attachment", "get", w.id, which, "-o", copy});
    INFO(got.err);
    CHECK(got.exit_code == 0);
    CHECK(read_bytes(copy) == bytes);
    std::filesystem::remove(copy);
  }
  CHECK(s.cf({"attachment", "get", w.id, a["digest"]}).out == bytes);
  check_refused(s.dir().db(), [&] { return s.cf({"attachment", "get", w.id, "missing.png"}); },
                "caseflow: case " + w.id + " has no attachment 'missing.png'; it has: leak photo.png\n");
  // Someone not in org.yaml may not attach; nothing is written.
  check_refused(s.dir().db(), [&] { return s.cf({"--as", "nobody", "attach", w.id, photo}); },
                "caseflow: 'nobody' is not a person in org.yaml\n");
  CHECK(s.cf({"verify"}).exit_code == 0);
  CHECK(s.cf({"replay"}).exit_code == 0);

  s.sql("UPDATE attachments SET content = X'00'");
  const run_result v = s.cf({"--json", "verify"});
  CHECK(v.exit_code == 4);
  const nlohmann::json findings = nlohmann::json::parse(v.out)["findings"];
  REQUIRE_FALSE(findings.empty());
  CHECK(findings[0]["rule"] == "attachment");
  // In text, a blob finding names the blob, not an empty case and event 0.
  const run_result text = s.cf({"verify"});
  CHECK(text.exit_code == 4);
  CHECK(contains(text.out, fmt::format("[attachment] stored blob {} does not match its digest",
                                       a["digest"].get<std::string>())));
  CHECK_FALSE(contains(text.out, "case  event"));
  CHECK(s.cf({"attachment", "get", w.id, "leak photo.png"}).exit_code == 4);
}

TEST_CASE("audit cli: export as JSON Lines and CSV") {
  audit_session s;
  const walked w = walk(s);
  const std::int64_t total = w.states.back().second["seq"];
  const run_result jsonl = s.cf({"export"});
  REQUIRE(jsonl.exit_code == 0);
  std::istringstream lines(jsonl.out);
  std::vector<nlohmann::json> records;
  for (std::string line; std::getline(lines, line);) records.push_back(nlohmann::json::parse(line));
  REQUIRE(static_cast<std::int64_t>(records.size()) == total);
  CHECK(records[0]["id"] == 1);
  CHECK(records[0]["case_id"] == w.id);
  CHECK(records[0]["kind"] == "case_started");
  CHECK(records[0]["at"] == "2026-02-13T09:50:00Z");
  CHECK(records[0]["data"]["fields"]["channel"] == "email");
  CHECK(records[0]["data"]["fields"]["customer"].contains("personal"));  // personal values stay digests
  CHECK(records[0].size() == 19);
  CHECK(records[0]["format"] == 2);
  CHECK(records[0]["branch"] == "");
  CHECK(records[0]["org_version"] == sha256_hex(read_bytes(k_processes + "/org.yaml").value()));
  CHECK(records[1]["prev_hash"] == records[0]["hash"]);
  // An auditor's tool recomputes every hash from the export alone (chain.h, format 2: data as
  // the exported text).
  for (const auto& r : records) {
    event e;
    e.id = r["id"];
    e.case_id = r["case_id"];
    e.seq = r["seq"];
    e.at = parse_instant(r["at"].get<std::string>()).value();
    for (auto [member, key] : {std::pair{&e.actor, "actor"}, {&e.role, "role"}, {&e.on_behalf_of, "on_behalf_of"},
                               {&e.kind, "kind"}, {&e.action, "action"}, {&e.from_step, "from_step"},
                               {&e.to_step, "to_step"}, {&e.comment, "comment"}, {&e.definition_hash, "definition_hash"},
                               {&e.prev_hash, "prev_hash"}, {&e.branch, "branch"}, {&e.org_version, "org_version"}})
      *member = r[key].get<std::string>();
    e.format = r["format"];
    e.data_text = r["data"].dump();
    CHECK(event_hash(e) == r["hash"]);
  }

  const run_result csv = s.cf({"export", "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.starts_with("id,case_id,seq,at,actor,role,on_behalf_of,kind,action,from_step,to_step,data,comment,"
                            "definition_hash,prev_hash,hash,format,branch,org_version\r\n"));
  CHECK(contains(csv.out, "\r\n1," + w.id + ",1,2026-02-13T09:50:00Z,zhang.wei,cs_specialist,,case_started,,,intake,\"{"));
  CHECK(contains(csv.out, ",\"电话告知客户处理进度, \"\"已回电\"\"\","));  // RFC 4180 quoting

  // --since: exactly the records of the whole export at or after that time, in order.
  std::vector<nlohmann::json> expected_since;
  std::copy_if(records.begin(), records.end(), std::back_inserter(expected_since),
               [](const nlohmann::json& r) { return r["at"] >= "2026-02-28T16:00:00Z"; });
  // From 1 March: `done`, then `satisfied`, which closes the case and clears its two escalations.
  std::vector<std::string> kinds_since;
  for (const auto& r : expected_since) kinds_since.push_back(r["kind"]);
  CHECK(kinds_since == std::vector<std::string>{"action_taken", "action_taken", "deadline_cleared", "deadline_cleared"});
  const run_result since = s.cf({"export", "--since", "2026-03-01T00:00+08:00"});
  REQUIRE(since.exit_code == 0);
  std::istringstream later(since.out);
  std::vector<nlohmann::json> exported_since;
  for (std::string line; std::getline(later, line);) exported_since.push_back(nlohmann::json::parse(line));
  CHECK(exported_since == expected_since);
  check_refused(s.dir().db(), [&] { return s.cf({"export", "--format", "xml"}); },
                "--format: xml not in {jsonl,csv}\nRun with --help for more information.\n", 2);
}

TEST_CASE("audit cli: the audit timeline as text, JSON and HTML") {
  audit_session s;
  const walked w = walk(s);
  const nlohmann::json t = s.json({"--now", "2026-03-04T10:00+08:00", "audit", w.id});
  CHECK(t["case"] == w.id);
  CHECK(t["step"] == "closed");
  REQUIRE(t["visits"].size() == 8);
  CHECK(t["visits"][0]["step"] == "intake");
  CHECK(t["visits"][0]["name"] == "受理登记");
  CHECK(t["visits"][0]["left"] == "2026-02-13T09:58:00Z");
  CHECK(t["visits"][0]["acts"][0]["actor"] == "zhang.wei");
  CHECK(t["visits"][0]["acts"][0]["role"] == "cs_specialist");
  CHECK(t["visits"][0]["acts"][1]["action"] == "forward");
  CHECK(t["visits"][1]["step"] == "department_reply");
  REQUIRE_FALSE(t["visits"][1]["limits"].empty());
  CHECK(t["visits"][1]["limits"][0]["rule"] == "department_reply.written_answer");
  CHECK(t["visits"][1]["limits"][0]["allowed_working_seconds"] == 4 * 3600);
  CHECK(t["visits"].back()["step"] == "closed");
  CHECK(t["visits"].back()["left"].is_null());

  const run_result text = s.cf({"--now", "2026-03-04T10:00+08:00", "audit", w.id});
  CHECK(text.exit_code == 0);
  CHECK(contains(text.out, "Case " + w.id));
  CHECK(contains(text.out, "受理登记 (intake)"));
  CHECK(contains(text.out, "liu.yang as dept_handler: answer → handling"));

  const run_result html = s.cf({"--now", "2026-03-04T10:00+08:00", "audit", w.id, "--format", "html"});
  CHECK(html.exit_code == 0);
  CHECK(html.out.starts_with("<!DOCTYPE html>"));
  for (const char* name : {"受理登记", "责任部门书面回复", "方案实施", "回访"}) CHECK(contains(html.out, name));
  CHECK_FALSE(contains(html.out, "<script"));
  CHECK_FALSE(contains(html.out, "http"));
  CHECK(contains(html.out, "<style>"));
}

}  // namespace
}  // namespace caseflow::test
