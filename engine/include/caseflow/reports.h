// caseflow/reports.h — the periodic reports of PROCEDURES.md §1 and §6, computed from the
// event log, and their renderings (aligned text, CSV, JSON, HTML with inline SVG charts).
//
// Every figure is derived from each case's log folded under the definition it is pinned to
// (core.h apply()), one case at a time: memory is bounded by the largest case plus the
// report's own rows, never by the log. Periods are local calendar dates in each case's
// procedure calendar (UTC for a procedure without one); a period is [first 00:00, the day
// after last 00:00). Figures for a period that has not ended are as of `now`. Reports only
// read the store.
//
// Definitions shared by the reports:
//   received   the case was opened in the period;
//   completed  the case is closed (a resolved or terminal step) at the period's end and
//              its last closing happened in the period (a reopened case counts again when
//              it closes again);
//   open       the case was opened before the period's end and is open at its end;
//   grouping   category, sub_type, severity, department… are the values at the period's end.
//   on time    a closing before which none of the case's step limits was breached.
//   limit met  a step limit (deadline_set kind "limit") whose step was left, or whose
//              condition stopped holding, at or before its due time; breached when it fired
//              (timer_fired), was left after its due time, or is still running past it at
//              the period's end (or `now`, if earlier). A
//              limit is counted in the period in which it was decided: when it was met, or
//              at its due time when breached. Limits still running within time are not counted.
//
// Document shape (JSON, keys stable): {"report": kind, "title", "procedure", "period":
// {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "label"}, "as_of": UTC time,
// "headline": [{"label", "value", "detail"}] (the figures atop the page, as text),
// "tables": {table key: [{column key: value, …}, …]}}. Numbers are JSON numbers; shares
// are numbers in [0, 1] (null when the denominator is 0); absent values are null.
// Tables by report (columns in order):
//   daily, weekly, half-month (one block of rows per period: the day, the week, or each half):
//     summary        period, from, to, received, completed, open
//     by_category    period, category, received, completed, open
//     by_sub_type    period, category, sub_type, received, completed, open
//     by_severity    period, severity, received, completed, open
//   monthly (the month against the one before):
//     summary        figure ("received", "completed", "open"), current, previous, change
//     by_category    category, received, completed, open, previous_received, change
//     by_sub_type    category, sub_type, received, completed, open
//     by_severity    severity, received, completed, open, previous_received, change
//   all three also:
//     closed_serious period, case, severity, category, sub_type, closed, closed_by
//                    (important, hot and major cases completed in the period)
//     open_serious   case, severity, category, step, step_name, opened, days_open, limit,
//                    working_seconds_left (negative = overdue), status
//                    (important, hot and major cases open at the end of the last period,
//                    with the step limit due first)
//   Unset category, sub_type or severity read "(none)"; categories and severities come in
//   the order of the procedure's enum values.
//   closure-rate:    by_specialist  specialist, total, closed, closed_on_time, open, rate
//                    (total = closed in the quarter + open at its end; rate =
//                    closed_on_time / total; a last row "all")
//   sla:             by_procedure  procedure, met, breached, compliance
//                    by_step  procedure, step, rule, met, breached, compliance
//   legal-review-misses: by_department  department, submitted, missed, share (last row
//                    "all"); submitted = legal_review cases opened in the month; missed =
//                    their bool field `preregistered` is false (unset is not a miss).
// CSV (RFC 4180, CRLF): one record per cell, columns table,row,column,value (row is the
// 1-based row number in its table), so that every table reads back the same figures.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/calendar.h"
#include "caseflow/core.h"
#include "caseflow/runtime.h"

namespace caseflow {

// Inclusive local dates.
struct date_range {
  civil_date first;
  civil_date last;
  std::string label;  // e.g. "2026-11", "2026-11 H1", "2026Q4"
};

// "2026-11" → the month; nullopt when malformed. `half` 1 or 2 narrows it to the 1st–15th or
// the 16th–last day.
std::optional<date_range> parse_month(std::string_view text, int half = 0);
// "2026Q4" → the quarter; nullopt when malformed.
std::optional<date_range> parse_quarter(std::string_view text);
// "2026-W48" → the ISO week, Monday to Sunday; nullopt when malformed.
std::optional<date_range> parse_week(std::string_view text);
// The month before `month` (a parse_month result).
date_range previous_month(const date_range& month);
// One day.
date_range day_range(civil_date d);

// A column of a report table: `key` in JSON and CSV, `header` in text and HTML.
struct report_column {
  std::string key;
  std::string header;
};

struct report_table {
  std::string key;
  std::string title;
  std::vector<report_column> columns;
  std::vector<std::vector<nlohmann::json>> rows;  // one value per column
  std::string note;                               // a sentence under the table ("" = none)
};

// A chart of the HTML page, drawn from a table: one bar group per row, labelled by
// `label_columns` joined, with the values of `value_columns`. `share`: a 100% bar split by
// the value columns (e.g. met vs breached) instead of bars on a common scale.
struct report_chart {
  std::string title;
  std::string table;
  std::vector<std::string> label_columns;
  std::vector<std::string> value_columns;
  bool share = false;
  std::string skip_label;  // rows whose label is this are left out (e.g. the "all" total)
};

// A headline figure at the top of the HTML page.
struct report_figure {
  std::string label;
  std::string value;
  std::string detail;  // e.g. "+3 vs 2026-10"
};

struct report_document {
  std::string kind;  // daily, weekly, half-month, monthly, closure-rate, sla, legal-review-misses
  std::string title;
  std::string procedure;  // "" = every procedure
  date_range period;
  instant as_of;
  std::vector<report_figure> headline;
  std::vector<report_table> tables;
  std::vector<report_chart> charts;

  const report_table* find_table(std::string_view key) const;
};

// Where reports read cases: every case of `procedure` ("" = any) that may have been active
// between `since` and `until` (opened before `until`, and open or changed since `since`),
// with the definition it is pinned to, its calendar (may be null) and its events in order.
class report_source {
 public:
  explicit report_source(runtime& rt) : rt_(rt) {}
  using visitor = std::function<void(const procedure&, const calendar*, const std::vector<event>&)>;
  void for_each_case(std::string_view procedure, instant since, instant until, const visitor& visit);
  // The procedure as loaded today (for value order and names); null when unknown.
  const procedure* current_definition(std::string_view id) const { return rt_.library().find(id); }

 private:
  runtime& rt_;
};

struct report_options {
  std::string procedure = "complaint";  // daily, half-month, monthly, closure-rate
  // closure-rate: a case is credited to the last person who opened it or took an action in
  // this role (up to its closing, or the quarter's end while open; else its assignee).
  std::string specialist_role = "cs_specialist";
  // `--by FIELD`: one more table, `by_FIELD`, grouping the report's figures by that field's
  // value (at the period's end; unset reads "(none)"): received/completed/open for the count
  // reports, met/breached for sla, handled/closed on time for closure-rate. "" = none.
  std::string by;
  instant now;
};

report_document daily_report(report_source& source, civil_date day, const report_options& options);
// `halves`: the half-month periods to report (one or both halves of one month), in order.
report_document half_month_report(report_source& source, const std::vector<date_range>& halves,
                                  const report_options& options);
// One week (a parse_week result, or any 7 days): the tables of the daily report for the week.
report_document weekly_report(report_source& source, const date_range& week, const report_options& options);
report_document monthly_report(report_source& source, const date_range& month, const report_options& options);
report_document closure_rate_report(report_source& source, const date_range& quarter, const report_options& options);
// `procedure` "" = every procedure.
report_document sla_report(report_source& source, const date_range& month, std::string_view procedure,
                           const report_options& options);
report_document legal_review_misses_report(report_source& source, const date_range& month,
                                           const report_options& options);

// The report `name` of `period` — weekly, half-month (one half), monthly, closure-rate (a
// quarter), sla or legal-review-misses (a month) — as `caseflow report NAME` gives it for that
// period; the schedules attach these. nullopt for another name. For sla, options.procedure is
// the procedure reported ("" = every one).
std::optional<report_document> report_for_period(report_source& source, std::string_view name,
                                                 const date_range& period, const report_options& options);

// Renderings. Text: aligned columns (East Asian characters count two columns). CSV and JSON
// as described at the top. HTML: one self-contained page (inline CSS and SVG; no script,
// no external resource).
std::string render_text(const report_document& doc);
std::string render_csv(const report_document& doc);
nlohmann::json render_json(const report_document& doc);
std::string render_html(const report_document& doc);

}  // namespace caseflow
