// caseflow assign CASE PERSON — gives the case to a person; caseflow unassign CASE takes it back.
// Both, and notes, need a role of the case's procedure (core decide).
// caseflow note CASE TEXT — records a note (a call, a site visit) without a transition.
#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

namespace {

struct case_text_options {
  std::string case_id;
  std::string text;
  std::string branch;  // the position assigned ("" = the main path)
};

int run_case_command(context& ctx, const case_text_options& opts, command::kind kind) {
  command cmd;
  cmd.type = kind;
  cmd.actor = ctx.user();
  if (kind == command::kind::assign) cmd.assignee = opts.text;  // "" unassigns
  else cmd.comment = opts.text;
  cmd.branch = opts.branch;
  outcome result = ctx.runtime().execute(opts.case_id, cmd, ctx.now());
  if (result.result != outcome::status::done) return report_outcome(result);
  if (ctx.options().json) {
    print_json({{"id", result.case_id}, {"events", {event_view(result.events.back())}}});
  } else if (kind == command::kind::assign) {
    print_line(opts.text.empty() ? fmt::format("{}: unassigned", result.case_id)
                                 : fmt::format("{}: assigned to {}", result.case_id, opts.text));
  } else {
    print_line(fmt::format("{}: note recorded (event {})", result.case_id, result.events.back().seq));
  }
  return k_exit_done;
}

void add(CLI::App& app, const global_options& options, int* exit, command::kind kind) {
  auto opts = std::make_shared<case_text_options>();
  const bool assign = kind == command::kind::assign;
  auto* sub = app.add_subcommand(assign ? "assign" : "note",
                                 assign ? "give a case to a person" : "record a note on a case without a transition");
  sub->fallthrough();
  sub->add_option("case", opts->case_id, "case id")->required();
  sub->add_option(assign ? "person" : "text", opts->text, assign ? "person id from org.yaml" : "the note")->required();
  if (assign) sub->add_option("--branch", opts->branch, "assign an open branch of the case instead of its main path");
  sub->callback([&options, opts, exit, kind] {
    *exit = guarded(options, [&](context& ctx) { return run_case_command(ctx, *opts, kind); });
  });
}

}  // namespace

void setup_assign(CLI::App& app, const global_options& options, int* exit) {
  add(app, options, exit, command::kind::assign);
  auto opts = std::make_shared<case_text_options>();
  auto* sub = app.add_subcommand("unassign", "take a case back from the person it is assigned to");
  sub->fallthrough();
  sub->add_option("case", opts->case_id, "case id")->required();
  sub->callback([&options, opts, exit] {
    *exit = guarded(options, [&](context& ctx) { return run_case_command(ctx, *opts, command::kind::assign); });
  });
}
void setup_note(CLI::App& app, const global_options& options, int* exit) { add(app, options, exit, command::kind::note); }

}  // namespace caseflow::cli
