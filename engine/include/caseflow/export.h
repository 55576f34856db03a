// caseflow/export.h — the event log in a stable format for external audit tools.
//
// Format version 2 (version 1 ended at `hash`; columns are only ever added at the end). Every
// event is one record with these columns, in this order:
//   id               position in the whole log (1-based)
//   case_id          the case
//   seq              position in the case's log (1-based)
//   at               UTC time, ISO-8601 ("2026-02-13T09:50:00Z")
//   actor            person id, or `system`
//   role             the role acted in ("" for notes and `system`)
//   on_behalf_of     the principal when a deputy acted, else ""
//   kind             event kind (case_started, action_taken, timer_fired, …)
//   action           the action taken (action_taken), else ""
//   from_step        step before the event ("" for case_started)
//   to_step          step after the event
//   data             what changed, as JSON text (personal values as {"personal": digest})
//   comment          operator comment or note
//   definition_hash  SHA-256 of the definition text the event was decided under
//   prev_hash        hash of the event before it in the whole log ("" for the first)
//   hash             SHA-256 over prev_hash and the canonical event (chain.h)
//   format           the chain format the hash is computed in (1 or 2; event.h k_chain_format)
//   branch           the position acted on: "" for the main path, else a branch id
//   org_version      the organisation version the event was decided under ("" in format 1)
// JSON Lines: one object per line with exactly these keys (data as a JSON object, id, seq and
// format as numbers). CSV: RFC 4180 — a header line with the column names, CRLF line ends,
// fields with a comma, quote, CR or LF quoted with "" doubling inner quotes. Pure.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "caseflow/event.h"

namespace caseflow {

inline constexpr std::array<std::string_view, 19> k_export_columns = {
    "id",   "case_id",   "seq",     "at",   "actor",           "role",      "on_behalf_of", "kind",
    "action", "from_step", "to_step", "data", "comment",       "definition_hash", "prev_hash", "hash",
    "format", "branch", "org_version"};

// One JSON Lines record, ending in "\n".
std::string export_json_line(const event& e);
// The CSV header line, ending in "\r\n".
std::string export_csv_header();
// One CSV record, ending in "\r\n".
std::string export_csv_row(const event& e);
// `text` as an RFC 4180 field: quoted only when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view text);

}  // namespace caseflow
