#include "scenarios.h"

#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "caseflow/chain.h"
#include "caseflow/importer.h"
#include "caseflow/loader.h"
#include "caseflow/runtime.h"
#include "caseflow/sqlite_store.h"
#include "measure.h"
#include "workload.h"

namespace caseflow::bench {

namespace {

// A runtime over a database file with the bench procedures. Non-copyable.
struct engine {
  engine(const bench_paths& paths, const std::string& db)
      : definitions(paths.procedures), store(db), rt(store, definitions.library, definitions.org, &definitions.calendars) {}
  world definitions;
  sqlite_store store;
  runtime rt;
};

void require_done(const outcome& result) {
  if (result.result != outcome::status::done)
    throw std::runtime_error(fmt::format("a bench command failed on {}: {}", result.case_id, result.message));
}

}  // namespace

nlohmann::json import_file(const bench_paths& paths, const std::string& db, const std::string& jsonl,
                           std::size_t batch_size) {
  engine e(paths, db);
  import_options options;
  options.batch_size = batch_size;
  const stopwatch watch;
  const import_report report = import_cases(e.rt, jsonl, options);
  const double seconds = watch.seconds();
  if (report.result != import_report::status::done)
    throw std::runtime_error("the import failed: " +
                             (report.problems.empty() ? std::string("?") : to_string(report.problems.front())));
  return {{"cases", report.cases}, {"events", report.events}, {"batches", report.batches}, {"seconds", seconds}};
}

nlohmann::json durable_transitions(const bench_paths& paths, const std::string& db, std::int64_t cases, instant from) {
  engine e(paths, db);
  latencies latency;
  std::vector<std::string> ids;
  std::int64_t events = 0;
  instant now = from;
  const stopwatch total;
  for (std::int64_t i = 0; i < cases; ++i, ++now.seconds) {
    const stopwatch one;
    const outcome result = e.rt.start("bench6", opening(i), now);
    latency.add(one.micros());
    require_done(result);
    ids.push_back(result.case_id);
    events += static_cast<std::int64_t>(result.events.size());
  }
  for (const command& cmd : path())
    for (const auto& id : ids) {
      const stopwatch one;
      const outcome result = e.rt.execute(id, cmd, now);
      latency.add(one.micros());
      require_done(result);
      events += static_cast<std::int64_t>(result.events.size());
      ++now.seconds;
    }
  return {{"transitions", latency.size()}, {"events", events}, {"seconds", total.seconds()}, {"latency", latency.summary()}};
}

nlohmann::json replay_verify(const std::string& db) {
  sqlite_options options;
  options.read_only = true;
  sqlite_store store(db, options);
  const stopwatch watch;
  const verification v = verify_chain(store, store);
  return {{"events", v.events}, {"cases", v.cases}, {"ok", v.ok()}, {"seconds", watch.seconds()}};
}

nlohmann::json tick(const bench_paths& paths, const std::string& db, instant now, int empty_ticks) {
  engine e(paths, db);
  const stopwatch watch;
  const auto fired = e.rt.tick(now);
  const double seconds = watch.seconds();
  latencies empty;
  for (int i = 0; i < empty_ticks; ++i) {
    const stopwatch one;
    const auto again = e.rt.tick(now);
    empty.add(one.micros());
    if (again.fired != 0) throw std::runtime_error("a second tick fired timers again");
  }
  return {{"fired", fired.fired}, {"skipped", fired.skipped}, {"seconds", seconds}, {"empty_latency", empty.summary()}};
}

nlohmann::json cli_runs(const bench_paths& paths, const std::string& db, const std::vector<std::string>& args,
                        int runs) {
  std::vector<std::string> argv{paths.caseflow, "--db", db, "--procedures", paths.procedures};
  argv.insert(argv.end(), args.begin(), args.end());
  latencies latency;
  for (int i = 0; i < runs; ++i) {
    const stopwatch one;
    const int code = run_program(argv);
    latency.add(one.micros());
    if (code != 0) throw std::runtime_error(fmt::format("`caseflow {}` exited with {}", fmt::join(args, " "), code));
  }
  return {{"latency", latency.summary()}};
}

nlohmann::json cli_do(const bench_paths& paths, const std::string& db, std::int64_t first, int runs) {
  latencies latency;
  for (int i = 0; i < runs; ++i) {
    const std::vector<std::string> argv{paths.caseflow, "--db", db, "--procedures", paths.procedures, "--as", "clerk.a",
                                        "do", fmt::format("H{:07}", first + i),
                                        "submit", "--set", "note=补充材料"};
    const stopwatch one;
    const int code = run_program(argv);
    latency.add(one.micros());
    if (code != 0) throw std::runtime_error(fmt::format("`caseflow do H{:07} submit` exited with {}", first + i, code));
  }
  return {{"latency", latency.summary()}};
}

nlohmann::json load_procedure(const std::string& file, int runs) {
  latencies latency;
  std::size_t steps = 0;
  const stopwatch all;
  for (int i = 0; i < runs; ++i) {
    diagnostics problems;
    const stopwatch one;
    const std::optional<procedure> loaded = load_procedure_file(file, &problems);
    latency.add(one.micros());
    if (!loaded) throw std::runtime_error("cannot load " + file + ": " + (problems.empty() ? "" : to_string(problems.front())));
    steps = loaded->steps.size();
  }
  return {{"steps", steps}, {"seconds", all.seconds()}, {"latency", latency.summary()}};
}

}  // namespace caseflow::bench
