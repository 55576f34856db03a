// End-to-end: the approval matrices of PROCEDURES.md §2, §3 and §7 run from the CLI.
#include <algorithm>
#include <source_location>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::string k_november = "2026-11-24T10:00+08:00";

// One database with the shipped procedures and org.yaml (wu.qiang deputises for wang.fang
// as cs_manager from 2026-12-01 to 2026-12-15).
class approval_desk {
 public:
  run_result as(const std::string& user, std::vector<std::string> args, const std::string& now = k_november) const {
    std::vector<std::string> all{"--procedures", k_processes, "--db", dir_.db(), "--as", user, "--now", now};
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir_);
  }
  std::string must(const std::string& user, std::vector<std::string> args, const std::string& now = k_november) const {
    const run_result r = as(user, args, now);
    INFO("args: ", nlohmann::json(args).dump(), " stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  // The same, which must be refused with `message` and write nothing (check_refused).
  void refused(const std::string& user, std::vector<std::string> args, const std::string& message,
               const std::string& now = k_november,
               std::source_location where = std::source_location::current()) const {
    check_refused(dir_.db(), [&] { return as(user, std::move(args), now); }, message, 1, where);
  }
  nlohmann::json json(const std::string& user, std::vector<std::string> args) const {
    args.insert(args.begin(), "--json");
    return nlohmann::json::parse(must(user, std::move(args)));
  }
  nlohmann::json show(const std::string& id, const std::string& user = "zhang.wei") const {
    return json(user, {"show", id});
  }
  // A company-borne compensation claim by zhang.wei, proposed at `amount`; returns its id.
  std::string compensation(const std::string& amount, const std::string& responsibility = "company") const {
    std::string id = must("zhang.wei", {"start", "compensation_refund_exchange", "--set", "customer=张三", "--set",
                                        "request=compensation", "--set", "loss=地下室渗水损坏家具"});
    id.pop_back();
    must("zhang.wei", {"do", id, "compensation_claim", "--set", "responsibility=" + responsibility});
    if (responsibility == "company") must("zhang.wei", {"do", id, "company_borne"});
    else must("zhang.wei", {"do", id, "contractor_signed", "--set", "contractor=某建筑公司", "--comment", "承包商已签字"});
    must("zhang.wei", {"do", id, "propose", "--set", "amount=" + amount, "--set", "plan=现金赔偿", "--comment", "方案"});
    return id;
  }

 private:
  scratch_dir dir_;
};

TEST_CASE("approvals cli: company compensation above 10,000.00 needs the manager, then the VP") {
  approval_desk d;
  const std::string id = d.compensation("10000.01");
  CHECK(id == "PC-2026-00001");
  nlohmann::json shown = d.show(id, "wang.fang");
  CHECK(shown["step"] == "approval");
  CHECK(shown["approval"]["tier"] == 4);
  CHECK(shown["approval"]["amount"] == "10000.01");
  CHECK(shown["approval"]["next"] == nlohmann::json{"cs_manager"});
  CHECK(shown["approval"]["levels"].size() == 2);
  CHECK(shown["approval"]["levels"][1]["roles"] == nlohmann::json{"vp"});
  const auto approve = std::find_if(shown["actions"].begin(), shown["actions"].end(),
                                    [](const nlohmann::json& a) { return a["name"] == "approve"; });
  REQUIRE(approve != shown["actions"].end());
  CHECK((*approve)["roles"] == nlohmann::json{"cs_manager"});
  CHECK((*approve)["permitted"] == true);

  // The proposer, a specialist, lacks the role (the not_by rule: procedure_compensation_test).
  d.refused("zhang.wei", {"do", id, "approve"},
            "caseflow: zhang.wei may not approve case PC-2026-00001 now: waiting for level 1 of 2: cs_manager\n");
  d.refused("zhao.lei", {"do", id, "approve"},
            "caseflow: zhao.lei may not approve case PC-2026-00001 now: waiting for level 1 of 2: cs_manager\n");

  d.must("wang.fang", {"do", id, "approve", "--comment", "同意"});
  const std::string table = d.must("zhao.lei", {"show", id});
  CHECK(table.find("waiting for level 2 of 2: vp") != std::string::npos);
  CHECK(table.find("approved: wang.fang as cs_manager") != std::string::npos);
  d.must("zhao.lei", {"do", id, "approve"});
  shown = d.show(id);
  CHECK(shown["step"] == "payment");
  CHECK(shown["approval"]["status"] == "approved");
  CHECK(shown["approval"]["levels"][1]["approvals"][0]["actor"] == "zhao.lei");
  CHECK(shown["approval"]["levels"][1]["done"] == true);
  CHECK(d.as("zhang.wei", {"verify"}).exit_code == 0);
}

TEST_CASE("approvals cli: the bounds of §3 are inclusive (含)") {
  approval_desk d;
  struct row {
    const char* amount;
    const char* responsibility;
    std::size_t levels;
  };
  for (const row& r : {row{"10000.00", "company", 1}, row{"9999.99", "company", 1}, row{"20000.00", "contractor", 1},
                       row{"20000.01", "contractor", 2}}) {
    CAPTURE(r.amount);
    const std::string id = d.compensation(r.amount, r.responsibility);
    CHECK(d.show(id)["approval"]["levels"].size() == r.levels);
  }
}

TEST_CASE("approvals cli: a rejection needs a comment and goes back to the proposer") {
  approval_desk d;
  const std::string id = d.compensation("5000");
  d.refused("wang.fang", {"do", id, "reject"}, "caseflow: a rejection needs a comment: give --comment \"…\"\n");
  d.must("wang.fang", {"do", id, "reject", "--comment", "证据不足"});
  nlohmann::json shown = d.show(id);
  CHECK(shown["step"] == "proposal");
  CHECK(shown["approval"]["status"] == "rejected");
  CHECK(shown["approval"]["levels"][0]["approvals"][0]["decision"] == "reject");
}

TEST_CASE("approvals cli: a deputy approves inside the delegation and is refused outside it") {
  approval_desk d;
  const std::string id = d.compensation("800");
  d.refused("wu.qiang", {"do", id, "approve"},
            "caseflow: wu.qiang may not approve case PC-2026-00001 now: waiting for level 1 of 1: cs_manager\n",
            "2026-12-16T10:00+08:00");
  d.must("wu.qiang", {"do", id, "approve"}, "2026-12-15T17:00+08:00");
  const nlohmann::json events = operator_events(d.json("zhang.wei", {"history", id}));
  CHECK(events.back()["actor"] == "wu.qiang");
  CHECK(events.back()["on_behalf_of"] == "wang.fang");
  CHECK(events.back()["role"] == "cs_manager");
  CHECK(d.show(id)["approval"]["levels"][0]["approvals"][0]["on_behalf_of"] == "wang.fang");
}

TEST_CASE("approvals cli: changing the amount mid-chain voids the approvals and restarts the chain") {
  approval_desk d;
  const std::string id = d.compensation("30000");
  d.must("wang.fang", {"do", id, "approve"});
  d.must("zhang.wei", {"do", id, "amend", "--set", "amount=9000", "--comment", "核减"});
  const nlohmann::json shown = d.show(id);
  CHECK(shown["approval"]["levels"].size() == 1);
  CHECK(shown["approval"]["next"] == nlohmann::json{"cs_manager"});
  CHECK(shown["approval"]["levels"][0]["approvals"].empty());
  bool voided = false;
  const nlohmann::json history = d.json("zhang.wei", {"history", id});  // kept alive for the loop
  for (const auto& e : history["events"])
    if (e["kind"] == "approvals_voided") voided = e["data"]["reason"] == "amount changed from 30000.00 to 9000.00";
  CHECK(voided);
  d.must("wang.fang", {"do", id, "approve"});
  CHECK(d.show(id)["step"] == "payment");
}

TEST_CASE("approvals cli: repair cost approvals of §7 at 1,000 and 10,000") {
  approval_desk d;
  auto order = [&](const std::string& cost) {
    std::string id = d.must("zhang.wei", {"start", "repair_order", "--set", "customer=李四", "--set", "address=3-1-502",
                                          "--set", "problem=卫生间漏水"});
    id.pop_back();
    d.must("zhang.wei", {"do", id, "surveyed", "--set", "order_type=A", "--set", "trades=single", "--set",
                         "responsible=防水承包商", "--set", "cost=" + cost, "--set", "contractor_attended=true",
                         "--comment", "查勘完成"});
    return id;
  };
  const std::string small = order("1000.00");
  CHECK(d.show(small)["approval"]["next"] == nlohmann::json{"cs_dept_manager"});
  d.must("song.jia", {"do", small, "approve"});
  CHECK(d.show(small)["step"] == "repair");
  const std::string middle = order("1000.01");
  d.must("tang.wen", {"do", middle, "approve"});
  d.must("zhao.lei", {"do", middle, "approve"});
  CHECK(d.show(middle)["step"] == "repair");
  const std::string large = order("10000.01");
  CHECK(d.show(large)["approval"]["next"] == nlohmann::json{"general_manager"});
  d.must("han.dong", {"do", large, "reject", "--comment", "重新报价"});
  CHECK(d.show(large)["step"] == "survey");
  // The rest of the order: repair, check, sign-off, return call, settlement with audit.
  for (const auto& [user, action] : std::vector<std::pair<std::string, std::string>>{
           {"huang.bin", "completed"}, {"huang.bin", "passed"}, {"zhang.wei", "signed"}})
    d.must(user, {"do", small, action});
  d.must("zhang.wei", {"do", small, "called", "--comment", "客户满意"});
  d.must("zhang.wei", {"do", small, "to_audit", "--set", "settlement=20000"});
  d.must("cao.yu", {"do", small, "passed"});
  CHECK(d.show(small)["step"] == "closed");
}

TEST_CASE("approvals cli: complaint cost chains of §2 and the advisory panel") {
  approval_desk d;
  auto proposal = [&]() {
    std::string id = d.must("zhang.wei", {"start", "complaint_cost", "--set", "complaint=TS-2026-00001", "--set",
                                          "customer=王五"});
    id.pop_back();
    return id;
  };
  const std::string general = proposal();
  d.must("zhang.wei", {"do", general, "submit", "--set", "plan=赔偿", "--set", "cost=35000", "--comment", "一般投诉"});
  CHECK(d.show(general)["approval"]["levels"][0]["roles"] == nlohmann::json{"finance", "cost_management"});
  d.must("he.ping", {"do", general, "approve"});  // any one of finance, cost management
  d.must("wang.fang", {"do", general, "approve"});
  d.must("zhao.lei", {"do", general, "approve"});
  CHECK(d.show(general)["step"] == "implementation");

  const std::string high = proposal();
  d.refused("zhang.wei", {"do", high, "submit", "--set", "plan=赔偿", "--set", "cost=35000.01", "--comment", "x"},
            "caseflow: action 'submit' is not allowed now: its condition `cost <= 35000 and (claim == null or claim <= "
            "cost * 2)` is false (cost = 35000.01, claim = (not set))\n");
  d.must("zhang.wei", {"do", high, "refer_to_panel", "--set", "plan=赔偿", "--set", "cost=50000", "--set",
                       "review_reason=high_compensation", "--comment", "金额较高"});
  d.refused("ma.jian", {"do", high, "police_report", "--set", "report=x"},
            "caseflow: action 'police_report' is not allowed now: its condition `review_reason in [\"gangster\", "
            "\"irrational_behaviour\"]` is false (review_reason = \"high_compensation\")\n");
  d.must("xu.ming", {"do", high, "consumer_association_report", "--set", "report=消协审议报告"});
  CHECK(d.show(high)["approval"]["levels"].size() == 4);
  for (const char* user : {"wang.fang", "zhao.lei", "lin.feng", "guo.hua"}) d.must(user, {"do", high, "approve"});
  CHECK(d.show(high)["step"] == "implementation");
  CHECK(d.as("zhang.wei", {"verify"}).exit_code == 0);
}

}  // namespace
}  // namespace caseflow::test
