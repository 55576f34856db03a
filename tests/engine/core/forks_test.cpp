// Forks declared in YAML (`parallel:`): the loader's errors at file:line:col, decide() opening a
// fork's branches on entry (also at the start step and inside a branch), a join by N, leaving a
// fork step refused or cancelling, and forks nested deeper than k_max_fork_depth refused.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/conformance.h"
#include "caseflow/core.h"
#include "caseflow/loader.h"
#include "engine/test_support.h"

namespace caseflow {
namespace forks {
namespace {

using test::k_today;

// A repair survey co-signed on site (现场勘察会签): three parties check, two signatures suffice;
// the engineering check itself forks into a measurement and a photo record.
constexpr const char* k_survey = R"(procedure: survey
case_id: "SV-{seq:03}"
roles: { coordinator: 协调员, engineer: 工程师, owner_rep: 业主代表, property: 物业 }
fields:
  note: { type: text }
start: intake
steps:
  intake:
    role: coordinator
    actions:
      survey: { to: survey }
  survey:
    role: coordinator
    parallel:
      branches:
        engineering: { from: engineering, until: signed }
        owner: { from: owner_check, until: signed }
        property: { from: property_check, until: signed }
      join: at least 2
      then: report
    actions:
      abandon: { to: abandoned }
  engineering:
    role: engineer
    parallel:
      branches:
        measure: { from: measuring, until: recorded }
        photos: { from: photographing, until: recorded }
      then: engineering_sign
  measuring:
    role: engineer
    actions:
      measured: { to: recorded }
  photographing:
    role: engineer
    actions:
      photographed: { to: recorded }
  recorded: {}
  engineering_sign:
    role: engineer
    actions:
      sign: { to: signed }
  owner_check:
    role: owner_rep
    actions:
      sign: { to: signed }
  property_check:
    role: property
    actions:
      sign: { to: signed }
  signed: {}
  report:
    role: coordinator
    actions:
      close: { to: closed }
  abandoned: { terminal: true }
  closed: { terminal: true }
)";

const procedure& survey() {
  static const procedure p = [] {
    diagnostics out;
    auto loaded = load_procedure_text(k_survey, "survey.yaml", &out);
    INFO((out.empty() ? std::string() : to_string(out.front())));
    REQUIRE(loaded.has_value());
    return *loaded;
  }();
  return p;
}

const organisation& survey_org() {
  static const organisation o = [] {
    organisation built;
    built.add(person{"cat", "Cat", {"coordinator"}, "", ""});
    built.add(person{"eve", "Eve", {"engineer"}, "", ""});
    built.add(person{"oli", "Oli", {"owner_rep"}, "", ""});
    built.add(person{"pat", "Pat", {"property"}, "", ""});
    return built;
  }();
  return o;
}

command act(std::string actor, std::string action, std::string branch = "") {
  command cmd;
  cmd.type = command::kind::act;
  cmd.actor = std::move(actor);
  cmd.action = std::move(action);
  cmd.branch = std::move(branch);
  return cmd;
}

// Decides `cmd` on `c` (it must be allowed), folds its events into `c` and the log; returns them.
std::vector<event> take(case_state& c, std::vector<event>& log, const command& cmd) {
  const decision d = decide(survey(), survey_org(), c, cmd, k_today);
  INFO((d.refused ? d.refused->message : std::string()));
  REQUIRE(d);
  for (const auto& e : d.events) {
    c = apply(survey(), std::move(c), e);
    log.push_back(e);
  }
  return d.events;
}

std::vector<std::string> shape(const std::vector<event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.kind + " " + e.branch + " " + e.from_step + ">" + e.to_step);
  return out;
}

// A case of `survey` opened by cat and sent to the survey.
case_state surveyed(std::vector<event>& log) {
  command start;
  start.type = command::kind::start;
  start.actor = "cat";
  case_state c;
  c.id = "SV-001";
  take(c, log, start);
  take(c, log, act("cat", "survey"));
  return c;
}

std::string first_error(const char* text) {
  diagnostics out;
  const auto loaded = load_procedure_text(text, "p.yaml", &out);
  CHECK_FALSE(loaded.has_value());
  for (const auto& d : out)
    if (d.level == diagnostic_level::error) return to_string(d);
  return "";
}

// k_survey with `from` replaced by `to` (once).
std::string edited(const std::string& from, const std::string& to) { return test::replace_once(k_survey, from, to); }

TEST_CASE("forks: entering a fork step opens its branches, and a fork inside a branch opens with it") {
  std::vector<event> log;
  const case_state c = surveyed(log);
  CHECK(shape(std::vector<event>(log.begin() + 1, log.end())) ==
        std::vector<std::string>{"action_taken  intake>survey", "branches_opened  survey>survey",
                                 "branches_opened engineering engineering>engineering"});
  CHECK(log[2].data["join"] == nlohmann::json{{"mode", "at_least"}, {"at_least", 2}, {"target", "report"}});
  CHECK(c.open_branches() ==
        std::vector<std::string>{"engineering", "owner", "property", "engineering/measure", "engineering/photos"});
  CHECK(c.find_branch("engineering/photos")->step == "photographing");
  CHECK(c.find_branch("engineering/photos")->parent == "engineering");
  CHECK(check_conformance(survey(), survey_org(), nullptr, log).empty());
}

TEST_CASE("forks: a nested join moves its branch on, and a join by 2 of 3 cancels the third") {
  std::vector<event> log;
  case_state c = surveyed(log);
  take(c, log, act("eve", "measured", "engineering/measure"));
  CHECK(shape(take(c, log, act("eve", "photographed", "engineering/photos"))) ==
        std::vector<std::string>{"action_taken engineering/photos photographing>recorded",
                                 "branch_finished engineering/photos recorded>recorded",
                                 "branches_joined engineering engineering>engineering_sign"});
  take(c, log, act("oli", "sign", "owner"));
  CHECK(c.step == "survey");
  CHECK(shape(take(c, log, act("eve", "sign", "engineering"))) ==
        std::vector<std::string>{"action_taken engineering engineering_sign>signed",
                                 "branch_finished engineering signed>signed",
                                 "branch_cancelled property property_check>property_check",
                                 "branches_joined  survey>report"});
  CHECK(c.step == "report");
  CHECK(c.open_branches().empty());
  CHECK(check_conformance(survey(), survey_org(), nullptr, log).empty());
}

TEST_CASE("forks: leaving a fork step is refused by default and cancels its branches with leaving: cancel") {
  std::vector<event> log;
  case_state c = surveyed(log);
  const decision refused = decide(survey(), survey_org(), c, act("cat", "abandon"), k_today);
  REQUIRE(refused.refused.has_value());
  CHECK(refused.refused->message ==
        "action 'abandon' cannot leave step 'survey' of case SV-001 while the branches it opened are open: "
        "engineering (in engineering), owner (in owner_check), property (in property_check)");

  diagnostics out;
  const auto cancelling =
      load_procedure_text(edited("      then: report\n", "      then: report\n      leaving: cancel\n"), "s.yaml", &out);
  REQUIRE(cancelling.has_value());
  const decision left = decide(*cancelling, survey_org(), c, act("cat", "abandon"), k_today);
  REQUIRE(left);
  std::vector<std::string> kinds;
  for (const auto& e : left.events) kinds.push_back(e.kind + " " + e.branch + " " + e.data.value("reason", ""));
  CHECK(kinds == std::vector<std::string>{"action_taken  ", "branch_cancelled engineering left",
                                          "branch_cancelled owner left", "branch_cancelled property left"});
  case_state after = c;
  for (const auto& e : left.events) after = apply(*cancelling, std::move(after), e);
  CHECK(after.step == "abandoned");
  CHECK(after.open_branches().empty());  // the nested branches went with engineering
}

TEST_CASE("forks: an action open in several branches needs one named; unique ones are found") {
  std::vector<event> log;
  const case_state c = surveyed(log);
  const position_choice sign = choose_position(survey(), c, "sign");
  REQUIRE(sign.refused.has_value());
  CHECK(sign.refused->code == refusal_code::branch_ambiguous);
  CHECK(sign.refused->message == "action 'sign' is open in several branches of case SV-001: owner (in owner_check), "
                                 "property (in property_check); name one with --branch");
  CHECK(choose_position(survey(), c, "measured").branch == "engineering/measure");
  CHECK(choose_position(survey(), c, "abandon").branch.empty());
  CHECK_FALSE(choose_position(survey(), c, "abandon").refused.has_value());
}

TEST_CASE("forks: the loader's errors at file:line:col") {
  CHECK(first_error(edited("      join: at least 2\n", "      join: most\n").c_str()) ==
        "p.yaml:19:13: 'parallel' of step 'survey': join 'most' is not one of all | any | at least N (N a "
        "whole number from 1)");
  CHECK(first_error(edited("      join: at least 2\n", "      join: at least 4\n").c_str()) ==
        "p.yaml:19:13: 'parallel' of step 'survey': join 'at least 4' can never hold with 3 branches");
  CHECK(first_error(edited("then: report", "then: reprot").c_str()) ==
        "p.yaml:20:13: 'then' of step 'survey' names undefined step 'reprot'; did you mean 'report'?");
  CHECK(first_error(edited("owner: { from: owner_check, until: signed }", "owner: { from: owner_chek, until: signed }")
                        .c_str()) ==
        "p.yaml:17:24: 'from' of branch 'owner' of step 'survey' names undefined step 'owner_chek'; did you "
        "mean 'owner_check'?");
  CHECK(first_error(edited("owner: { from: owner_check, until: signed }", "owner: { from: owner_check, until: closed }")
                        .c_str()) ==
        "p.yaml:17:44: branch 'owner' of step 'survey' can never finish: no action on its way from "
        "'owner_check' leads to 'closed'");
  CHECK(first_error(edited("owner: { from: owner_check, until: signed }", "owner: { from: owner_check }").c_str()) ==
        "p.yaml:17:16: branch 'owner' of step 'survey' needs 'from:' (its first step) and 'until:' (the step "
        "that ends it)");
  CHECK(first_error(edited("        owner: {", "        own er: {").c_str()) ==
        "p.yaml:17:9: branch 'own er' of step 'survey': a branch name is an id (ids are 1 to 64 ASCII "
        "letters, digits, '.', '_' or '-', starting with a letter or digit): it has ' ' at position 4");
  CHECK(first_error(edited("      then: report\n", "      then: report\n      leaving: stay\n").c_str()) ==
        "p.yaml:21:16: 'parallel' of step 'survey': leaving 'stay' is not one of refuse | cancel");
  CHECK(first_error(edited("      sign: { to: signed }\n  owner_check", "      sign: { to: survey }\n  owner_check")
                        .c_str()) ==
        "p.yaml:16:30: branch 'engineering' of step 'survey' leads back into its own fork step 'survey'; a "
        "branch ends in its 'until' step");
}

TEST_CASE("forks: forks nest at most two deep") {
  // measuring becomes a fork inside engineering's fork, inside survey's: three deep.
  const std::string deep = edited("  measuring:\n    role: engineer\n    actions:\n      measured: { to: recorded }\n",
                                  "  measuring:\n    role: engineer\n    parallel:\n      branches:\n"
                                  "        left: { from: left_side, until: measured_both }\n"
                                  "      then: recorded\n"
                                  "  left_side:\n    role: engineer\n    actions:\n      done: { to: measured_both }\n"
                                  "  measured_both: {}\n");
  CHECK(first_error(deep.c_str()) ==
        "p.yaml:33:7: step 'measuring' is a fork 3 levels deep (inside the branches of other forks); forks "
        "nest at most 2 deep: a fork, and forks inside its branches");
}

}  // namespace
}  // namespace forks
}  // namespace caseflow
