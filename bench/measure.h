// measure.h — what the benchmark harness measures with: a stopwatch, latency percentiles,
// peak memory, scenarios isolated in child processes, and timed runs of another program.
// Not thread-safe; the harness is single-threaded.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace caseflow::bench {

class stopwatch {
 public:
  stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  double micros() const { return seconds() * 1e6; }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Samples in microseconds. Intentionally copyable.
class latencies {
 public:
  void add(double micros) { samples_.push_back(micros); }
  std::size_t size() const { return samples_.size(); }
  // The q-quantile (0 < q <= 1) by nearest rank; 0 when empty.
  double percentile(double q) const;
  double mean() const;
  // {"p50": …, "p99": …, "mean": …, "n": …}
  nlohmann::json summary() const;

 private:
  std::vector<double> samples_;
};

// This process's peak resident set (VmHWM) in kB.
std::int64_t peak_rss_kb();

// Runs `body` in a forked child so that its peak memory and page cache state are its own,
// and returns the JSON document it returned (with "peak_rss_kb" added). Throws
// std::runtime_error when the child fails; its stderr is inherited.
nlohmann::json isolated(const std::function<nlohmann::json()>& body);

// Runs `argv` (argv[0] is the program's path) with stdin, stdout and stderr on /dev/null;
// returns its exit code, or 128 + the signal that ended it.
int run_program(const std::vector<std::string>& argv);

}  // namespace caseflow::bench
