// caseflow/importer.h — bulk import of historical cases from JSON Lines.
//
// One line per case (blank lines are skipped):
//   {"procedure": "complaint", "id": "TS-2025-00001", "opened_at": "2025-03-01T09:00:00+08:00",
//    "actor": "zhang.wei", "fields": {"customer": "陈先生", "channel": "email", "summary": "渗水"},
//    "comment": "…",
//    "actions": [
//      {"action": "forward", "actor": "zhang.wei", "at": "2025-03-01T09:10:00+08:00",
//       "set": {"category": "engineering_quality", "department": "engineering"}, "comment": "…"},
//      {"assign": "li.na", "actor": "zhang.wei", "at": "…"},
//      {"note": "电话告知客户处理进度", "actor": "zhang.wei", "at": "…"}]}
// `id` is optional (the procedure's case_id pattern then allocates one from the opening day);
// `fields`, `comment` and `actions` are optional. Field values are JSON strings, numbers or
// booleans, read as `--set` text would be. Times are ISO-8601 with a zone and must not go
// backwards within a case.
//
// Every case is decided through the same core as live commands (decide/apply with the
// procedure library, the organisation and the calendar's local day), so imported history
// obeys the same roles, guards, required fields and comment rules.
//
// Checked whole, written in batches, resumed by a rerun. The whole file is read and decided
// first (pass 1); if any line is bad — malformed JSON, unknown key, procedure, person or action,
// a refused step, an id that is repeated in the file, or an id already in the database that was
// not imported from this same line — nothing is written and every problem (up to
// `max_problems`) is reported as `file:line:col: message`. Only then is the file read again
// (pass 2) and committed with case_store::commit_batch, `batch_size` cases per transaction, so
// memory stays bounded by one batch whatever the file's size. If another writer takes one of
// the ids between the two passes, or the file changes meanwhile, the import stops there: the
// batches before it stay written and the report says how many cases they held.
//
// Resuming: the opening event (case_started) of every imported case records in its data
// `import_digest`, the SHA-256 hex of its line's canonical JSON (parsed, then written compactly
// with sorted keys: spacing and key order do not count), next to `imported_by`. At its start an
// import reads the digests of the cases already imported, in one scan of the log (O(events));
// a line whose digest is among them — with the same id, when the line gives one — is skipped,
// neither decided again nor written, and counted in `already_imported`, so rerunning a file
// after a kill writes only what the killed run did not. Each imported case is skipped once: a
// file listing the same id-less line twice, imported once before, imports it once more. A line
// whose id is in the database with other content (or from a live command) is refused as above.
//
// Not thread-safe: uses the runtime's store (one thread at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "caseflow/diagnostic.h"
#include "caseflow/runtime.h"

namespace caseflow {

struct import_options {
  std::size_t batch_size = 500;   // cases per transaction; REQUIRES: > 0
  std::size_t max_problems = 50;  // pass 1 stops collecting after this many
};

struct import_report {
  enum class status {
    done,      // every case written
    invalid,   // bad input, `problems` says where: nothing written (unless the file changed
               // during pass 2; then `cases` were written before the changed line)
    conflict,  // lost a race with another writer in pass 2; `cases` were written before it
  };
  status result = status::done;
  std::int64_t cases = 0;    // cases written
  std::int64_t events = 0;   // events written
  std::int64_t batches = 0;  // transactions committed
  std::int64_t already_imported = 0;  // lines skipped: their case was imported before (pass 2)
  diagnostics problems;
};

// Imports the JSONL file at `path` through `rt` (its store, procedures, organisation and
// calendars). A file that cannot be read is reported as a problem at line 0.
import_report import_cases(runtime& rt, const std::string& path, const import_options& options = {});

}  // namespace caseflow
