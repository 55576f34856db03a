// The `start_case` handler (actions/start_case.cpp): what it asks the runtime to open.
#include <doctest/doctest.h>

#include "actions/handler_fixture.h"

namespace caseflow::test {
namespace {

TEST_CASE("start_case: validation wants a procedure and knows its arguments") {
  const action_handler& start = builtin("start_case");
  CHECK(start.validate(nlohmann::json::parse(R"({"fields": {}})")) ==
        "start_case needs `procedure`: the id of the sub-case's procedure");
  CHECK(start.validate(nlohmann::json::parse(R"({"procedure": "x", "wiat": true})")) ==
        "unknown argument 'wiat'; start_case takes procedure, fields and wait");
  CHECK(start.validate(nlohmann::json::parse(R"({"procedure": "x", "wait": "yes"})")) == "`wait` must be true or false");
  CHECK(start.validate(nlohmann::json::parse(R"({"procedure": "x", "fields": {"a": [1]}})")) ==
        "the value of sub-case field 'a' must be a single value");
  CHECK(start.validate(nlohmann::json::parse(R"({"procedure": "x", "fields": {"a": "{case.id}"}, "wait": true})")).empty());
}

TEST_CASE("start_case: copies parent fields, renders templates and skips empty parent values") {
  const handler_case c({{"address", std::string("幸福里 3-201")}, {"phone", std::string("13800000001")},
                        {"visits", std::int64_t{2}}});
  const auto args = nlohmann::json::parse(R"({"procedure": "survey", "wait": true,
      "fields": {"where": "{case.address}", "phone": "{case.phone}", "title": "投诉 {case.id} 回访", "count": "{case.visits}",
                 "level": "{case.priority}", "rounds": 3}})");
  const auto effects = builtin("start_case").run(c.context(), args);
  REQUIRE(effects.subcases.size() == 1);
  const subcase_request& r = effects.subcases.front();
  CHECK(r.procedure == "survey");
  CHECK(r.wait);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"count", "2"}, {"phone", "13800000001"}, {"rounds", "3"}, {"title", "投诉 RP-1 回访"}, {"where", "幸福里 3-201"}};
  CHECK(r.fields == expected);  // `level` copies priority, which the case has no value for
  CHECK(effects.set.empty());
  CHECK(effects.messages.empty());
}

}  // namespace
}  // namespace caseflow::test
