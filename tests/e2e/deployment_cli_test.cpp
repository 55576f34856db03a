// Deployments (caseflow/deployment.h, cli/deployed_definitions.cpp): a production (real-clock)
// database runs what is deployed in it, whatever folder the caller passes; `deploy` needs an
// admin or a process owner; verify judges each event by the organisation it was decided under.
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "caseflow/hash.h"
#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

// A copy of the shipped processes/ in a scratch folder, a database beside it, and the CLI run
// from that folder (so the default ./processes is not the shipped one). Without --now: the
// database is a real-clock (production) one.
class production_desk {
 public:
  production_desk() { std::filesystem::copy(k_processes, folder(), std::filesystem::copy_options::recursive); }
  std::string folder() const { return dir_.file("processes"); }
  std::string db() const { return dir_.db(); }
  const scratch_dir& dir() const { return dir_; }
  // `caseflow --db DB args...` (no --procedures: the database decides).
  run_result cf(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db()});
    return run_caseflow(args, dir_);
  }
  // `caseflow --procedures FOLDER --db DB args...`
  run_result with(const std::string& procedures, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--procedures", procedures});
    return cf(std::move(args));
  }
  std::string must(std::vector<std::string> args) const {
    const run_result r = cf(std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  // Opens a complaint as zhang.wei with the folder (the first command deploys it); returns its id.
  std::string open_complaint() const {
    const run_result r = with(folder(), {"--as", "zhang.wei", "start", "complaint", "--set", "customer=张三", "--set",
                                         "channel=phone", "--set", "summary=卫生间漏水"});
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.size() - 1);
  }
  // Rewrites `file` of `folder` (relative), replacing `from` by `to` (which must occur).
  static void edit(const std::string& folder, const std::string& file, const std::string& from, const std::string& to) {
    const std::string path = folder + "/" + file;
    std::string text = read_bytes(path).value();
    REQUIRE(contains(text, from));
    text.replace(text.find(from), from.size(), to);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }

 private:
  scratch_dir dir_;
};

const std::string k_promote_from = "zhang.wei:  { name: 张伟, roles: [cs_specialist]";
const std::string k_promote_to = "zhang.wei:  { name: 张伟, roles: [cs_manager]";

TEST_CASE("deployment: the first command deploys the folder, recorded with who ran it") {
  production_desk d;
  const std::string id = d.open_complaint();
  CHECK(id == "TS-2026-00001");
  const nlohmann::json listed = nlohmann::json::parse(d.must({"--json", "deployments"}));
  REQUIRE(listed["deployments"].size() == 1);
  const nlohmann::json& first = listed["deployments"][0];
  CHECK(first["id"] == 1);
  CHECK(first["actor"] == "zhang.wei");
  CHECK(first["role"] == "");
  CHECK(first["reason"] == "first command");
  CHECK(first["source"] == d.folder());
  CHECK(first["manifest"]["organisation"] == sha256_hex(read_bytes(d.folder() + "/org.yaml").value()));
  CHECK(first["manifest"]["procedures"]["complaint"] == sha256_hex(read_bytes(d.folder() + "/complaint.yaml").value()));
  CHECK(first["manifest"]["procedures"].size() == 11);  // the shipped procedures
  CHECK(first["manifest"]["calendars"].size() == 3);
  // Every event records the organisation version it was decided under.
  SQLite::Database db(d.db());
  CHECK(db.execAndGet("SELECT count(*) FROM events WHERE org_version = '" +
                      first["manifest"]["organisation"].get<std::string>() + "' AND format = 2")
            .getInt() == db.execAndGet("SELECT count(*) FROM events").getInt());
}

TEST_CASE("deployment: a copied folder cannot change who may act on a production database") {
  production_desk d;
  const std::string id = d.open_complaint();
  // The operator copies the folder and makes himself a manager.
  const std::string copy = d.dir().file("my-copy");
  std::filesystem::copy(d.folder(), copy, std::filesystem::copy_options::recursive);
  production_desk::edit(copy, "org.yaml", k_promote_from, k_promote_to);
  check_refused(d.db(), [&] { return d.with(copy, {"--as", "zhang.wei", "do", id, "forward", "--set",
                                                   "category=engineering_quality", "--set", "department=engineering"}); },
                "caseflow: " + copy + " is not what " + d.db() + " runs: org.yaml changed (deployment 1 by "
                    "zhang.wei); deploy it with `caseflow deploy` (an admin or process owner), or leave out "
                    "--procedures to run what is deployed; nothing was written\n");
  // Nor through the environment.
  const run_result by_env =
      run_caseflow({"--db", d.db(), "--as", "zhang.wei", "show", id}, d.dir(), {{"CASEFLOW_PROCEDURES", copy}});
  CHECK(by_env.exit_code == 1);
  CHECK(contains(by_env.err, "org.yaml changed"));
  // Without a folder the deployed rules run: he is a specialist, not a manager.
  const nlohmann::json shown = nlohmann::json::parse(d.must({"--json", "--as", "zhang.wei", "show", id}));
  CHECK(shown["step"] == "intake");
  // His own folder is not deployable by him.
  check_refused(d.db(), [&] { return d.with(copy, {"--as", "zhang.wei", "deploy"}); },
                "caseflow: zhang.wei may not deploy: only a person holding 'admin' or 'process_owner' in the "
                "organisation in force may; nothing was written\n");
  CHECK(d.must({"verify"}).starts_with("verified: "));
}

TEST_CASE("deployment: a broken draft in the folder stops nothing on a production database") {
  production_desk d;
  const std::string id = d.open_complaint();
  std::ofstream(d.folder() + "/draft.yaml") << "procedure: draft\nsteps: [\n";
  // Commands that do not name the folder run what is deployed, even from the folder's parent
  // (where ./processes is the folder with the draft).
  const run_result shown = d.cf({"--as", "zhang.wei", "show", id});
  INFO("stderr: ", shown.err);
  CHECK(shown.exit_code == 0);
  const run_result forwarded = d.cf({"--as", "zhang.wei", "do", id, "forward", "--set", "category=engineering_quality",
                                     "--set", "department=engineering"});
  INFO("stderr: ", forwarded.err);
  CHECK(forwarded.exit_code == 0);
  // Deploying the broken folder is refused whole, naming the file.
  const run_result deployed = d.with(d.folder(), {"--as", "yang.guang", "deploy"});
  CHECK(deployed.exit_code == 1);
  CHECK(contains(deployed.err, "caseflow: cannot load the procedures:\n  " + d.folder() + "/draft.yaml:"));
  CHECK(nlohmann::json::parse(d.must({"--json", "deployments"}))["deployments"].size() == 1);
}

TEST_CASE("deployment: deploy publishes a change, by an admin, and lists it") {
  production_desk d;
  const std::string id = d.open_complaint();
  production_desk::edit(d.folder(), "org.yaml", k_promote_from, k_promote_to);
  CHECK(d.with(d.folder(), {"--as", "yang.guang", "deploy", "--dry-run"}).out ==
        "would deploy " + d.folder() + ": org.yaml changed (nothing was written)\n");
  CHECK(d.with(d.folder(), {"--as", "yang.guang", "deploy"}).out ==
        "deployment 2 by yang.guang as admin: org.yaml changed\n");
  CHECK(d.with(d.folder(), {"--as", "yang.guang", "deploy"}).out ==
        "nothing to deploy: " + d.folder() + " is what deployment 2 holds\n");
  const std::string table = d.must({"deployments"});
  CHECK(contains(table, "ID  AT "));
  CHECK(contains(table, "  zhang.wei   -      first command  11 procedures, 3 calendars and org.yaml\n"));
  CHECK(contains(table, "  yang.guang  admin  deploy         org.yaml changed\n"));
  // The folder may be named again now that it is what runs.
  CHECK(d.with(d.folder(), {"--as", "zhang.wei", "show", id}).exit_code == 0);
}

TEST_CASE("deployment: verify judges past events by the organisation they were decided under") {
  production_desk d;
  const std::string id = d.open_complaint();
  CHECK(d.cf({"--as", "zhang.wei", "do", id, "forward", "--set", "category=engineering_quality", "--set",
              "department=engineering"})
            .exit_code == 0);
  // zhang.wei is promoted: a specialist no more. His forward was allowed when he took it.
  production_desk::edit(d.folder(), "org.yaml", k_promote_from, k_promote_to);
  REQUIRE(d.with(d.folder(), {"--as", "yang.guang", "deploy"}).exit_code == 0);
  const run_result verified = d.cf({"verify"});
  INFO("stdout: ", verified.out);
  CHECK(verified.exit_code == 0);
  CHECK(contains(verified.out, "deployments: 2; head 2:"));
  // Today he may not open a complaint any more: the deployed organisation runs.
  check_refused(d.db(), [&] { return d.cf({"--as", "zhang.wei", "start", "complaint", "--set", "customer=张三", "--set",
                                           "channel=phone", "--set", "summary=x"}); },
                "caseflow: zhang.wei may not open a complaint case: it needs the role cs_specialist\n");
}

TEST_CASE("deployment: verify finds an edited deployed text or deployment entry, and commands refuse the text") {
  production_desk d;
  const std::string id = d.open_complaint();
  {
    SQLite::Database db(d.db(), SQLite::OPEN_READWRITE);
    REQUIRE(db.exec("UPDATE deployed_files SET text = replace(text, 'cs_specialist]', 'cs_specialist, cs_manager]') "
                    "WHERE kind = 'organisation'") == 1);
  }
  const run_result verified = d.cf({"verify"});
  CHECK(verified.exit_code == 4);
  CHECK(contains(verified.out, "[deployment] deployment 1: the stored text of org.yaml does not match its hash "));
  const run_result shown = d.cf({"--as", "zhang.wei", "show", id});
  CHECK(shown.exit_code == 1);
  CHECK(contains(shown.err, "caseflow: the deployed text of org.yaml does not match its hash "));
  {
    SQLite::Database db(d.db(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE deployments SET actor = 'someone.else'");
  }
  CHECK(contains(d.cf({"verify"}).out,
                 "[deployment] deployment 1: its content does not match its hash: the entry was edited\n"));
}

TEST_CASE("deployment: binding to the OS user is what the deployed organisation says") {
  production_desk d;
  const std::string login = ::getpwuid(::getuid())->pw_name;
  production_desk::edit(d.folder(), "org.yaml", "people:", "bind_os_user: true\npeople:");
  production_desk::edit(d.folder(), "org.yaml", k_promote_from, k_promote_from + ", os_user: " + login);
  const std::string id = d.open_complaint();  // --as zhang.wei, who the OS user is
  const std::string refusal = "caseflow: acting users are bound to OS users: the OS user '" + login +
                              "' is zhang.wei and may not act as 'li.na' (only a person holding the 'admin' role may)\n";
  check_refused(d.db(), [&] { return d.cf({"--as", "li.na", "note", id, "x"}); }, refusal);
  // A copy of the folder without the setting is refused, and without a folder the binding holds.
  const std::string copy = d.dir().file("unbound");
  std::filesystem::copy(d.folder(), copy, std::filesystem::copy_options::recursive);
  production_desk::edit(copy, "org.yaml", "bind_os_user: true\n", "");
  const run_result unbound = d.with(copy, {"--as", "li.na", "note", id, "x"});
  CHECK(unbound.exit_code == 1);
  CHECK(contains(unbound.err, "org.yaml changed"));
  check_refused(d.db(), [&] { return d.cf({"--as", "li.na", "note", id, "x"}); }, refusal);
}

}  // namespace
}  // namespace caseflow::test
