// Parallel work in the pure core: folding hand-written branch events (fork, act in each branch
// in either order, join all / any / at least N, cancel, nested, an unknown branch), deciding on
// branch positions, the state's JSON, and conformance per branch. Each test writes the fork's
// branches_opened event by hand; forks_test.cpp covers the ones the YAML opens.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/conformance.h"
#include "caseflow/core.h"
#include "caseflow/loader.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

using test::k_today;

// `answers` is the fork step; the branches' steps are ordinary steps (reachable by `single`,
// the path of a case with one department) and `answered` is where they end. The YAML declares
// the fork conformance expects (eng and legal, join any); the fold tests write other forks by
// hand, which apply() folds whatever the procedure says.
constexpr const char* k_works = R"(procedure: works
case_id: "WK-{seq:03}"
roles: { coordinator: 协调员, engineer: 工程师, lawyer: 法务 }
fields:
  answer: { type: text }
  urgent: { type: bool, default: false }
  amount: { type: money, default: 100 }
start: intake
steps:
  intake:
    role: coordinator
    actions:
      single: { to: draft }
      split: { to: answers }
  answers:
    role: coordinator
    parallel:
      branches:
        eng: { from: draft, until: answered }
        legal: { from: check, until: answered }
      join: any
      then: answered
    actions:
      remind: answers
      withdraw: { to: closed, comment: true }
  draft:
    role: engineer
    actions:
      submit: { to: check, sets: [answer], requires: [answer] }
      hurry: { to: check, when: 'urgent' }
  check:
    role: lawyer
    actions:
      pass: { to: answered }
      redo: { to: draft, comment: true }
  answered:
    role: coordinator
    actions:
      sign: { to: signoff }
  signoff:
    approve:
      amount: amount
      tiers:
        - { up_to: 1000000 inclusive, chain: [coordinator] }
        - { above: 1000000, chain: [coordinator] }
      not_by: [draft]
      approved: closed
      rejected: answered
  closed: { terminal: true }
)";

const procedure& works() {
  static const procedure p = [] {
    diagnostics out;
    auto loaded = load_procedure_text(k_works, "works.yaml", &out);
    INFO((out.empty() ? std::string() : to_string(out.front())));
    REQUIRE(loaded.has_value());
    return *loaded;
  }();
  return p;
}

const organisation& works_org() {
  static const organisation o = [] {
    organisation built;
    built.add(person{"ann", "Ann", {"engineer", "coordinator"}, "", ""});
    built.add(person{"bob", "Bob", {"engineer"}, "", ""});
    built.add(person{"lia", "Lia", {"lawyer"}, "", ""});
    built.add(person{"cat", "Cat", {"coordinator"}, "", ""});
    return built;
  }();
  return o;
}

// Event `seq` of case WK-001, at k_today plus `seq` minutes.
event works_event(std::int64_t seq, std::string_view kind, std::string branch, std::string from, std::string to,
                  std::string actor = "system", nlohmann::json data = nlohmann::json::object()) {
  event e;
  e.case_id = "WK-001";
  e.seq = seq;
  e.at = instant{k_today.now.seconds + seq * 60};
  e.actor = std::move(actor);
  e.kind = kind;
  e.from_step = std::move(from);
  e.to_step = std::move(to);
  e.branch = std::move(branch);
  e.data = std::move(data);
  e.definition_hash = works().hash;
  return e;
}

event works_action(std::int64_t seq, std::string branch, std::string action, std::string from, std::string to,
                   std::string actor, std::string role) {
  event e = works_event(seq, event_kind::action_taken, std::move(branch), std::move(from), std::move(to), std::move(actor));
  e.action = std::move(action);
  e.role = std::move(role);
  return e;
}

nlohmann::json works_branch(std::string id, std::string step, std::string value = "") {
  const std::string name = value.empty() ? id : id.substr(0, id.find('['));
  return {{"id", id}, {"name", name}, {"value", value}, {"step", step}, {"end", "answered"}};
}

// branches_opened at `seq` by position `parent` in its fork step `fork`.
event works_fork(std::int64_t seq, std::string parent, std::string fork, nlohmann::json join, nlohmann::json branches) {
  return works_event(seq, event_kind::branches_opened, std::move(parent), fork, fork, "system",
                     {{"fork", fork}, {"join", std::move(join)}, {"branches", std::move(branches)}});
}

// Events 1-3: started by cat in intake, split to answers, the fork opens `branches`.
std::vector<event> works_forked(nlohmann::json join, nlohmann::json branches) {
  event started = works_event(1, event_kind::case_started, "", "", "intake", "cat",
                              {{"procedure", "works"}, {"fields", {{"amount", "100.00"}, {"urgent", false}}}});
  started.role = "coordinator";
  return {started, works_action(2, "", "split", "intake", "answers", "cat", "coordinator"),
          works_fork(3, "", "answers", std::move(join), std::move(branches))};
}

case_state works_fold(const std::vector<event>& events, case_state c = {}) {
  for (const auto& e : events) c = apply(works(), std::move(c), e);
  return c;
}

// The two branches `eng` (from draft) and `legal` (from check) of the fork in `answers`.
const nlohmann::json k_two = nlohmann::json::array({works_branch("eng", "draft"), works_branch("legal", "check")});

command works_act(std::string actor, std::string action, std::string branch,
                  std::vector<std::pair<std::string, std::string>> sets = {}, std::string comment = "") {
  command cmd;
  cmd.type = command::kind::act;
  cmd.actor = std::move(actor);
  cmd.action = std::move(action);
  cmd.sets = std::move(sets);
  cmd.comment = std::move(comment);
  cmd.branch = std::move(branch);
  return cmd;
}

decision works_decide(const case_state& c, const command& cmd, const moment& at = k_today) {
  return decide(works(), works_org(), c, cmd, at);
}

refusal works_refused(const case_state& c, const command& cmd) {
  const decision d = works_decide(c, cmd);
  REQUIRE(d.refused.has_value());
  CHECK(d.events.empty());
  return *d.refused;
}

// kind, branch, from and to of each event, for comparing whole decisions.
std::vector<std::string> works_shape(const std::vector<event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.kind + " " + e.branch + " " + e.from_step + ">" + e.to_step);
  return out;
}

instant minute(std::int64_t seq) { return instant{k_today.now.seconds + seq * 60}; }

TEST_CASE("branches: ids for plain, for-each and nested branches, and branch-qualified rules") {
  CHECK(branch_id("", "legal") == "legal");
  CHECK(branch_id("", "answer", "engineering") == "answer[engineering]");
  CHECK(branch_id("answer[engineering]", "check") == "answer[engineering]/check");
  CHECK(branch_rule("answer[sales]", "answer.limit") == "answer.limit@answer[sales]");
  CHECK(branch_rule("", "answer.limit") == "answer.limit");
}

TEST_CASE("branches: a fork opens two positions; each moves on its own events and the main path waits") {
  // Hand-folded: the fork at seq 3 opens eng in draft and legal in check, both entered at minute 3.
  case_state c = works_fold(works_forked({{"mode", "all"}, {"target", "answered"}}, k_two));
  REQUIRE(c.branches.size() == 2);
  CHECK(c.step == "answers");
  const case_branch& eng = c.branches[0];
  CHECK(eng.id == "eng");
  CHECK(eng.fork == "answers");
  CHECK(eng.fork_seq == 3);
  CHECK(eng.parent.empty());
  CHECK(eng.step == "draft");
  CHECK(eng.end == "answered");
  CHECK(eng.step_entered_at == minute(3));
  CHECK(eng.is_open());
  REQUIRE(c.forks.size() == 1);
  CHECK(c.forks[0].seq == 3);
  CHECK(c.forks[0].join.target == "answered");
  CHECK_FALSE(c.forks[0].joined);

  // Either order: bob moves eng at 4 and lia legal at 5, or lia first at 4 and bob at 5.
  for (const bool eng_first : {true, false}) {
    CAPTURE(eng_first);
    const std::int64_t eng_seq = eng_first ? 4 : 5;
    const std::int64_t legal_seq = eng_first ? 5 : 4;
    std::vector<event> two{works_action(eng_seq, "eng", "submit", "draft", "check", "bob", "engineer"),
                           works_action(legal_seq, "legal", "pass", "check", "answered", "lia", "lawyer")};
    if (!eng_first) std::swap(two[0], two[1]);
    const case_state after = works_fold(two, c);
    CHECK(after.seq == 5);
    CHECK(after.step == "answers");  // the main path stays in the fork step
    CHECK(after.step_entered_at == minute(2));
    CHECK(after.performers.count("draft") == 0);
    CHECK(after.branches[0].step == "check");
    CHECK(after.branches[0].step_entered_at == minute(eng_seq));
    CHECK(after.branches[0].performers.at("draft") == std::vector<std::string>{"bob"});
    CHECK(after.branches[1].step == "answered");
    CHECK(after.branches[1].step_entered_at == minute(legal_seq));
    CHECK(after.branches[1].performers.at("check") == std::vector<std::string>{"lia"});
    CHECK(after.position("eng")->step == "check");
    CHECK(after.position("")->step == "answers");
  }
}

TEST_CASE("branches: finishing both joins `all`; the join moves the main path to its target") {
  std::vector<event> log = works_forked({{"mode", "all"}, {"target", "answered"}}, k_two);
  log.push_back(works_action(4, "legal", "pass", "check", "answered", "lia", "lawyer"));
  log.push_back(works_event(5, event_kind::branch_finished, "legal", "answered", "answered", "system", {{"fork", "answers"}}));
  log.push_back(works_action(6, "eng", "hurry", "draft", "check", "bob", "engineer"));
  log.push_back(works_action(7, "eng", "pass", "check", "answered", "lia", "lawyer"));
  log.push_back(works_event(8, event_kind::branch_finished, "eng", "answered", "answered", "system", {{"fork", "answers"}}));
  const case_state before_join = works_fold(log);
  CHECK(before_join.branches[1].status == "finished");
  CHECK(before_join.branches[0].status == "finished");
  CHECK(before_join.open_branches().empty());
  CHECK(before_join.step == "answers");
  log.push_back(works_event(9, event_kind::branches_joined, "", "answers", "answered", "system",
                            {{"fork", "answers"}, {"fork_seq", 3}, {"finished", {"legal", "eng"}}}));
  const case_state c = works_fold(log);
  CHECK(c.step == "answered");
  CHECK(c.step_entered_at == minute(9));
  CHECK(c.forks[0].joined);
  CHECK_FALSE(c.position("eng").has_value());  // a finished branch is no position any more
}

TEST_CASE("branches: an event naming an unknown or finished branch changes only version and times") {
  std::vector<event> log = works_forked({{"mode", "all"}, {"target", "answered"}}, k_two);
  log.push_back(works_event(4, event_kind::branch_finished, "legal", "check", "check"));
  const case_state c = works_fold(log);
  for (const std::string branch : {"nope", "legal"}) {
    CAPTURE(branch);
    event stray = works_action(5, branch, "submit", "draft", "closed", "bob", "engineer");
    stray.data = {{"fields", {{"answer", "x"}}}};
    case_state expected = c;
    expected.seq = 5;
    expected.updated_at = minute(5);
    CHECK(state_to_json(apply(works(), c, stray)) == state_to_json(expected));
  }
}

TEST_CASE("branches: a cancelled branch takes its nested branches with it; deadlines and reminders stay per position") {
  std::vector<event> log = works_forked({{"mode", "all"}, {"target", "answered"}},
                                        {works_branch("review", "answers"), works_branch("eng", "draft")});
  // review forks one level down from its own `answers` step.
  log.push_back(works_fork(4, "review", "answers", {{"mode", "any"}, {"target", "answered"}},
                           {works_branch("review/eng", "draft"), works_branch("review/legal", "check")}));
  log.push_back(works_event(5, event_kind::deadline_set, "review/eng", "draft", "draft", "system",
                            {{"rule", "draft.limit.reminder@review/eng"}, {"kind", "reminder"},
                             {"due", "2026-11-24T02:00:00Z"}, {"provisional", false}, {"calendar_version", "v1"}}));
  log.push_back(works_event(6, event_kind::timer_fired, "review/eng", "draft", "draft", "system",
                            {{"rule", "draft.limit.reminder@review/eng"}, {"kind", "reminder"}}));
  case_state c = works_fold(log);
  REQUIRE(c.branches.size() == 4);
  CHECK(c.branches[2].parent == "review");
  CHECK(c.branches[2].fork_seq == 4);
  CHECK(c.branches[2].reminders_sent == std::vector<std::string>{"draft.limit.reminder@review/eng"});
  CHECK(c.reminders_sent.empty());
  CHECK(c.forks.size() == 2);

  event cancel = works_event(7, event_kind::branch_cancelled, "review", "answers", "answers", "cat",
                             {{"reason", "handled by phone"}});
  c = apply(works(), std::move(c), cancel);
  CHECK(c.branches[0].status == "cancelled");  // review
  CHECK(c.branches[1].status == "open");       // eng, its sibling
  CHECK(c.branches[2].status == "cancelled");  // review/eng
  CHECK(c.branches[3].status == "cancelled");  // review/legal
  CHECK(c.open_branches() == std::vector<std::string>{"eng"});
}

TEST_CASE("branches: deciding on a branch acts in its step with its roles and guards, refuses closed branches") {
  std::vector<event> log = works_forked({{"mode", "all"}, {"target", "answered"}}, k_two);
  log.push_back(works_event(4, event_kind::branch_cancelled, "legal", "check", "check", "cat", {{"reason", "no"}}));
  const case_state c = works_fold(log);

  const decision d = works_decide(c, works_act("bob", "submit", "eng", {{"answer", "fixed"}}));
  REQUIRE(static_cast<bool>(d));
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].branch == "eng");
  CHECK(d.events[0].seq == 5);
  CHECK(d.events[0].from_step == "draft");
  CHECK(d.events[0].to_step == "check");
  CHECK(d.events[0].role == "engineer");
  CHECK(d.events[0].data["fields"] == nlohmann::json{{"answer", "fixed"}});

  // the branch's step, not the main path's: `submit` is not an action of `answers`
  CHECK(works_refused(c, works_act("bob", "submit", "", {{"answer", "x"}})).code == refusal_code::unknown_action);
  const refusal role = works_refused(c, works_act("cat", "submit", "eng", {{"answer", "x"}}));
  CHECK(role.message == "cat may not take action 'submit' on case WK-001: it needs the role engineer; cat holds roles "
                        "coordinator");
  const refusal guard = works_refused(c, works_act("bob", "hurry", "eng"));
  CHECK(guard.code == refusal_code::guard_failed);
  const refusal unknown = works_refused(c, works_act("bob", "submit", "engg"));
  CHECK(unknown.code == refusal_code::branch_not_open);
  CHECK(unknown.message == "case WK-001 has no branch 'engg'; did you mean 'eng'? (open branches: eng)");
  const refusal cancelled = works_refused(c, works_act("lia", "pass", "legal"));
  CHECK(cancelled.code == refusal_code::branch_not_open);
  CHECK(cancelled.message == "branch 'legal' of case WK-001 was cancelled (open branches: eng)");

  // leaving the fork step while eng is open is refused; staying in it is not
  const refusal leave = works_refused(c, works_act("cat", "withdraw", "", {}, "dropped"));
  CHECK(leave.code == refusal_code::guard_failed);
  CHECK(leave.message == "action 'withdraw' cannot leave step 'answers' of case WK-001 while the branches it opened are "
                         "open: eng (in draft)");
  CHECK(static_cast<bool>(works_decide(c, works_act("cat", "remind", ""))));

  // actions_for and assign on the branch; system_event on its position
  const auto options = actions_for(works(), works_org(), c, "bob", k_today, "eng");
  REQUIRE(options.size() == 2);
  CHECK(options[0].action->id == "submit");
  CHECK(options[0].permitted);
  CHECK_FALSE(options[1].guard_holds);  // hurry: urgent is false
  CHECK(actions_for(works(), works_org(), c, "lia", k_today, "legal").empty());
  command assign;
  assign.type = command::kind::assign;
  assign.actor = "cat";
  assign.assignee = "bob";
  assign.branch = "eng";
  const decision assigned = works_decide(c, assign);
  REQUIRE(assigned.events.size() == 1);
  const case_state after = apply(works(), c, assigned.events[0]);
  CHECK(after.branches[0].assignee == "bob");
  CHECK(after.assignee.empty());
  const event timer = system_event(works(), c, event_kind::deadline_set, k_today.now, "eng");
  CHECK(timer.branch == "eng");
  CHECK(timer.from_step == "draft");
  CHECK(timer.to_step == "draft");
}

TEST_CASE("branches: decide finishes a branch at its end and joins by `any`, cancelling the other") {
  const case_state c = works_fold(works_forked({{"mode", "any"}, {"target", "answered"}}, k_two));
  const decision d = works_decide(c, works_act("lia", "pass", "legal"));
  REQUIRE(static_cast<bool>(d));
  CHECK(works_shape(d.events) == std::vector<std::string>{"action_taken legal check>answered",
                                                          "branch_finished legal answered>answered",
                                                          "branch_cancelled eng draft>draft",
                                                          "branches_joined  answers>answered"});
  REQUIRE(d.events.size() == 4);
  CHECK(d.events[2].data == nlohmann::json{{"reason", "joined"}, {"fork", "answers"}});
  CHECK(d.events[3].data == nlohmann::json{{"fork", "answers"}, {"fork_seq", 3}, {"finished", {"legal"}}});
  CHECK(d.events[3].seq == 7);
  const case_state after = works_fold(d.events, c);
  CHECK(after.step == "answered");
  CHECK(after.branches[0].status == "cancelled");
  CHECK(after.branches[1].status == "finished");
}

TEST_CASE("branches: for each of three departments, `at_least 2` joins on the second to finish") {
  const nlohmann::json three = nlohmann::json::array({works_branch("answer[engineering]", "check", "engineering"),
                                                      works_branch("answer[sales]", "check", "sales"),
                                                      works_branch("answer[legal]", "check", "legal")});
  const case_state c = works_fold(works_forked({{"mode", "at_least"}, {"at_least", 2}, {"target", "answered"}}, three));
  CHECK(c.branches[1].value == "sales");
  CHECK(c.branches[1].name == "answer");
  const decision first = works_decide(c, works_act("lia", "pass", "answer[sales]"));
  CHECK(works_shape(first.events) == std::vector<std::string>{"action_taken answer[sales] check>answered",
                                                              "branch_finished answer[sales] answered>answered"});
  const case_state one = works_fold(first.events, c);
  const decision second = works_decide(one, works_act("lia", "pass", "answer[legal]"));
  CHECK(works_shape(second.events) == std::vector<std::string>{"action_taken answer[legal] check>answered",
                                                               "branch_finished answer[legal] answered>answered",
                                                               "branch_cancelled answer[engineering] check>check",
                                                               "branches_joined  answers>answered"});
  REQUIRE(second.events.size() == 4);
  CHECK(second.events[3].data["finished"] == nlohmann::json{"answer[sales]", "answer[legal]"});
}

TEST_CASE("branches: `all` counts the branches not cancelled; a nested join finishes its parent and joins the main path") {
  // main forks review (in answers, ending in answered) and eng; review forks review/legal in its answers.
  std::vector<event> log = works_forked({{"mode", "all"}, {"target", "signoff"}},
                                        {works_branch("review", "answers"), works_branch("eng", "draft")});
  log.push_back(works_action(4, "eng", "submit", "draft", "check", "ann", "engineer"));
  log.push_back(works_event(5, event_kind::branch_cancelled, "eng", "check", "check", "cat", {{"reason", "not needed"}}));
  log.push_back(works_fork(6, "review", "answers", {{"mode", "all"}, {"target", "answered"}},
                           {works_branch("review/legal", "check")}));
  const case_state c = works_fold(log);
  const decision d = works_decide(c, works_act("lia", "pass", "review/legal"));
  REQUIRE(static_cast<bool>(d));
  // review/legal ends; its fork joins review to answered, review's end; review ends; the main
  // fork (eng cancelled) joins to signoff, an approval step, whose chain is fixed.
  CHECK(works_shape(d.events) == std::vector<std::string>{"action_taken review/legal check>answered",
                                                          "branch_finished review/legal answered>answered",
                                                          "branches_joined review answers>answered",
                                                          "branch_finished review answered>answered",
                                                          "branches_joined  answers>signoff",
                                                          "approval_chain_fixed  signoff>signoff"});
  const case_state after = works_fold(d.events, c);
  CHECK(after.step == "signoff");
  CHECK(after.forks[0].joined);
  CHECK(after.forks[1].joined);

  // ann submitted the draft in branch eng: segregation of duties keeps her from approving
  const refusal r = works_refused(after, works_act("ann", "approve", ""));
  CHECK(r.code == refusal_code::not_permitted);
  CHECK(r.message == "ann may not approve case WK-001: they acted in step 'draft' (segregation of duties: not_by draft)");
  CHECK(static_cast<bool>(works_decide(after, works_act("cat", "approve", ""))));
}

TEST_CASE("branches: the state's JSON round-trips forks, branches and a branch's deadline") {
  std::vector<event> log = works_forked({{"mode", "at_least"}, {"at_least", 1}, {"target", "answered"}}, k_two);
  log.push_back(works_action(4, "eng", "submit", "draft", "check", "bob", "engineer"));
  log.push_back(works_event(5, event_kind::assigned, "legal", "check", "check", "cat", {{"assignee", "lia"}}));
  log.push_back(works_event(6, event_kind::deadline_set, "legal", "check", "check", "system",
                            {{"rule", "check.limit@legal"}, {"kind", "limit"}, {"due", "2026-11-25T01:00:00Z"},
                             {"provisional", true}, {"calendar_version", "v1"}}));
  log.push_back(works_event(7, event_kind::branch_cancelled, "eng", "check", "check", "cat", {{"reason", "x"}}));
  const case_state c = works_fold(log);
  const nlohmann::json j = state_to_json(c);
  CHECK(j["deadlines"][0]["branch"] == "legal");
  CHECK(j["forks"][0] == nlohmann::json{{"seq", 3}, {"step", "answers"}, {"parent", ""},
                                        {"join", {{"mode", "at_least"}, {"at_least", 1}, {"target", "answered"}}},
                                        {"joined", false}});
  CHECK(j["branches"][1]["assignee"] == "lia");
  const case_state back = state_from_json(works(), j);
  CHECK(state_to_json(back) == j);
  REQUIRE(back.branches.size() == 2);
  CHECK(back.branches[0].performers.at("draft") == std::vector<std::string>{"bob"});
  CHECK(back.branches[0].status == "cancelled");
  CHECK(back.branches[0].step_entered_at == minute(4));
  CHECK(back.forks[0].join.at_least == 1);
  CHECK(back.deadlines[0].branch == "legal");
}

TEST_CASE("branches: a case without branches keeps its JSON byte for byte") {
  // started by cat at minute 1, `single` to draft at 2, a limit set at 3: no branch key anywhere.
  event started = works_event(1, event_kind::case_started, "", "", "intake", "cat", {{"fields", {{"urgent", false}}}});
  const case_state c = works_fold({started, works_action(2, "", "single", "intake", "draft", "cat", "coordinator"),
                                   works_event(3, event_kind::deadline_set, "", "draft", "draft", "system",
                                               {{"rule", "draft.limit"}, {"kind", "limit"},
                                                {"due", "2026-11-25T01:00:00Z"}, {"provisional", false},
                                                {"calendar_version", "v1"}})});
  // k_today is 1795482000 (2026-11-24T01:00Z); event n is at + 60 n; the due is one day later.
  CHECK(state_to_json(c).dump() ==
        R"({"approval":null,"assignee":"","deadlines":[{"breached":false,"calendar_version":"v1","due":1795568400,)"
        R"("kind":"limit","provisional":false,"rule":"draft.limit"}],"definition_hash":")" + works().hash +
            R"(","escalations_fired":{},"fields":{"urgent":false},"id":"WK-001","open":true,"opened_at":1795482060,)"
            R"("paused_seconds":0,"paused_since":null,"performers":{"intake":["cat"]},"procedure":"works",)"
            R"("reminders_sent":[],"seq":3,"step":"draft","step_entered_at":1795482120,"updated_at":1795482180})");
}

TEST_CASE("branches: conformance checks each branch's events against its own step") {
  const nlohmann::json declared = {{"mode", "any"}, {"at_least", 0}, {"target", "answered"}};  // as the YAML says
  std::vector<event> log = works_forked(declared, k_two);
  // decided by the core at minute 4, so the log is clean
  case_state c = works_fold(log);
  for (event e : works_decide(c, works_act("lia", "pass", "legal"), {minute(4), k_today.today}).events) {
    c = apply(works(), std::move(c), e);
    log.push_back(std::move(e));
  }
  CHECK(check_conformance(works(), works_org(), nullptr, log).empty());

  // one event that lies about eng's step, one on a branch that is not open
  std::vector<event> bad = works_forked(declared, k_two);
  bad.push_back(works_action(4, "eng", "pass", "check", "answered", "lia", "lawyer"));
  bad.push_back(works_action(5, "nope", "pass", "check", "answered", "lia", "lawyer"));
  bad.push_back(works_event(6, event_kind::branches_joined, "", "answers", "answered", "system",
                            {{"fork", "answers"}, {"fork_seq", 3}, {"finished", nlohmann::json::array()}}));
  // a fork that opens branches the YAML does not declare
  std::vector<event> forged = works_forked(declared, nlohmann::json::array({works_branch("eng", "draft")}));
  const auto forged_findings = check_conformance(works(), works_org(), nullptr, forged);
  REQUIRE(forged_findings.size() == 1);
  CHECK(forged_findings[0].seq == 3);
  CHECK(forged_findings[0].rule == "branch");
  const auto findings = check_conformance(works(), works_org(), nullptr, bad);
  std::vector<std::string> seen;
  for (const auto& f : findings) seen.push_back(std::to_string(f.seq) + " " + f.rule + ": " + f.message);
  CHECK(seen == std::vector<std::string>{
                    "4 sequence: starts from step 'check' but branch 'eng' was in 'draft'",
                    "4 action: not allowed when re-decided: 'pass' is not an action of step 'draft' of case WK-001; "
                    "actions here: submit, hurry",
                    "5 branch: acts on branch 'nope', which is not open",
                    "5 branch: not allowed when re-decided: case WK-001 has no branch 'nope' (open branches: eng, legal)",
                    "6 branch: branches of step 'answers' joined, but its join rule does not hold"});
}

}  // namespace
}  // namespace caseflow
