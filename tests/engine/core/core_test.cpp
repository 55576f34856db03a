#include "caseflow/core.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/loader.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

using test::k_today;
using test::on;

constexpr const char* k_refund = R"(procedure: refund
case_id: "RF-{yyyy}-{seq:03}"
roles: { clerk: 文员, manager: 经理 }
fields:
  customer: { type: text, required: true, personal: true }
  amount: { type: money, required: true }
  reason: { type: text }
  urgent: { type: bool, default: false }
  level: { type: enum, values: [low, high], default: low }
start: review
steps:
  review:
    role: clerk
    actions:
      approve: { to: pay, role: manager, when: 'amount <= 1000', comment: true }
      escalate: { to: pay, role: manager, sets: [level], requires: [reason] }
      reject: { to: rejected, comment: true }
  pay:
    role: clerk
    actions:
      paid: done
  done: { resolved: true, role: clerk, actions: { reopen: review } }
  rejected: { terminal: true }
)";

const procedure& refund() {
  static const procedure p = [] {
    diagnostics out;
    auto loaded = load_procedure_text(k_refund, "refund.yaml", &out);
    REQUIRE(loaded.has_value());
    return *loaded;
  }();
  return p;
}

const organisation& refund_org() {
  static const organisation o = [] {
    organisation built;
    built.add(person{"ann", "Ann", {"clerk"}, "", ""});
    built.add(person{"max", "Max", {"manager"}, "", ""});
    built.add(person{"dep", "Dep", {"clerk"}, "", ""});
    built.add(person{"eve", "Eve", {}, "", ""});
    built.add(delegation{"dep", "max", {"manager"}, make_date(2026, 12, 1), make_date(2026, 12, 15)});
    return built;
  }();
  return o;
}

command starting(std::string actor, std::vector<std::pair<std::string, std::string>> sets) {
  command cmd;
  cmd.type = command::kind::start;
  cmd.actor = std::move(actor);
  cmd.sets = std::move(sets);
  return cmd;
}

command acting(std::string actor, std::string action, std::vector<std::pair<std::string, std::string>> sets = {},
               std::string comment = "") {
  command cmd;
  cmd.type = command::kind::act;
  cmd.actor = std::move(actor);
  cmd.action = std::move(action);
  cmd.sets = std::move(sets);
  cmd.comment = std::move(comment);
  return cmd;
}

// A case seeded directly in `step`, so one transition can be tested alone.
case_state seeded(std::string step, field_values fields = {{"customer", std::string("Zhang")},
                                                           {"amount", money{50000}},
                                                           {"urgent", false},
                                                           {"level", std::string("low")}}) {
  case_state c;
  c.id = "RF-2026-001";
  c.procedure = "refund";
  c.definition_hash = refund().hash;
  c.step = std::move(step);
  c.fields = std::move(fields);
  c.seq = 3;
  c.open = refund().find_step(c.step)->is_open();
  return c;
}

refusal refused(const case_state& c, const command& cmd, const moment& at = k_today) {
  decision d = decide(refund(), refund_org(), c, cmd, at);
  REQUIRE_FALSE(static_cast<bool>(d));
  CHECK(d.events.empty());
  return *d.refused;
}

event decided(const case_state& c, const command& cmd, const moment& at = k_today) {
  decision d = decide(refund(), refund_org(), c, cmd, at);
  INFO("refused: ", d.refused ? d.refused->message : std::string());
  REQUIRE(static_cast<bool>(d));
  REQUIRE(d.events.size() == 1);
  return d.events.front();
}

TEST_CASE("core: start opens the case in the start step with defaults") {
  const event e = decided(case_state{}, starting("ann", {{"customer", "Zhang"}, {"amount", "12,345.60"}}));
  CHECK(e.kind == event_kind::case_started);
  CHECK(e.seq == 1);
  CHECK(e.from_step.empty());
  CHECK(e.to_step == "review");
  CHECK(e.actor == "ann");
  CHECK(e.role == "clerk");
  CHECK(e.on_behalf_of.empty());
  CHECK(e.at == k_today.now);
  CHECK(e.definition_hash == refund().hash);
  CHECK(e.data["fields"] == nlohmann::json{{"customer", "Zhang"}, {"amount", "12345.60"}, {"urgent", false},
                                           {"level", "low"}});
}

TEST_CASE("core: start with a required field missing is refused") {
  const refusal r = refused(case_state{}, starting("ann", {{"customer", "Zhang"}}));
  CHECK(r.code == refusal_code::missing_value);
  CHECK(r.message == "opening a refund case needs amount: give --set amount=…");
}

TEST_CASE("core: start by a person without the start step's role is refused") {
  const refusal r = refused(case_state{}, starting("max", {{"customer", "Zhang"}, {"amount", "1"}}));
  CHECK(r.code == refusal_code::not_permitted);
  CHECK(r.message == "max may not open a refund case: it needs the role clerk");
}

TEST_CASE("core: an action by the wrong role names person, role and action") {
  const refusal r = refused(seeded("review"), acting("ann", "approve", {}, "ok"));
  CHECK(r.code == refusal_code::not_permitted);
  CHECK(r.message == "ann may not take action 'approve' on case RF-2026-001: it needs the role manager; ann holds "
                     "roles clerk");
}

TEST_CASE("core: an actor not in the organisation is refused") {
  const refusal r = refused(seeded("review"), acting("nobody", "reject", {}, "no"));
  CHECK(r.code == refusal_code::not_permitted);
  CHECK(r.message == "nobody may not take action 'reject' on case RF-2026-001: it needs the role clerk; nobody holds "
                     "no role (not in org.yaml)");
}

TEST_CASE("core: a false guard is refused with the guard and the values") {
  case_state c = seeded("review");
  c.fields["amount"] = money{250000};
  const refusal r = refused(c, acting("max", "approve", {}, "ok"));
  CHECK(r.code == refusal_code::guard_failed);
  CHECK(r.message == "action 'approve' is not allowed now: its condition `amount <= 1000` is false (amount = 2500.00)");
}

TEST_CASE("core: a --set value of the wrong type is refused") {
  struct row {
    command cmd;
    case_state c;
    std::string message;
  };
  const std::vector<row> rows{
      {starting("ann", {{"customer", "Zhang"}, {"amount", "a lot"}}), case_state{}, "field 'amount': "},
      {acting("max", "escalate", {{"level", "medium"}, {"reason", "x"}}), seeded("review"),
       "field 'level': 'medium' is not one of low | high"},
      {acting("max", "escalate", {{"amount", "5"}, {"reason", "x"}}), seeded("review"),
       "action 'escalate' cannot set field 'amount'; it sets: level, reason"},
      {acting("max", "escalate", {{"levl", "high"}}), seeded("review"),
       "unknown field 'levl'; did you mean 'level'?; fields of refund: customer, amount, reason, urgent, level"},
  };
  for (const auto& [cmd, c, message] : rows) {
    CAPTURE(message);
    const refusal r = refused(c, cmd);
    CHECK(r.code == refusal_code::invalid_value);
    CHECK(r.message.starts_with(message));
  }
}

TEST_CASE("core: an unknown action lists the valid ones") {
  const refusal r = refused(seeded("review"), acting("max", "aprove"));
  CHECK(r.code == refusal_code::unknown_action);
  CHECK(r.message == "'aprove' is not an action of step 'review' of case RF-2026-001; did you mean 'approve'?; "
                     "actions here: approve, escalate, reject");
}

TEST_CASE("core: a required field of an action must be given") {
  const refusal r = refused(seeded("review"), acting("max", "escalate", {{"level", "high"}}));
  CHECK(r.code == refusal_code::missing_value);
  CHECK(r.message == "action 'escalate' needs reason: give --set reason=…");
}

TEST_CASE("core: an action that needs a comment is refused without one") {
  const refusal r = refused(seeded("review"), acting("max", "approve"));
  CHECK(r.code == refusal_code::comment_required);
  CHECK(r.message == "action 'approve' needs a comment: give --comment \"…\"");
  CHECK(decided(seeded("review"), acting("max", "approve", {}, "fine")).comment == "fine");
}

TEST_CASE("core: nothing can be done on a closed case") {
  const refusal r = refused(seeded("rejected"), acting("ann", "reopen"));
  CHECK(r.code == refusal_code::case_closed);
  CHECK(r.message == "case RF-2026-001 is closed (step 'rejected'); no action can be taken");
}

TEST_CASE("core: a resolved case can be reopened") {
  const event e = decided(seeded("done"), acting("ann", "reopen"));
  CHECK(e.from_step == "done");
  CHECK(e.to_step == "review");
}

TEST_CASE("core: an action event carries the transition and the fields it set") {
  const event e = decided(seeded("review"), acting("max", "escalate", {{"level", "high"}, {"reason", "big"}}));
  CHECK(e.kind == event_kind::action_taken);
  CHECK(e.case_id == "RF-2026-001");
  CHECK(e.seq == 4);
  CHECK(e.action == "escalate");
  CHECK(e.from_step == "review");
  CHECK(e.to_step == "pay");
  CHECK(e.actor == "max");
  CHECK(e.role == "manager");
  CHECK(e.data["fields"] == nlohmann::json{{"level", "high"}, {"reason", "big"}});
}

TEST_CASE("core: apply folds fields, step, assignee and performers") {
  const procedure& p = refund();
  case_state c;
  c.id = "RF-2026-001";
  c = apply(p, c, decided(c, starting("ann", {{"customer", "Zhang"}, {"amount", "10"}}), on(2026, 11, 24)));
  CHECK(c.seq == 1);
  CHECK(c.procedure == "refund");
  CHECK(c.definition_hash == p.hash);
  CHECK(c.step == "review");
  CHECK(c.open);
  CHECK(c.opened_at == on(2026, 11, 24).now);
  CHECK(c.fields.at("amount") == value{money{1000}});
  CHECK(c.fields.at("level") == value{std::string("low")});

  c = apply(p, c, decided(c, acting("max", "escalate", {{"level", "high"}, {"reason", "big"}}), on(2026, 11, 25)));
  CHECK(c.seq == 2);
  CHECK(c.step == "pay");
  CHECK(c.step_entered_at == on(2026, 11, 25).now);
  CHECK(c.fields.at("level") == value{std::string("high")});
  CHECK(c.fields.at("reason") == value{std::string("big")});
  CHECK(c.fields.at("customer") == value{std::string("Zhang")});
  CHECK(c.performers.at("review") == std::vector<std::string>{"max"});

  command assign;
  assign.type = command::kind::assign;
  assign.actor = "ann";
  assign.assignee = "dep";
  c = apply(p, c, decided(c, assign));
  CHECK(c.assignee == "dep");
  CHECK(c.step == "pay");
  CHECK(c.seq == 3);

  c = apply(p, c, decided(c, acting("dep", "paid")));
  CHECK(c.step == "done");
  CHECK_FALSE(c.open);
  CHECK(c.performers.at("pay") == std::vector<std::string>{"dep"});
}

TEST_CASE("core: state survives its JSON form") {
  case_state c = seeded("pay");
  c.assignee = "ann";
  c.performers["review"] = {"max"};
  const case_state back = state_from_json(refund(), state_to_json(c));
  CHECK(back.id == c.id);
  CHECK(back.step == c.step);
  CHECK(back.assignee == "ann");
  CHECK(back.seq == c.seq);
  CHECK(back.fields == c.fields);
  CHECK(back.performers == c.performers);
}

TEST_CASE("core: a deputy acts for the principal only inside the delegation's dates") {
  struct row {
    moment at;
    bool allowed;
  };
  const std::vector<row> rows{
      {on(2026, 11, 30), false},
      {on(2026, 12, 1), true},
      {on(2026, 12, 5), true},
      {on(2026, 12, 15), true},
      {on(2026, 12, 16), false},
  };
  for (const auto& [at, allowed] : rows) {
    CAPTURE(at.today.days);
    decision d = decide(refund(), refund_org(), seeded("review"), acting("dep", "approve", {}, "ok"), at);
    CHECK(static_cast<bool>(d) == allowed);
    if (allowed) {
      REQUIRE(d.events.size() == 1);
      CHECK(d.events[0].actor == "dep");
      CHECK(d.events[0].role == "manager");
      CHECK(d.events[0].on_behalf_of == "max");
    } else {
      REQUIRE(d.refused.has_value());
      CHECK(d.refused->code == refusal_code::not_permitted);
    }
  }
}

TEST_CASE("core: a deputy acting in their own role is not on anyone's behalf") {
  const event e = decided(seeded("review"), acting("dep", "reject", {}, "no"), on(2026, 12, 5));
  CHECK(e.role == "clerk");
  CHECK(e.on_behalf_of.empty());
}

TEST_CASE("core: assign refuses an unknown person and one without the step's role") {
  command cmd;
  cmd.type = command::kind::assign;
  cmd.actor = "ann";
  cmd.assignee = "ane";
  refusal r = refused(seeded("pay"), cmd);
  CHECK(r.code == refusal_code::unknown_person);
  CHECK(r.message == "'ane' is not a person in org.yaml; did you mean 'ann'?");
  cmd.assignee = "eve";
  r = refused(seeded("pay"), cmd);
  CHECK(r.code == refusal_code::not_permitted);
}

TEST_CASE("core: actions_for marks permission and guard per user") {
  case_state c = seeded("review");
  c.fields["amount"] = money{250000};
  const auto options = actions_for(refund(), refund_org(), c, "max", k_today);
  REQUIRE(options.size() == 3);
  CHECK(options[0].action->id == "approve");
  CHECK(options[0].permitted);
  CHECK_FALSE(options[0].guard_holds);
  CHECK(options[1].action->id == "escalate");
  CHECK(options[1].permitted);
  CHECK(options[2].action->id == "reject");
  CHECK(options[2].roles == std::vector<std::string>{"clerk"});
  CHECK_FALSE(options[2].permitted);
}

}  // namespace
}  // namespace caseflow
