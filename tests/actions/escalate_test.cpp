// The `escalate` handler (actions/escalate.cpp): raises enum fields, never lowers them, with
// a reason.
#include <doctest/doctest.h>

#include "actions/handler_fixture.h"

namespace caseflow::test {
namespace {

TEST_CASE("escalate: validation wants a reason and an enum field with one of its values") {
  const action_handler& escalate = builtin("escalate");
  const procedure& p = handler_procedure();
  CHECK(escalate.validate_in(p, nlohmann::json::parse(R"({"severity": "hot"})")) ==
        "escalate needs `reason`: why the case is escalated");
  CHECK(escalate.validate_in(p, nlohmann::json::parse(R"({"reason": "二次投诉"})")) ==
        "escalate needs the field to raise and its level, e.g. severity: important");
  CHECK(escalate.validate_in(p, nlohmann::json::parse(R"({"severty": "hot", "reason": "x"})")) ==
        "unknown field 'severty'; did you mean 'severity'?");
  CHECK(escalate.validate_in(p, nlohmann::json::parse(R"({"severity": "critical", "reason": "x"})")) ==
        "field 'severity': 'critical' is not one of general | important | hot | major");
  CHECK(escalate.validate_in(p, nlohmann::json::parse(R"({"address": "x", "reason": "x"})")) ==
        "only enum fields can be escalated ('address' is text); use set:");
  CHECK(escalate.validate_in(p, nlohmann::json::parse(R"({"severity": "important", "reason": "二次投诉"})")).empty());
}

TEST_CASE("escalate: raises a lower level with the reason and never lowers a higher one") {
  const auto args = nlohmann::json::parse(R"({"severity": "important", "reason": "二次投诉"})");
  const handler_case general({{"severity", std::string("general")}});
  const auto raised = builtin("escalate").run(general.context(), args);
  REQUIRE(raised.set.size() == 1);
  CHECK(raised.set.at("severity") == value(std::string("important")));
  CHECK(raised.reason == "escalate: 二次投诉");

  const handler_case hot({{"severity", std::string("hot")}});
  CHECK(builtin("escalate").run(hot.context(), args).set.empty());
  const handler_case same({{"severity", std::string("important")}});
  CHECK(builtin("escalate").run(same.context(), args).set.empty());
}

}  // namespace
}  // namespace caseflow::test
