// Reading a procedure's `similar:` block. See loader/similar_loader.h.
#include "loader/similar_loader.h"

#include <algorithm>

#include <fmt/format.h>

namespace caseflow::detail {

namespace {

std::vector<std::string> field_ids(const procedure& p) {
  std::vector<std::string> ids;
  for (const auto& f : p.fields) ids.push_back(f.id);
  return ids;
}

bool check_field(yaml_reader& in, const YAML::Node& at, const procedure& p, const std::string& name) {
  if (p.find_field(name)) return true;
  in.error(at, fmt::format("similar: unknown field '{}'{}", name, did_you_mean(name, field_ids(p))));
  return false;
}

// `raise: { severity: hot }`: enum fields only, values among the field's.
field_values read_raise(yaml_reader& in, const YAML::Node& node, const procedure& p, std::string_view where) {
  field_values raise;
  if (!in.expect_map(node, fmt::format("raise of {}", where))) return raise;
  for (const auto& entry : node) {
    const std::string name = entry.first.Scalar();
    if (!check_field(in, entry.first, p, name)) continue;
    const field_def& field = *p.find_field(name);
    auto text = in.scalar(entry.second, "raise");
    if (!text) continue;
    if (field.type != field_type::enumeration)
      in.error(entry.first, fmt::format("{}: only enum fields can be raised ('{}' is {})", where, name, to_string(field.type)));
    else if (std::find(field.values.begin(), field.values.end(), *text) == field.values.end())
      in.error(entry.second, fmt::format("{}: '{}' is not one of the values of '{}'{}", where, *text, name,
                                         did_you_mean(*text, field.values)));
    else
      raise[name] = *text;
  }
  return raise;
}

similar_rule read_rule(yaml_reader& in, const YAML::Node& node, const procedure& p) {
  similar_rule rule;
  in.check_keys(node, "a similar-cases rule", {"rule", "at_least", "raise", "message"});
  if (!node["rule"] || !node["at_least"] || !node["raise"]) {
    in.error(node, "a similar-cases rule needs 'rule:' (its name), 'at_least:' (how many) and 'raise:'");
    return rule;
  }
  rule.id = in.scalar(node["rule"], "rule").value_or("");
  const std::string where = fmt::format("similar-cases rule '{}'", rule.id);
  const std::string count = in.scalar(node["at_least"], "at_least").value_or("");
  try {
    std::size_t used = 0;
    rule.at_least = std::stoi(count, &used);
    if (used != count.size() || rule.at_least < 2) throw std::invalid_argument(count);
  } catch (const std::exception&) {
    in.error(node["at_least"], fmt::format("{}: at_least must be a whole number of at least 2, not '{}'", where, count));
  }
  rule.raise = read_raise(in, node["raise"], p, where);
  if (node["message"]) rule.message = in.scalar(node["message"], "message").value_or("");
  return rule;
}

}  // namespace

void read_similar(yaml_reader& in, const YAML::Node& node, procedure* p) {
  if (!in.expect_map(node, "similar")) return;
  in.check_keys(node, "similar", {"same", "within", "distinct", "rules"});
  if (!node["same"] || !node["within"] || !node["distinct"] || !node["rules"]) {
    in.error(node, "similar needs 'same:' (the fields that make cases similar), 'within:' (e.g. 1 month), "
                   "'distinct:' (the field whose different values are counted) and 'rules:'");
    return;
  }
  similar_def def;
  def.same = in.scalar_list(node["same"], "same");
  if (def.same.empty()) in.error(node["same"], "similar: 'same' needs at least one field");
  for (const auto& name : def.same) check_field(in, node["same"], *p, name);
  def.distinct = in.scalar(node["distinct"], "distinct").value_or("");
  check_field(in, node["distinct"], *p, def.distinct);
  const std::string within = in.scalar(node["within"], "within").value_or("");
  std::string why;
  if (auto d = parse_duration(within, &why)) {
    def.within = *d;
    if (d->kind != duration::unit::calendar_seconds && d->kind != duration::unit::calendar_months)
      in.error(node["within"], fmt::format("similar: within '{}' must be plain time (e.g. 30d, 2 weeks, 1 month)", within));
  } else {
    in.error(node["within"], fmt::format("similar: {}", why));
  }
  if (in.expect_sequence(node["rules"], "similar rules")) {
    for (const auto& item : node["rules"]) {
      if (!in.expect_map(item, "a similar-cases rule")) continue;
      similar_rule rule = read_rule(in, item, *p);
      for (const auto& other : def.rules)
        if (!rule.id.empty() && other.id == rule.id)
          in.error(item["rule"], fmt::format("similar has two rules named '{}'", rule.id));
      def.rules.push_back(std::move(rule));
    }
  }
  p->similar = std::move(def);
}

}  // namespace caseflow::detail
