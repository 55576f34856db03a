// Opening the cases of periodic duties. See caseflow/schedules.h.
#include <algorithm>

#include <fmt/format.h>

#include "caseflow/reports.h"
#include "caseflow/schedules.h"

namespace caseflow {

namespace {

std::string fill_period(std::string pattern, const std::string& label) {
  for (auto at = pattern.find("{period}"); at != std::string::npos; at = pattern.find("{period}", at + label.size()))
    pattern.replace(at, 8, label);
  return pattern;
}

// The period's report as the schedule names it, as of the period's opening; nullopt when the
// schedule carries none. *error says why it could not be made.
std::optional<runtime::scheduled_case::evidence> period_report(runtime& rt, const schedule_def& s,
                                                               const schedule_period& period, instant now,
                                                               std::string* error) {
  if (s.report.empty()) return std::nullopt;
  if (s.report != "sla" && s.report != "legal-review-misses" && !rt.library().find(s.report_procedure)) {
    *error = fmt::format("the report {} is about procedure '{}', which is not deployed", s.report, s.report_procedure);
    return std::nullopt;
  }
  report_source source(rt);
  report_options options;
  options.procedure = s.report_procedure;
  options.now = std::min(period.opens, now);
  const auto doc = report_for_period(source, s.report, {period.first, period.last, period.label}, options);
  if (!doc) {
    *error = fmt::format("'{}' is not a report a schedule can attach", s.report);
    return std::nullopt;
  }
  return runtime::scheduled_case::evidence{fmt::format("{}-{}.json", s.report, period.label),
                                           render_json(*doc).dump(2) + "\n",
                                           fmt::format("caseflow report {} for {}, as of {}", s.report, period.label,
                                                       format_instant_utc(options.now))};
}

}  // namespace

std::string to_string(schedule_def::every e) {
  switch (e) {
    case schedule_def::every::week: return "week";
    case schedule_def::every::half_month: return "half month";
    case schedule_def::every::month: return "month";
    case schedule_def::every::quarter: return "quarter";
    case schedule_def::every::year: return "year";
  }
  return "";
}

std::vector<schedule_status> schedule_statuses(runtime& rt, instant now) {
  std::vector<schedule_status> out;
  for (const procedure* p : rt.library().all())
    for (const auto& s : p->schedules) {
      auto last = rt.storage().last_opening(p->id, s.id);
      const auto first = last ? std::optional<civil_date>(last->period_start) : std::nullopt;
      out.push_back({p->id, &s, std::move(last), next_to_open(s, rt.calendar_for(*p), first, now)});
    }
  return out;
}

schedule_run open_due_periods(runtime& rt, instant now) {
  schedule_run run;
  for (const procedure* p : rt.library().all()) {
    const calendar* cal = rt.calendar_for(*p);
    for (const auto& s : p->schedules) {
      const auto last = rt.storage().last_opening(p->id, s.id);
      const auto due = periods_due(s, cal, last ? std::optional<civil_date>(last->period_start) : std::nullopt, now,
                                   k_max_openings_per_schedule);
      for (const auto& period : due) {
        auto refuse = [&](std::string message) {
          run.refused.push_back({p->id, s.id, period.label, std::move(message)});
        };
        std::string error;
        auto report = period_report(rt, s, period, now, &error);
        if (!error.empty()) {
          refuse(error);
          break;  // the later periods wait for this one
        }
        runtime::scheduled_case opening;
        opening.id = fill_period(s.case_id, period.label);
        opening.key = {p->id, s.id, period.label, period.first, "", now};
        opening.sets = period_fields(*p, s, period);
        opening.report = std::move(report);
        const outcome result = rt.start_scheduled(*p, std::move(opening), now);
        if (result.result == outcome::status::done) {
          run.cases.push_back({p->id, s.id, period.label, result.case_id});
        } else if (result.result == outcome::status::already_opened) {
          ++run.already_opened;
        } else {
          refuse(result.message);
          break;
        }
      }
    }
  }
  return run;
}

}  // namespace caseflow
