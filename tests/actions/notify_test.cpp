// The `notify` handler (actions/notify.cpp) as a procedure hook calls it: Chinese and
// English templates, recipients by role, quiet hours against the procedure's calendar.
#include <stdlib.h>

#include <string>
#include <utility>
#include <vector>

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

// When a non-urgent message raised at `raised` (Beijing time) goes with quiet hours on: the next
// working moment of cn-mainland (09:00-12:00, 13:00-18:00 on working days), worked out by hand
// from the official 2026 calendar (../shared/reference/cn-holidays-2026.md).
TEST_CASE("notify: quiet hours hold a message over weekends, holidays, lunch and the night, not on make-up days") {
  handler_registry registry;
  actions::register_builtins(registry, webhook_config(true));
  const auto args = nlohmann::json::parse(R"({"to": ["manager"], "message": "case {case.id} moved"})");
  const std::vector<std::pair<std::string, std::string>> table{
      {"2026-03-07T10:00+08:00", "2026-03-09T01:00:00Z"},  // Saturday: Monday 09:00
      {"2026-05-02T10:00+08:00", "2026-05-06T01:00:00Z"},  // Labour Day (1-5 May): Wednesday 6 May 09:00
      {"2026-03-03T12:30+08:00", "2026-03-03T05:00:00Z"},  // lunch break: 13:00
      {"2026-03-03T18:30+08:00", "2026-03-04T01:00:00Z"},  // after closing: next morning 09:00
      {"2026-05-09T10:00+08:00", "2026-05-09T02:00:00Z"},  // a make-up working Saturday: at once
      {"2026-03-03T10:00+08:00", "2026-03-03T02:00:00Z"},  // working hours: at once
  };
  for (const auto& [raised, goes] : table) {
    CAPTURE(raised);
    handler_case c;
    c.trigger.at = parse_instant(raised).value_or(instant{});
    const auto effects = registry.find("notify")->run(c.context(&cn_mainland()), args);
    REQUIRE(effects.messages.size() == 1);
    CHECK(format_instant_utc(effects.messages[0].not_before) == goes);
  }
}

TEST_CASE("notify: CASEFLOW_URGENT_RULES names rules whose messages go at once even in quiet hours") {
  ::setenv("CASEFLOW_QUIET_HOURS", "1", 1);
  ::setenv("CASEFLOW_URGENT_RULES", "hot_report,group_major", 1);
  ::setenv("CASEFLOW_WEBHOOK_URL", "http://127.0.0.1:9/hook", 1);
  const actions::delivery_config config = actions::delivery_config_from_env();
  ::unsetenv("CASEFLOW_QUIET_HOURS");
  ::unsetenv("CASEFLOW_URGENT_RULES");
  ::unsetenv("CASEFLOW_WEBHOOK_URL");
  CHECK(config.urgent_rules == std::vector<std::string>{"hot_report", "group_major"});
  handler_registry registry;
  actions::register_builtins(registry, config);
  handler_case c;
  c.trigger.at = parse_instant("2026-03-07T10:00+08:00").value_or(instant{});  // a Saturday
  auto sent_at = [&](const std::string& rule) {
    const auto effects = registry.find("notify")->run(
        c.context(&cn_mainland()),
        nlohmann::json{{"to", {"manager"}}, {"message", "case {case.id}"}, {"rule", rule}});
    REQUIRE(effects.messages.size() == 1);
    return effects.messages[0].not_before;
  };
  CHECK(sent_at("hot_report") == instant{});
  CHECK(sent_at("group_major") == instant{});
  CHECK(format_instant_utc(sent_at("weekly_report")) == "2026-03-09T01:00:00Z");
}

}  // namespace
}  // namespace caseflow::test
