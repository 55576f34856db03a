// Text, CSV and JSON renderings of a report. See caseflow/reports.h.
#include "reports/render.h"

#include <fmt/format.h>

#include "caseflow/export.h"
#include "caseflow/text_output.h"
#include "reports/fold.h"

namespace caseflow {

namespace detail {

bool is_share_column(std::string_view key) { return key == "rate" || key == "share" || key == "compliance"; }

std::string cell_text(std::string_view key, const nlohmann::json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (is_share_column(key) && v.is_number()) return fmt::format("{:.1f}%", 100.0 * v.get<double>());
  if (key == "change" && v.is_number_integer() && v.get<std::int64_t>() > 0) return "+" + v.dump();
  if (key == "working_seconds_left" && v.is_number_integer()) {
    const std::int64_t s = v.get<std::int64_t>();
    return (s < 0 ? "-" : "") + format_hours(s < 0 ? -s : s);
  }
  return v.dump();
}

std::string period_text(const report_document& doc) {
  return fmt::format("{} ({} to {})", doc.period.label, format_date(doc.period.first), format_date(doc.period.last));
}

}  // namespace detail

namespace {

std::string pad(const std::string& text, std::size_t width, bool right) {
  const std::string fill(width - std::min(width, display_width(text)), ' ');
  return right ? fill + text : text + fill;
}

std::string table_text(const report_table& t) {
  if (t.rows.empty()) return fmt::format("{}\n  {}\n", t.title, t.note.empty() ? "no rows" : t.note);
  std::vector<std::vector<std::string>> cells{{}};
  std::vector<bool> numeric(t.columns.size(), true);
  for (const auto& c : t.columns) cells[0].push_back(c.header);
  for (const auto& row : t.rows) {
    cells.emplace_back();
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      cells.back().push_back(terminal_text(detail::cell_text(t.columns[i].key, row[i])));
      if (!row[i].is_number() && !row[i].is_null()) numeric[i] = false;
    }
  }
  std::vector<std::size_t> widths(t.columns.size(), 0);
  for (const auto& r : cells)
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], display_width(r[i]));
  std::string out = t.title + "\n";
  for (const auto& r : cells) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      const bool last = i + 1 == r.size();
      line += last && !numeric[i] ? r[i] : pad(r[i], widths[i], numeric[i]);
      if (!last) line += "  ";
    }
    out += "  " + line + "\n";
  }
  if (!t.note.empty()) out += "  " + t.note + "\n";
  return out;
}

}  // namespace

std::string render_text(const report_document& doc) {
  std::string out = fmt::format("{}{} — {}, as of {}\n", doc.title, doc.procedure.empty() ? "" : " — " + doc.procedure,
                                detail::period_text(doc), format_instant_utc(doc.as_of));
  for (const auto& f : doc.headline)
    out += fmt::format("  {}: {}{}\n", f.label, f.value, f.detail.empty() ? "" : " (" + f.detail + ")");
  for (const auto& t : doc.tables) out += "\n" + table_text(t);
  return out;
}

std::string render_csv(const report_document& doc) {
  std::string out = "table,row,column,value\r\n";
  for (const auto& t : doc.tables)
    for (std::size_t r = 0; r < t.rows.size(); ++r)
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const nlohmann::json& v = t.rows[r][i];
        const std::string value = v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
        out += fmt::format("{},{},{},{}\r\n", csv_field(t.key), r + 1, csv_field(t.columns[i].key), csv_field(value));
      }
  return out;
}

nlohmann::json render_json(const report_document& doc) {
  nlohmann::json tables = nlohmann::json::object();
  for (const auto& t : doc.tables) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : t.rows) {
      nlohmann::json r = nlohmann::json::object();
      for (std::size_t i = 0; i < t.columns.size(); ++i) r[t.columns[i].key] = row[i];
      rows.push_back(std::move(r));
    }
    tables[t.key] = std::move(rows);
  }
  nlohmann::json headline = nlohmann::json::array();
  for (const auto& f : doc.headline) headline.push_back({{"label", f.label}, {"value", f.value}, {"detail", f.detail}});
  return {{"report", doc.kind},
          {"title", doc.title},
          {"procedure", doc.procedure},
          {"period",
           {{"from", detail::format_date(doc.period.first)},
            {"to", detail::format_date(doc.period.last)},
            {"label", doc.period.label}}},
          {"as_of", format_instant_utc(doc.as_of)},
          {"headline", headline},
          {"tables", tables}};
}

}  // namespace caseflow
