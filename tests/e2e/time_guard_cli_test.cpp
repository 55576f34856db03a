// End-to-end: guards that use the command's time (`today`, `now`) with dates, datetimes and
// durations, through the real binary, and `verify` re-deciding them at each event's own time.
// Expected values are worked out by hand from the official 2026 calendar (cn-mainland:
// Asia/Shanghai, working days close at 18:00; Sat 2026-02-14 is a make-up working day).
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

// A warranty claim: a repair is free while the 5-year warranty from handover runs, and a claim
// may be escalated once a working day has passed since it was received.
constexpr const char* k_warranty_claim = R"(procedure: warranty_claim
calendar: cn-mainland
case_id: "WC-{yyyy}-{seq:03}"
roles: { cs_specialist: 客服专员 }
fields:
  customer: { type: text, required: true }
  handover_date: { type: date, required: true }
  received_at: { type: datetime, required: true }
start: received
steps:
  received:
    role: cs_specialist
    actions:
      repair_in_warranty: { to: closed, when: 'handover_date + 5 years >= today' }
      escalate_late: { to: closed, when: 'received_at + 1 working day <= now' }
  closed: { terminal: true }
)";

class warranty_session {
 public:
  warranty_session() { make_procedures_folder(dir_.path() / "processes", {{"warranty_claim.yaml", k_warranty_claim}}); }

  run_result as(const std::string& now, std::vector<std::string> args) const {
    std::vector<std::string> all{"--procedures", dir_.file("processes"), "--db", dir_.db(), "--as", "zhang.wei",
                                 "--now", now};
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir_);
  }
  std::string must(const std::string& now, std::vector<std::string> args) const {
    const run_result r = as(now, std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  std::string open(const std::string& now, const std::string& handover, const std::string& received) const {
    const std::string out = must(now, {"start", "warranty_claim", "--set", "customer=陈先生", "--set",
                                       "handover_date=" + handover, "--set", "received_at=" + received});
    REQUIRE(out.size() > 1);
    return out.substr(0, out.size() - 1);
  }
  void refused(const std::string& now, std::vector<std::string> args, const std::string& message) const {
    check_refused(dir_.db(), [&] { return as(now, args); }, message);
  }
  // The guard_holds of `action` in `show --json` at `now`.
  bool guard_holds(const std::string& id, const std::string& action, const std::string& now) const {
    const nlohmann::json shown = nlohmann::json::parse(must(now, {"--json", "show", id}));
    for (const auto& a : shown["actions"])
      if (a["name"] == action) return a["guard_holds"].get<bool>();
    FAIL("no action ", action, " in show");
    return false;
  }

 private:
  scratch_dir dir_;
};

TEST_CASE("time guards cli: the last day of a 5-year warranty in local time, and the day after") {
  warranty_session s;
  // Handed over 2021-03-01: the warranty's last day is 2026-03-01 (+ 5 years, the same day).
  const std::string last_day = s.open("2026-02-27T10:00+08:00", "2021-03-01", "2026-02-27T10:00+08:00");
  const std::string day_after = s.open("2026-02-27T10:05+08:00", "2021-03-01", "2026-02-27T10:05+08:00");
  CHECK(s.guard_holds(last_day, "repair_in_warranty", "2026-03-01T23:59+08:00"));
  s.must("2026-03-01T23:59+08:00", {"do", last_day, "repair_in_warranty"});
  // 00:00 on 03-02 in Shanghai is still 03-01 in UTC: `today` is the calendar's day.
  CHECK_FALSE(s.guard_holds(day_after, "repair_in_warranty", "2026-03-02T00:00+08:00"));
  s.refused("2026-03-02T00:00+08:00", {"do", day_after, "repair_in_warranty"},
            "caseflow: action 'repair_in_warranty' is not allowed now: its condition `handover_date + 5 years >= "
            "today` is false (handover_date = 2021-03-01, today = 2026-03-02)\n");
  // verify re-decides the repair at its own time (03-01), not at verify's (03-05).
  const run_result verified = s.as("2026-03-05T10:00+08:00", {"--json", "verify"});
  INFO("verify: ", verified.out, verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(nlohmann::json::parse(verified.out)["findings"] == nlohmann::json::array());
}

TEST_CASE("time guards cli: a claim received after Friday's close may be escalated at Saturday's close") {
  warranty_session s;
  // Received Fri 02-13 17:50: + 1 working day is the close of the first working day after
  // Friday, the make-up Saturday 02-14, at 18:00.
  const std::string id = s.open("2026-02-13T17:50+08:00", "2024-06-01", "2026-02-13T17:50+08:00");
  s.refused("2026-02-14T17:59+08:00", {"do", id, "escalate_late"},
            "caseflow: action 'escalate_late' is not allowed now: its condition `received_at + 1 working day <= now` "
            "is false (received_at = 2026-02-13T09:50:00Z, now = 2026-02-14T09:59:00Z)\n");
  s.must("2026-02-14T18:00+08:00", {"do", id, "escalate_late"});
  const run_result verified = s.as("2026-02-20T10:00+08:00", {"--json", "verify"});
  INFO("verify: ", verified.out, verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(nlohmann::json::parse(verified.out)["findings"] == nlohmann::json::array());
}

}  // namespace
}  // namespace caseflow::test
