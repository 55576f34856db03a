// caseflow erase --case ID --field F | --person VALUE — erases personal values (see caseflow/erasure.h).
#include <filesystem>
#include <iostream>
#include <algorithm>

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

// The migration backups of the database at `db` (written before a schema migration, named
// DB.vN-backup), which an erasure does not reach.
std::vector<std::string> migration_backups(const std::string& db) {
  namespace fs = std::filesystem;
  const fs::path path(db);
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string prefix = path.filename().string() + ".v";
  std::vector<std::string> found;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.size() > 7 && name.compare(name.size() - 7, 7, "-backup") == 0)
      found.push_back(it->path().string());
  }
  std::sort(found.begin(), found.end());
  return found;
}

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
  std::vector<std::string> near;
  for (const auto& [id, field] : done.near_matches) near.push_back(fmt::format("{} {}", id, field));
  if (ctx.options().json) {
    nlohmann::json cases = nlohmann::json::array();
    for (const auto& [id, fields] : done.erased) cases.push_back({{"id", id}, {"erased", fields}});
    nlohmann::json near_json = nlohmann::json::array();
    for (const auto& [id, field] : done.near_matches) near_json.push_back({{"id", id}, {"field", field}});
    print_json({{"actor", actor}, {"cases", cases}, {"near_matches", near_json}});
  } else {
    for (const auto& [id, fields] : done.erased)
      print_line(fmt::format("{}: erased {} ({} as {})", id, fmt::join(fields, ", "), actor, k_erasure_role));
    if (!near.empty())
      print_line(fmt::format("near matches, left alone (erase one with --case and --field if it is the same person): {}",
                             fmt::join(near, ", ")));
  }
  if (done.purge_pending)
    std::cerr << "caseflow erase: another process is still reading an older snapshot of the database, which keeps "
                 "copies of the erased values in its write-ahead log; they are purged by the next command that "
                 "opens the database for writing after that reader finishes\n";
  for (const auto& backup : migration_backups(ctx.options().db))
    std::cerr << fmt::format("caseflow erase: {} is a copy taken before a schema migration and still holds the erased "
                             "values: delete it once the migrated database is verified\n",
                             backup);
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
  sub->footer("--person compares values after Unicode NFKC normalisation, trimmed; values that only look close "
              "(case, spacing, punctuation, one character) are listed as near matches and left alone. A value "
              "copied into a sub-case is erased there too.");
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_erase(ctx, *opts); }); });
}

}  // namespace caseflow::cli
