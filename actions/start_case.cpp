// The `start_case` handler: opens a sub-case of another procedure (see runtime.h).
//
//   on_enter:
//     - start_case:
//         procedure: repair_order
//         fields: { address: "{case.address}", summary: "投诉 {case.id} 的维修" }
//         wait: true
// `fields` maps the child's fields to values: "{case.X}" alone copies the parent's field X
// as it is (nothing when it is empty; personal values too: they stay personal if the child's
// field is); other text is
// a template (render_template); numbers and true/false are written as typed. With
// `wait: true` the parent cannot change step until the child reaches a terminal or resolved
// step. The child must open with these fields alone (its required fields given).
#include <fmt/format.h>

#include "arguments.h"
#include "builtins.h"

namespace caseflow::actions {

namespace {

class start_case_handler final : public action_handler {
 public:
  std::string_view name() const override { return "start_case"; }

  std::string validate(const nlohmann::json& args) const override {
    if (!args.is_object()) return "start_case takes a mapping { procedure: ID, fields: { … }, wait: true }";
    for (const auto& [key, v] : args.items())
      if (key != "procedure" && key != "fields" && key != "wait")
        return fmt::format("unknown argument '{}'; start_case takes procedure, fields and wait", key);
    auto procedure = args.find("procedure");
    if (procedure == args.end() || !procedure->is_string() || procedure->get<std::string>().empty())
      return "start_case needs `procedure`: the id of the sub-case's procedure";
    if (auto wait = args.find("wait"); wait != args.end() && !wait->is_boolean()) return "`wait` must be true or false";
    if (auto fields = args.find("fields"); fields != args.end()) {
      if (!fields->is_object()) return "`fields` must map the sub-case's fields to values";
      for (const auto& [field, v] : fields->items())
        if (argument_text(v).empty() && !v.is_string())
          return fmt::format("the value of sub-case field '{}' must be a single value", field);
    }
    return "";
  }

  handler_effects run(const handler_context& ctx, const nlohmann::json& args) const override {
    subcase_request request;
    request.procedure = args.value("procedure", "");
    request.wait = args.value("wait", false);
    const nlohmann::json fields = args.value("fields", nlohmann::json::object());
    for (const auto& [field, v] : fields.items())
      if (auto text = field_text(ctx, v)) request.fields.emplace_back(field, std::move(*text));
    handler_effects effects;
    effects.subcases.push_back(std::move(request));
    return effects;
  }

 private:
  // The child's value as typed text; nullopt when it copies a parent field that has none.
  static std::optional<std::string> field_text(const handler_context& ctx, const nlohmann::json& v) {
    if (!v.is_string()) return argument_text(v);
    const std::string text = v.get<std::string>();
    if (text.size() > 7 && text.rfind("{case.", 0) == 0 && text.back() == '}' && text.find('}') == text.size() - 1) {
      const std::string parent_field = text.substr(6, text.size() - 7);
      if (ctx.definition.find_field(parent_field)) {
        auto it = ctx.state.fields.find(parent_field);
        if (it == ctx.state.fields.end() || is_null(it->second)) return std::nullopt;
        return format_value(it->second);
      }
    }
    return render_template(text, ctx, "");
  }
};

}  // namespace

std::unique_ptr<action_handler> make_start_case_handler() { return std::make_unique<start_case_handler>(); }

}  // namespace caseflow::actions
