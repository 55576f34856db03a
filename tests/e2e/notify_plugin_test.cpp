// End-to-end plug-ins: installs this build into a scratch prefix, builds the out-of-tree
// example examples/custom_action (an SMS gateway channel) against the installed
// caseflow::engine package, and has `caseflow --plugins DIR` deliver a notification through
// it via the outbox. A file that is not a plug-in gives a clear error and changes nothing.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "e2e/cli_runner.h"

namespace caseflow::test {
namespace {

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

}  // namespace
}  // namespace caseflow::test
