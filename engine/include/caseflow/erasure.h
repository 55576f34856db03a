// caseflow/erasure.h — erasing personal values (the right to deletion) without breaking the log.
//
// Events hold a keyed digest of each `personal: true` value; the value and the digest's key live
// apart (the store's personal_data, caseflow/store.h). Erasing a field of a case deletes every
// value that field held in that case together with its key (so nothing left confirms a guess of
// it), rewrites the case projection without it, and appends a `personal_data_erased` event
// ({erased: [fields]}: who and when, never the value) in one transaction. The hash chain is
// untouched, so `verify` and `replay` still pass; readers show k_erased_marker instead.
// Only a person holding k_erasure_role in the organisation may erase.
//
// The value follows the case into its sub-cases (start_case, runtime.h): every personal field of
// a sub-case (and of its sub-cases) whose value contains an erased value is erased with it, in the
// same transaction. `person_value` is compared as erasure/person_match.h says (NFKC, trimmed);
// values that only look close are reported as near matches and left alone.
//
// Example:
//   erasure_request r{.actor = "yang.guang", .case_id = "TS-2026-00001", .field = "phone"};
//   const erasure_result done = erase_personal_data(rt, r, now);
//   if (!done.ok) std::cerr << done.message;
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/runtime.h"

namespace caseflow {

inline constexpr std::string_view k_erasure_role = "admin";
inline constexpr std::string_view k_erased_marker = "[erased]";

// Either one field of one case (case_id + field), or every personal field of every case that
// holds `person_value` (case_id and field empty).
struct erasure_request {
  std::string actor;
  std::string case_id;
  std::string field;
  std::string person_value;
};

struct erasure_result {
  bool ok = false;
  std::string message;  // why, when refused
  // What was erased: case id -> fields, in case order (sub-cases the value followed included).
  std::vector<std::pair<std::string, std::vector<std::string>>> erased;
  // With person_value: (case id, field) of values near it but not the same, not erased; ordered.
  std::vector<std::pair<std::string, std::string>> near_matches;
  // The database stayed busy or a case changed meanwhile (nothing written; safe to retry).
  bool conflict = false;
  // Erased, but a reader of an older snapshot keeps old copies of the values alive (see
  // personal_data::purge_erased): they are purged when the database is next opened for writing.
  bool purge_pending = false;
};

// Erases as described above; refuses (writing nothing) an actor without k_erasure_role, an
// unknown case, a field that is not personal, or nothing to erase (naming the near matches).
erasure_result erase_personal_data(runtime& rt, const erasure_request& request, instant now);

// The fields a case's events say were erased.
std::set<std::string> erased_fields(const std::vector<event>& events);

// For display: each value of `fields` (a JSON object) named in `erased` that is null becomes
// k_erased_marker; with `add_missing`, erased names absent from `fields` are added as well.
void mark_erased(nlohmann::json& fields, const std::set<std::string>& erased, bool add_missing = false);
// mark_erased on the fields of each of a case's events (as event_log::case_events returns them).
void mark_erased(std::vector<event>& events);

}  // namespace caseflow
