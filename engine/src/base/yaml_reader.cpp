#include "base/yaml_reader.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <sstream>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "caseflow/text_output.h"
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

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

// What a YAML document may hold: bounds that no procedure, calendar or organisation comes near
// (the largest shipped file is about 10 KB and a few levels deep; a generated procedure of
// 20,000 steps, each with a name, a role, a limit and an action, is 3.2 MB and 440,000 nodes)
// and that keep a hostile file from costing more than a moment: an alias bomb (anchors of
// aliases of anchors) expands exponentially when walked, and a deep nesting recurses.
constexpr std::size_t k_max_document_bytes = 8 << 20;
constexpr std::uint64_t k_max_expanded_nodes = 1'000'000;
constexpr int k_max_depth = 64;

// Counts the nodes of a document as they would be walked, aliases expanded, from the parser's
// events (linear in the text), and its depth; stops counting once a bound is passed.
class size_probe final : public YAML::EventHandler {
 public:
  std::uint64_t nodes = 0;
  int deepest = 0;
  YAML::Mark where;  // where a bound was first passed

  bool too_big() const { return nodes > k_max_expanded_nodes || deepest > k_max_depth; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = sizes_.find(anchor);
    add(mark, it == sizes_.end() ? 1 : it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct frame {
    YAML::anchor_t anchor;
    std::uint64_t size;
  };
  void add(const YAML::Mark& mark, std::uint64_t count) {
    const bool was = too_big();
    nodes += count;
    if (!open_.empty()) open_.back().size += count;
    if (!was && too_big()) where = mark;
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor) sizes_[anchor] = 1;
    add(mark, 1);
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    add(mark, 1);
    open_.push_back({anchor, 1});
    if (static_cast<int>(open_.size()) > deepest) {
      const bool was = too_big();
      deepest = static_cast<int>(open_.size());
      if (!was && too_big()) where = mark;
    }
  }
  void close() {
    const frame done = open_.back();
    open_.pop_back();
    if (done.anchor) sizes_[done.anchor] = std::min<std::uint64_t>(done.size, k_max_expanded_nodes + 1);
  }
  std::vector<frame> open_;
  std::map<YAML::anchor_t, std::uint64_t> sizes_;
};

}  // namespace

std::optional<YAML::Node> yaml_reader::parse(const std::string& text) {
  if (const std::size_t bad = invalid_utf8_at(text); bad != std::string::npos) {
    const auto line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
    const std::size_t column = line_start == std::string::npos || bad == 0 ? bad : bad - line_start - 1;
    out_->push_back({file_, static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n')) + 1,
                     static_cast<int>(column) + 1,
                     fmt::format("the byte 0x{:02X} here is not UTF-8; caseflow reads UTF-8 text only",
                                 static_cast<unsigned char>(text[bad])),
                     diagnostic_level::error});
    return std::nullopt;
  }
  if (text.size() > k_max_document_bytes) {
    out_->push_back({file_, 1, 1,
                     fmt::format("the file is {} bytes; caseflow reads YAML files of at most {} bytes", text.size(),
                                 k_max_document_bytes),
                     diagnostic_level::error});
    return std::nullopt;
  }
  try {
    {
      std::istringstream in(text);
      YAML::Parser parser(in);
      size_probe probe;
      while (!probe.too_big() && parser.HandleNextDocument(probe)) {
      }
      if (probe.too_big()) {
        out_->push_back({file_, probe.where.line + 1, probe.where.column + 1,
                         probe.deepest > k_max_depth
                             ? fmt::format("the YAML nests deeper than {} levels here; caseflow reads at most {}",
                                           k_max_depth, k_max_depth)
                             : fmt::format("the YAML expands to more than {} nodes here (anchors and aliases "
                                           "included); caseflow reads at most {}",
                                           k_max_expanded_nodes, k_max_expanded_nodes),
                         diagnostic_level::error});
        return std::nullopt;
      }
    }
    YAML::Node root = YAML::Load(text);
    report_duplicate_keys(root);
    return root;
  } catch (const YAML::DeepRecursion& e) {  // deeper than yaml-cpp's own bound, far past ours
    out_->push_back({file_, e.mark.line + 1, e.mark.column + 1,
                     fmt::format("the YAML nests deeper than {} levels here; caseflow reads at most {}", k_max_depth,
                                 k_max_depth),
                     diagnostic_level::error});
    return std::nullopt;
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
  std::unordered_map<std::string, YAML::Node> seen;  // key → where it first appeared
  for (const auto& entry : node) {
    if (entry.first.IsScalar()) {
      const auto [first, fresh] = seen.emplace(entry.first.Scalar(), entry.first);
      if (!fresh)
        error(entry.first, fmt::format("duplicate key '{}' (first at line {}); a key may appear once", entry.first.Scalar(),
                                       position(first->second).first));
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
