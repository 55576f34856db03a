// Report periods and renderings (caseflow/reports.h) on hand-built documents; the figures
// themselves are checked end to end in tests/e2e/reports_cli_test.cpp.
#include "caseflow/reports.h"

#include <doctest/doctest.h>

#include "caseflow/text_output.h"

namespace caseflow {
namespace {

std::string date_text(civil_date d) {
  int y = 0;
  unsigned m = 0, day = 0;
  split_date(d, &y, &m, &day);
  return std::to_string(y) + "-" + std::to_string(m) + "-" + std::to_string(day);
}

TEST_CASE("reports: months, halves and quarters are the local dates they name") {
  const auto november = parse_month("2026-11");
  REQUIRE(november);
  CHECK(date_text(november->first) == "2026-11-1");
  CHECK(date_text(november->last) == "2026-11-30");
  CHECK(november->label == "2026-11");
  const auto h1 = parse_month("2026-11", 1);
  CHECK(date_text(h1->last) == "2026-11-15");
  CHECK(h1->label == "2026-11 H1");
  const auto h2 = parse_month("2026-02", 2);
  CHECK(date_text(h2->first) == "2026-2-16");
  CHECK(date_text(h2->last) == "2026-2-28");
  CHECK(date_text(parse_month("2028-02")->last) == "2028-2-29");
  const date_range before = previous_month(*parse_month("2026-01"));
  CHECK(before.label == "2025-12");
  CHECK(date_text(before.last) == "2025-12-31");
  const auto q4 = parse_quarter("2026Q4");
  REQUIRE(q4);
  CHECK(date_text(q4->first) == "2026-10-1");
  CHECK(date_text(q4->last) == "2026-12-31");
  CHECK(date_text(parse_quarter("2027Q1")->last) == "2027-3-31");
  for (const char* bad : {"2026-13", "2026-1", "2026/11", "26-11", "2026-00", "2026-11x"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_month(bad));
  }
  CHECK_FALSE(parse_month("2026-11", 3));
  CHECK_FALSE(parse_quarter("2026Q5"));
  CHECK_FALSE(parse_quarter("2026Q0"));
  CHECK_FALSE(parse_quarter("2026-4"));
}

report_document sample() {
  report_document doc;
  doc.kind = "sample";
  doc.title = "Sample";
  doc.procedure = "complaint";
  doc.period = *parse_month("2026-11");
  doc.as_of = *parse_instant("2026-11-24T04:00:00Z");
  doc.headline = {{"received", "3", "+1 vs 2026-10"}};
  doc.tables.push_back({"by_category",
                        "By category",
                        {{"category", "类别"}, {"received", "received"}, {"share", "share"}},
                        {{"工程质量", 12, 0.25}, {"a, \"quoted\"", 3, nullptr}},
                        "a note"});
  doc.charts.push_back({"Chart", "by_category", {"category"}, {"received"}, false, ""});
  return doc;
}

TEST_CASE("reports: text aligns by display width and shows shares as percentages") {
  const std::string text = render_text(sample());
  CHECK(text ==
        "Sample — complaint — 2026-11 (2026-11-01 to 2026-11-30), as of 2026-11-24T04:00:00Z\n"
        "  received: 3 (+1 vs 2026-10)\n"
        "\n"
        "By category\n"
        "  类别         received  share\n"
        "  工程质量           12  25.0%\n"
        "  a, \"quoted\"         3      -\n"
        "  a note\n");
  CHECK(display_width("工程质量") == 8);
  CHECK(display_width("a") == 1);
}

TEST_CASE("reports: CSV is one RFC 4180 record per cell and JSON names every column") {
  CHECK(render_csv(sample()) ==
        "table,row,column,value\r\n"
        "by_category,1,category,工程质量\r\n"
        "by_category,1,received,12\r\n"
        "by_category,1,share,0.25\r\n"
        "by_category,2,category,\"a, \"\"quoted\"\"\"\r\n"
        "by_category,2,received,3\r\n"
        "by_category,2,share,\r\n");
  const nlohmann::json j = render_json(sample());
  CHECK(j["report"] == "sample");
  CHECK(j["period"] == nlohmann::json{{"from", "2026-11-01"}, {"to", "2026-11-30"}, {"label", "2026-11"}});
  CHECK(j["as_of"] == "2026-11-24T04:00:00Z");
  CHECK(j["tables"]["by_category"][0] == nlohmann::json{{"category", "工程质量"}, {"received", 12}, {"share", 0.25}});
  CHECK(j["tables"]["by_category"][1]["share"].is_null());
  CHECK(j["headline"][0] == nlohmann::json{{"label", "received"}, {"value", "3"}, {"detail", "+1 vs 2026-10"}});
}

TEST_CASE("reports: HTML is one page with inline SVG bars and escaped text") {
  const std::string html = render_html(sample());
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("a, &quot;quoted&quot;") != std::string::npos);
  CHECK(html.find("a, \"quoted\"") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  // Two bars on one scale: the longer one is the larger value.
  CHECK(html.find(">12</text>") != std::string::npos);
  CHECK(html.find(">3</text>") != std::string::npos);
}

}  // namespace
}  // namespace caseflow
