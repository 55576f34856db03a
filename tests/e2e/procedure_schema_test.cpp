// The JSON Schema of procedure files (processes/schema/procedure.schema.json) is kept in step
// with the loader: every shipped procedure validates against it, and a key the schema does
// not know fails. Runs scripts/check-procedure-schema.py (python3-jsonschema, python3-yaml).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>
#include <string>

#include <doctest/doctest.h>

#include "e2e/cli_runner.h"

namespace caseflow::test {
namespace {

const std::string k_script = k_source + "/scripts/check-procedure-schema.py";

run_result check(const std::vector<std::string>& paths, const scratch_dir& dir) {
  std::vector<std::string> args{k_script};
  args.insert(args.end(), paths.begin(), paths.end());
  return run("/usr/bin/python3", args, {}, dir.path());
}

TEST_CASE("procedure schema: every shipped procedure validates against it and against the loader") {
  scratch_dir dir;
  const run_result schema = check({k_source + "/processes"}, dir);
  INFO(schema.out, schema.err);
  CHECK(schema.exit_code == 0);
  CHECK(schema.err.find(" 0 problem(s)") != std::string::npos);
  const run_result loader =
      run_caseflow({"--procedures", k_source + "/processes", "--db", dir.db(), "validate"}, dir);
  INFO(loader.out, loader.err);
  CHECK(loader.exit_code == 0);
}

// The procedure files in processes/ (org.yaml is the organisation, not a procedure).
std::vector<std::filesystem::path> shipped_procedures() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(k_source + "/processes"))
    if (entry.path().extension() == ".yaml" && entry.path().filename() != "org.yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST_CASE("procedure schema: each shipped procedure names the schema in a modeline") {
  const auto files = shipped_procedures();
  REQUIRE(files.size() >= 11);
  for (const auto& path : files) {
    std::ifstream file(path);
    std::string first;
    std::getline(file, first);
    INFO(path.string());
    CHECK(first == "# yaml-language-server: $schema=schema/procedure.schema.json");
  }
}

TEST_CASE("procedure diagrams: every shipped procedure draws with Graphviz and has its SVG in docs/") {
  scratch_dir dir;
  for (const auto& path : shipped_procedures()) {
    const std::string id = path.stem().string();
    INFO(id);
    const run_result graph = run_caseflow(
        {"--procedures", k_source + "/processes", "--db", dir.db(), "graph", id, "--format", "dot"}, dir);
    REQUIRE(graph.exit_code == 0);
    std::ofstream(dir.file(id + ".dot")) << graph.out;
    const run_result svg = run("/usr/bin/dot", {"-Tsvg", dir.file(id + ".dot")}, {}, dir.path());
    CHECK(svg.exit_code == 0);
    CHECK(svg.out.find("<svg") != std::string::npos);
    CHECK(std::filesystem::exists(k_source + "/docs/" + id + ".svg"));
  }
}

TEST_CASE("procedure schema: a key the schema does not know fails, with the file and where") {
  scratch_dir dir;
  const std::string file = dir.file("typo.yaml");
  std::ofstream(file) << "procedure: typo\nroles: { clerk: 文员 }\nstart: open\nsteps:\n"
                         "  open: { role: clerk, actions: { done: closed }, limts: [] }\n"
                         "  closed: { terminal: true }\n"
                         "similar: { same: [a], within: 1 month, distinct: b, rules: [], count: 3 }\n";
  const run_result r = check({file}, dir);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(file + ": at steps/open: Additional properties are not allowed ('limts' was unexpected)") !=
        std::string::npos);
  CHECK(r.out.find(file + ": at similar: Additional properties are not allowed ('count' was unexpected)") !=
        std::string::npos);
}

}  // namespace
}  // namespace caseflow::test
