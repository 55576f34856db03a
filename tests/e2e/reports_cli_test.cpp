// End-to-end tests of `caseflow report`: complaint cases walked through the real CLI in
// virtual time (October and November 2026), whose figures were counted by hand; each report
// read back from text, CSV, JSON and HTML by a parser per format and compared with one expected
// table; a fixture legal_review procedure for the pre-registration misses; the HTML page
// rendered by headless Chromium, its DOM read and its screenshot's colours counted.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// ---- What a report says, worked out by hand, and the same report read back from each format ----

// One cell of an expected table: its value as JSON carries it (CSV writes the same value as text),
// and the text a person reads in the text and HTML reports.
struct report_cell {
  report_cell(const char* text) : value(text), shown(text) {}
  report_cell(const std::string& text) : value(text), shown(text) {}
  report_cell(int n) : value(n), shown(std::to_string(n)) {}
  report_cell(nlohmann::json v, std::string s) : value(std::move(v)), shown(std::move(s)) {}
  nlohmann::json value;
  std::string shown;
};

// A month-on-month change: a rise is written with its sign.
report_cell change_cell(int n) { return {n, (n > 0 ? "+" : "") + std::to_string(n)}; }
// The share `part` / `whole` (a fraction in JSON), shown as the percentage written out by hand.
report_cell share_cell(int part, int whole, const char* percent) {
  return {static_cast<double>(part) / static_cast<double>(whole), percent};
}
// No value: null in JSON, an empty field in CSV, "-" in text and HTML.
report_cell no_cell() { return {nlohmann::json(), "-"}; }
// Working time past a limit's due time: negative seconds, shown as hours and minutes.
report_cell overdue_cell(int hours, int minutes) {
  return {-(hours * 3600 + minutes * 60), fmt::format("-{}h{:02}m", hours, minutes)};
}

using report_columns = std::vector<std::pair<std::string, std::string>>;  // key (JSON, CSV), header (text, HTML)

struct expected_table {
  std::string key;    // its name in JSON and CSV
  std::string title;  // its heading in text and HTML
  report_columns columns;
  std::vector<std::vector<report_cell>> rows;
  std::string note;  // text and HTML show it under the rows, or in their place when there are none
};

struct expected_report {
  std::string kind, title, procedure;
  std::string label, from, to;                     // the period
  std::vector<std::vector<std::string>> headline;  // label, value, detail
  std::vector<expected_table> tables;
};

// A report as one format says it: rows of cells for each table (the first row names the
// columns; text and HTML add the table's note as a row of one cell), its heading and its
// headline figures (label, value, detail).
struct parsed_table {
  std::string name;
  std::vector<std::vector<std::string>> rows;
};

struct parsed_report {
  std::vector<std::string> heading;
  std::vector<std::vector<std::string>> headline;
  std::vector<parsed_table> tables;
};

enum class report_format { text, csv, json, html };
constexpr report_format k_report_formats[] = {report_format::text, report_format::csv, report_format::json,
                                              report_format::html};

const char* format_name(report_format f) {
  switch (f) {
    case report_format::text:
      return "text";
    case report_format::csv:
      return "csv";
    case report_format::json:
      return "json";
    case report_format::html:
      return "html";
  }
  return "?";
}

// The UTF-8 character at s[i]: the columns a terminal gives it (two for CJK ideographs and
// full-width forms, one otherwise) and its length in bytes.
std::pair<std::size_t, std::size_t> utf8_char(std::string_view s, std::size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  REQUIRE(i + length <= s.size());
  std::uint32_t cp = length == 1 ? lead : lead & (0xFFu >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6);
  return {wide ? 2 : 1, length};
}

// A cell of a text table and the display columns [from, to) it takes on its line.
struct placed_cell {
  std::string text;
  std::size_t from = 0, to = 0;
};

// A table line cut into cells at runs of two or more spaces (one space stays inside a cell).
std::vector<placed_cell> text_line_cells(std::string_view line) {
  std::vector<placed_cell> cells;
  std::size_t i = 0, column = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i, ++column;
      continue;
    }
    placed_cell cell{"", column, column};
    while (i < line.size() && !(line[i] == ' ' && (i + 1 == line.size() || line[i + 1] == ' '))) {
      const auto [width, length] = utf8_char(line, i);
      cell.text.append(line.substr(i, length));
      column += width;
      i += length;
    }
    cell.to = column;
    cells.push_back(std::move(cell));
  }
  return cells;
}

// The text report: a heading line and "  label: value (detail)" lines, then blank-line separated
// tables, each a title line and indented lines of cells. Every cell must line up with its
// column's header at the left edge (text) or the right edge (numbers), counting a Chinese
// character as two columns.
parsed_report parse_text_report(const std::string& out) {
  REQUIRE(out.ends_with('\n'));
  std::vector<std::vector<std::string>> blocks{{}};
  for (std::size_t at = 0; at < out.size();) {
    const std::size_t end = out.find('\n', at);
    std::string line = out.substr(at, end - at);
    at = end + 1;
    if (line.empty())
      blocks.emplace_back();
    else
      blocks.back().push_back(std::move(line));
  }
  parsed_report r;
  REQUIRE(!blocks[0].empty());
  r.heading = {blocks[0][0]};
  for (std::size_t i = 1; i < blocks[0].size(); ++i) {
    const std::string& line = blocks[0][i];
    CAPTURE(line);
    REQUIRE(line.starts_with("  "));
    const std::size_t colon = line.find(": ");
    REQUIRE(colon != std::string::npos);
    std::string value = line.substr(colon + 2), detail;
    if (const std::size_t paren = value.find(" ("); paren != std::string::npos && value.ends_with(')')) {
      detail = value.substr(paren + 2, value.size() - paren - 3);
      value.resize(paren);
    }
    r.headline.push_back({line.substr(2, colon - 2), value, detail});
  }
  for (std::size_t b = 1; b < blocks.size(); ++b) {
    const std::vector<std::string>& lines = blocks[b];
    REQUIRE(lines.size() >= 2);
    CHECK_FALSE(lines[0].starts_with(" "));
    parsed_table t{lines[0], {}};
    std::vector<placed_cell> header;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      CAPTURE(lines[i]);
      REQUIRE(lines[i].starts_with("  "));
      const std::vector<placed_cell> cells = text_line_cells(lines[i]);
      if (i == 1)
        header = cells;
      else if (cells.size() == header.size())
        for (std::size_t c = 0; c < cells.size(); ++c)
          CHECK_MESSAGE((cells[c].from == header[c].from || cells[c].to == header[c].to), "'", cells[c].text,
                        "' lines up with neither edge of '", header[c].text, "'");
      t.rows.emplace_back();
      for (const auto& c : cells) t.rows.back().push_back(c.text);
    }
    r.tables.push_back(std::move(t));
  }
  return r;
}

// The CSV report: "table,row,column,value" records, a table's rows numbered from 1 and each
// row's columns in the same order.
parsed_report parse_csv_report(const std::string& text) {
  const auto records = parse_csv(text);
  REQUIRE(!records.empty());
  CHECK(records[0] == std::vector<std::string>{"table", "row", "column", "value"});
  parsed_report r;
  std::string row_number;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const std::vector<std::string>& record = records[i];
    CAPTURE(i);
    REQUIRE(record.size() == 4);
    if (r.tables.empty() || r.tables.back().name != record[0]) {
      r.tables.push_back({record[0], {{}}});
      row_number.clear();
    }
    parsed_table& t = r.tables.back();
    if (record[1] != row_number) {
      CHECK(record[1] == std::to_string(t.rows.size()));
      row_number = record[1];
      t.rows.emplace_back();
    }
    if (t.rows.size() == 2) {
      t.rows[0].push_back(record[2]);  // the first row names the columns
    } else {
      REQUIRE(t.rows.back().size() < t.rows[0].size());
      CHECK(record[2] == t.rows[0][t.rows.back().size()]);
    }
    t.rows.back().push_back(record[3]);
  }
  return r;
}

std::string json_string(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : "(not a string: " + v.dump() + ")";
}

// The JSON report: heading fields, the headline array and each table's rows as objects (nlohmann
// keeps an object's keys sorted, so are the columns); a cell is its JSON text, so 5, "5" and 5.0
// differ.
parsed_report parse_json_report(const std::string& text) {
  nlohmann::json doc = nlohmann::json::parse(text);
  parsed_report r;
  for (const nlohmann::json* v : {&doc["report"], &doc["title"], &doc["procedure"], &doc["period"]["from"],
                                  &doc["period"]["to"], &doc["period"]["label"], &doc["as_of"]})
    r.heading.push_back(json_string(*v));
  for (auto& f : doc["headline"])
    r.headline.push_back({json_string(f["label"]), json_string(f["value"]), json_string(f["detail"])});
  for (const auto& [key, rows] : doc["tables"].items()) {
    parsed_table t{key, {}};
    for (const auto& row : rows) {
      if (t.rows.empty()) {
        t.rows.emplace_back();
        for (const auto& [column, ignored] : row.items()) t.rows[0].push_back(column);
      }
      t.rows.emplace_back();
      for (const auto& [column, v] : row.items()) {
        CHECK(std::find(t.rows[0].begin(), t.rows[0].end(), column) - t.rows[0].begin() ==
              static_cast<std::ptrdiff_t>(t.rows.back().size()));
        t.rows.back().push_back(v.dump());
      }
    }
    r.tables.push_back(std::move(t));
  }
  return r;
}

// Text with the entities html_escape writes (and a DOM serialiser may) turned back into characters.
std::string html_text(std::string_view s) {
  static const std::pair<std::string_view, char> k_entities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    for (const auto& [entity, c] : k_entities)
      if (s.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size();
        replaced = true;
        break;
      }
    if (!replaced) out += s[i++];
  }
  return out;
}

// The contents of every <tag ...>...</tag> in `html`, in order (tags of that name do not nest).
std::vector<std::string> html_elements(std::string_view html, std::string_view tag) {
  std::vector<std::string> out;
  const std::string open = "<" + std::string(tag), close = "</" + std::string(tag) + ">";
  for (std::size_t at = html.find(open); at != std::string_view::npos; at = html.find(open, at)) {
    const std::size_t after = at + open.size();
    if (after >= html.size() || (html[after] != '>' && html[after] != ' ')) {
      at = after;
      continue;
    }
    const std::size_t start = html.find('>', after) + 1;
    const std::size_t end = html.find(close, start);
    REQUIRE(end != std::string_view::npos);
    out.emplace_back(html.substr(start, end - start));
    at = end + close.size();
  }
  return out;
}

// The text after the start tag `marker` (first found from `from`) up to the next tag.
std::optional<std::string> html_inside(std::string_view html, std::string_view marker, std::size_t from = 0) {
  const std::size_t at = html.find(marker, from);
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t start = at + marker.size();
  return html_text(html.substr(start, html.find('<', start) - start));
}

// The HTML report (the page caseflow writes, or the DOM Chromium made of it): the page title,
// kind line, h1 and period line; each headline figure's label, value and detail; each table card
// (not the chart cards) with its h2, its <th> row, its <td> rows and its note.
parsed_report parse_html_report(const std::string& html) {
  parsed_report r;
  for (const std::string marker : {"<title>", "<div class=\"kind\">", "<h1>", "<p class=\"sub\">"})
    r.heading.push_back(html_inside(html, marker).value_or("(no " + marker + ")"));
  const std::string figure = "<div class=\"figure\">";
  for (std::size_t at = html.find(figure); at != std::string::npos; at = html.find(figure, at + 1)) {
    r.headline.emplace_back();
    for (const char* part : {"<div class=\"label\">", "<div class=\"value\">", "<div class=\"detail\">"})
      r.headline.back().push_back(html_inside(html, part, at).value_or(""));
  }
  const std::string card = "<section class=\"card\">";
  for (std::size_t at = html.find(card); at != std::string::npos; at = html.find(card, at + 1)) {
    const std::size_t end = html.find("</section>", at);
    REQUIRE(end != std::string::npos);
    const std::string_view section = std::string_view(html).substr(at, end - at);
    parsed_table t{html_inside(section, "<h2>").value_or("(no <h2>)"), {}};
    for (const std::string& row : html_elements(section, "tr")) {
      std::vector<std::string> cells = html_elements(row, "th");
      if (cells.empty()) cells = html_elements(row, "td");
      for (auto& c : cells) c = html_text(c);
      t.rows.push_back(std::move(cells));
    }
    for (const char* note : {"<p class=\"note\">", "<p class=\"muted\">"})
      if (auto text = html_inside(section, note)) t.rows.push_back({*text});
    r.tables.push_back(std::move(t));
  }
  return r;
}

parsed_report parse_report(report_format f, const std::string& out) {
  switch (f) {
    case report_format::text:
      return parse_text_report(out);
    case report_format::csv:
      return parse_csv_report(out);
    case report_format::json:
      return parse_json_report(out);
    case report_format::html:
      return parse_html_report(out);
  }
  return {};
}

constexpr const char* k_report_as_of = "2026-11-24T04:00:00Z";  // k_report_now in UTC

// What `format` must say for the expected report: one table of figures, four ways of writing it.
parsed_report expected_in(const expected_report& e, report_format format) {
  parsed_report r;
  const std::string period = fmt::format("{} ({} to {})", e.label, e.from, e.to);
  for (const auto& t : e.tables)
    for (const auto& row : t.rows) REQUIRE_MESSAGE(row.size() == t.columns.size(), "expected table ", t.key);
  if (format == report_format::text || format == report_format::html) {
    if (format == report_format::text)
      r.heading = {fmt::format("{}{} — {}, as of {}", e.title, e.procedure.empty() ? "" : " — " + e.procedure, period,
                               k_report_as_of)};
    else
      r.heading = {
          e.title + " " + e.label, "caseflow · " + e.kind, e.title,
          fmt::format("{}{} · as of {}", e.procedure.empty() ? "" : e.procedure + " · ", period, k_report_as_of)};
    r.headline = e.headline;
    for (const auto& t : e.tables) {
      parsed_table p{t.title, {}};
      if (t.rows.empty()) {
        p.rows.push_back({t.note.empty() ? "no rows" : t.note});
      } else {
        p.rows.emplace_back();
        for (const auto& column : t.columns) p.rows[0].push_back(column.second);
        for (const auto& row : t.rows) {
          p.rows.emplace_back();
          for (const auto& c : row) p.rows.back().push_back(c.shown);
        }
        if (!t.note.empty()) p.rows.push_back({t.note});
      }
      r.tables.push_back(std::move(p));
    }
  } else if (format == report_format::csv) {
    for (const auto& t : e.tables) {
      if (t.rows.empty()) continue;  // a table without rows has no record
      parsed_table p{t.key, {{}}};
      for (const auto& column : t.columns) p.rows[0].push_back(column.first);
      for (const auto& row : t.rows) {
        p.rows.emplace_back();
        for (const auto& c : row)
          p.rows.back().push_back(c.value.is_null()     ? ""
                                  : c.value.is_string() ? c.value.get<std::string>()
                                                        : c.value.dump());
      }
      r.tables.push_back(std::move(p));
    }
  } else {
    r.heading = {e.kind, e.title, e.procedure, e.from, e.to, e.label, k_report_as_of};
    r.headline = e.headline;
    std::map<std::string, const expected_table*> by_key;  // JSON objects keep keys sorted
    for (const auto& t : e.tables) by_key[t.key] = &t;
    for (const auto& [key, t] : by_key) {
      parsed_table p{key, {}};
      std::vector<std::size_t> order(t->columns.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return t->columns[a].first < t->columns[b].first; });
      if (!t->rows.empty()) {
        p.rows.emplace_back();
        for (std::size_t i : order) p.rows[0].push_back(t->columns[i].first);
      }
      for (const auto& row : t->rows) {
        p.rows.emplace_back();
        for (std::size_t i : order) p.rows.back().push_back(row[i].value.dump());
      }
      r.tables.push_back(std::move(p));
    }
  }
  return r;
}

// Rows as "[cell] [cell]" lines, for comparing and for reading a failure.
std::string rows_text(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? " [" : "[") + row[i] + "]";
    out += "\n";
  }
  return out;
}

// The one comparison every format goes through: heading, headline figures, the tables in
// order, and every cell of every table.
void check_report(const parsed_report& got, const parsed_report& want) {
  CHECK(rows_text({got.heading}) == rows_text({want.heading}));
  CHECK(rows_text(got.headline) == rows_text(want.headline));
  std::vector<std::string> got_names, want_names;
  for (const auto& t : got.tables) got_names.push_back(t.name);
  for (const auto& t : want.tables) want_names.push_back(t.name);
  CHECK(rows_text({got_names}) == rows_text({want_names}));
  for (std::size_t i = 0; i < std::min(got.tables.size(), want.tables.size()); ++i) {
    INFO("table: ", want.tables[i].name);
    CHECK(rows_text(got.tables[i].rows) == rows_text(want.tables[i].rows));
  }
}

// Runs the report in each format, reads each back with its own parser and compares it with the
// same expected report; reading never writes: the database is byte for byte as it was and its
// write-ahead log holds nothing.
void check_every_format(const report_session& s, const std::vector<std::string>& args, const expected_report& want) {
  const db_snapshot before = stored_bytes(s.dir().db());
  for (report_format f : k_report_formats) {
    std::vector<std::string> with = args;
    with.insert(with.end(), {"--format", format_name(f)});
    std::string command = "caseflow report";
    for (const auto& a : with) command += " " + a;
    INFO(command);
    const run_result r = s.report(with);
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    check_report(parse_report(f, r.out), expected_in(want, f));
  }
  CHECK(stored_bytes(s.dir().db()) == before);
}

// ---- The fixture's reports, counted by hand from build_complaints ----

report_columns with_counts(report_columns head, const char* received = "received") {
  head.insert(head.end(), {{"received", received}, {"completed", "completed"}, {"open", "open at end"}});
  return head;
}

// A monthly table against the previous month.
report_columns compared_columns(const char* field) {
  report_columns c = with_counts({{field, field}}, "received 2026-11");
  c.insert(c.end(), {{"previous_received", "received 2026-10"}, {"change", "change"}});
  return c;
}

expected_table closed_serious_expected(std::vector<std::vector<report_cell>> rows) {
  const std::string note = rows.empty() ? "none in the period" : "";
  return {"closed_serious",
          "Important, hot and major cases completed",
          {{"period", "period"},
           {"case", "case"},
           {"severity", "severity"},
           {"category", "category"},
           {"sub_type", "sub-type"},
           {"closed", "closed"},
           {"closed_by", "closed by"}},
          std::move(rows),
          note};
}

// N2, important, closed (satisfied) on 11-10 at 14:00 Shanghai time by li.na.
std::vector<report_cell> n2_closed(const fixture_ids& id, const char* period) {
  return {period, id.n2, "important", "engineering_quality", "裂缝 \"墙体\", 外立面", "2026-11-10T14:00:00+08:00",
          "li.na"};
}

expected_table open_serious_expected(const std::string& at, std::vector<std::vector<report_cell>> rows) {
  const std::string note = rows.empty() ? "none" : "";
  return {"open_serious",
          "Important, hot and major cases open at the end of " + at,
          {{"case", "case"},
           {"severity", "severity"},
           {"category", "category"},
           {"step", "step"},
           {"step_name", "step name"},
           {"opened", "opened"},
           {"days_open", "days open"},
           {"limit", "limit"},
           {"working_seconds_left", "working seconds left"},
           {"status", "status"}},
          std::move(rows),
          note};
}

// N3, hot, waiting for the department's written answer, due 11-16 15:15; `days` whole days
// since it opened (11-16 10:00) and h:m of working time past the due time, at the report's end.
std::vector<report_cell> n3_open(const fixture_ids& id, int days, int hours, int minutes) {
  return {id.n3,
          "hot",
          "sales_management",
          "department_reply",
          "责任部门书面回复",
          "2026-11-16",
          days,
          "department_reply.written_answer",
          overdue_cell(hours, minutes),
          fmt::format("overdue {}h{:02}m", hours, minutes)};
}

// N5, major, opened 11-24 09:00 and still in intake: its 30 minutes were due at 09:30, and
// 09:30 to 12:00 is 2h30m of working time.
std::vector<report_cell> n5_open(const fixture_ids& id) {
  return {id.n5,
          "major",
          "property_management",
          "intake",
          "受理登记",
          "2026-11-24",
          0,
          "intake.forward_phone_email",
          overdue_cell(2, 30),
          "overdue 2h30m"};
}

// November against October. November: received N1-N5; completed O2 (11-03), N1, N2; open N3,
// N4, N5. October: received O1, O2; completed O1; open O2.
expected_report monthly_expected(const fixture_ids& id) {
  return {"monthly",
          "Monthly case report",
          "complaint",
          "2026-11",
          "2026-11-01",
          "2026-11-30",
          {{"received", "5", "+3 vs 2026-10"},
           {"completed", "3", "+2 vs 2026-10"},
           {"open at end", "3", "+2 vs 2026-10"},
           {"important / hot / major open", "2", ""}},  // N3, N5
          {{"summary",
            "2026-11 compared with 2026-10",
            {{"figure", "figure"}, {"current", "2026-11"}, {"previous", "2026-10"}, {"change", "change"}},
            {{"received", 5, 2, change_cell(3)}, {"completed", 3, 1, change_cell(2)}, {"open", 3, 1, change_cell(2)}},
            ""},
           // Categories and severities in the order of the procedure's enum values.
           {"by_category",
            "By category",
            compared_columns("category"),
            {{"engineering_quality", 2, 2, 0, 1, change_cell(1)},   // N1 N2 / O1
             {"planning_design", 1, 0, 1, 0, change_cell(1)},       // N4
             {"sales_management", 1, 0, 1, 0, change_cell(1)},      // N3
             {"property_management", 1, 1, 1, 1, change_cell(0)}},  // N5 received and open, O2 completed / O2
            ""},
           // Sub-types by (category, sub-type) in byte order: "(none)" before Chinese, 渗 (E6) before 裂 (E8).
           {"by_sub_type",
            "By category and sub-type",
            with_counts({{"category", "category"}, {"sub_type", "sub-type"}}),
            {{"engineering_quality", "渗水", 1, 1, 0},                   // N1
             {"engineering_quality", "裂缝 \"墙体\", 外立面", 1, 1, 0},  // N2
             {"planning_design", "(none)", 1, 0, 1},                     // N4
             {"property_management", "(none)", 1, 0, 1},                 // N5
             {"property_management", "噪音", 0, 1, 0},                   // O2
             {"sales_management", "合同", 1, 0, 1}},                     // N3
            ""},
           {"by_severity",
            "By severity",
            compared_columns("severity"),
            {{"general", 2, 2, 1, 2, change_cell(0)},  // N1 N4 received; O2 N1 completed; N4 open / O1 O2
             {"important", 1, 1, 0, 0, change_cell(1)},
             {"hot", 1, 0, 1, 0, change_cell(1)},
             {"major", 1, 0, 1, 0, change_cell(1)}},
            ""},
           closed_serious_expected({n2_closed(id, "2026-11")}),
           // N3 at 11-24 12:00: 8 days and 2 hours open; working time since 11-16 15:15 is
           // 2h45m + 4 x 8h (11-17 to 11-20) + 8h (11-23) + 3h (11-24 09:00-12:00) = 45h45m.
           open_serious_expected("2026-11", {n3_open(id, 8, 45, 45), n5_open(id)})}};
}

// Both halves of November: H1 (1st-15th) received N1, N2 and completed O2, N1, N2, leaving
// nothing open; H2 received N3, N4, N5, all open.
expected_report half_month_expected(const fixture_ids& id) {
  const report_columns period{{"period", "period"}};
  return {"half-month",
          "Half-month case report",
          "complaint",
          "2026-11",
          "2026-11-01",
          "2026-11-30",
          {{"received", "3", "2026-11 H2"},
           {"completed", "0", "2026-11 H2"},
           {"open at end", "3", ""},
           {"important / hot / major open", "2", ""}},
          {{"summary",
            "Cases received, completed and open",
            with_counts({{"period", "period"}, {"from", "from"}, {"to", "to"}}),
            {{"2026-11 H1", "2026-11-01", "2026-11-15", 2, 3, 0}, {"2026-11 H2", "2026-11-16", "2026-11-30", 3, 0, 3}},
            ""},
           {"by_category",
            "By category",
            with_counts({{"period", "period"}, {"category", "category"}}),
            {{"2026-11 H1", "engineering_quality", 2, 2, 0},   // N1 N2
             {"2026-11 H1", "property_management", 0, 1, 0},   // O2
             {"2026-11 H2", "planning_design", 1, 0, 1},       // N4
             {"2026-11 H2", "sales_management", 1, 0, 1},      // N3
             {"2026-11 H2", "property_management", 1, 0, 1}},  // N5
            ""},
           {"by_sub_type",
            "By category and sub-type",
            with_counts({{"period", "period"}, {"category", "category"}, {"sub_type", "sub-type"}}),
            {{"2026-11 H1", "engineering_quality", "渗水", 1, 1, 0},
             {"2026-11 H1", "engineering_quality", "裂缝 \"墙体\", 外立面", 1, 1, 0},
             {"2026-11 H1", "property_management", "噪音", 0, 1, 0},
             {"2026-11 H2", "planning_design", "(none)", 1, 0, 1},
             {"2026-11 H2", "property_management", "(none)", 1, 0, 1},
             {"2026-11 H2", "sales_management", "合同", 1, 0, 1}},
            ""},
           {"by_severity",
            "By severity",
            with_counts({{"period", "period"}, {"severity", "severity"}}),
            {{"2026-11 H1", "general", 1, 2, 0},    // N1 received; O2 N1 completed
             {"2026-11 H1", "important", 1, 1, 0},  // N2
             {"2026-11 H2", "general", 1, 0, 1},    // N4
             {"2026-11 H2", "hot", 1, 0, 1},        // N3
             {"2026-11 H2", "major", 1, 0, 1}},     // N5
            ""},
           closed_serious_expected({n2_closed(id, "2026-11 H1")}),
           // The end of H2 is after the report's time: counted at 11-24 12:00, as in the monthly report.
           open_serious_expected("2026-11 H2", {n3_open(id, 8, 45, 45), n5_open(id)})}};
}

// 11-17: N4 received (forum, planning and design, general); N3 and N4 open at the end of the
// day; N5 does not exist yet, nothing was completed.
expected_report daily_expected(const fixture_ids& id) {
  return {"daily",
          "Daily case report",
          "complaint",
          "2026-11-17",
          "2026-11-17",
          "2026-11-17",
          {{"received", "1", "2026-11-17"},
           {"completed", "0", "2026-11-17"},
           {"open at end", "2", ""},
           {"important / hot / major open", "1", ""}},  // N3
          {{"summary",
            "Cases received, completed and open",
            with_counts({{"period", "period"}, {"from", "from"}, {"to", "to"}}),
            {{"2026-11-17", "2026-11-17", "2026-11-17", 1, 0, 2}},
            ""},
           {"by_category",
            "By category",
            with_counts({{"period", "period"}, {"category", "category"}}),
            {{"2026-11-17", "planning_design", 1, 0, 1}, {"2026-11-17", "sales_management", 0, 0, 1}},
            ""},
           {"by_sub_type",
            "By category and sub-type",
            with_counts({{"period", "period"}, {"category", "category"}, {"sub_type", "sub-type"}}),
            {{"2026-11-17", "planning_design", "(none)", 1, 0, 1}, {"2026-11-17", "sales_management", "合同", 0, 0, 1}},
            ""},
           {"by_severity",
            "By severity",
            with_counts({{"period", "period"}, {"severity", "severity"}}),
            {{"2026-11-17", "general", 1, 0, 1}, {"2026-11-17", "hot", 0, 0, 1}},
            ""},
           closed_serious_expected({}),
           // N3 at the end of 11-17 (11-18 00:00): 38 hours open, 1 whole day; working time since
           // 11-16 15:15 is 2h45m + 8h = 10h45m.
           open_serious_expected("2026-11-17", {n3_open(id, 1, 10, 45)})}};
}

const char* const k_closure_note = "handled = closed in the quarter + open at its end; rate = closed on time / handled";

report_columns closure_columns() {
  return {{"specialist", "specialist"},         {"total", "handled"},    {"closed", "closed"},
          {"closed_on_time", "closed on time"}, {"open", "open at end"}, {"rate", "closure rate"}};
}

// 2026Q4: li.na closed O2 (on time) and N2 (intake limit breached); wu.qiang has N3 open;
// zhang.wei closed O1 and N1 on time and has N4 and N5 open.
expected_report closure_expected() {
  return {"closure-rate",
          "Closure rate per specialist",
          "complaint",
          "2026Q4",
          "2026-10-01",
          "2026-12-31",
          {{"closure rate", "42.9%", "3 of 7 on time"},
           {"closed", "4", "2026Q4"},
           {"open at end", "3", ""},
           {"specialists", "3", ""}},
          {{"by_specialist",
            "Cases closed on time out of those handled, 2026Q4",
            closure_columns(),
            {{"li.na", 2, 2, 1, 0, share_cell(1, 2, "50.0%")},
             {"wu.qiang", 1, 0, 0, 1, share_cell(0, 1, "0.0%")},
             {"zhang.wei", 4, 2, 2, 2, share_cell(2, 4, "50.0%")},
             {"all", 7, 4, 3, 3, share_cell(3, 7, "42.9%")}},
            k_closure_note}}};
}

// 2026Q3 holds no case: only the total row, with no rate.
expected_report closure_q3_expected() {
  return {"closure-rate",
          "Closure rate per specialist",
          "complaint",
          "2026Q3",
          "2026-07-01",
          "2026-09-30",
          {{"closure rate", "-", "0 of 0 on time"},
           {"closed", "0", "2026Q3"},
           {"open at end", "0", ""},
           {"specialists", "0", ""}},
          {{"by_specialist",
            "Cases closed on time out of those handled, 2026Q3",
            closure_columns(),
            {{"all", 0, 0, 0, 0, no_cell()}},
            k_closure_note}}};
}

// November's limits. Forwarding by phone/email (30m working): N1, N3 met; N2 left late (due
// 10:30, forwarded 11:00), N5 past due at 09:30. Forum (1h): N4 met. Written answer (4h
// working): N1, N2, N4 met; N3 breached at its due time 11-16 15:15. O1 and O2 were decided
// in October.
expected_report sla_expected() {
  return {"sla",
          "Time-limit compliance",
          "",
          "2026-11",
          "2026-11-01",
          "2026-11-30",
          {{"compliance", "66.7%", "2026-11"},
           {"limits met", "6", ""},
           {"limits met after extension", "0", ""},
           {"limits breached", "3", ""}},
          {{"by_procedure",
            "By procedure",
            {{"procedure", "procedure"},
             {"met", "met"},
             {"met_after_extension", "met after extension"},
             {"breached", "breached"},
             {"compliance", "compliance"}},
            {{"complaint", 6, 0, 3, share_cell(6, 9, "66.7%")}},
            ""},
           {"by_step",
            "Step limits met and breached",
            {{"procedure", "procedure"},
             {"step", "step"},
             {"rule", "limit"},
             {"met", "met"},
             {"met_after_extension", "met after extension"},
             {"breached", "breached"},
             {"compliance", "compliance"}},
            {{"complaint", "department_reply", "written_answer", 3, 0, 1, share_cell(3, 4, "75.0%")},
             {"complaint", "intake", "forward_other", 1, 0, 0, share_cell(1, 1, "100.0%")},
             {"complaint", "intake", "forward_phone_email", 2, 0, 2, share_cell(2, 4, "50.0%")}},
            "a limit counts in the month it was met (step left in time; after an extension: by the extended time) or "
            "breached (at its due time); compliance counts both kinds of met"}}};
}

// November's legal reviews (the October one is not counted): sales 3 (one not pre-registered),
// engineering 1 (not pre-registered).
expected_report legal_expected() {
  return {"legal-review-misses",
          "Legal review: missed pre-registrations",
          "legal_review",
          "2026-11",
          "2026-11-01",
          "2026-11-30",
          {{"reviews submitted", "4", "2026-11"}, {"pre-registrations missed", "2", "50.0%"}, {"departments", "2", ""}},
          {{"by_department",
            "Reviews submitted and pre-registrations missed, per department",
            {{"department", "department"}, {"submitted", "submitted"}, {"missed", "missed"}, {"share", "share missed"}},
            {{"engineering", 1, 1, share_cell(1, 1, "100.0%")},
             {"sales", 3, 1, share_cell(1, 3, "33.3%")},
             {"all", 4, 2, share_cell(2, 4, "50.0%")}},
            "submitted = legal_review cases opened in the month; missed = preregistered is false"}}};
}

TEST_CASE("report cli: monthly counts by category, sub-type and severity against the previous month, in every format") {
  report_session s;
  const fixture_ids id = build_complaints(s);
  check_every_format(s, {"monthly", "--month", "2026-11"}, monthly_expected(id));
}

TEST_CASE("report cli: half-month halves and the daily report count the same cases by their dates, in every format") {
  report_session s;
  const fixture_ids id = build_complaints(s);
  check_every_format(s, {"half-month", "--month", "2026-11"}, half_month_expected(id));

  // --half 2 is the second half alone.
  const nlohmann::json both = s.report_json({"half-month", "--month", "2026-11"});
  const nlohmann::json second = s.report_json({"half-month", "--month", "2026-11", "--half", "2"});
  REQUIRE(second["tables"]["summary"].size() == 1);
  CHECK(second["tables"]["summary"][0] == both["tables"]["summary"][1]);
  CHECK(second["period"] == nlohmann::json{{"from", "2026-11-16"}, {"to", "2026-11-30"}, {"label", "2026-11 H2"}});

  check_every_format(s, {"daily", "--date", "2026-11-17"}, daily_expected(id));
  // Without --date: today in the complaint calendar (11-24): N5 received; N3, N4, N5 open.
  const nlohmann::json today = s.report_json({"daily"});
  CHECK(today["period"]["from"] == "2026-11-24");
  const nlohmann::json& summary = today["tables"]["summary"][0];
  CHECK(summary["received"] == 1);
  CHECK(summary["completed"] == 0);
  CHECK(summary["open"] == 3);
}

TEST_CASE("report cli: closure rate per specialist for a quarter, in every format") {
  report_session s;
  build_complaints(s);
  check_every_format(s, {"closure-rate", "--quarter", "2026Q4"}, closure_expected());
  check_every_format(s, {"closure-rate", "--quarter", "2026Q3"}, closure_q3_expected());
}

TEST_CASE("report cli: SLA compliance per step limit counts limits met and breached in the month, in every format") {
  report_session s;
  build_complaints(s);
  check_every_format(s, {"sla", "--month", "2026-11"}, sla_expected());
  // October: O1 and O2 met both their limits.
  const nlohmann::json october = s.report_json({"sla", "--month", "2026-10", "--procedure", "complaint"});
  CHECK(october["procedure"] == "complaint");
  CHECK(october["tables"]["by_procedure"] ==
        nlohmann::json::array({{{"procedure", "complaint"},
                                      {"met", 4},
                                      {"met_after_extension", 0},
                                      {"breached", 0},
                                      {"compliance", 1.0}}}));
}

TEST_CASE("report cli: --by department groups every report by the department at the period's end") {
  report_session s;
  build_complaints(s);
  // November by department (enum order, then unset): engineering received N1 and N2 and closed
  // them (October: O1); property management closed O2 (received in October); sales N3, design N4
  // and the unset N5 are open.
  const nlohmann::json monthly = s.report_json({"monthly", "--month", "2026-11", "--by", "department"});
  auto month_row = [](const char* d, int received, int completed, int open, int previous, int change) {
    return nlohmann::json{{"department", d}, {"received", received}, {"completed", completed}, {"open", open},
                          {"previous_received", previous}, {"change", change}};
  };
  CHECK(monthly["tables"]["by_department"] ==
        nlohmann::json::array({month_row("engineering", 2, 2, 0, 1, 1), month_row("property_management", 0, 1, 0, 1, -1),
                               month_row("sales", 1, 0, 1, 0, 1), month_row("design", 1, 0, 1, 0, 1),
                               month_row("(none)", 1, 0, 1, 0, 1)}));
  // SLA: N1 met both limits, N2 missed intake; N3 met intake and missed the written answer; N4
  // met both; N5 is past its intake limit.
  const nlohmann::json sla = s.report_json({"sla", "--month", "2026-11", "--by", "department"});
  auto sla_row = [](const char* d, int met, int breached) {
    return nlohmann::json{{"department", d}, {"met", met}, {"met_after_extension", 0}, {"breached", breached},
                          {"compliance", static_cast<double>(met) / (met + breached)}};
  };
  CHECK(sla["tables"]["by_department"] == nlohmann::json::array({sla_row("(none)", 0, 1), sla_row("design", 2, 0),
                                                                 sla_row("engineering", 3, 1), sla_row("sales", 1, 1)}));
  // Closure rate in Q4: engineering closed O1, N1 on time and N2 late; property management O2.
  const nlohmann::json closure = s.report_json({"closure-rate", "--quarter", "2026Q4", "--by", "department"});
  auto closure_row = [](const char* d, int total, int closed, int on_time, int open) {
    return nlohmann::json{{"department", d},  {"total", total}, {"closed", closed}, {"closed_on_time", on_time},
                          {"open", open},     {"rate", static_cast<double>(on_time) / total}};
  };
  CHECK(closure["tables"]["by_department"] ==
        nlohmann::json::array({closure_row("(none)", 1, 0, 0, 1), closure_row("design", 1, 0, 0, 1),
                               closure_row("engineering", 3, 3, 2, 0), closure_row("property_management", 1, 1, 1, 0),
                               closure_row("sales", 1, 0, 0, 1)}));
  // A field the procedure does not have is a usage error.
  const run_result wrong = s.report({"monthly", "--month", "2026-11", "--by", "departmnet"});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err == "caseflow: --by 'departmnet' is not a field of procedure complaint; did you mean 'department'?\n");
}

TEST_CASE("report cli: the weekly report counts one ISO week, Monday to Sunday") {
  report_session s;
  build_complaints(s);
  // Week 47 is 11-16..11-22: N3 and N4 were received and are open at its end; nothing closed.
  const nlohmann::json weekly = s.report_json({"weekly", "--week", "2026-W47", "--by", "department"});
  CHECK(weekly["report"] == "weekly");
  CHECK(weekly["period"] == nlohmann::json{{"from", "2026-11-16"}, {"to", "2026-11-22"}, {"label", "2026-W47"}});
  CHECK(weekly["tables"]["summary"] ==
        nlohmann::json::array({{{"period", "2026-W47"}, {"from", "2026-11-16"}, {"to", "2026-11-22"}, {"received", 2},
                                {"completed", 0}, {"open", 2}}}));
  CHECK(weekly["tables"]["by_department"] ==
        nlohmann::json::array({{{"period", "2026-W47"}, {"department", "sales"}, {"received", 1}, {"completed", 0}, {"open", 1}},
                               {{"period", "2026-W47"}, {"department", "design"}, {"received", 1}, {"completed", 0}, {"open", 1}}}));
  const run_result bad = s.report({"weekly", "--week", "2026-W54"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "caseflow: --week '2026-W54' is not an ISO week written YYYY-Www, e.g. 2026-W48\n");
}

TEST_CASE("report cli: legal review misses per department, in every format") {
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
  check_every_format(s, {"legal-review-misses", "--month", "2026-11"}, legal_expected());
}

TEST_CASE("report cli: reports refuse a missing database and bad periods, and --out writes the report to a file") {
  report_session s;
  const run_result missing = s.report({"monthly", "--month", "2026-11"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "caseflow: no database at " + s.dir().db() + " (set --db or CASEFLOW_DB)\n");
  CHECK_FALSE(std::filesystem::exists(s.dir().db()));

  // One case is database enough; what reports read and that they write nothing is checked in
  // every format by check_every_format above.
  s.start("zhang.wei", "2026-11-02T09:30+08:00", {"customer=客户丙", "channel=phone", "summary=外墙渗水"});
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
  const run_result to_file = s.report({"monthly", "--month", "2026-11", "--format", "csv", "--out", out});
  REQUIRE(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  const run_result to_stdout = s.report({"monthly", "--month", "2026-11", "--format", "csv"});
  CHECK(to_stdout.out.starts_with("table,row,column,value\r\n"));
  CHECK(read_bytes(out) == to_stdout.out);
}

// The area in screen pixels of the monthly page's bars for `values` on a chart whose largest
// value is `max`. html.cpp's bars_svg draws a value v as a bar max(1, round(630 v / max)) units
// long (630 = the 960-unit chart less 260 for labels and 70 for the figures) and 16 high. The
// SVG is as wide as its card's content: main's 1040 px less 2 x 28 padding, less the card's
// 2 x 22, so 940 px for 960 units, each way.
double bars_px(const std::vector<int>& values, int max) {
  constexpr double k_px = 940.0 / 960.0;
  double area = 0;
  for (int v : values) area += static_cast<double>(std::max(1L, std::lround(630.0 * v / max))) * k_px * 16 * k_px;
  return area;
}

TEST_CASE(
    "report cli: the monthly HTML page in headless Chromium: the figures in its DOM, bars in the series colours") {
  report_session s;
  const fixture_ids id = build_complaints(s);
  const std::string page = s.dir().file("monthly.html");
  REQUIRE(s.report({"monthly", "--month", "2026-11", "--format", "html", "--out", page}).exit_code == 0);
  const std::string html = *read_bytes(page);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  for (const char* forbidden : {"<script", "src=", "href=", "@import", "url(", "@font-face"}) {
    CAPTURE(forbidden);
    CHECK(html.find(forbidden) == std::string::npos);
  }

  // Chromium as DESIGN.md runs it, in one run printing the DOM it built and saving a
  // screenshot; no chromium is a failure, in CI and out of it.
  const std::string png = s.dir().file("monthly.png");
  const run_result browser = run(
      "/usr/bin/chromium",
      {"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
       "--dump-dom", "--screenshot=" + png, "--window-size=1200,1800", "file://" + page},
      {{"HOME", s.dir().path().string()}}, s.dir().path());
  INFO("chromium stderr: ", browser.err);
  REQUIRE(browser.exit_code == 0);
  // The DOM: the title, kind, heading and period, the headline figures and every table cell are
  // the hand-counted ones.
  check_report(parse_html_report(browser.out), expected_in(monthly_expected(id), report_format::html));

  // html.cpp's colour_for: last month's figures grey, this month's received blue, completed
  // green, open orange; red (missed, breached) is on no chart of this page.
  const char* const blue = "#2f6fdf";
  const char* const grey = "#a9b8cc";
  const char* const green = "#2e9e6a";
  const char* const orange = "#f0a03c";
  const char* const red = "#d64545";
  // Debian's python3, which python3-pil serves (another python3 may come first on PATH).
  const run_result counted =
      run("/usr/bin/python3", {k_source + "/tests/e2e/report_screenshot.py", png, blue, grey, green, orange, red}, {},
          s.dir().path());
  INFO("report_screenshot.py: ", counted.out, counted.err);
  REQUIRE(counted.exit_code == 0);
  std::map<std::string, double> pixels;
  std::istringstream lines(counted.out);
  std::string size_word;
  int width = 0, height = 0;
  lines >> size_word >> width >> height;
  CHECK(size_word == "size");
  CHECK(width == 1200);
  CHECK(height == 1800);
  for (std::string colour; lines >> colour;) lines >> pixels[colour];

  // The four charts' bars, from the fixture's figures (monthly_expected): this month against last
  // (largest 5): received 2 -> 5, completed 1 -> 3, open 1 -> 3; received by category (largest
  // 2): 1 -> 2, 0 -> 1, 0 -> 1, 1 -> 1; by severity (largest 2): 2 -> 2, 0 -> 1, 0 -> 1, 0 -> 1;
  // completed and open by category (largest 2): 2 and 0, 0 and 1, 0 and 1, 1 and 1. Each series
  // also has a 12 x 12 px legend square per chart it is on. Anti-aliased edges are not counted,
  // so at least 90% of the bars' area and at most that area and the legends'.
  struct series {
    std::string colour;
    double bars;
    int legends;
  };
  for (const series& c : {series{blue, bars_px({5, 3, 3}, 5) + bars_px({2, 1, 1, 1}, 2) * 2, 3},
                          series{grey, bars_px({2, 1, 1}, 5) + bars_px({1, 0, 0, 1}, 2) + bars_px({2, 0, 0, 0}, 2), 3},
                          series{green, bars_px({2, 0, 0, 1}, 2), 1}, series{orange, bars_px({0, 1, 1, 1}, 2), 1}}) {
    CAPTURE(c.colour);
    CAPTURE(c.bars);
    REQUIRE(pixels.count(c.colour) == 1);
    CHECK(pixels[c.colour] >= 0.9 * c.bars);
    CHECK(pixels[c.colour] <= c.bars + 144.0 * c.legends);
  }
  CHECK(pixels[red] == 0);
}

}  // namespace
}  // namespace caseflow::test
