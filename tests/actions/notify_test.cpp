// The `notify` handler (actions/notify.cpp) as a procedure hook calls it: Chinese and
// English templates, recipients by role, quiet hours against the procedure's calendar.
#include <doctest/doctest.h>

#include "actions/handler_fixture.h"
#include "caseflow/calendar.h"

namespace caseflow::test {
namespace {

const calendar& cn_mainland() {
  static const calendar_set set = [] {
    diagnostics problems;
    auto loaded = load_calendars(std::string(CASEFLOW_SOURCE_DIR) + "/processes/calendars", &problems);
    REQUIRE_FALSE(has_errors(problems));
    return loaded;
  }();
  const calendar* cal = set.find("cn-mainland");
  REQUIRE(cal != nullptr);
  return *cal;
}

actions::delivery_config webhook_config(bool quiet_hours) {
  actions::delivery_config config;
  config.webhook_url = "http://127.0.0.1:9/hook";
  config.quiet_hours = quiet_hours;
  return config;
}

TEST_CASE("notify: a hook's Chinese template names the case and reaches the people holding the role") {
  handler_registry registry;
  actions::register_builtins(registry, webhook_config(false));
  const handler_case c({{"address", std::string("幸福里 3-201")}});
  const auto args = nlohmann::json::parse(R"({"to": ["manager"], "message": "案件 {case.id} 已转交，地址 {case.address}"})");
  REQUIRE(registry.find("notify")->validate(args).empty());
  const auto effects = registry.find("notify")->run(c.context(), args);
  REQUIRE(effects.messages.size() == 1);
  CHECK(effects.messages[0].payload["message"] == "案件 RP-1 已转交，地址 幸福里 3-201");
  CHECK(effects.messages[0].payload["recipients"][0]["id"] == "max");
  CHECK(effects.messages[0].not_before == instant{});
}

TEST_CASE("notify: with quiet hours a non-urgent message at 03:00 on a working day waits for 09:00; an urgent one "
          "goes at once") {
  handler_registry registry;
  actions::register_builtins(registry, webhook_config(true));
  handler_case c;
  c.trigger.at = parse_instant("2026-03-03T03:00+08:00").value_or(instant{});  // a Tuesday
  const auto general = registry.find("notify")->run(
      c.context(&cn_mainland()), nlohmann::json::parse(R"({"to": ["manager"], "message": "case {case.id} moved"})"));
  REQUIRE(general.messages.size() == 1);
  CHECK(format_instant_utc(general.messages[0].not_before) == "2026-03-03T01:00:00Z");  // 09:00 Beijing
  const auto urgent = registry.find("notify")->run(
      c.context(&cn_mainland()),
      nlohmann::json::parse(R"({"to": ["manager"], "message": "case {case.id} is major", "urgent": true})"));
  REQUIRE(urgent.messages.size() == 1);
  CHECK(urgent.messages[0].not_before == instant{});
}

}  // namespace
}  // namespace caseflow::test
