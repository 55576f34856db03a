// One definition of met and breached (DESIGN.md "Met and breached"), as the reports fold a
// limit's events: met on time, met after extension, breached.
#include <doctest/doctest.h>

#include "engine/test_support.h"
#include "reports/fold.h"

namespace caseflow {
namespace {

// A limit `s.answer` due 10:00, perhaps extended to 12:00, and the step left at `left`.
detail::limit_run run_of(bool extended, const char* left) {
  static const procedure p = test::load_or_fail(R"(procedure: tiny
roles: { clerk: 文员 }
fields: { name: { type: text } }
start: s
steps:
  s:
    role: clerk
    limits: [{ rule: answer, within: 2h }]
    actions: { done: closed }
  closed: { terminal: true }
)", "tiny.yaml");
  auto at = [](const char* t) { return parse_instant(t).value(); };
  auto make = [&](std::string_view kind, const char* when, nlohmann::json data) {
    event e;
    e.case_id = "T-1";
    e.kind = kind;
    e.at = at(when);
    e.data = std::move(data);
    return e;
  };
  std::vector<event> events{make(event_kind::deadline_set, "2026-03-03T08:00:00Z",
                                 {{"rule", "s.answer"}, {"kind", "limit"}, {"due", "2026-03-03T10:00:00Z"}})};
  if (extended)
    events.push_back(make(event_kind::deadline_changed, "2026-03-03T09:00:00Z",
                          {{"rule", "s.answer"}, {"kind", "limit"}, {"due", "2026-03-03T12:00:00Z"},
                           {"old_due", "2026-03-03T10:00:00Z"}, {"reason", "extension"}}));
  events.push_back(make(event_kind::deadline_cleared, left, {{"rule", "s.answer"}}));
  const detail::case_history h = detail::fold_history(p, events, {}, "");
  REQUIRE(h.limits.size() == 1);
  return h.limits.front();
}

TEST_CASE("reports: a limit is met on time, met after extension, or breached") {
  const instant later = parse_instant("2026-03-04T00:00:00Z").value();
  const auto on_time = run_of(false, "2026-03-03T10:00:00Z");  // left exactly at the due time: met
  CHECK_FALSE(on_time.breached(later));
  CHECK_FALSE(on_time.met_after_extension(later));
  const auto late = run_of(false, "2026-03-03T10:00:01Z");
  CHECK(late.breached(later));
  const auto extended = run_of(true, "2026-03-03T11:30:00Z");  // after 10:00, before the extended 12:00
  CHECK_FALSE(extended.breached(later));
  CHECK(extended.met_after_extension(later));
  const auto past_extension = run_of(true, "2026-03-03T12:00:01Z");
  CHECK(past_extension.breached(later));
  CHECK_FALSE(past_extension.met_after_extension(later));
}

}  // namespace
}  // namespace caseflow
