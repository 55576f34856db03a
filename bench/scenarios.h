// scenarios.h — each benchmark scenario, run in the calling process against real files.
// Every function returns a JSON document of its measurements (times in seconds, latencies
// in microseconds); main.cpp runs each in its own child process (measure.h isolated()) so
// that the peak memory it reports is the scenario's own. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "caseflow/value.h"

namespace caseflow::bench {

// Where a scenario finds the procedures (see workload.h assemble_procedures).
struct bench_paths {
  std::string procedures;
  std::string caseflow;  // the CLI binary
};

// Imports the JSONL file into the database through caseflow::import_cases.
// {cases, events, batches, seconds}
nlohmann::json import_file(const bench_paths& paths, const std::string& db, const std::string& jsonl,
                           std::size_t batch_size);

// Opens `cases` cases of bench6 and walks each to `closed` with the runtime, one command
// (one transaction) at a time, in rounds: every case opened, then every case submitted, ….
// Commands are timed at `from`, one second apart. {transitions, events, seconds, latency}
nlohmann::json durable_transitions(const bench_paths& paths, const std::string& db, std::int64_t cases, instant from);

// verify_chain over the whole database. {events, cases, ok, seconds}
nlohmann::json replay_verify(const std::string& db);

// One runtime::tick at `now` (firing what is due), then `empty_ticks` more that find nothing
// due. {fired, seconds, empty_latency}
nlohmann::json tick(const bench_paths& paths, const std::string& db, instant now, int empty_ticks);

// Runs the CLI `runs` times with `args` (after --db and --procedures); each run must exit 0.
// {latency}
nlohmann::json cli_runs(const bench_paths& paths, const std::string& db, const std::vector<std::string>& args,
                        int runs);

// `caseflow do H… submit` on `runs` different imported cases, numbered from `first`, by the clock.
nlohmann::json cli_do(const bench_paths& paths, const std::string& db, std::int64_t first, int runs);

// Loads one procedure file `runs` times with load_procedure_file, as every command does.
// {steps, seconds (all runs), latency}
nlohmann::json load_procedure(const std::string& file, int runs);

}  // namespace caseflow::bench
