// Argument helpers of the built-in handlers. See arguments.h.
#include "arguments.h"

#include <algorithm>

#include <fmt/format.h>

#include "caseflow/diagnostic.h"

namespace caseflow::actions {

std::string argument_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean() || v.is_number()) return v.dump();
  return "";
}

std::optional<value> field_value(const procedure& p, const std::string& name, const std::string& text, std::string* why) {
  const field_def* field = p.find_field(name);
  if (!field) {
    std::vector<std::string> names;
    for (const auto& f : p.fields) names.push_back(f.id);
    *why = fmt::format("unknown field '{}'{}", name, did_you_mean(name, names));
    return std::nullopt;
  }
  std::string problem;
  auto v = parse_value(field->type, text, &problem);
  if (!v) {
    *why = fmt::format("field '{}': {}", name, problem);
    return std::nullopt;
  }
  if (field->type == field_type::enumeration &&
      std::find(field->values.begin(), field->values.end(), text) == field->values.end()) {
    std::string values;
    for (const auto& option : field->values) values += (values.empty() ? "" : " | ") + option;
    *why = fmt::format("field '{}': '{}' is not one of {}{}", name, text, values, did_you_mean(text, field->values));
    return std::nullopt;
  }
  return v;
}

}  // namespace caseflow::actions
