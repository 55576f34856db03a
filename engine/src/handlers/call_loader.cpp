// Reading and checking handler calls in procedure hooks. See call_loader.h.
#include "handlers/call_loader.h"

#include <cctype>

#include <fmt/format.h>

#include "caseflow/action_handler.h"

namespace caseflow::detail {

namespace {

bool is_integer(const std::string& text) {
  std::size_t i = text.size() > 1 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (i == text.size() || text.size() > 18) return false;
  for (; i < text.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  return true;
}

// YAML to JSON: quoted scalars stay text; plain true/false, null and integers are typed.
nlohmann::json to_json(const YAML::Node& node) {
  if (node.IsMap()) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& entry : node) object[entry.first.Scalar()] = to_json(entry.second);
    return object;
  }
  if (node.IsSequence()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& item : node) list.push_back(to_json(item));
    return list;
  }
  if (!node.IsScalar()) return nullptr;
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;
  if (text == "true") return true;
  if (text == "false") return false;
  if (text == "null" || text == "~") return nullptr;
  if (is_integer(text)) return std::stoll(text);
  return text;
}

// The reserved key of a hook item that guards every handler call of the item.
constexpr std::string_view k_guard_key = "when";

// The item's `when:` guard compiled with `compile`, or nullopt when it has none (or it does not
// compile: the error is recorded). A guard must be a condition written as text.
std::optional<expression> read_call_guard(yaml_reader& in, const YAML::Node& item, std::string_view where,
                                          const condition_compiler& compile) {
  const YAML::Node guard = item[std::string(k_guard_key)];
  if (!guard) return std::nullopt;
  if (!guard.IsScalar()) {
    in.error(guard, fmt::format("{}: `when:` must be a condition written as text, e.g. when: 'channel == \"phone\"'",
                                where));
    return std::nullopt;
  }
  return compile(guard, fmt::format("guard of a call in {}", where));
}

}  // namespace

handler_calls read_handler_calls(yaml_reader& in, const YAML::Node& node, std::string_view where,
                                 const condition_compiler& compile) {
  handler_calls calls;
  if (!in.expect_sequence(node, where)) return calls;
  for (const auto& item : node) {
    if (!item.IsMap() || item.size() == 0) {
      in.error(item, fmt::format("{}: a handler call is written `- name: {{ arguments }}`, with an optional "
                                 "`when: condition` beside it",
                                 where));
      continue;
    }
    const std::optional<expression> guard = read_call_guard(in, item, where, compile);
    const std::size_t first = calls.size();
    for (const auto& entry : item) {
      if (entry.first.Scalar() == k_guard_key) continue;
      auto [line, column] = position(entry.first);
      handler_call call{entry.first.Scalar(), entry.second.IsNull() ? nlohmann::json::object() : to_json(entry.second),
                        line, column, guard};
      calls.push_back(std::move(call));
    }
    if (calls.size() == first)
      in.error(item, fmt::format("{}: `when:` guards the handler calls written beside it, and this item has none; "
                                 "add one (`notify: {{ … }}`) or remove the item",
                                 where));
  }
  return calls;
}

std::vector<hook_calls> all_hooks(const procedure& p) {
  std::vector<hook_calls> hooks;
  for (const auto& step : p.steps) {
    hooks.push_back({fmt::format("on_enter of step '{}'", step.id), &step.on_enter});
    hooks.push_back({fmt::format("on_exit of step '{}'", step.id), &step.on_exit});
    for (const auto& action : step.actions)
      hooks.push_back({fmt::format("action '{}' of step '{}'", action.id, step.id), &action.run});
    for (const auto& limit : step.limits)
      hooks.push_back({fmt::format("on_breach of limit '{}' of step '{}'", limit.id, step.id), &limit.on_breach.run});
    for (const auto& o : step.obligations)
      hooks.push_back({fmt::format("on_breach of obligation '{}' of step '{}'", o.id, step.id), &o.on_breach.run});
  }
  for (const auto& e : p.escalations) hooks.push_back({fmt::format("escalation '{}'", e.id), &e.effects.run});
  return hooks;
}

void check_handler_calls(const procedure& p, const handler_registry& handlers, diagnostics* out) {
  const std::vector<std::string> names = handlers.handler_names();
  for (const auto& hook : all_hooks(p)) {
    for (const auto& call : *hook.calls) {
      const action_handler* h = handlers.find(call.handler);
      std::string problem;
      if (!h) {
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        problem = fmt::format("unknown handler '{}'{}; handlers: {}", call.handler, did_you_mean(call.handler, names),
                              known);
      } else if (auto why = h->validate_in(p, call.args); !why.empty()) {
        problem = fmt::format("{}: {}", call.handler, why);
      }
      if (!problem.empty())
        out->push_back({p.file, call.line, call.column, fmt::format("{}: {}", hook.where, problem),
                        diagnostic_level::error});
    }
  }
}

}  // namespace caseflow::detail
