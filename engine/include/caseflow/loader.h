// caseflow/loader.h — loading procedures from YAML, checking them whole.
//
// Every problem in a file is reported at once, as diagnostics with 1-based line:col:
// malformed YAML, unknown keys (with a did-you-mean), wrong types, undefined steps, roles
// and fields, unreachable steps, non-terminal steps with no way out, guards that do not
// parse or type-check. A procedure is returned only when it has no errors.
// Free functions; thread-safe (no shared state).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/diagnostic.h"
#include "caseflow/procedure.h"

namespace caseflow {

// Loads one procedure from `text`; `file` names it in diagnostics. Problems go to *out.
std::optional<procedure> load_procedure_text(const std::string& text, const std::string& file, diagnostics* out);
// Reads and loads a file (a missing or unreadable file is a diagnostic, not an exception).
std::optional<procedure> load_procedure_file(const std::string& path, diagnostics* out);

// The procedures in a folder: every `*.yaml` directly in it (not calendars/ nor org.yaml).
// Intentionally copyable (procedures are shared, immutable).
class procedure_library {
 public:
  const procedure* find(std::string_view id) const;
  std::vector<const procedure*> all() const;  // sorted by id
  void add(procedure p);

 private:
  std::map<std::string, std::shared_ptr<const procedure>, std::less<>> by_id_;
};

// Loads every procedure file in `dir`; duplicate procedure ids are errors.
procedure_library load_procedure_library(const std::string& dir, diagnostics* out);

// The `*.yaml` procedure files directly in `dir`, sorted.
std::vector<std::string> procedure_files(const std::string& dir);

// Reads a whole file; nullopt if it cannot be read.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace caseflow
