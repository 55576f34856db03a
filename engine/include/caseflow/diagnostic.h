// caseflow/diagnostic.h — problems found in input files, reported as `file:line:col: message`.
//
// Loaders collect every problem they find instead of stopping at the first, so a process
// owner fixes a file in one pass. Lines and columns are 1-based. Intentionally copyable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caseflow {

enum class diagnostic_level { error, warning };

struct diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem is about the whole file
  int column = 0;  // 1-based; 0 when unknown
  std::string message;
  diagnostic_level level = diagnostic_level::error;
};

// "processes/complaint.yaml:12:7: unknown key 'rol'; did you mean 'role'?"
// Warnings read "file:line:col: warning: message".
std::string to_string(const diagnostic& d);

using diagnostics = std::vector<diagnostic>;

bool has_errors(const diagnostics& list);

// The candidate closest to `word` by edit distance, or "" when none is close enough to be a
// plausible typo (distance at most a third of the word's length, and at least 1 allowed).
std::string closest_name(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'role'?" when closest_name finds one, otherwise "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace caseflow
