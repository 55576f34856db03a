// crash_harness — SIGKILLs `caseflow` at random moments during a stream of real commands
// and proves, after every kill, that nothing was lost or half-written.
//
// Usage: crash_harness [--kills 25] [--seed 1] [--caseflow PATH] [--source DIR]
//                      [--max-commands 5000] [--max-seconds 0 (no limit)] [--kill-percent 50]
//
// The stream (each command at its own virtual time, `--now` strictly increasing, so every
// event's `at` names the one command that wrote it): start a case, pick/bump/park it,
// tick, dispatch the outbox through the log channel, import a JSONL file of one to three
// cases. About `kill-percent` of commands get SIGKILL after a random delay between 0.4 and
// 1.2 times that command's usual running time (most of which is starting the process),
// until `kills` of them were really killed (fewer, when --max-commands or --max-seconds stops
// the run first, is a failure). After each kill
// (and at the end, after a final tick two days on and a dispatch):
//   - `caseflow verify` exits 0 and `caseflow replay` finds every case equal to its log;
//   - every command that exited 0 is in the log; every killed command is wholly in or
//     wholly absent (start: its three events; an action: its one event; an import: all of
//     its cases with all their events, or none; a tick: each firing with its notification;
//     a dispatch: one delivery event per outbox row it marked delivered);
//   - every event belongs to a command that was run, and each case's projection version
//     equals the number of its events;
//   - each escalation fired at most once, was fired by every tick that came after it was
//     due, and at the end fired exactly once for every case.
// Exit 0 and one summary line when all hold; otherwise the findings and exit 1.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "drill_support.h"

namespace caseflow::harness {
namespace {

constexpr const char* k_start_time = "2026-03-02T00:00:00Z";

struct escalation {
  const char* rule;
  std::int64_t after_seconds;
};
constexpr escalation k_escalations[] = {{"after_one_hour", 3600}, {"after_one_day", 86400}};

enum class op { start, act, tick, dispatch, import };
constexpr const char* k_op_names[] = {"start", "act", "tick", "dispatch", "import"};

// One command of the stream and what became of it.
struct command_record {
  int n = 0;
  op kind = op::start;
  std::string now;                            // its --now, unique in the stream
  std::string case_id;                        // start, act
  std::string action;                         // act
  std::vector<std::string> imported;          // import: the case ids in the file
  std::vector<std::string> imported_actions;  // import: the actions of each case, in order
  bool killed = false;
};

// A case the log holds, as the harness expects it to be.
struct case_model {
  std::string opened_at;
  std::string step;
};

class crash_run {
 public:
  crash_run(const option_map& options)
      : options_(options),
        workspace_(options.text("source")),
        random_(static_cast<std::mt19937_64::result_type>(options.number("seed"))),
        now_(k_start_time) {}

  int run() {
    const auto kills_wanted = options_.number("kills");
    const auto max_commands = options_.number("max-commands");
    const auto kill_percent = options_.number("kill-percent");
    const auto max_seconds = options_.number("max-seconds");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
    while (kills_ < kills_wanted && static_cast<std::int64_t>(commands_.size()) < max_commands &&
           (max_seconds == 0 || std::chrono::steady_clock::now() < deadline)) {
      command_record c = next_command();
      const bool try_kill =
          usual_micros_.count(c.kind) && std::uniform_int_distribution<int>(1, 100)(random_) <= kill_percent;
      const auto args = arguments(c);
      const auto started = std::chrono::steady_clock::now();
      test::child process(options_.text("caseflow"), args, workspace_.env(), workspace_.path());
      if (try_kill) {
        const double usual = usual_micros_[c.kind];
        std::this_thread::sleep_for(std::chrono::microseconds(
            static_cast<std::int64_t>(std::uniform_real_distribution<double>(0.4 * usual, 1.2 * usual)(random_))));
        process.send_signal(SIGKILL);
      }
      const auto result = process.wait();
      const double micros =
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count();
      if (result.exit_code == 128 + SIGKILL) {
        c.killed = true;
        ++kills_;
        commands_.push_back(c);
        learn_from_log(commands_.back());
        check_everything(/*final=*/false);
      } else if (result.exit_code == 0) {
        auto& usual = usual_micros_[c.kind];
        usual = usual == 0 ? micros : 0.8 * usual + 0.2 * micros;
        ++successes_;
        apply_success(c);
        commands_.push_back(c);
      } else {
        findings_.check(false, fmt::format("command {} ({}) exited {} without being killed: {}", c.n,
                                           fmt::join(args, " "), result.exit_code, result.err));
      }
      if (!findings_.empty()) break;
    }
    // A run that stopped before its kills (by --max-commands or --max-seconds) proved less
    // than it was asked to: that is a failure, not a pass with fewer kills.
    if (findings_.empty())
      findings_.check(kills_ >= kills_wanted, fmt::format("only {} of the {} kills asked for happened within "
                                                          "--max-commands {} and --max-seconds {}",
                                                          kills_, kills_wanted, max_commands, max_seconds));
    if (findings_.empty()) finish();
    if (!findings_.empty()) {
      findings_.print("crash harness");
      std::cerr << fmt::format("(seed {}, after {} commands and {} kills; database in {})\n", options_.number("seed"),
                               commands_.size(), kills_, workspace_.path().string());
      return 1;
    }
    std::cout << fmt::format(
        "crash harness: seed {}, {} kills survived, {} commands ({} succeeded and verified, {} killed: {} applied "
        "whole, {} absent), {} cases, {} timers checked fired exactly once, {} deliveries repeated after a kill\n",
        options_.number("seed"), kills_, commands_.size(), successes_, kills_, killed_applied_,
        kills_ - killed_applied_, cases_.size(), timers_checked_, repeated_deliveries_);
    return 0;
  }

 private:
  // ---- the stream ----------------------------------------------------------------------

  command_record next_command() {
    command_record c;
    c.n = static_cast<int>(commands_.size()) + 1;
    now_ = utc_after(now_, std::uniform_int_distribution<int>(60, 1200)(random_));
    c.now = now_;
    const int dice = std::uniform_int_distribution<int>(1, 100)(random_);
    if (cases_.empty() || dice <= 20) {
      c.kind = op::start;
      c.case_id = fmt::format("DR-C{}", c.n);
    } else if (dice <= 60) {
      c.kind = op::act;
      auto it = cases_.begin();
      std::advance(it, std::uniform_int_distribution<std::size_t>(0, cases_.size() - 1)(random_));
      c.case_id = it->first;
      c.action = it->second.step == "waiting" ? "pick" : (dice % 2 ? "bump" : "park");
    } else if (dice <= 75) {
      c.kind = op::tick;
    } else if (dice <= 88) {
      c.kind = op::dispatch;
    } else {
      c.kind = op::import;
      const int how_many = std::uniform_int_distribution<int>(1, 3)(random_);
      for (int i = 1; i <= how_many; ++i) {
        c.imported.push_back(fmt::format("DR-I{}-{}", c.n, i));
        c.imported_actions.push_back(i == 1 ? "" : (i == 2 ? "pick" : "pick,bump"));
      }
    }
    return c;
  }

  std::vector<std::string> arguments(const command_record& c) {
    const std::string token = fmt::format("cmd-{}", c.n);
    switch (c.kind) {
      case op::start:
        return {"start", "drill",     "--id",  c.case_id, "--set", fmt::format("customer=Person {}", c.n),
                "--set", "counter=0", "--now", c.now};
      case op::act:
        return {"do", c.case_id, c.action, "--set", fmt::format("counter={}", c.n), "--comment", token, "--now", c.now};
      case op::tick:
        return {"tick", "--now", c.now};
      case op::dispatch:
        return {"dispatch", "--now", c.now};
      case op::import: {
        const std::string file = workspace_.file(fmt::format("import_{}.jsonl", c.n));
        std::ofstream out(file);
        for (std::size_t i = 0; i < c.imported.size(); ++i) {
          nlohmann::json line{{"procedure", "drill"},
                              {"id", c.imported[i]},
                              {"opened_at", c.now},
                              {"actor", "zhang.wei"},
                              {"fields", {{"customer", fmt::format("Imported {}", i)}}}};
          nlohmann::json actions = nlohmann::json::array();
          for (const auto& action : split_actions(c.imported_actions[i]))
            actions.push_back({{"action", action}, {"actor", "zhang.wei"}, {"at", c.now}, {"comment", token}});
          line["actions"] = actions;
          out << line.dump() << '\n';
        }
        return {"--as", "yang.guang", "import", file, "--now", c.now};  // importing needs an admin
      }
    }
    return {};
  }

  static std::vector<std::string> split_actions(const std::string& list) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from < list.size()) {
      const auto comma = list.find(',', from);
      out.push_back(list.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    return out;
  }

  void apply_success(const command_record& c) {
    switch (c.kind) {
      case op::start:
        cases_[c.case_id] = {c.now, "waiting"};
        break;
      case op::act:
        cases_[c.case_id].step = c.action == "park" ? "waiting" : "working";
        break;
      case op::import:
        for (std::size_t i = 0; i < c.imported.size(); ++i)
          cases_[c.imported[i]] = {c.now, c.imported_actions[i].empty() ? "waiting" : "working"};
        break;
      case op::tick:
      case op::dispatch:
        break;
    }
  }

  // A killed command may or may not have committed: the log says which, and the model follows.
  void learn_from_log(command_record& c) {
    const auto view = read_database(workspace_.db());
    bool applied = false;
    for (const auto& e : view.events) applied = applied || e.at == c.now;
    if (applied) {
      ++killed_applied_;
      apply_success(c);
    }
  }

  // ---- the checks ----------------------------------------------------------------------

  void check_everything(bool final) {
    const auto verify = test::run(options_.text("caseflow"), {"verify"}, workspace_.env(), workspace_.path());
    findings_.check(verify.exit_code == 0,
                    fmt::format("verify exited {}: {}{}", verify.exit_code, verify.out, verify.err));
    const auto replay = test::run(options_.text("caseflow"), {"replay"}, workspace_.env(), workspace_.path());
    findings_.check(replay.exit_code == 0 && replay.out.find("all match their log") != std::string::npos,
                    fmt::format("replay exited {}: {}{}", replay.exit_code, replay.out, replay.err));

    const auto view = read_database(workspace_.db());
    std::map<std::string, const command_record*> by_now;
    for (const auto& c : commands_) by_now[c.now] = &c;
    std::map<const command_record*, std::vector<const stored_event*>> written;
    std::map<std::string, std::int64_t> events_per_case;
    for (const auto& e : view.events) {
      ++events_per_case[e.case_id];
      const auto it = by_now.find(e.at);
      if (it == by_now.end()) {
        findings_.check(false,
                        fmt::format("event {} ({} on {}) at {} belongs to no command", e.id, e.kind, e.case_id, e.at));
        continue;
      }
      written[it->second].push_back(&e);
    }
    for (const auto& [id, count] : events_per_case) {
      const auto seq = view.case_seqs.find(id);
      findings_.check(seq != view.case_seqs.end() && seq->second == count,
                      fmt::format("case {} has {} events but its projection is at version {}", id, count,
                                  seq == view.case_seqs.end() ? -1 : seq->second));
    }
    findings_.check(
        view.case_seqs.size() == cases_.size(),
        fmt::format("the database has {} cases, the harness expects {}", view.case_seqs.size(), cases_.size()));

    for (const auto& c : commands_) check_command(c, written[&c], view);
    check_outbox(view);
    check_timers(view, final);
  }

  void check_command(const command_record& c, const std::vector<const stored_event*>& events,
                     const database_view& view) {
    const std::string who = fmt::format("command {} ({} at {}{})", c.n, k_op_names[static_cast<int>(c.kind)], c.now,
                                        c.killed ? ", killed" : "");
    if (!c.killed && c.kind != op::tick && c.kind != op::dispatch)
      findings_.check(!events.empty(), who + " exited 0 but wrote nothing to the log");
    if (events.empty()) return;
    switch (c.kind) {
      case op::start:
        check_opening(who, c.case_id, "", events);
        break;
      case op::act:
        findings_.check(
            events.size() == 1 && events[0]->kind == "action_taken" && events[0]->case_id == c.case_id &&
                events[0]->action == c.action && events[0]->comment == fmt::format("cmd-{}", c.n),
            fmt::format("{} wrote {} events, not exactly its one {} on {}", who, events.size(), c.action, c.case_id));
        break;
      case op::import:
        for (std::size_t i = 0; i < c.imported.size(); ++i) {
          std::vector<const stored_event*> mine;
          for (const auto* e : events)
            if (e->case_id == c.imported[i]) mine.push_back(e);
          findings_.check(!mine.empty(), fmt::format("{} is half-applied: case {} is missing", who, c.imported[i]));
          if (!mine.empty()) check_opening(who, c.imported[i], c.imported_actions[i], mine);
        }
        break;
      case op::tick:
        check_firings(who, events, view);
        break;
      case op::dispatch:
        for (const auto* e : events)
          findings_.check(e->kind == "notification_delivered",
                          fmt::format("{} wrote a {} event on {}", who, e->kind, e->case_id));
        break;
    }
  }

  // A case's opening: case_started, the deadline_set of both escalations, then one
  // action_taken per action in `actions` (comma-separated; imports only).
  void check_opening(const std::string& who, const std::string& case_id, const std::string& actions,
                     const std::vector<const stored_event*>& events) {
    std::multiset<std::string> want{"case_started", "deadline_set:after_one_hour", "deadline_set:after_one_day"};
    for (const auto& a : split_actions(actions)) want.insert("action_taken:" + a);
    std::multiset<std::string> got;
    for (const auto* e : events) {
      findings_.check(e->case_id == case_id, fmt::format("{} wrote an event on {}, not {}", who, e->case_id, case_id));
      got.insert(e->kind == "deadline_set"   ? e->kind + ":" + e->data.value("rule", "")
                 : e->kind == "action_taken" ? e->kind + ":" + e->action
                                             : e->kind);
    }
    findings_.check(got == want, fmt::format("{} wrote [{}] on {}, not the whole opening [{}]", who,
                                             fmt::join(got, " "), case_id, fmt::join(want, " ")));
  }

  // Every firing is whole: per case, one notification_requested per timer_fired, and each
  // notification has its outbox rows.
  void check_firings(const std::string& who, const std::vector<const stored_event*>& events,
                     const database_view& view) {
    std::map<std::string, int> fired, notified;
    std::set<std::int64_t> with_outbox;
    for (const auto& row : view.outbox) with_outbox.insert(row.event_id);
    for (const auto* e : events) {
      if (e->kind == "timer_fired")
        ++fired[e->case_id];
      else if (e->kind == "notification_requested") {
        ++notified[e->case_id];
        findings_.check(with_outbox.count(e->id) == 1,
                        fmt::format("{}: notification {} on {} has no outbox row", who, e->id, e->case_id));
      } else if (e->kind != "deadline_cleared") {
        findings_.check(false, fmt::format("{} wrote an unexpected {} on {}", who, e->kind, e->case_id));
      }
    }
    findings_.check(fired == notified, fmt::format("{} is half-applied: timers fired and notifications differ", who));
  }

  // Delivered rows have exactly one delivery event; pending rows none; a successful
  // dispatch left nothing pending that existed before it; every delivered message reached
  // the log file (a message may reach it twice when a kill fell between sending and recording).
  void check_outbox(const database_view& view) {
    std::map<std::int64_t, int> deliveries;
    std::map<std::int64_t, std::string> event_time;
    for (const auto& e : view.events) {
      event_time[e.id] = e.at;
      if (e.kind == "notification_delivered") ++deliveries[e.data.value("outbox_id", std::int64_t{0})];
    }
    std::string log_text = test::read_bytes(workspace_.notify_log()).value_or("");
    repeated_deliveries_ = 0;
    for (const auto& row : view.outbox) {
      const int n = deliveries[row.id];
      findings_.check(row.state == "delivered" ? n == 1 : (row.state == "pending" && n == 0),
                      fmt::format("outbox row {} is {} with {} delivery events", row.id, row.state, n));
      if (row.state == "delivered") {
        const auto copies = count_occurrences(log_text, " " + row.idempotency_key.substr(0, 12) + " ");
        findings_.check(copies >= 1, fmt::format("outbox row {} is delivered but not in the log file", row.id));
        if (copies > 1) repeated_deliveries_ += copies - 1;
      }
      for (const auto& c : commands_)
        if (c.kind == op::dispatch && !c.killed && event_time[row.event_id] < c.now)
          findings_.check(row.state == "delivered",
                          fmt::format("outbox row {} from {} still {} after the dispatch at {}", row.id,
                                      event_time[row.event_id], row.state, c.now));
    }
  }

  static int count_occurrences(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  }

  void check_timers(const database_view& view, bool final) {
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> firings;  // (case, rule) -> times
    for (const auto& e : view.events)
      if (e.kind == "timer_fired") firings[{e.case_id, fired_rule(e)}].push_back(e.at);
    for (const auto& [key, times] : firings)
      findings_.check(times.size() == 1,
                      fmt::format("timer {} of {} fired {} times", key.second, key.first, times.size()));
    timers_checked_ = 0;
    for (const auto& [id, model] : cases_)
      for (const auto& rule : k_escalations) {
        const std::string due = utc_after(model.opened_at, rule.after_seconds);
        const auto it = firings.find({id, rule.rule});
        const bool fired = it != firings.end();
        if (fired) findings_.check(it->second.front() >= due, fmt::format("timer {} of {} fired early", rule.rule, id));
        for (const auto& c : commands_)
          if (c.kind == op::tick && !c.killed && c.now >= due)
            findings_.check(fired && it->second.front() <= c.now,
                            fmt::format("timer {} of {} was due at {} but the tick at {} did not fire it", rule.rule,
                                        id, due, c.now));
        if (final) {
          findings_.check(fired, fmt::format("timer {} of {} never fired", rule.rule, id));
          ++timers_checked_;
        }
      }
  }

  // A last tick two days on fires everything; a dispatch delivers everything; then all checks.
  void finish() {
    for (op kind : {op::tick, op::dispatch}) {
      command_record c;
      c.n = static_cast<int>(commands_.size()) + 1;
      c.kind = kind;
      now_ = utc_after(now_, kind == op::tick ? 2 * 86400 : 60);
      c.now = now_;
      const auto result = test::run(options_.text("caseflow"), arguments(c), workspace_.env(), workspace_.path());
      findings_.check(
          result.exit_code == 0,
          fmt::format("the final {} exited {}: {}", k_op_names[static_cast<int>(kind)], result.exit_code, result.err));
      commands_.push_back(c);
      ++successes_;
    }
    check_everything(/*final=*/true);
  }

  const option_map& options_;
  drill_workspace workspace_;
  std::mt19937_64 random_;
  std::string now_;
  std::vector<command_record> commands_;
  std::map<std::string, case_model> cases_;
  std::map<op, double> usual_micros_;
  std::int64_t kills_ = 0;
  std::int64_t successes_ = 0;
  std::int64_t killed_applied_ = 0;
  std::int64_t timers_checked_ = 0;
  int repeated_deliveries_ = 0;
  findings findings_;
};

}  // namespace
}  // namespace caseflow::harness

int main(int argc, char** argv) {
  try {
    const caseflow::harness::option_map options(argc, argv,
                                                {{"kills", "25"},
                                                 {"seed", "1"},
                                                 {"caseflow", CASEFLOW_BINARY},
                                                 {"source", CASEFLOW_SOURCE_DIR},
                                                 {"max-commands", "5000"},
                                                 {"max-seconds", "0"},
                                                 {"kill-percent", "50"}});
    return caseflow::harness::crash_run(options).run();
  } catch (const std::exception& e) {
    std::cerr << "crash harness: " << e.what() << '\n';
    return 2;
  }
}
