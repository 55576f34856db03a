// End-to-end tests: the real `caseflow` binary against the shipped procedures and a temp database.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/lost_race.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::string k_cli_now = "2026-03-02T10:00+08:00";

// One database and the shipped procedures; every call passes --procedures and --db.
class complaint_cli {
 public:
  run_result cf(std::vector<std::string> args, const env_list& env = {}) const {
    std::vector<std::string> all{"--procedures", k_processes, "--db", dir_.db()};
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir_, env);
  }
  // `caseflow --as user --now k_cli_now args...`
  run_result as(const std::string& user, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--as", user, "--now", k_cli_now});
    return cf(std::move(args));
  }
  nlohmann::json json(std::vector<std::string> args) const {
    args.insert(args.begin(), "--json");
    const run_result r = cf(std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
  // Opens a complaint with the required fields; returns its id.
  std::string open_complaint() const {
    const run_result r = as("zhang.wei", {"start", "complaint", "--set", "customer=张三", "--set", "channel=phone",
                                          "--set", "summary=卫生间漏水"});
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.size() > 1);
    return r.out.substr(0, r.out.size() - 1);
  }
  void must(const std::string& user, std::vector<std::string> args) const {
    const run_result r = as(user, args);
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
  }
  const scratch_dir& dir() const { return dir_; }
  std::string db() const { return dir_.db(); }

 private:
  scratch_dir dir_;
};

TEST_CASE("cli: a complaint from intake to closure on the quality path") {
  complaint_cli s;
  const std::string id = s.open_complaint();
  CHECK(id == "TS-2026-00001");

  struct step {
    std::string user;
    std::vector<std::string> args;
    std::string out;
  };
  const std::vector<step> steps{
      {"zhang.wei", {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=engineering"},
       id + ": intake → department_reply (zhang.wei as cs_specialist)\n"},
      {"liu.yang", {"do", id, "answer", "--set", "cause=防水层破损", "--comment", "书面回复已提交"},
       id + ": department_reply → handling (liu.yang as dept_handler)\n"},
      {"zhang.wei", {"do", id, "investigate"}, id + ": handling → solution (zhang.wei as cs_specialist)\n"},
      {"zhang.wei", {"do", id, "propose", "--set", "plan=重做防水"},
       id + ": solution → customer_agreement (zhang.wei as cs_specialist)\n"},
      {"zhang.wei", {"do", id, "agreed"}, id + ": customer_agreement → implementation (zhang.wei as cs_specialist)\n"},
      {"liu.yang", {"do", id, "done", "--comment", "已完工"}, id + ": implementation → return_visit (liu.yang as dept_handler)\n"},
      {"zhang.wei", {"do", id, "satisfied"}, id + ": return_visit → closed (zhang.wei as cs_specialist)\n"},
  };
  for (const auto& [user, args, out] : steps) {
    CAPTURE(args[2]);
    const run_result r = s.as(user, args);
    CHECK(r.err == "");
    CHECK(r.exit_code == 0);
    CHECK(r.out == out);
  }

  const nlohmann::json history = s.json({"history", id});
  CHECK(history["id"] == id);
  const auto events = operator_events(history);
  REQUIRE(events.size() == 8);
  struct expected {
    std::string kind, action, actor, role, from, to;
  };
  const std::vector<expected> table{
      {"case_started", "", "zhang.wei", "cs_specialist", "", "intake"},
      {"action_taken", "forward", "zhang.wei", "cs_specialist", "intake", "department_reply"},
      {"action_taken", "answer", "liu.yang", "dept_handler", "department_reply", "handling"},
      {"action_taken", "investigate", "zhang.wei", "cs_specialist", "handling", "solution"},
      {"action_taken", "propose", "zhang.wei", "cs_specialist", "solution", "customer_agreement"},
      {"action_taken", "agreed", "zhang.wei", "cs_specialist", "customer_agreement", "implementation"},
      {"action_taken", "done", "liu.yang", "dept_handler", "implementation", "return_visit"},
      {"action_taken", "satisfied", "zhang.wei", "cs_specialist", "return_visit", "closed"},
  };
  for (std::size_t i = 0; i < table.size(); ++i) {
    CAPTURE(i);
    const auto& e = events[i];
    if (i > 0) CHECK(e["seq"] > events[i - 1]["seq"]);
    CHECK(e["case"] == id);
    CHECK(e["kind"] == table[i].kind);
    CHECK(e["action"] == table[i].action);
    CHECK(e["actor"] == table[i].actor);
    CHECK(e["role"] == table[i].role);
    CHECK(e["from"] == table[i].from);
    CHECK(e["to"] == table[i].to);
    CHECK(e["at"] == "2026-03-02T02:00:00Z");
  }
  CHECK(events[0]["data"]["fields"]["customer"] == "张三");
  CHECK(events[2]["comment"] == "书面回复已提交");
  CHECK(events[2]["data"]["fields"]["cause"] == "防水层破损");

  const nlohmann::json shown = s.json({"show", id});
  CHECK(shown["step"] == "closed");
  CHECK(shown["open"] == false);
  CHECK(shown["fields"]["plan"] == "重做防水");

  const run_result verified = s.cf({"verify"});
  CHECK(verified.exit_code == 0);
  const std::size_t total = history["events"].size();
  CHECK(verified.out.starts_with("verified: " + std::to_string(total) + " events in 1 cases; head " +
                                 std::to_string(total) + ":"));
}

TEST_CASE("cli: show --json gives what a script needs to drive the case") {
  complaint_cli s;
  const std::string id = s.open_complaint();
  const nlohmann::json j = s.json({"--as", "zhang.wei", "--now", k_cli_now, "show", id});
  CHECK(j["id"] == id);
  CHECK(j["procedure"] == "complaint");
  CHECK(j["step"] == "intake");
  CHECK(j["open"] == true);
  CHECK(j["fields"]["customer"] == "张三");
  CHECK(j["fields"]["channel"] == "phone");
  CHECK(j["fields"]["kind"] == "quality");  // a default
  CHECK(j["deadlines"].is_array());
  REQUIRE(j["actions"].is_array());
  std::vector<std::string> names;
  for (const auto& a : j["actions"]) names.push_back(a["name"]);
  CHECK(names == std::vector<std::string>{"forward", "refer_validity", "invalid"});
  const auto& forward = j["actions"][0];
  CHECK(forward["to"] == "department_reply");
  CHECK(forward["roles"] == nlohmann::json::array({"cs_specialist"}));
  CHECK(forward["permitted"] == true);
  CHECK(forward["guard_holds"] == true);
  REQUIRE(forward["requires"].size() == 2);
  const auto& category = forward["requires"][0];
  CHECK(category["name"] == "category");
  CHECK(category["type"] == "enum");
  CHECK(category["values"] == nlohmann::json::array({"engineering_quality", "planning_design", "sales_management",
                                                     "property_management", "customer_service", "other"}));
  CHECK(forward["requires"][1]["name"] == "department");
  CHECK(j["actions"][1]["comment_required"] == true);

  // Another user sees the same actions, but not permitted.
  const nlohmann::json other = s.json({"--as", "liu.yang", "show", id});
  CHECK(other["actions"][0]["permitted"] == false);
}

TEST_CASE("cli: every refusal exits 1, says why and leaves the database byte-identical") {
  complaint_cli s;
  const std::string id = s.open_complaint();
  s.must("zhang.wei", {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=engineering"});
  s.must("liu.yang", {"do", id, "answer", "--set", "cause=x", "--comment", "y"});
  // Now in `handling`, kind = quality.
  struct row {
    std::string name;
    std::vector<std::string> args;
    int exit;
    std::string message;
  };
  const std::vector<row> rows{
      {"wrong role", {"--as", "liu.yang", "do", id, "investigate"}, 1,
       "caseflow: liu.yang may not take action 'investigate' on case " + id +
           ": it needs the role cs_specialist; liu.yang holds roles dept_handler\n"},
      {"failed guard", {"--as", "zhang.wei", "do", id, "talked_resolved", "--comment", "ok"}, 1,
       "caseflow: action 'talked_resolved' is not allowed now: its condition `kind == \"grievance\"` is false (kind = "
       "\"quality\")\n"},
      {"unknown action", {"--as", "zhang.wei", "do", id, "investigat"}, 1,
       "caseflow: 'investigat' is not an action of step 'handling' of case " + id +
           "; did you mean 'investigate'?; actions here: classify, talked_resolved, talk_failed, investigate\n"},
      {"bad field value", {"--as", "wang.fang", "do", id, "classify", "--set", "severity=urgent", "--comment", "c"}, 1,
       "caseflow: field 'severity': 'urgent' is not one of general | important | hot | major\n"},
      {"unknown case", {"--as", "zhang.wei", "do", "TS-2026-09999", "investigate"}, 1,
       "caseflow: no case 'TS-2026-09999'\n"},
      {"unknown procedure", {"--as", "zhang.wei", "start", "complain", "--set", "customer=x"}, 1,
       "caseflow: unknown procedure 'complain'; did you mean 'complaint'?; procedures: "
       "compensation_refund_exchange, complaint, complaint_8d, complaint_cost, lawyer_engagement, legal_case, "
       "legal_review, move_in, property_complaint, repair_order, satisfaction_survey\n"},
      {"start without a required field",
       {"--as", "zhang.wei", "start", "complaint", "--set", "customer=x", "--set", "channel=phone"}, 1,
       "caseflow: opening a complaint case needs summary: give --set summary=…\n"},
      {"start by a person without the role",
       {"--as", "liu.yang", "start", "complaint", "--set", "customer=x", "--set", "channel=phone", "--set", "summary=s"},
       1, "caseflow: liu.yang may not open a complaint case: it needs the role cs_specialist\n"},
      {"missing --as", {"do", id, "investigate"}, 2, "caseflow: who is acting? give --as USER or set CASEFLOW_USER\n"},
      {"malformed --set", {"--as", "zhang.wei", "do", id, "investigate", "--set", "cause"}, 2,
       "caseflow: --set 'cause': write it as name=value\n"},
  };
  for (const auto& [name, args, exit, message] : rows) {
    CAPTURE(name);
    const db_snapshot before = snapshot(s.db());
    REQUIRE(before.main.has_value());
    std::vector<std::string> with_now{"--now", k_cli_now};
    with_now.insert(with_now.end(), args.begin(), args.end());
    const run_result r = s.cf(with_now);
    CHECK(r.exit_code == exit);
    CHECK(r.err == message);
    CHECK(r.out == "");
    CHECK(snapshot(s.db()) == before);
  }
  const nlohmann::json history = s.json({"history", id});
  CHECK(operator_events(history).size() == 3);
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("cli: CASEFLOW_USER and CASEFLOW_NOW stand in for --as and --now") {
  complaint_cli s;
  const run_result r = s.cf({"start", "complaint", "--set", "customer=李四", "--set", "channel=email", "--set",
                             "summary=噪音"},
                            {{"CASEFLOW_USER", "li.na"}, {"CASEFLOW_NOW", "2027-01-04T09:00+08:00"}});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "TS-2027-00001\n");
  const nlohmann::json history = s.json({"history", "TS-2027-00001"});
  CHECK(history["events"][0]["actor"] == "li.na");
  CHECK(history["events"][0]["at"] == "2027-01-04T01:00:00Z");
}

TEST_CASE("cli: a deputy acts for the manager inside the delegation") {
  complaint_cli s;
  const std::string id = s.open_complaint();
  const run_result r = s.cf({"--as", "wu.qiang", "--now", "2026-12-03T10:00+08:00", "do", id, "refer_validity",
                             "--comment", "需经理判定"});
  REQUIRE(r.exit_code == 0);
  const run_result valid = s.cf({"--as", "wu.qiang", "--now", "2026-12-03T11:00+08:00", "do", id, "valid", "--set",
                                 "category=other", "--set", "department=sales"});
  CHECK(valid.exit_code == 0);
  CHECK(valid.out == id + ": validity_review → department_reply (wu.qiang as cs_manager for wang.fang)\n");
  const nlohmann::json history = s.json({"history", id});
  CHECK(operator_events(history)[2]["on_behalf_of"] == "wang.fang");
}

TEST_CASE("cli: verify exits 4 and names the case and event after the log is edited") {
  complaint_cli s;
  const std::string id = s.open_complaint();
  s.must("zhang.wei", {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=engineering"});
  s.must("liu.yang", {"do", id, "answer", "--set", "cause=x", "--comment", "y"});
  REQUIRE(s.cf({"verify"}).exit_code == 0);
  {
    SQLite::Database db(s.db(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE events SET actor = 'wang.fang' WHERE case_id = '" + id + "' AND seq = 2");
  }
  const run_result r = s.cf({"verify"});
  CHECK(r.exit_code == 4);
  CHECK(contains(r.out, "case " + id + " event 2: [chain]"));
  CHECK(contains(r.out, "FAILED"));
  const nlohmann::json j = nlohmann::json::parse(s.cf({"--json", "verify"}).out);
  CHECK(j["ok"] == false);
  REQUIRE_FALSE(j["findings"].empty());
  CHECK(j["findings"][0]["case"] == id);
  CHECK(j["findings"][0]["seq"] == 2);
}

// Chain format 2 hashes the data column's bytes as stored: a rewrite that parses to the same
// JSON for caseflow but not for an SQL reader (SQLite's json_extract reads the first of two
// equal keys, caseflow the last) breaks the hash.
TEST_CASE("cli: verify finds an event's data rewritten with a duplicate key") {
  complaint_cli s;
  const std::string id = s.open_complaint();
  s.must("zhang.wei", {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=engineering"});
  REQUIRE(s.cf({"verify"}).exit_code == 0);
  std::int64_t seq = 0;
  {
    SQLite::Database db(s.db(), SQLite::OPEN_READWRITE);
    seq = db.execAndGet("SELECT seq FROM events WHERE kind = 'action_taken' AND action = 'forward'").getInt64();
    const std::string where = " WHERE case_id = '" + id + "' AND seq = " + std::to_string(seq);
    REQUIRE(db.exec("UPDATE events SET data = replace(data, '\"department\":\"engineering\"', "
                    "'\"department\":\"sales\",\"department\":\"engineering\"')" + where) == 1);
    CHECK(db.execAndGet("SELECT json_extract(data, '$.fields.department') FROM events" + where).getString() == "sales");
  }
  const run_result r = s.cf({"verify"});
  CHECK(r.exit_code == 4);
  CHECK(contains(r.out, "case " + id + " event " + std::to_string(seq) +
                            ": [chain] its content does not match its hash: the event was edited\n"));
  CHECK(s.cf({"show", id}).exit_code == 0);  // the case itself still reads (as caseflow parses it)
}

TEST_CASE("cli: of two racing commands on one case exactly one wins") {
  complaint_cli s;
  constexpr int k_rounds = 3;
  for (int round = 0; round < k_rounds; ++round) {
    CAPTURE(round);
    const std::string id = s.open_complaint();
    const std::int64_t read_at = s.json({"history", id})["events"].back()["seq"];
    std::vector<std::string> args{"--procedures", k_processes, "--db", s.db(), "--as", "zhang.wei", "--now", k_cli_now,
                                  "do", id, "forward", "--set", "category=other", "--set", "department=sales"};
    // Both read the case at event `read_at` and decide before either may commit.
    const auto racers = race_under_write_lock(CASEFLOW_BINARY, s.db(), {args, args}, {}, s.dir().path());
    const int winners = (racers[0].exit_code == 0) + (racers[1].exit_code == 0);
    REQUIRE(winners == 1);
    const run_result& loser = racers[0].exit_code == 0 ? racers[1] : racers[0];
    const nlohmann::json history = s.json({"history", id});
    const std::int64_t now_at = history["events"].back()["seq"];
    CHECK(loser.exit_code == 3);
    CHECK(loser.err == fmt::format("caseflow: case {} changed while this command was being decided (now at event {}, "
                                   "expected {}); nothing was written, safe to retry\n", id, now_at, read_at));
    // The winner's forward is in the log once; the loser wrote nothing.
    REQUIRE(operator_events(history).size() == 2);
    CHECK(operator_events(history)[1]["action"] == "forward");
  }
  CHECK(s.cf({"verify"}).exit_code == 0);
}

// A refusal changes nothing, not even by creating an empty database file.
TEST_CASE("cli: a refused command does not create the database file") {
  complaint_cli s;
  check_refused(s.db(), [&] { return s.as("zhang.wei", {"do", "TS-2026-00001", "forward"}); },
                "caseflow: no case 'TS-2026-00001'\n");
  check_refused(s.db(), [&] { return s.as("zhang.wei", {"start", "complaint"}); },
                "caseflow: opening a complaint case needs customer, channel, summary: give --set customer=… --set "
                "channel=… --set summary=…\n");
  CHECK_FALSE(std::filesystem::exists(s.db()));
}

// Two `start`s at once, `rounds` times; returns the ids opened.
std::set<std::string> race_starts(const complaint_cli& s, int rounds) {
  std::set<std::string> ids;
  for (int round = 0; round < rounds; ++round) {
    CAPTURE(round);
    std::vector<std::string> args{"--procedures", k_processes, "--db", s.db(), "--as", "zhang.wei", "--now", k_cli_now,
                                  "start", "complaint", "--set", "customer=x", "--set", "channel=phone", "--set",
                                  "summary=s"};
    child first(CASEFLOW_BINARY, args, {}, s.dir().path());
    child second(CASEFLOW_BINARY, args, {}, s.dir().path());
    for (const run_result& r : {first.wait(), second.wait()}) {
      INFO("stderr: ", r.err);
      CHECK(r.exit_code == 0);
      if (r.exit_code == 0) ids.insert(r.out.substr(0, r.out.size() - 1));
    }
  }
  return ids;
}

TEST_CASE("cli: concurrent starts get distinct ids and lose nothing") {
  complaint_cli s;
  CHECK(s.open_complaint() == "TS-2026-00001");
  const std::set<std::string> ids = race_starts(s, 10);
  CHECK(ids.size() == 20);
  CHECK(ids.count("TS-2026-00002") == 1);
  CHECK(ids.count("TS-2026-00021") == 1);
  const run_result verified = s.cf({"verify"});
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find(" events in 21 cases") != std::string::npos);
  SQLite::Database db(s.dir().db());
  CHECK(db.execAndGet("SELECT count(*) FROM events WHERE kind = 'case_started'").getInt() == 21);
  CHECK(db.execAndGet("SELECT count(DISTINCT case_id) FROM events").getInt() == 21);
}

// Many operators may run the CLI at once, also on a database neither has created yet.
TEST_CASE("cli: concurrent first commands on a new database both succeed") {
  for (int attempt = 0; attempt < 10; ++attempt) {
    CAPTURE(attempt);
    complaint_cli s;
    CHECK(race_starts(s, 1).size() == 2);
  }
}

// A value of `field` (a field_view from --json output) that the engine accepts.
std::string sample_value(const nlohmann::json& field) {
  const std::string type = field["type"];
  if (type == "enum") return field["values"][0];
  if (type == "int") return "1";
  if (type == "money") return "100.00";
  if (type == "bool") return "true";
  if (type == "date") return "2026-03-02";
  if (type == "datetime") return "2026-03-02T10:00:00Z";
  return "sample " + field["name"].get<std::string>();
}

// Someone in the organisation holding one of `roles`, or "".
std::string holder_of(const nlohmann::json& org, const nlohmann::json& roles) {
  for (const auto& person : org["people"])
    for (const auto& role : roles)
      if (std::find(person["roles"].begin(), person["roles"].end(), role) != person["roles"].end()) return person["id"];
  return "";
}

// Drives a case knowing nothing of its procedure: only procedures/org/show --json.
TEST_CASE("cli: a generic driver closes every shipped procedure's case using only --json output") {
  complaint_cli s;
  const nlohmann::json org = s.json({"org"});
  const nlohmann::json procedures = s.json({"procedures"});
  REQUIRE_FALSE(procedures["procedures"].empty());
  for (const auto& p : procedures["procedures"]) {
    CAPTURE(p["id"].get<std::string>());
    const std::string opener = holder_of(org, p["start_roles"]);
    REQUIRE_FALSE(opener.empty());
    std::vector<std::string> start{"start", p["id"]};
    for (const auto& f : p["fields"])
      if (f["required"] == true) start.insert(start.end(), {"--set", f["name"].get<std::string>() + "=" + sample_value(f)});
    const run_result opened = s.as(opener, start);
    INFO("start: ", opened.err);
    REQUIRE(opened.exit_code == 0);
    const std::string id = opened.out.substr(0, opened.out.size() - 1);

    std::set<std::string> visited;
    bool open = true;
    for (int moves = 0; open && moves < 40; ++moves) {
      const nlohmann::json shown = s.json({"--now", k_cli_now, "show", id});
      visited.insert(shown["step"].get<std::string>());
      open = shown["open"];
      if (!open) break;
      // Among the actions whose guard holds and whose roles someone holds, prefer new ground.
      const nlohmann::json* chosen = nullptr;
      for (const auto& a : shown["actions"]) {
        if (a["guard_holds"] != true || holder_of(org, a["roles"]).empty()) continue;
        if (!chosen || (visited.count((*chosen)["to"]) && !visited.count(a["to"]))) chosen = &a;
      }
      REQUIRE_MESSAGE(chosen != nullptr, "no action can be taken in step ", shown["step"].get<std::string>());
      std::vector<std::string> args{"do", id, (*chosen)["name"], "--comment", "auto"};
      for (const auto& f : (*chosen)["requires"])
        args.insert(args.end(), {"--set", f["name"].get<std::string>() + "=" + sample_value(f)});
      const run_result r = s.as(holder_of(org, (*chosen)["roles"]), args);
      INFO("do ", (*chosen)["name"].get<std::string>(), ": ", r.err);
      REQUIRE(r.exit_code == 0);
    }
    CHECK_FALSE(open);
    const nlohmann::json final_state = s.json({"show", id});
    CHECK(final_state["open"] == false);
    MESSAGE(p["id"].get<std::string>(), " closed in step ", final_state["step"].get<std::string>(), " after visiting ",
            visited.size(), " steps");
  }
  CHECK(s.cf({"verify"}).exit_code == 0);
}

}  // namespace
}  // namespace caseflow::test
