// report.h — the results table: one row per measurement, with its target and verdict,
// printed as Markdown so that bench/README.md can quote it as is. Intentionally copyable.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace caseflow::bench {

struct row {
  std::string scenario;
  std::string size;
  std::string result;           // the rate or time measured
  std::string p50, p99;         // latencies, "" when not meaningful
  std::string peak_rss;         // "" when not measured
  std::string ceiling;          // what plain SQLite did, "" when no ceiling applies
  std::string ratio;            // result / ceiling, "" when no ceiling applies
  std::string target;           // "" when none
  std::optional<bool> met;      // PASS / MISS; nullopt when there is no target
};

class report {
 public:
  void add(row r) { rows_.push_back(std::move(r)); }
  std::string markdown() const;
  int misses() const;

 private:
  std::vector<row> rows_;
};

// "12,345" style integers, "1.23 ms" style durations (from microseconds), "45.6 MB" (from kB).
std::string count(double n);
std::string duration_us(double micros);
std::string megabytes(double kb);
std::string percent(double fraction);

}  // namespace caseflow::bench
