// The `similar:` block (caseflow/similar.h, loader/similar_loader.cpp): loading, checking, and the
// pure helpers the runtime counts and raises with.
#include "caseflow/similar.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/loader.h"

namespace caseflow {
namespace {

std::string with_similar(const std::string& block) {
  return R"(procedure: demo
roles: { clerk: 文员 }
fields:
  who: { type: text, personal: true }
  topic: { type: text }
  site: { type: text }
  level: { type: enum, values: [low, high, top], default: low }
  count: int
start: open
steps:
  open: { role: clerk, actions: { end: done, settle: settled } }
  settled: { role: clerk, resolved: true, actions: { reopen: open } }
  done: { terminal: true }
)" + block;
}

std::vector<std::string> problems_of(const std::string& text) {
  diagnostics out;
  load_procedure_text(text, "demo.yaml", &out);
  std::vector<std::string> lines;
  for (const auto& d : out) lines.push_back(to_string(d));
  return lines;
}

procedure loaded(const std::string& text) {
  diagnostics out;
  auto p = load_procedure_text(text, "demo.yaml", &out);
  REQUIRE(p.has_value());
  return *p;
}

const std::string k_block = R"(similar:
  same: [topic, site]
  within: 1 month
  distinct: who
  rules:
    - { rule: three, at_least: 3, raise: { level: high }, message: three people }
)";

TEST_CASE("similar: a block names the fields, the window, the distinct field and the rules") {
  const procedure p = loaded(with_similar(k_block));
  REQUIRE(p.similar.has_value());
  CHECK(p.similar->same == std::vector<std::string>{"topic", "site"});
  CHECK(p.similar->within.kind == duration::unit::calendar_months);
  CHECK(p.similar->distinct == "who");
  REQUIRE(p.similar->rules.size() == 1);
  CHECK(p.similar->rules[0].id == "three");
  CHECK(p.similar->rules[0].at_least == 3);
  CHECK(std::get<std::string>(p.similar->rules[0].raise.at("level")) == "high");
  CHECK(p.similar->rules[0].message == "three people");
}

TEST_CASE("similar: bad blocks are reported with file, line and column") {
  CHECK(problems_of(with_similar("similar: { same: [topik], within: 30d, distinct: who, rules: [] }")) ==
        std::vector<std::string>{"demo.yaml:14:18: similar: unknown field 'topik'; did you mean 'topic'?"});
  CHECK(problems_of(with_similar("similar: { same: [topic], within: 2 working days, distinct: who, rules: [] }")) ==
        std::vector<std::string>{
            "demo.yaml:14:35: similar: within '2 working days' must be plain time (e.g. 30d, 2 weeks, 1 month)"});
  CHECK(problems_of(with_similar("similar: { same: [topic], within: 30d, distinct: who, rules: [{ rule: r, at_least: 1, "
                                 "raise: { level: high } }] }")) ==
        std::vector<std::string>{"demo.yaml:14:84: similar-cases rule 'r': at_least must be a whole number of at least 2, "
                                 "not '1'"});
  CHECK(problems_of(with_similar("similar: { same: [topic], within: 30d, distinct: who, rules: [{ rule: r, at_least: 2, "
                                 "raise: { count: 3 } }] }")) ==
        std::vector<std::string>{"demo.yaml:14:96: similar-cases rule 'r': only enum fields can be raised ('count' is int)"});
  CHECK(problems_of(with_similar("similar: { same: [topic], within: 30d, distinct: who, rules: [{ rule: r, at_least: 2, "
                                 "raise: { level: hihg } }] }")) ==
        std::vector<std::string>{
            "demo.yaml:14:103: similar-cases rule 'r': 'hihg' is not one of the values of 'level'"});
  const auto unknown = problems_of(with_similar("similar: { same: [topic], within: 30d, distinct: who, rules: [], count: 3 }"));
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].find("demo.yaml:14:") == 0);
  CHECK(unknown[0].find("unknown key 'count' in similar") != std::string::npos);
}

TEST_CASE("similar: the signature needs every same field and the distinct one, and ends in a terminal step") {
  const procedure p = loaded(with_similar(k_block));
  case_state c;
  c.seq = 1;
  c.step = "open";
  c.fields = {{"who", std::string("张三")}, {"topic", std::string("漏水")}};
  CHECK_FALSE(signature_of(p, c).has_value());
  c.fields["site"] = std::string("3号楼");
  REQUIRE(signature_of(p, c).has_value());
  CHECK(signature_of(p, c)->same == std::vector<std::string>{"漏水", "3号楼"});
  CHECK(signature_of(p, c)->distinct == "张三");
  c.step = "settled";
  CHECK(signature_of(p, c).has_value());
  c.step = "done";
  CHECK_FALSE(signature_of(p, c).has_value());
}

TEST_CASE("similar: the window of one month is a calendar month, both ways") {
  const procedure p = loaded(with_similar(k_block));
  const instant jan31 = *parse_instant("2026-01-31T10:00:00Z");
  CHECK(within_window(*p.similar, nullptr, jan31, *parse_instant("2026-03-02T10:00:00Z")));   // 30 days
  CHECK(within_window(*p.similar, nullptr, *parse_instant("2026-03-02T10:00:00Z"), jan31));
  CHECK_FALSE(within_window(*p.similar, nullptr, jan31, *parse_instant("2026-03-04T10:00:01Z")));  // 32 days
  const procedure days = loaded(with_similar("similar: { same: [topic], within: 7d, distinct: who, rules: [] }"));
  CHECK(within_window(*days.similar, nullptr, jan31, instant{jan31.seconds + 7 * 86400}));
  CHECK_FALSE(within_window(*days.similar, nullptr, jan31, instant{jan31.seconds + 7 * 86400 + 1}));
}

TEST_CASE("similar: a raise never lowers a field and records the rule, the count and the other cases") {
  const procedure p = loaded(with_similar(k_block));
  case_state c;
  c.id = "demo-2026-00003";
  c.seq = 4;
  c.step = "open";
  c.fields = {{"level", std::string("low")}};
  const auto events = similar_raise(p, c, p.similar->rules[0], 3, {"demo-2026-00001", "demo-2026-00002"}, instant{100});
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == "fields_changed");
  CHECK(events[0].seq == 5);
  CHECK(events[0].actor == "system");
  CHECK(events[0].data["fields"] == nlohmann::json{{"level", "high"}});
  CHECK(events[0].data["rule"] == "three");
  CHECK(events[0].data["similar"]["count"] == 3);
  CHECK(events[0].data["similar"]["cases"] == nlohmann::json{"demo-2026-00001", "demo-2026-00002"});
  CHECK(events[0].data["reason"] ==
        "three people — similar-cases rule three: 3 distinct who within 1 month (similar cases: demo-2026-00001, "
        "demo-2026-00002)");
  c.fields["level"] = std::string("top");
  CHECK(similar_raise(p, c, p.similar->rules[0], 3, {}, instant{100}).empty());
}

}  // namespace
}  // namespace caseflow
