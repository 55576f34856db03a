// The walk-throughs in examples/*.sh, run with the built binary: each must finish its main path
// (the last transition ends the case), print the history and pass `caseflow verify`. Every
// shipped procedure has one.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::filesystem::path k_examples = std::filesystem::path(CASEFLOW_SOURCE_DIR) / "examples";

// Per script: the line that ends its main path and the verify summary.
struct expected_run {
  std::string last_step;
  std::string verified;
};

const std::map<std::string, expected_run> k_expected{
    {"complaint",
     {"TS-2026-00001: return_visit → closed (zhang.wei as cs_specialist)\n", "verified: 27 events in 1 cases"}},
    {"complaint_cost",
     {"TF-2026-00001: implementation → closed (zhang.wei as cs_specialist)\n", "verified: 8 events in 1 cases"}},
    {"compensation_refund_exchange",
     {"PC-2026-00001: payment → closed (zhang.wei as cs_specialist)\n", "verified: 9 events in 1 cases"}},
    {"repair_order",
     {"WX-2026-00001: settlement → closed (li.na as cs_specialist)\n", "verified: 18 events in 1 cases"}},
    {"move_in", {"RZ-2026-0001: vp_review → closed (zhao.lei as vp)\n", "verified: 28 events in 1 cases"}},
    {"legal_case",
     {"FL-2026-0001: proceedings → closed (zhou.min as legal_advisor)\n", "verified: 10 events in 2 cases"}},
    {"lawyer_engagement",
     {"LS-2026-0001: evaluation → closed (wang.fang as cs_manager)\n", "verified: 23 events in 1 cases"}},
    {"legal_review", {"FW-2026-00001: vp_confirmation → closed (zhao.lei as vp)\n", "verified: 16 events in 1 cases"}},
    {"satisfaction_survey",
     {"MY-2026-0001: round_done → closed (wang.fang as cs_manager)\n", "verified: 17 events in 1 cases"}},
    {"property_complaint",
     {"WY-20260518-001: return_visit → closed (jiang.tao as property_front_desk)\n", "verified: 21 events in 1 cases"}},
    {"complaint_8d",
     {"8D20260331001: effectiveness → closed (shi.lei as quality_engineer)\n", "verified: 13 events in 1 cases"}},
};

std::vector<std::string> example_scripts() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(k_examples))
    if (entry.is_regular_file() && entry.path().extension() == ".sh") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("examples: every shipped procedure has a walk-through script and every script is known") {
  cli_session s;
  const nlohmann::json procedures = s.json_at("2026-03-02T10:00+08:00", {"procedures"});
  std::vector<std::string> ids;
  for (const auto& p : procedures["procedures"]) ids.push_back(p["id"]);
  std::sort(ids.begin(), ids.end());
  CHECK(ids.size() == 11);
  CHECK(example_scripts() == ids);
  std::vector<std::string> known;
  for (const auto& [name, run] : k_expected) known.push_back(name);
  CHECK(known == ids);
}

TEST_CASE("examples: each script walks its case to the end of the main path and the log verifies") {
  for (const auto& name : example_scripts()) {
    CAPTURE(name);
    scratch_dir dir;
    const run_result r = run("/bin/bash", {(k_examples / (name + ".sh")).string(), CASEFLOW_BINARY},
                             {{"TMPDIR", dir.path().string()}}, dir.path());
    INFO("stderr: ", r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err == "");
    const auto expected = k_expected.find(name);
    REQUIRE(expected != k_expected.end());
    CHECK(contains(r.out, "$ caseflow --as "));
    CHECK(contains(r.out, expected->second.last_step));
    // The history is printed: its header and the closing step as its last event.
    CHECK(contains(r.out, "TIME                       ACTOR"));
    CHECK(contains(r.out, "→ closed"));
    CHECK(contains(r.out, "\n" + expected->second.verified + "; head "));
  }
}

}  // namespace
}  // namespace caseflow::test
