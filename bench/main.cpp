// caseflow_bench — how fast caseflow is and how its cost grows. See bench/README.md.
//
//   caseflow_bench [--smoke | --quick] [--only SCENARIO] [--caseflow PATH] [--source DIR] [--work DIR] [--keep]
//
// SCENARIO is durable, bulk, replay, big (4-6), growth or long (8): one group alone, e.g. under a profiler.
// Runs every scenario, each in its own child process, against real database files in a
// temporary folder, and prints one Markdown table. Exit status 0 whatever the verdicts
// (a MISS is a finding, not a failure); 1 when a scenario could not run; 2 on bad usage.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ceiling.h"
#include "measure.h"
#include "report.h"
#include "scenarios.h"
#include "workload.h"

namespace caseflow::bench {
namespace {

namespace fs = std::filesystem;

// How big each scenario is. --smoke runs in seconds (CI), --quick in under a minute.
struct plan {
  std::string name;
  std::int64_t durable_cases;  // scenario 1: cases × 6 commands
  std::int64_t bulk_cases;     // scenario 2: cases imported, each with its whole history
  std::int64_t replay_events;  // scenario 3
  std::int64_t big_cases;      // scenarios 4-6: the "1,000,000 cases" database
  std::int64_t due_timers;     // scenario 4: of big_cases, this many are due
  std::vector<std::int64_t> growth;  // scenario 7: cases already stored
  std::int64_t growth_cases;
  int process_runs;            // scenarios 5-6: runs of the CLI per measurement
  std::size_t batch;           // cases per import transaction
  std::vector<int> long_steps;  // scenario 8: steps of the long procedure, smallest first
};

const plan k_smoke{"smoke", 20, 200, 2'000, 2'000, 100, {500, 2'000}, 20, 3, 500, {100, 1'000}};
const plan k_quick{"quick", 300, 5'000, 100'000, 100'000, 1'000, {10'000, 100'000}, 300, 20, 500, {1'000, 5'000}};
const plan k_full{"full", 3'000, 50'000, 1'000'000, 1'000'000, 1'000, {10'000, 100'000, 1'000'000}, 2'000, 100, 500,
                  {1'000, 20'000}};

constexpr std::int64_t k_events_per_full_case = 8;  // opened + deadline, submitted + deadline cleared, 4 more
constexpr instant k_history_from{1736125200};       // 2025-01-06T09:00+08:00: the cases already overdue
constexpr instant k_tick_at{k_epoch.seconds - 3600};
constexpr instant k_later{k_epoch.seconds + 30 * 86400};  // after every imported case

struct options {
  plan size = k_full;
  std::string caseflow = CASEFLOW_BINARY;
  std::string source = CASEFLOW_SOURCE_DIR;
  std::string work;
  std::string only;  // "" = every scenario
  bool keep = false;
};

void progress(const std::string& what) { std::cerr << "bench: " << what << '\n'; }

double rate(const nlohmann::json& j, const char* what) { return j[what].get<double>() / j["seconds"].get<double>(); }

std::string us(const nlohmann::json& latency, const char* which) { return duration_us(latency[which].get<double>()); }

std::string rss(const nlohmann::json& j) { return megabytes(j["peak_rss_kb"].get<double>()); }

class bench_run {
 public:
  explicit bench_run(const options& opts) : opts_(opts), plan_(opts.size) {
    paths_.caseflow = opts.caseflow;
    paths_.procedures = file("procedures");
    assemble_procedures(opts.source, paths_.procedures);
  }

  void run() {
    const std::vector<std::pair<std::string, void (bench_run::*)()>> groups{{"durable", &bench_run::durable},
                                                                             {"bulk", &bench_run::bulk},
                                                                             {"replay", &bench_run::replay},
                                                                             {"big", &bench_run::big_database},
                                                                             {"growth", &bench_run::growth},
                                                                             {"long", &bench_run::long_procedure}};
    bool found = false;
    for (const auto& [name, group] : groups)
      if (opts_.only.empty() || opts_.only == name) {
        found = true;
        (this->*group)();
      }
    if (!found) throw std::runtime_error("--only: no scenario '" + opts_.only + "'; use durable, bulk, replay, big, growth or long");
  }

  const report& results() const { return report_; }

 private:
  std::string file(const std::string& name) const { return (fs::path(opts_.work) / name).string(); }

  nlohmann::json import(const std::string& db, const std::string& jsonl) {
    const auto built = isolated([&] { return import_file(paths_, db, jsonl, plan_.batch); });
    if (!opts_.keep) fs::remove(jsonl);
    return built;
  }

  void durable() {
    progress(fmt::format("1. durable transitions: {} cases × 6 commands", plan_.durable_cases));
    const std::string db = file("durable.db");
    const auto engine = isolated([&] { return durable_transitions(paths_, db, plan_.durable_cases, k_later); });
    row_bytes_ = mean_event_bytes(db);
    const auto rows = engine["transitions"].get<std::int64_t>();
    const auto bare = isolated([&] {
      const ceiling_run c = hashed_inserts(file("ceiling1.db"), rows, 1, row_bytes_);
      return nlohmann::json{{"rate", c.rate()}, {"latency", c.per_transaction.summary()}};
    });
    const double ratio = rate(engine, "transitions") / bare["rate"].get<double>();
    report_.add({"1. durable transitions (one commit per command)",
                 fmt::format("{} cases × 6", count(static_cast<double>(plan_.durable_cases))),
                 count(rate(engine, "transitions")) + " /s", us(engine["latency"], "p50"), us(engine["latency"], "p99"),
                 rss(engine),
                 fmt::format("{} rows/s (p50 {})", count(bare["rate"].get<double>()), us(bare["latency"], "p50")),
                 percent(ratio), "≥ 50%", ratio >= 0.5});
  }

  void bulk() {
    progress(fmt::format("2. bulk import: {} cases with their history", plan_.bulk_cases));
    const std::string jsonl = file("bulk.jsonl");
    write_case_lines(jsonl, {1, plan_.bulk_cases, true, k_epoch, 600});
    const auto engine = import(file("bulk.db"), jsonl);
    if (row_bytes_ == 0) row_bytes_ = mean_event_bytes(file("bulk.db"));
    const auto events = engine["events"].get<std::int64_t>();
    const std::int64_t per_batch = events / std::max<std::int64_t>(engine["batches"].get<std::int64_t>(), 1);
    const auto bare = isolated([&] {
      const ceiling_run c = hashed_inserts(file("ceiling2.db"), events, per_batch, row_bytes_);
      return nlohmann::json{{"rate", c.rate()}};
    });
    const double ratio = rate(engine, "events") / bare["rate"].get<double>();
    report_.add({"2. bulk import (`import`, 500 cases a transaction)",
                 fmt::format("{} cases, {} events", count(static_cast<double>(plan_.bulk_cases)),
                             count(static_cast<double>(events))),
                 fmt::format("{} events/s ({} cases/s)", count(rate(engine, "events")), count(rate(engine, "cases"))),
                 "", "", rss(engine), fmt::format("{} rows/s ({} a transaction)", count(bare["rate"].get<double>()), per_batch),
                 percent(ratio), "≥ 50%", ratio >= 0.5});
  }

  void replay() {
    const std::int64_t cases = std::max<std::int64_t>(plan_.replay_events / k_events_per_full_case, 1);
    progress(fmt::format("3. replay + verify: building {} events ({} cases) with the import API", plan_.replay_events, cases));
    const std::string jsonl = file("replay.jsonl");
    const std::string db = file("replay.db");
    write_case_lines(jsonl, {1, cases, true, k_epoch, 600});
    const auto built = import(db, jsonl);
    report_.add({"   building it with `import`", fmt::format("{} events", count(built["events"].get<double>())),
                 fmt::format("{} events/s, {:.1f} s", count(rate(built, "events")), built["seconds"].get<double>()), "", "",
                 rss(built), "", "", "", std::nullopt});
    const auto verified = isolated([&] { return replay_verify(db); });
    if (!verified["ok"].get<bool>()) throw std::runtime_error("verify_chain found problems in the benchmark database");
    const auto bare = isolated([&] {
      const ceiling_run c = read_and_hash(db);
      return nlohmann::json{{"rate", c.rate()}};
    });
    const double ratio = rate(verified, "events") / bare["rate"].get<double>();
    const double peak_mb = verified["peak_rss_kb"].get<double>() / 1024;
    report_.add({"3. replay + verify (`verify_chain`)", fmt::format("{} events", count(verified["events"].get<double>())),
                 count(rate(verified, "events")) + " events/s", "", "", rss(verified),
                 count(bare["rate"].get<double>()) + " rows/s", percent(ratio), "≥ 60%, RSS < 100 MB",
                 ratio >= 0.6 && peak_mb < 100});
  }

  // Scenarios 4-6 on one database of big_cases open cases, due_timers of them overdue.
  void big_database() {
    progress(fmt::format("4-6. building {} cases with the import API", plan_.big_cases));
    const std::string jsonl = file("big.jsonl");
    big_db_ = file("big.db");
    write_case_lines(jsonl, {1, plan_.due_timers, false, k_history_from, 1});
    write_case_lines(jsonl, {plan_.due_timers + 1, plan_.big_cases - plan_.due_timers, false, k_epoch, 1});
    const auto built = import(big_db_, jsonl);
    const std::string size = count(static_cast<double>(plan_.big_cases)) + " cases";
    report_.add({"4–6. building that database with `import`", size,
                 fmt::format("{} cases/s, {:.1f} s", count(rate(built, "cases")), built["seconds"].get<double>()), "", "",
                 rss(built), "", "", "", std::nullopt});

    progress("4. tick");
    const auto ticked = isolated([&] { return tick(paths_, big_db_, k_tick_at, plan_.process_runs); });
    const double tick_us = ticked["seconds"].get<double>() * 1e6;
    report_.add({"4. `tick`: timers due fired", fmt::format("{} due of {} pending", ticked["fired"].get<std::int64_t>(), size),
                 fmt::format("{} ({} a timer)", duration_us(tick_us),
                             duration_us(tick_us / std::max(ticked["fired"].get<double>(), 1.0))),
                 "", "", rss(ticked), "", "", "≤ 5 ms", tick_us <= 5000});
    report_.add({"   `tick` with nothing due", fmt::format("0 due of {} pending", size), "",
                 us(ticked["empty_latency"], "p50"), us(ticked["empty_latency"], "p99"), "", "", "", "", std::nullopt});

    progress("5. list --overdue, show");
    // The database is a production (real-clock) one, as DESIGN.md asks of benchmarks: the
    // commands run by the clock, after every time in the generated history.
    const auto listed = cli_runs(paths_, big_db_, {"list", "--overdue", "--limit", "50"}, plan_.process_runs);
    report_.add({"5. `caseflow list --overdue --limit 50` (whole process)", size, "", us(listed["latency"], "p50"),
                 us(listed["latency"], "p99"), "", "", "", "≤ 50 ms (p99)",
                 listed["latency"]["p99"].get<double>() <= 50'000});
    const auto shown = cli_runs(paths_, big_db_, {"show", fmt::format("H{:07}", plan_.big_cases / 2)},
                                plan_.process_runs);
    report_.add({"   `caseflow show CASE` (whole process)", size, "", us(shown["latency"], "p50"), us(shown["latency"], "p99"),
                 "", "", "", "", std::nullopt});

    progress("6. caseflow do");
    const auto done = cli_do(paths_, big_db_, plan_.due_timers + 1, plan_.process_runs);
    report_.add({"6. `caseflow do CASE submit` (whole process)", size, "", us(done["latency"], "p50"),
                 us(done["latency"], "p99"), "", "", "", "≤ 15 ms (p99)", done["latency"]["p99"].get<double>() <= 15'000});
  }

  void growth() {
    std::vector<double> per_transition;
    for (std::size_t i = 0; i < plan_.growth.size(); ++i) {
      const std::int64_t stored = plan_.growth[i];
      progress(fmt::format("7. growth: {} transitions with {} cases stored", plan_.growth_cases * 6, stored));
      std::string db = big_db_;
      if (stored != plan_.big_cases || big_db_.empty()) {
        db = file(fmt::format("growth{}.db", stored));
        const std::string jsonl = file(fmt::format("growth{}.jsonl", stored));
        write_case_lines(jsonl, {1, stored, false, k_epoch, 1});
        import(db, jsonl);
      }
      const instant from{k_later.seconds + 86400};
      const auto engine = isolated([&] { return durable_transitions(paths_, db, plan_.growth_cases, from); });
      per_transition.push_back(engine["latency"]["mean"].get<double>());
      const double ratio = per_transition.back() / per_transition.front();
      const bool last = i + 1 == plan_.growth.size();
      report_.add({i == 0 ? "7. growth: durable transition, mean" : "", fmt::format("{} cases stored", count(static_cast<double>(stored))),
                   duration_us(per_transition.back()), us(engine["latency"], "p50"), us(engine["latency"], "p99"), "", "",
                   i == 0 ? "" : fmt::format("{:.2f}× the first", ratio),
                   last ? fmt::format("≤ 1.3× at {}", count(static_cast<double>(stored))) : "",
                   last ? std::optional<bool>(ratio <= 1.3) : std::nullopt});
    }
  }

  // Scenario 8: every command loads its procedures, so a procedure of many steps must cost time
  // linear in its size (it was quadratic: 10 s a command at 20,000 steps).
  void long_procedure() {
    std::vector<double> per_step;
    const int runs = std::min(plan_.process_runs, 10);
    for (std::size_t i = 0; i < plan_.long_steps.size(); ++i) {
      const int steps = plan_.long_steps[i];
      progress(fmt::format("8. a procedure of {} steps", steps));
      bench_paths paths = paths_;
      paths.procedures = file(fmt::format("long{}", steps));
      write_long_procedure(opts_.source, paths.procedures, steps);
      const std::string yaml = (fs::path(paths.procedures) / "long.yaml").string();
      const auto loaded = isolated([&] { return load_procedure(yaml, runs); });
      // The first command deploys the folder; by the clock, so the database is a production one.
      const std::string db = file(fmt::format("long{}.db", steps));
      if (run_program({paths.caseflow, "--db", db, "--procedures", paths.procedures, "--as", "clerk.a", "start", "long",
                       "--id", "LONG-1"}) != 0)
        throw std::runtime_error(fmt::format("`caseflow start long` failed on the procedure of {} steps", steps));
      const auto shown = cli_runs(paths, db, {"show", "LONG-1"}, runs);
      const double mean = loaded["latency"]["mean"].get<double>();
      per_step.push_back(mean / steps);
      const double ratio = per_step.back() / per_step.front();
      const bool last = i + 1 == plan_.long_steps.size();
      const std::string size = fmt::format("{} steps, {} KB", count(steps), fs::file_size(yaml) / 1024);
      report_.add({i == 0 ? "8. a long procedure: `load_procedure_file`, mean" : "", size, duration_us(mean),
                   us(loaded["latency"], "p50"), us(loaded["latency"], "p99"), rss(loaded), "",
                   i == 0 ? "" : fmt::format("{:.2f}× the first, a step", ratio),
                   last ? fmt::format("≤ 1.3× a step at {}", count(steps)) : "",
                   last ? std::optional<bool>(ratio <= 1.3) : std::nullopt});
      report_.add({"   `caseflow show CASE` on it (whole process)", size, "", us(shown["latency"], "p50"),
                   us(shown["latency"], "p99"), "", "", "", "", std::nullopt});
    }
  }

  const options& opts_;
  const plan& plan_;
  bench_paths paths_;
  report report_;
  std::int64_t row_bytes_ = 0;
  std::string big_db_;
};

int usage(const std::string& problem) {
  std::cerr << "caseflow_bench: " << problem
            << "\nusage: caseflow_bench [--smoke | --quick] [--only SCENARIO] [--caseflow PATH] [--source DIR] [--work DIR] "
               "[--keep]\n";
  return 2;
}

}  // namespace
}  // namespace caseflow::bench

int main(int argc, char** argv) {
  using namespace caseflow::bench;
  options opts;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : ""; };
    if (a == "--smoke") opts.size = k_smoke;
    else if (a == "--quick") opts.size = k_quick;
    else if (a == "--full") opts.size = k_full;
    else if (a == "--keep") opts.keep = true;
    else if (a == "--caseflow") opts.caseflow = value();
    else if (a == "--source") opts.source = value();
    else if (a == "--work") opts.work = value();
    else if (a == "--only") opts.only = value();
    else return usage("unknown option '" + a + "'");
  }
  const bool own_work = opts.work.empty();
  if (own_work) opts.work = (fs::temp_directory_path() / fmt::format("caseflow_bench_{}", ::getpid())).string();
  fs::create_directories(opts.work);
  int code = 0;
  try {
    const stopwatch total;
    bench_run run(opts);
    run.run();
    std::cout << fmt::format("caseflow benchmarks, {} run ({:.0f} s; {} cores)\n\n", opts.size.name, total.seconds(),
                             ::sysconf(_SC_NPROCESSORS_ONLN))
              << run.results().markdown();
  } catch (const std::exception& e) {
    std::cerr << "caseflow_bench: " << e.what() << '\n';
    code = 1;
  }
  if (own_work && !opts.keep) fs::remove_all(opts.work);
  return code;
}
