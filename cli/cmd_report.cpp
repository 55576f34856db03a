// caseflow report daily|weekly|half-month|monthly|closure-rate|sla|legal-review-misses — the
// periodic reports of PROCEDURES.md §1 and §6 (caseflow/reports.h), as aligned text, CSV,
// JSON or a self-contained HTML page, on stdout or into --out FILE. Reports open the
// database read-only and never write to it; a missing database is an error.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "caseflow/reports.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

struct report_cli_options {
  std::string format = "text";
  std::string out;
  std::string procedure = "complaint";
  std::string role = "cs_specialist";
  std::string date;
  std::string month;
  int half = 0;
  std::string quarter;
  std::string week;
  std::string by;
};

// The reports' own read-only view of the database, with a runtime for definitions and calendars.
class report_reader {
 public:
  explicit report_reader(context& ctx) : db_(open(ctx)), rt_(db_, ctx.library(), ctx.org(), &ctx.calendars()) {}
  report_source source() { return report_source(rt_); }

 private:
  static sqlite_store open(context& ctx) {
    const std::string& path = ctx.options().db;
    if (!std::filesystem::exists(path))
      throw command_failure{k_exit_refused, fmt::format("no database at {} (set --db or CASEFLOW_DB)", path)};
    return sqlite_store(path, sqlite_options{.read_only = true});
  }
  sqlite_store db_;
  runtime rt_;
};

date_range month_of(const std::string& text, int half = 0) {
  if (text.empty()) throw command_failure{k_exit_usage, "give the month as --month YYYY-MM, e.g. --month 2026-11"};
  auto r = parse_month(text, half);
  if (!r)
    throw command_failure{k_exit_usage, fmt::format("--month '{}' is not a month written YYYY-MM, e.g. 2026-11", text)};
  return *r;
}

// The local date of now in the calendar of the reported procedure (UTC without one).
civil_date today_for(context& ctx, const std::string& procedure_id) {
  if (const procedure* p = ctx.library().find(procedure_id))
    if (const calendar* cal = ctx.calendars().find(p->calendar)) return cal->local_date(ctx.now());
  return ctx.today();
}

void check_procedure(context& ctx, const std::string& id) {
  if (!ctx.library().find(id))
    throw command_failure{k_exit_refused, fmt::format("no procedure '{}' in {}", id, ctx.options().procedures)};
}

void emit(context& ctx, const report_cli_options& opts, const report_document& doc) {
  const std::string format = ctx.options().json ? "json" : opts.format;
  std::string text;
  if (format == "json")
    text = render_json(doc).dump(2) + "\n";
  else if (format == "csv")
    text = render_csv(doc);
  else if (format == "html")
    text = render_html(doc);
  else
    text = render_text(doc);
  if (opts.out.empty()) {
    std::cout << text;
    return;
  }
  std::ofstream file(opts.out, std::ios::binary | std::ios::trunc);
  if (!(file << text) || !file.flush())
    throw command_failure{k_exit_refused, fmt::format("cannot write the report to {}", opts.out)};
}

using builder = report_document (*)(context& ctx, report_source& source, const report_cli_options& opts,
                                    const report_options& options);

report_document build_daily(context& ctx, report_source& source, const report_cli_options& opts,
                            const report_options& options) {
  check_procedure(ctx, opts.procedure);
  civil_date day = today_for(ctx, opts.procedure);
  if (!opts.date.empty()) {
    std::string error;
    const auto v = parse_value(field_type::date, opts.date, &error);
    if (!v) throw command_failure{k_exit_usage, fmt::format("--date '{}' is not a date written YYYY-MM-DD", opts.date)};
    day = std::get<civil_date>(*v);
  }
  return daily_report(source, day, options);
}

report_document build_weekly(context& ctx, report_source& source, const report_cli_options& opts,
                             const report_options& options) {
  check_procedure(ctx, opts.procedure);
  const auto week = parse_week(opts.week);
  if (!week)
    throw command_failure{k_exit_usage, fmt::format("--week '{}' is not an ISO week written YYYY-Www, e.g. 2026-W48",
                                                    opts.week)};
  return weekly_report(source, *week, options);
}

report_document build_half_month(context& ctx, report_source& source, const report_cli_options& opts,
                                 const report_options& options) {
  check_procedure(ctx, opts.procedure);
  if (opts.half != 0) return half_month_report(source, {month_of(opts.month, opts.half)}, options);
  return half_month_report(source, {month_of(opts.month, 1), month_of(opts.month, 2)}, options);
}

report_document build_monthly(context& ctx, report_source& source, const report_cli_options& opts,
                              const report_options& options) {
  check_procedure(ctx, opts.procedure);
  return monthly_report(source, month_of(opts.month), options);
}

report_document build_closure_rate(context& ctx, report_source& source, const report_cli_options& opts,
                                   const report_options& options) {
  check_procedure(ctx, opts.procedure);
  if (opts.quarter.empty())
    throw command_failure{k_exit_usage, "give the quarter as --quarter YYYYQn, e.g. --quarter 2026Q4"};
  const auto quarter = parse_quarter(opts.quarter);
  if (!quarter)
    throw command_failure{k_exit_usage,
                          fmt::format("--quarter '{}' is not a quarter written YYYYQn, e.g. 2026Q4", opts.quarter)};
  return closure_rate_report(source, *quarter, options);
}

report_document build_sla(context& ctx, report_source& source, const report_cli_options& opts,
                          const report_options& options) {
  if (!opts.procedure.empty()) check_procedure(ctx, opts.procedure);
  return sla_report(source, month_of(opts.month), opts.procedure, options);
}

report_document build_legal(context&, report_source& source, const report_cli_options& opts,
                            const report_options& options) {
  return legal_review_misses_report(source, month_of(opts.month), options);
}

// `--by FIELD` must name a field of the reported procedure (of some procedure, for sla over all).
void check_by(context& ctx, const report_cli_options& opts) {
  if (opts.by.empty()) return;
  std::vector<std::string> fields;
  for (const procedure* p : ctx.library().all()) {
    if (!opts.procedure.empty() && p->id != opts.procedure) continue;
    for (const auto& f : p->fields) {
      if (f.id == opts.by) return;
      fields.push_back(f.id);
    }
  }
  throw command_failure{k_exit_usage,
                        fmt::format("--by '{}' is not a field of {}{}", opts.by,
                                    opts.procedure.empty() ? "any procedure" : "procedure " + opts.procedure,
                                    did_you_mean(opts.by, fields))};
}

int run_report(context& ctx, const report_cli_options& opts, builder build) {
  check_by(ctx, opts);
  report_reader reader(ctx);
  report_source source = reader.source();
  report_options options;
  options.procedure = opts.procedure;
  options.specialist_role = opts.role;
  options.by = opts.by;
  options.now = ctx.now();
  emit(ctx, opts, build(ctx, source, opts, options));
  return k_exit_done;
}

CLI::App* add_report(CLI::App& parent, const global_options& options, int* exit, const char* name, const char* help,
                     builder build, std::shared_ptr<report_cli_options> opts) {
  auto* sub = parent.add_subcommand(name, help);
  sub->fallthrough();
  sub->add_option("--format", opts->format, "text, csv, json or html")
      ->check(CLI::IsMember({"text", "csv", "json", "html"}))
      ->capture_default_str();
  sub->add_option("--out", opts->out, "write the report to this file instead of stdout");
  if (std::string_view(name) != "legal-review-misses")  // that one is per department already
    sub->add_option("--by", opts->by, "also group the figures by this field, e.g. --by department");
  sub->callback([&options, opts, exit, build] {
    *exit = guarded(options, [&](context& ctx) { return run_report(ctx, *opts, build); });
  });
  return sub;
}

}  // namespace

void setup_report(CLI::App& app, const global_options& options, int* exit) {
  auto* sub =
      app.add_subcommand("report", "periodic reports: daily, weekly, half-month, monthly, closure rate, SLA, legal review");
  sub->fallthrough();
  sub->require_subcommand(1);

  auto daily = std::make_shared<report_cli_options>();
  auto* d =
      add_report(*sub, options, exit, "daily", "cases received, completed and open on one day", build_daily, daily);
  d->add_option("--date", daily->date, "the local date, YYYY-MM-DD (default: today)");
  d->add_option("--procedure", daily->procedure, "the procedure reported")->capture_default_str();

  auto weekly = std::make_shared<report_cli_options>();
  auto* w = add_report(*sub, options, exit, "weekly", "cases received, completed and open in one week (Monday to Sunday)",
                       build_weekly, weekly);
  w->add_option("--week", weekly->week, "the ISO week, YYYY-Www, e.g. 2026-W48")->required();
  w->add_option("--procedure", weekly->procedure, "the procedure reported")->capture_default_str();

  auto half = std::make_shared<report_cli_options>();
  auto* h = add_report(*sub, options, exit, "half-month", "the 1st–15th and 16th–last of a month (both unless --half)",
                       build_half_month, half);
  h->add_option("--month", half->month, "YYYY-MM")->required();
  h->add_option("--half", half->half, "1 or 2: only that half")->check(CLI::Range(1, 2));
  h->add_option("--procedure", half->procedure, "the procedure reported")->capture_default_str();

  auto monthly = std::make_shared<report_cli_options>();
  auto* m = add_report(*sub, options, exit, "monthly", "counts by category, sub-type and severity against last month",
                       build_monthly, monthly);
  m->add_option("--month", monthly->month, "YYYY-MM")->required();
  m->add_option("--procedure", monthly->procedure, "the procedure reported")->capture_default_str();

  auto closure = std::make_shared<report_cli_options>();
  auto* c = add_report(*sub, options, exit, "closure-rate", "per specialist: cases closed on time out of those handled",
                       build_closure_rate, closure);
  c->add_option("--quarter", closure->quarter, "YYYYQn, e.g. 2026Q4")->required();
  c->add_option("--procedure", closure->procedure, "the procedure reported")->capture_default_str();
  c->add_option("--role", closure->role, "a case is credited to the last person who acted in this role")
      ->capture_default_str();

  auto sla = std::make_shared<report_cli_options>();
  sla->procedure.clear();
  auto* s = add_report(*sub, options, exit, "sla", "step time limits met and breached, per step and procedure",
                       build_sla, sla);
  s->add_option("--month", sla->month, "YYYY-MM")->required();
  s->add_option("--procedure", sla->procedure, "only this procedure (default: all)");

  auto legal = std::make_shared<report_cli_options>();
  auto* l = add_report(*sub, options, exit, "legal-review-misses",
                       "legal reviews submitted and pre-registrations missed, per department", build_legal, legal);
  l->add_option("--month", legal->month, "YYYY-MM")->required();
}

}  // namespace caseflow::cli
