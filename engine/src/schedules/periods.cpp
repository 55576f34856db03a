// The periods of a schedule and when they open. See caseflow/schedules.h.
#include <fmt/format.h>

#include "caseflow/schedules.h"

namespace caseflow {

namespace {

civil_date plus_days(civil_date d, int n) { return civil_date{d.days + n}; }

civil_date last_of_month(int y, unsigned m) {
  return m == 12 ? plus_days(make_date(y + 1, 1, 1), -1) : plus_days(make_date(y, m + 1, 1), -1);
}

// The ISO week label of the Monday-to-Sunday week starting on `monday`: the week belongs to
// the year of its Thursday.
std::string iso_week_label(civil_date monday) {
  const civil_date thursday = plus_days(monday, 3);
  int y = 0;
  unsigned m = 0, d = 0;
  split_date(thursday, &y, &m, &d);
  const int week = (thursday.days - make_date(y, 1, 1).days) / 7 + 1;
  return fmt::format("{:04}-W{:02}", y, week);
}

schedule_period bounds(const schedule_def& s, civil_date day) {
  int y = 0;
  unsigned m = 0, d = 0;
  split_date(day, &y, &m, &d);
  switch (s.period) {
    case schedule_def::every::week: {
      const civil_date monday = plus_days(day, -weekday_of(day));
      return {iso_week_label(monday), monday, plus_days(monday, 6), {}};
    }
    case schedule_def::every::half_month:
      if (d <= 15) return {fmt::format("{:04}-{:02}-H1", y, m), make_date(y, m, 1), make_date(y, m, 15), {}};
      return {fmt::format("{:04}-{:02}-H2", y, m), make_date(y, m, 16), last_of_month(y, m), {}};
    case schedule_def::every::month:
      return {fmt::format("{:04}-{:02}", y, m), make_date(y, m, 1), last_of_month(y, m), {}};
    case schedule_def::every::quarter: {
      const unsigned q = (m - 1) / 3;
      return {fmt::format("{:04}-Q{}", y, q + 1), make_date(y, q * 3 + 1, 1), last_of_month(y, q * 3 + 3), {}};
    }
    case schedule_def::every::year:
      return {fmt::format("{:04}", y), make_date(y, 1, 1), make_date(y, 12, 31), {}};
  }
  return {};
}

instant opening_of(const schedule_def& s, const calendar* cal, const schedule_period& p) {
  civil_date day = s.opens_at_start ? p.first : plus_days(p.last, 1);
  if (s.period == schedule_def::every::week) day = plus_days(day, s.weekday);
  if (s.period == schedule_def::every::year) {
    int y = 0;
    unsigned m = 0, d = 0;
    split_date(day, &y, &m, &d);
    day = make_date(y, static_cast<unsigned>(s.month), 1);
  }
  return local_minute(cal, day, s.at_minute);
}

}  // namespace

schedule_period period_containing(const schedule_def& s, const calendar* cal, civil_date day) {
  schedule_period p = bounds(s, day);
  p.opens = opening_of(s, cal, p);
  return p;
}

schedule_period next_period(const schedule_def& s, const calendar* cal, const schedule_period& p) {
  return period_containing(s, cal, plus_days(p.last, 1));
}

std::vector<schedule_period> periods_due(const schedule_def& s, const calendar* cal,
                                         std::optional<civil_date> last_opened, instant now, std::size_t limit) {
  std::vector<schedule_period> due;
  if (last_opened) {
    for (schedule_period p = next_period(s, cal, period_containing(s, cal, *last_opened));
         p.opens <= now && due.size() < limit; p = next_period(s, cal, p))
      due.push_back(p);
    return due;
  }
  // The latest period opened by now: the one holding today opens at its start or after its
  // end, so at most a few periods back (a year opening in December: the year before).
  schedule_period p = period_containing(s, cal, local_day(cal, now));
  for (int back = 0; back < 3 && p.opens > now; ++back) p = period_containing(s, cal, plus_days(p.first, -1));
  if (p.opens <= now && limit > 0) due.push_back(p);
  return due;
}

schedule_period next_to_open(const schedule_def& s, const calendar* cal, std::optional<civil_date> last_opened,
                             instant now) {
  if (last_opened) return next_period(s, cal, period_containing(s, cal, *last_opened));
  const auto due = periods_due(s, cal, std::nullopt, now, 1);
  if (!due.empty()) return due.front();
  // Nothing has opened yet: the earliest period that opens after now.
  schedule_period p = period_containing(s, cal, local_day(cal, now));
  for (int back = 0; back < 3; ++back) {
    const schedule_period before = period_containing(s, cal, plus_days(p.first, -1));
    if (before.opens <= now) break;
    p = before;
  }
  return p;
}

std::vector<std::pair<std::string, std::string>> period_fields(const procedure& p, const schedule_def& s,
                                                               const schedule_period& period) {
  std::vector<std::pair<std::string, std::string>> sets{{"period", period.label}};
  if (p.find_field("period_start")) sets.emplace_back("period_start", format_value(period.first));
  if (p.find_field("period_end")) sets.emplace_back("period_end", format_value(period.last));
  for (const auto& set : s.sets) sets.push_back(set);
  return sets;
}

}  // namespace caseflow
