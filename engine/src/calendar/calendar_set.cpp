// calendar_set, coverage warnings and the per-month summary of a year.
#include <fmt/format.h>

#include "caseflow/calendar.h"
#include "calendar/calendar_data.h"

namespace caseflow {

namespace {

constexpr int k_coverage_warning_days = 60;

}  // namespace

const calendar* calendar_set::find(std::string_view id) const {
  const auto it = calendars_.find(id);
  return it == calendars_.end() ? nullptr : &it->second;
}

std::vector<std::string> calendar_set::ids() const {
  std::vector<std::string> ids;
  for (const auto& entry : calendars_) ids.push_back(entry.first);
  return ids;
}

void calendar_set::add(calendar c) {
  const std::string id = c.id();
  calendars_.insert_or_assign(id, std::move(c));
}

diagnostics coverage_warnings(const calendar_set& set, civil_date today) {
  diagnostics warnings;
  for (const std::string& id : set.ids()) {
    const calendar& cal = *set.find(id);
    const auto last_year = cal.last_covered_year();
    // A derived calendar inheriting `covers` shares its parent's warning, at the parent's line.
    if (!last_year || cal.data_->covers_owner != cal.id()) continue;
    const civil_date last_day = make_date(*last_year, 12, 31);
    const int days_left = last_day.days - today.days;
    if (days_left > k_coverage_warning_days) continue;
    const std::string last_text = format_value(value{last_day});
    const std::string when = days_left >= 0 ? fmt::format("only up to {} (in {} days)", last_text, days_left)
                                            : fmt::format("only up to {}, which has passed", last_text);
    warnings.push_back({cal.data_->covers_file, cal.data_->covers_line, cal.data_->covers_column,
                        fmt::format("calendar '{}' covers holidays {}; add the {} holidays and make-up days, "
                                    "deadlines after that are provisional",
                                    cal.id(), when, *last_year + 1),
                        diagnostic_level::warning});
  }
  return warnings;
}

std::vector<month_summary> summarize_year(const calendar& cal, int year) {
  std::vector<month_summary> months;
  for (unsigned month = 1; month <= 12; ++month) {
    month_summary summary;
    summary.month = static_cast<int>(month);
    const civil_date first = make_date(year, month, 1);
    const civil_date next = month == 12 ? make_date(year + 1, 1, 1) : make_date(year, month + 1, 1);
    for (civil_date d = first; d < next; d.days += 1) {
      if (cal.is_working_day(d)) ++summary.working_days;
      switch (cal.classify(d)) {
        case calendar::day_kind::holiday: summary.holidays.push_back(d); break;
        case calendar::day_kind::makeup_workday: summary.makeup_days.push_back(d); break;
        case calendar::day_kind::closure: summary.closures.push_back(d); break;
        case calendar::day_kind::workday:
        case calendar::day_kind::weekend: break;
      }
    }
    months.push_back(std::move(summary));
  }
  return months;
}

}  // namespace caseflow
