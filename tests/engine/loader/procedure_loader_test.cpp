#include "caseflow/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/org.h"

namespace caseflow {
namespace {

// Every diagnostic of loading `text` as "demo.yaml", as `file:line:col: message`.
std::vector<std::string> procedure_problems(const std::string& text) {
  diagnostics out;
  auto p = load_procedure_text(text, "demo.yaml", &out);
  std::vector<std::string> lines;
  for (const auto& d : out) lines.push_back(to_string(d));
  if (has_errors(out)) CHECK_FALSE(p.has_value());
  return lines;
}

// The single diagnostic `text` produces.
std::string only_problem(const std::string& text) {
  auto lines = procedure_problems(text);
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  INFO("diagnostics:\n", all);
  REQUIRE(lines.size() == 1);
  return lines.front();
}

// A valid procedure; tests below change one line of it at a time.
constexpr const char* k_valid = R"(procedure: demo
roles: { clerk: 文员, boss: 经理 }
fields:
  name: { type: text, required: true }
  amount: { type: money }
  level: { type: enum, values: [low, high] }
start: open
steps:
  open:
    role: clerk
    actions:
      submit: { to: review, requires: [amount] }
  review:
    role: boss
    actions:
      approve: { to: done, when: 'level == "high"' }
  done: { terminal: true }
)";

// k_valid with line `line` (1-based) replaced by `replacement`.
std::string with_line(int line, const std::string& replacement) {
  std::string text = k_valid, out;
  std::size_t start = 0;
  for (int n = 1; start < text.size(); ++n) {
    std::size_t end = text.find('\n', start);
    std::string current = text.substr(start, end - start);
    out += (n == line ? replacement : current) + "\n";
    start = end + 1;
  }
  return out;
}

TEST_CASE("loader: the base procedure loads clean") {
  diagnostics out;
  auto p = load_procedure_text(k_valid, "demo.yaml", &out);
  REQUIRE(p.has_value());
  CHECK(out.empty());
  CHECK(p->id == "demo");
  CHECK(p->start == "open");
  CHECK(p->steps.size() == 3);
  CHECK(p->find_step("review")->find_action("approve")->guard.has_value());
  // requires implies sets
  CHECK(p->find_step("open")->find_action("submit")->settable_fields == std::vector<std::string>{"amount"});
  CHECK(p->case_id_pattern == "demo-{yyyy}-{seq:05}");
  CHECK(p->hash.size() == 64);
}

TEST_CASE("loader: malformed YAML gives line and column") {
  CHECK(only_problem("procedure: demo\nroles: { clerk: x\nstart: open\n") ==
        "demo.yaml:3:6: malformed YAML: a '{' is not closed by a '}' (end of map flow not found)");
}

TEST_CASE("loader: unknown key suggests the near name") {
  CHECK(only_problem(with_line(17, "  done: { terminal: true, nme: 完成 }")) ==
        "demo.yaml:17:27: unknown key 'nme' in step 'done'; did you mean 'name'?");
}

TEST_CASE("loader: a misspelt role key is reported first, then its consequence") {
  const auto lines = procedure_problems(with_line(10, "    rol: clerk"));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "demo.yaml:10:5: unknown key 'rol' in step 'open'; did you mean 'role'?");
  CHECK(lines[1] == "demo.yaml:10:5: step 'open' needs a 'role:' (or a role on each action)");
}

TEST_CASE("loader: unknown top-level key suggests the near name") {
  CHECK(only_problem("verison: 1\n" + std::string(k_valid)) ==
        "demo.yaml:1:1: unknown key 'verison' in the procedure; did you mean 'version'?");
}

TEST_CASE("loader: wrong type of a boolean key") {
  CHECK(only_problem(with_line(4, "  name: { type: text, required: maybe }")) ==
        "demo.yaml:4:33: required must be true or false, not 'maybe'");
}

TEST_CASE("loader: unknown field type suggests the near type") {
  CHECK(only_problem(with_line(5, "  amount: { type: mony }")) ==
        "demo.yaml:5:19: field 'amount' has unknown type 'mony'; did you mean 'money'?; types are text, int, money, "
        "bool, enum, date, datetime");
}

TEST_CASE("loader: enum without values") {
  CHECK(only_problem(with_line(6, "  level: { type: enum, values: [low, high] }\n  kind: { type: enum }")) ==
        "demo.yaml:7:9: enum field 'kind' needs its values: [a, b, ...]");
}

TEST_CASE("loader: action to an undefined step suggests the near step") {
  CHECK(only_problem(with_line(12, "      submit: { to: review, requires: [amount] }\n      skip: { to: reveiw }")) ==
        "demo.yaml:13:19: action 'skip' of step 'open' leads to undefined step 'reveiw'; did you mean 'review'?");
}

TEST_CASE("loader: unknown role") {
  CHECK(only_problem(with_line(14, "    role: bos")) == "demo.yaml:14:11: unknown role 'bos'; did you mean 'boss'?");
}

TEST_CASE("loader: unknown field in requires") {
  const auto lines = procedure_problems(with_line(12, "      submit: { to: review, requires: [amout] }"));
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.front() == "demo.yaml:12:39: unknown field 'amout'; did you mean 'amount'?");
}

// Required fields are also settable; an unknown one is still reported once.
TEST_CASE("loader: unknown field in requires is reported once") {
  CHECK(only_problem(with_line(12, "      submit: { to: review, requires: [amout] }")) ==
        "demo.yaml:12:39: unknown field 'amout'; did you mean 'amount'?");
}

TEST_CASE("loader: unreachable step") {
  const std::string text = std::string(k_valid) + "  limbo:\n    role: clerk\n    actions: { back: open }\n";
  CHECK(only_problem(text) == "demo.yaml:19:5: step 'limbo' is unreachable from the start step 'open'");
}

TEST_CASE("loader: non-terminal step without actions") {
  CHECK(only_problem(with_line(17, "  done: { name: 完成 }")) ==
        "demo.yaml:17:9: step 'done' has no way out: give it actions or mark it 'terminal: true'");
}

TEST_CASE("loader: terminal step with actions") {
  CHECK(only_problem(with_line(17, "  done: { terminal: true, actions: { again: open } }")) ==
        "demo.yaml:17:36: terminal step 'done' cannot have actions; use 'resolved: true' for a closed step that can "
        "be reopened");
}

TEST_CASE("loader: guard that does not parse") {
  CHECK(only_problem(with_line(16, "      approve: { to: done, when: 'level == ' }")) ==
        "demo.yaml:16:44: guard of action 'approve': expected a value after '=='");
}

TEST_CASE("loader: guard on an unknown field suggests the near field") {
  CHECK(only_problem(with_line(16, "      approve: { to: done, when: 'levl == \"high\"' }")) ==
        "demo.yaml:16:35: guard of action 'approve': unknown field 'levl'; did you mean 'level'?");
}

TEST_CASE("loader: guard comparing mismatched types") {
  CHECK(only_problem(with_line(16, "      approve: { to: done, when: 'amount == level' }")) ==
        "demo.yaml:16:42: guard of action 'approve': cannot compare 'amount' (money) with 'level' (enum)");
}

TEST_CASE("loader: bad case_id pattern") {
  CHECK(only_problem("case_id: \"TS-{yyyy}\"\n" + std::string(k_valid)) ==
        "demo.yaml:1:10: case_id 'TS-{yyyy}' needs exactly one serial placeholder such as {seq:05}");
}

TEST_CASE("loader: missing start") {
  CHECK(only_problem(with_line(7, "")) == "demo.yaml:1:1: missing 'start:' (the first step)");
}

TEST_CASE("loader: start step that is not defined") {
  const auto lines = procedure_problems(with_line(7, "start: opn"));
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.front() == "demo.yaml:7:8: start step 'opn' is not defined; did you mean 'open'?");
}

TEST_CASE("loader: every problem is reported at once") {
  std::string text = k_valid;
  text.replace(text.find("type: money"), 11, "type: mony");
  text.replace(text.find("role: boss"), 10, "role: bos");
  text.replace(text.find("{ terminal: true }"), 18, "{ terminal: true, nme: 完成 }");
  auto lines = procedure_problems(text);
  std::sort(lines.begin(), lines.end());
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "demo.yaml:14:11: unknown role 'bos'; did you mean 'boss'?");
  CHECK(lines[1] == "demo.yaml:17:27: unknown key 'nme' in step 'done'; did you mean 'name'?");
  CHECK(lines[2] == "demo.yaml:5:19: field 'amount' has unknown type 'mony'; did you mean 'money'?; types are text, "
                    "int, money, bool, enum, date, datetime");
}

TEST_CASE("loader: every shipped procedure loads clean") {
  const std::string dir = std::string(CASEFLOW_SOURCE_DIR) + "/processes";
  const auto files = procedure_files(dir);
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    CAPTURE(file);
    diagnostics out;
    auto p = load_procedure_file(file, &out);
    std::string all;
    for (const auto& d : out) all += to_string(d) + "\n";
    CHECK_MESSAGE(out.empty(), all);
    CHECK(p.has_value());
  }
  diagnostics out;
  auto library = load_procedure_library(dir, &out);
  CHECK(out.empty());
  CHECK(library.find("complaint") != nullptr);
}

TEST_CASE("loader: the shipped organisation loads clean") {
  diagnostics out;
  auto org = load_organisation(std::string(CASEFLOW_SOURCE_DIR) + "/processes/org.yaml", &out);
  CHECK(out.empty());
  REQUIRE(org.find("wang.fang") != nullptr);
  CHECK(org.find("wang.fang")->holds("cs_manager"));
  CHECK_FALSE(org.delegations().empty());
}

// Writes `text` to a temporary org.yaml and loads it.
std::vector<std::string> org_problems(const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "caseflow_loader_test";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "org.yaml").string();
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  diagnostics out;
  load_organisation(path, &out);
  std::filesystem::remove_all(dir);
  std::vector<std::string> lines;
  for (const auto& d : out) {
    std::string line = to_string(d);
    lines.push_back(line.substr(line.find("org.yaml")));
  }
  return lines;
}

TEST_CASE("loader: org with an unknown key") {
  const auto lines = org_problems("people:\n  a: { name: A, role: [clerk] }\n");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "org.yaml:2:17: unknown key 'role' in person 'a'; did you mean 'roles'?");
}

TEST_CASE("loader: org delegation for an unknown person") {
  const auto lines = org_problems(
      "people:\n"
      "  ann: { roles: [boss] }\n"
      "  bob: { roles: [clerk] }\n"
      "delegations:\n"
      "  - { deputy: bob, for: anne, from: 2026-12-01, until: 2026-12-15 }\n");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "org.yaml:5:5: delegation names unknown person 'anne'; did you mean 'ann'?");
}

TEST_CASE("loader: missing org file is a diagnostic") {
  diagnostics out;
  load_organisation("/nonexistent/org.yaml", &out);
  REQUIRE(out.size() == 1);
  CHECK(to_string(out[0]) == "/nonexistent/org.yaml: cannot read the organisation file");
}

// find_step goes through the index the loader builds (procedure::step_positions); an index
// left stale by a later change to `steps` makes it slower, never wrong.
TEST_CASE("loader: steps are found through their index, and a stale index is never wrong") {
  diagnostics out;
  auto p = load_procedure_text(k_valid, "demo.yaml", &out);
  REQUIRE(p.has_value());
  CHECK(p->step_positions.size() == 3);
  for (const char* id : {"open", "review", "done"}) {
    REQUIRE(p->find_step(id) != nullptr);
    CHECK(p->find_step(id)->id == id);
  }
  CHECK(p->find_step("closed") == nullptr);
  procedure changed = *p;  // the index is copied with the positions it holds
  changed.steps.erase(changed.steps.begin());
  changed.steps.push_back(step_def{});
  changed.steps.back().id = "archived";
  CHECK(changed.find_step("open") == nullptr);
  for (const char* id : {"review", "done", "archived"}) {
    REQUIRE(changed.find_step(id) != nullptr);
    CHECK(changed.find_step(id)->id == id);
  }
}

// Bounds on what a YAML file may hold (base/yaml_reader.cpp): a file over 8 MiB is refused before
// it is parsed; an alias bomb and a deep nesting are refused from the parser's events.
TEST_CASE("loader: a file over 8 MiB is refused before it is parsed") {
  std::string text = "procedure: big\n# ";
  text += std::string((8 << 20) - text.size() + 1, 'x');
  REQUIRE(text.size() == (8 << 20) + 1);
  diagnostics out;
  CHECK_FALSE(load_procedure_text(text, "big.yaml", &out).has_value());
  REQUIRE(out.size() == 1);
  CHECK(to_string(out[0]) == "big.yaml:1:1: the file is 8388609 bytes; caseflow reads YAML files of at most 8388608 bytes");
}

TEST_CASE("loader: 64 levels of nesting are read, 65 are refused") {
  for (const int depth : {64, 65}) {
    CAPTURE(depth);
    // The document's own map is the first level.
    const std::string text = "x: " + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "\n";
    diagnostics out;
    load_organisation_text(text, "org.yaml", &out);
    const bool refused = std::any_of(out.begin(), out.end(), [](const diagnostic& d) {
      return d.message == "the YAML nests deeper than 64 levels here; caseflow reads at most 64";
    });
    CHECK(refused == (depth == 65));
  }
}

}  // namespace
}  // namespace caseflow
