// The `notify` handler: tells roles, people or the assignee, over every configured channel.
//
// Arguments (the data of a notification_requested event, or a procedure's notify step):
//   { to: [cs_manager, zhao.lei, assignee], message: "案件 {case.id} …", rule: hot_report,
//     urgent: false }
// `to` names roles (every person holding one), person ids from org.yaml, or `assignee`.
// Messages: one webhook POST per notification (all recipients inside), one e-mail per person
// with an address, one log line per notification. With quiet hours on, a message that is
// not urgent waits for the next working moment of the procedure's calendar.
#include <algorithm>

#include <fmt/format.h>

#include "caseflow/actions.h"
#include "caseflow/calendar.h"

namespace caseflow::actions {

namespace {

class notify_handler final : public action_handler {
 public:
  explicit notify_handler(delivery_config config) : config_(std::move(config)) {}

  std::string_view name() const override { return "notify"; }

  std::string validate(const nlohmann::json& args) const override {
    if (!args.is_object()) return "notify takes a mapping { to: [...], message: ... }";
    auto to = args.find("to");
    if (to == args.end() || !to->is_array() || to->empty()) return "notify needs `to`: a list of roles or people";
    for (const auto& t : *to)
      if (!t.is_string()) return "notify `to` must list role or person names";
    if (auto m = args.find("message"); m != args.end() && !m->is_string()) return "notify `message` must be text";
    return "";
  }

  handler_effects run(const handler_context& ctx, const nlohmann::json& args) const override {
    handler_effects effects;
    const std::string rule = args.value("rule", "");
    const std::string text = render_template(args.value("message", ""), ctx, rule);
    const auto people = recipients(ctx, args.value("to", nlohmann::json::array()));
    const bool urgent = args.value("urgent", false) ||
                        std::find(config_.urgent_rules.begin(), config_.urgent_rules.end(), rule) !=
                            config_.urgent_rules.end();
    const instant not_before = config_.quiet_hours && !urgent && ctx.cal ? ctx.cal->next_working_moment(ctx.trigger.at)
                                                                         : instant{};
    nlohmann::json who = nlohmann::json::array();
    for (const person* p : people) who.push_back({{"id", p->id}, {"name", p->name}, {"email", p->email}});
    const std::string subject = fmt::format("[{}] {}", ctx.state.id, ctx.definition.name.preferred(ctx.definition.id));
    if (config_.channels().empty()) {
      // Nowhere to send it: one dead-letter row says so (outbox.h, k_no_channel).
      effects.messages.push_back({std::string(k_no_channel), "",
                                  {{"kind", "notification"}, {"case_id", ctx.state.id}, {"rule", rule},
                                   {"message", text}, {"to", args.value("to", nlohmann::json::array())},
                                   {"recipients", who}, {"event_id", ctx.trigger.id}, {"event_seq", ctx.trigger.seq},
                                   {"at", format_instant_utc(ctx.trigger.at)}},
                                  {}});
    }
    for (const auto& channel : config_.channels()) {
      if (channel == "webhook") {
        effects.messages.push_back({channel, "",
                                    {{"kind", "notification"}, {"case_id", ctx.state.id},
                                     {"procedure", ctx.definition.id}, {"step", ctx.state.step}, {"rule", rule},
                                     {"message", text}, {"to", args.value("to", nlohmann::json::array())},
                                     {"recipients", who}, {"event_id", ctx.trigger.id}, {"event_seq", ctx.trigger.seq},
                                     {"at", format_instant_utc(ctx.trigger.at)}, {"urgent", urgent}},
                                    not_before});
      } else if (channel == "email") {
        for (const person* p : people)
          if (!p->email.empty())
            effects.messages.push_back(
                {channel, p->email, {{"subject", subject}, {"body", text}, {"name", p->name}}, not_before});
      } else {
        effects.messages.push_back(
            {channel, "", {{"line", fmt::format("{} {} {} {}", ctx.state.id, rule, who.dump(), text)}}, not_before});
      }
    }
    return effects;
  }

 private:
  // The people `to` names, each once, in order.
  static std::vector<const person*> recipients(const handler_context& ctx, const nlohmann::json& to) {
    std::vector<const person*> out;
    auto add = [&](const person* p) {
      if (p && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    };
    for (const auto& entry : to) {
      const std::string name = entry.is_string() ? entry.get<std::string>() : "";
      if (name == "assignee") {
        add(ctx.org.find(ctx.state.assignee));
      } else if (const person* p = ctx.org.find(name)) {
        add(p);
      } else {
        for (const auto& q : ctx.org.people())
          if (q.holds(name)) add(&q);
      }
    }
    return out;
  }

  delivery_config config_;
};

}  // namespace

std::unique_ptr<action_handler> make_notify_handler(const delivery_config& config) {
  return std::make_unique<notify_handler>(config);
}

outbox_router make_notification_router(const handler_registry& registry, const organisation& org,
                                       std::function<const calendar*(const procedure&)> calendar_of) {
  return [&registry, &org, calendar_of = std::move(calendar_of)](const procedure& p, const case_state& state,
                                                                 const event& e) -> std::vector<outbound_message> {
    std::vector<outbound_message> messages;
    if (e.kind != event_kind::notification_requested) return messages;
    const handler_context ctx{p, state, e, org, calendar_of(p), ""};
    for (const auto& name : registry.handler_names()) {
      if (name != "notify" && name.rfind("notify.", 0) != 0) continue;
      const action_handler* h = registry.find(name);
      if (!h->validate(e.data).empty()) continue;
      for (auto& m : h->run(ctx, e.data).messages) messages.push_back(std::move(m));
    }
    // A plug-in channel that takes it leaves no dead letter behind.
    if (std::any_of(messages.begin(), messages.end(), [](const outbound_message& m) { return m.channel != k_no_channel; }))
      std::erase_if(messages, [](const outbound_message& m) { return m.channel == k_no_channel; });
    return messages;
  };
}

}  // namespace caseflow::actions
