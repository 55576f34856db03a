// sms_gateway — an example caseflow plug-in. It adds:
//   - a `notify.sms` handler: for every notification, one text message per notified person
//     with a phone number in org.yaml (handlers named `notify.*` run beside `notify`);
//   - an `sms` channel whose sender "delivers" by appending "<phone>\t<key>\t<text>" to the
//     file named by SMS_GATEWAY_FILE (a stand-in for a real gateway's HTTP API).
// Built out of tree against the installed caseflow package; see CMakeLists.txt.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>

#include <caseflow/action_handler.h>

namespace {

class sms_handler final : public caseflow::action_handler {
 public:
  std::string_view name() const override { return "notify.sms"; }
  std::string validate(const nlohmann::json& args) const override {
    return args.is_object() && args.contains("to") ? "" : "notify.sms needs `to`";
  }
  caseflow::handler_effects run(const caseflow::handler_context& ctx, const nlohmann::json& args) const override {
    caseflow::handler_effects effects;
    const auto to = args.value("to", nlohmann::json::array());
    const std::string text = "[" + ctx.state.id + "] " + args.value("message", std::string());
    for (const auto& p : ctx.org.people()) {
      const bool named = std::any_of(to.begin(), to.end(), [&](const nlohmann::json& t) {
        const std::string who = t.get<std::string>();
        return who == p.id || (who == "assignee" && p.id == ctx.state.assignee) ||
               std::find(p.roles.begin(), p.roles.end(), who) != p.roles.end();
      });
      if (named && !p.phone.empty()) effects.messages.push_back({"sms", p.phone, {{"text", text}}, {}});
    }
    return effects;
  }
};

class sms_sender final : public caseflow::channel_sender {
 public:
  std::string_view channel() const override { return "sms"; }
  caseflow::delivery_result send(const caseflow::outbox_entry& m) override {
    const char* path = std::getenv("SMS_GATEWAY_FILE");
    if (!path || !*path) return caseflow::delivery_result::failed("sms: SMS_GATEWAY_FILE is not set");
    std::ofstream out(path, std::ios::app);
    out << m.recipient << '\t' << m.idempotency_key << '\t' << m.payload.value("text", std::string()) << '\n';
    return out ? caseflow::delivery_result::ok() : caseflow::delivery_result::failed("sms: cannot write the file");
  }
};

}  // namespace

extern "C" int caseflow_register_plugin(caseflow::handler_registry* registry, int api_version, const char** error) {
  if (api_version != caseflow::k_plugin_api_version) {
    *error = "built for caseflow plug-in API version 1";
    return 1;
  }
  registry->add(std::make_unique<sms_handler>());
  registry->add(std::make_unique<sms_sender>());
  return 0;
}
