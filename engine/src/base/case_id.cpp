#include "caseflow/case_id.h"

#include <fmt/format.h>

namespace caseflow {

namespace {

// Expands the pattern; `seq` < 0 leaves the serial out (for the period key).
bool expand(const std::string& pattern, civil_date day, std::int64_t seq, std::string* out, std::string* why) {
  int y = 0;
  unsigned m = 0, d = 0;
  split_date(day, &y, &m, &d);
  int serials = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      *out += pattern[i];
      continue;
    }
    const std::size_t close = pattern.find('}', i);
    if (close == std::string::npos) {
      if (why) *why = fmt::format("case_id '{}': '{{' without a closing '}}'", pattern);
      return false;
    }
    const std::string name = pattern.substr(i + 1, close - i - 1);
    if (name == "yyyy") *out += fmt::format("{:04}", y);
    else if (name == "yy") *out += fmt::format("{:02}", y % 100);
    else if (name == "mm") *out += fmt::format("{:02}", m);
    else if (name == "dd") *out += fmt::format("{:02}", d);
    else if (name.rfind("seq", 0) == 0) {
      int width = 1;
      if (name.size() > 3) {
        if (name[3] != ':' || name.size() < 5 || name.size() > 6 ||
            name.find_first_not_of("0123456789", 4) != std::string::npos) {
          if (why) *why = fmt::format("case_id '{}': write the serial as {{seq}} or {{seq:05}}", pattern);
          return false;
        }
        width = std::stoi(name.substr(4));
      }
      ++serials;
      if (seq >= 0) *out += fmt::format("{:0{}}", seq, width);
    } else {
      if (why) *why = fmt::format("case_id '{}': unknown placeholder '{{{}}}'; use {{yyyy}} {{yy}} {{mm}} {{dd}} {{seq:N}}",
                                  pattern, name);
      return false;
    }
    i = close;
  }
  if (serials != 1) {
    if (why) *why = fmt::format("case_id '{}' needs exactly one serial placeholder such as {{seq:05}}", pattern);
    return false;
  }
  return true;
}

}  // namespace

bool check_case_id_pattern(const std::string& pattern, std::string* why) {
  std::string ignored;
  return expand(pattern, civil_date{}, 0, &ignored, why);
}

std::string case_id_period(const std::string& pattern, civil_date local_day) {
  std::string out;
  expand(pattern, local_day, -1, &out, nullptr);
  return out;
}

std::string format_case_id(const std::string& pattern, civil_date local_day, std::int64_t seq) {
  std::string out;
  expand(pattern, local_day, seq, &out, nullptr);
  return out;
}

}  // namespace caseflow
