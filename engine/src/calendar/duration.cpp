// Parsing durations ("4h working") and date offsets ("move_in_date - 45d").
#include "caseflow/duration.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include <fmt/format.h>

namespace caseflow {

namespace {

constexpr std::int64_t k_milli = 1000;
constexpr int k_max_integer_digits = 9;
constexpr std::string_view k_duration_examples =
    "expected e.g. 30m, 4h, 7d, 1 month, 30m working, 2 working days, end of day";
constexpr std::string_view k_offset_examples =
    "expected FIELD, FIELD - 45d, FIELD - 1.5 months or FIELD + 3 working days";

enum class measure { seconds, months };

struct unit_info {
  std::string_view name;
  measure kind = measure::seconds;
  std::int64_t size = 1;  // seconds, or tenths of a month
};

constexpr std::array<unit_info, 30> k_units = {{
    {"s", measure::seconds, 1},          {"sec", measure::seconds, 1},
    {"secs", measure::seconds, 1},       {"second", measure::seconds, 1},
    {"seconds", measure::seconds, 1},    {"m", measure::seconds, 60},
    {"min", measure::seconds, 60},       {"mins", measure::seconds, 60},
    {"minute", measure::seconds, 60},    {"minutes", measure::seconds, 60},
    {"h", measure::seconds, 3600},       {"hr", measure::seconds, 3600},
    {"hrs", measure::seconds, 3600},     {"hour", measure::seconds, 3600},
    {"hours", measure::seconds, 3600},   {"d", measure::seconds, 86400},
    {"day", measure::seconds, 86400},    {"days", measure::seconds, 86400},
    {"w", measure::seconds, 604800},     {"wk", measure::seconds, 604800},
    {"week", measure::seconds, 604800},  {"weeks", measure::seconds, 604800},
    {"mo", measure::months, 10},         {"month", measure::months, 10},
    {"months", measure::months, 10},     {"y", measure::months, 120},
    {"yr", measure::months, 120},        {"yrs", measure::months, 120},
    {"year", measure::months, 120},      {"years", measure::months, 120},
}};

constexpr std::int64_t k_day_seconds = 86400;

// "2 working days" -> {2000, day, working}. `milli` is the number in thousandths.
struct quantity {
  std::int64_t milli = 0;
  unit_info unit;
  bool working = false;
};

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(' ') - first + 1));
}

std::string lowered(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const auto start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    const auto end = std::min(text.find(' '), text.size());
    words.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return words;
}

const unit_info* find_unit(std::string_view name) {
  const auto it = std::find_if(k_units.begin(), k_units.end(), [&](const unit_info& u) { return u.name == name; });
  return it == k_units.end() ? nullptr : &*it;
}

// Parses "1.5h", "2 working days", "30 minutes working", "half a month". *why gets the reason
// when the text is recognisably wrong in a specific way; empty otherwise.
std::optional<quantity> parse_quantity(std::string_view text, std::string* why) {
  quantity q;
  if (text == "half a month") return quantity{k_milli / 2, *find_unit("month"), false};
  std::size_t i = 0;
  std::int64_t integer = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    if (i == k_max_integer_digits) return std::nullopt;
    integer = integer * 10 + (text[i] - '0');
  }
  if (i == 0) return std::nullopt;
  std::int64_t fraction = 0, scale = k_milli;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::size_t start = i;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      if (scale == 1) return std::nullopt;
      scale /= 10;
      fraction += (text[i] - '0') * scale;
    }
    if (i == start) return std::nullopt;
  }
  q.milli = integer * k_milli + fraction;
  std::vector<std::string_view> words = words_of(text.substr(i));
  if (!words.empty() && words.front() == "working") {
    q.working = true;
    words.erase(words.begin());
  } else if (!words.empty() && words.back() == "working") {
    q.working = true;
    words.pop_back();
  }
  const unit_info* unit = words.size() == 1 ? find_unit(words.front()) : nullptr;
  if (!unit) return std::nullopt;
  q.unit = *unit;
  if (q.working && !(q.unit.kind == measure::seconds && q.unit.size <= k_day_seconds)) {
    *why = "working time is counted in seconds, minutes, hours or days";
    return std::nullopt;
  }
  return q;
}

// q counted in a smaller unit, `per_unit` of which make one of q's; nullopt if not whole.
std::optional<std::int64_t> whole(const quantity& q, std::int64_t per_unit) {
  const std::int64_t total = q.milli * per_unit;
  if (total % k_milli != 0) return std::nullopt;
  return total / k_milli;
}

template <typename T>
std::optional<T> fail(std::string* error, std::string_view what, std::string_view text, std::string_view reason) {
  if (error) *error = fmt::format("bad {} '{}': {}", what, text, reason);
  return std::nullopt;
}

}  // namespace

std::optional<duration> parse_duration(std::string_view text, std::string* error) {
  duration d;
  d.text = trimmed(text);
  const std::string normal = lowered(d.text);
  const std::vector<std::string_view> words = words_of(normal);
  if (words == std::vector<std::string_view>{"end", "of", "day"} ||
      words == std::vector<std::string_view>{"end", "of", "the", "day"}) {
    d.kind = duration::unit::end_of_day;
    return d;
  }
  if (words == std::vector<std::string_view>{"same", "day"} ||
      words == std::vector<std::string_view>{"end", "of", "calendar", "day"}) {
    d.kind = duration::unit::same_day;
    return d;
  }
  std::string why;
  const auto q = parse_quantity(normal, &why);
  if (!q) return fail<duration>(error, "duration", d.text, why.empty() ? k_duration_examples : why);
  const bool days = q->unit.kind == measure::seconds && q->unit.size == k_day_seconds;
  if (q->working && days) {
    const auto n = whole(*q, 1);
    if (!n) return fail<duration>(error, "duration", d.text, "working days must be a whole number");
    d.kind = duration::unit::working_days;
    d.amount = *n;
  } else if (q->unit.kind == measure::months) {
    const auto tenths = whole(*q, q->unit.size);
    if (!tenths) return fail<duration>(error, "duration", d.text, "months may have at most one decimal (1.5 months)");
    d.kind = duration::unit::calendar_months;
    d.amount = *tenths;
  } else {
    const auto seconds = whole(*q, q->unit.size);
    if (!seconds) return fail<duration>(error, "duration", d.text, "it must come to a whole number of seconds");
    d.kind = q->working ? duration::unit::working_seconds : duration::unit::calendar_seconds;
    d.amount = *seconds;
  }
  return d;
}

std::optional<date_offset> parse_date_offset(std::string_view text, std::string* error) {
  date_offset off;
  off.text = trimmed(text);
  const std::string normal = lowered(off.text);
  // The field is the leading name, in its original case.
  std::size_t i = 0;
  const auto is_name_char = [](char c, bool first) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
  };
  while (i < off.text.size() && is_name_char(off.text[i], i == 0)) ++i;
  if (i == 0) return fail<date_offset>(error, "date offset", off.text, k_offset_examples);
  off.field = off.text.substr(0, i);
  std::string_view rest = std::string_view(normal).substr(i);
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  if (rest.empty()) return off;
  if (rest.front() != '+' && rest.front() != '-') {
    return fail<date_offset>(error, "date offset", off.text, k_offset_examples);
  }
  off.sign = rest.front() == '-' ? -1 : 1;
  rest.remove_prefix(1);
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  std::string why;
  const auto q = parse_quantity(rest, &why);
  if (!q) return fail<date_offset>(error, "date offset", off.text, why.empty() ? k_offset_examples : why);
  if (q->unit.kind == measure::months) {
    const auto tenths = whole(*q, q->unit.size);
    if (!tenths) return fail<date_offset>(error, "date offset", off.text, "months may have at most one decimal");
    off.tenth_months = *tenths;
    return off;
  }
  if (q->unit.size < k_day_seconds) {
    return fail<date_offset>(error, "date offset", off.text,
                             "a date offset counts days, weeks, months, years or working days");
  }
  const auto days = whole(*q, q->unit.size / k_day_seconds);
  if (!days) return fail<date_offset>(error, "date offset", off.text, "days must be a whole number");
  off.days = *days;
  off.working = q->working;
  return off;
}

}  // namespace caseflow
