// Reading one calendar YAML file into a calendar_spec, reporting every problem found.
#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

#include "calendar/spec.h"
#include "base/yaml_reader.h"

namespace caseflow::detail {

namespace {

constexpr std::array<std::string_view, 7> k_weekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> k_weekday_names = {"monday", "tuesday", "wednesday", "thursday",
                                                             "friday", "saturday", "sunday"};
constexpr int k_first_year = 1970;
constexpr int k_last_year = 9999;

source_location locate(const yaml_reader& in, const YAML::Node& node) {
  const auto [line, column] = position(node);
  return {in.file(), line, column};
}

std::size_t count_errors(const diagnostics& list) {
  return static_cast<std::size_t>(std::count_if(list.begin(), list.end(), [](const diagnostic& d) {
    return d.level == diagnostic_level::error;
  }));
}

std::optional<int> parse_int(std::string_view text) {
  int number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

// "HH:MM" -> minutes since midnight, 00:00..24:00.
std::optional<int> parse_clock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const auto hours = parse_int(text.substr(0, 2));
  const auto minutes = parse_int(text.substr(3, 2));
  if (!hours || !minutes || *hours < 0 || *minutes < 0 || *minutes > 59) return std::nullopt;
  const int total = *hours * 60 + *minutes;
  if (total > 24 * 60) return std::nullopt;
  return total;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// "09:00-12:00" -> {540, 720}.
std::optional<working_period> parse_period(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto start = parse_clock(trim(text.substr(0, dash)));
  const auto end = parse_clock(trim(text.substr(dash + 1)));
  if (!start || !end) return std::nullopt;
  return working_period{*start, *end};
}

std::optional<civil_date> read_date(yaml_reader& in, const YAML::Node& node, std::string_view what) {
  const auto text = in.scalar(node, what);
  if (!text) return std::nullopt;
  std::string why;
  if (const auto v = parse_value(field_type::date, *text, &why)) return std::get<civil_date>(*v);
  if (outside_time_range(*text)) in.error(node, fmt::format("{}: {}", what, why));
  else in.error(node, fmt::format("bad date '{}' in {}: expected a real day as YYYY-MM-DD, e.g. 2026-02-15", *text, what));
  return std::nullopt;
}

std::optional<std::vector<working_period>> read_hours(yaml_reader& in, const YAML::Node& node) {
  if (!in.expect_sequence(node, "hours")) return std::nullopt;
  if (node.size() == 0) {
    in.error(node, "hours must list at least one working period, e.g. [\"09:00-12:00\", \"13:00-18:00\"]");
    return std::nullopt;
  }
  std::vector<working_period> periods;
  bool ok = true;
  for (const YAML::Node& item : node) {
    const auto text = in.scalar(item, "a working period");
    const auto period = text ? parse_period(*text) : std::nullopt;
    if (!period) {
      if (text) in.error(item, fmt::format("bad working period '{}': expected HH:MM-HH:MM, e.g. 09:00-12:00", *text));
      ok = false;
    } else if (period->start_minute >= period->end_minute) {
      in.error(item, fmt::format("working period '{}' must end after it starts", *text));
      ok = false;
    } else if (!periods.empty() && period->start_minute < periods.back().end_minute) {
      in.error(item, fmt::format("working period '{}' must start after the previous one ends (periods in order, "
                                 "not overlapping)", *text));
      ok = false;
    } else {
      periods.push_back(*period);
    }
  }
  if (!ok) return std::nullopt;
  return periods;
}

std::optional<std::size_t> weekday_index(std::string_view name) {
  for (std::size_t i = 0; i < k_weekdays.size(); ++i) {
    if (name == k_weekdays[i] || name == k_weekday_names[i]) return i;
  }
  return std::nullopt;
}

std::optional<std::array<bool, 7>> read_week(yaml_reader& in, const YAML::Node& node) {
  if (!in.expect_sequence(node, "week")) return std::nullopt;
  std::array<bool, 7> week{};
  bool ok = true;
  for (const YAML::Node& item : node) {
    const auto name = in.scalar(item, "a weekday");
    const auto index = name ? weekday_index(*name) : std::nullopt;
    if (!index) {
      if (name) {
        in.error(item, fmt::format("unknown weekday '{}'{}; weekdays are mon, tue, wed, thu, fri, sat, sun", *name,
                                   did_you_mean(*name, {k_weekdays.begin(), k_weekdays.end()})));
      }
      ok = false;
    } else if (week[*index]) {
      in.error(item, fmt::format("weekday '{}' is listed twice", *name));
      ok = false;
    } else {
      week[*index] = true;
    }
  }
  if (ok && std::none_of(week.begin(), week.end(), [](bool working) { return working; })) {
    in.error(node, "week must list at least one working weekday, e.g. [mon, tue, wed, thu, fri]");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return week;
}

// `covers: [2025, 2026]` (consecutive years), `covers: 2026` or `covers: all`.
void read_covers(yaml_reader& in, const YAML::Node& node, calendar_spec* spec) {
  spec->has_covers = true;
  spec->covers_where = locate(in, node);
  if (node.IsScalar() && node.Scalar() == "all") return;
  std::vector<YAML::Node> items;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) items.push_back(item);
  } else {
    items.push_back(node);
  }
  if (items.empty()) {
    in.error(node, "covers must list the years whose holidays are given, e.g. [2025, 2026], or be 'all'");
    return;
  }
  std::optional<year_range> range;
  for (const YAML::Node& item : items) {
    const auto text = in.scalar(item, "a covered year");
    if (!text) return;
    const auto year = parse_int(*text);
    if (!year || *year < k_first_year || *year > k_last_year) {
      in.error(item, fmt::format("covers must list years (e.g. [2025, 2026]) or be 'all', not '{}'", *text));
      return;
    }
    if (range && *year != range->last + 1) {
      in.error(item, fmt::format("covers must list consecutive years in order; {} does not follow {}", *year,
                                 range->last));
      return;
    }
    if (!range) range = year_range{*year, *year};
    range->last = *year;
  }
  spec->covers = range;
}

// Entries of `holidays`, `workdays` or `closures`: `{ name: 春节, from: 2026-02-15, to: 2026-02-23 }`,
// `{ name: 元旦, date: 2026-01-01 }`, or (when names are optional) a bare date `2026-02-14`.
std::vector<dated_entry> read_entries(yaml_reader& in, const YAML::Node& node, std::string_view key,
                                      std::string_view entry, bool name_required) {
  std::vector<dated_entry> entries;
  if (!in.expect_sequence(node, key)) return entries;
  const std::string shape = "{ name: ..., date: YYYY-MM-DD } or { name: ..., from: YYYY-MM-DD, to: YYYY-MM-DD }";
  for (const YAML::Node& item : node) {
    dated_entry e;
    e.where = locate(in, item);
    std::optional<civil_date> from, to;
    if (item.IsScalar() && !name_required) {
      from = to = read_date(in, item, key);
    } else if (item.IsMap()) {
      in.check_keys(item, entry, {"name", "date", "from", "to"});
      if (item["name"]) {
        e.name = in.scalar(item["name"], "name").value_or("");
      } else if (name_required) {
        in.error(item, fmt::format("{} needs a name: {}", entry, shape));
      }
      const YAML::Node date = item["date"], start = item["from"], end = item["to"];
      if (date && !start && !end) {
        from = to = read_date(in, date, key);
      } else if (start && end && !date) {
        from = read_date(in, start, key);
        to = read_date(in, end, key);
        if (from && to && *to < *from) {
          in.error(end, fmt::format("{} ends ('to') before it starts ('from')", entry));
          to.reset();
        }
      } else {
        in.error(item, fmt::format("{} needs either date: or from: and to:, e.g. {}", entry, shape));
      }
    } else {
      in.error(item, fmt::format("each entry of {} must be {}", key, name_required ? shape : "a date or " + shape));
    }
    if (from && to) {
      e.from = *from;
      e.to = *to;
      entries.push_back(std::move(e));
    }
  }
  return entries;
}

bool valid_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::optional<calendar_spec> read_spec(yaml_reader& in, const YAML::Node& root) {
  if (!in.expect_map(root, "a calendar file")) return std::nullopt;
  in.check_keys(root, "a calendar",
                {"calendar", "name", "extends", "time_zone", "hours", "week", "covers", "holidays", "workdays",
                 "closures"});
  calendar_spec spec;
  const YAML::Node id = root["calendar"];
  if (!id) {
    in.error(root, "missing key 'calendar': the calendar's id, e.g. calendar: cn-mainland");
    return std::nullopt;
  }
  const auto id_text = in.scalar(id, "calendar");
  if (!id_text) return std::nullopt;
  if (!valid_id(*id_text)) {
    in.error(id, fmt::format("calendar id '{}' may use only a-z, 0-9, '-' and '_'", *id_text));
    return std::nullopt;
  }
  spec.id = *id_text;
  spec.where = locate(in, id);

  if (const YAML::Node name = root["name"]) {
    if (name.IsMap()) {
      in.check_keys(name, "a name", {"zh", "en"});
      if (name["zh"]) spec.name_zh = in.scalar(name["zh"], "zh");
      if (name["en"]) spec.name_en = in.scalar(name["en"], "en");
    } else {
      spec.name_zh = in.scalar(name, "name");
    }
  }
  if (const YAML::Node extends = root["extends"]) {
    spec.extends = in.scalar(extends, "extends");
    spec.extends_where = locate(in, extends);
  }
  if (const YAML::Node zone = root["time_zone"]) {
    if (const auto zone_name = in.scalar(zone, "time_zone")) {
      cctz::time_zone loaded;
      if (cctz::load_time_zone(*zone_name, &loaded)) {
        spec.zone_name = *zone_name;
      } else {
        in.error(zone, fmt::format("unknown time zone '{}': expected an IANA name such as Asia/Shanghai", *zone_name));
      }
    }
  }
  if (const YAML::Node hours = root["hours"]) spec.hours = read_hours(in, hours);
  if (const YAML::Node week = root["week"]) spec.week = read_week(in, week);
  if (const YAML::Node covers = root["covers"]) read_covers(in, covers, &spec);
  if (const YAML::Node node = root["holidays"]) spec.holidays = read_entries(in, node, "holidays", "a holiday", true);
  if (const YAML::Node node = root["workdays"]) {
    spec.workdays = read_entries(in, node, "workdays", "a make-up working day", false);
  }
  if (const YAML::Node node = root["closures"]) spec.closures = read_entries(in, node, "closures", "a closure", false);

  if (!root["extends"]) {
    for (const char* key : {"time_zone", "hours", "week", "covers"}) {
      if (!root[key]) {
        in.error(root, fmt::format("calendar '{}' needs '{}' (or 'extends: ID' to inherit it)", spec.id, key));
      }
    }
  }
  return spec;
}

}  // namespace

std::optional<calendar_spec> parse_calendar(const calendar_source& source, diagnostics* out) {
  yaml_reader in(source.file, out);
  const std::size_t errors_before = count_errors(*out);
  try {
    const auto root = in.parse(source.text);
    if (!root) return std::nullopt;
    auto spec = read_spec(in, *root);
    if (spec) spec->valid = count_errors(*out) == errors_before;
    return spec;
  } catch (const YAML::Exception& e) {  // not expected: every access above is checked
    out->push_back({source.file, e.mark.line + 1, e.mark.column + 1, fmt::format("bad calendar: {}", e.msg),
                    diagnostic_level::error});
    return std::nullopt;
  }
}

}  // namespace caseflow::detail
