// The report of a period by its `caseflow report` name. See caseflow/reports.h.
#include "caseflow/reports.h"

namespace caseflow {

std::optional<report_document> report_for_period(report_source& source, std::string_view name,
                                                 const date_range& period, const report_options& options) {
  if (name == "weekly") return weekly_report(source, period, options);
  if (name == "half-month") return half_month_report(source, {period}, options);
  if (name == "monthly") return monthly_report(source, period, options);
  if (name == "closure-rate") return closure_rate_report(source, period, options);
  if (name == "sla") return sla_report(source, period, options.procedure, options);
  if (name == "legal-review-misses") return legal_review_misses_report(source, period, options);
  return std::nullopt;
}

}  // namespace caseflow
