// The export format. See caseflow/export.h.
#include "caseflow/export.h"

#include <vector>

namespace caseflow {

namespace {

std::vector<std::string> columns_of(const event& e) {
  return {std::to_string(e.id), e.case_id,   std::to_string(e.seq), format_instant_utc(e.at), e.actor,
          e.role,               e.on_behalf_of, e.kind,              e.action,                 e.from_step,
          e.to_step,            e.data_text.empty() ? e.data.dump() : e.data_text,
          e.comment,            e.definition_hash,     e.prev_hash,          e.hash,
          std::to_string(e.format), e.branch,         e.org_version};
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += csv_field(fields[i]);
  }
  return line + "\r\n";
}

}  // namespace

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string export_csv_header() { return csv_line({k_export_columns.begin(), k_export_columns.end()}); }

std::string export_csv_row(const event& e) { return csv_line(columns_of(e)); }

std::string export_json_line(const event& e) {
  nlohmann::json j = nlohmann::json::object();
  const auto columns = columns_of(e);
  for (std::size_t i = 0; i < columns.size(); ++i) j[std::string(k_export_columns[i])] = columns[i];
  j["id"] = e.id;
  j["seq"] = e.seq;
  j["format"] = e.format;
  j["data"] = e.data;
  return j.dump() + "\n";
}

}  // namespace caseflow
