// End-to-end plug-ins: installs this build into a scratch prefix, builds the out-of-tree
// example examples/custom_action (an SMS gateway channel) against the installed
// caseflow::engine package, and has `caseflow --plugins DIR` deliver a notification through
// it via the outbox. A file that is not a plug-in, one without the entry point, one that
// refuses to register and one built for another plug-in API version each give a clear error
// and change nothing.
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

// Starts compiling `source` (written to DIR/NAME.cpp) into the plug-in DIR/NAME/NAME.so, in a
// folder of its own as --plugins takes a folder, with the system compiler and the source
// tree's public headers (engine/include). wait() for the compiler.
child start_plugin_build(const scratch_dir& dir, const std::string& name, const std::string& source,
                         const std::vector<std::string>& flags = {}) {
  const std::string source_file = dir.file(name + ".cpp");
  std::ofstream(source_file, std::ios::binary) << source;
  std::filesystem::create_directories(dir.file(name));
  std::vector<std::string> args{"c++", "-std=c++20", "-shared", "-fPIC", "-I", k_source + "/engine/include"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.insert(args.end(), {source_file, "-o", dir.file(name) + "/" + name + ".so"});
  return child("/usr/bin/env", args, {}, dir.path());
}

void require_built(child& compiler, const std::string& name) {
  const run_result r = compiler.wait();
  INFO(name, ": ", r.out, r.err);
  REQUIRE(r.exit_code == 0);
}

TEST_CASE("notify plug-in: the custom_action example builds out of tree and delivers SMS through the outbox") {
  scratch_dir dir;
  const std::filesystem::path build_dir = std::filesystem::path(CASEFLOW_BINARY).parent_path().parent_path();
  const std::string prefix = dir.file("prefix");
  const std::string plugin_dir = dir.file("sms");
  REQUIRE(run("/usr/bin/env", {"cmake", "--install", build_dir.string(), "--prefix", prefix}, {}, dir.path()).exit_code == 0);
  const run_result configure = run("/usr/bin/env",
                                   {"cmake", "-S", k_source + "/examples/custom_action", "-B", plugin_dir,
                                    "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_BUILD_TYPE=Debug"},
                                   {}, dir.path());
  INFO("configure: ", configure.out, configure.err);
  REQUIRE(configure.exit_code == 0);
  const run_result build = run("/usr/bin/env", {"cmake", "--build", plugin_dir}, {}, dir.path());
  INFO("build: ", build.out, build.err);
  REQUIRE(build.exit_code == 0);
  REQUIRE(std::filesystem::exists(plugin_dir + "/sms_gateway.so"));

  // The shipped procedures, with a phone number for the customer-service manager.
  const std::string processes = dir.file("processes");
  std::filesystem::copy(k_source + "/processes", processes, std::filesystem::copy_options::recursive);
  std::string org = read_bytes(processes + "/org.yaml").value_or("");
  const std::string manager = "roles: [cs_manager], email: wang.fang@example.com";
  REQUIRE(org.find(manager) != std::string::npos);
  org.replace(org.find(manager), manager.size(), manager + ", phone: \"13900000002\"");
  std::ofstream(processes + "/org.yaml", std::ios::trunc) << org;

  const env_list env{{"CASEFLOW_PLUGINS", plugin_dir}, {"SMS_GATEWAY_FILE", dir.file("sms.txt")}};
  auto cf = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--procedures", processes, "--db", dir.db()});
    const run_result r = run_caseflow(args, dir, env);
    INFO(args.back(), " stderr: ", r.err);
    CHECK(r.exit_code == 0);
    return r;
  };
  cf({"--as", "zhang.wei", "--now", "2026-03-02T10:00+08:00", "start", "complaint", "--set", "customer=张三", "--set",
      "channel=phone", "--set", "summary=卫生间漏水"});
  cf({"--now", "2026-03-02T10:31+08:00", "tick"});  // the 30-minute limit is breached: tell cs_manager
  cf({"--now", "2026-03-02T10:31+08:00", "dispatch"});
  const std::string sms = read_bytes(dir.file("sms.txt")).value_or("");
  CHECK(sms.find("13900000002\t") != std::string::npos);

  // Not a plug-in: a clear error naming the file, exit 1.
  const std::string bad_dir = dir.file("bad");
  std::filesystem::create_directories(bad_dir);
  std::ofstream(bad_dir + "/broken.so") << "not a shared library";
  const run_result bad = run_caseflow({"--procedures", processes, "--db", dir.db(), "--plugins", bad_dir, "dispatch"},
                                      dir, {});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("plug-in " + bad_dir + "/broken.so cannot be loaded") != std::string::npos);
}

// Three shared libraries that are not usable plug-ins. They need only the entry point's C
// signature (plugin_entry in caseflow/action_handler.h), so they declare the registry instead
// of including the header: each compiles in a tenth of a second.
constexpr const char* k_no_entry = R"src(// A shared library without caseflow_register_plugin.
extern "C" int register_plugin(void*, int, const char**) { return 0; }
)src";

constexpr const char* k_refuses = R"src(// Refuses to register, with its reason.
namespace caseflow { class handler_registry; }
extern "C" int caseflow_register_plugin(caseflow::handler_registry*, int, const char** error) {
  *error = "no licence file for the SMS gateway";
  return 1;
}
)src";

constexpr const char* k_old_api = R"src(// Built for version 1 of the plug-in API; refuses any other, as action_handler.h asks.
namespace caseflow { class handler_registry; }
constexpr int k_built_for = 1;
extern "C" int caseflow_register_plugin(caseflow::handler_registry*, int api_version, const char** error) {
  if (api_version != k_built_for) {
    *error = "built for caseflow plug-in API version 1";
    return 1;
  }
  return 0;
}
)src";

TEST_CASE("plug-ins: one without the entry point, one that refuses and one for another API version are refused") {
  scratch_dir dir;
  std::vector<std::pair<std::string, child>> builds;
  for (const auto& [name, source] : {std::pair{"no_entry", k_no_entry}, std::pair{"refuses", k_refuses},
                                     std::pair{"old_api", k_old_api}})
    builds.emplace_back(name, start_plugin_build(dir, name, source));
  for (auto& [name, compiler] : builds) require_built(compiler, name);

  // A database with one complaint; each command below would write (open a second one).
  auto cf = [&](const std::vector<std::string>& plugins) {
    std::vector<std::string> args{"--procedures", k_processes, "--db", dir.db()};
    args.insert(args.end(), plugins.begin(), plugins.end());
    args.insert(args.end(), {"--as", "zhang.wei", "--now", "2026-03-02T10:00+08:00", "start", "complaint", "--set",
                             "customer=张三", "--set", "channel=phone", "--set", "summary=卫生间漏水"});
    return run_caseflow(args, dir);
  };
  REQUIRE(cf({}).exit_code == 0);
  // caseflow::actions::load_plugins (actions/plugins.cpp): the file, and what is wrong with it.
  const std::string no_entry = dir.file("no_entry");
  check_refused(dir.db(), [&] { return cf({"--plugins", no_entry}); },
                "caseflow: plug-in " + no_entry + "/no_entry.so has no caseflow_register_plugin function\n");
  const std::string refuses = dir.file("refuses");
  check_refused(dir.db(), [&] { return cf({"--plugins", refuses}); },
                "caseflow: plug-in " + refuses + "/refuses.so refused to register: no licence file for the SMS gateway\n");
  // Through the environment as well as the option.
  const std::string old_api = dir.file("old_api");
  check_refused(dir.db(), [&] { return run_caseflow({"--procedures", k_processes, "--db", dir.db(), "dispatch"}, dir,
                                                    {{"CASEFLOW_PLUGINS", old_api}}); },
                "caseflow: plug-in " + old_api + "/old_api.so refused to register: built for caseflow plug-in API "
                "version 1\n");
  // Without them the same command writes: the refusals were the plug-ins'.
  const db_snapshot before = snapshot(dir.db());
  CHECK(cf({}).exit_code == 0);
  CHECK_FALSE(snapshot(dir.db()) == before);
}

}  // namespace
}  // namespace caseflow::test
