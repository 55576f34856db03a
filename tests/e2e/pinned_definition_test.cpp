// Pinned definitions (README "What caseflow is"): a case runs under the exact procedure text it
// was opened with. Editing the file while a case is open changes new cases only: the open
// case's next actions and the limits it meets later still follow the stored text.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

constexpr const char* k_opened = "2026-03-02T10:00+08:00";  // a Monday, within working hours

// The actions `show --json` offers `user` on case `id`.
strings offered(const std::string& procedures, const scratch_dir& dir, const std::string& id, const std::string& user) {
  const run_result r = run_caseflow(
      {"--procedures", procedures, "--db", dir.db(), "--as", user, "--now", k_opened, "--json", "show", id}, dir);
  INFO("stderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  strings names;
  const nlohmann::json shown = nlohmann::json::parse(r.out);
  for (const auto& a : shown["actions"]) names.push_back(a["name"]);
  return names;
}

TEST_CASE("pinned definitions: an edited procedure changes new cases, never the open ones") {
  scratch_dir dir;
  const std::string procedures = dir.file("processes");
  std::filesystem::copy(k_processes, procedures, std::filesystem::copy_options::recursive);
  auto cf = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--procedures", procedures, "--db", dir.db(), "--now", k_opened});
    return run_caseflow(args, dir);
  };
  auto must = [&](std::vector<std::string> args) {
    const run_result r = cf(std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  const std::vector<std::string> open{"--as", "zhang.wei", "start", "complaint", "--set", "customer=陈先生",
                                      "--set", "channel=phone", "--set", "summary=卫生间渗水"};
  std::string old_case = must(open);
  old_case.pop_back();
  const strings first_offer = offered(procedures, dir, old_case, "zhang.wei");
  CHECK(std::find(first_offer.begin(), first_offer.end(), "forward") != first_offer.end());

  // The process owner renames `forward` to `route` and gives the written answer 8 working hours.
  const std::string file = procedures + "/complaint.yaml";
  std::string text = read_bytes(file).value();
  const std::string before = text;
  text = std::regex_replace(text, std::regex(R"(\n      forward: \{ to: department_reply,)"),
                            "\n      route: { to: department_reply,");
  text = std::regex_replace(text, std::regex(R"(rule: written_answer, within: 4h working)"),
                            "rule: written_answer, within: 8h working");
  REQUIRE(text != before);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;

  std::string new_case = must(open);
  new_case.pop_back();
  const strings old_actions = offered(procedures, dir, old_case, "zhang.wei");
  const strings new_actions = offered(procedures, dir, new_case, "zhang.wei");
  CHECK(std::find(old_actions.begin(), old_actions.end(), "forward") != old_actions.end());
  CHECK(std::find(old_actions.begin(), old_actions.end(), "route") == old_actions.end());
  CHECK(std::find(new_actions.begin(), new_actions.end(), "route") != new_actions.end());
  CHECK(std::find(new_actions.begin(), new_actions.end(), "forward") == new_actions.end());

  // Each case enters the department's step by its own action and gets its own text's limit:
  // 10:00 + 4 working hours is 15:00 (lunch 12:00-13:00), + 8 working hours the next day 10:00.
  must({"--as", "zhang.wei", "do", old_case, "forward", "--set", "category=engineering_quality", "--set",
        "department=engineering"});
  must({"--as", "zhang.wei", "do", new_case, "route", "--set", "category=engineering_quality", "--set",
        "department=engineering"});
  auto due_of = [&](const std::string& id) {
    const nlohmann::json shown = nlohmann::json::parse(must({"--json", "show", id}));
    return deadline(shown["deadlines"], "department_reply.written_answer")["due"].get<std::string>();
  };
  CHECK(due_of(old_case) == "2026-03-02T15:00:00+08:00");
  CHECK(due_of(new_case) == "2026-03-03T10:00:00+08:00");
  CHECK(cf({"verify"}).exit_code == 0);
}

}  // namespace
}  // namespace caseflow::test
