// Rule tests of repair work orders (PROCEDURES.md §7, processes/repair_order.yaml), one test
// case per rule, through the real binary. 2026-11-24 is a Tuesday (cn-mainland, 09:00-18:00).
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/procedure_desk.h"

namespace caseflow::test {
namespace {

const std::string k_repair_now = "2026-11-24T10:00+08:00";

class repair_desk : public procedure_desk {
 public:
  std::string order() const {
    return start("zhang.wei", k_repair_now, {"start", "repair_order", "--set", "customer=李四", "--set",
                                             "address=3-1-502", "--set", "problem=卫生间漏水"});
  }
  // An order surveyed at `cost` (contractor present) and approved; in step repair.
  std::string surveyed(const std::string& cost, const std::string& trades = "single", const std::string& type = "A") const {
    const std::string id = order();
    must("zhang.wei", k_repair_now, {"do", id, "surveyed", "--set", "order_type=" + type, "--set", "trades=" + trades,
                                     "--set", "responsible=防水承包商", "--set", "cost=" + cost, "--set",
                                     "contractor_attended=true", "--comment", "查勘完成"});
    return id;
  }
  std::string repairing(const std::string& trades) const {
    const std::string id = surveyed("800", trades);
    must("song.jia", k_repair_now, {"do", id, "approve"});
    return id;
  }
  // A repaired order through completion check and sign-off, waiting for the return call.
  std::string completed(const std::string& at) const {
    const std::string id = repairing("single");
    must("huang.bin", at, {"do", id, "completed"});
    must("huang.bin", at, {"do", id, "passed"});
    must("zhang.wei", at, {"do", id, "signed"});
    return id;
  }
  nlohmann::json chain(const std::string& id) const {
    nlohmann::json roles = nlohmann::json::array();
    const nlohmann::json shown = show(id, k_repair_now);
    for (const auto& level : shown["approval"]["levels"]) roles.push_back(level["roles"]);
    return roles;
  }
};

TEST_CASE("repair order: the site survey is due within 1 working day and its breach is reported") {
  repair_desk d;
  const std::string id = d.order();
  CHECK(d.deadline(id, k_repair_now, "survey.survey")["due"] == "2026-11-25T18:00:00+08:00");
  d.must("zhang.wei", "2026-11-25T18:00+08:00", {"tick"});
  const auto breached = d.deadline(id, "2026-11-25T18:01+08:00", "survey.survey");
  CHECK(breached["breached"] == true);
  CHECK(d.notified(id, "2026-11-25T18:01+08:00", "survey.survey"));
}

TEST_CASE("repair order: the contractor joins the survey unless the work is under 500") {
  repair_desk d;
  const std::string small = d.order();
  d.must("zhang.wei", k_repair_now, {"do", small, "surveyed", "--set", "order_type=B", "--set", "trades=single",
                                     "--set", "responsible=物业", "--set", "cost=499.99", "--comment", "小修"});
  CHECK(d.show(small, k_repair_now)["step"] == "cost_approval");
  const std::string larger = d.order();
  d.refused("zhang.wei", k_repair_now, {"do", larger, "surveyed", "--set", "order_type=A", "--set",
                                       "trades=single", "--set", "responsible=防水承包商", "--set", "cost=500",
                                       "--comment", "承包商未到"},
            "caseflow: action 'surveyed' is not allowed now: its condition `cost < 500 or contractor_attended` is "
            "false (cost = 500.00, contractor_attended = false)\n");
}

TEST_CASE("repair order: the survey decides who is responsible and whether it is an A or a B order") {
  repair_desk d;
  const std::string id = d.order();
  d.refused("zhang.wei", k_repair_now, {"do", id, "surveyed", "--set", "trades=single", "--set",
                                       "cost=100", "--comment", "x"},
            "caseflow: action 'surveyed' needs order_type, responsible: give --set order_type=… --set responsible=…\n");
  d.refused("zhang.wei", k_repair_now, {"do", id, "surveyed", "--set", "order_type=C"},
            "caseflow: field 'order_type': 'C' is not one of A | B; did you mean 'A'?\n");
  const std::string b = d.surveyed("100", "single", "B");
  CHECK(d.show(b, k_repair_now)["fields"]["order_type"] == "B");
}

TEST_CASE("repair order: a single-trade repair is due within 3 working days") {
  repair_desk d;
  const std::string id = d.repairing("single");
  CHECK(d.deadline(id, k_repair_now, "repair.single_trade")["due"] == "2026-11-27T18:00:00+08:00");
  CHECK(d.deadline(id, k_repair_now, "repair.multi_trade").is_null());
}

TEST_CASE("repair order: a multi-trade repair is due within 7 working days") {
  repair_desk d;
  const std::string id = d.repairing("multi");
  CHECK(d.deadline(id, k_repair_now, "repair.multi_trade")["due"] == "2026-12-03T18:00:00+08:00");
  CHECK(d.deadline(id, k_repair_now, "repair.single_trade").is_null());
}

TEST_CASE("repair order: completion is checked and signed by the customer; a failure goes back to repair") {
  repair_desk d;
  const std::string id = d.repairing("single");
  d.must("huang.bin", k_repair_now, {"do", id, "completed"});
  d.must("zhang.wei", k_repair_now, {"do", id, "failed", "--comment", "仍有渗水"});
  CHECK(d.show(id, k_repair_now)["step"] == "repair");
  d.must("huang.bin", k_repair_now, {"do", id, "completed"});
  d.must("huang.bin", k_repair_now, {"do", id, "passed"});
  CHECK(d.show(id, k_repair_now)["step"] == "customer_signoff");
  d.must("zhang.wei", k_repair_now, {"do", id, "refused", "--comment", "客户不认可"});
  CHECK(d.show(id, k_repair_now)["step"] == "repair");
}

TEST_CASE("repair order: the return call is due within 1 working day after completion") {
  repair_desk d;
  const std::string at = "2026-11-27T16:00+08:00";  // Friday
  const std::string id = d.completed(at);
  CHECK(d.deadline(id, at, "return_call.return_call")["due"] == "2026-11-30T18:00:00+08:00");
  d.must("zhang.wei", "2026-11-30T17:00+08:00", {"do", id, "called", "--comment", "客户满意"});
  CHECK(d.deadline(id, "2026-11-30T17:00+08:00", "return_call.return_call").is_null());
}

TEST_CASE("repair order: up to 1,000 the CS department manager approves the cost") {
  repair_desk d;
  const std::string id = d.surveyed("1000");
  CHECK(d.chain(id) == nlohmann::json{{"cs_dept_manager"}});
}

TEST_CASE("repair order: from 1,000 to 10,000 the deputy chief engineer reviews and the VP approves") {
  repair_desk d;
  CHECK(d.chain(d.surveyed("1000.01")) == nlohmann::json{{"deputy_chief_engineer"}, {"vp"}});
  CHECK(d.chain(d.surveyed("10000")) == nlohmann::json{{"deputy_chief_engineer"}, {"vp"}});
}

TEST_CASE("repair order: above 10,000 the general manager approves") {
  repair_desk d;
  CHECK(d.chain(d.surveyed("10000.01")) == nlohmann::json{{"general_manager"}});
}

TEST_CASE("repair order: a settlement of 20,000 or more is reviewed by audit") {
  repair_desk d;
  const std::string small = d.completed(k_repair_now);
  d.must("zhang.wei", k_repair_now, {"do", small, "called", "--comment", "满意"});
  d.refused("zhang.wei", k_repair_now, {"do", small, "to_audit", "--set", "settlement=19999.99"},
            "caseflow: action 'to_audit' is not allowed now: its condition `settlement >= 20000` is false (settlement "
            "= 19999.99)\n");
  d.must("zhang.wei", k_repair_now, {"do", small, "settled", "--set", "settlement=19999.99"});
  CHECK(d.show(small, k_repair_now)["step"] == "closed");

  const std::string large = d.completed(k_repair_now);
  d.must("zhang.wei", k_repair_now, {"do", large, "called", "--comment", "满意"});
  d.refused("zhang.wei", k_repair_now, {"do", large, "settled", "--set", "settlement=20000"},
            "caseflow: action 'settled' is not allowed now: its condition `settlement < 20000` is false (settlement = "
            "20000.00)\n");
  d.must("zhang.wei", k_repair_now, {"do", large, "to_audit", "--set", "settlement=20000"});
  d.refused("zhang.wei", k_repair_now, {"do", large, "passed"},
            "caseflow: zhang.wei may not take action 'passed' on case " + large +
                ": it needs the role auditor; zhang.wei holds roles cs_specialist\n");
  d.must("cao.yu", k_repair_now, {"do", large, "returned", "--set", "settlement=18500", "--comment", "核减"});
  d.must("zhang.wei", k_repair_now, {"do", large, "settled"});
  CHECK(d.show(large, k_repair_now)["step"] == "closed");
  d.audit_clean(k_repair_now);
}

}  // namespace
}  // namespace caseflow::test
