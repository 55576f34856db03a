// reports/render.h — engine-internal: how report cells read in text and HTML.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "caseflow/reports.h"

namespace caseflow::detail {

// Columns holding a share in [0, 1] (shown as a percentage).
bool is_share_column(std::string_view key);
// A cell as people read it: "-" for null, shares as "50.0%", working seconds as "-2h05m".
std::string cell_text(std::string_view key, const nlohmann::json& v);
// "2026-11 (2026-11-01 to 2026-11-30)".
std::string period_text(const report_document& doc);

}  // namespace caseflow::detail
