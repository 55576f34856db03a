// The closure-rate, SLA-compliance and legal-review-miss reports. See caseflow/reports.h.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "reports/fold.h"

namespace caseflow {

namespace {

using detail::case_history;

nlohmann::json share(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? nlohmann::json() : nlohmann::json(static_cast<double>(part) / static_cast<double>(whole));
}

std::string percent(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? "-" : fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// The value of `field` that groups case `s` in a `--by` table: "(none)" when unset.
std::string group_of(const case_state& s, const std::string& field) {
  const std::string value = detail::field_text(s, field);
  return value.empty() ? "(none)" : value;
}

// Reads every case of `procedure` that may have been active in `r`, folded with the
// period's end as the one checkpoint; `visit` gets the bounds in the case's calendar.
template <typename Visit>
void for_each_history(report_source& source, std::string_view procedure, const date_range& r, std::string_view role,
                      Visit visit) {
  const instant since = local_minute(nullptr, r.first, 0);
  const instant until = end_of_day(nullptr, r.last);
  source.for_each_case(procedure, since, until,
                       [&](const caseflow::procedure& p, const calendar* cal, const std::vector<event>& events) {
                         const detail::period_bounds b = detail::bounds_of(cal, r);
                         visit(p, b, detail::fold_history(p, events, {b.to}, role));
                       });
}

}  // namespace

report_document closure_rate_report(report_source& source, const date_range& quarter, const report_options& options) {
  struct tally {
    std::int64_t closed = 0, on_time = 0, open = 0;
  };
  std::map<std::string, tally> by_person;
  std::map<std::string, tally> by_field;  // options.by
  for_each_history(source, options.procedure, quarter, options.specialist_role,
                   [&](const procedure&, const detail::period_bounds& b, const case_history& h) {
                     const case_state& s = h.states[0];
                     if (!s.exists()) return;
                     tally* grouped = options.by.empty() ? nullptr : &by_field[group_of(s, options.by)];
                     if (s.open) {
                       by_person[h.credited[0].empty() ? s.assignee : h.credited[0]].open += 1;
                       if (grouped) grouped->open += 1;
                       return;
                     }
                     const detail::case_closing* closing = h.last_closing_before(b.to);
                     if (!closing || closing->at < b.from) return;  // closed before the quarter
                     for (tally* t : {&by_person[closing->credited.empty() ? closing->actor : closing->credited], grouped}) {
                       if (!t) continue;
                       t->closed += 1;
                       t->on_time += closing->on_time ? 1 : 0;
                     }
                   });
  report_document doc =
      detail::new_document("closure-rate", "Closure rate per specialist", options.procedure, quarter, options.now);
  report_table t{"by_specialist",
                 fmt::format("Cases closed on time out of those handled, {}", quarter.label),
                 detail::columns({{"specialist", "specialist"},
                                  {"total", "handled"},
                                  {"closed", "closed"},
                                  {"closed_on_time", "closed on time"},
                                  {"open", "open at end"},
                                  {"rate", "closure rate"}}),
                 {},
                 "handled = closed in the quarter + open at its end; rate = closed on time / handled"};
  tally all;
  for (const auto& [person, x] : by_person) {
    const std::int64_t total = x.closed + x.open;
    t.rows.push_back(
        {person.empty() ? "(nobody)" : person, total, x.closed, x.on_time, x.open, share(x.on_time, total)});
    all.closed += x.closed;
    all.on_time += x.on_time;
    all.open += x.open;
  }
  const std::int64_t total = all.closed + all.open;
  t.rows.push_back({"all", total, all.closed, all.on_time, all.open, share(all.on_time, total)});
  doc.headline = {{"closure rate", percent(all.on_time, total), fmt::format("{} of {} on time", all.on_time, total)},
                  {"closed", std::to_string(all.closed), quarter.label},
                  {"open at end", std::to_string(all.open), ""},
                  {"specialists", std::to_string(by_person.size()), ""}};
  doc.tables.push_back(std::move(t));
  if (!options.by.empty()) {
    report_table g{"by_" + options.by,
                   "By " + options.by,
                   detail::columns({{options.by, options.by},
                                    {"total", "handled"},
                                    {"closed", "closed"},
                                    {"closed_on_time", "closed on time"},
                                    {"open", "open at end"},
                                    {"rate", "closure rate"}}),
                   {},
                   ""};
    for (const auto& [value, x] : by_field)
      g.rows.push_back({value, x.closed + x.open, x.closed, x.on_time, x.open, share(x.on_time, x.closed + x.open)});
    doc.tables.push_back(std::move(g));
  }
  doc.charts = {
      {"Handled and closed on time", "by_specialist", {"specialist"}, {"total", "closed_on_time"}, false, "all"}};
  return doc;
}

report_document sla_report(report_source& source, const date_range& month, std::string_view procedure,
                           const report_options& options) {
  struct tally {
    std::int64_t met = 0, extended = 0, breached = 0;  // met on time, met after extension, breached
    void add(const detail::limit_run& l, instant as_of) {
      ++(l.breached(as_of) ? breached : l.met_after_extension(as_of) ? extended : met);
    }
    std::int64_t total() const { return met + extended + breached; }
  };
  std::map<std::tuple<std::string, std::string, std::string>, tally> by_step;
  std::map<std::string, tally> by_procedure;
  std::map<std::string, tally> by_field;  // options.by
  for_each_history(source, procedure, month, "",
                   [&](const caseflow::procedure& p, const detail::period_bounds& b, const case_history& h) {
                     const instant as_of = std::min(b.to, options.now);
                     for (const auto& l : h.limits) {
                       const auto decided = l.decided(as_of);
                       if (!decided || *decided < b.from || !(*decided < b.to)) continue;
                       by_step[{p.id, l.step, l.rule.substr(l.rule.find('.') + 1)}].add(l, as_of);
                       by_procedure[p.id].add(l, as_of);
                       if (!options.by.empty()) by_field[group_of(h.states[0], options.by)].add(l, as_of);
                     }
                   });
  report_document doc =
      detail::new_document("sla", "Time-limit compliance", std::string(procedure), month, options.now);
  report_table steps{"by_step",
                     "Step limits met and breached",
                     detail::columns({{"procedure", "procedure"},
                                      {"step", "step"},
                                      {"rule", "limit"},
                                      {"met", "met"},
                                      {"met_after_extension", "met after extension"},
                                      {"breached", "breached"},
                                      {"compliance", "compliance"}}),
                     {},
                     "a limit counts in the month it was met (step left in time; after an extension: by the "
                     "extended time) or breached (at its due time); compliance counts both kinds of met"};
  for (const auto& [k, x] : by_step)
    steps.rows.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), x.met, x.extended, x.breached,
                          share(x.met + x.extended, x.total())});
  report_table procedures{
      "by_procedure",
      "By procedure",
      detail::columns(
          {{"procedure", "procedure"}, {"met", "met"}, {"met_after_extension", "met after extension"},
           {"breached", "breached"}, {"compliance", "compliance"}}),
      {},
      ""};
  tally all;
  for (const auto& [id, x] : by_procedure) {
    procedures.rows.push_back({id, x.met, x.extended, x.breached, share(x.met + x.extended, x.total())});
    all.met += x.met;
    all.extended += x.extended;
    all.breached += x.breached;
  }
  doc.headline = {{"compliance", percent(all.met + all.extended, all.total()), month.label},
                  {"limits met", std::to_string(all.met), ""},
                  {"limits met after extension", std::to_string(all.extended), ""},
                  {"limits breached", std::to_string(all.breached), ""}};
  doc.tables.push_back(std::move(procedures));
  doc.tables.push_back(std::move(steps));
  if (!options.by.empty()) {
    report_table g{"by_" + options.by,
                   "By " + options.by,
                   detail::columns({{options.by, options.by}, {"met", "met"}, {"met_after_extension", "met after extension"},
                                    {"breached", "breached"}, {"compliance", "compliance"}}),
                   {},
                   "the value when the month ended"};
    for (const auto& [value, x] : by_field)
      g.rows.push_back({value, x.met, x.extended, x.breached, share(x.met + x.extended, x.total())});
    doc.tables.push_back(std::move(g));
  }
  doc.charts = {{"Compliance by procedure", "by_procedure", {"procedure"}, {"met", "breached"}, true, ""},
                {"Compliance by step limit", "by_step", {"step", "rule"}, {"met", "breached"}, true, ""}};
  return doc;
}

report_document legal_review_misses_report(report_source& source, const date_range& month,
                                           const report_options& options) {
  struct tally {
    std::int64_t submitted = 0, missed = 0;
  };
  std::map<std::string, tally> by_department;
  for_each_history(
      source, "legal_review", month, "", [&](const procedure&, const detail::period_bounds& b, const case_history& h) {
        const case_state& s = h.states[0];
        if (!s.exists() || h.opened_at < b.from || !(h.opened_at < b.to)) return;
        const std::string department = detail::field_text(s, "department");
        tally& t = by_department[department.empty() ? "(none)" : department];
        t.submitted += 1;
        const auto it = s.fields.find("preregistered");
        if (it != s.fields.end() && std::holds_alternative<bool>(it->second) && !std::get<bool>(it->second))
          t.missed += 1;
      });
  report_document doc = detail::new_document("legal-review-misses", "Legal review: missed pre-registrations",
                                             "legal_review", month, options.now);
  report_table t{
      "by_department",
      "Reviews submitted and pre-registrations missed, per department",
      detail::columns(
          {{"department", "department"}, {"submitted", "submitted"}, {"missed", "missed"}, {"share", "share missed"}}),
      {},
      "submitted = legal_review cases opened in the month; missed = preregistered is false"};
  tally all;
  for (const auto& [department, x] : by_department) {
    t.rows.push_back({department, x.submitted, x.missed, share(x.missed, x.submitted)});
    all.submitted += x.submitted;
    all.missed += x.missed;
  }
  t.rows.push_back({"all", all.submitted, all.missed, share(all.missed, all.submitted)});
  doc.headline = {{"reviews submitted", std::to_string(all.submitted), month.label},
                  {"pre-registrations missed", std::to_string(all.missed), percent(all.missed, all.submitted)},
                  {"departments", std::to_string(by_department.size()), ""}};
  doc.tables.push_back(std::move(t));
  doc.charts = {{"Missed pre-registrations per department",
                 "by_department",
                 {"department"},
                 {"missed", "submitted"},
                 false,
                 "all"}};
  return doc;
}

}  // namespace caseflow
