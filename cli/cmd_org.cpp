// caseflow org — the people, their roles and delegations.
#include <iostream>

#include <fmt/format.h>

#include "commands.h"

namespace caseflow::cli {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

int run_org(context& ctx) {
  const organisation& org = ctx.org();
  if (ctx.options().json) {
    nlohmann::json people = nlohmann::json::array(), delegations = nlohmann::json::array();
    for (const auto& p : org.people())
      people.push_back({{"id", p.id}, {"name", p.name}, {"roles", p.roles}, {"email", p.email}, {"phone", p.phone}});
    for (const auto& d : org.delegations())
      delegations.push_back({{"deputy", d.deputy}, {"for", d.principal}, {"roles", d.roles},
                             {"from", format_value(d.from)}, {"until", format_value(d.until)}});
    print_json({{"people", people}, {"delegations", delegations}});
    return k_exit_done;
  }
  table people({"PERSON", "NAME", "ROLES"});
  for (const auto& p : org.people()) people.add({p.id, p.name, join(p.roles)});
  std::cout << people.str();
  if (org.delegations().empty()) return k_exit_done;
  table delegations({"DEPUTY", "FOR", "ROLES", "FROM", "UNTIL"});
  for (const auto& d : org.delegations())
    delegations.add({d.deputy, d.principal, d.roles.empty() ? "all" : join(d.roles), format_value(d.from), format_value(d.until)});
  std::cout << '\n' << delegations.str();
  return k_exit_done;
}

}  // namespace

void setup_org(CLI::App& app, const global_options& options, int* exit) {
  auto* sub = app.add_subcommand("org", "the people, their roles and delegations");
  sub->fallthrough();
  sub->callback([&options, exit] { *exit = guarded(options, run_org); });
}

}  // namespace caseflow::cli
