// Deployments: reading a folder as files, parsing files into definitions, the manifest and the
// log entry's hash. See caseflow/deployment.h.
#include "caseflow/deployment.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "caseflow/calendar_references.h"
#include "caseflow/hash.h"
#include "caseflow/text_file.h"

namespace caseflow {

namespace {

constexpr std::string_view k_org_file = "org.yaml";

deployed_file file_of(std::string kind, std::string name, std::string text) {
  std::string hash = sha256_hex(text);
  return {std::move(kind), std::move(name), std::move(hash), std::move(text), ""};
}

// Whether *out gained an error after its first `before` entries.
bool errors_since(const diagnostics& out, std::size_t before) {
  return std::any_of(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(),
                     [](const diagnostic& d) { return d.level == diagnostic_level::error; });
}

void compare(std::string_view what, const std::map<std::string, std::string>& from,
             const std::map<std::string, std::string>& to, std::vector<std::string>* out) {
  for (const auto& [name, hash] : to) {
    auto it = from.find(name);
    if (it == from.end()) out->push_back(fmt::format("{} {} added", what, name));
    else if (it->second != hash) out->push_back(fmt::format("{} {} changed", what, name));
  }
  for (const auto& [name, hash] : from)
    if (!to.count(name)) out->push_back(fmt::format("{} {} removed", what, name));
}

}  // namespace

folder_contents read_procedures_folder(const std::string& dir, const handler_registry* handlers, diagnostics* out) {
  namespace fs = std::filesystem;
  folder_contents folder;
  const std::size_t before = out->size();
  const auto failed = [&] { return errors_since(*out, before); };
  auto read = [&](std::string kind, const std::string& path) {
    if (auto text = read_text_file(path)) folder.files.push_back(file_of(std::move(kind), path, std::move(*text)));
    else out->push_back({path, 0, 0, "cannot read this file", diagnostic_level::error});
  };
  if (!fs::is_directory(dir)) {
    out->push_back({dir, 0, 0, "procedures folder not found (set --procedures or CASEFLOW_PROCEDURES)",
                    diagnostic_level::error});
    folder.definitions.failed = "the procedures";
    return folder;
  }
  // Calendars first, then procedures, then the organisation, each stopping the reading (as
  // load_definitions stops), so that what is validated is exactly what is published.
  const fs::path calendar_dir = fs::path(dir) / "calendars";
  std::error_code ec;
  std::vector<fs::path> calendar_paths;
  for (fs::directory_iterator it(calendar_dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".yaml" && it->is_regular_file(ec)) calendar_paths.push_back(it->path());
  if (ec) {
    out->push_back({calendar_dir.string(), 0, 0, fmt::format("cannot read the calendar folder: {}", ec.message()),
                    diagnostic_level::error});
    folder.definitions.failed = "the calendars";
    return folder;
  }
  std::sort(calendar_paths.begin(), calendar_paths.end());
  for (const auto& path : calendar_paths) read("calendar", path.string());
  if (failed()) {
    folder.definitions.failed = "the calendars";
    return folder;
  }
  for (const auto& path : procedure_files(dir)) read("procedure", path);
  if (failed()) {
    folder.definitions.failed = "the procedures";
    return folder;
  }
  const std::string org_path = (fs::path(dir) / k_org_file).string();
  if (auto text = read_text_file(org_path)) folder.files.push_back(file_of("organisation", org_path, std::move(*text)));
  folder.definitions = load_definitions(folder.files, handlers, out, org_path);
  if (!folder.definitions.failed.empty()) return folder;

  for (deployed_file& f : folder.files) {
    if (f.kind == "procedure") {
      for (const procedure* p : folder.definitions.library.all())
        if (p->file == f.name) {
          f.name = p->id;
          f.version = p->version;
        }
      folder.manifest.procedures[f.name] = f.hash;
    } else if (f.kind == "calendar") {
      f.name = fs::path(f.name).filename().string();
      folder.manifest.calendars[f.name] = f.hash;
    } else {
      f.name = std::string(k_org_file);
      folder.manifest.organisation = f.hash;
    }
  }
  return folder;
}

loaded_definitions load_definitions(const std::vector<deployed_file>& files, const handler_registry* handlers,
                                    diagnostics* out, std::string_view org_file) {
  loaded_definitions loaded;
  const std::size_t before = out->size();
  const auto failed = [&] { return errors_since(*out, before); };
  std::vector<calendar_source> calendars;
  for (const auto& f : files)
    if (f.kind == "calendar") calendars.push_back({f.name, f.text});
  loaded.calendars = load_calendar_sources(calendars, out);
  if (failed()) {
    loaded.failed = "the calendars";
    return loaded;
  }
  for (const auto& f : files) {
    if (f.kind != "procedure") continue;
    auto p = load_procedure_text(f.text, f.name, out, handlers);
    if (!p) continue;
    check_calendar_reference(*p, loaded.calendars, out);
    if (const procedure* existing = loaded.library.find(p->id)) {
      out->push_back({f.name, 1, 1, fmt::format("procedure '{}' is already defined in {}", p->id, existing->file),
                      diagnostic_level::error});
      continue;
    }
    loaded.library.add(std::move(*p));
  }
  check_library(loaded.library, out);
  if (failed()) {
    loaded.failed = "the procedures";
    return loaded;
  }
  const auto org = std::find_if(files.begin(), files.end(), [](const deployed_file& f) { return f.kind == "organisation"; });
  if (org == files.end())
    out->push_back({std::string(org_file), 0, 0, "cannot read the organisation file", diagnostic_level::error});
  else loaded.org = load_organisation_text(org->text, org->name, out);
  if (failed()) loaded.failed = "the organisation";
  return loaded;
}

std::vector<std::string> manifest_differences(const deployment_manifest& from, const deployment_manifest& to) {
  std::vector<std::string> out;
  compare("procedure", from.procedures, to.procedures, &out);
  compare("calendar", from.calendars, to.calendars, &out);
  if (from.organisation != to.organisation) out.push_back(fmt::format("{} changed", k_org_file));
  return out;
}

}  // namespace caseflow
