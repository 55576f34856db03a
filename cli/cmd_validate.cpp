// caseflow validate [PATH...] — checks procedures, calendars and the org file.
#include <filesystem>
#include <iostream>

#include "caseflow/calendar_references.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

struct validate_options {
  std::vector<std::string> paths;
};

// Which loader a file needs: calendars live in calendars/, the org file is org.yaml.
// Procedures are checked against the real handlers (built-ins and plug-ins).
void check_file(const std::filesystem::path& file, const handler_registry& handlers, diagnostics* out) {
  if (file.filename() == "org.yaml") {
    load_organisation(file.string(), out);
  } else if (file.parent_path().filename() == "calendars") {
    load_calendars(file.parent_path().string(), out);
  } else if (auto p = load_procedure_file(file.string(), out, &handlers)) {
    diagnostics ignored;  // the calendars' own problems are reported when they are validated
    check_calendar_reference(*p, load_calendars((file.parent_path() / "calendars").string(), &ignored), out);
  }
}

int run_validate(context& ctx, const validate_options& opts) {
  std::vector<std::string> paths = opts.paths;
  if (paths.empty()) paths.push_back(ctx.options().procedures);
  diagnostics problems;
  std::size_t files = 0;
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      const auto calendars_dir = std::filesystem::path(path) / "calendars";
      if (std::filesystem::is_directory(calendars_dir)) {
        auto calendars = load_calendars(calendars_dir.string(), &problems);
        auto warnings = coverage_warnings(calendars, ctx.today());
        problems.insert(problems.end(), warnings.begin(), warnings.end());
        ++files;
      }
      diagnostics ignored;  // the calendars' own problems are reported above
      const auto calendars = load_calendars(calendars_dir.string(), &ignored);
      const procedure_library library = load_procedure_library(path, &problems, &ctx.handlers());
      for (const procedure* p : library.all()) check_calendar_reference(*p, calendars, &problems);
      files += procedure_files(path).size();
      const auto org_file = std::filesystem::path(path) / "org.yaml";
      if (std::filesystem::exists(org_file)) {
        load_organisation(org_file.string(), &problems);
        ++files;
      }
    } else if (std::filesystem::exists(path)) {
      check_file(path, ctx.handlers(), &problems);
      ++files;
    } else {
      problems.push_back({path, 0, 0, "no such file or folder", diagnostic_level::error});
    }
  }
  for (const auto& d : problems) std::cerr << terminal_text(to_string(d)) << '\n';  // a key may quote anything
  const bool failed = has_errors(problems);
  if (ctx.options().json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : problems)
      list.push_back({{"file", d.file}, {"line", d.line}, {"column", d.column}, {"message", d.message},
                      {"level", d.level == diagnostic_level::error ? "error" : "warning"}});
    print_json({{"ok", !failed}, {"problems", list}});
  } else if (!failed) {
    std::cout << "ok: " << paths.size() << (paths.size() == 1 ? " path" : " paths") << " checked\n";
  }
  return failed ? k_exit_refused : k_exit_done;
}

}  // namespace

void setup_validate(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<validate_options>();
  auto* sub = app.add_subcommand("validate", "check procedures, calendars and the org file");
  sub->fallthrough();
  sub->add_option("paths", opts->paths, "files or folders (default: the procedures folder)");
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_validate(ctx, *opts); }); });
}

}  // namespace caseflow::cli
