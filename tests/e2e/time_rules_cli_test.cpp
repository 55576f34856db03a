// End-to-end: limits due at a field's time and extensions of running limits, through the real
// binary — the local time without an offset, `show`, `history`, `verify` re-deciding the
// extension, and the SLA report counting a limit met after extension. Times are worked out by
// hand (cn-mainland: Asia/Shanghai, +08:00).
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

constexpr const char* k_home_repair = R"(procedure: home_repair
calendar: cn-mainland
case_id: "HR-{yyyy}-{seq:03}"
roles: { cs_specialist: 客服专员 }
fields:
  customer: { type: text, required: true }
  agreed_time: { type: datetime }
  new_time: { type: datetime }
  consented_by: { type: text }
  consent_channel: { type: enum, values: [phone, sms, in_person] }
start: fixing
steps:
  fixing:
    role: cs_specialist
    limits:
      - { rule: agreed, within: 3 working days, at: agreed_time }
    actions:
      agree: { to: fixing, sets: [agreed_time] }
      reschedule: { to: fixing, extends: { limit: agreed, to: new_time, consent: [consented_by, consent_channel] } }
      done: closed
  closed: { terminal: true }
)";

TEST_CASE("time rules cli: an agreed time moves the limit; an extension with consent is shown, verified and "
          "counted as met after extension") {
  const cli_session s(std::vector<std::pair<std::string, std::string>>{{"home_repair.yaml", k_home_repair}});
  const std::string id = s.start("zhang.wei", "2026-03-03T10:00+08:00", "home_repair", {"customer=陈先生"});
  // 3 working days after Tue 03-03: the close of Fri 03-06.
  CHECK(deadline(s.deadlines(id, "2026-03-03T10:00+08:00"), "fixing.agreed")["due_utc"] == "2026-03-06T10:00:00Z");
  // The agreed time, written as local time without an offset, is earlier: Thu 03-05 14:00.
  s.act("zhang.wei", "2026-03-03T10:10+08:00", id, "agree", {"agreed_time=2026-03-05T14:00"});
  CHECK(deadline(s.deadlines(id, "2026-03-03T10:10+08:00"), "fixing.agreed")["due_utc"] == "2026-03-05T06:00:00Z");
  s.refused("zhang.wei", "2026-03-03T10:20+08:00",
            {"do", id, "reschedule", "--set", "new_time=2026-03-07T10:00", "--comment", "customer away"},
            "caseflow: action 'reschedule' needs consented_by, consent_channel: give --set consented_by=… --set "
            "consent_channel=…\n");
  s.act("zhang.wei", "2026-03-04T09:00+08:00", id, "reschedule",
        {"new_time=2026-03-07T10:00", "consented_by=陈先生", "consent_channel=phone"}, "客户出差 customer away");
  const nlohmann::json agreed = deadline(s.deadlines(id, "2026-03-04T09:00+08:00"), "fixing.agreed");
  CHECK(agreed["due_utc"] == "2026-03-07T02:00:00Z");
  CHECK(agreed["extended_from"] == "2026-03-05T14:00:00+08:00");
  const run_result shown = s.as("zhang.wei", "2026-03-04T09:00+08:00", {"show", id});
  CHECK(contains(shown.out, "2026-03-07T10:00:00+08:00 (extended from 2026-03-05T14:00:00+08:00)"));
  // The extension is an event of its own, by the person who extended, with the reason.
  nlohmann::json extension;
  for (const auto& e : s.history(id))
    if (e["kind"] == "deadline_changed" && e["data"].value("reason", "") == "extension") extension = e;
  REQUIRE(extension.is_object());
  CHECK(extension["actor"] == "zhang.wei");
  CHECK(extension["data"]["extension_reason"] == "客户出差 customer away");
  CHECK(extension["data"]["old_due"] == "2026-03-05T06:00:00Z");
  // Done on Fri 03-06, after the agreed 03-05 but before the extended 03-07: met after extension.
  s.act("zhang.wei", "2026-03-06T16:00+08:00", id, "done");
  const run_result verified = s.at("2026-03-10T10:00+08:00", {"verify"});
  INFO("verify: ", verified.out, verified.err);
  CHECK(verified.exit_code == 0);
  const nlohmann::json sla = s.json_at("2026-03-31T12:00+08:00", {"report", "sla", "--month", "2026-03"});
  CHECK(sla["tables"]["by_procedure"] == nlohmann::json::array({{{"procedure", "home_repair"},
                                                                  {"met", 0},
                                                                  {"met_after_extension", 1},
                                                                  {"breached", 0},
                                                                  {"compliance", 1.0}}}));
}

}  // namespace
}  // namespace caseflow::test
