// See caseflow/calendar_references.h.
#include "caseflow/calendar_references.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "caseflow/diagnostic.h"

namespace caseflow {

namespace {

// Line and column (1-based) of the value of the top-level `calendar:` key in `text`, or {0, 0}.
std::pair<int, int> calendar_value_position(const std::string& text) {
  int line = 1;
  for (std::size_t at = 0; at < text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    if (text.compare(at, 9, "calendar:") == 0) {
      const std::size_t value = text.find_first_not_of(' ', at + 9);
      return {line, static_cast<int>((value < end ? value : at) - at) + 1};
    }
    at = end + 1;
  }
  return {0, 0};
}

}  // namespace

void check_calendar_reference(const procedure& p, const calendar_set& calendars, diagnostics* out) {
  if (p.calendar.empty() || calendars.find(p.calendar)) return;
  const auto ids = calendars.ids();
  const auto [line, column] = calendar_value_position(p.source_text);
  out->push_back({p.file, line, column,
                  fmt::format("procedure '{}' uses unknown calendar '{}'{}; calendars: {}", p.id, p.calendar,
                              did_you_mean(p.calendar, ids), ids.empty() ? "none" : fmt::format("{}", fmt::join(ids, ", "))),
                  diagnostic_level::error});
}

}  // namespace caseflow
