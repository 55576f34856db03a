// End-to-end plug-ins: installs this build into a scratch prefix, builds the out-of-tree
// example examples/custom_action (an SMS gateway channel) against the installed
// caseflow::engine package, and has `caseflow --plugins DIR` deliver a notification through
// it via the outbox. A file that is not a plug-in, one without the entry point, one that
// refuses to register and one built for another plug-in API version each give a clear error
// and change nothing. A hook that calls a plug-in's handler refuses the whole command when the
// plug-in is missing at run time or no longer accepts the call's arguments.
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

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

// A plug-in handler `stamp` that sets the field `stamp` to its argument, in two versions:
// version 1 takes `mark`; version 2 renamed it `text` and refuses `mark`. Both are compiled
// once into one object (the header costs seconds to compile); each plug-in links it with an
// entry point that registers its own version (k_stamp_entry, -DSTAMP_VERSION=1 or 2).
constexpr const char* k_stamp_handlers = R"src(#include <memory>
#include <string>

#include <caseflow/action_handler.h>

namespace {

class stamp_handler final : public caseflow::action_handler {
 public:
  explicit stamp_handler(int version) : version_(version) {}
  std::string_view name() const override { return "stamp"; }
  std::string validate(const nlohmann::json& args) const override {
    const char* key = version_ == 1 ? "mark" : "text";
    if (args.is_object() && args.contains(key) && args[key].is_string()) return "";
    return version_ == 1 ? "stamp needs `mark`" : "stamp needs `text` (`mark` was renamed in version 2)";
  }
  caseflow::handler_effects run(const caseflow::handler_context&, const nlohmann::json& args) const override {
    caseflow::handler_effects effects;
    effects.set["stamp"] = args.value(version_ == 1 ? "mark" : "text", std::string());
    return effects;
  }

 private:
  int version_;
};

}  // namespace

extern "C" int stamp_register(caseflow::handler_registry* registry, int api_version, const char** error, int version) {
  if (api_version != caseflow::k_plugin_api_version) {
    *error = "built for another caseflow plug-in API version";
    return 1;
  }
  registry->add(std::make_unique<stamp_handler>(version));
  return 0;
}
)src";

constexpr const char* k_stamp_entry = R"src(namespace caseflow { class handler_registry; }
extern "C" int stamp_register(caseflow::handler_registry*, int, const char**, int);
extern "C" int caseflow_register_plugin(caseflow::handler_registry* registry, int api_version, const char** error) {
  return stamp_register(registry, api_version, error, STAMP_VERSION);
}
)src";

// A procedure whose every kind of hook calls `stamp`: the start step's on_enter (line 13), the
// action submit (line 18) and the limit's on_breach (line 24).
constexpr const char* k_filing_v1 = R"(procedure: filing
name: { zh: 归档, en: Filing }
case_id: "FL-{yyyy}-{seq:03}"
roles: { cs_specialist: 客服专员 }
fields:
  title: { type: text, required: true }
  stamp: text
start: draft
steps:
  draft:
    role: cs_specialist
    on_enter:
      - stamp: { mark: 收到 }
    actions:
      submit:
        to: filed
        run:
          - stamp: { mark: 已归档 }
    limits:
      - rule: file_within_an_hour
        within: 1h
        on_breach:
          run:
            - stamp: { mark: 逾期 }
  filed: { terminal: true }
)";

// The next version of the procedure, which no longer calls the plug-in: the folder loads
// without it, while a case opened under version 1 stays pinned to version 1.
constexpr const char* k_filing_v2 = R"(procedure: filing
name: { zh: 归档, en: Filing }
case_id: "FL-{yyyy}-{seq:03}"
roles: { cs_specialist: 客服专员 }
fields:
  title: { type: text, required: true }
  stamp: text
start: draft
steps:
  draft:
    role: cs_specialist
    actions:
      submit: filed
    limits:
      - rule: file_within_an_hour
        within: 1h
  filed: { terminal: true }
)";

TEST_CASE("plug-ins: a hook whose handler is missing or refuses its arguments at run time refuses the whole command") {
  scratch_dir dir;
  const std::string handlers = dir.file("stamp_handlers.cpp"), object = dir.file("stamp_handlers.o");
  std::ofstream(handlers, std::ios::binary) << k_stamp_handlers;
  child compiler("/usr/bin/env", {"c++", "-std=c++20", "-c", "-fPIC", "-I", k_source + "/engine/include", handlers, "-o", object},
                 {}, dir.path());
  require_built(compiler, "stamp_handlers.o");
  child v1_build = start_plugin_build(dir, "stamp_v1", k_stamp_entry, {"-DSTAMP_VERSION=1", object});
  child v2_build = start_plugin_build(dir, "stamp_v2", k_stamp_entry, {"-DSTAMP_VERSION=2", object});
  require_built(v1_build, "stamp_v1");
  require_built(v2_build, "stamp_v2");
  const std::string v1 = dir.file("stamp_v1"), v2 = dir.file("stamp_v2");
  const std::string folder = dir.file("procedures");
  make_procedures_folder(folder, {{"filing.yaml", k_filing_v1}});

  auto cf = [&](const std::string& plugins, const std::string& now, std::vector<std::string> args) {
    std::vector<std::string> all{"--procedures", folder, "--db", dir.db(), "--as", "zhang.wei", "--now", now};
    if (!plugins.empty()) all.insert(all.end(), {"--plugins", plugins});
    all.insert(all.end(), args.begin(), args.end());
    return run_caseflow(all, dir);
  };
  auto must = [&](const std::string& plugins, const std::string& now, std::vector<std::string> args) {
    const run_result r = cf(plugins, now, std::move(args));
    INFO("stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  auto stamps = [&](const std::string& id) {  // the handler's field changes, in order
    std::vector<std::string> out;
    const nlohmann::json history = nlohmann::json::parse(must(v1, "2026-03-02T12:00+08:00", {"--json", "history", id}));
    for (const auto& e : history["events"])
      if (e["kind"] == "fields_changed" && e["data"].value("handler", "") == "stamp")
        out.push_back(e["data"]["hook"].get<std::string>() + ": " + e["data"]["fields"]["stamp"].get<std::string>());
    return out;
  };

  // Opened with the plug-in: the start step's on_enter stamps it.
  std::string id = must(v1, "2026-03-02T10:00+08:00", {"start", "filing", "--set", "title=租赁合同"});
  REQUIRE(id.size() > 1);
  id.pop_back();
  CHECK(stamps(id) == std::vector<std::string>{"on_enter of step 'draft': 收到"});

  // Without the plug-in, while the folder still calls it: the procedures do not load at all
  // (every call is checked when loading, call_loader.cpp), each call named with its hook.
  const std::string file = folder + "/filing.yaml";
  const std::string unknown = ": unknown handler 'stamp'; handlers: escalate, notify, set, start_case, webhook";
  check_refused(dir.db(), [&] { return cf("", "2026-03-02T10:10+08:00", {"do", id, "submit"}); },
                "caseflow: cannot load the procedures:\n"
                "  " + file + ":13:9: on_enter of step 'draft'" + unknown + "\n"
                "  " + file + ":18:13: action 'submit' of step 'draft'" + unknown + "\n"
                "  " + file + ":24:15: on_breach of limit 'file_within_an_hour' of step 'draft'" + unknown + "\n"
                "  (run `caseflow validate` for details)\n");

  // The folder moves on to version 2, which needs no plug-in. The case is pinned to version
  // 1, whose calls are checked when they run (handlers/hooks.cpp run_call).
  std::ofstream(file, std::ios::binary | std::ios::trunc) << k_filing_v2;
  const std::string missing_action =
      "handler 'stamp' (action 'submit' of step 'draft' of filing) is not available; is its plug-in loaded?";
  check_refused(dir.db(), [&] { return cf("", "2026-03-02T10:10+08:00", {"do", id, "submit"}); },
                "caseflow: " + missing_action + "\n");
  const std::string refused_action =
      "action 'submit' of step 'draft' of filing: stamp: stamp needs `text` (`mark` was renamed in version 2)";
  check_refused(dir.db(), [&] { return cf(v2, "2026-03-02T10:10+08:00", {"do", id, "submit"}); },
                "caseflow: " + refused_action + "\n");

  // The limit's breach at 11:00 calls the handler too: the tick refuses that firing, says why,
  // and writes nothing.
  const std::string rule = "draft.file_within_an_hour";
  check_refused(dir.db(), [&] { return cf("", "2026-03-02T11:00+08:00", {"tick"}); },
                "caseflow: timer " + rule + " of case " + id + " was not fired: handler 'stamp' (on_breach of limit "
                "'file_within_an_hour' of step 'draft' of filing) is not available; is its plug-in loaded?\n");
  check_refused(dir.db(), [&] { return cf(v2, "2026-03-02T11:00+08:00", {"tick"}); },
                "caseflow: timer " + rule + " of case " + id + " was not fired: on_breach of limit "
                "'file_within_an_hour' of step 'draft' of filing: stamp: stamp needs `text` (`mark` was renamed in "
                "version 2)\n");
  CHECK(stamps(id) == std::vector<std::string>{"on_enter of step 'draft': 收到"});

  // With version 1 of the plug-in both run: the refusals above were the handler's.
  must(v1, "2026-03-02T11:00+08:00", {"tick"});
  must(v1, "2026-03-02T11:05+08:00", {"do", id, "submit"});
  CHECK(stamps(id) == std::vector<std::string>{"on_enter of step 'draft': 收到",
                                               "on_breach of limit 'file_within_an_hour' of step 'draft': 逾期",
                                               "action 'submit' of step 'draft': 已归档"});
  must("", "2026-03-02T11:10+08:00", {"verify"});
}

}  // namespace
}  // namespace caseflow::test
