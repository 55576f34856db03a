// The bad-input catalogue (tests/bad_inputs/cases.yaml): every case runs the real binary on its
// own copy of the shipped procedures and a prepared database, and must print exactly the
// expected message, exit with the expected code, and leave the database byte for byte as it was.
//
// A case:
//   - name: what is wrong
//     files: { processes/x.yaml: "text" }   # written into the case's folder before running
//     db: seeded        # seeded (default: one complaint, TS-2026-00001), production (the same,
//                       # made by the clock: a real-clock database), none, truncated,
//                       # not_sqlite, foreign (SQLite, not caseflow), newer (schema version 99)
//     setup: [[--as, zhang.wei, start, ...]]  # commands run (and required to succeed) first
//     env: { NAME: value }
//     file_size_limit: 20000   # RLIMIT_FSIZE for the child (SIGXFSZ ignored): a full disk
//     folder: read_only        # the case's folder (and its database's) unwritable to the child
//                              # (e2e/unwritable_folder.h)
//     args: [do, TS-2026-00001, forward]
//     exit: 1
//     stdout: ""        # exact; default empty
//     stderr: |         # exact
//       caseflow: ...
// In files, args and expected text, {dir} is the case's folder, {procedures} its procedures and
// {db} its database. The environment gives CASEFLOW_PROCEDURES, CASEFLOW_DB and CASEFLOW_NOW
// (2026-03-02T10:00+08:00); a case's args or env override them. "Unchanged" means the same
// bytes in the database file and its write-ahead log, where an empty log counts as none (a
// read-only connection leaves an empty one behind; it holds nothing).
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "e2e/cli_runner.h"
#include "e2e/unwritable_folder.h"

namespace caseflow::test {
namespace {

const std::string k_bad_inputs_now = "2026-03-02T10:00+08:00";

std::string substitute(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values)
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size()))
      text.replace(at, name.size(), value);
  return text;
}

// The bytes of a database holding one complaint, made by the real binary: in virtual time, or
// (`now` empty) by the clock, a production database.
std::string database_with_a_complaint(const std::string& now) {
  scratch_dir dir;
  std::vector<std::string> args{"--procedures", k_source + "/processes", "--db", dir.db(), "--as", "zhang.wei",
                                "start", "complaint", "--set", "customer=张三", "--set", "channel=phone", "--set",
                                "summary=漏水"};
  if (!now.empty()) args.insert(args.begin(), {"--now", now});
  const run_result r = run_caseflow(args, dir);
  REQUIRE(r.exit_code == 0);
  return read_bytes(dir.db()).value();
}
const std::string& seeded_database() {
  static const std::string bytes = database_with_a_complaint(k_bad_inputs_now);
  return bytes;
}
const std::string& production_database() {
  static const std::string bytes = database_with_a_complaint("");
  return bytes;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

void prepare_database(const std::string& kind, const std::string& path) {
  if (kind == "none") return;
  if (kind == "not_sqlite") return write_file(path, "name,phone\n张三,13800000000\n");
  if (kind == "truncated") return write_file(path, seeded_database().substr(0, seeded_database().size() / 2));
  if (kind == "foreign") {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE customers(name TEXT, phone TEXT); INSERT INTO customers VALUES ('张三', '13800000000')");
    return;
  }
  if (kind == "production") return write_file(path, production_database());
  write_file(path, seeded_database());
  if (kind == "newer") {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    return;
  }
  REQUIRE_MESSAGE(kind == "seeded", "unknown db kind '", kind, "'");
}

// Runs the child with RLIMIT_FSIZE = `limit` (0: none) and SIGXFSZ ignored; both are inherited.
run_result run_limited(const std::vector<std::string>& args, const env_list& env, const scratch_dir& dir,
                       rlim_t limit) {
  if (limit == 0) return run_caseflow(args, dir, env);
  rlimit old{};
  ::getrlimit(RLIMIT_FSIZE, &old);
  auto* old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit tight{limit, old.rlim_max};
  ::setrlimit(RLIMIT_FSIZE, &tight);
  child started(CASEFLOW_BINARY, args, env, dir.path());
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  return started.wait();
}

std::string scalar_or(const YAML::Node& node, const std::string& fallback) {
  return node ? node.as<std::string>() : fallback;
}

TEST_CASE("bad inputs: every catalogue case gets its exact message and exit code, and changes nothing") {
  const YAML::Node cases = YAML::LoadFile(k_source + "/tests/bad_inputs/cases.yaml");
  REQUIRE(cases.IsSequence());
  // The catalogue the README promises: how many bad inputs of each kind (the name's prefix).
  std::map<std::string, int> seen;
  std::map<std::string, int> kinds;
  for (const auto& c : cases) {
    const std::string name = c["name"].as<std::string>();
    CHECK_MESSAGE(++seen[name] == 1, "a second case named ", name);
    ++kinds[name.substr(0, name.find(':'))];
  }
  CHECK(cases.size() == 150);
  const std::map<std::string, int> promised{{"procedure", 62}, {"calendar", 8}, {"org", 14}, {"cli", 48},
                                            {"database", 14}, {"deployment", 4}};
  CHECK(kinds == promised);

  // Each case is a subcase of its own: one whose set-up fails does not stop the others.
  for (const auto& c : cases) {
    const std::string name = c["name"].as<std::string>();
    SUBCASE(name.c_str()) {
      scratch_dir dir;
      const std::string procedures = dir.file("processes");
      std::filesystem::copy(k_source + "/processes", procedures, std::filesystem::copy_options::recursive);
      const std::map<std::string, std::string> values{
          {"{dir}", dir.path().string()}, {"{procedures}", procedures}, {"{db}", dir.db()}};
      for (const auto& f : c["files"])
        write_file(dir.file(f.first.as<std::string>()), substitute(f.second.as<std::string>(), values));
      const std::string db_kind = scalar_or(c["db"], "seeded");
      prepare_database(db_kind, dir.db());
      env_list env{{"CASEFLOW_PROCEDURES", procedures}, {"CASEFLOW_DB", dir.db()}, {"CASEFLOW_NOW", k_bad_inputs_now}};
      for (const auto& command : c["setup"]) {
        std::vector<std::string> setup_args;
        for (const auto& a : command) setup_args.push_back(substitute(a.as<std::string>(), values));
        const run_result done = run_caseflow(setup_args, dir, env);
        REQUIRE_MESSAGE(done.exit_code == 0, done.err);
    }
    const db_snapshot before = stored_bytes(dir.db());

    for (const auto& e : c["env"]) {
      const std::string key = e.first.as<std::string>();
      std::erase_if(env, [&](const auto& entry) { return entry.first == key; });  // the case's value wins
      env.emplace_back(key, substitute(e.second.as<std::string>(), values));
    }
    std::vector<std::string> args;
    for (const auto& a : c["args"]) args.push_back(substitute(a.as<std::string>(), values));
    const rlim_t limit = c["file_size_limit"] ? c["file_size_limit"].as<rlim_t>() : 0;

    const bool read_only_folder = scalar_or(c["folder"], "writable") == "read_only";
    REQUIRE_MESSAGE((read_only_folder || scalar_or(c["folder"], "writable") == "writable"), "unknown folder kind");
    scratch_dir output;  // a child that may not write the case's folder writes its output here
    const std::optional<unwritable_folder> locked =
        read_only_folder ? std::optional<unwritable_folder>(std::in_place, dir.path()) : std::nullopt;
    const run_result r = locked ? locked->run_caseflow(args, output, env) : run_limited(args, env, dir, limit);
    CHECK(r.exit_code == c["exit"].as<int>());
    CHECK(r.out == substitute(scalar_or(c["stdout"], ""), values));
    CHECK(r.err == substitute(scalar_or(c["stderr"], ""), values));
    CHECK(stored_bytes(dir.db()) == before);
    if (db_kind == "none") CHECK_FALSE(std::filesystem::exists(dir.db()));
    }
  }
}

}  // namespace
}  // namespace caseflow::test
