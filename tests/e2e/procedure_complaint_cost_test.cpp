// Rule tests of the complaint cost approvals and the advisory review (PROCEDURES.md §2,
// processes/complaint_cost.yaml), one test case per rule, through the real binary.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/procedure_desk.h"

namespace caseflow::test {
namespace {

const std::string k_cost_now = "2026-11-24T10:00+08:00";

class cost_desk : public procedure_desk {
 public:
  std::string proposal() const {
    return start("zhang.wei", k_cost_now,
                 {"start", "complaint_cost", "--set", "complaint=TS-2026-00001", "--set", "customer=王五"});
  }
  // A proposal referred to the panel for `reason` at `cost`.
  std::string referred(const std::string& reason, const std::string& cost = "60000") const {
    const std::string id = proposal();
    must("zhang.wei", k_cost_now, {"do", id, "refer_to_panel", "--set", "plan=赔偿并维修", "--set", "cost=" + cost, "--set",
                                   "review_reason=" + reason, "--comment", "提交顾问小组"});
    return id;
  }
  nlohmann::json levels(const std::string& id) const { return show(id, k_cost_now)["approval"]["levels"]; }
};

TEST_CASE("complaint cost: a cost of 35,000 (含) is a general complaint and goes straight to approval") {
  cost_desk d;
  const std::string id = d.proposal();
  d.must("zhang.wei", k_cost_now, {"do", id, "submit", "--set", "plan=赔偿", "--set", "cost=35000", "--comment", "一般"});
  CHECK(d.show(id, k_cost_now)["step"] == "cost_approval");
}

TEST_CASE("complaint cost: a cost above 35,000 needs the advisory panel") {
  cost_desk d;
  const std::string id = d.proposal();
  d.refused("zhang.wei", k_cost_now,
            {"do", id, "submit", "--set", "plan=赔偿", "--set", "cost=35000.01", "--comment", "x"},
            "caseflow: action 'submit' is not allowed now: its condition `cost <= 35000 and (claim == null or claim "
            "<= cost * 2)` is false (cost = 35000.01, claim = (not set))\n");
  CHECK(d.show(id, k_cost_now)["step"] == "proposal");
  d.must("zhang.wei", k_cost_now, {"do", id, "refer_to_panel", "--set", "plan=赔偿", "--set", "cost=35000.01", "--set",
                                   "review_reason=high_compensation", "--comment", "金额较高"});
  CHECK(d.show(id, k_cost_now)["step"] == "advisory_review");
}

TEST_CASE("complaint cost: a claim more than double the proposed solution needs the advisory panel") {
  cost_desk d;
  const std::string over = d.proposal();
  d.refused("zhang.wei", k_cost_now,
            {"do", over, "submit", "--set", "plan=赔偿", "--set", "cost=10000", "--set", "claim=20000.01", "--comment", "x"},
            "caseflow: action 'submit' is not allowed now: its condition `cost <= 35000 and (claim == null or claim "
            "<= cost * 2)` is false (cost = 10000.00, claim = 20000.01)\n");
  const std::string doubled = d.proposal();
  d.must("zhang.wei", k_cost_now, {"do", doubled, "submit", "--set", "plan=赔偿", "--set", "cost=10000", "--set",
                                   "claim=20000", "--comment", "索赔恰为两倍"});
  CHECK(d.show(doubled, k_cost_now)["step"] == "cost_approval");
  d.must("zhang.wei", k_cost_now, {"do", over, "refer_to_panel", "--set", "plan=赔偿", "--set", "cost=10000", "--set",
                                   "review_reason=claim_exceeds_plan", "--comment", "索赔超方案100%以上"});
  d.must("xu.ming", k_cost_now, {"do", over, "consumer_association_report", "--set", "report=消协审议意见"});
  CHECK(d.show(over, k_cost_now)["step"] == "cost_approval");
}

TEST_CASE("complaint cost: the consumer association reviews high compensation and third-party cases") {
  cost_desk d;
  for (const std::string reason : {"high_compensation", "third_party"}) {
    INFO(reason);
    const std::string id = d.referred(reason);
    d.refused("ma.jian", k_cost_now, {"do", id, "police_report", "--set", "report=x"},
              "caseflow: action 'police_report' is not allowed now: its condition `review_reason in [\"gangster\", "
              "\"irrational_behaviour\"]` is false (review_reason = \"" + reason + "\")\n");
    d.refused("luo.yi", k_cost_now, {"do", id, "lawyer_report", "--set", "report=x"},
              "caseflow: action 'lawyer_report' is not allowed now: its condition `review_reason == \"legal_risk\"` is "
              "false (review_reason = \"" + reason + "\")\n");
    d.must("xu.ming", k_cost_now, {"do", id, "consumer_association_report", "--set", "report=消协审议报告"});
    CHECK(d.show(id, k_cost_now)["step"] == "cost_approval");
  }
}

TEST_CASE("complaint cost: the police review gangster involvement and irrational behaviour") {
  cost_desk d;
  for (const std::string reason : {"gangster", "irrational_behaviour"}) {
    INFO(reason);
    const std::string id = d.referred(reason);
    d.refused("xu.ming", k_cost_now, {"do", id, "consumer_association_report", "--set", "report=x"},
              "caseflow: action 'consumer_association_report' is not allowed now: its condition `review_reason in "
              "[\"high_compensation\", \"claim_exceeds_plan\", \"third_party\"]` is false (review_reason = \""
              + reason + "\")\n");
    d.must("ma.jian", k_cost_now, {"do", id, "police_report", "--set", "report=公安顾问意见"});
    CHECK(d.show(id, k_cost_now)["step"] == "cost_approval");
  }
}

TEST_CASE("complaint cost: a lawyer reviews a high legal risk") {
  cost_desk d;
  const std::string id = d.referred("legal_risk");
  d.refused("ma.jian", k_cost_now, {"do", id, "police_report", "--set", "report=x"},
            "caseflow: action 'police_report' is not allowed now: its condition `review_reason in [\"gangster\", "
            "\"irrational_behaviour\"]` is false (review_reason = \"legal_risk\")\n");
  d.refused("zhang.wei", k_cost_now, {"do", id, "lawyer_report", "--set", "report=x"},
            "caseflow: zhang.wei may not take action 'lawyer_report' on case " + id + ": it needs the role "
            "lawyer_advisor; zhang.wei holds roles cs_specialist\n");
  d.must("luo.yi", k_cost_now, {"do", id, "lawyer_report", "--set", "report=律师法律风险评估"});
  CHECK(d.show(id, k_cost_now)["step"] == "cost_approval");
}

TEST_CASE("complaint cost: the panel's handling report is required and goes to leadership for approval") {
  cost_desk d;
  const std::string id = d.referred("high_compensation");
  d.refused("xu.ming", k_cost_now, {"do", id, "consumer_association_report"},
            "caseflow: action 'consumer_association_report' needs report: give --set report=…\n");
  d.must("xu.ming", k_cost_now, {"do", id, "consumer_association_report", "--set", "report=消协审议报告"});
  const auto shown = d.show(id, k_cost_now);
  CHECK(shown["fields"]["report"] == "消协审议报告");
  CHECK(shown["approval"]["next"] == nlohmann::json{"cs_manager"});
}

TEST_CASE("complaint cost: below 50,000 the chain is finance or cost management, CS manager, VP") {
  cost_desk d;
  const std::string id = d.referred("high_compensation", "49999.99");
  d.must("xu.ming", k_cost_now, {"do", id, "consumer_association_report", "--set", "report=报告"});
  const auto levels = d.levels(id);
  REQUIRE(levels.size() == 3);
  CHECK(levels[0]["roles"] == nlohmann::json{"finance", "cost_management"});
  CHECK(levels[0]["mode"] == "any");
  CHECK(levels[1]["roles"] == nlohmann::json{"cs_manager"});
  CHECK(levels[2]["roles"] == nlohmann::json{"vp"});
  for (const char* user : {"feng.tao", "wang.fang", "zhao.lei"}) d.must(user, k_cost_now, {"do", id, "approve"});
  CHECK(d.show(id, k_cost_now)["step"] == "implementation");
}

TEST_CASE("complaint cost: from 50,000 the chain is CS manager, VP, committee vice-chair, committee chair") {
  cost_desk d;
  const std::string id = d.referred("high_compensation", "50000");
  d.must("xu.ming", k_cost_now, {"do", id, "consumer_association_report", "--set", "report=报告"});
  const auto levels = d.levels(id);
  REQUIRE(levels.size() == 4);
  CHECK(levels[0]["roles"] == nlohmann::json{"cs_manager"});
  CHECK(levels[1]["roles"] == nlohmann::json{"vp"});
  CHECK(levels[2]["roles"] == nlohmann::json{"committee_vice_chair"});
  CHECK(levels[3]["roles"] == nlohmann::json{"committee_chair"});
  d.refused("guo.hua", k_cost_now, {"do", id, "approve"},  // the chair signs last
            "caseflow: guo.hua may not approve case " + id + " now: waiting for level 1 of 4: cs_manager\n");
  for (const char* user : {"wang.fang", "zhao.lei", "lin.feng", "guo.hua"})
    d.must(user, k_cost_now, {"do", id, "approve"});
  d.must("zhang.wei", k_cost_now, {"do", id, "done", "--comment", "已赔付"});
  CHECK(d.show(id, k_cost_now)["step"] == "closed");
  d.audit_clean(k_cost_now);
}

}  // namespace
}  // namespace caseflow::test
