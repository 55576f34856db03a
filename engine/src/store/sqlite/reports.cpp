// The SQLite store's queries for reports. See caseflow/store.h scan_active_cases.
#include <SQLiteCpp/SQLiteCpp.h>

#include "caseflow/sqlite_store.h"
#include "store/sqlite/schema.h"

namespace caseflow {

void sqlite_store::scan_active_cases(const activity_window& window,
                                     const std::function<bool(const case_record&)>& visit) {
  // Times are stored as UTC ISO-8601 of one fixed width, so text order is time order. Open
  // cases come from the cases_open index; closed ones need a look at updated_at.
  std::string sql =
      "SELECT id, procedure, definition_hash, step, assignee, open, seq, state FROM cases "
      "WHERE opened_at < :until AND (open = 1 OR updated_at >= :since)";
  if (!window.procedure.empty()) sql += " AND procedure = :procedure";
  sql += " ORDER BY id";
  SQLite::Statement q(detail::database_of(*this), sql);
  q.bind(":until", format_instant_utc(window.until));
  q.bind(":since", format_instant_utc(window.since));
  if (!window.procedure.empty()) q.bind(":procedure", window.procedure);
  while (q.executeStep())
    if (!visit(detail::read_case_row(q))) break;
}

}  // namespace caseflow
