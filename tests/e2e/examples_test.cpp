// The walk-throughs in examples/*.sh, run with the built binary: each must finish its main path
// (the last transition ends the case), print the history and pass `caseflow verify`. Every
// shipped procedure has one.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::filesystem::path k_examples = std::filesystem::path(CASEFLOW_SOURCE_DIR) / "examples";

// Per script: the line that ends its main path (the case id before the colon is the case whose
// history the script prints).
const std::map<std::string, std::string> k_last_step{
    {"complaint", "TS-2026-00001: return_visit → closed (zhang.wei as cs_specialist)\n"},
    {"complaint_cost", "TF-2026-00001: implementation → closed (zhang.wei as cs_specialist)\n"},
    {"compensation_refund_exchange", "PC-2026-00001: payment → closed (zhang.wei as cs_specialist)\n"},
    {"repair_order", "WX-2026-00001: settlement → closed (li.na as cs_specialist)\n"},
    {"move_in", "RZ-2026-0001: vp_review → closed (zhao.lei as vp)\n"},
    {"legal_case", "FL-2026-0001: proceedings → closed (zhou.min as legal_advisor)\n"},
    {"lawyer_engagement", "LS-2026-0001: evaluation → closed (wang.fang as cs_manager)\n"},
    {"legal_review", "FW-2026-00001: vp_confirmation → closed (zhao.lei as vp)\n"},
    {"satisfaction_survey", "MY-2026-0001: round_done → closed (wang.fang as cs_manager)\n"},
    {"property_complaint", "WY-20260518-001: return_visit → closed (jiang.tao as property_front_desk)\n"},
    {"complaint_8d", "8D20260331001: effectiveness → closed (shi.lei as quality_engineer)\n"},
    {"complaint_report", "CRM-2026-11: preparing → closed (li.na as cs_specialist)\n"},
    {"survey_plan", "MYJH-2027: approval → closed (zhao.lei as vp)\n"},
    {"property_fee_slips", "SF-2026-12: issuing → closed (jiang.tao as property_front_desk)\n"},
    {"property_report", "WYTJ-2026-12: compiling → closed (lu.xin as property_supervisor)\n"},
};

// The rows of a printed history table: lines that start with an event number and a time.
int history_rows(const std::string& out) {
  static const std::regex row(R"(^\d+ +\d{4}-\d\d-\d\dT)");
  int rows = 0;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) rows += std::regex_search(line, row) ? 1 : 0;
  return rows;
}

std::vector<std::string> example_scripts() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(k_examples))
    if (entry.is_regular_file() && entry.path().extension() == ".sh") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("examples: every shipped procedure has a walk-through script and every script is known") {
  cli_session s(k_shipped_processes);
  const nlohmann::json procedures = s.json_at("2026-03-02T10:00+08:00", {"procedures"});
  std::vector<std::string> ids;
  for (const auto& p : procedures["procedures"]) ids.push_back(p["id"]);
  std::sort(ids.begin(), ids.end());
  CHECK(ids.size() == 15);
  CHECK(example_scripts() == ids);
  std::vector<std::string> known;
  for (const auto& [name, line] : k_last_step) known.push_back(name);
  CHECK(known == ids);
}

TEST_CASE("examples: each script walks its case to the end of the main path and the log verifies") {
  for (const auto& name : example_scripts()) {
    CAPTURE(name);
    scratch_dir dir;
    const std::string db = dir.file("walk.db");
    const run_result r = run("/bin/bash", {(k_examples / (name + ".sh")).string(), CASEFLOW_BINARY},
                             {{"TMPDIR", dir.path().string()}, {"CASEFLOW_EXAMPLE_DB", db}}, dir.path());
    INFO("stderr: ", r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err == "");
    const auto last_step = k_last_step.find(name);
    REQUIRE(last_step != k_last_step.end());
    CHECK(contains(r.out, "$ caseflow --as "));
    CHECK(contains(r.out, last_step->second));
    // The history of the walked case is printed whole, ending with its closing step, and the
    // verify summary counts what the walk wrote: both read from the database it kept.
    const std::string id = last_step->second.substr(0, last_step->second.find(':'));
    SQLite::Database written(db);
    SQLite::Statement case_events(written, "SELECT count(*) FROM events WHERE case_id = ?");
    case_events.bind(1, id);
    REQUIRE(case_events.executeStep());
    const int walked_events = case_events.getColumn(0).getInt();
    const int events = written.execAndGet("SELECT count(*) FROM events").getInt();
    const int cases = written.execAndGet("SELECT count(*) FROM cases").getInt();
    CHECK(walked_events > 0);
    CHECK(contains(r.out, "TIME                       ACTOR"));
    CHECK(history_rows(r.out) == walked_events);
    CHECK(contains(r.out, "→ closed"));
    CHECK(contains(r.out, fmt::format("\nverified: {} events in {} cases; head ", events, cases)));
  }
}

}  // namespace
}  // namespace caseflow::test
