// Loading calendar files: parse each, resolve `extends`, merge and check the effective
// definitions. See caseflow/calendar.h (load_calendars) for the contract.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "caseflow/hash.h"
#include "calendar/spec.h"

namespace caseflow {

namespace {

using detail::calendar_data;
using detail::calendar_spec;
using detail::dated_entry;
using detail::source_location;

using day_origins = std::map<civil_date, const dated_entry*>;

std::string format_date(civil_date d) { return format_value(value{d}); }

std::string format_range(const dated_entry& e) {
  return e.from == e.to ? format_date(e.from) : fmt::format("{}..{}", format_date(e.from), format_date(e.to));
}

std::string format_covers(const std::optional<detail::year_range>& covers) {
  if (!covers) return "all";
  return covers->first == covers->last ? fmt::format("{}", covers->first)
                                       : fmt::format("{}-{}", covers->first, covers->last);
}

bool includes(const std::optional<detail::year_range>& outer, const std::optional<detail::year_range>& inner) {
  if (!outer) return true;
  return inner && outer->first <= inner->first && inner->last <= outer->last;
}

bool within(const std::optional<detail::year_range>& covers, civil_date d) {
  if (!covers) return true;
  int year = 0;
  unsigned month = 0, day = 0;
  split_date(d, &year, &month, &day);
  return covers->first <= year && year <= covers->last;
}

// The effective definition of a calendar plus, for messages, which entry gave each day.
struct resolved_calendar {
  std::shared_ptr<const calendar_data> data;
  day_origins holidays;
  day_origins workdays;
  day_origins closures;
};

// Turns parsed specs into calendars, parents first. One builder per load; not thread-safe.
class calendar_builder {
 public:
  explicit calendar_builder(diagnostics* out) : out_(out) {}

  void add(calendar_spec spec) {
    const auto [it, inserted] = specs_.emplace(spec.id, spec);
    if (!inserted) {
      const source_location& first = it->second.where;
      error(spec.where, fmt::format("calendar '{}' is already defined at {}:{}", spec.id, first.file, first.line));
    }
  }

  calendar_set build() {
    calendar_set set;
    for (const auto& [id, spec] : specs_) {
      std::vector<std::string> chain;
      if (const resolved_calendar* r = resolve(id, &chain)) set.add(calendar(r->data));
    }
    return set;
  }

 private:
  void error(const source_location& at, std::string message) {
    out_->push_back({at.file, at.line, at.column, std::move(message), diagnostic_level::error});
  }

  std::vector<std::string> known_ids() const {
    std::vector<std::string> ids;
    for (const auto& entry : specs_) ids.push_back(entry.first);
    return ids;
  }

  // The calendar `id` with its parents merged in, or nullptr if it or a parent has errors.
  // `chain` holds the calendars being resolved below this one, to detect cycles.
  const resolved_calendar* resolve(const std::string& id, std::vector<std::string>* chain) {
    if (auto done = done_.find(id); done != done_.end()) return done->second ? &*done->second : nullptr;
    const calendar_spec& spec = specs_.at(id);
    std::optional<resolved_calendar> result;
    if (spec.valid) result = merge(spec, chain);
    auto& slot = done_[id];
    slot = std::move(result);
    return slot ? &*slot : nullptr;
  }

  std::optional<resolved_calendar> merge(const calendar_spec& spec, std::vector<std::string>* chain) {
    resolved_calendar merged;
    auto data = std::make_shared<calendar_data>();
    if (spec.extends) {
      if (!specs_.count(*spec.extends)) {
        error(spec.extends_where, fmt::format("calendar '{}' extends unknown calendar '{}'{}", spec.id,
                                              *spec.extends, did_you_mean(*spec.extends, known_ids())));
        return std::nullopt;
      }
      if (std::find(chain->begin(), chain->end(), *spec.extends) != chain->end() || *spec.extends == spec.id) {
        std::string cycle = spec.id;
        for (auto it = std::find(chain->begin(), chain->end(), *spec.extends); it != chain->end(); ++it) {
          cycle += " -> " + *it;
        }
        error(spec.extends_where, fmt::format("calendar '{}' extends itself: {} -> {}", spec.id, cycle, spec.id));
        return std::nullopt;
      }
      chain->push_back(spec.id);
      const resolved_calendar* parent = resolve(*spec.extends, chain);
      chain->pop_back();
      if (!parent) return std::nullopt;  // the parent's own problems are reported already
      merged = *parent;
      *data = *parent->data;
      if (spec.has_covers && !includes(spec.covers, parent->data->covers)) {
        error(spec.covers_where, fmt::format("covers ({}) must include the years of '{}' ({})",
                                             format_covers(spec.covers), *spec.extends,
                                             format_covers(parent->data->covers)));
        return std::nullopt;
      }
    }
    data->id = spec.id;
    data->file = spec.where.file;
    data->name_zh = spec.name_zh.value_or(spec.id);
    data->name_en = spec.name_en.value_or("");
    if (spec.zone_name) {
      data->zone_name = *spec.zone_name;
      cctz::load_time_zone(data->zone_name, &data->zone);
    }
    if (spec.hours) data->hours = *spec.hours;
    if (spec.week) data->week = *spec.week;
    if (spec.has_covers) {
      data->covers = spec.covers;
      data->covers_file = spec.covers_where.file;
      data->covers_line = spec.covers_where.line;
      data->covers_column = spec.covers_where.column;
      data->covers_owner = spec.id;
    }
    // `&`, not `&&`: every check runs, so every problem is reported at once.
    const bool ok = add_days(spec.holidays, "holiday", &merged.holidays) &
                    add_days(spec.workdays, "make-up working day", &merged.workdays) &
                    add_days(spec.closures, "closure", &merged.closures) & check_workdays(spec, *data, merged) &
                    check_coverage(spec, *data);
    if (!ok) return std::nullopt;
    data->holidays.clear();
    for (const auto& [day, entry] : merged.holidays) data->holidays.emplace(day, entry->name);
    data->makeup_workdays.clear();
    for (const auto& entry : merged.workdays) data->makeup_workdays.insert(entry.first);
    data->closures.clear();
    for (const auto& [day, entry] : merged.closures) data->closures.emplace(day, entry->name);
    data->version = detail::compute_version(*data);
    merged.data = std::move(data);
    return merged;
  }

  // Adds each entry's days to `origins`; an entry overlapping an earlier one is an error.
  bool add_days(const std::vector<dated_entry>& entries, std::string_view what, day_origins* origins) {
    bool ok = true;
    for (const dated_entry& e : entries) {
      for (civil_date d = e.from; d <= e.to; d.days += 1) {
        const auto [it, inserted] = origins->emplace(d, &e);
        if (inserted) continue;
        const dated_entry& other = *it->second;
        error(e.where, fmt::format("{} '{}' ({}) overlaps '{}' ({}) at {}:{}", what, e.name, format_range(e),
                                   other.name, format_range(other), other.where.file, other.where.line));
        ok = false;
        break;
      }
    }
    return ok;
  }

  // Make-up days may not be holidays, and those this file lists must be off in the week.
  bool check_workdays(const calendar_spec& spec, const calendar_data& data, const resolved_calendar& merged) {
    static constexpr std::array<std::string_view, 7> k_day_names = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                                    "Friday", "Saturday", "Sunday"};
    bool ok = true;
    for (const auto& [day, entry] : merged.workdays) {
      if (auto holiday = merged.holidays.find(day); holiday != merged.holidays.end()) {
        error(entry->where, fmt::format("make-up working day {} is also the holiday '{}'", format_date(day),
                                        holiday->second->name));
        ok = false;
        continue;
      }
      const bool own = entry >= spec.workdays.data() && entry < spec.workdays.data() + spec.workdays.size();
      const auto weekday = static_cast<std::size_t>(weekday_of(day));
      if (own && data.week[weekday]) {
        error(entry->where, fmt::format("make-up working day {} is a {}, already a working day of the week",
                                        format_date(day), k_day_names[weekday]));
        ok = false;
      }
    }
    return ok;
  }

  // The holidays and make-up days a file lists lie inside the years the calendar covers.
  bool check_coverage(const calendar_spec& spec, const calendar_data& data) {
    bool ok = true;
    for (const auto* entries : {&spec.holidays, &spec.workdays}) {
      for (const dated_entry& e : *entries) {
        if (within(data.covers, e.from) && within(data.covers, e.to)) continue;
        error(e.where, fmt::format("{} ({}) lies outside the years calendar '{}' covers ({}); extend covers",
                                   e.name.empty() ? "make-up working day" : "'" + e.name + "'", format_range(e),
                                   spec.id, format_covers(data.covers)));
        ok = false;
      }
    }
    return ok;
  }

  diagnostics* out_;
  std::map<std::string, calendar_spec> specs_;
  std::map<std::string, std::optional<resolved_calendar>> done_;
};

}  // namespace

namespace detail {

std::string compute_version(const calendar_data& data) {
  std::string text = fmt::format("calendar {}\nname {} | {}\nzone {}\nhours", data.id, data.name_zh, data.name_en,
                                 data.zone_name);
  for (const working_period& p : data.hours) text += fmt::format(" {}-{}", p.start_minute, p.end_minute);
  text += "\nweek";
  for (bool working : data.week) text += working ? " 1" : " 0";
  text += "\ncovers " + format_covers(data.covers) + "\n";
  for (const auto& [day, name] : data.holidays) text += fmt::format("holiday {} {}\n", format_date(day), name);
  for (civil_date day : data.makeup_workdays) text += fmt::format("workday {}\n", format_date(day));
  for (const auto& [day, name] : data.closures) text += fmt::format("closure {} {}\n", format_date(day), name);
  return sha256_hex(text).substr(0, 12);
}

}  // namespace detail

calendar_set load_calendar_sources(const std::vector<calendar_source>& sources, diagnostics* out) {
  calendar_builder builder(out);
  for (const calendar_source& source : sources) {
    if (auto spec = detail::parse_calendar(source, out)) builder.add(std::move(*spec));
  }
  return builder.build();
}

calendar_set load_calendars(const std::string& dir, diagnostics* out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".yaml" && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    out->push_back({dir, 0, 0, fmt::format("cannot read the calendar folder: {}", ec.message()),
                    diagnostic_level::error});
    return {};
  }
  std::sort(files.begin(), files.end());
  std::vector<calendar_source> sources;
  for (const fs::path& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      out->push_back({path.string(), 0, 0, "cannot read this file", diagnostic_level::error});
      continue;
    }
    sources.push_back({path.string(), text.str()});
  }
  return load_calendar_sources(sources, out);
}

}  // namespace caseflow
