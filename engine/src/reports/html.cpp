// The HTML rendering of a report: one self-contained page (inline CSS, charts as inline SVG,
// no script and nothing fetched). See caseflow/reports.h.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "caseflow/text_output.h"
#include "reports/fold.h"
#include "reports/render.h"

namespace caseflow {

namespace {

constexpr const char* k_palette[] = {"#2f6fdf", "#f0a03c", "#7a5cc7", "#2e9e6a"};
constexpr const char* k_good = "#2e9e6a";
constexpr const char* k_bad = "#d64545";

// A value column's colour: the same figure has the same colour on every chart; last
// period's figures are grey beside this period's blue.
const char* colour_for(std::string_view key, std::size_t index) {
  if (key.starts_with("previous")) return "#a9b8cc";
  if (key == "received" || key == "current" || key == "total" || key == "submitted") return "#2f6fdf";
  if (key == "completed" || key == "closed_on_time" || key == "met") return k_good;
  if (key == "open") return "#f0a03c";
  if (key == "missed" || key == "breached") return k_bad;
  return k_palette[index % 4];
}

std::size_t column_index(const report_table& t, std::string_view key) {
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].key == key) return i;
  return t.columns.size();
}

double number_at(const std::vector<nlohmann::json>& row, std::size_t i) {
  return i < row.size() && row[i].is_number() ? row[i].get<double>() : 0.0;
}

struct bar_row {
  std::string label;
  std::vector<double> values;
};

std::vector<bar_row> chart_rows(const report_table& t, const report_chart& c) {
  std::vector<bar_row> rows;
  for (const auto& row : t.rows) {
    bar_row b;
    for (const auto& key : c.label_columns) {
      const std::size_t i = column_index(t, key);
      if (i < row.size()) b.label += (b.label.empty() ? "" : " · ") + detail::cell_text(key, row[i]);
    }
    if (!c.skip_label.empty() && b.label == c.skip_label) continue;
    for (const auto& key : c.value_columns) b.values.push_back(number_at(row, column_index(t, key)));
    rows.push_back(std::move(b));
  }
  return rows;
}

std::string header_of(const report_table& t, std::string_view key) {
  const std::size_t i = column_index(t, key);
  return i < t.columns.size() ? t.columns[i].header : std::string(key);
}

std::string legend(const report_table& t, const report_chart& c) {
  std::string out = "<div class=\"legend\">";
  for (std::size_t s = 0; s < c.value_columns.size(); ++s) {
    const char* colour = c.share ? (s == 0 ? k_good : k_bad) : colour_for(c.value_columns[s], s);
    out += fmt::format("<span><i style=\"background:{}\"></i>{}</span>", colour,
                       html_escape(header_of(t, c.value_columns[s])));
  }
  return out + "</div>\n";
}

constexpr int k_width = 960;
constexpr int k_label_width = 260;
constexpr int k_bar_height = 16;

// Grouped horizontal bars on one scale: a group per row, a bar per value column.
std::string bars_svg(const std::vector<bar_row>& rows, const std::vector<std::string>& keys) {
  const std::size_t series = keys.size();
  double max = 0;
  for (const auto& r : rows)
    for (double v : r.values) max = std::max(max, v);
  if (max <= 0) max = 1;
  const int group = static_cast<int>(series) * (k_bar_height + 3) + 14;
  const int height = static_cast<int>(rows.size()) * group + 8;
  const int span = k_width - k_label_width - 70;
  std::string out =
      fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"100%\" role=\"img\">\n",
                  k_width, height);
  for (int g = 0; g <= 4; ++g) {
    const int x = k_label_width + span * g / 4;
    out += fmt::format("<line x1=\"{0}\" y1=\"0\" x2=\"{0}\" y2=\"{1}\" class=\"grid\"/>\n", x, height - 4);
  }
  int y = 6;
  for (const auto& r : rows) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"label\" text-anchor=\"end\">{}</text>\n", k_label_width - 12,
                       y + group / 2 - 3, html_escape(r.label));
    for (std::size_t s = 0; s < r.values.size(); ++s) {
      const int w = static_cast<int>(std::lround(span * r.values[s] / max));
      const int by = y + static_cast<int>(s) * (k_bar_height + 3);
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\"/>\n", k_label_width,
                         by, std::max(w, 1), k_bar_height, colour_for(keys[s], s));
      out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"value\">{}</text>\n", k_label_width + std::max(w, 1) + 6,
                         by + k_bar_height - 3, fmt::format("{:g}", r.values[s]));
    }
    y += group;
  }
  return out + "</svg>\n";
}

// One 100% bar per row split between the first value column (good) and the second (bad).
std::string share_svg(const std::vector<bar_row>& rows) {
  const int row_height = k_bar_height + 14;
  const int height = static_cast<int>(rows.size()) * row_height + 8;
  const int span = k_width - k_label_width - 90;
  std::string out =
      fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"100%\" role=\"img\">\n",
                  k_width, height);
  int y = 6;
  for (const auto& r : rows) {
    const double good = r.values.empty() ? 0 : r.values[0];
    const double bad = r.values.size() < 2 ? 0 : r.values[1];
    const double total = good + bad;
    out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"label\" text-anchor=\"end\">{}</text>\n", k_label_width - 12,
                       y + k_bar_height - 3, html_escape(r.label));
    if (total <= 0) {
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#e6e9ef\"/>\n",
                         k_label_width, y, span, k_bar_height);
    } else {
      const int gw = static_cast<int>(std::lround(span * good / total));
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", k_label_width, y, gw,
                         k_bar_height, k_good);
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", k_label_width + gw, y,
                         span - gw, k_bar_height, k_bad);
    }
    out += fmt::format(
        "<text x=\"{}\" y=\"{}\" class=\"value\">{}</text>\n", k_label_width + span + 8, y + k_bar_height - 3,
        total <= 0 ? std::string("-") : fmt::format("{:.0f}% ({:g}/{:g})", 100 * good / total, good, total));
    y += row_height;
  }
  return out + "</svg>\n";
}

std::string chart_html(const report_document& doc, const report_chart& c) {
  const report_table* t = doc.find_table(c.table);
  if (!t) return "";
  const std::vector<bar_row> rows = chart_rows(*t, c);
  std::string out = fmt::format("<section class=\"card chart\"><h2>{}</h2>\n", html_escape(c.title));
  if (rows.empty()) return out + "<p class=\"muted\">nothing to show for the period</p></section>\n";
  out += legend(*t, c);
  out += c.share ? share_svg(rows) : bars_svg(rows, c.value_columns);
  return out + "</section>\n";
}

std::string table_html(const report_table& t) {
  std::string out = fmt::format("<section class=\"card\"><h2>{}</h2>\n", html_escape(t.title));
  if (t.rows.empty()) {
    out += fmt::format("<p class=\"muted\">{}</p>", html_escape(t.note.empty() ? "no rows" : t.note));
    return out + "</section>\n";
  }
  out += "<table><thead><tr>";
  std::vector<bool> numeric(t.columns.size(), true);
  for (const auto& row : t.rows)
    for (std::size_t i = 0; i < row.size(); ++i)
      if (!row[i].is_number() && !row[i].is_null()) numeric[i] = false;
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    out += fmt::format("<th{}>{}</th>", numeric[i] ? " class=\"num\"" : "", html_escape(t.columns[i].header));
  out += "</tr></thead><tbody>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      std::string cls = numeric[i] ? "num" : "";
      if (t.columns[i].key == "status" && row[i].is_string() && row[i].get<std::string>().starts_with("overdue"))
        cls += " bad";
      out += fmt::format("<td{}>{}</td>", cls.empty() ? "" : " class=\"" + cls + "\"",
                         html_escape(detail::cell_text(t.columns[i].key, row[i])));
    }
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
  if (!t.note.empty()) out += fmt::format("<p class=\"note\">{}</p>\n", html_escape(t.note));
  return out + "</section>\n";
}

constexpr const char* k_style = R"css(
*{box-sizing:border-box}
body{margin:0;background:#f4f6fa;color:#1d2433;font:15px/1.5 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC",
"Microsoft YaHei",system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:32px 28px 48px}
header{margin-bottom:22px}
.kind{font-size:12px;letter-spacing:.12em;text-transform:uppercase;color:#5b667a;font-weight:600}
h1{font-size:28px;line-height:1.2;margin:4px 0 6px;font-weight:700}
.sub{color:#5b667a;margin:0}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:14px;margin:22px 0}
.figure{background:#fff;border-radius:10px;padding:16px 18px;box-shadow:0 1px 2px rgba(20,30,60,.08)}
.figure .value{font-size:30px;font-weight:700;color:#1f4fb8;line-height:1.1}
.figure .label{color:#5b667a;font-size:13px;margin-top:4px}
.figure .detail{color:#8a93a5;font-size:12px}
.card{background:#fff;border-radius:10px;padding:18px 22px;margin:0 0 18px;box-shadow:0 1px 2px rgba(20,30,60,.08);
overflow-x:auto}
h2{font-size:16px;margin:0 0 10px;font-weight:650}
.legend{display:flex;gap:18px;font-size:13px;color:#5b667a;margin-bottom:6px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px}
svg .label{font-size:13px;fill:#1d2433}
svg .value{font-size:12px;fill:#5b667a}
svg .grid{stroke:#e8ebf1;stroke-width:1}
table{border-collapse:collapse;width:100%;font-size:14px}
th{font-weight:600;color:#5b667a;text-align:left;border-bottom:2px solid #e3e7ee;padding:6px 10px;white-space:nowrap}
td{padding:6px 10px;border-bottom:1px solid #eef0f4}
tbody tr:nth-child(even){background:#fafbfd}
.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#c03030;font-weight:600}
.muted,.note{color:#8a93a5;font-size:13px;margin:6px 0 0}
footer{color:#8a93a5;font-size:12px;margin-top:26px}
)css";

}  // namespace

std::string render_html(const report_document& doc) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} "
      "{}</title>\n<style>{}</style>"
      "</head>\n<body><main>\n",
      html_escape(doc.title), html_escape(doc.period.label), k_style);
  out += fmt::format(
      "<header><div class=\"kind\">caseflow · {}</div><h1>{}</h1><p class=\"sub\">{}{} · as of {}</p></header>\n",
      html_escape(doc.kind), html_escape(doc.title), doc.procedure.empty() ? "" : html_escape(doc.procedure) + " · ",
      html_escape(detail::period_text(doc)), html_escape(format_instant_utc(doc.as_of)));
  if (!doc.headline.empty()) {
    out += "<div class=\"figures\">\n";
    for (const auto& f : doc.headline)
      out += fmt::format(
          "<div class=\"figure\"><div class=\"value\">{}</div><div class=\"label\">{}</div>"
          "<div class=\"detail\">{}</div></div>\n",
          html_escape(f.value), html_escape(f.label), html_escape(f.detail));
    out += "</div>\n";
  }
  for (const auto& c : doc.charts) out += chart_html(doc, c);
  for (const auto& t : doc.tables) out += table_html(t);
  out += "<footer>Generated by caseflow from the event log. Figures are as of the time above.</footer>\n";
  return out + "</main></body></html>\n";
}

}  // namespace caseflow
