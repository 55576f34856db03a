// calendar/calendar_data.h — engine-internal: the effective (parents merged, validated) definition
// behind a caseflow::calendar, with its loaded time zone. Immutable once built; shared
// between copies of a calendar.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <cctz/time_zone.h>

#include "caseflow/calendar.h"

namespace caseflow::detail {

// The years a calendar lists holidays for, inclusive.
struct year_range {
  int first = 0;
  int last = 0;
};

struct calendar_data {
  std::string id;
  std::string name_zh;
  std::string name_en;
  std::string file;
  std::string zone_name;
  cctz::time_zone zone;
  std::vector<working_period> hours;
  std::array<bool, 7> week{};           // index 0 = Monday
  std::optional<year_range> covers;     // nullopt = every year
  std::map<civil_date, std::string> holidays;  // day -> holiday name
  std::set<civil_date> makeup_workdays;
  std::map<civil_date, std::string> closures;  // day -> closure name ("" if unnamed)
  std::string version;                  // set by compute_version

  // Where `covers` was written, for coverage warnings.
  std::string covers_file;
  int covers_line = 0;
  int covers_column = 0;
  std::string covers_owner;  // id of the calendar whose file says it
};

// First 12 hex digits of the SHA-256 of a canonical text of everything in `data` except
// the version and source locations.
std::string compute_version(const calendar_data& data);

}  // namespace caseflow::detail
