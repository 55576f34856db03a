// Bulk import of historical cases from JSON Lines. See caseflow/importer.h.
#include "caseflow/importer.h"

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "caseflow/timers.h"
#include "import_ledger.h"

namespace caseflow {

namespace {

// A line that cannot be imported: why, and the 1-based column when known.
struct bad_line {
  std::string message;
  int column = 0;
};

void check_keys(const nlohmann::json& object, std::initializer_list<std::string_view> known, std::string_view what) {
  const std::vector<std::string> names(known.begin(), known.end());
  for (const auto& [key, ignored] : object.items())
    if (std::find(names.begin(), names.end(), key) == names.end())
      throw bad_line{fmt::format("unknown key '{}' in {}{}", key, what, did_you_mean(key, names))};
}

std::string optional_string(const nlohmann::json& object, const char* key, std::string_view what) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (!it->is_string()) throw bad_line{fmt::format("'{}' of {} must be a string", key, what)};
  return it->get<std::string>();
}

std::string required_string(const nlohmann::json& object, const char* key, std::string_view what) {
  std::string text = optional_string(object, key, what);
  if (text.empty()) throw bad_line{fmt::format("{} needs '{}'", what, key)};
  return text;
}

instant required_time(const nlohmann::json& object, const char* key, std::string_view what) {
  const std::string text = required_string(object, key, what);
  auto t = parse_instant(text);
  if (!t)
    throw bad_line{fmt::format("'{}' of {}: '{}' is not an ISO-8601 time with a zone, e.g. 2025-03-01T09:00:00+08:00",
                               key, what, text)};
  return *t;
}

// `{"amount": 1200.5, "urgent": true}` as `--set` pairs, the values written as an operator would type them.
std::vector<std::pair<std::string, std::string>> sets_from(const nlohmann::json& object, const char* key,
                                                           std::string_view what) {
  std::vector<std::pair<std::string, std::string>> sets;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return sets;
  if (!it->is_object()) throw bad_line{fmt::format("'{}' of {} must be an object of field values", key, what)};
  for (const auto& [name, v] : it->items()) {
    if (v.is_null()) continue;
    if (v.is_string()) sets.emplace_back(name, v.get<std::string>());
    else if (v.is_number() || v.is_boolean()) sets.emplace_back(name, v.dump());
    else throw bad_line{fmt::format("field '{}' of {}: give a string, number or boolean", name, what)};
  }
  return sets;
}

// Reads one case from a line and decides it through the core, as runtime::start and
// runtime::execute would, without touching the store.
class case_builder {
 public:
  explicit case_builder(runtime& rt) : rt_(rt) {}

  // The case of a line read by read_line; its opening event records `digest` (import_ledger.h).
  commit_request build(const nlohmann::json& j, const std::string& digest) const {
    check_keys(j, {"procedure", "id", "opened_at", "actor", "fields", "comment", "actions"}, "a case");
    const procedure& p = find_procedure(required_string(j, "procedure", "a case"));

    command opening;
    opening.type = command::kind::start;
    opening.actor = required_string(j, "actor", "a case");
    opening.sets = sets_from(j, "fields", "the case");
    opening.comment = optional_string(j, "comment", "a case");
    const instant opened_at = required_time(j, "opened_at", "a case");
    case_state state;
    state.id = optional_string(j, "id", "a case");
    const moment opened = rt_.moment_for(p, opened_at);
    std::vector<event> events;
    decide_into(p, opening, opened, "opening the case", &state, &events);

    auto actions = j.find("actions");
    if (actions != j.end() && !actions->is_null()) {
      if (!actions->is_array()) throw bad_line{"'actions' must be an array"};
      instant previous = opened_at;
      for (std::size_t i = 0; i < actions->size(); ++i) {
        const std::string what = fmt::format("action {}", i + 1);
        const nlohmann::json& a = (*actions)[i];
        if (!a.is_object()) throw bad_line{what + " must be a JSON object"};
        const command cmd = command_from(a, what);
        const instant at = required_time(a, "at", what);
        if (at < previous)
          throw bad_line{fmt::format("{} at {} is earlier than the event before it ({}); list a case's history in order",
                                     what, format_instant_utc(at), format_instant_utc(previous))};
        previous = at;
        decide_into(p, cmd, rt_.moment_for(p, at), fmt::format("{} ('{}')", what, describe(cmd)), &state, &events);
      }
    }

    events.front().data[k_import_digest_key] = digest;
    commit_request request;
    request.definition = &p;
    request.expected_seq = 0;
    request.events = std::move(events);
    request.resulting_state = std::move(state);
    request.id_pattern = p.case_id_pattern;
    request.local_day = opened.today;
    return request;
  }

 private:
  const procedure& find_procedure(const std::string& id) const {
    if (const procedure* p = rt_.library().find(id)) return *p;
    std::vector<std::string> ids;
    for (const procedure* q : rt_.library().all()) ids.push_back(q->id);
    throw bad_line{fmt::format("unknown procedure '{}'{}; procedures: {}", id, did_you_mean(id, ids),
                               fmt::join(ids, ", "))};
  }

  static command command_from(const nlohmann::json& a, const std::string& what) {
    check_keys(a, {"action", "assign", "note", "actor", "at", "set", "comment"}, what);
    const int kinds = static_cast<int>(a.contains("action")) + static_cast<int>(a.contains("assign")) +
                      static_cast<int>(a.contains("note"));
    if (kinds != 1) throw bad_line{what + " needs exactly one of 'action', 'assign' or 'note'"};
    command cmd;
    cmd.actor = required_string(a, "actor", what);
    cmd.comment = optional_string(a, "comment", what);
    if (a.contains("action")) {
      cmd.type = command::kind::act;
      cmd.action = required_string(a, "action", what);
      cmd.sets = sets_from(a, "set", what);
    } else if (a.contains("assign")) {
      cmd.type = command::kind::assign;
      cmd.assignee = required_string(a, "assign", what);
    } else {
      cmd.type = command::kind::note;
      cmd.comment = required_string(a, "note", what);
    }
    if (cmd.type != command::kind::act && a.contains("set"))
      throw bad_line{what + ": only an 'action' can 'set' fields"};
    return cmd;
  }

  static std::string describe(const command& cmd) {
    switch (cmd.type) {
      case command::kind::act: return cmd.action;
      case command::kind::assign: return "assign " + cmd.assignee;
      default: return "note";
    }
  }

  // Decides `cmd` on *state and folds the events into it; a refusal fails the line.
  void decide_into(const procedure& p, const command& cmd, const moment& at, const std::string& what,
                   case_state* state, std::vector<event>* events) const {
    decision decided = decide(p, rt_.org(), *state, cmd, at);
    if (!decided) throw bad_line{fmt::format("{}: {}", what, decided.refused->message)};
    // The deadlines the step asks for, as runtime::commit schedules them for a live command.
    decided.events = with_deadlines(p, rt_.calendar_for(p), *state, std::move(decided.events), at.now);
    for (auto& e : decided.events) {
      *state = apply(p, std::move(*state), e);
      events->push_back(std::move(e));
    }
  }

  runtime& rt_;
};

// One line of the file, parsed, with its digest and its id ("" when it gives none).
struct read_line {
  nlohmann::json json;
  std::string digest;
  std::string id;
};

read_line parse_line(const std::string& line) {
  read_line read;
  try {
    read.json = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& e) {
    const std::string what = e.what();
    const auto tag_end = what.find("] ");
    throw bad_line{"malformed JSON: " + (tag_end == std::string::npos ? what : what.substr(tag_end + 2)),
                   static_cast<int>(e.byte)};
  }
  if (!read.json.is_object()) throw bad_line{"each line must be one case, a JSON object"};
  read.digest = line_digest(read.json);
  read.id = optional_string(read.json, "id", "a case");
  return read;
}

// Calls `visit(line_number, line)` for each non-blank line until it returns false.
// Returns false when the file cannot be opened.
template <typename Visit>
bool for_each_line(const std::string& path, Visit visit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (!visit(number, line)) break;
  }
  return true;
}

diagnostic problem_at(const std::string& path, int line, const bad_line& bad) {
  return diagnostic{path, line, bad.column, bad.message, diagnostic_level::error};
}

// Pass 1: decides every line not yet imported (`ledger`) and checks the ids; writes nothing.
diagnostics validate(runtime& rt, const std::string& path, import_ledger ledger, const import_options& options) {
  const case_builder builder(rt);
  diagnostics problems;
  std::vector<std::pair<std::string, int>> ids;  // explicit ids with their lines
  const bool readable = for_each_line(path, [&](int number, const std::string& line) {
    try {
      const read_line read = parse_line(line);
      if (!read.id.empty()) ids.emplace_back(read.id, number);
      if (ledger.take(read.digest, read.id)) return true;
      if (!read.id.empty() && rt.storage().load_case(read.id))
        throw bad_line{fmt::format("case {} is already in the database and was not imported from this line "
                                   "(a rerun skips only the cases imported from the same content)",
                                   read.id)};
      builder.build(read.json, read.digest);
    } catch (const bad_line& bad) {
      problems.push_back(problem_at(path, number, bad));
    }
    return problems.size() < options.max_problems;
  });
  if (!readable) return {diagnostic{path, 0, 0, "cannot read this file", diagnostic_level::error}};
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 1; i < ids.size() && problems.size() < options.max_problems; ++i)
    if (ids[i].first == ids[i - 1].first)
      problems.push_back(problem_at(
          path, ids[i].second, {fmt::format("case {} is also on line {}; each case must be listed once", ids[i].first,
                                            ids[i - 1].second)}));
  std::stable_sort(problems.begin(), problems.end(),
                   [](const diagnostic& a, const diagnostic& b) { return a.line < b.line; });
  return problems;
}

}  // namespace

import_report import_cases(runtime& rt, const std::string& path, const import_options& options) {
  import_report report;
  import_ledger ledger = import_ledger::read(rt.storage());
  report.problems = validate(rt, path, ledger, options);
  if (!report.problems.empty()) {
    report.result = import_report::status::invalid;
    return report;
  }

  // Pass 2: decide again and commit, one batch per transaction.
  const case_builder builder(rt);
  std::vector<commit_request> batch;
  std::vector<int> lines;  // the line of each request in `batch`
  auto flush = [&] {
    if (batch.empty()) return true;
    const std::size_t size = batch.size();
    const auto results = rt.write_batch(std::move(batch));
    batch.clear();
    if (results.size() == size && results.back().status == commit_status::committed) {
      for (const auto& r : results) report.events += static_cast<std::int64_t>(r.events.size());
      report.cases += static_cast<std::int64_t>(size);
      ++report.batches;
      lines.clear();
      return true;
    }
    report.result = import_report::status::conflict;
    const int line = lines[std::min(results.size(), size) - 1];
    report.problems.push_back(problem_at(
        path, line, {fmt::format("{}; the import stopped here: the {} cases before this batch were written, "
                                 "this batch and the rest were not", results.back().message, report.cases)}));
    return false;
  };
  const bool readable = for_each_line(path, [&](int number, const std::string& line) {
    try {
      const read_line read = parse_line(line);
      if (ledger.take(read.digest, read.id)) {
        ++report.already_imported;
        return true;
      }
      batch.push_back(builder.build(read.json, read.digest));
      lines.push_back(number);
    } catch (const bad_line& bad) {  // the file changed since pass 1
      report.result = import_report::status::invalid;
      report.problems.push_back(problem_at(path, number, bad));
      return false;
    }
    return batch.size() < options.batch_size || flush();
  });
  if (!readable) {
    report.result = import_report::status::invalid;
    report.problems.push_back(diagnostic{path, 0, 0, "cannot read this file", diagnostic_level::error});
  }
  if (report.result == import_report::status::done) flush();
  return report;
}

}  // namespace caseflow
