// The JSON Schema of procedure files (processes/schema/procedure.schema.json) is kept in step
// with the loader: every shipped procedure validates against it, and a key the schema does
// not know fails. Runs scripts/check-procedure-schema.py (python3-jsonschema, python3-yaml).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>
#include <string>

#include <doctest/doctest.h>

#include "caseflow/loader.h"
#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

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

// `caseflow graph ID --format FORMAT` on the shipped procedures; must succeed.
std::string graph_of(const scratch_dir& dir, const std::string& procedures, const std::string& id,
                     const std::string& format) {
  const run_result graph =
      run_caseflow({"--procedures", procedures, "--db", dir.db(), "graph", id, "--format", format}, dir);
  INFO("graph ", id, " --format ", format, ": ", graph.err);
  REQUIRE(graph.exit_code == 0);
  return graph.out;
}

TEST_CASE("procedure diagrams: every shipped procedure draws with Graphviz and has its SVG in docs/") {
  scratch_dir dir;
  for (const auto& path : shipped_procedures()) {
    const std::string id = path.stem().string();
    INFO(id);
    diagnostics problems;
    const auto p = load_procedure_file(path.string(), &problems);
    REQUIRE(p.has_value());
    // Every step is a node and every action an edge, in both formats.
    const std::string dot = graph_of(dir, k_source + "/processes", id, "dot");
    const std::string mermaid = graph_of(dir, k_source + "/processes", id, "mermaid");
    CHECK(dot.starts_with("digraph \"" + p->id + "\" {\n"));
    CHECK(contains(dot, "  __start -> \"" + p->start + "\";\n"));
    CHECK(mermaid.starts_with("stateDiagram-v2\n  [*] --> " + p->start + "\n"));
    for (const auto& step : p->steps) {
      CHECK(contains(dot, "  \"" + step.id + "\" [label="));
      if (step.terminal) {
        CHECK(contains(dot, "\", peripheries=2];\n"));
        CHECK(contains(mermaid, "  " + step.id + " --> [*]\n"));
      }
      for (const auto& action : step.actions) {
        INFO(step.id, " ", action.id);
        CHECK(contains(dot, "  \"" + step.id + "\" -> \"" + action.to + "\" [label=\"" + action.id));
        CHECK(contains(mermaid, "  " + step.id + " --> " + action.to + " : " + action.id + "\n"));
      }
    }
    // docs/ID.svg is what scripts/diagrams.sh draws today: a stale diagram fails here.
    std::ofstream(dir.file(id + ".dot")) << dot;
    const run_result svg = run("/usr/bin/dot", {"-Tsvg", dir.file(id + ".dot")}, {}, dir.path());
    REQUIRE(svg.exit_code == 0);
    CHECK_MESSAGE(read_bytes(k_source + "/docs/" + id + ".svg") == svg.out,
                  "docs/", id, ".svg is stale: run scripts/diagrams.sh");
  }
}

TEST_CASE("procedure diagrams: a small procedure draws exactly, in DOT and in Mermaid") {
  scratch_dir dir;
  const std::string procedures = dir.file("processes");
  make_procedures_folder(procedures, {{"memo.yaml", "procedure: memo\n"
                                                    "name: { zh: 备忘, en: Memo }\n"
                                                    "roles: { clerk: 文员 }\n"
                                                    "fields: { urgent: bool }\n"
                                                    "start: draft\n"
                                                    "steps:\n"
                                                    "  draft:\n"
                                                    "    name: { zh: 起草, en: Draft }\n"
                                                    "    role: clerk\n"
                                                    "    actions:\n"
                                                    "      send: { to: sent, when: 'urgent' }\n"
                                                    "      drop: sent\n"
                                                    "  sent: { terminal: true }\n"}});
  CHECK(graph_of(dir, procedures, "memo", "dot") ==
        "digraph \"memo\" {\n"
        "  rankdir=LR;\n"
        "  label=\"备忘\";\n"
        "  node [shape=box, style=rounded];\n"
        "  __start [shape=point];\n"
        "  __start -> \"draft\";\n"
        "  \"draft\" [label=\"起草\\ndraft\"];\n"
        "  \"sent\" [label=\"sent\", peripheries=2];\n"
        "  \"draft\" -> \"sent\" [label=\"send\\n[urgent]\"];\n"
        "  \"draft\" -> \"sent\" [label=\"drop\"];\n"
        "}\n");
  CHECK(graph_of(dir, procedures, "memo", "mermaid") ==
        "stateDiagram-v2\n"
        "  [*] --> draft\n"
        "  draft : 起草\n"
        "  sent : sent\n"
        "  sent --> [*]\n"
        "  draft --> sent : send\n"
        "  draft --> sent : drop\n");
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
