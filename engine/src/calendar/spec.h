// calendar/spec.h — engine-internal: one calendar file as written, before `extends` is
// resolved. Produced by parse_calendar (calendar/parse.cpp), merged into calendar_data by
// the loader (calendar/loader.cpp). Plain data.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "caseflow/calendar.h"
#include "calendar/calendar_data.h"

namespace caseflow::detail {

struct source_location {
  std::string file;
  int line = 0;
  int column = 0;
};

// A holiday, closure or make-up working day: the inclusive days from..to (one day: from == to).
struct dated_entry {
  std::string name;
  civil_date from;
  civil_date to;
  source_location where;
};

// Every key is optional here: a derived calendar inherits what it leaves out.
struct calendar_spec {
  std::string id;
  source_location where;  // the `calendar:` key
  std::optional<std::string> extends;
  source_location extends_where;
  std::optional<std::string> name_zh;
  std::optional<std::string> name_en;
  std::optional<std::string> zone_name;  // a zone cctz can load
  std::optional<std::vector<working_period>> hours;
  std::optional<std::array<bool, 7>> week;
  bool has_covers = false;
  std::optional<year_range> covers;  // with has_covers: nullopt = `all`
  source_location covers_where;
  std::vector<dated_entry> holidays;
  std::vector<dated_entry> workdays;
  std::vector<dated_entry> closures;
  bool valid = true;  // false when the file itself has errors
};

// Parses one calendar file. Problems are appended to *out; nullopt when the file has no
// usable `calendar:` id (the problem is reported). Never throws.
std::optional<calendar_spec> parse_calendar(const calendar_source& source, diagnostics* out);

}  // namespace caseflow::detail
