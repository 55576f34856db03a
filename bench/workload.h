// workload.h — the benchmark's world: the bench6 procedure (bench/procedures), its people,
// the commands that walk a case through its six steps, and databases of imported cases.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caseflow/calendar.h"
#include "caseflow/core.h"
#include "caseflow/loader.h"
#include "caseflow/org.h"

namespace caseflow::bench {

// A procedures folder as the CLI expects it: bench/procedures/*.yaml plus the shipped
// calendars (processes/calendars), copied into `dir`.
void assemble_procedures(const std::string& source_dir, const std::string& dir);

// A procedures folder holding the benchmark's organisation, the calendars and one procedure
// `long` of `steps` steps in a line (s0 … s{steps-1}, then the terminal `end`), each with a
// name, the clerk's role, a 2-working-day limit and one action `next`: about 160 bytes and 22
// YAML nodes a step, as a generated procedure of a large organisation would be.
void write_long_procedure(const std::string& source_dir, const std::string& dir, int steps);

// The procedures, organisation and calendars of a procedures folder, loaded as the CLI does.
// Throws std::runtime_error on any load error. Non-copyable (a runtime keeps references).
struct world {
  explicit world(const std::string& procedures_dir);
  world(const world&) = delete;
  world& operator=(const world&) = delete;
  procedure_library library;
  organisation org;
  calendar_set calendars;
};

// The command that opens case number `i`, and the five that take it to `closed`.
command opening(std::int64_t i);
std::vector<command> path();
inline constexpr int k_commands_per_case = 6;

// When the benchmark's history starts: Monday 2025-06-02 09:00 in Shanghai.
inline constexpr instant k_epoch{1748826000};

// What a JSONL file of imported cases holds.
struct case_lines {
  std::int64_t first = 0;      // cases are numbered first, first+1, …; ids "H0000001"…
  std::int64_t count = 0;
  bool full_path = false;      // every case walked to `closed`; else just opened
  instant opened_from = k_epoch;  // case k opens `spacing` seconds after case k-1
  std::int64_t spacing = 1;
};
// Writes (appends to) a JSON Lines file for caseflow::import_cases.
void write_case_lines(const std::string& path, const case_lines& lines);

}  // namespace caseflow::bench
