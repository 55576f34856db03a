// caseflow erase --case ID --field F | --person VALUE — erases personal values (see caseflow/erasure.h).
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "caseflow/erasure.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

struct erase_options {
  std::string case_id;
  std::string field;
  std::string person;
  bool person_given = false;
};

int run_erase(context& ctx, const erase_options& opts) {
  const bool by_case = !opts.case_id.empty() || !opts.field.empty();
  if (by_case == opts.person_given)
    throw command_failure{k_exit_usage, "say what to erase: --case ID --field FIELD, or --person VALUE"};
  if (by_case && (opts.case_id.empty() || opts.field.empty()))
    throw command_failure{k_exit_usage, "erase --case needs both --case ID and --field FIELD"};
  if (opts.person_given && opts.person.empty()) throw command_failure{k_exit_usage, "erase --person needs a value"};
  const std::string actor = ctx.user();
  ctx.store(/*must_exist=*/true);
  const erasure_result done =
      erase_personal_data(ctx.runtime(), {actor, opts.case_id, opts.field, opts.person}, ctx.now());
  if (!done.ok) throw command_failure{done.conflict ? k_exit_conflict : k_exit_refused, done.message};
  if (ctx.options().json) {
    nlohmann::json cases = nlohmann::json::array();
    for (const auto& [id, fields] : done.erased) cases.push_back({{"id", id}, {"erased", fields}});
    print_json({{"actor", actor}, {"cases", cases}});
  } else {
    for (const auto& [id, fields] : done.erased)
      print_line(fmt::format("{}: erased {} ({} as {})", id, fmt::join(fields, ", "), actor, k_erasure_role));
  }
  return k_exit_done;
}

}  // namespace

void setup_erase(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<erase_options>();
  auto* sub = app.add_subcommand("erase", "erase personal data (personal: true fields); needs the admin role");
  sub->fallthrough();
  sub->add_option("--case", opts->case_id, "the case whose field to erase");
  sub->add_option("--field", opts->field, "the personal field to erase");
  sub->add_option("--person", opts->person, "erase every personal field, in every case, that holds this value")
      ->each([opts](const std::string&) { opts->person_given = true; });
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_erase(ctx, *opts); }); });
}

}  // namespace caseflow::cli
