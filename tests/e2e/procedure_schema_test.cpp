// The JSON Schema of procedure files (processes/schema/procedure.schema.json) is kept in step
// with the loader: every shipped procedure validates against it, and a key the schema does
// not know fails. Runs scripts/check-procedure-schema.py (python3-jsonschema, python3-yaml).
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "e2e/cli_runner.h"

namespace caseflow::test {
namespace {

const std::string k_source = CASEFLOW_SOURCE_DIR;
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

TEST_CASE("procedure schema: each shipped procedure names the schema in a modeline") {
  for (const std::string name : {"complaint", "complaint_cost", "compensation_refund_exchange", "repair_order"}) {
    std::ifstream file(k_source + "/processes/" + name + ".yaml");
    std::string first;
    std::getline(file, first);
    INFO(name);
    CHECK(first == "# yaml-language-server: $schema=schema/procedure.schema.json");
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
