// base/yaml_reader.h — internal: reading YAML documents while collecting diagnostics.
//
// yaml-cpp throws; this wrapper converts its exceptions into diagnostics and offers the
// checks every caseflow file needs (known keys with did-you-mean, scalars of a type,
// positions as 1-based line:col). Not thread-safe; one reader per file being loaded.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "caseflow/diagnostic.h"

namespace caseflow::detail {

class yaml_reader {
 public:
  // `out` must outlive the reader.
  yaml_reader(std::string file, diagnostics* out) : file_(std::move(file)), out_(out) {}

  // Parses `text`; on a syntax error records it (with line:col) and returns nullopt. A key
  // that appears twice in one mapping is recorded as an error too (YAML keeps only one).
  std::optional<YAML::Node> parse(const std::string& text);

  void error(const YAML::Node& at, std::string message);
  void warning(const YAML::Node& at, std::string message);

  // Records "unknown key 'x' in <context>; did you mean 'y'?" for each key of `map` not in `known`.
  void check_keys(const YAML::Node& map, std::string_view context, std::initializer_list<std::string_view> known);
  // True if `node` is a map; otherwise records "<what> must be a mapping".
  bool expect_map(const YAML::Node& node, std::string_view what);
  bool expect_sequence(const YAML::Node& node, std::string_view what);

  // A scalar's text, or nullopt (recording "<what> must be a single value") if it is not a scalar.
  std::optional<std::string> scalar(const YAML::Node& node, std::string_view what);
  std::optional<bool> boolean(const YAML::Node& node, std::string_view what);
  // A scalar or a sequence of scalars, as a list (`role: a` or `role: [a, b]`).
  std::vector<std::string> scalar_list(const YAML::Node& node, std::string_view what);

  const std::string& file() const { return file_; }

 private:
  void add(const YAML::Node& at, std::string message, diagnostic_level level);
  void report_duplicate_keys(const YAML::Node& node);
  std::string file_;
  diagnostics* out_;
};

// 1-based line and column of a node (0, 0 if it has no position).
std::pair<int, int> position(const YAML::Node& node);

}  // namespace caseflow::detail
