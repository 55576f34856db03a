// The `set` handler: sets fields of the case to fixed values.
//
//   on_enter:
//     - set: { priority: high, needs_visit: true }
// Each key names a field of the procedure, each value is written as on the command line
// (`--set priority=high`). Only values that change are recorded (one fields_changed event).
#include <fmt/format.h>

#include "arguments.h"
#include "builtins.h"

namespace caseflow::actions {

namespace {

class set_handler final : public action_handler {
 public:
  std::string_view name() const override { return "set"; }

  std::string validate(const nlohmann::json& args) const override {
    if (!args.is_object() || args.empty()) return "set takes a mapping of fields to values, e.g. { priority: high }";
    for (const auto& [field, v] : args.items())
      if (!v.is_string() && !v.is_number() && !v.is_boolean())
        return fmt::format("the value of '{}' must be a single value", field);
    return "";
  }

  std::string validate_in(const procedure& p, const nlohmann::json& args) const override {
    if (auto why = validate(args); !why.empty()) return why;
    for (const auto& [field, v] : args.items()) {
      std::string why;
      if (!field_value(p, field, argument_text(v), &why)) return why;
    }
    return "";
  }

  handler_effects run(const handler_context& ctx, const nlohmann::json& args) const override {
    handler_effects effects;
    for (const auto& [field, v] : args.items()) {
      std::string why;
      if (auto typed = field_value(ctx.definition, field, argument_text(v), &why)) effects.set[field] = std::move(*typed);
    }
    return effects;
  }
};

}  // namespace

std::unique_ptr<action_handler> make_set_handler() { return std::make_unique<set_handler>(); }

}  // namespace caseflow::actions
