// The `webhook` handler (actions/webhook_handler.cpp): the document it queues.
#include <doctest/doctest.h>

#include "actions/handler_fixture.h"

namespace caseflow::test {
namespace {

TEST_CASE("webhook handler: validation wants a body and knows its arguments") {
  const action_handler& hook = builtin("webhook");
  CHECK(hook.validate(nlohmann::json::parse(R"({"event": "crm"})")) == "webhook needs `body`: the JSON document to post");
  CHECK(hook.validate(nlohmann::json::parse(R"({"url": "http://x", "body": {}})")) ==
        "unknown argument 'url'; webhook takes event and body");
  CHECK(hook.validate(nlohmann::json::parse(R"({"event": 3, "body": {}})")) == "`event` must be a name");
  CHECK(hook.validate(nlohmann::json::parse(R"({"event": "crm", "body": {"a": 1}})")).empty());
}

TEST_CASE("webhook handler: queues one webhook message with the body's templates rendered") {
  const handler_case c({{"address", std::string("幸福里 3-201")}, {"phone", std::string("13800000001")}});
  const auto args = nlohmann::json::parse(
      R"({"event": "crm_ticket", "body": {"ticket": "{case.id}", "where": ["{case.address}", 7], "phone": "{case.phone}"}})");
  const auto effects = builtin("webhook").run(c.context(), args);
  REQUIRE(effects.messages.size() == 1);
  const outbound_message& m = effects.messages.front();
  CHECK(m.channel == "webhook");
  CHECK(m.not_before == instant{});
  CHECK(m.payload["event"] == "crm_ticket");
  CHECK(m.payload["case_id"] == "RP-1");
  CHECK(m.payload["event_id"] == 42);
  CHECK(m.payload["body"] == nlohmann::json::parse(R"({"ticket": "RP-1", "where": ["幸福里 3-201", 7], "phone": "***"})"));
}

}  // namespace
}  // namespace caseflow::test
