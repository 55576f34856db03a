// Business-day classification and working-time arithmetic in a calendar's time zone.
#include "caseflow/calendar.h"

#include <algorithm>
#include <chrono>

#include <cctz/civil_time.h>
#include <fmt/format.h>

#include "calendar/calendar_data.h"

namespace caseflow {

namespace {

constexpr cctz::civil_day k_epoch(1970, 1, 1);
constexpr int k_day_minutes = 24 * 60;
constexpr int k_days_per_month_tenth = 3;

cctz::civil_day to_civil(civil_date d) { return k_epoch + d.days; }

civil_date from_civil(const cctz::civil_day& d) {
  return civil_date{static_cast<std::int32_t>(d - k_epoch)};
}

cctz::time_point<cctz::seconds> to_time_point(instant t) {
  return cctz::time_point<cctz::seconds>(cctz::seconds(t.seconds));
}

instant from_time_point(const cctz::time_point<cctz::seconds>& tp) {
  return instant{tp.time_since_epoch().count()};
}

civil_date next_day(civil_date d) { return civil_date{d.days + 1}; }

// Same day of month `months` later (or earlier), clamped to the target month's last day.
cctz::civil_second add_months(const cctz::civil_second& cs, std::int64_t months) {
  const cctz::civil_month target = cctz::civil_month(cs) + months;
  const int last_day = (cctz::civil_day(target + 1) - 1).day();
  return cctz::civil_second(target.year(), target.month(), std::min(cs.day(), last_day),
                            cs.hour(), cs.minute(), cs.second());
}

// Whole months, then each remaining tenth of a month as 3 days, in civil (wall) time.
cctz::civil_second add_tenth_months(const cctz::civil_second& cs, std::int64_t tenths) {
  const cctz::civil_second months = add_months(cs, tenths / 10);
  return months + (tenths % 10) * k_days_per_month_tenth * 86400;
}

}  // namespace

calendar::calendar(std::shared_ptr<const detail::calendar_data> data) : data_(std::move(data)) {}

const std::string& calendar::id() const { return data_->id; }
const std::string& calendar::name_zh() const { return data_->name_zh; }
const std::string& calendar::name_en() const { return data_->name_en; }
const std::string& calendar::time_zone() const { return data_->zone_name; }
const std::string& calendar::file() const { return data_->file; }
const std::vector<working_period>& calendar::hours() const { return data_->hours; }
const std::string& calendar::version() const { return data_->version; }

bool calendar::covers(civil_date d) const {
  if (!data_->covers) return true;
  const int year = static_cast<int>(to_civil(d).year());
  return year >= data_->covers->first && year <= data_->covers->last;
}

std::optional<int> calendar::last_covered_year() const {
  if (!data_->covers) return std::nullopt;
  return data_->covers->last;
}

calendar::day_kind calendar::classify(civil_date d) const {
  if (data_->closures.count(d) != 0) return day_kind::closure;
  if (data_->holidays.count(d) != 0) return day_kind::holiday;
  if (data_->makeup_workdays.count(d) != 0) return day_kind::makeup_workday;
  const int weekday_index = static_cast<int>(cctz::get_weekday(to_civil(d)));  // monday = 0
  return data_->week[static_cast<std::size_t>(weekday_index)] ? day_kind::workday
                                                               : day_kind::weekend;
}

std::string calendar::day_name(civil_date d) const {
  if (auto it = data_->closures.find(d); it != data_->closures.end()) return it->second;
  if (auto it = data_->holidays.find(d); it != data_->holidays.end()) return it->second;
  return {};
}

bool calendar::is_working_day(civil_date d) const {
  const day_kind kind = classify(d);
  return kind == day_kind::workday || kind == day_kind::makeup_workday;
}

civil_date calendar::local_date(instant t) const {
  return from_civil(cctz::civil_day(cctz::convert(to_time_point(t), data_->zone)));
}

instant calendar::local_time(civil_date d, int minute_of_day) const {
  const cctz::civil_second wall = cctz::civil_second(to_civil(d)) + minute_of_day * 60;
  return from_time_point(cctz::convert(wall, data_->zone));
}

std::string calendar::format_local(instant t) const {
  return cctz::format("%Y-%m-%dT%H:%M:%S%Ez", to_time_point(t), data_->zone);
}

std::optional<instant> calendar::parse_datetime(std::string_view text, std::string* error) const {
  if (auto exact = parse_value(field_type::datetime, text, error)) return std::get<instant>(*exact);
  // Read as UTC, the text's digits are the wall time; the zone then says which instant it is.
  const auto wall_as_utc = parse_instant(fmt::format("{}Z", text));
  if (!wall_as_utc) {
    if (error && !outside_time_range(text))
      *error = fmt::format("'{}' is not a date and time (e.g. 2026-02-13T17:50 in {}, or with an offset: "
                           "2026-02-13T17:50+08:00)", text, data_->zone.name());
    return std::nullopt;
  }
  const cctz::civil_second wall = cctz::civil_second(1970, 1, 1) + wall_as_utc->seconds;
  const auto lookup = data_->zone.lookup(wall);
  if (lookup.kind != cctz::time_zone::civil_lookup::UNIQUE) {
    if (error)
      *error = fmt::format("'{}' {} in {}: give the offset (e.g. {}+08:00)", text,
                           lookup.kind == cctz::time_zone::civil_lookup::SKIPPED ? "does not exist" : "is ambiguous",
                           data_->zone.name(), text);
    return std::nullopt;
  }
  return from_time_point(lookup.pre);
}

bool calendar::in_working_hours(instant t) const {
  const civil_date d = local_date(t);
  if (!is_working_day(d)) return false;
  return std::any_of(data_->hours.begin(), data_->hours.end(), [&](const working_period& p) {
    return local_time(d, p.start_minute) <= t && t < local_time(d, p.end_minute);
  });
}

instant calendar::next_working_moment(instant t) const {
  // Terminates: the loader guarantees a non-empty week and hours, and only finitely many
  // days are holidays or closures.
  for (civil_date d = local_date(t);; d = next_day(d)) {
    if (!is_working_day(d)) continue;
    for (const working_period& p : data_->hours) {
      if (t < local_time(d, p.end_minute)) return std::max(t, local_time(d, p.start_minute));
    }
  }
}

std::int64_t calendar::working_seconds_between(instant from, instant to) const {
  std::int64_t total = 0;
  if (to <= from) return total;
  for (civil_date d = local_date(from); d <= local_date(to); d = next_day(d)) {
    if (!is_working_day(d)) continue;
    for (const working_period& p : data_->hours) {
      const instant begin = std::max(from, local_time(d, p.start_minute));
      const instant end = std::min(to, local_time(d, p.end_minute));
      if (begin < end) total += end.seconds - begin.seconds;
    }
  }
  return total;
}

namespace {

// The working day after `d` (strictly), or before it when `step` is -1.
civil_date step_working_day(const calendar& cal, civil_date d, int step) {
  do {
    d.days += step;
  } while (!cal.is_working_day(d));
  return d;
}

// `start` plus `amount` seconds of working time. Ending exactly at a period's end gives that
// end, not the next period's start. *last_day is the working day the count ended in.
instant add_working_seconds(const calendar& cal, instant start, std::int64_t amount, civil_date* last_day) {
  for (civil_date day = cal.local_date(start);; day = next_day(day)) {
    if (!cal.is_working_day(day)) continue;
    for (const working_period& p : cal.hours()) {
      const instant end = cal.local_time(day, p.end_minute);
      if (start >= end) continue;
      const instant begin = std::max(start, cal.local_time(day, p.start_minute));
      if (amount <= end.seconds - begin.seconds) {
        *last_day = day;
        return instant{begin.seconds + amount};
      }
      amount -= end.seconds - begin.seconds;
    }
  }
}

}  // namespace

deadline calendar::due(instant start, const duration& d) const {
  deadline result{start, false, data_->version};
  switch (d.kind) {
    case duration::unit::calendar_seconds:
      result.due.seconds += d.amount;
      return result;
    case duration::unit::calendar_months: {
      const cctz::civil_second wall = cctz::convert(to_time_point(start), data_->zone);
      result.due = from_time_point(cctz::convert(add_tenth_months(wall, d.amount), data_->zone));
      return result;
    }
    case duration::unit::working_seconds: {
      civil_date last_day;
      result.due = add_working_seconds(*this, start, d.amount, &last_day);
      result.provisional = !covers(local_date(start)) || !covers(last_day);
      return result;
    }
    case duration::unit::same_day:
      result.due = local_time(local_date(start), 24 * 60);
      return result;
    case duration::unit::working_days:
    case duration::unit::end_of_day: {
      // N >= 1 working days (Civil Code art. 201, the day a period starts does not count): the
      // close of the Nth working day after the event's calendar day, whatever its hour or kind.
      // End of day (and 0 working days): the close of the event's day when it is a working day
      // and the event comes before its close, else the close of the next working day.
      const civil_date event_day = local_date(start);
      const int last_end = data_->hours.back().end_minute;
      const std::int64_t n = d.kind == duration::unit::working_days ? d.amount : 0;
      civil_date day = event_day;
      if (n == 0 && (!is_working_day(day) || start >= local_time(day, last_end))) {
        day = step_working_day(*this, day, 1);
      }
      for (std::int64_t i = 0; i < n; ++i) day = step_working_day(*this, day, 1);
      result.due = local_time(day, last_end);
      result.provisional = !covers(event_day) || !covers(day);
      return result;
    }
  }
  return result;
}

civil_date calendar::resolve(civil_date base, const date_offset& off) const {
  if (off.working) {
    if (off.days == 0) return is_working_day(base) ? base : step_working_day(*this, base, 1);
    civil_date day = base;
    for (std::int64_t i = 0; i < off.days; ++i) day = step_working_day(*this, day, off.sign);
    return day;
  }
  return plain_offset(base, off);
}

std::optional<deadline> due_in(const calendar* cal, instant start, const duration& d) {
  if (cal) return cal->due(start, d);
  if (d.kind != duration::unit::calendar_seconds) return std::nullopt;
  return deadline{instant{start.seconds + d.amount}, false, ""};
}

instant end_of_day(const calendar* cal, civil_date d) { return local_minute(cal, next_day(d), 0); }

int weekday_of(civil_date d) { return static_cast<int>((d.days % 7 + 7 + 3) % 7); }  // 1970-01-01 was a Thursday

civil_date local_day(const calendar* cal, instant t) {
  if (cal) return cal->local_date(t);
  return civil_date{static_cast<std::int32_t>(t.seconds >= 0 ? t.seconds / 86400 : (t.seconds - 86399) / 86400)};
}

instant local_minute(const calendar* cal, civil_date d, int minute) {
  return cal ? cal->local_time(d, minute) : instant{std::int64_t{d.days} * 86400 + minute * 60};
}

civil_date plain_offset(civil_date base, const date_offset& off) {
  const cctz::civil_second midnight(to_civil(base));
  const cctz::civil_second moved = add_tenth_months(midnight, off.sign * off.tenth_months);
  return from_civil(cctz::civil_day(moved) + off.sign * off.days);
}

deadline calendar::due(civil_date base, const date_offset& off) const {
  const civil_date day = resolve(base, off);
  if (!off.working) return deadline{local_time(day, k_day_minutes), false, data_->version};
  return deadline{local_time(day, data_->hours.back().end_minute),
                  !covers(base) || !covers(day), data_->version};
}

}  // namespace caseflow
