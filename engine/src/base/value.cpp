#include "caseflow/value.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace caseflow {

namespace {

constexpr std::array<std::string_view, 7> k_type_names = {"text", "int",  "money",   "bool",
                                                          "enum", "date", "datetime"};

bool parse_int(std::string_view text, std::int64_t* out) {
  if (text.empty()) return false;
  const char* first = text.data();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "12,345.67" -> 1234567 fen. At most two decimals; commas only as thousands separators.
std::optional<money> parse_money(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  std::string_view whole = text, fraction;
  if (auto dot = text.find('.'); dot != std::string_view::npos) {
    whole = text.substr(0, dot);
    fraction = text.substr(dot + 1);
    if (!all_digits(fraction) || fraction.size() > 2) return std::nullopt;
  }
  std::string digits;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (whole[i] == ',') {
      // A comma must be followed by exactly three digits before the next comma or the end.
      const std::size_t next = whole.find(',', i + 1);
      const std::size_t group = (next == std::string_view::npos ? whole.size() : next) - i - 1;
      if (i == 0 || group != 3) return std::nullopt;
      continue;
    }
    digits += whole[i];
  }
  if (!all_digits(digits) || digits.size() > 15) return std::nullopt;
  std::int64_t yuan = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), yuan);
  std::int64_t cents = 0;
  if (!fraction.empty()) {
    std::from_chars(fraction.data(), fraction.data() + fraction.size(), cents);
    if (fraction.size() == 1) cents *= 10;
  }
  const std::int64_t fen = yuan * 100 + cents;
  return money{negative ? -fen : fen};
}

bool parse_fixed(std::string_view s, std::size_t pos, std::size_t len, int* out) {
  if (pos + len > s.size()) return false;
  std::string_view part = s.substr(pos, len);
  if (!all_digits(part)) return false;
  std::from_chars(part.data(), part.data() + part.size(), *out);
  return true;
}

bool valid_date(int y, int m, int d) {
  using namespace std::chrono;
  return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}.ok();
}

// A date with any four-digit year, before 1970 too.
std::optional<civil_date> parse_any_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !parse_fixed(s, 0, 4, &y) ||
      !parse_fixed(s, 5, 2, &m) || !parse_fixed(s, 8, 2, &d) || !valid_date(y, m, d))
    return std::nullopt;
  return make_date(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

// The last second of 9999-12-31, UTC.
constexpr std::int64_t k_last_second = 253402300799;

bool in_time_range(std::int64_t seconds) { return seconds >= 0 && seconds <= k_last_second; }

std::optional<civil_date> parse_date(std::string_view s) {
  const auto d = parse_any_date(s);
  if (!d || !in_time_range(std::int64_t{d->days} * 86400)) return std::nullopt;
  return d;
}

std::optional<instant> parse_any_instant(std::string_view s);

}  // namespace

std::string_view to_string(field_type type) { return k_type_names[static_cast<std::size_t>(type)]; }

std::optional<field_type> parse_field_type(std::string_view name) {
  for (std::size_t i = 0; i < k_type_names.size(); ++i)
    if (k_type_names[i] == name) return static_cast<field_type>(i);
  return std::nullopt;
}

civil_date make_date(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  const sys_days days{year_month_day{year{y}, month{m}, day{d}}};
  return civil_date{static_cast<std::int32_t>(days.time_since_epoch().count())};
}

void split_date(civil_date date, int* y, unsigned* m, unsigned* d) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{date.days}}};
  *y = static_cast<int>(ymd.year());
  *m = static_cast<unsigned>(ymd.month());
  *d = static_cast<unsigned>(ymd.day());
}

std::optional<instant> parse_instant(std::string_view s) {
  const auto t = parse_any_instant(s);
  if (!t || !in_time_range(t->seconds)) return std::nullopt;
  return t;
}

bool outside_time_range(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits > 4 && digits < text.size() && text[digits] == '-') return true;  // a year past 9999
  if (parse_any_date(text)) return !parse_date(text);
  if (const auto t = parse_any_instant(text)) return !in_time_range(t->seconds);
  return false;
}

std::string out_of_range_message(std::string_view text) {
  return fmt::format("'{}' is out of range: {}", text, k_time_range);
}

namespace {

std::optional<instant> parse_any_instant(std::string_view s) {
  // YYYY-MM-DD[T ]HH:MM[:SS](Z|+HH:MM|-HH:MM|+HHMM)
  if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':') return std::nullopt;
  auto date = parse_any_date(s.substr(0, 10));
  int hh = 0, mm = 0, ss = 0;
  if (!date || !parse_fixed(s, 11, 2, &hh) || !parse_fixed(s, 14, 2, &mm)) return std::nullopt;
  std::size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!parse_fixed(s, pos + 1, 2, &ss)) return std::nullopt;
    pos += 3;
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  std::int64_t offset = 0;
  std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) {
    int oh = 0, om = 0;
    if (zone.size() == 6 && zone[3] == ':') {
      if (!parse_fixed(zone, 1, 2, &oh) || !parse_fixed(zone, 4, 2, &om)) return std::nullopt;
    } else if (zone.size() == 5) {
      if (!parse_fixed(zone, 1, 2, &oh) || !parse_fixed(zone, 3, 2, &om)) return std::nullopt;
    } else if (zone.size() == 3) {
      if (!parse_fixed(zone, 1, 2, &oh)) return std::nullopt;
    } else {
      return std::nullopt;
    }
    if (oh > 18 || om > 59) return std::nullopt;
    offset = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;  // the zone must be explicit
  }
  const std::int64_t local = std::int64_t{date->days} * 86400 + hh * 3600 + mm * 60 + ss;
  return instant{local - offset};
}

}  // namespace

std::string format_instant_utc(instant t) {
  const std::int64_t day = t.seconds >= 0 ? t.seconds / 86400 : (t.seconds - 86399) / 86400;
  const std::int64_t rest = t.seconds - day * 86400;
  int y = 0;
  unsigned m = 0, d = 0;
  split_date(civil_date{static_cast<std::int32_t>(day)}, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, rest / 3600, rest / 60 % 60, rest % 60);
}

std::optional<value> parse_value(field_type type, std::string_view text, std::string* error) {
  auto fail_with = [&](std::string message) -> std::optional<value> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  auto fail = [&](std::string_view expected) { return fail_with(fmt::format("'{}' is not {}", text, expected)); };
  switch (type) {
    case field_type::text:
    case field_type::enumeration:
      return value{std::string(text)};
    case field_type::integer: {
      std::int64_t n = 0;
      if (!parse_int(text, &n)) return fail("a whole number");
      return value{n};
    }
    case field_type::money: {
      if (auto m = parse_money(text)) return value{*m};
      return fail("an amount of money (e.g. 10000 or 10,000.50; at most two decimals)");
    }
    case field_type::boolean:
      if (text == "true" || text == "yes") return value{true};
      if (text == "false" || text == "no") return value{false};
      return fail("true or false");
    case field_type::date:
      if (auto d = parse_date(text)) return value{*d};
      if (outside_time_range(text)) return fail_with(out_of_range_message(text));
      return fail("a date (YYYY-MM-DD)");
    case field_type::datetime:
      if (auto t = parse_instant(text)) return value{*t};
      if (outside_time_range(text)) return fail_with(out_of_range_message(text));
      return fail("a date and time with its zone (e.g. 2026-02-13T17:50+08:00)");
  }
  return fail("a known type");
}

std::string format_value(const value& v) {
  struct formatter {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(money m) const {
      const std::int64_t magnitude = m.fen < 0 ? -m.fen : m.fen;
      return fmt::format("{}{}.{:02}", m.fen < 0 ? "-" : "", magnitude / 100, magnitude % 100);
    }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(civil_date d) const {
      int y = 0;
      unsigned m = 0, day = 0;
      split_date(d, &y, &m, &day);
      return fmt::format("{:04}-{:02}-{:02}", y, m, day);
    }
    std::string operator()(instant t) const { return format_instant_utc(t); }
  };
  return std::visit(formatter{}, v);
}

nlohmann::json to_json(const value& v) {
  if (is_null(v)) return nullptr;
  if (auto b = std::get_if<bool>(&v)) return *b;
  if (auto n = std::get_if<std::int64_t>(&v)) return *n;
  return format_value(v);
}

std::optional<value> value_from_json(field_type type, const nlohmann::json& j) {
  if (j.is_null()) return value{};
  if (type == field_type::boolean) {
    if (!j.is_boolean()) return std::nullopt;
    return value{j.get<bool>()};
  }
  if (type == field_type::integer) {
    if (!j.is_number_integer()) return std::nullopt;
    return value{j.get<std::int64_t>()};
  }
  if (!j.is_string()) return std::nullopt;
  return parse_value(type, j.get_ref<const std::string&>(), nullptr);
}

}  // namespace caseflow
