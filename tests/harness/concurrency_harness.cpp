// concurrency_harness — K processes race on shared cases for T seconds, then the log is
// checked for lost updates and duplicates.
//
// Usage: concurrency_harness [--workers 4] [--seconds 5] [--shared 2] [--seed 1]
//                            [--caseflow PATH] [--source DIR]
//
// `shared` cases are opened and picked (step `working`, whose `bump` loops back to it, so
// every command is valid whatever ran before: the only way to lose is a race). Each of
// `workers` threads runs `caseflow` commands one after another until the time is up: most
// bump a random shared case (conflicting: the same action on the same case as the other
// workers), some bump the worker's own case (not conflicting), some tick (the cases' one-hour
// escalation is due, so the ticks race to fire it), some dispatch the outbox through the log
// channel (so dispatchers race for the escalations' notifications). Every bump carries a unique
// comment.
// Afterwards:
//   - every bump that exited 0 is in the log exactly once, every one that exited 3 is absent
//     (no lost update, no duplicate), and no command failed any other way;
//   - after the timed race, two bumps per shared case that both read it before either may
//     commit (a held write lock): exactly one of each pair exits 3, so the run always contains
//     real lost races whatever the timing;
//   - each case has one event per successful bump plus its opening, and its projection
//     version equals its event count;
//   - each due escalation fired exactly once however many ticks raced;
//   - after two more dispatchers started together, every outbox row is delivered, with exactly
//     one delivery event and exactly one line in the log channel's file: no message sent twice
//     however many dispatchers raced (none crashed);
//   - `caseflow verify` exits 0 and `caseflow replay` finds every case equal to its log.
// Prints one summary line with the counts; exit 0 when all hold, else the findings and 1.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "drill_support.h"
#include "e2e/lost_race.h"

namespace caseflow::harness {
namespace {

constexpr const char* k_opened = "2026-03-02T00:00:00Z";
constexpr const char* k_racing = "2026-03-02T02:00:00Z";  // after_one_hour is due, after_one_day is not

struct attempt {
  std::string command;  // "bump", "tick" or "dispatch"
  std::string case_id;  // empty for a tick or a dispatch
  std::string token;
  int exit_code = 0;
  std::string err;
};

class concurrency_run {
 public:
  explicit concurrency_run(const option_map& options) : options_(options), workspace_(options.text("source")) {}

  int run() {
    const auto workers = options_.number("workers");
    std::vector<std::string> shared;
    for (int i = 1; i <= options_.number("shared"); ++i) shared.push_back(open_case(fmt::format("DR-S{}", i)));
    std::vector<std::string> own;
    for (int w = 1; w <= workers; ++w) own.push_back(open_case(fmt::format("DR-W{}", w)));
    if (!findings_.empty()) return report_findings();

    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(options_.number("seconds"));
    std::vector<std::vector<attempt>> results(static_cast<std::size_t>(workers));
    std::vector<std::thread> threads;
    for (std::size_t w = 0; w < results.size(); ++w)
      threads.emplace_back([&, w] { work(w, shared, own[w], until, &results[w]); });
    for (auto& t : threads) t.join();
    // Then a lost race that does not depend on timing: on each shared case, two bumps that
    // both read it before either may commit (test::race_under_write_lock); one must exit 3.
    std::vector<attempt> forced = force_conflicts(shared);
    const auto forced_losers =
        std::count_if(forced.begin(), forced.end(), [](const attempt& a) { return a.exit_code == 3; });
    findings_.check(forced_losers == static_cast<std::ptrdiff_t>(shared.size()),
                    fmt::format("{} of the {} forced races lost with exit 3", forced_losers, shared.size()));
    results.push_back(std::move(forced));

    std::int64_t commands = 0, successes = 0, conflicts = 0, ticks = 0, dispatches = 0, shared_bumps = 0, bumps_done = 0;
    std::map<std::string, int> bumps_per_case;
    std::map<std::string, const attempt*> by_token;
    for (const auto& list : results)
      for (const auto& a : list) {
        ++commands;
        if (a.command == "tick")
          ++ticks;
        else if (a.command == "dispatch")
          ++dispatches;
        else if (a.case_id.rfind("DR-S", 0) == 0)
          ++shared_bumps;
        if (a.exit_code == 0) {
          ++successes;
          if (!a.case_id.empty()) {
            ++bumps_per_case[a.case_id];
            ++bumps_done;
          }
        } else if (a.exit_code == 3) {
          ++conflicts;
        } else {
          ++other_failures_;
          findings_.check(false, fmt::format("{} {} exited {}: {}", a.command, a.case_id, a.exit_code, a.err));
        }
        if (!a.token.empty()) by_token[a.token] = &a;
      }
    check_log(by_token, bumps_per_case);
    if (!findings_.empty()) return report_findings();
    std::cout << fmt::format(
        "concurrency harness: {} workers for {}s on {} shared cases: {} commands ({} bumps on shared cases, {} ticks, "
        "{} dispatches), {} succeeded, {} conflicts ({} of them forced; exit 3, absent from the log), {} other "
        "failures; {} successful bumps each in the log exactly once, escalations fired once each, {} notifications "
        "each delivered once by racing dispatchers, verify and replay clean\n",
        workers, options_.number("seconds"), shared.size(), commands, shared_bumps, ticks, dispatches, successes,
        conflicts, forced_losers, other_failures_, bumps_done, delivered_);
    return 0;
  }

 private:
  std::string open_case(const std::string& id) {
    for (const auto& args :
         {std::vector<std::string>{"start", "drill", "--id", id, "--set", "customer=Racer", "--now", k_opened},
          std::vector<std::string>{"do", id, "pick", "--comment", "opening", "--now", k_opened}}) {
      const auto r = test::run(options_.text("caseflow"), args, workspace_.env(), workspace_.path());
      findings_.check(r.exit_code == 0, fmt::format("setting up {} exited {}: {}", id, r.exit_code, r.err));
    }
    return id;
  }

  // One worker: 60% bumps on a shared case, 20% on its own case, 10% ticks, 10% dispatches,
  // until `until`.
  void work(std::size_t worker, const std::vector<std::string>& shared, const std::string& own,
            std::chrono::steady_clock::time_point until, std::vector<attempt>* out) const {
    std::mt19937_64 random(static_cast<std::uint64_t>(options_.number("seed")) * 1000 + worker);
    for (int i = 1; std::chrono::steady_clock::now() < until; ++i) {
      attempt a;
      const int dice = std::uniform_int_distribution<int>(1, 100)(random);
      std::vector<std::string> args;
      if (dice <= 10) {
        a.command = "tick";
        args = {"tick", "--now", k_racing};
      } else if (dice <= 20) {
        a.command = "dispatch";
        args = {"dispatch", "--now", k_racing};
      } else {
        a.command = "bump";
        a.case_id = dice <= 80 ? shared[std::uniform_int_distribution<std::size_t>(0, shared.size() - 1)(random)] : own;
        a.token = fmt::format("w{}-{}", worker + 1, i);
        args = {"do",        a.case_id, "bump",  "--set", fmt::format("counter={}", i),
                "--comment", a.token,   "--now", k_racing};
      }
      const auto r = test::run(options_.text("caseflow"), args, workspace_.env(), workspace_.path());
      a.exit_code = r.exit_code;
      a.err = r.err;
      out->push_back(std::move(a));
    }
  }

  // Two bumps per shared case under a held write lock, so both decide on the same state.
  std::vector<attempt> force_conflicts(const std::vector<std::string>& shared) const {
    std::vector<attempt> out;
    for (const auto& id : shared) {
      std::vector<std::vector<std::string>> commands;
      std::vector<attempt> pair;
      for (int n = 1; n <= 2; ++n) {
        attempt a;
        a.command = "bump";
        a.case_id = id;
        a.token = fmt::format("forced-{}-{}", id, n);
        commands.push_back({"do", id, "bump", "--set", fmt::format("counter={}", n), "--comment", a.token, "--now",
                            k_racing});
        pair.push_back(std::move(a));
      }
      const auto results = test::race_under_write_lock(options_.text("caseflow"), workspace_.db(), commands,
                                                       workspace_.env(), workspace_.path());
      for (std::size_t n = 0; n < pair.size(); ++n) {
        pair[n].exit_code = results[n].exit_code;
        pair[n].err = results[n].err;
        out.push_back(std::move(pair[n]));
      }
    }
    return out;
  }

  void check_log(const std::map<std::string, const attempt*>& by_token,
                 const std::map<std::string, int>& bumps_per_case) {
    // Make sure every due escalation has fired (a last, uncontended tick), then look.
    const auto tick =
        test::run(options_.text("caseflow"), {"tick", "--now", k_racing}, workspace_.env(), workspace_.path());
    findings_.check(tick.exit_code == 0, fmt::format("the last tick exited {}: {}", tick.exit_code, tick.err));
    // Two more dispatchers at once, over whatever the racing ones left.
    {
      std::vector<test::child> dispatchers;
      dispatchers.reserve(2);
      for (int n = 0; n < 2; ++n)
        dispatchers.emplace_back(options_.text("caseflow"), std::vector<std::string>{"dispatch", "--now", k_racing},
                                 workspace_.env(), workspace_.path());
      for (auto& d : dispatchers) {
        const auto r = d.wait();
        findings_.check(r.exit_code == 0, fmt::format("a final dispatch exited {}: {}", r.exit_code, r.err));
      }
    }
    for (const char* command : {"verify", "replay"}) {
      const auto r = test::run(options_.text("caseflow"), {command}, workspace_.env(), workspace_.path());
      findings_.check(r.exit_code == 0, fmt::format("{} exited {}: {}{}", command, r.exit_code, r.out, r.err));
    }
    const auto view = read_database(workspace_.db());
    std::map<std::string, int> logged_tokens;
    std::map<std::string, int> bumps_logged, events_logged;
    std::map<std::pair<std::string, std::string>, int> firings;
    for (const auto& e : view.events) {
      ++events_logged[e.case_id];
      if (e.kind == "action_taken" && e.action == "bump") {
        ++logged_tokens[e.comment];
        ++bumps_logged[e.case_id];
        findings_.check(by_token.count(e.comment) == 1,
                        fmt::format("bump '{}' on {} was run by no worker", e.comment, e.case_id));
      }
      if (e.kind == "timer_fired") ++firings[{e.case_id, fired_rule(e)}];
    }
    for (const auto& [token, a] : by_token) {
      const int n = logged_tokens.count(token) ? logged_tokens.at(token) : 0;
      if (a->exit_code == 0)
        findings_.check(n == 1, fmt::format("bump {} exited 0 but is in the log {} times", token, n));
      if (a->exit_code == 3)
        findings_.check(n == 0, fmt::format("bump {} lost a race (exit 3) but is in the log", token));
    }
    for (const auto& [id, seq] : view.case_seqs) {
      const int want = bumps_per_case.count(id) ? bumps_per_case.at(id) : 0;
      const int got = bumps_logged.count(id) ? bumps_logged.at(id) : 0;
      findings_.check(got == want, fmt::format("case {}: {} bumps succeeded, {} logged", id, want, got));
      findings_.check(seq == events_logged[id],
                      fmt::format("case {}: version {} but {} events", id, seq, events_logged[id]));
      findings_.check(firings[{id, "after_one_hour"}] == 1,
                      fmt::format("case {}: after_one_hour fired {} times", id, firings[{id, "after_one_hour"}]));
      findings_.check(firings[{id, "after_one_day"}] == 0, fmt::format("case {}: after_one_day fired early", id));
    }
    check_outbox(view);
  }

  // Every row delivered, once: one delivery event and one line in the log channel's file each.
  void check_outbox(const database_view& view) {
    std::map<std::int64_t, int> deliveries;
    for (const auto& e : view.events)
      if (e.kind == "notification_delivered") ++deliveries[e.data.value("outbox_id", std::int64_t{0})];
    const std::string log_text = test::read_bytes(workspace_.notify_log()).value_or("");
    findings_.check(!view.outbox.empty(), "the escalations made no outbox row to race for");
    for (const auto& row : view.outbox) {
      findings_.check(row.state == "delivered" && deliveries[row.id] == 1,
                      fmt::format("outbox row {} is {} with {} delivery events", row.id, row.state, deliveries[row.id]));
      int copies = 0;
      const std::string needle = " " + row.idempotency_key.substr(0, 12) + " ";
      for (auto at = log_text.find(needle); at != std::string::npos; at = log_text.find(needle, at + 1)) ++copies;
      findings_.check(copies == 1, fmt::format("outbox row {} reached the log channel {} times", row.id, copies));
      if (row.state == "delivered") ++delivered_;
    }
  }

  int report_findings() const {
    findings_.print("concurrency harness");
    std::cerr << fmt::format("(seed {}; database in {})\n", options_.number("seed"), workspace_.path().string());
    return 1;
  }

  const option_map& options_;
  drill_workspace workspace_;
  findings findings_;
  std::int64_t other_failures_ = 0;
  std::int64_t delivered_ = 0;
};

}  // namespace
}  // namespace caseflow::harness

int main(int argc, char** argv) {
  try {
    const caseflow::harness::option_map options(argc, argv,
                                                {{"workers", "4"},
                                                 {"seconds", "5"},
                                                 {"shared", "2"},
                                                 {"seed", "1"},
                                                 {"caseflow", CASEFLOW_BINARY},
                                                 {"source", CASEFLOW_SOURCE_DIR}});
    return caseflow::harness::concurrency_run(options).run();
  } catch (const std::exception& e) {
    std::cerr << "concurrency harness: " << e.what() << '\n';
    return 2;
  }
}
