// Rule tests of exchange, refund and compensation after move-in (PROCEDURES.md §3,
// processes/compensation_refund_exchange.yaml), one test case per rule, through the real binary.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/procedure_desk.h"

namespace caseflow::test {
namespace {

const std::string k_compensation_now = "2026-11-24T10:00+08:00";

class compensation_desk : public procedure_desk {
 public:
  using procedure_desk::procedure_desk;
  std::string claim(const std::string& request) const {
    return start("zhang.wei", k_compensation_now,
                 {"start", "compensation_refund_exchange", "--set", "customer=张三", "--set", "address=5-2-1101",
                  "--set", "request=" + request, "--set", "loss=地下室渗水损坏家具"});
  }
  // A compensation claim with `responsibility` settled (the contractor signed), proposed at `amount`.
  std::string proposed(const std::string& responsibility, const std::string& amount) const {
    const std::string id = claim("compensation");
    must("zhang.wei", k_compensation_now,
         {"do", id, "compensation_claim", "--set", "responsibility=" + responsibility});
    if (responsibility == "company") must("zhang.wei", k_compensation_now, {"do", id, "company_borne"});
    else must("zhang.wei", k_compensation_now,
              {"do", id, "contractor_signed", "--set", "contractor=某防水公司", "--comment", "已签确认书"});
    must("zhang.wei", k_compensation_now,
         {"do", id, "propose", "--set", "amount=" + amount, "--set", "plan=现金赔偿", "--comment", "方案"});
    return id;
  }
  nlohmann::json chain(const std::string& id) const {
    nlohmann::json roles = nlohmann::json::array();
    const nlohmann::json shown = show(id, k_compensation_now);
    for (const auto& level : shown["approval"]["levels"]) roles.push_back(level["roles"]);
    return roles;
  }
};

// A copy of processes/ in `dir` in which zhang.wei, the specialist who proposes, also holds
// cs_manager, the role that approves; returns its path.
std::string processes_with_proposer_as_manager(const scratch_dir& dir) {
  const std::string copy = dir.file("processes");
  std::filesystem::copy(k_processes, copy, std::filesystem::copy_options::recursive);
  std::string org = read_bytes(copy + "/org.yaml").value();
  const std::string specialist = "zhang.wei:  { name: 张伟, roles: [cs_specialist]";
  const auto at = org.find(specialist);
  REQUIRE(at != std::string::npos);
  org.replace(at, specialist.size(), "zhang.wei:  { name: 张伟, roles: [cs_specialist, cs_manager]");
  std::ofstream(copy + "/org.yaml", std::ios::trunc) << org;
  return copy;
}

TEST_CASE("compensation: the contractor signs an acknowledgement of its responsibility") {
  compensation_desk d;
  const std::string id = d.claim("compensation");
  d.must("zhang.wei", k_compensation_now, {"do", id, "compensation_claim", "--set", "responsibility=contractor"});
  d.refused("zhang.wei", k_compensation_now, {"do", id, "contractor_signed", "--comment", "已签"},
            "caseflow: action 'contractor_signed' needs contractor: give --set contractor=…\n");
  d.must("zhang.wei", k_compensation_now,
         {"do", id, "contractor_signed", "--set", "contractor=某防水公司", "--comment", "已签确认书"});
  CHECK(d.show(id, k_compensation_now)["step"] == "proposal");
}

TEST_CASE("compensation: if the contractor refuses to sign, the site supervisor confirms") {
  compensation_desk d;
  const std::string id = d.claim("compensation");
  d.must("zhang.wei", k_compensation_now, {"do", id, "compensation_claim", "--set", "responsibility=contractor"});
  d.must("zhang.wei", k_compensation_now,
         {"do", id, "contractor_refused", "--set", "contractor=某防水公司", "--comment", "拒签"});
  CHECK(d.show(id, k_compensation_now)["step"] == "supervisor_confirmation");
  d.refused("zhang.wei", k_compensation_now, {"do", id, "confirmed", "--comment", "x"},
            "caseflow: zhang.wei may not take action 'confirmed' on case " + id +
                ": it needs the role site_supervisor; zhang.wei holds roles cs_specialist\n");
  d.must("qian.jun", k_compensation_now, {"do", id, "confirmed", "--comment", "监理确认承包商责任"});
  CHECK(d.show(id, k_compensation_now)["step"] == "proposal");
}

TEST_CASE("compensation: a contractor's compensation up to 20,000 (含) is approved by the CS center manager") {
  compensation_desk d;
  const std::string id = d.proposed("contractor", "20000");
  CHECK(d.chain(id) == nlohmann::json{{"cs_manager"}});
  d.must("wang.fang", k_compensation_now, {"do", id, "approve"});
  CHECK(d.show(id, k_compensation_now)["step"] == "payment");
}

TEST_CASE("compensation: a contractor's compensation above 20,000 is reviewed by the manager and approved by the VP") {
  compensation_desk d;
  const std::string id = d.proposed("contractor", "20000.01");
  CHECK(d.chain(id) == nlohmann::json{{"cs_manager"}, {"vp"}});
  d.must("wang.fang", k_compensation_now, {"do", id, "approve"});
  CHECK(d.show(id, k_compensation_now)["step"] == "approval");
  d.must("zhao.lei", k_compensation_now, {"do", id, "approve"});
  CHECK(d.show(id, k_compensation_now)["step"] == "payment");
}

TEST_CASE("compensation: a company-borne part up to 10,000 (含) is approved by the CS center manager") {
  compensation_desk d;
  const std::string id = d.proposed("company", "10000");
  CHECK(d.chain(id) == nlohmann::json{{"cs_manager"}});
}

TEST_CASE("compensation: a company-borne part above 10,000 is reviewed by the manager and approved by the VP") {
  compensation_desk d;
  const std::string id = d.proposed("company", "10000.01");
  CHECK(d.chain(id) == nlohmann::json{{"cs_manager"}, {"vp"}});
}

TEST_CASE("compensation: the proposer may not approve") {
  // The proposer holds the approving role here: only the step's `not_by: [proposal]`
  // (segregation of duties) refuses them; another manager approves.
  scratch_dir copy;
  const compensation_desk d(processes_with_proposer_as_manager(copy));
  const std::string id = d.proposed("company", "500");
  d.refused("zhang.wei", k_compensation_now, {"do", id, "approve"},
            "caseflow: zhang.wei may not approve case " + id +
                ": they acted in step 'proposal' (segregation of duties: not_by proposal)\n");
  CHECK(d.show(id, k_compensation_now)["step"] == "approval");
  d.must("wang.fang", k_compensation_now, {"do", id, "approve"});
  CHECK(d.show(id, k_compensation_now)["step"] == "payment");
}

TEST_CASE("compensation: a refund needs the quality supervision station's written confirmation") {
  compensation_desk d;
  const std::string id = d.claim("refund");
  d.refused("zhang.wei", k_compensation_now, {"do", id, "compensation_claim", "--set", "responsibility=company"},
            "caseflow: action 'compensation_claim' is not allowed now: its condition `request == \"compensation\"` is "
            "false (request = \"refund\")\n");
  d.must("zhang.wei", k_compensation_now, {"do", id, "refund_or_exchange"});
  d.refused("zhang.wei", k_compensation_now, {"do", id, "confirmed", "--set", "refund_ground=structure_failed"},
            "caseflow: action 'confirmed' needs station_confirmation: give --set station_confirmation=…\n");
  d.must("zhang.wei", k_compensation_now,
         {"do", id, "confirmed", "--set", "station_confirmation=沪质监（2026）第118号", "--set",
          "refund_ground=structure_failed"});
  CHECK(d.show(id, k_compensation_now)["step"] == "refund_processing");
  d.must("zheng.hui", k_compensation_now, {"do", id, "processed", "--comment", "营销部与客服中心办结退房"});
  CHECK(d.show(id, k_compensation_now)["step"] == "closed");
  d.audit_clean(k_compensation_now);
}

TEST_CASE("compensation: repairable but not refundable offers repair, compensation or consignment resale") {
  compensation_desk d;
  auto alternative = [&]() {
    const std::string id = d.claim("exchange");
    d.must("zhang.wei", k_compensation_now, {"do", id, "refund_or_exchange"});
    d.must("zhang.wei", k_compensation_now, {"do", id, "not_refundable", "--comment", "可修复，未达退房标准"});
    CHECK(d.show(id, k_compensation_now)["step"] == "alternative");
    return id;
  };
  const std::string repaired = alternative();
  d.must("zhang.wei", k_compensation_now, {"do", repaired, "repair", "--comment", "转维修工单"});
  CHECK(d.show(repaired, k_compensation_now)["step"] == "closed");
  const std::string compensated = alternative();
  d.must("zhang.wei", k_compensation_now, {"do", compensated, "compensate", "--set", "responsibility=company"});
  CHECK(d.show(compensated, k_compensation_now)["step"] == "responsibility");
  const std::string consigned = alternative();
  d.must("zhang.wei", k_compensation_now, {"do", consigned, "consign"});
  CHECK(d.show(consigned, k_compensation_now)["step"] == "consignment");
  d.must("zheng.hui", k_compensation_now, {"do", consigned, "sold", "--comment", "委托代售成交"});
  CHECK(d.show(consigned, k_compensation_now)["step"] == "closed");
}

}  // namespace
}  // namespace caseflow::test
