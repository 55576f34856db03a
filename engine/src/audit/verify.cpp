// Per-case verification. See caseflow/verify.h.
#include "caseflow/verify.h"

#include <map>

#include <fmt/format.h>

#include "caseflow/approvals.h"
#include "caseflow/attachments.h"
#include "caseflow/conformance.h"
#include "caseflow/replay.h"
#include "audit/personal_values.h"
#include "audit/stored_tables.h"

namespace caseflow {

std::vector<finding> verify_cases(runtime& rt) {
  std::vector<finding> findings;
  auto add_all = [&](std::vector<finding> more) {
    for (auto& f : more) findings.push_back(std::move(f));
  };
  case_store& cases = rt.storage();
  event_log& log = rt.storage();
  timer_queue& timers = rt.storage();
  personal_data& personal = rt.storage();
  std::map<std::string, std::vector<outbox_entry>> outbox_by_case;
  for (auto& row : static_cast<outbox_store&>(rt.storage()).outbox_entries(outbox_query{}))
    outbox_by_case[row.case_id].push_back(std::move(row));
  const organisation_lookup org_at = [&rt](std::string_view version) { return rt.organisation_version(version); };
  cases.scan_cases([&](const case_record& record) {
    std::shared_ptr<const procedure> p;
    try {
      p = rt.definition(record.definition_hash);
    } catch (const store_error& e) {
      findings.push_back({record.id, 0, "definition", e.what()});
      return true;
    }
    const std::vector<event> events = log.case_events(record.id);
    add_all(check_conformance(*p, org_at, rt.calendar_for(*p), events));
    add_all(check_approvals(*p, events));
    auto rows = outbox_by_case.find(record.id);
    add_all(detail::check_stored_tables(record, replay_case(*p, events), events, timers.case_timers(record.id),
                                        rows == outbox_by_case.end() ? std::vector<outbox_entry>{} : rows->second));
    add_all(detail::check_personal_values(record.id, log.stored_case_events(record.id),
                                          personal.case_personal_values(record.id)));
    return true;
  });
  add_all(check_attachments(rt.storage(), log));
  return findings;
}

}  // namespace caseflow
