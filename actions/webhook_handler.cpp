// The `webhook` handler: posts a JSON document about the case to the webhook channel
// (CASEFLOW_WEBHOOK_URL, see webhook.cpp for delivery, headers and timeout).
//
//   actions:
//     dispatch:
//       to: repair
//       run:
//         - webhook: { event: crm_ticket, body: { ticket: "{case.id}", summary: "{case.summary}" } }
// The document: {kind: "webhook", event, case_id, procedure, step, body, event_id, at}; every
// text inside `body` is a template (render_template). Goes at once (quiet hours are for people).
#include <fmt/format.h>

#include "builtins.h"

namespace caseflow::actions {

namespace {

nlohmann::json render_body(const nlohmann::json& body, const handler_context& ctx) {
  if (body.is_string()) return render_template(body.get<std::string>(), ctx, "");
  if (!body.is_structured()) return body;
  nlohmann::json out = body;
  for (auto& item : out) item = render_body(item, ctx);
  return out;
}

class webhook_handler final : public action_handler {
 public:
  std::string_view name() const override { return "webhook"; }

  std::string validate(const nlohmann::json& args) const override {
    if (!args.is_object()) return "webhook takes a mapping { event: NAME, body: { … } }";
    for (const auto& [key, v] : args.items())
      if (key != "event" && key != "body") return fmt::format("unknown argument '{}'; webhook takes event and body", key);
    if (auto e = args.find("event"); e != args.end() && !e->is_string()) return "`event` must be a name";
    if (!args.contains("body")) return "webhook needs `body`: the JSON document to post";
    return "";
  }

  handler_effects run(const handler_context& ctx, const nlohmann::json& args) const override {
    handler_effects effects;
    effects.messages.push_back({"webhook", "",
                                {{"kind", "webhook"}, {"event", args.value("event", "")}, {"case_id", ctx.state.id},
                                 {"procedure", ctx.definition.id}, {"step", ctx.state.step},
                                 {"body", render_body(args["body"], ctx)}, {"event_id", ctx.trigger.id}, {"event_seq", ctx.trigger.seq},
                                 {"at", format_instant_utc(ctx.trigger.at)}},
                                {}});
    return effects;
  }
};

}  // namespace

std::unique_ptr<action_handler> make_webhook_handler() { return std::make_unique<webhook_handler>(); }

}  // namespace caseflow::actions
