// legal_case (processes/legal_case.yaml, PROCEDURES.md §5, 000) through the real binary: is it
// a legal case, the kind, self-handled or external lawyer, the opinions of the CS center and
// finance, the VP's decision, non-litigation turned litigation.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

class legal_session : public cli_session {
 public:
  std::string open() const {
    return start("zhou.min", "2026-03-09T10:00+08:00", "legal_case",
                 {"summary=业主起诉逾期交房", "counterparty=王建国"});
  }
  // Planned as `handling` with `kind`, both opinions given: waiting for the VP.
  std::string at_vp(const std::string& kind, const std::string& handling) const {
    const std::string id = open();
    act("zhou.min", "2026-03-09T11:00+08:00", id, "legal_case", {"kind=" + kind});
    act("zhou.min", "2026-03-11T16:00+08:00", id, "submit",
        {"handling=" + handling, "plan=应诉并协商调解", "evidence=规划调整批文", "claim=286000"});
    act("wang.fang", "2026-03-12T10:00+08:00", id, "opinion", {"cs_opinion=同意"});
    act("feng.tao", "2026-03-12T15:00+08:00", id, "opinion", {"finance_opinion=预提费用5万元"});
    return id;
  }
  std::string step_of(const std::string& id) const { return show(id, "2026-12-30T10:00+08:00")["step"]; }
};

TEST_CASE("legal_case: main path, self-handled, from assessment to the outcome") {
  legal_session s;
  const std::string id = s.at_vp("litigation", "self");
  CHECK(id == "FL-2026-0001");
  s.act("zhao.lei", "2026-03-13T09:30+08:00", id, "authorise_self", {"vp_opinion=同意自行应诉"});
  s.act("zhou.min", "2026-06-22T15:00+08:00", id, "concluded", {"outcome=调解结案"}, "调解书生效");
  CHECK(steps_taken(s.history(id)) ==
        strings{"planning", "cs_review", "finance_review", "vp_decision", "proceedings", "closed"});
  const nlohmann::json shown = s.show(id, "2026-06-22T15:01+08:00");
  CHECK(shown["open"] == false);
  CHECK(shown["fields"]["claim"] == "286000.00");
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("legal_case: an event that is not a legal case is closed with the reason") {
  legal_session s;
  const std::string id = s.open();
  s.refused("zhou.min", "2026-03-09T11:00+08:00", {"do", id, "not_legal"},  // needs the reason
            "caseflow: action 'not_legal' needs a comment: give --comment \"…\"\n");
  s.act("zhou.min", "2026-03-09T11:00+08:00", id, "not_legal", {}, "属一般投诉，转客户投诉处理");
  CHECK(s.step_of(id) == "not_a_legal_case");
  CHECK(s.show(id, "2026-03-09T11:01+08:00")["open"] == false);
}

TEST_CASE("legal_case: an external lawyer is engaged through a lawyer_engagement sub-case") {
  legal_session s;
  const std::string id = s.at_vp("litigation", "external_lawyer");
  s.refused("zhao.lei", "2026-03-13T09:30+08:00", {"do", id, "authorise_self", "--set", "vp_opinion=同意"},
            "caseflow: action 'authorise_self' is not allowed now: its condition `handling == \"self\"` is false "
            "(handling = \"external_lawyer\")\n");
  s.act("zhao.lei", "2026-03-13T09:30+08:00", id, "authorise_lawyer", {"vp_opinion=授权选聘律师"});
  CHECK(s.step_of(id) == "lawyer_engagement");
  // Entering the step opened the engagement as a sub-case; the two name each other.
  const nlohmann::json parent = s.show(id, "2026-03-13T09:31+08:00");
  REQUIRE(parent["subcases"].size() == 1);
  CHECK(parent["subcases"][0]["procedure"] == "lawyer_engagement");
  CHECK(parent["subcases"][0]["open"] == true);
  const std::string engagement = parent["subcases"][0]["id"].get<std::string>();
  const nlohmann::json child = s.show(engagement, "2026-03-13T09:31+08:00");
  CHECK(child["parent"] == id);
  CHECK(child["step"] == "selection");
  CHECK(child["fields"]["legal_case"] == id);
  CHECK(child["fields"]["matter"] == parent["fields"]["summary"]);
  s.refused("wang.fang", "2026-03-16T11:00+08:00", {"do", id, "engaged"},
            "caseflow: action 'engaged' needs a comment: give --comment \"…\"\n");
  s.act("wang.fang", "2026-03-16T11:00+08:00", id, "engaged", {}, "律师已聘定，见外聘律师案件");
  CHECK(s.step_of(id) == "proceedings");
  CHECK(s.cf({"verify"}).exit_code == 0);
}

TEST_CASE("legal_case: non-litigation turned litigation goes back for a new plan and authorisation") {
  legal_session s;
  const std::string id = s.at_vp("non_litigation", "self");
  s.act("zhao.lei", "2026-03-13T09:30+08:00", id, "authorise_self", {"vp_opinion=先行协商"});
  // The kind must change for this path.
  CHECK(s.as("zhou.min", "2026-04-01T10:00+08:00", {"do", id, "to_litigation", "--comment", "对方起诉"}).exit_code ==
        1);
  s.act("zhou.min", "2026-04-01T10:00+08:00", id, "to_litigation", {"kind=non_litigation_to_litigation"},
        "协商失败，对方起诉");
  CHECK(s.step_of(id) == "planning");
  CHECK(s.show(id, "2026-04-01T10:01+08:00")["fields"]["kind"] == "non_litigation_to_litigation");
}

TEST_CASE("legal_case: the VP rejects the plan and the CS center sends it back") {
  legal_session s;
  const std::string id = s.at_vp("litigation", "self");
  CHECK(s.as("wang.fang", "2026-03-13T09:30+08:00", {"do", id, "reject", "--comment", "x"}).exit_code ==
        1);  // the VP's
  s.act("zhao.lei", "2026-03-13T09:30+08:00", id, "reject", {}, "证据不足");
  CHECK(s.step_of(id) == "planning");
  s.act("zhou.min", "2026-03-16T10:00+08:00", id, "submit");
  s.act("wang.fang", "2026-03-16T15:00+08:00", id, "rework", {}, "补充证据清单");
  CHECK(s.step_of(id) == "planning");
}

}  // namespace
}  // namespace caseflow::test
