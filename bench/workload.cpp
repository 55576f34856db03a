#include "workload.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace caseflow::bench {

namespace fs = std::filesystem;

void assemble_procedures(const std::string& source_dir, const std::string& dir) {
  fs::create_directories(dir);
  for (const char* name : {"bench6.yaml", "org.yaml"})
    fs::copy_file(fs::path(source_dir) / "bench" / "procedures" / name, fs::path(dir) / name,
                  fs::copy_options::overwrite_existing);
  fs::copy(fs::path(source_dir) / "processes" / "calendars", fs::path(dir) / "calendars",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

void write_long_procedure(const std::string& source_dir, const std::string& dir, int steps) {
  fs::create_directories(dir);
  fs::copy_file(fs::path(source_dir) / "bench" / "procedures" / "org.yaml", fs::path(dir) / "org.yaml",
                fs::copy_options::overwrite_existing);
  fs::copy(fs::path(source_dir) / "processes" / "calendars", fs::path(dir) / "calendars",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::ofstream out(fs::path(dir) / "long.yaml");
  out << "procedure: long\nname: { zh: 长流程, en: Long procedure }\nversion: \"1.0\"\ncalendar: cn-mainland\n"
         "roles:\n  clerk: { zh: 办事员, en: Clerk }\nfields:\n  note: { type: text, name: 备注 }\nstart: s0\nsteps:\n";
  for (int i = 0; i < steps; ++i)
    out << fmt::format("  s{0}:\n    name: 第{0}步\n    role: clerk\n    limits:\n      - {{ rule: r{0}, within: 2 working days }}\n"
                       "    actions:\n      next: {{ to: {1}, sets: [note] }}\n",
                       i, i + 1 < steps ? fmt::format("s{}", i + 1) : std::string("end"));
  out << "  end:\n    name: 结束\n    terminal: true\n";
  if (!out) throw std::runtime_error("cannot write " + (fs::path(dir) / "long.yaml").string());
}

namespace {
void require_clean(const diagnostics& problems, const std::string& what) {
  if (has_errors(problems)) throw std::runtime_error("cannot load " + what + ": " + to_string(problems.front()));
}
}  // namespace

world::world(const std::string& procedures_dir) {
  diagnostics problems;
  calendars = load_calendars((fs::path(procedures_dir) / "calendars").string(), &problems);
  require_clean(problems, "the calendars");
  library = load_procedure_library(procedures_dir, &problems);
  require_clean(problems, "the procedures");
  org = load_organisation((fs::path(procedures_dir) / "org.yaml").string(), &problems);
  require_clean(problems, "the organisation");
}

namespace {
command act(std::string actor, std::string action, std::vector<std::pair<std::string, std::string>> sets = {},
            std::string comment = "") {
  command cmd;
  cmd.type = command::kind::act;
  cmd.actor = std::move(actor);
  cmd.action = std::move(action);
  cmd.sets = std::move(sets);
  cmd.comment = std::move(comment);
  return cmd;
}

std::string amount(std::int64_t i) { return fmt::format("{}.{:02}", 1000 + i % 40000, i % 100); }
}  // namespace

command opening(std::int64_t i) {
  command cmd;
  cmd.type = command::kind::start;
  cmd.actor = "clerk.a";
  cmd.sets = {{"customer", fmt::format("客户{:07}", i)}, {"amount", amount(i)}};
  return cmd;
}

std::vector<command> path() {
  return {act("clerk.a", "submit", {{"note", "材料齐全"}}), act("clerk.a", "check", {{"amount", "12345.67"}}),
          act("manager.a", "approve", {}, "同意"), act("clerk.a", "pay"), act("clerk.a", "close")};
}

void write_case_lines(const std::string& path_name, const case_lines& lines) {
  std::ofstream out(path_name, std::ios::binary | std::ios::app);
  std::string line;
  for (std::int64_t k = 0; k < lines.count; ++k) {
    const std::int64_t i = lines.first + k;
    const std::int64_t opened = lines.opened_from.seconds + k * lines.spacing;
    line = fmt::format(R"({{"procedure":"bench6","id":"H{:07}","opened_at":"{}","actor":"clerk.a",)"
                       R"("fields":{{"customer":"客户{:07}","amount":"{}"}})",
                       i, format_instant_utc(instant{opened}), i, amount(i));
    if (lines.full_path) {
      std::string actions;
      int minute = 0;
      for (const command& cmd : path()) {
        nlohmann::json a = {{"action", cmd.action}, {"actor", cmd.actor},
                            {"at", format_instant_utc(instant{opened + 60 * ++minute})}};
        for (const auto& [name, value] : cmd.sets) a["set"][name] = value;
        if (!cmd.comment.empty()) a["comment"] = cmd.comment;
        if (!actions.empty()) actions += ',';
        actions += a.dump();
      }
      line += R"(,"actions":[)" + actions + "]";
    }
    line += "}\n";
    out << line;
  }
  if (!out) throw std::runtime_error("cannot write " + path_name);
}

}  // namespace caseflow::bench
