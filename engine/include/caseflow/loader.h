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
#include "caseflow/text_file.h"  // read_text_file, part of this header's interface

namespace caseflow {

class handler_registry;

// Loads one procedure from `text`; `file` names it in diagnostics. Problems go to *out.
// With `handlers`, every handler call in the procedure's hooks (on_enter, on_exit, an
// action's run, a limit's on_breach run, an escalation's run) must name a handler of the
// registry and pass its validate_in(); without, the calls are read but not checked (a
// definition stored in the database, which was checked when its first case was opened).
std::optional<procedure> load_procedure_text(const std::string& text, const std::string& file, diagnostics* out,
                                             const handler_registry* handlers = nullptr);
// Reads and loads a file (a missing or unreadable file is a diagnostic, not an exception).
std::optional<procedure> load_procedure_file(const std::string& path, diagnostics* out,
                                             const handler_registry* handlers = nullptr);

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

// The checks that need the other procedures of the library, reported against the calling file:
// a start_case call must open a procedure of the library, and a personal value it copies
// ("{case.X}" alone, X personal; quoted in a template it is masked) may only go into a personal
// field of the sub-case.
void check_library(const procedure_library& library, diagnostics* out);

// Loads every procedure file in `dir` and checks them together (check_library); duplicate
// procedure ids are errors.
procedure_library load_procedure_library(const std::string& dir, diagnostics* out,
                                         const handler_registry* handlers = nullptr);

// The `*.yaml` procedure files directly in `dir`, sorted.
std::vector<std::string> procedure_files(const std::string& dir);

}  // namespace caseflow
