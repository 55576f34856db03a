// caseflow show CASE — step, fields, assignee and the actions this user may take now.
#include <iostream>

#include <fmt/format.h>

#include "caseflow/erasure.h"
#include "commands.h"
#include "json_views.h"

namespace caseflow::cli {

namespace {

struct show_options {
  std::string case_id;
};

std::string span(std::int64_t seconds) {
  const std::int64_t minutes = seconds / 60;
  if (minutes < 60) return fmt::format("{}m", minutes);
  if (minutes < 24 * 60) return fmt::format("{}h{:02}m", minutes / 60, minutes % 60);
  return fmt::format("{}d{:02}h", minutes / (24 * 60), minutes / 60 % 24);
}

// Time left until `d` (working time when the case has a calendar), or how long it is overdue.
struct deadline_status {
  bool overdue;
  std::int64_t seconds;  // left, or overdue by
  bool working;
};
deadline_status status_of(const case_deadline& d, const calendar* cal, instant now) {
  if (now >= d.due) return {true, now.seconds - d.due.seconds, false};
  if (cal)
    if (const std::int64_t working = cal->working_seconds_between(now, d.due); working > 0) return {false, working, true};
  return {false, d.due.seconds - now.seconds, false};
}

nlohmann::json subcases_view(const case_state& c) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : c.subcases)
    list.push_back({{"id", s.id}, {"procedure", s.procedure}, {"open", s.open}, {"wait", s.wait},
                    {"step", s.step.empty() ? nlohmann::json() : nlohmann::json(s.step)}});
  return list;
}

// The approval chain: one row per level, with who signed it and when.
void print_approval(context& ctx, const procedure& p, const case_approval& a) {
  std::cout << terminal_text(fmt::format("\napproval  {} {} (tier {}): {}", a.step, format_value(a.amount), a.tier, a.status),
                            /*keep_newlines=*/true);
  if (a.status == "pending") {
    std::string next;
    for (const auto& r : a.pending_roles()) next += (next.empty() ? "" : ", ") + r;
    std::cout << terminal_text(fmt::format("; waiting for level {} of {}: {}", a.next_level(), a.levels.size(), next));
  }
  std::cout << '\n';
  table chain({"LEVEL", "ROLES", "SIGNED BY", "WHEN"});
  for (std::size_t i = 0; i < a.levels.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    std::string roles;
    for (const auto& r : a.levels[i].roles) roles += (roles.empty() ? "" : a.levels[i].all ? " + " : " | ") + r;
    std::string who, when;
    for (const auto& s : a.sign_offs) {
      if (s.level != n) continue;
      who += fmt::format("{}{} {} as {}{}", who.empty() ? "" : "; ", s.approved ? "approved:" : "REJECTED:", s.actor,
                         s.role, s.on_behalf_of.empty() ? "" : " for " + s.on_behalf_of);
      when += (when.empty() ? "" : "; ") + ctx.format_time(s.at, &p);
    }
    chain.add({std::to_string(n), roles, who.empty() ? "-" : who, when.empty() ? "-" : when});
  }
  std::cout << chain.str();
}

int run_show(context& ctx, const show_options& opts) {
  ctx.store(/*must_exist=*/true);
  auto loaded = ctx.runtime().load(opts.case_id);
  if (!loaded) throw command_failure{k_exit_refused, fmt::format("no case '{}'", opts.case_id)};
  const procedure& p = *loaded->definition;
  const case_state& c = loaded->state;
  const std::string user = ctx.options().as;
  const moment moment = ctx.runtime().moment_for(p, ctx.now());
  const auto options = actions_for(p, ctx.org(), c, user, moment);
  const step_def* step = p.find_step(c.step);
  const calendar* cal = ctx.runtime().calendar_for(p);
  const instant now = ctx.now();
  const bool virtual_time = ctx.store().clock_kind() == database_clock::virtual_time;
  // Erased personal values are gone from the state; they show as "[erased]".
  nlohmann::json fields_shown = fields_to_json(c.fields);
  mark_erased(fields_shown, erased_fields(ctx.store().case_events(c.id)), /*add_missing=*/true);
  // The open branches, each with the actions this user has there (parallel work).
  std::vector<std::pair<const case_branch*, std::vector<action_option>>> branches;
  for (const auto& b : c.branches)
    if (b.is_open()) branches.emplace_back(&b, actions_for(p, ctx.org(), c, user, moment, b.id));
  if (ctx.options().json) {
    // The deadlines of position `branch`, or of every position when null.
    auto deadlines_of = [&](const std::string* branch) {
      nlohmann::json deadlines = nlohmann::json::array();
      for (const auto& d : c.deadlines) {
        if (branch && d.branch != *branch) continue;
        const auto st = status_of(d, cal, now);
        deadlines.push_back({{"rule", d.rule}, {"kind", d.kind}, {"due", ctx.format_time(d.due, &p)},
                             {"due_utc", format_instant_utc(d.due)}, {"provisional", d.provisional},
                             {"calendar_version", d.calendar_version}, {"breached", d.breached}, {"overdue", st.overdue},
                             {st.overdue ? "overdue_seconds" : (st.working ? "working_seconds_left" : "seconds_left"),
                              st.seconds}});
        if (!d.branch.empty()) deadlines.back()["branch"] = d.branch;
        if (d.extended_from) deadlines.back()["extended_from"] = ctx.format_time(*d.extended_from, &p);
        if (d.window_start) deadlines.back()["window_start"] = ctx.format_time(*d.window_start, &p);
      }
      return deadlines;
    };
    auto actions_json = [&](const std::vector<action_option>& list) {
      nlohmann::json actions = nlohmann::json::array();
      for (const auto& o : list) actions.push_back(action_view(p, o));
      return actions;
    };
    const nlohmann::json deadlines = deadlines_of(nullptr);
    const nlohmann::json actions = actions_json(options);
    nlohmann::json open_branches = nlohmann::json::array();
    for (const auto& [b, branch_options] : branches) {
      const step_def* at = p.find_step(b->step);
      open_branches.push_back({{"id", b->id},
                               {"name", b->name},
                               {"fork", b->fork},
                               {"parent", b->parent},
                               {"step", b->step},
                               {"step_name", at ? at->name.preferred(b->step) : b->step},
                               {"roles", at ? at->roles : std::vector<std::string>{}},
                               {"ends_in", b->end},
                               {"assignee", b->assignee},
                               {"entered_at", format_instant_utc(b->step_entered_at)},
                               {"deadlines", deadlines_of(&b->id)},
                               {"actions", actions_json(branch_options)}});
    }
    print_json({{"id", c.id},
                {"procedure", p.id},
                {"definition", p.hash},
                {"step", c.step},
                {"step_name", step ? step->name.preferred(c.step) : c.step},
                {"open", c.open},
                {"assignee", c.assignee},
                {"fields", fields_shown},
                {"opened_at", format_instant_utc(c.opened_at)},
                {"updated_at", format_instant_utc(c.updated_at)},
                {"clock", virtual_time ? "virtual" : "real"},
                {"seq", c.seq},
                {"deadlines", deadlines},
                {"approval", c.approval ? approval_view(*c.approval) : nlohmann::json()},
                {"parent", c.parent.empty() ? nlohmann::json() : nlohmann::json(c.parent)},
                {"subcases", subcases_view(c)},
                {"branches", open_branches},
                {"actions", actions}});
    return k_exit_done;
  }
  // Stored text is escaped for the terminal (text_output.h), line by line.
  std::cout << terminal_text(fmt::format("{}  {} ({})", c.id, p.name.preferred(p.id), p.id)) << '\n';
  std::cout << terminal_text(fmt::format("step      {} ({}){}", step ? step->name.preferred(c.step) : c.step, c.step,
                                         c.open ? "" : "  [closed]"))
            << '\n';
  std::cout << "assignee  " << terminal_text(c.assignee.empty() ? "-" : c.assignee) << '\n';
  if (!c.parent.empty()) std::cout << "parent    " << terminal_text(c.parent) << '\n';
  std::cout << fmt::format("opened    {}\nupdated   {}\n", ctx.format_time(c.opened_at, &p), ctx.format_time(c.updated_at, &p));
  std::cout << (virtual_time ? "clock     virtual (a test or demo database: times are given with --now)\n"
                             : "clock     real\n");
  table fields({"FIELD", "VALUE"});
  for (const auto& f : p.fields) {
    auto it = c.fields.find(f.id);
    const bool erased = it == c.fields.end() && fields_shown.contains(f.id);
    fields.add({f.id + (f.name.zh.empty() ? "" : " " + f.name.zh),
                erased ? std::string(k_erased_marker) : it == c.fields.end() ? "-" : format_value(it->second)});
  }
  std::cout << '\n' << fields.str();
  if (!c.deadlines.empty()) {
    table deadlines({"DEADLINE", "KIND", "DUE", "STATUS"});
    for (const auto& d : c.deadlines) {
      const auto st = status_of(d, cal, now);
      deadlines.add({d.rule, d.kind,
                     ctx.format_time(d.due, &p) + (d.provisional ? " (provisional)" : "") +
                         (d.extended_from ? " (extended from " + ctx.format_time(*d.extended_from, &p) + ")" : "") +
                         (d.kind == "obligation" ? " (next occurrence)" : ""),
                     st.overdue ? "OVERDUE by " + span(st.seconds)
                                : span(st.seconds) + (st.working ? " working time left" : " left")});
    }
    std::cout << '\n' << deadlines.str();
  }
  if (c.approval) print_approval(ctx, p, *c.approval);
  if (!c.subcases.empty()) {
    table subcases({"SUB-CASE", "PROCEDURE", "STATUS", "WAIT"});
    for (const auto& s : c.subcases)
      subcases.add({s.id, s.procedure, s.open ? "open" : "finished in " + s.step, s.wait ? "yes" : "no"});
    std::cout << '\n' << subcases.str();
  }
  if (!branches.empty()) {
    table open({"BRANCH", "STEP", "ROLES", "ASSIGNEE", "ENDS IN", "ENTERED"});
    for (const auto& [b, branch_options] : branches) {
      const step_def* at = p.find_step(b->step);
      std::string roles;
      for (const auto& r : at ? at->roles : std::vector<std::string>{}) roles += (roles.empty() ? "" : ",") + r;
      open.add({b->id, b->step, roles.empty() ? "-" : roles, b->assignee.empty() ? "-" : b->assignee, b->end,
                ctx.format_time(b->step_entered_at, &p)});
    }
    std::cout << "\nopen branches (act on one with --branch ID when an action is open in several):\n" << open.str();
  }
  if (options.empty() && branches.empty()) return k_exit_done;
  std::cout << '\n' << terminal_text(user.empty() ? "actions:" : fmt::format("actions for {}:", user)) << '\n';
  // A BRANCH column only for a case with open branches: the table of other cases is unchanged.
  table actions(branches.empty() ? std::vector<std::string>{"ACTION", "TO", "ROLES", "REQUIRES", "NOTE"}
                                 : std::vector<std::string>{"ACTION", "BRANCH", "TO", "ROLES", "REQUIRES", "NOTE"});
  auto add_actions = [&](const std::vector<action_option>& list, const std::string& branch) {
    for (const auto& o : list) {
      std::string needs;
      for (const auto& r : o.action->required_fields) needs += (needs.empty() ? "" : ",") + r;
      std::string roles;
      for (const auto& r : o.roles) roles += (roles.empty() ? "" : ",") + r;
      std::string note = !o.why_not.empty()  ? o.why_not
                         : !o.permitted      ? "not your role"
                         : !o.guard_holds    ? "condition false: " + o.action->guard->source()
                                             : "";
      std::vector<std::string> row{o.action->id, o.action->to, roles, needs.empty() ? "-" : needs, note};
      if (!branches.empty()) row.insert(row.begin() + 1, branch.empty() ? "-" : branch);
      actions.add(row);
    }
  };
  add_actions(options, "");
  for (const auto& [b, branch_options] : branches) add_actions(branch_options, b->id);
  std::cout << actions.str();
  return k_exit_done;
}

}  // namespace

void setup_show(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<show_options>();
  auto* sub = app.add_subcommand("show", "show a case: step, fields and the actions open now");
  sub->fallthrough();
  sub->add_option("case", opts->case_id, "case id")->required();
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_show(ctx, *opts); }); });
}

}  // namespace caseflow::cli
