// End-to-end tests of `caseflow report`: complaint cases walked through the real CLI in
// virtual time (October and November 2026), whose figures were counted by hand, in every
// format; a fixture legal_review procedure for the pre-registration misses; the HTML page
// rendered by headless Chromium.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "caseflow/text_output.h"
#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

constexpr const char* k_report_now = "2026-11-24T12:00+08:00";

// A legal_review procedure with the fields the report relies on (department, preregistered).
constexpr const char* k_legal_review = R"yaml(procedure: legal_review
name: { zh: 文件法律审核（测试）, en: Legal review fixture }
version: "1.0"
calendar: cn-mainland
case_id: "LR-{yyyy}-{seq:04}"
roles:
  cs_specialist: { zh: 经办人, en: Handler }
fields:
  title: { type: text, name: 文件, required: true }
  department: { type: enum, name: 部门, values: [sales, engineering, property_management], required: true }
  preregistered: { type: bool, name: 已预登记, required: true }
start: review
steps:
  review:
    name: { zh: 审核, en: Review }
    role: cs_specialist
    actions:
      pass: done
  done:
    name: { zh: 完成, en: Done }
    terminal: true
)yaml";

class report_session {
 public:
  report_session() {
    make_procedures_folder(dir_.path() / "processes",
                           {{"complaint.yaml", read_bytes(k_processes + "/complaint.yaml").value()},
                            {"legal_review.yaml", k_legal_review}});
  }

  run_result cf(std::vector<std::string> args) const {
    std::vector<std::string> all{"--procedures", dir_.file("processes"), "--db", dir_.db()};
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir_);
  }
  std::string must(const std::string& user, const std::string& now, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--as", user, "--now", now});
    const run_result r = cf(std::move(args));
    INFO("command: ", args.size() > 4 ? args[4] : "", " stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  std::string start(const std::string& user, const std::string& now, std::vector<std::string> sets,
                    const std::string& procedure = "complaint") const {
    std::vector<std::string> args{"start", procedure};
    for (auto& s : sets) args.insert(args.end(), {"--set", s});
    std::string id = must(user, now, args);
    id.pop_back();
    return id;
  }
  // A report at k_report_now.
  run_result report(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--now", k_report_now, "report"});
    return cf(std::move(args));
  }
  nlohmann::json report_json(std::vector<std::string> args) const {
    args.insert(args.end(), {"--format", "json"});
    const run_result r = report(std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
  const scratch_dir& dir() const { return dir_; }

 private:
  scratch_dir dir_;
};

struct fixture_ids {
  std::string o1, o2, n1, n2, n3, n4, n5;
};

// Grievance complaints walked to closure or left open. Times are Asia/Shanghai; working
// hours 09:00-12:00 and 13:00-18:00 on weekdays (no holiday in these weeks). Limits:
// intake forwarding 30m working (phone, email) or 1h (forum); the department's written
// answer 4h working.
fixture_ids build_complaints(const report_session& s) {
  fixture_ids id;
  // O1: October, engineering quality, general; every limit met; closed 10-13 by zhang.wei.
  id.o1 = s.start("zhang.wei", "2026-10-12T10:00+08:00", {"customer=客户甲", "channel=phone", "summary=卫生间渗水"});
  s.must("zhang.wei", "2026-10-12T10:10+08:00",
         {"do", id.o1, "forward", "--set", "category=engineering_quality", "--set", "department=engineering", "--set",
          "sub_type=渗水", "--set", "kind=grievance"});
  s.must("liu.yang", "2026-10-12T11:00+08:00",
         {"do", id.o1, "answer", "--set", "cause=防水层破损", "--comment", "已查看"});
  s.must("zhang.wei", "2026-10-13T10:00+08:00", {"do", id.o1, "talked_resolved", "--comment", "已沟通"});
  s.must("zhang.wei", "2026-10-13T10:30+08:00", {"do", id.o1, "satisfied"});
  // O2: October, property management, general; open at the end of October, closed 11-03 by li.na.
  id.o2 = s.start("zhang.wei", "2026-10-20T10:00+08:00", {"customer=客户乙", "channel=phone", "summary=楼上噪音"});
  s.must("zhang.wei", "2026-10-20T10:20+08:00",
         {"do", id.o2, "forward", "--set", "category=property_management", "--set", "department=property_management",
          "--set", "sub_type=噪音", "--set", "kind=grievance"});
  s.must("liu.yang", "2026-10-20T14:00+08:00",
         {"do", id.o2, "answer", "--set", "cause=装修噪音", "--comment", "已协调"});
  s.must("li.na", "2026-11-03T10:00+08:00", {"do", id.o2, "talked_resolved", "--comment", "已沟通"});
  s.must("li.na", "2026-11-03T10:30+08:00", {"do", id.o2, "satisfied"});
  // N1: November, engineering quality, general; limits met; closed the same day by zhang.wei.
  id.n1 = s.start("zhang.wei", "2026-11-02T09:30+08:00", {"customer=客户丙", "channel=phone", "summary=外墙渗水"});
  s.must("zhang.wei", "2026-11-02T09:40+08:00",
         {"do", id.n1, "forward", "--set", "category=engineering_quality", "--set", "department=engineering", "--set",
          "sub_type=渗水", "--set", "kind=grievance"});
  s.must("liu.yang", "2026-11-02T11:00+08:00",
         {"do", id.n1, "answer", "--set", "cause=密封胶老化", "--comment", "已查看"});
  s.must("zhang.wei", "2026-11-02T15:00+08:00", {"do", id.n1, "talked_resolved", "--comment", "已沟通"});
  s.must("zhang.wei", "2026-11-02T16:00+08:00", {"do", id.n1, "satisfied"});
  // N2: November, important; forwarded 30 minutes late (intake limit breached), closed by li.na.
  id.n2 = s.start("li.na", "2026-11-10T10:00+08:00",
                  {"customer=客户丁", "channel=phone", "summary=墙体裂缝", "severity=important"});
  s.must("li.na", "2026-11-10T11:00+08:00",
         {"do", id.n2, "forward", "--set", "category=engineering_quality", "--set", "department=engineering", "--set",
          "sub_type=裂缝 \"墙体\", 外立面", "--set", "kind=grievance"});
  s.must("liu.yang", "2026-11-10T11:30+08:00", {"do", id.n2, "answer", "--set", "cause=沉降", "--comment", "已查看"});
  s.must("li.na", "2026-11-10T13:30+08:00", {"do", id.n2, "talked_resolved", "--comment", "已沟通"});
  s.must("li.na", "2026-11-10T14:00+08:00", {"do", id.n2, "satisfied"});
  // N3: November, hot, by email; the department never answers: the 4h limit (due 11-16
  // 15:15) fires at the 16:00 tick and the case stays open.
  id.n3 = s.start("wu.qiang", "2026-11-16T10:00+08:00",
                  {"customer=客户戊", "channel=email", "summary=合同面积不符", "severity=hot"});
  s.must("wu.qiang", "2026-11-16T10:15+08:00",
         {"do", id.n3, "forward", "--set", "category=sales_management", "--set", "department=sales", "--set",
          "sub_type=合同"});
  s.must("system", "2026-11-16T16:00+08:00", {"tick"});
  // N4: November, forum post, planning and design, general; in handling at the report.
  id.n4 = s.start("zhang.wei", "2026-11-17T10:00+08:00", {"customer=客户己", "channel=forum", "summary=小区规划变更"});
  s.must("zhang.wei", "2026-11-17T10:30+08:00",
         {"do", id.n4, "forward", "--set", "category=planning_design", "--set", "department=design"});
  s.must("liu.yang", "2026-11-17T11:00+08:00",
         {"do", id.n4, "answer", "--set", "cause=规划调整", "--comment", "已答复"});
  // N5: the report's day, major; still in intake, its 30-minute limit (due 09:30) passed.
  id.n5 = s.start(
      "zhang.wei", "2026-11-24T09:00+08:00",
      {"customer=客户庚", "channel=phone", "summary=媒体曝光", "severity=major", "category=property_management"});
  return id;
}

const nlohmann::json& row_where(const nlohmann::json& rows, const std::map<std::string, std::string>& keys) {
  for (const auto& r : rows) {
    bool all = true;
    for (const auto& [k, v] : keys) all = all && r[k] == v;
    if (all) return r;
  }
  FAIL("no row with the keys");
  static const nlohmann::json none;
  return none;
}

void check_counts(const nlohmann::json& row, int received, int completed, int open) {
  CAPTURE(row.dump());
  CHECK(row["received"] == received);
  CHECK(row["completed"] == completed);
  CHECK(row["open"] == open);
}

// A monthly comparison table, row by row: name, received, completed, open, received last
// month, change.
using compared_row = std::tuple<std::string, int, int, int, int, int>;
void check_compared(const nlohmann::json& rows, const char* key, const std::vector<compared_row>& expected) {
  REQUIRE(rows.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& [name, received, completed, open, previous, change] = expected[i];
    CHECK(rows[i][key] == name);
    check_counts(rows[i], received, completed, open);
    CHECK(rows[i]["previous_received"] == previous);
    CHECK(rows[i]["change"] == change);
  }
}

// RFC 4180 records (quoted fields, doubled quotes, CRLF line ends).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        field += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      ++i;
    } else {
      REQUIRE_MESSAGE(c != '\n', "a bare LF ends a CSV line");
      field += c;
    }
  }
  REQUIRE(record.empty());
  REQUIRE(field.empty());
  return records;
}

// Every table cell of a JSON report as CSV writes it.
std::map<std::tuple<std::string, std::string, std::string>, std::string> json_cells(const nlohmann::json& doc) {
  std::map<std::tuple<std::string, std::string, std::string>, std::string> cells;
  for (const auto& [table, rows] : doc["tables"].items())
    for (std::size_t r = 0; r < rows.size(); ++r)
      for (const auto& [column, v] : rows[r].items())
        cells[{table, std::to_string(r + 1), column}] = v.is_null()     ? ""
                                                        : v.is_string() ? v.get<std::string>()
                                                                        : v.dump();
  return cells;
}

void check_csv_matches_json(const report_session& s, const std::vector<std::string>& args) {
  std::vector<std::string> csv_args = args;
  csv_args.insert(csv_args.end(), {"--format", "csv"});
  const run_result csv = s.report(csv_args);
  REQUIRE(csv.exit_code == 0);
  const auto records = parse_csv(csv.out);
  REQUIRE(records.size() > 1);
  CHECK(records[0] == std::vector<std::string>{"table", "row", "column", "value"});
  std::map<std::tuple<std::string, std::string, std::string>, std::string> cells;
  for (std::size_t i = 1; i < records.size(); ++i) {
    REQUIRE(records[i].size() == 4);
    cells[{records[i][0], records[i][1], records[i][2]}] = records[i][3];
  }
  CHECK(cells == json_cells(s.report_json(args)));
}

TEST_CASE("report cli: monthly counts by category, sub-type and severity against the previous month") {
  report_session s;
  const fixture_ids id = build_complaints(s);
  const nlohmann::json doc = s.report_json({"monthly", "--month", "2026-11"});
  CHECK(doc["report"] == "monthly");
  CHECK(doc["procedure"] == "complaint");
  CHECK(doc["period"] == nlohmann::json{{"from", "2026-11-01"}, {"to", "2026-11-30"}, {"label", "2026-11"}});
  CHECK(doc["as_of"] == "2026-11-24T04:00:00Z");
  const nlohmann::json& t = doc["tables"];

  // November: received N1-N5; completed O2, N1, N2; open N3, N4, N5. October: received O1, O2;
  // completed O1; open O2.
  const nlohmann::json summary =
      nlohmann::json::array({{{"figure", "received"}, {"current", 5}, {"previous", 2}, {"change", 3}},
                             {{"figure", "completed"}, {"current", 3}, {"previous", 1}, {"change", 2}},
                             {{"figure", "open"}, {"current", 3}, {"previous", 1}, {"change", 2}}});
  CHECK(t["summary"] == summary);

  // Categories and severities in the order of the procedure's enum values.
  check_compared(t["by_category"], "category",
                 {{"engineering_quality", 2, 2, 0, 1, 1},    // N1 N2 / O1
                  {"planning_design", 1, 0, 1, 0, 1},        // N4
                  {"sales_management", 1, 0, 1, 0, 1},       // N3
                  {"property_management", 1, 1, 1, 1, 0}});  // N5 received and open, O2 completed / O2
  check_compared(t["by_severity"], "severity",
                 {{"general", 2, 2, 1, 2, 0},  // N1 N4 received; O2 N1 completed; N4 open / O1 O2
                  {"important", 1, 1, 0, 0, 1},
                  {"hot", 1, 0, 1, 0, 1},
                  {"major", 1, 0, 1, 0, 1}});

  REQUIRE(t["by_sub_type"].size() == 6);
  check_counts(row_where(t["by_sub_type"], {{"category", "engineering_quality"}, {"sub_type", "渗水"}}), 1, 1, 0);
  check_counts(
      row_where(t["by_sub_type"], {{"category", "engineering_quality"}, {"sub_type", "裂缝 \"墙体\", 外立面"}}), 1, 1,
      0);
  check_counts(row_where(t["by_sub_type"], {{"category", "planning_design"}, {"sub_type", "(none)"}}), 1, 0, 1);
  check_counts(row_where(t["by_sub_type"], {{"category", "property_management"}, {"sub_type", "(none)"}}), 1, 0, 1);
  check_counts(row_where(t["by_sub_type"], {{"category", "property_management"}, {"sub_type", "噪音"}}), 0, 1, 0);
  check_counts(row_where(t["by_sub_type"], {{"category", "sales_management"}, {"sub_type", "合同"}}), 1, 0, 1);

  REQUIRE(t["closed_serious"].size() == 1);
  CHECK(t["closed_serious"][0]["case"] == id.n2);
  CHECK(t["closed_serious"][0]["severity"] == "important");
  CHECK(t["closed_serious"][0]["closed_by"] == "li.na");
  CHECK(t["closed_serious"][0]["closed"].get<std::string>().starts_with("2026-11-10T14:00"));

  // N3: its 4h answer was due 11-16 15:15; working time since then to 11-24 12:00 is
  // 2h45m + 4 x 8h + 8h + 3h = 45h45m. N5: due 09:30, 2h30m overdue.
  REQUIRE(t["open_serious"].size() == 2);
  const nlohmann::json& n3 = t["open_serious"][0];
  CHECK(n3["case"] == id.n3);
  CHECK(n3["severity"] == "hot");
  CHECK(n3["step"] == "department_reply");
  CHECK(n3["days_open"] == 8);
  CHECK(n3["limit"] == "department_reply.written_answer");
  CHECK(n3["working_seconds_left"] == -(45 * 3600 + 45 * 60));
  CHECK(n3["status"] == "overdue 45h45m");
  const nlohmann::json& n5 = t["open_serious"][1];
  CHECK(n5["case"] == id.n5);
  CHECK(n5["severity"] == "major");
  CHECK(n5["step"] == "intake");
  CHECK(n5["days_open"] == 0);
  CHECK(n5["working_seconds_left"] == -(2 * 3600 + 30 * 60));

  check_csv_matches_json(s, {"monthly", "--month", "2026-11"});
}

TEST_CASE("report cli: half-month halves and the daily report count the same cases by their dates") {
  report_session s;
  const fixture_ids id = build_complaints(s);
  const nlohmann::json both = s.report_json({"half-month", "--month", "2026-11"});
  REQUIRE(both["tables"]["summary"].size() == 2);
  const nlohmann::json& h1 = both["tables"]["summary"][0];
  CHECK(h1["period"] == "2026-11 H1");
  CHECK(h1["from"] == "2026-11-01");
  CHECK(h1["to"] == "2026-11-15");
  check_counts(h1, 2, 3, 0);  // N1 N2 received; O2 N1 N2 completed; nothing open on the 15th
  const nlohmann::json& h2 = both["tables"]["summary"][1];
  CHECK(h2["period"] == "2026-11 H2");
  check_counts(h2, 3, 0, 3);
  REQUIRE(both["tables"]["closed_serious"].size() == 1);
  CHECK(both["tables"]["closed_serious"][0]["period"] == "2026-11 H1");
  CHECK(both["tables"]["closed_serious"][0]["case"] == id.n2);

  const nlohmann::json second = s.report_json({"half-month", "--month", "2026-11", "--half", "2"});
  REQUIRE(second["tables"]["summary"].size() == 1);
  CHECK(second["tables"]["summary"][0] == h2);
  CHECK(second["period"]["from"] == "2026-11-16");

  // 11-17: N4 received; N3 and N4 open at the end of the day.
  const nlohmann::json day = s.report_json({"daily", "--date", "2026-11-17"});
  check_counts(day["tables"]["summary"][0], 1, 0, 2);
  REQUIRE(day["tables"]["by_category"].size() == 2);
  CHECK(day["tables"]["by_category"][0]["category"] == "planning_design");
  check_counts(day["tables"]["by_category"][0], 1, 0, 1);
  CHECK(day["tables"]["by_category"][1]["category"] == "sales_management");
  check_counts(day["tables"]["by_category"][1], 0, 0, 1);
  // Without --date: today in the complaint calendar (11-24): N5 received.
  const nlohmann::json today = s.report_json({"daily"});
  CHECK(today["period"]["from"] == "2026-11-24");
  check_counts(today["tables"]["summary"][0], 1, 0, 3);
  check_csv_matches_json(s, {"half-month", "--month", "2026-11"});
}

TEST_CASE("report cli: closure rate per specialist for a quarter") {
  report_session s;
  build_complaints(s);
  const nlohmann::json doc = s.report_json({"closure-rate", "--quarter", "2026Q4"});
  CHECK(doc["period"]["from"] == "2026-10-01");
  CHECK(doc["period"]["to"] == "2026-12-31");
  // li.na closed O2 (on time) and N2 (intake limit breached); wu.qiang has N3 open;
  // zhang.wei closed O1 and N1 on time and has N4 and N5 open.
  const nlohmann::json expected = nlohmann::json::array(
      {{{"specialist", "li.na"}, {"total", 2}, {"closed", 2}, {"closed_on_time", 1}, {"open", 0}, {"rate", 0.5}},
       {{"specialist", "wu.qiang"}, {"total", 1}, {"closed", 0}, {"closed_on_time", 0}, {"open", 1}, {"rate", 0.0}},
       {{"specialist", "zhang.wei"}, {"total", 4}, {"closed", 2}, {"closed_on_time", 2}, {"open", 2}, {"rate", 0.5}},
       {{"specialist", "all"}, {"total", 7}, {"closed", 4}, {"closed_on_time", 3}, {"open", 3}, {"rate", 3.0 / 7.0}}});
  CHECK(doc["tables"]["by_specialist"] == expected);
  // The quarter before holds nothing.
  const nlohmann::json q3 = s.report_json({"closure-rate", "--quarter", "2026Q3"});
  REQUIRE(q3["tables"]["by_specialist"].size() == 1);
  CHECK(q3["tables"]["by_specialist"][0]["total"] == 0);
  CHECK(q3["tables"]["by_specialist"][0]["rate"].is_null());
  check_csv_matches_json(s, {"closure-rate", "--quarter", "2026Q4"});
}

TEST_CASE("report cli: SLA compliance per step limit counts limits met and breached in the month") {
  report_session s;
  build_complaints(s);
  const nlohmann::json doc = s.report_json({"sla", "--month", "2026-11"});
  // Forwarding by phone/email: N1, N3 met; N2 left late, N5 past due. Forum: N4 met.
  // Written answer: N1, N2, N4 met; N3 fired at the tick.
  const nlohmann::json steps = nlohmann::json::array({{{"procedure", "complaint"},
                                                       {"step", "department_reply"},
                                                       {"rule", "written_answer"},
                                                       {"met", 3},
                                                       {"breached", 1},
                                                       {"compliance", 0.75}},
                                                      {{"procedure", "complaint"},
                                                       {"step", "intake"},
                                                       {"rule", "forward_other"},
                                                       {"met", 1},
                                                       {"breached", 0},
                                                       {"compliance", 1.0}},
                                                      {{"procedure", "complaint"},
                                                       {"step", "intake"},
                                                       {"rule", "forward_phone_email"},
                                                       {"met", 2},
                                                       {"breached", 2},
                                                       {"compliance", 0.5}}});
  CHECK(doc["tables"]["by_step"] == steps);
  CHECK(doc["tables"]["by_procedure"] ==
        nlohmann::json::array({{{"procedure", "complaint"}, {"met", 6}, {"breached", 3}, {"compliance", 6.0 / 9.0}}}));
  // October: O1 and O2 met both their limits.
  const nlohmann::json october = s.report_json({"sla", "--month", "2026-10", "--procedure", "complaint"});
  CHECK(october["tables"]["by_procedure"][0]["met"] == 4);
  CHECK(october["tables"]["by_procedure"][0]["breached"] == 0);
  check_csv_matches_json(s, {"sla", "--month", "2026-11"});
}

TEST_CASE("report cli: legal review misses per department") {
  report_session s;
  auto review = [&](const std::string& now, const std::string& department, bool preregistered) {
    s.start("zhang.wei", now,
            {"title=供货合同", "department=" + department,
             std::string("preregistered=") + (preregistered ? "true" : "false")},
            "legal_review");
  };
  review("2026-10-30T10:00+08:00", "sales", false);  // October: not counted
  review("2026-11-02T10:00+08:00", "sales", true);
  review("2026-11-05T10:00+08:00", "sales", false);
  review("2026-11-06T10:00+08:00", "engineering", false);
  review("2026-11-20T10:00+08:00", "sales", true);
  const nlohmann::json doc = s.report_json({"legal-review-misses", "--month", "2026-11"});
  CHECK(doc["procedure"] == "legal_review");
  const nlohmann::json expected =
      nlohmann::json::array({{{"department", "engineering"}, {"submitted", 1}, {"missed", 1}, {"share", 1.0}},
                             {{"department", "sales"}, {"submitted", 3}, {"missed", 1}, {"share", 1.0 / 3.0}},
                             {{"department", "all"}, {"submitted", 4}, {"missed", 2}, {"share", 0.5}}});
  CHECK(doc["tables"]["by_department"] == expected);
  check_csv_matches_json(s, {"legal-review-misses", "--month", "2026-11"});
  const run_result text = s.report({"legal-review-misses", "--month", "2026-11"});
  CHECK(text.out.find("  sales                3       1         33.3%\n") != std::string::npos);
}

TEST_CASE("report cli: text output aligns columns holding Chinese text") {
  report_session s;
  build_complaints(s);
  const run_result r = s.report({"monthly", "--month", "2026-11"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.starts_with("Monthly case report — complaint — 2026-11 (2026-11-01 to 2026-11-30), as of "));
  // The sub-type table ends in a number column (right-aligned): every line of it is as wide.
  const auto start = r.out.find("By category and sub-type\n");
  REQUIRE(start != std::string::npos);
  const auto end = r.out.find("\n\n", start);
  std::vector<std::string> lines;
  for (std::size_t at = r.out.find('\n', start) + 1; at < end;) {
    const auto next = r.out.find('\n', at);
    lines.push_back(r.out.substr(at, next - at));
    at = next + 1;
  }
  REQUIRE(lines.size() == 7);  // header + 6 rows
  for (const auto& line : lines) {
    CAPTURE(line);
    CHECK(display_width(line) == display_width(lines[0]));
  }
  CHECK(r.out.find("噪音") != std::string::npos);
}

TEST_CASE("report cli: reports never write, refuse a missing database and bad periods") {
  report_session s;
  const run_result missing = s.report({"monthly", "--month", "2026-11"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "caseflow: no database at " + s.dir().db() + " (set --db or CASEFLOW_DB)\n");
  CHECK_FALSE(std::filesystem::exists(s.dir().db()));

  build_complaints(s);
  const db_snapshot before = snapshot(s.dir().db());
  for (const std::vector<std::string>& args : {std::vector<std::string>{"daily"},
                                               {"half-month", "--month", "2026-11"},
                                               {"monthly", "--month", "2026-11"},
                                               {"closure-rate", "--quarter", "2026Q4"},
                                               {"sla", "--month", "2026-11"},
                                               {"legal-review-misses", "--month", "2026-11"}})
    for (const char* format : {"text", "csv", "json", "html"}) {
      std::vector<std::string> with = args;
      with.insert(with.end(), {"--format", format});
      CAPTURE(with);
      CHECK(s.report(with).exit_code == 0);
    }
  // The database file is unchanged and its write-ahead log holds nothing (a read-only
  // SQLite connection may leave an empty -wal file behind; it writes no frame to it).
  const db_snapshot after = snapshot(s.dir().db());
  CHECK(after.main == before.main);
  CHECK(after.wal.value_or("").empty());

  const run_result month = s.report({"monthly", "--month", "2026-13"});
  CHECK(month.exit_code == 2);
  CHECK(month.err == "caseflow: --month '2026-13' is not a month written YYYY-MM, e.g. 2026-11\n");
  check_refused(s.dir().db(), [&] { return s.report({"closure-rate", "--quarter", "2026Q5"}); },
                "caseflow: --quarter '2026Q5' is not a quarter written YYYYQn, e.g. 2026Q4\n", 2);
  check_refused(s.dir().db(), [&] { return s.report({"daily", "--date", "2026-11-31"}); },
                "caseflow: --date '2026-11-31' is not a date written YYYY-MM-DD\n", 2);
  check_refused(s.dir().db(), [&] { return s.report({"monthly", "--month", "2026-11", "--procedure", "nope"}); },
                "caseflow: no procedure 'nope' in " + s.dir().file("processes") + "\n");

  const std::string out = s.dir().file("monthly.csv");
  CHECK(s.report({"monthly", "--month", "2026-11", "--format", "csv", "--out", out}).out.empty());
  CHECK(read_bytes(out)->starts_with("table,row,column,value\r\n"));
}

// Reads a PNG's IHDR size; nullopt when `bytes` is not a PNG.
std::optional<std::pair<std::uint32_t, std::uint32_t>> png_size(const std::string& bytes) {
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || bytes.compare(12, 4, "IHDR") != 0)
    return std::nullopt;
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return std::pair{be32(16), be32(20)};
}

TEST_CASE("report cli: the HTML report is self-contained and renders in headless Chromium") {
  report_session s;
  build_complaints(s);
  const std::string page = s.dir().file("monthly.html");
  REQUIRE(s.report({"monthly", "--month", "2026-11", "--format", "html", "--out", page}).exit_code == 0);
  const std::string html = *read_bytes(page);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("Received by category, against last month") != std::string::npos);
  for (const char* forbidden : {"<script", "src=", "href=", "@import", "url(", "@font-face"}) {
    CAPTURE(forbidden);
    CHECK(html.find(forbidden) == std::string::npos);
  }

  const std::string png = s.dir().file("monthly.png");
  const run_result shot = run("/usr/bin/chromium",
                              {"--headless", "--no-sandbox", "--disable-gpu", "--screenshot=" + png,
                               "--window-size=1200,1600", "file://" + page},
                              {{"HOME", s.dir().path().string()}}, s.dir().path());
  INFO("chromium stderr: ", shot.err);
  REQUIRE(shot.exit_code == 0);
  const auto bytes = read_bytes(png);
  REQUIRE(bytes);
  const auto size = png_size(*bytes);
  REQUIRE(size);
  CHECK(size->first == 1200);
  CHECK(size->second == 1600);
  // A blank page compresses to a few kilobytes; text, bars and tables do not.
  CHECK(bytes->size() > 40000);
}

}  // namespace
}  // namespace caseflow::test
