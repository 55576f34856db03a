// Similar cases under a race: the runtime reads a new case's similar-cases group
// (runtime.cpp add_similar_raises), and the store refuses the commit when the group in the
// index changed by then (store/sqlite/store.cpp, write: the similar_check). The race is forced
// deterministically: a store wrapper lets a second store object on the same file open a
// similar case right after each read of the group, before the first one commits.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "caseflow/loader.h"
#include "caseflow/runtime.h"
#include "caseflow/sqlite_store.h"
#include "engine/test_support.h"
#include "scratch_dir.h"

namespace caseflow {
namespace {

using test::at;

// Three complainants about one project within a month make every such case hot.
constexpr const char* k_leak = R"(procedure: leak
case_id: "LK-{yyyy}-{seq:03}"
roles: { agent: 客服 }
fields:
  customer: { type: text, required: true, personal: true }
  project: { type: text }
  severity: { type: enum, values: [general, hot], default: general }
similar:
  same: [project]
  within: 1 month
  distinct: customer
  rules:
    - { rule: three_complainants, at_least: 3, raise: { severity: hot } }
start: open
steps:
  open:
    role: agent
    actions:
      close: done
  done: { terminal: true }
)";

// Everything from `inner` (a whole store: the runtime takes one); after each read of a similar-cases group, while `races` lasts,
// `meanwhile` runs (a concurrent writer) before the group read is returned.
class racing_store final : public store {
 public:
  explicit racing_store(sqlite_store& inner) : inner_(inner) {}
  racing_store(const racing_store&) = delete;
  racing_store& operator=(const racing_store&) = delete;

  int races = 0;
  int group_reads = 0;
  std::function<void()> meanwhile;

  similar_group similar_cases(const procedure& p, const case_state& c, instant from, instant to) override {
    similar_group group = inner_.similar_cases(p, c, from, to);
    ++group_reads;
    if (races > 0) {
      --races;
      meanwhile();
    }
    return group;
  }
  // Every other role is the inner store's.
  std::optional<case_record> load_case(std::string_view id) override { return inner_.load_case(id); }
  commit_result commit(commit_request request) override { return inner_.commit(std::move(request)); }
  std::vector<commit_result> commit_batch(std::vector<commit_request> requests) override {
    return inner_.commit_batch(std::move(requests));
  }
  void scan_cases(const std::function<bool(const case_record&)>& visit) override { inner_.scan_cases(visit); }
  std::vector<case_record> list_cases(const case_filter& filter) override { return inner_.list_cases(filter); }
  void scan_active_cases(const activity_window& window, const std::function<bool(const case_record&)>& visit) override {
    inner_.scan_active_cases(window, visit);
  }
  std::vector<case_record> overdue_cases(instant now, const case_filter& filter) override {
    return inner_.overdue_cases(now, filter);
  }
  std::vector<event> case_events(std::string_view id) override { return inner_.case_events(id); }
  std::vector<event> stored_case_events(std::string_view id) override { return inner_.stored_case_events(id); }
  void scan_events(const std::function<bool(const event&)>& visit) override { inner_.scan_events(visit); }
  std::optional<std::string> definition_text(std::string_view hash) override { return inner_.definition_text(hash); }
  std::vector<timer_ref> due_timers(instant now, std::size_t limit) override { return inner_.due_timers(now, limit); }
  std::optional<instant> next_timer_due() override { return inner_.next_timer_due(); }
  std::vector<std::string> cases_with_deadlines() override { return inner_.cases_with_deadlines(); }
  std::vector<case_deadline> case_timers(std::string_view id) override { return inner_.case_timers(id); }
  std::vector<outbox_entry> outbox_entries(const outbox_query& query) override { return inner_.outbox_entries(query); }
  std::optional<outbox_entry> find_outbox_entry(std::int64_t id) override { return inner_.find_outbox_entry(id); }
  std::vector<outbox_entry> claim_outbox(const outbox_query& due, const lease& claim) override {
    return inner_.claim_outbox(due, claim);
  }
  void release_outbox(const std::vector<std::int64_t>& ids, const lease& claim) override {
    inner_.release_outbox(ids, claim);
  }
  std::optional<std::string> attachment(std::string_view digest) override { return inner_.attachment(digest); }
  void scan_attachments(const std::function<bool(const blob&)>& visit) override { inner_.scan_attachments(visit); }
  void scan_personal_values(const std::function<bool(const personal_value&)>& visit) override {
    inner_.scan_personal_values(visit);
  }
  std::vector<personal_value> case_personal_values(const std::string& case_id) override {
    return inner_.case_personal_values(case_id);
  }
  bool purge_erased() override { return inner_.purge_erased(); }
  void complete_migration(
      const std::function<std::shared_ptr<const procedure>(std::string_view hash)>& definition) override {
    inner_.complete_migration(definition);
  }
  database_clock clock_kind() override { return inner_.clock_kind(); }
  void mark_virtual(const std::string& by, const std::string& role, instant at) override {
    inner_.mark_virtual(by, role, at);
  }
  std::optional<deployment_record> current_deployment() override { return inner_.current_deployment(); }
  std::vector<deployment_record> deployments() override { return inner_.deployments(); }
  std::optional<std::string> deployed_text(std::string_view hash) override { return inner_.deployed_text(hash); }
  std::optional<schedule_opening> last_opening(std::string_view procedure, std::string_view schedule) override {
    return inner_.last_opening(procedure, schedule);
  }
  deployment_record record_deployment(deployment_record entry, const std::vector<deployed_file>& files) override {
    return inner_.record_deployment(std::move(entry), files);
  }

 private:
  sqlite_store& inner_;
};

// Two store objects (and runtimes) on one database file in a fresh directory: `mine`, whose
// group reads race, and `theirs`, the concurrent writer. Members go in reverse order: the
// runtimes before the stores they use, the directory last.
struct race_world {
  test::scratch_dir dir;
  procedure_library library;
  organisation org;
  std::unique_ptr<sqlite_store> my_file, their_file;
  std::unique_ptr<racing_store> racing;
  std::unique_ptr<runtime> mine, theirs;

  race_world() {
    diagnostics out;
    auto p = load_procedure_text(k_leak, "leak.yaml", &out);
    REQUIRE(p.has_value());
    library.add(std::move(*p));
    org.add(person{"ann", "Ann", {"agent"}, "", ""});
    const std::string path = dir.db();
    my_file = std::make_unique<sqlite_store>(path);
    their_file = std::make_unique<sqlite_store>(path);
    racing = std::make_unique<racing_store>(*my_file);
    mine = std::make_unique<runtime>(*racing, library, org, nullptr);
    theirs = std::make_unique<runtime>(*their_file, library, org, nullptr);
  }

  // Opens a complaint about project 翠湖 from `customer`.
  outcome open(runtime& rt, const std::string& customer, const char* now) {
    command cmd;
    cmd.actor = "ann";
    cmd.sets = {{"customer", customer}, {"project", "翠湖"}};
    return rt.start("leak", std::move(cmd), at(now));
  }
  std::string must_open(runtime& rt, const std::string& customer, const char* now) {
    const outcome o = open(rt, customer, now);
    INFO(o.message);
    REQUIRE(o.result == outcome::status::done);
    return o.case_id;
  }
  std::string severity(const std::string& id) {
    auto loaded = theirs->load(id);
    REQUIRE(loaded.has_value());
    return format_value(loaded->state.fields.at("severity"));
  }
  // The similar-cases raises recorded on case `id`.
  std::vector<event> raises(const std::string& id) {
    std::vector<event> out;
    for (const auto& e : their_file->case_events(id))
      if (e.kind == event_kind::fields_changed && e.data.contains("similar")) out.push_back(e);
    return out;
  }
  std::size_t cases() { return their_file->list_cases({}).size(); }
};

// The times: complaints on 1 and 2 March, the third on 20 March (18 and 19 days later, within
// the month), and the concurrent one on 14 April: 25 days after the third, so in its group,
// but 43 and 44 days after the first two, so its own group holds the third case at most and
// it raises nothing itself (no calendar: a month is at most 31 days, similar.cpp).
TEST_CASE("similar race: a new case whose group changed before its commit is counted again, and raised once") {
  race_world w;
  const std::string a = w.must_open(*w.mine, "张三", "2026-03-01T09:00:00Z");
  const std::string b = w.must_open(*w.mine, "李四", "2026-03-02T09:00:00Z");
  CHECK(w.severity(a) == "general");
  std::string late;
  w.racing->meanwhile = [&] { late = w.must_open(*w.theirs, "赵六", "2026-04-14T09:00:00Z"); };
  w.racing->group_reads = 0;
  w.racing->races = 1;

  // Read: a and b, 3 distinct customers with 王五. Before the commit `late` joins the group,
  // so the store refuses the commit and the runtime reads the group again: a, b and late,
  // 4 distinct customers. Every open case of the group is raised, each exactly once.
  const std::string c = w.must_open(*w.mine, "王五", "2026-03-20T09:00:00Z");
  CHECK(w.racing->group_reads == 2);
  REQUIRE_FALSE(late.empty());
  CHECK(w.cases() == 4);
  for (const auto& id : {a, b, c, late}) {
    CAPTURE(id);
    CHECK(w.severity(id) == "hot");
    const auto raised = w.raises(id);
    REQUIRE(raised.size() == 1);
    CHECK(raised[0].data["rule"] == "three_complainants");
    CHECK(raised[0].data["similar"]["count"] == 4);
  }
  CHECK(w.raises(c)[0].data["similar"]["cases"] == nlohmann::json{a, b, late});
  CHECK(w.raises(late)[0].data["similar"]["cases"] == nlohmann::json{c, a, b});
}

TEST_CASE("similar race: when the group keeps changing, the new case is refused after three tries and nothing is "
          "written; a retry counts it") {
  race_world w;
  const std::string a = w.must_open(*w.mine, "张三", "2026-03-01T09:00:00Z");
  const std::string b = w.must_open(*w.mine, "李四", "2026-03-02T09:00:00Z");
  // Each concurrent case is 赵六's again: one distinct customer, so none of them raises anything.
  std::vector<std::string> late;
  const std::vector<const char*> times{"2026-04-14T09:00:00Z", "2026-04-15T09:00:00Z", "2026-04-16T09:00:00Z"};
  w.racing->meanwhile = [&] { late.push_back(w.must_open(*w.theirs, "赵六", times.at(late.size()))); };
  w.racing->group_reads = 0;
  w.racing->races = 3;

  const outcome refused = w.open(*w.mine, "王五", "2026-03-20T09:00:00Z");
  CHECK(refused.result == outcome::status::conflict);
  CHECK(refused.message == "the cases similar to a new leak case changed while this command was being decided; "
                           "nothing was written, safe to retry");
  CHECK(w.racing->group_reads == 3);  // runtime.cpp k_similar_attempts
  REQUIRE(late.size() == 3);
  CHECK(w.cases() == 5);  // a, b and the three concurrent ones: not 王五's
  for (const auto& id : {a, b, late[0], late[1], late[2]}) {
    CAPTURE(id);
    CHECK(w.severity(id) == "general");
    CHECK(w.raises(id).empty());
  }

  // Safe to retry: with the group still, 王五's case is counted (张三, 李四, 王五, 赵六) and
  // every open case of the group is raised once.
  const std::string c = w.must_open(*w.mine, "王五", "2026-03-20T09:00:00Z");
  CHECK(w.racing->group_reads == 4);
  for (const auto& id : {a, b, c, late[0], late[1], late[2]}) {
    CAPTURE(id);
    CHECK(w.severity(id) == "hot");
    const auto raised = w.raises(id);
    REQUIRE(raised.size() == 1);
    CHECK(raised[0].data["similar"]["count"] == 4);
  }
}

}  // namespace
}  // namespace caseflow
