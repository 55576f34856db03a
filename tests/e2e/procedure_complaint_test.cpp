// End-to-end rule tests of the complaint procedure (PROCEDURES.md §1, processes/complaint.yaml)
// that the business-time and approval tests do not cover: the cross-case rule (the same
// complaint from 3+ different complainants within a month is hot), group complaints, and the
// repeat complaint. The real `caseflow` binary in virtual time on a temporary database.
#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/procedure_desk.h"

namespace caseflow::test {
namespace {

const std::string k_rule = "same_complaint_three_complainants";

// The complaint desk: complaints forwarded as the same leak unless told otherwise.
class complaint_desk : public procedure_desk {
 public:
  std::string severity(const std::string& id, const std::string& now) const {
    return show(id, now)["fields"]["severity"];
  }
  // The events raised by the similar-cases rule in case `id`.
  std::vector<nlohmann::json> similar_raises(const std::string& id, const std::string& now) const {
    std::vector<nlohmann::json> raises;
    for (const auto& e : events(id, now))
      if (e["kind"] == "fields_changed" && e["data"].contains("similar")) raises.push_back(e);
    return raises;
  }
  // Opens a complaint from `customer` at `now` and forwards it as a leak in project `project`.
  std::string complaint(const std::string& customer, const std::string& now, const std::string& project = "翠湖天地",
                        const std::string& sub_type = "屋面渗漏", const std::string& kind = "quality") const {
    const std::string id = start("zhang.wei", now, {"start", "complaint", "--set", "customer=" + customer, "--set",
                                                    "channel=phone", "--set", "summary=顶楼屋面漏水"});
    must("zhang.wei", now, {"do", id, "forward", "--set", "category=engineering_quality", "--set", "department=project",
                            "--set", "sub_type=" + sub_type, "--set", "project=" + project, "--set", "kind=" + kind});
    return id;
  }
};

TEST_CASE("complaint: same complaint from 3 complainants within a month is hot") {
  complaint_desk d;
  const std::string a = d.complaint("张三", "2026-11-02T10:00+08:00");
  const std::string b = d.complaint("李四", "2026-11-10T10:00+08:00");
  CHECK(d.severity(a, "2026-11-10T10:05+08:00") == "general");
  const std::string c = d.complaint("王五", "2026-11-20T10:00+08:00");
  const std::string now = "2026-11-20T10:05+08:00";
  for (const auto& [id, others] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {a, {c, b}}, {b, {c, a}}, {c, {a, b}}}) {
    INFO("case ", id);
    CHECK(d.severity(id, now) == "hot");
    const auto raises = d.similar_raises(id, now);
    REQUIRE(raises.size() == 1);
    CHECK(raises[0]["actor"] == "system");
    CHECK(raises[0]["at"] == "2026-11-20T02:00:00Z");  // with the third complaint's forwarding
    CHECK(raises[0]["data"]["rule"] == k_rule);
    CHECK(raises[0]["data"]["fields"] == nlohmann::json{{"severity", "hot"}});
    CHECK(raises[0]["data"]["similar"]["count"] == 3);
    CHECK(raises[0]["data"]["similar"]["cases"] == nlohmann::json(others));
    const std::string reason = raises[0]["data"]["reason"];
    CHECK(reason.find(k_rule) != std::string::npos);
    for (const auto& other : others) CHECK(reason.find(other) != std::string::npos);
  }
  // Raised to hot, each case now owes the report to the group coordination center.
  const auto shown = d.json(now, {"show", a});
  CHECK(std::any_of(shown["deadlines"].begin(), shown["deadlines"].end(),
                    [](const nlohmann::json& dl) { return dl["rule"] == "hot_report"; }));
  d.audit_clean(now);
}

TEST_CASE("complaint: the similar-cases index holds keyed digests, never names or addresses") {
  complaint_desk d;
  const std::string a = d.complaint("张三", "2026-11-02T10:00+08:00");
  const std::string rows = d.sql("SELECT case_id, procedure, key, distinct_digest, open FROM similar_keys");
  CHECK(rows.find(a + "|complaint|") == 0);
  CHECK(rows.find("张三") == std::string::npos);
  CHECK(rows.find("翠湖天地") == std::string::npos);
  CHECK(d.sql("SELECT count(*) FROM similar_keys") == "1\n");
  const std::string plan = d.sql("EXPLAIN QUERY PLAN SELECT case_id FROM similar_keys WHERE procedure = 'complaint' "
                                 "AND key = 'k' AND opened_seconds BETWEEN 0 AND 1");
  CHECK(plan.find("INDEX similar_by_key") != std::string::npos);
}

TEST_CASE("complaint: the same complaint from 2 complainants is not hot") {
  complaint_desk d;
  const std::string a = d.complaint("张三", "2026-11-02T10:00+08:00");
  const std::string b = d.complaint("李四", "2026-11-03T10:00+08:00");
  CHECK(d.severity(a, "2026-11-03T10:05+08:00") == "general");
  CHECK(d.severity(b, "2026-11-03T10:05+08:00") == "general");
  CHECK(d.similar_raises(b, "2026-11-03T10:05+08:00").empty());
}

TEST_CASE("complaint: the same complainant three times is not hot") {
  complaint_desk d;
  const std::string a = d.complaint("张三", "2026-11-02T10:00+08:00");
  d.complaint("张三", "2026-11-03T10:00+08:00");
  const std::string c = d.complaint("张三", "2026-11-04T10:00+08:00");
  CHECK(d.severity(a, "2026-11-04T10:05+08:00") == "general");
  CHECK(d.severity(c, "2026-11-04T10:05+08:00") == "general");
  CHECK(d.similar_raises(c, "2026-11-04T10:05+08:00").empty());
}

TEST_CASE("complaint: three complainants more than a month apart are not hot") {
  complaint_desk d;
  const std::string a = d.complaint("张三", "2026-09-01T10:00+08:00");
  d.complaint("李四", "2026-09-20T10:00+08:00");
  // 2026-10-02 is more than one month after 09-01: only the 09-20 complaint is in its window.
  const std::string c = d.complaint("王五", "2026-10-02T10:00+08:00");
  CHECK(d.severity(c, "2026-10-02T10:05+08:00") == "general");
  CHECK(d.similar_raises(a, "2026-10-02T10:05+08:00").empty());
  // A fourth within a month of the second and third makes three distinct complainants again.
  const std::string e = d.complaint("赵六", "2026-10-09T10:00+08:00");
  CHECK(d.severity(e, "2026-10-09T10:05+08:00") == "hot");
  CHECK(d.severity(c, "2026-10-09T10:05+08:00") == "hot");
  CHECK(d.similar_raises(a, "2026-10-09T10:05+08:00").empty());
}

TEST_CASE("complaint: complaints about another project or sub-type are not the same complaint") {
  complaint_desk d;
  d.complaint("张三", "2026-11-02T10:00+08:00");
  d.complaint("李四", "2026-11-03T10:00+08:00", "星河湾");
  const std::string c = d.complaint("王五", "2026-11-04T10:00+08:00", "翠湖天地", "外墙渗漏");
  CHECK(d.severity(c, "2026-11-04T10:05+08:00") == "general");
}

TEST_CASE("complaint: a closed similar complaint counts but is not raised") {
  complaint_desk d;
  const std::string now = "2026-11-05T10:00+08:00";
  const std::string a = d.complaint("张三", "2026-11-02T10:00+08:00", "翠湖天地", "屋面渗漏", "grievance");
  d.must("liu.yang", "2026-11-02T11:00+08:00", {"do", a, "answer", "--set", "cause=防水层老化", "--comment", "已回复"});
  d.must("zhang.wei", "2026-11-02T15:00+08:00", {"do", a, "talked_resolved", "--comment", "已沟通"});
  d.must("zhang.wei", "2026-11-02T16:00+08:00", {"do", a, "satisfied"});
  REQUIRE(d.json(now, {"show", a})["step"] == "closed");
  const std::string b = d.complaint("李四", "2026-11-04T10:00+08:00");
  const std::string c = d.complaint("王五", "2026-11-05T10:00+08:00");
  CHECK(d.severity(b, now) == "hot");
  CHECK(d.severity(c, now) == "hot");
  CHECK(d.severity(a, now) == "general");
  CHECK(d.similar_raises(a, now).empty());
  const auto raised = d.similar_raises(c, now);
  REQUIRE(raised.size() == 1);
  CHECK(raised[0]["data"]["similar"]["cases"] == nlohmann::json{a, b});
  d.audit_clean(now);
}

TEST_CASE("complaint: an invalid complaint no longer counts as a similar complaint") {
  complaint_desk d;
  std::string a = d.must("zhang.wei", "2026-11-02T10:00+08:00",
                         {"start", "complaint", "--set", "customer=张三", "--set", "channel=phone", "--set",
                          "summary=顶楼屋面漏水", "--set", "category=engineering_quality", "--set", "sub_type=屋面渗漏",
                          "--set", "project=翠湖天地"});
  a.pop_back();
  d.must("zhang.wei", "2026-11-02T10:10+08:00", {"do", a, "invalid", "--set", "invalid_reason=非本公司项目"});
  d.must("chen.jing", "2026-11-02T10:20+08:00", {"do", a, "sign", "--comment", "确认无效"});
  d.complaint("李四", "2026-11-03T10:00+08:00");
  const std::string c = d.complaint("王五", "2026-11-04T10:00+08:00");
  CHECK(d.severity(c, "2026-11-04T10:05+08:00") == "general");
}

TEST_CASE("complaint: a complaint opened with every similar field set is counted as it opens") {
  complaint_desk d;
  d.complaint("张三", "2026-11-02T10:00+08:00");
  const std::string b = d.complaint("李四", "2026-11-03T10:00+08:00");
  std::string c = d.must("zhang.wei", "2026-11-04T10:00+08:00",
                         {"start", "complaint", "--set", "customer=王五", "--set", "channel=visit", "--set",
                          "summary=顶楼屋面漏水", "--set", "category=engineering_quality", "--set", "sub_type=屋面渗漏",
                          "--set", "project=翠湖天地"});
  c.pop_back();
  CHECK(d.severity(c, "2026-11-04T10:05+08:00") == "hot");
  CHECK(d.severity(b, "2026-11-04T10:05+08:00") == "hot");
  d.audit_clean("2026-11-04T10:05+08:00");
}

TEST_CASE("complaint: group of 10 people is major") {
  complaint_desk d;
  std::string id = d.must("zhang.wei", "2026-11-02T10:00+08:00",
                          {"start", "complaint", "--set", "customer=业主代表张三", "--set", "channel=visit", "--set",
                           "summary=小区绿化与宣传不符", "--set", "complainants=10"});
  id.pop_back();
  d.must("zhang.wei", "2026-11-02T10:00+08:00", {"tick"});
  CHECK(d.severity(id, "2026-11-02T10:01+08:00") == "major");
  const auto history = d.json("2026-11-02T10:01+08:00", {"history", id})["events"];
  CHECK(std::any_of(history.begin(), history.end(), [](const nlohmann::json& e) {
    return e["kind"] == "notification_requested" && e["data"]["rule"] == "major_report";
  }));
  d.audit_clean("2026-11-02T10:01+08:00");
}

TEST_CASE("complaint: group of 9 people is hot, not major") {
  complaint_desk d;
  std::string id = d.must("zhang.wei", "2026-11-02T10:00+08:00",
                          {"start", "complaint", "--set", "customer=业主代表李四", "--set", "channel=visit", "--set",
                           "summary=车位配比不足", "--set", "complainants=9"});
  id.pop_back();
  d.must("zhang.wei", "2026-11-02T10:00+08:00", {"tick"});
  CHECK(d.severity(id, "2026-11-02T10:01+08:00") == "hot");
}

TEST_CASE("complaint: group of 3 people is hot") {
  complaint_desk d;
  std::string id = d.complaint("张三", "2026-11-02T10:00+08:00");
  CHECK(d.severity(id, "2026-11-02T10:01+08:00") == "general");
  d.must("liu.yang", "2026-11-02T10:30+08:00", {"do", id, "answer", "--set", "cause=防水层老化", "--comment", "已回复"});
  std::string group = d.must("zhang.wei", "2026-11-02T11:00+08:00",
                             {"start", "complaint", "--set", "customer=业主代表王五", "--set", "channel=letter", "--set",
                              "summary=电梯噪音", "--set", "complainants=3"});
  group.pop_back();
  d.must("zhang.wei", "2026-11-02T11:00+08:00", {"tick"});
  CHECK(d.severity(group, "2026-11-02T11:01+08:00") == "hot");
  CHECK(d.severity(id, "2026-11-02T11:01+08:00") == "general");
}

TEST_CASE("complaint: a repeat complaint is important") {
  complaint_desk d;
  const std::string id = d.complaint("张三", "2026-11-02T10:00+08:00", "翠湖天地", "屋面渗漏", "grievance");
  d.must("liu.yang", "2026-11-02T11:00+08:00", {"do", id, "answer", "--set", "cause=防水层老化", "--comment", "已回复"});
  d.must("zhang.wei", "2026-11-02T15:00+08:00", {"do", id, "talked_resolved", "--comment", "已沟通"});
  d.must("zhang.wei", "2026-11-02T16:00+08:00", {"do", id, "satisfied"});
  d.refused("zhang.wei", "2026-11-04T10:00+08:00", {"do", id, "reopen", "--comment", "又漏了"},
            "caseflow: action 'reopen' is not allowed now: its condition `repeat` is false (repeat = false)\n");
  d.must("zhang.wei", "2026-11-04T10:00+08:00", {"do", id, "reopen", "--set", "repeat=true", "--comment", "又漏了"});
  d.must("zhang.wei", "2026-11-04T10:00+08:00", {"tick"});
  const auto shown = d.json("2026-11-04T10:01+08:00", {"show", id});
  CHECK(shown["step"] == "handling");
  CHECK(shown["fields"]["severity"] == "important");
  d.audit_clean("2026-11-04T10:01+08:00");
}

}  // namespace
}  // namespace caseflow::test
