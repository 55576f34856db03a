#include "base/yaml_reader.h"

#include <algorithm>

#include <fmt/format.h>

namespace caseflow::detail {

std::pair<int, int> position(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {0, 0};
  return {mark.line + 1, mark.column + 1};
}

namespace {

// The first line (1-based) whose indentation holds a tab, or 0.
int first_tab_indented_line(const std::string& text) {
  int line = 1;
  bool in_indent = true;
  for (char c : text) {
    if (c == '\n') {
      ++line;
      in_indent = true;
    } else if (in_indent && c == '\t') {
      return line;
    } else if (c != ' ') {
      in_indent = false;
    }
  }
  return 0;
}

// yaml-cpp's wording, said plainly where it is terse.
std::string plain_yaml_message(const std::string& message) {
  if (message == "end of map flow not found") return "a '{' is not closed by a '}' (end of map flow not found)";
  if (message == "end of sequence flow not found") return "a '[' is not closed by a ']' (end of sequence flow not found)";
  return message;
}

}  // namespace

std::optional<YAML::Node> yaml_reader::parse(const std::string& text) {
  try {
    YAML::Node root = YAML::Load(text);
    report_duplicate_keys(root);
    return root;
  } catch (const YAML::Exception& e) {
    if (const int line = first_tab_indented_line(text); line > 0 && line <= e.mark.line + 1)
      out_->push_back({file_, line, 1, "malformed YAML: a tab in the indentation (YAML indents with spaces only)",
                       diagnostic_level::error});
    else
      out_->push_back({file_, e.mark.line + 1, e.mark.column + 1,
                       fmt::format("malformed YAML: {}", plain_yaml_message(e.msg)), diagnostic_level::error});
    return std::nullopt;
  }
}

void yaml_reader::report_duplicate_keys(const YAML::Node& node) {
  if (node.IsSequence())
    for (const auto& item : node) report_duplicate_keys(item);
  if (!node.IsMap()) return;
  std::vector<YAML::Node> seen;
  for (const auto& entry : node) {
    if (entry.first.IsScalar()) {
      auto first = std::find_if(seen.begin(), seen.end(), [&](const YAML::Node& k) { return k.Scalar() == entry.first.Scalar(); });
      if (first != seen.end())
        error(entry.first, fmt::format("duplicate key '{}' (first at line {}); a key may appear once", entry.first.Scalar(),
                                       position(*first).first));
      else
        seen.push_back(entry.first);
    }
    report_duplicate_keys(entry.second);
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
