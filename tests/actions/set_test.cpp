// The `set` handler (actions/set.cpp): its argument checks and the values it returns.
#include <doctest/doctest.h>

#include "actions/handler_fixture.h"

namespace caseflow::test {
namespace {

TEST_CASE("set: validation names an unknown field with a did-you-mean and a value outside an enum") {
  const action_handler& set = builtin("set");
  const procedure& p = handler_procedure();
  CHECK(set.validate_in(p, nlohmann::json::parse(R"({"prioriti": "high"})")) ==
        "unknown field 'prioriti'; did you mean 'priority'?");
  CHECK(set.validate_in(p, nlohmann::json::parse(R"({"priority": "hgh"})")) ==
        "field 'priority': 'hgh' is not one of low | normal | high; did you mean 'high'?");
  CHECK(set.validate_in(p, nlohmann::json::parse(R"({"visits": "many"})")).find("field 'visits'") == 0);
  CHECK(set.validate(nlohmann::json::parse("[]")) == "set takes a mapping of fields to values, e.g. { priority: high }");
  CHECK(set.validate(nlohmann::json::parse(R"({"priority": ["high"]})")) ==
        "the value of 'priority' must be a single value");
  CHECK(set.validate_in(p, nlohmann::json::parse(R"({"priority": "high", "visits": 2, "urgent": true})")).empty());
}

TEST_CASE("set: run returns the fields typed by the procedure and sends nothing") {
  const handler_case c;
  const auto effects =
      builtin("set").run(c.context(), nlohmann::json::parse(R"({"priority": "high", "visits": 2, "urgent": true})"));
  REQUIRE(effects.set.size() == 3);
  CHECK(effects.set.at("priority") == value(std::string("high")));
  CHECK(effects.set.at("visits") == value(std::int64_t{2}));
  CHECK(effects.set.at("urgent") == value(true));
  CHECK(effects.messages.empty());
  CHECK(effects.subcases.empty());
}

}  // namespace
}  // namespace caseflow::test
