// Message templates: {case.id}-style placeholders. See caseflow/actions.h render_template.
#include <fmt/format.h>

#include "caseflow/actions.h"

namespace caseflow::actions {

namespace {

std::optional<std::string> lookup(std::string_view key, const handler_context& ctx, std::string_view rule) {
  const case_state& c = ctx.state;
  if (key == "rule") return std::string(rule);
  if (key == "procedure.name") return ctx.definition.name.preferred(ctx.definition.id);
  if (key == "case.id") return c.id;
  if (key == "case.procedure") return ctx.definition.id;
  if (key == "case.step") return c.step;
  if (key == "case.assignee") return c.assignee;
  if (key.substr(0, 5) != "case.") return std::nullopt;
  const std::string field(key.substr(5));
  const field_def* def = ctx.definition.find_field(field);
  if (!def) return std::nullopt;
  if (def->personal) return std::string("***");
  auto v = c.fields.find(field);
  return v == c.fields.end() ? std::string() : format_value(v->second);
}

}  // namespace

std::string render_template(std::string_view text, const handler_context& ctx, std::string_view rule) {
  fmt::memory_buffer out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t open = text.find('{', i);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      fmt::format_to(std::back_inserter(out), "{}", text.substr(i));
      break;
    }
    fmt::format_to(std::back_inserter(out), "{}", text.substr(i, open - i));
    const std::string_view key = text.substr(open + 1, close - open - 1);
    auto replaced = lookup(key, ctx, rule);
    fmt::format_to(std::back_inserter(out), "{}", replaced ? *replaced : text.substr(open, close - open + 1));
    i = close + 1;
  }
  return fmt::to_string(out);
}

}  // namespace caseflow::actions
