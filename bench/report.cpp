#include "report.h"

#include <cmath>

#include <fmt/format.h>

namespace caseflow::bench {

std::string report::markdown() const {
  std::string out =
      "| scenario | size | result | p50 | p99 | peak RSS | ceiling (plain SQLite) | ratio | target | verdict |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n";
  auto cell = [](const std::string& s) { return s.empty() ? std::string("–") : s; };
  for (const auto& r : rows_)
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", r.scenario, cell(r.size), cell(r.result),
                       cell(r.p50), cell(r.p99), cell(r.peak_rss), cell(r.ceiling), cell(r.ratio), cell(r.target),
                       r.met ? (*r.met ? "PASS" : "**MISS**") : "–");
  return out;
}

int report::misses() const {
  int n = 0;
  for (const auto& r : rows_) n += r.met && !*r.met;
  return n;
}

std::string count(double n) {
  const std::string digits = fmt::format("{:.0f}", n);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

std::string duration_us(double micros) {
  if (micros < 1000) return fmt::format("{:.0f} µs", micros);
  if (micros < 1e6) return fmt::format("{:.2f} ms", micros / 1000);
  return fmt::format("{:.2f} s", micros / 1e6);
}

std::string megabytes(double kb) { return fmt::format("{:.1f} MB", kb / 1024); }

std::string percent(double fraction) { return fmt::format("{:.0f}%", std::round(fraction * 100)); }

}  // namespace caseflow::bench
