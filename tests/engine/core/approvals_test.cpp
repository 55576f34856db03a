// Approval steps: loading the matrix (bounds, gaps, overlaps), fixing the chain, signing it,
// segregation of duties, delegation, amount changes, and check_approvals() over the log.
#include "caseflow/approvals.h"

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/core.h"
#include "caseflow/loader.h"
#include "engine/test_support.h"

namespace caseflow {
namespace {

using test::k_today;
using test::on;

constexpr const char* k_approval_claim = R"(procedure: claim
case_id: "PC-{yyyy}-{seq:05}"
roles: { clerk: 文员, manager: 经理, vp: 副总, finance: 财务, legal: 法务 }
fields:
  customer: { type: text, required: true }
  responsibility: { type: enum, values: [contractor, company] }
  amount: { type: money }
start: proposal
steps:
  proposal:
    role: clerk
    actions:
      propose: { to: approval, requires: [responsibility, amount], comment: true }
  approval:
    approve:
      amount: amount
      tiers:
        - { when: 'responsibility == "company"', up_to: 10000 inclusive, chain: [manager] }
        - { when: 'responsibility == "company"', above: 10000, chain: [manager, vp] }
        - { when: 'responsibility == "contractor"', below: 20000.01, chain: [manager] }
        - { when: 'responsibility == "contractor"', above: 20000, chain: [{ all: [finance, legal] }, { any: [vp, manager] }] }
      not_by: [proposal]
      approved: pay
      rejected: proposal
    actions:
      amend: { to: approval, role: clerk, sets: [amount], comment: true }
      withdraw: { to: closed, role: clerk, comment: true }
  pay: { role: clerk, actions: { paid: closed } }
  closed: { terminal: true }
)";

const procedure& claim() {
  static const procedure p = [] {
    diagnostics out;
    auto loaded = load_procedure_text(k_approval_claim, "claim.yaml", &out);
    INFO((out.empty() ? std::string() : to_string(out.front())));
    REQUIRE(loaded.has_value());
    return *loaded;
  }();
  return p;
}

const organisation& claim_org() {
  static const organisation o = [] {
    organisation built;
    built.add(person{"ann", "Ann", {"clerk"}, "", ""});
    built.add(person{"bob", "Bob", {"clerk"}, "", ""});
    built.add(person{"max", "Max", {"manager"}, "", ""});
    built.add(person{"mia", "Mia", {"manager"}, "", ""});
    built.add(person{"vic", "Vic", {"vp"}, "", ""});
    built.add(person{"fin", "Fin", {"finance"}, "", ""});
    built.add(person{"leg", "Leg", {"legal"}, "", ""});
    built.add(person{"pam", "Pam", {"clerk", "manager"}, "", ""});
    built.add(person{"boss", "Boss", {"manager", "vp"}, "", ""});
    built.add(delegation{"bob", "max", {"manager"}, make_date(2026, 12, 1), make_date(2026, 12, 15)});
    built.add(delegation{"leg", "pam", {"manager"}, make_date(2026, 12, 1), make_date(2026, 12, 15)});
    return built;
  }();
  return o;
}

command act(std::string actor, std::string action, std::vector<std::pair<std::string, std::string>> sets = {},
            std::string comment = "") {
  command cmd;
  cmd.actor = std::move(actor);
  cmd.action = std::move(action);
  cmd.sets = std::move(sets);
  cmd.comment = std::move(comment);
  return cmd;
}

// A case driven through decide + apply, keeping every event.
struct walk {
  case_state c;
  std::vector<event> log;

  decision run(command cmd, const moment& at = k_today) {
    decision d = decide(claim(), claim_org(), c, cmd, at);
    for (const auto& e : d.events) {
      log.push_back(e);
      c = apply(claim(), std::move(c), e);
    }
    return d;
  }
  void must(command cmd, const moment& at = k_today) {
    decision d = run(std::move(cmd), at);
    INFO("refused: ", d.refused ? d.refused->message : std::string());
    REQUIRE(static_cast<bool>(d));
  }
  refusal refused(command cmd, const moment& at = k_today) {
    const std::int64_t before = c.seq;
    decision d = run(std::move(cmd), at);
    REQUIRE_FALSE(static_cast<bool>(d));
    CHECK(c.seq == before);
    return *d.refused;
  }
};

// Opens a claim by ann and proposes `amount` with `responsibility`.
walk proposed(const std::string& responsibility, const std::string& amount, const std::string& by = "ann") {
  walk w;
  command start;
  start.type = command::kind::start;
  start.actor = by;
  start.sets = {{"customer", "张三"}};
  w.must(start);
  w.c.id = "PC-2026-00001";
  w.must(act(by, "propose", {{"responsibility", responsibility}, {"amount", amount}}, "方案"));
  return w;
}

TEST_CASE("approvals: amounts at each bound and one fen either side pick the right tier") {
  struct row {
    const char* responsibility;
    const char* amount;
    int tier;
    std::size_t levels;
  };
  const row rows[] = {
      {"company", "0", 1, 1},           {"company", "9999.99", 1, 1},     {"company", "10000.00", 1, 1},
      {"company", "10000.01", 2, 2},    {"contractor", "19999.99", 3, 1}, {"contractor", "20000.00", 3, 1},
      {"contractor", "20000.01", 4, 2}, {"contractor", "1000000", 4, 2},
  };
  for (const auto& r : rows) {
    CAPTURE(r.responsibility);
    CAPTURE(r.amount);
    walk w = proposed(r.responsibility, r.amount);
    REQUIRE(w.c.approval.has_value());
    CHECK(w.c.step == "approval");
    CHECK(w.c.approval->tier == r.tier);
    CHECK(w.c.approval->levels.size() == r.levels);
    CHECK(w.log.back().kind == event_kind::approval_chain_fixed);
    CHECK(w.log.back().actor == "system");
    CHECK(w.log.back().data["amount"] == format_value(std::get<money>(*parse_value(field_type::money, r.amount, nullptr))));
  }
}

TEST_CASE("approvals: the fixed chain is recorded in the event and survives the state's JSON round trip") {
  walk w = proposed("contractor", "25000");
  const event& fixed = w.log.back();
  CHECK(fixed.data["step"] == "approval");
  CHECK(fixed.data["from_step"] == "proposal");
  CHECK(fixed.data["tier"] == 4);
  CHECK(fixed.data["levels"] == nlohmann::json::parse(
                                    R"([{"mode":"all","roles":["finance","legal"]},{"mode":"any","roles":["vp","manager"]}])"));
  const case_state back = state_from_json(claim(), state_to_json(w.c));
  REQUIRE(back.approval.has_value());
  CHECK(state_to_json(back) == state_to_json(w.c));
}

TEST_CASE("approvals: a two-level chain goes level by level to the approved step") {
  walk w = proposed("company", "10000.01");
  const refusal early = w.refused(act("vic", "approve"));
  CHECK(early.code == refusal_code::not_permitted);
  CHECK(early.message == "vic may not approve case PC-2026-00001 now: waiting for level 1 of 2: manager");
  w.must(act("max", "approve", {}, "同意"));
  CHECK(w.c.step == "approval");
  CHECK(w.log.back().data["approval"] == nlohmann::json{{"level", 1}, {"of", 2}, {"role", "manager"}});
  CHECK(w.c.approval->pending_roles() == std::vector<std::string>{"vp"});
  const refusal again = w.refused(act("mia", "approve"));
  CHECK(again.message == "mia may not approve case PC-2026-00001 now: waiting for level 2 of 2: vp; "
                         "max already approved level 1 as manager");
  w.must(act("vic", "approve"));
  CHECK(w.c.step == "pay");
  CHECK(w.c.approval->status == "approved");
  CHECK(check_approvals(claim(), w.log).empty());
}

TEST_CASE("approvals: a countersign level needs every role, then any one of the next") {
  walk w = proposed("contractor", "20000.01");
  w.must(act("leg", "approve"));
  CHECK(w.c.approval->next_level() == 1);
  CHECK(w.c.approval->pending_roles() == std::vector<std::string>{"finance"});
  const refusal r = w.refused(act("vic", "approve"));
  CHECK(r.message == "vic may not approve case PC-2026-00001 now: waiting for level 1 of 2: finance; "
                     "leg already approved level 1 as legal");
  w.must(act("fin", "approve"));
  CHECK(w.c.approval->pending_roles() == std::vector<std::string>{"vp", "manager"});
  w.must(act("max", "approve"));  // any one of vp, manager
  CHECK(w.c.step == "pay");
  CHECK(check_approvals(claim(), w.log).empty());
}

TEST_CASE("approvals: a rejection at any level needs a comment and goes to the rejected step") {
  for (int level = 1; level <= 2; ++level) {
    CAPTURE(level);
    walk w = proposed("company", "50000");
    if (level == 2) w.must(act("max", "approve"));
    const std::string who = level == 1 ? "max" : "vic";
    CHECK(w.refused(act(who, "reject")).code == refusal_code::comment_required);
    w.must(act(who, "reject", {}, "金额过高"));
    CHECK(w.c.step == "proposal");
    CHECK(w.c.approval->status == "rejected");
    CHECK(w.log.back().to_step == "proposal");
    // The proposer can propose again: a fresh chain, no approvals carried over.
    w.must(act("ann", "propose", {{"amount", "8000"}}, "改方案"));
    CHECK(w.c.approval->status == "pending");
    CHECK(w.c.approval->tier == 1);
    CHECK(w.c.approval->sign_offs.empty());
    CHECK(check_approvals(claim(), w.log).empty());
  }
}

TEST_CASE("approvals: leaving the step by another action withdraws the chain") {
  walk w = proposed("company", "500");
  w.must(act("ann", "withdraw", {}, "客户撤回"));
  CHECK(w.c.approval->status == "withdrawn");
  CHECK(check_approvals(claim(), w.log).empty());
}

TEST_CASE("approvals: the proposer may not approve (segregation of duties)") {
  walk w = proposed("company", "500", "pam");
  const refusal r = w.refused(act("pam", "approve"));
  CHECK(r.code == refusal_code::not_permitted);
  CHECK(r.message == "pam may not approve case PC-2026-00001: they acted in step 'proposal' "
                     "(segregation of duties: not_by proposal)");
  CHECK(w.refused(act("pam", "reject", {}, "no")).code == refusal_code::not_permitted);
  const auto options = actions_for(claim(), claim_org(), w.c, "pam", k_today);
  const auto approve = std::find_if(options.begin(), options.end(), [](const action_option& o) { return o.action->id == "approve"; });
  REQUIRE(approve != options.end());
  CHECK_FALSE(approve->permitted);
  CHECK(approve->why_not == r.message);
  w.must(act("max", "approve"));
}

TEST_CASE("approvals: one person signs one level of a chain") {
  walk w = proposed("company", "20000");
  w.must(act("boss", "approve"));
  const refusal r = w.refused(act("boss", "approve"));
  CHECK(r.message == "boss may not approve case PC-2026-00001 again: level 1 was approved by boss; each level "
                     "needs another person (segregation of duties)");
}

TEST_CASE("approvals: a deputy approves for the manager inside the delegation, not outside it") {
  walk w = proposed("company", "500");
  const refusal outside = w.refused(act("bob", "approve"), on(2026, 12, 16));
  CHECK(outside.message == "bob may not approve case PC-2026-00001 now: waiting for level 1 of 1: manager");
  CHECK(w.refused(act("bob", "approve"), on(2026, 11, 30)).code == refusal_code::not_permitted);
  w.must(act("bob", "approve"), on(2026, 12, 15));
  const event& e = w.log.back();
  CHECK(e.actor == "bob");
  CHECK(e.role == "manager");
  CHECK(e.on_behalf_of == "max");
  CHECK(w.c.approval->sign_offs.front().on_behalf_of == "max");
  CHECK(w.c.step == "pay");
}

TEST_CASE("approvals: segregation of duties holds for a deputy and for the principal they act for") {
  walk own = proposed("company", "500", "bob");
  CHECK(own.refused(act("bob", "approve"), on(2026, 12, 2)).message ==
        "bob may not approve case PC-2026-00001: they acted in step 'proposal' (segregation of duties: not_by proposal)");
  walk principal = proposed("company", "500", "pam");
  CHECK(principal.refused(act("leg", "approve"), on(2026, 12, 2)).message ==
        "leg may not approve case PC-2026-00001: pam, for whom they act, acted in step 'proposal' "
        "(segregation of duties: not_by proposal)");
}

TEST_CASE("approvals: changing the amount mid-chain voids earlier approvals and re-fixes the chain") {
  walk w = proposed("company", "10000.01");
  w.must(act("max", "approve"));
  const std::size_t before = w.log.size();
  w.must(act("ann", "amend", {{"amount", "10000.00"}}, "核减"));
  REQUIRE(w.log.size() == before + 3);
  CHECK(w.log[before].kind == event_kind::action_taken);
  CHECK(w.log[before + 1].kind == event_kind::approvals_voided);
  CHECK(w.log[before + 1].data["reason"] == "amount changed from 10000.01 to 10000.00");
  CHECK(w.log[before + 1].data["voided"] == nlohmann::json::parse(R"([{"level":1,"actor":"max","role":"manager"}])"));
  CHECK(w.log[before + 2].kind == event_kind::approval_chain_fixed);
  CHECK(w.log[before + 2].data["tier"] == 1);
  CHECK(w.log[before + 2].seq == w.log[before + 1].seq + 1);
  CHECK(w.c.approval->sign_offs.empty());
  CHECK(w.c.approval->levels.size() == 1);
  CHECK(w.c.approval->from_step == "proposal");
  w.must(act("mia", "approve"));
  CHECK(w.c.step == "pay");
  CHECK(check_approvals(claim(), w.log).empty());
}

TEST_CASE("approvals: an amend that keeps the amount keeps the approvals") {
  walk w = proposed("company", "20000");
  w.must(act("max", "approve"));
  const std::size_t before = w.log.size();
  w.must(act("ann", "amend", {{"amount", "20000"}}, "补充说明"));
  CHECK(w.log.size() == before + 1);
  CHECK(w.c.approval->sign_offs.size() == 1);
}

TEST_CASE("approvals: entering without an amount, or with no tier applying, is refused") {
  walk w;
  command start;
  start.type = command::kind::start;
  start.actor = "ann";
  start.sets = {{"customer", "张三"}};
  w.must(start);
  const refusal r = w.refused(act("ann", "propose", {{"responsibility", "company"}, {"amount", "-1"}}, "x"));
  CHECK(r.code == refusal_code::invalid_value);
  CHECK(r.message.find("no approval tier of step 'approval' applies to amount -1.00") == 0);
}

TEST_CASE("approvals: approvals are given by people, with no fields set") {
  walk w = proposed("company", "500");
  command automatic = act("system", "approve");
  automatic.automatic = true;
  CHECK(w.refused(automatic).code == refusal_code::not_permitted);
  CHECK(w.refused(act("max", "approve", {{"amount", "1"}})).code == refusal_code::invalid_value);
}

TEST_CASE("approvals: check_approvals finds approvals that do not fit the chain") {
  walk w = proposed("company", "10000.01");
  w.must(act("max", "approve"));
  w.must(act("vic", "approve"));
  SUBCASE("a role the pending level did not need") {
    auto log = w.log;
    log[log.size() - 2].role = "vp";
    const auto found = check_approvals(claim(), log);
    REQUIRE_FALSE(found.empty());
    CHECK(found.front().rule == "approval");
    CHECK(found.front().seq == log[log.size() - 2].seq);
    CHECK(found.front().message == "max signed in role 'vp' but level 1 needed manager");
  }
  SUBCASE("a chain fixed at a tier the definition does not give") {
    auto log = w.log;
    for (auto& e : log)
      if (e.kind == event_kind::approval_chain_fixed) {
        e.data["tier"] = 1;
        e.data["levels"] = nlohmann::json::parse(R"([{"mode":"any","roles":["manager"]}])");
      }
    const auto found = check_approvals(claim(), log);
    REQUIRE(found.size() >= 1);
    CHECK(found.front().message.find("was fixed as tier 1") != std::string::npos);
  }
  SUBCASE("the proposer approving") {
    auto log = w.log;
    log[log.size() - 1].actor = "ann";
    const auto found = check_approvals(claim(), log);
    REQUIRE(found.size() == 1);
    CHECK(found.front().message == "ann approved though they acted in step 'proposal' (segregation of duties: not_by proposal)");
  }
  SUBCASE("leaving for the approved step after one of two levels") {
    auto log = w.log;
    log.pop_back();
    log.back().to_step = "pay";
    const auto found = check_approvals(claim(), log);
    REQUIRE(found.size() == 1);
    CHECK(found.front().message == "'approve' at level 1 led to step 'pay' but the chain leads to 'approval'");
  }
}

// Loads `tiers` (YAML lines under `tiers:`) in a one-step approval; returns the diagnostics.
diagnostics load_tiers(const std::string& tiers, const std::string& extra = "") {
  const std::string text = "procedure: t\nroles: { a: A, b: B }\nfields:\n  kind: { type: enum, values: [x, y] }\n"
                           "  amount: money\nstart: s\nsteps:\n  s:\n    role: a\n    actions: { go: ap }\n"
                           "  ap:\n    approve:\n      amount: amount\n      approved: done\n      rejected: s\n" +
                           extra + "      tiers:\n" + tiers + "  done: { terminal: true }\n";
  diagnostics out;
  load_procedure_text(text, "t.yaml", &out);
  return out;
}

std::vector<std::string> messages(const diagnostics& out) {
  std::vector<std::string> list;
  for (const auto& d : out) list.push_back(to_string(d));
  return list;
}

TEST_CASE("approvals: loading names the gap or overlap between tiers, at the tier") {
  CHECK(messages(load_tiers("        - { up_to: 10000 inclusive, chain: [a] }\n"
                            "        - { above: 10000, chain: [a, b] }\n")).empty());
  CHECK(messages(load_tiers("        - { when: 'kind == \"x\"', up_to: 10000 inclusive, chain: [a] }\n"
                            "        - { when: 'kind == \"x\"', from: 15000, chain: [b] }\n")) ==
        std::vector<std::string>{"t.yaml:18:11: tiers of 'ap' (when kind == \"x\") leave a gap: amounts above 10000.00 "
                                 "up to 14999.99 inclusive are not covered"});
  CHECK(messages(load_tiers("        - { up_to: 10000 inclusive, chain: [a] }\n"
                            "        - { from: 10000, chain: [b] }\n")) ==
        std::vector<std::string>{"t.yaml:18:11: tiers of 'ap' (no condition) overlap: 10000.00 is covered by tiers 1 and 2"});
  CHECK(messages(load_tiers("        - { below: 10000, chain: [a] }\n"
                            "        - { above: 10000, chain: [b] }\n")) ==
        std::vector<std::string>{"t.yaml:18:11: tiers of 'ap' (no condition) leave a gap: amounts above 9999.99 up to "
                                 "10000.00 inclusive are not covered"});
  CHECK(messages(load_tiers("        - { above: 0, up_to: 500, chain: [a] }\n")) ==
        std::vector<std::string>{"t.yaml:17:11: tiers of 'ap' (no condition) leave a gap: amounts from 0.00 up to 0.00 "
                                 "inclusive are not covered",
                                 "t.yaml:17:11: tiers of 'ap' (no condition) leave a gap: amounts above 500.00 are not covered"});
}

TEST_CASE("approvals: loading checks roles, fields, targets and bounds") {
  CHECK(messages(load_tiers("        - { chain: [a, c] }\n")) ==
        std::vector<std::string>{"t.yaml:17:24: tier 1 of step 'ap': unknown role 'c'; did you mean 'a'?"});
  CHECK(messages(load_tiers("        - { up_to: 5 exclusive, chain: [a] }\n")).front().find(
            "write `up_to: X` or `up_to: X inclusive`") != std::string::npos);
  CHECK(messages(load_tiers("        - { chain: [a] }\n", "      not_by: [nowhere]\n")).front().find(
            "not_by names undefined step 'nowhere'") != std::string::npos);
  CHECK(messages(load_tiers("        - { chain: [] }\n")).front().find("the chain needs at least one level") !=
        std::string::npos);
}

TEST_CASE("approvals: the shipped matrices of §2, §3 and §7 at their bounds") {
  auto load = [](const char* name) {
    diagnostics out;
    auto p = load_procedure_file(std::string(CASEFLOW_SOURCE_DIR) + "/processes/" + name, &out);
    INFO((out.empty() ? std::string() : to_string(out.front())));
    REQUIRE(p.has_value());
    return *p;
  };
  auto chain_of = [](const procedure& p, const char* step, field_values fields, const char* amount) {
    const approval_def& def = *p.find_step(step)->approval;
    const money m = std::get<money>(*parse_value(field_type::money, amount, nullptr));
    auto tier = def.tier_for(fields, m);
    REQUIRE(tier.has_value());
    std::vector<std::string> roles;
    for (const auto& level : def.tiers[*tier].chain) {
      std::string text;
      for (const auto& r : level.roles) text += (text.empty() ? "" : "|") + r;
      roles.push_back(text);
    }
    return roles;
  };
  using list = std::vector<std::string>;
  const procedure compensation = load("compensation_refund_exchange.yaml");
  const field_values contractor{{"responsibility", std::string("contractor")}};
  const field_values company{{"responsibility", std::string("company")}};
  CHECK(chain_of(compensation, "approval", contractor, "20000.00") == list{"cs_manager"});
  CHECK(chain_of(compensation, "approval", contractor, "20000.01") == list{"cs_manager", "vp"});
  CHECK(chain_of(compensation, "approval", company, "10000.00") == list{"cs_manager"});
  CHECK(chain_of(compensation, "approval", company, "10000.01") == list{"cs_manager", "vp"});
  const procedure repair = load("repair_order.yaml");
  CHECK(chain_of(repair, "cost_approval", {}, "1000.00") == list{"cs_dept_manager"});
  CHECK(chain_of(repair, "cost_approval", {}, "1000.01") == list{"deputy_chief_engineer", "vp"});
  CHECK(chain_of(repair, "cost_approval", {}, "10000.00") == list{"deputy_chief_engineer", "vp"});
  CHECK(chain_of(repair, "cost_approval", {}, "10000.01") == list{"general_manager"});
  const procedure cost = load("complaint_cost.yaml");
  CHECK(chain_of(cost, "cost_approval", {}, "49999.99") == list{"finance|cost_management", "cs_manager", "vp"});
  CHECK(chain_of(cost, "cost_approval", {}, "50000.00") ==
        list{"cs_manager", "vp", "committee_vice_chair", "committee_chair"});
}

}  // namespace
}  // namespace caseflow
