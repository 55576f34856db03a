// caseflow calendar due CALENDAR START DURATION — when a limit that starts at START ends.
// caseflow calendar show CALENDAR [--year Y] — working days per month, holidays, make-up days.
#include <iostream>

#include <fmt/format.h>

#include "commands.h"

namespace caseflow::cli {

namespace {

struct calendar_options {
  std::string calendar;
  std::string start;
  std::string duration;
  int year = 0;
};

const calendar& find_calendar(context& ctx, const std::string& id) {
  const calendar* cal = ctx.calendars().find(id);
  if (!cal) {
    const auto ids = ctx.calendars().ids();
    std::string list;
    for (const auto& i : ids) list += (list.empty() ? "" : ", ") + i;
    throw command_failure{k_exit_refused, fmt::format("unknown calendar '{}'{}; calendars: {}", id, did_you_mean(id, ids), list)};
  }
  return *cal;
}

int run_due(context& ctx, const calendar_options& opts) {
  const calendar& cal = find_calendar(ctx, opts.calendar);
  auto start = parse_instant(opts.start);
  if (!start)
    throw command_failure{k_exit_refused, fmt::format("START '{}' is not an ISO-8601 time with a zone, e.g. "
                                                      "2026-02-13T17:50+08:00", opts.start)};
  std::string why;
  auto d = parse_duration(opts.duration, &why);
  if (!d) throw command_failure{k_exit_refused, why};
  const deadline due = cal.due(*start, *d);
  if (ctx.options().json) {
    print_json({{"calendar", cal.id()}, {"calendar_version", due.calendar_version}, {"start", cal.format_local(*start)},
                {"duration", d->text}, {"due", cal.format_local(due.due)}, {"due_utc", format_instant_utc(due.due)},
                {"provisional", due.provisional}});
  } else {
    std::cout << cal.format_local(due.due) << (due.provisional ? "  (provisional: past the calendar's coverage)" : "")
              << '\n';
  }
  return k_exit_done;
}

std::string dates(const calendar& cal, const std::vector<civil_date>& days, bool named) {
  std::string out;
  for (const auto& d : days) {
    int y = 0;
    unsigned m = 0, day = 0;
    split_date(d, &y, &m, &day);
    out += fmt::format("{}{:02}-{:02}", out.empty() ? "" : " ", m, day);
    if (named && (&d == &days.front() || cal.day_name(d) != cal.day_name(*(&d - 1)))) out += " " + cal.day_name(d);
  }
  return out.empty() ? "-" : out;
}

int run_show(context& ctx, const calendar_options& opts) {
  const calendar& cal = find_calendar(ctx, opts.calendar);
  int year = opts.year;
  if (year == 0) {
    unsigned m = 0, d = 0;
    split_date(cal.local_date(ctx.now()), &year, &m, &d);
  }
  const auto months = summarize_year(cal, year);
  const bool covered = cal.covers(make_date(year, 1, 1));
  if (ctx.options().json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : months) {
      auto to_list = [](const std::vector<civil_date>& days) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& d : days) j.push_back(format_value(d));
        return j;
      };
      list.push_back({{"month", m.month}, {"working_days", m.working_days}, {"holidays", to_list(m.holidays)},
                      {"makeup_days", to_list(m.makeup_days)}, {"closures", to_list(m.closures)}});
    }
    print_json({{"calendar", cal.id()}, {"version", cal.version()}, {"year", year}, {"covered", covered},
                {"time_zone", cal.time_zone()}, {"months", list}});
    return k_exit_done;
  }
  print_line(fmt::format("{} {} ({}), {}{}", cal.id(), year, cal.time_zone(), cal.name_zh(),
                         covered ? "" : "  — not covered: plain work week only, deadlines provisional"));
  table t({"MONTH", "WORKING DAYS", "HOLIDAYS", "MAKE-UP WORKDAYS", "CLOSURES"});
  int total = 0;
  for (const auto& m : months) {
    total += m.working_days;
    t.add({fmt::format("{}-{:02}", year, m.month), std::to_string(m.working_days), dates(cal, m.holidays, true),
           dates(cal, m.makeup_days, false), dates(cal, m.closures, true)});
  }
  t.add({"total", std::to_string(total), "", "", ""});
  std::cout << t.str();
  return k_exit_done;
}

int run_recompute(context& ctx) {
  const auto events = ctx.runtime().recompute_deadlines(ctx.now());
  if (ctx.options().json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : events) list.push_back({{"case", e.case_id}, {"seq", e.seq}, {"kind", e.kind}, {"data", e.data}});
    print_json({{"changes", list}});
    return k_exit_done;
  }
  for (const auto& e : events)
    print_line(fmt::format("{} {} {}: {} → {}", e.case_id, e.kind, e.data.value("rule", ""), e.data.value("old_due", "-"),
                           e.data.value("due", "-")));
  print_line(fmt::format("{} deadline change{} recorded", events.size(), events.size() == 1 ? "" : "s"));
  return k_exit_done;
}

}  // namespace

void setup_calendar(CLI::App& app, const global_options& options, int* exit) {
  auto* sub = app.add_subcommand("calendar", "business calendars: deadlines and working days");
  sub->fallthrough();
  sub->require_subcommand(1);
  auto due_opts = std::make_shared<calendar_options>();
  auto* due = sub->add_subcommand("due", "when a limit that starts at START ends");
  due->fallthrough();
  due->add_option("calendar", due_opts->calendar, "calendar id")->required();
  due->add_option("start", due_opts->start, "ISO-8601 time with zone")->required();
  due->add_option("duration", due_opts->duration, "e.g. \"30m working\", \"2 working days\", 7d")->required();
  due->callback([&options, due_opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_due(ctx, *due_opts); }); });
  auto show_opts = std::make_shared<calendar_options>();
  auto* show = sub->add_subcommand("show", "working days per month, holidays and make-up days of a year");
  show->fallthrough();
  show->add_option("calendar", show_opts->calendar, "calendar id")->required();
  show->add_option("--year", show_opts->year, "the year (default: this year)");
  auto* recompute = sub->add_subcommand("recompute", "recompute pending deadlines after a calendar change");
  recompute->fallthrough();
  recompute->callback([&options, exit] { *exit = guarded(options, run_recompute); });
  show->callback([&options, show_opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_show(ctx, *show_opts); }); });
}

}  // namespace caseflow::cli
