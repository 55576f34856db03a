// The `escalate` handler: raises enum fields (severity-like: the order of their values is
// their rank) to at least a level, never lowering them, with a reason.
//
//   on_enter:
//     - escalate: { severity: important, reason: "二次投诉" }
// The change is recorded as a fields_changed event whose reason is "escalate: <reason>";
// a field already at or above the level is left as it is (and nothing is recorded).
#include <algorithm>

#include <fmt/format.h>

#include "arguments.h"
#include "builtins.h"

namespace caseflow::actions {

namespace {

int rank(const field_def& field, const value& v) {
  const auto* text = std::get_if<std::string>(&v);
  auto it = text ? std::find(field.values.begin(), field.values.end(), *text) : field.values.end();
  return it == field.values.end() ? -1 : static_cast<int>(it - field.values.begin());
}

class escalate_handler final : public action_handler {
 public:
  std::string_view name() const override { return "escalate"; }

  std::string validate(const nlohmann::json& args) const override {
    if (!args.is_object()) return "escalate takes a mapping, e.g. { severity: important, reason: \"二次投诉\" }";
    auto reason = args.find("reason");
    if (reason == args.end() || !reason->is_string() || reason->get<std::string>().empty())
      return "escalate needs `reason`: why the case is escalated";
    if (args.size() < 2) return "escalate needs the field to raise and its level, e.g. severity: important";
    for (const auto& [field, v] : args.items())
      if (field != "reason" && !v.is_string()) return fmt::format("the level of '{}' must be one of its values", field);
    return "";
  }

  std::string validate_in(const procedure& p, const nlohmann::json& args) const override {
    if (auto why = validate(args); !why.empty()) return why;
    for (const auto& [field, v] : args.items()) {
      if (field == "reason") continue;
      std::string why;
      if (!field_value(p, field, argument_text(v), &why)) return why;
      if (p.find_field(field)->type != field_type::enumeration)
        return fmt::format("only enum fields can be escalated ('{}' is {}); use set:", field,
                           to_string(p.find_field(field)->type));
    }
    return "";
  }

  handler_effects run(const handler_context& ctx, const nlohmann::json& args) const override {
    handler_effects effects;
    for (const auto& [name, v] : args.items()) {
      const field_def* field = ctx.definition.find_field(name);
      if (name == "reason" || !field) continue;
      const value target = argument_text(v);
      auto current = ctx.state.fields.find(name);
      if (current == ctx.state.fields.end() || rank(*field, current->second) < rank(*field, target))
        effects.set[name] = target;
    }
    effects.reason = fmt::format("escalate: {}", args.value("reason", ""));
    return effects;
  }
};

}  // namespace

std::unique_ptr<action_handler> make_escalate_handler() { return std::make_unique<escalate_handler>(); }

}  // namespace caseflow::actions
