#include "yaml_reader.h"

#include <algorithm>

#include <fmt/format.h>

namespace caseflow::detail {

std::pair<int, int> position(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {0, 0};
  return {mark.line + 1, mark.column + 1};
}

std::optional<YAML::Node> yaml_reader::parse(const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    out_->push_back({file_, e.mark.line + 1, e.mark.column + 1, fmt::format("malformed YAML: {}", e.msg),
                     diagnostic_level::error});
    return std::nullopt;
  }
}

void yaml_reader::add(const YAML::Node& at, std::string message, diagnostic_level level) {
  auto [line, column] = position(at);
  out_->push_back({file_, line, column, std::move(message), level});
}

void yaml_reader::error(const YAML::Node& at, std::string message) {
  add(at, std::move(message), diagnostic_level::error);
}

void yaml_reader::warning(const YAML::Node& at, std::string message) {
  add(at, std::move(message), diagnostic_level::warning);
}

void yaml_reader::check_keys(const YAML::Node& map, std::string_view context,
                             std::initializer_list<std::string_view> known) {
  if (!map.IsMap()) return;
  const std::vector<std::string> names(known.begin(), known.end());
  for (const auto& entry : map) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (std::find(names.begin(), names.end(), key) == names.end())
      error(entry.first, fmt::format("unknown key '{}' in {}{}", key, context, did_you_mean(key, names)));
  }
}

bool yaml_reader::expect_map(const YAML::Node& node, std::string_view what) {
  if (node.IsMap()) return true;
  error(node, fmt::format("{} must be a mapping (key: value lines)", what));
  return false;
}

bool yaml_reader::expect_sequence(const YAML::Node& node, std::string_view what) {
  if (node.IsSequence()) return true;
  error(node, fmt::format("{} must be a list", what));
  return false;
}

std::optional<std::string> yaml_reader::scalar(const YAML::Node& node, std::string_view what) {
  if (node.IsScalar()) return node.Scalar();
  error(node, fmt::format("{} must be a single value", what));
  return std::nullopt;
}

std::optional<bool> yaml_reader::boolean(const YAML::Node& node, std::string_view what) {
  auto text = scalar(node, what);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "yes") return true;
  if (*text == "false" || *text == "no") return false;
  error(node, fmt::format("{} must be true or false, not '{}'", what, *text));
  return std::nullopt;
}

std::vector<std::string> yaml_reader::scalar_list(const YAML::Node& node, std::string_view what) {
  std::vector<std::string> items;
  if (node.IsScalar()) {
    items.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const auto& item : node)
      if (auto text = scalar(item, what)) items.push_back(*text);
  } else {
    error(node, fmt::format("{} must be a name or a list of names", what));
  }
  return items;
}

}  // namespace caseflow::detail
