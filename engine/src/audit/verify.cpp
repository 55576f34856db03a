// Per-case verification. See caseflow/verify.h.
#include "caseflow/verify.h"

#include <fmt/format.h>

#include "caseflow/approvals.h"
#include "caseflow/attachments.h"
#include "caseflow/conformance.h"

namespace caseflow {

std::vector<finding> verify_cases(runtime& rt) {
  std::vector<finding> findings;
  auto add_all = [&](std::vector<finding> more) {
    for (auto& f : more) findings.push_back(std::move(f));
  };
  case_store& cases = rt.storage();
  event_log& log = rt.storage();
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
    return true;
  });
  add_all(check_attachments(rt.storage(), log));
  return findings;
}

}  // namespace caseflow
