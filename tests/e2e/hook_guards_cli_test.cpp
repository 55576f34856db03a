// End-to-end `when:` on hook calls (issue 15 §4), through the real `caseflow` binary: a
// complaint desk tells the property department only about property complaints and the
// coordination center only after phone and email complaints; a guard that is false leaves no
// event and no outbox row; `verify` and `replay` stay green either way; `validate` names a
// bad guard at its file:line:col.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"

namespace caseflow::test::hook_guards_cli {
namespace {

constexpr const char* k_desk = R"(procedure: desk
name: { zh: 投诉受理, en: Complaint desk }
case_id: "DK-{yyyy}-{seq:03}"
roles: { clerk: 客服专员, property: 物业管理部, coordinator: 集团客户协调中心 }
fields:
  summary: { type: text, required: true }
  category: { type: enum, values: [engineering_quality, property_management], required: true }
  channel: { type: enum, values: [phone, email, letter], required: true }
start: handling
steps:
  handling:
    role: clerk
    on_enter:
      - when: 'category == "property_management"'
        notify: { to: [property], message: "物业投诉 {case.id}：{case.summary}" }
    actions:
      handled: closed
  closed:
    terminal: true
    on_enter:
      - when: 'channel in ["phone", "email"]'
        notify: { to: [coordinator], message: "{case.id} 已处理" }
)";

constexpr const char* k_org = R"(people:
  ann: { name: 安娜, roles: [clerk] }
  pan: { name: 潘悦, roles: [property] }
  sun: { name: 孙丽, roles: [coordinator] }
)";

class desk_session {
 public:
  explicit desk_session(const std::string& desk = k_desk) {
    const auto procedures = dir_.path() / "procedures";
    std::filesystem::create_directories(procedures);
    std::filesystem::copy(std::string(CASEFLOW_SOURCE_DIR) + "/processes/calendars", procedures / "calendars");
    std::ofstream(procedures / "desk.yaml") << desk;
    std::ofstream(procedures / "org.yaml") << k_org;
  }
  run_result cf(const std::string& now, std::vector<std::string> args) {
    std::vector<std::string> all{"--procedures", (dir_.path() / "procedures").string(), "--db", dir_.db(), "--now", now};
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir_);
  }
  std::string must(const std::string& now, std::vector<std::string> args) {
    const run_result r = cf(now, std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  nlohmann::json json(const std::string& now, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    return nlohmann::json::parse(must(now, std::move(args)));
  }
  std::string open(const std::string& category, const std::string& channel) {
    const std::string out = must("2026-03-02T10:00+08:00", {"--as", "ann", "start", "desk", "--set", "summary=漏水",
                                                            "--set", "category=" + category, "--set", "channel=" + channel});
    return out.substr(0, out.size() - 1);
  }
  // The case's events, one line each: kind, and for a handler's effect its hook and message.
  std::string events(const std::string& id) {
    std::string out;
    const nlohmann::json history = json("2026-03-02T11:00+08:00", {"history", id});
    for (const auto& e : history["events"]) {
      out += e["kind"].get<std::string>();
      if (e["data"].contains("hook"))
        out += " (" + e["data"]["hook"].get<std::string>() + ") " +
               e["data"]["messages"][0]["payload"]["message"].get<std::string>();
      out += "\n";
    }
    return out;
  }

 private:
  scratch_dir dir_;
};

TEST_CASE("hook guards (cli): each guard decides its notice; a false one records nothing") {
  desk_session s;
  const std::string property = s.open("property_management", "letter");
  const std::string phoned = s.open("engineering_quality", "phone");
  s.must("2026-03-02T10:30+08:00", {"--as", "ann", "do", property, "handled"});
  s.must("2026-03-02T10:30+08:00", {"--as", "ann", "do", phoned, "handled"});
  CHECK(s.events(property) ==
        "case_started\n"
        "messages_requested (on_enter of step 'handling') 物业投诉 DK-2026-001：漏水\n"
        "action_taken\n");
  CHECK(s.events(phoned) ==
        "case_started\n"
        "action_taken\n"
        "messages_requested (on_enter of step 'closed') DK-2026-002 已处理\n");
  // No channel is configured: each notice that was made is one dead outbox row, and only those.
  const nlohmann::json rows = s.json("2026-03-02T11:00+08:00", {"outbox"})["messages"];
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]["payload"]["to"] == nlohmann::json::parse(R"(["property"])"));
  CHECK(rows[1]["payload"]["to"] == nlohmann::json::parse(R"(["coordinator"])"));
  CHECK(s.must("2026-03-02T11:00+08:00", {"verify"}).rfind("verified: ", 0) == 0);
  CHECK(s.must("2026-03-02T11:00+08:00", {"replay"}) == "replayed 2 cases: all match their log\n");
}

TEST_CASE("hook guards (cli): validate names a guard's unknown field at its file:line:col") {
  std::string desk = k_desk;
  desk.replace(desk.find("'channel in"), 11, "'chanel in");
  desk_session s(desk);
  const run_result r = s.cf("2026-03-02T10:00+08:00", {"validate"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("desk.yaml:21:16: guard of a call in on_enter of step 'closed': unknown field 'chanel'; did you "
                   "mean 'channel'?") != std::string::npos);
}

}  // namespace
}  // namespace caseflow::test::hook_guards_cli
