// caseflow graph PROCEDURE [--format dot|mermaid] — draws a procedure.
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.h"

namespace caseflow::cli {

namespace {

struct graph_options {
  std::string procedure;
  std::string format = "dot";
};

// `text` as a DOT string literal: quotes and backslashes escaped, each line break as DOT's `\n`
// (so a label of several lines draws as several lines, and a backslash in a name as itself).
std::string dot_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::string label(const step_def& s) {
  return s.name.zh.empty() && s.name.en.empty() ? s.id : fmt::format("{}\n{}", s.name.preferred(s.id), s.id);
}

std::string dot(const procedure& p) {
  std::string out = fmt::format("digraph {} {{\n  rankdir=LR;\n  label={};\n  node [shape=box, style=rounded];\n",
                                dot_string(p.id), dot_string(p.name.preferred(p.id)));
  out += fmt::format("  __start [shape=point];\n  __start -> {};\n", dot_string(p.start));
  for (const auto& s : p.steps)
    out += fmt::format("  {} [label={}{}];\n", dot_string(s.id), dot_string(label(s)),
                       s.terminal ? ", peripheries=2" : s.resolved ? ", style=\"rounded,dashed\"" : "");
  for (const auto& s : p.steps)
    for (const auto& a : s.actions)
      out += fmt::format("  {} -> {} [label={}];\n", dot_string(s.id), dot_string(a.to),
                         dot_string(a.guard ? fmt::format("{}\n[{}]", a.id, a.guard->source()) : a.id));
  return out + "}\n";
}

std::string mermaid(const procedure& p) {
  auto text = [](std::string s) {
    for (auto& c : s)
      if (c == '"') c = '\'';
    return s;
  };
  std::string out = "stateDiagram-v2\n";
  out += fmt::format("  [*] --> {}\n", p.start);
  for (const auto& s : p.steps) {
    out += fmt::format("  {} : {}\n", s.id, text(s.name.preferred(s.id)));
    if (s.terminal) out += fmt::format("  {} --> [*]\n", s.id);
  }
  for (const auto& s : p.steps)
    for (const auto& a : s.actions) out += fmt::format("  {} --> {} : {}\n", s.id, a.to, text(a.id));
  return out;
}

int run_graph(context& ctx, const graph_options& opts) {
  const procedure* p = ctx.library().find(opts.procedure);
  if (!p) {
    std::vector<std::string> ids;
    for (const procedure* known : ctx.library().all()) ids.push_back(known->id);
    throw command_failure{k_exit_refused, fmt::format("unknown procedure '{}'{}; procedures: {}", opts.procedure,
                                                      did_you_mean(opts.procedure, ids), fmt::join(ids, ", "))};
  }
  std::cout << (opts.format == "mermaid" ? mermaid(*p) : dot(*p));
  return k_exit_done;
}

}  // namespace

void setup_graph(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<graph_options>();
  auto* sub = app.add_subcommand("graph", "draw a procedure as Graphviz DOT or Mermaid");
  sub->fallthrough();
  sub->add_option("procedure", opts->procedure, "procedure id")->required();
  sub->add_option("--format", opts->format, "dot or mermaid")->check(CLI::IsMember({"dot", "mermaid"}))->capture_default_str();
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_graph(ctx, *opts); }); });
}

}  // namespace caseflow::cli
