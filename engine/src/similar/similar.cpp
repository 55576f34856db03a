// Cross-case rules. See caseflow/similar.h for the contract.
#include "caseflow/similar.h"

#include <algorithm>

#include <fmt/format.h>

namespace caseflow {

std::optional<similar_signature> signature_of(const procedure& p, const case_state& c) {
  if (!p.similar || !c.exists()) return std::nullopt;
  if (const step_def* step = p.find_step(c.step); step && step->terminal) return std::nullopt;
  auto text_of = [&](const std::string& field) -> std::optional<std::string> {
    auto it = c.fields.find(field);
    if (it == c.fields.end() || is_null(it->second)) return std::nullopt;
    return format_value(it->second);
  };
  similar_signature signature;
  for (const auto& field : p.similar->same) {
    auto text = text_of(field);
    if (!text) return std::nullopt;
    signature.same.push_back(std::move(*text));
  }
  auto distinct = text_of(p.similar->distinct);
  if (!distinct) return std::nullopt;
  signature.distinct = std::move(*distinct);
  return signature;
}

bool within_window(const similar_def& def, const calendar* cal, instant a, instant b) {
  const instant earlier = std::min(a, b);
  const instant later = std::max(a, b);
  if (def.within.kind == duration::unit::calendar_months && cal) return later <= cal->due(earlier, def.within).due;
  if (def.within.kind == duration::unit::calendar_months)  // no calendar: 31-day months, at most
    return later.seconds - earlier.seconds <= window_span_seconds(def);
  return later.seconds - earlier.seconds <= def.within.amount;
}

std::int64_t window_span_seconds(const similar_def& def) {
  if (def.within.kind == duration::unit::calendar_months) return (def.within.amount * 31 * 86400 + 9) / 10;
  return def.within.amount;
}

field_values raised_fields(const procedure& p, const field_values& fields, const field_values& raise) {
  field_values changes;
  for (const auto& [name, target] : raise) {
    const field_def* field = p.find_field(name);
    if (!field) continue;
    auto rank = [&](const value& v) {
      const auto* text = std::get_if<std::string>(&v);
      auto it = text ? std::find(field->values.begin(), field->values.end(), *text) : field->values.end();
      return it == field->values.end() ? -1 : static_cast<int>(it - field->values.begin());
    };
    auto current = fields.find(name);
    if (current == fields.end() || rank(current->second) < rank(target)) changes[name] = target;
  }
  return changes;
}

std::vector<event> similar_raise(const procedure& p, const case_state& c, const similar_rule& rule, int count,
                                 const std::vector<std::string>& others, instant now) {
  const field_values changes = raised_fields(p, c.fields, rule.raise);
  if (changes.empty()) return {};
  std::string listed;
  for (const auto& id : others) listed += (listed.empty() ? "" : ", ") + id;
  event e = system_event(p, c, event_kind::fields_changed, now);
  const std::string standard =
      fmt::format("similar-cases rule {}: {} distinct {} within {} (similar cases: {})", rule.id, count,
                  p.similar->distinct, p.similar->within.text, listed);
  e.data = {{"fields", fields_to_json(changes)},
            {"reason", rule.message.empty() ? standard : fmt::format("{} — {}", rule.message, standard)},
            {"rule", rule.id},
            {"similar", {{"count", count}, {"cases", others}}}};
  return {std::move(e)};
}

}  // namespace caseflow
