// Time only moves forward within a case. See caseflow/core.h (command_time_for).
#include <fmt/format.h>

#include "caseflow/core.h"

namespace caseflow {

command_time command_time_for(const case_state& current, instant asked) {
  if (!current.exists() || asked.seconds >= current.updated_at.seconds) return {asked, std::nullopt, std::nullopt};
  if (current.updated_at.seconds - asked.seconds <= k_clock_skew_seconds) return {current.updated_at, asked, std::nullopt};
  return {asked, std::nullopt,
          refusal{refusal_code::time_out_of_order,
                  fmt::format("case {} was last changed at {}, after {}: time only moves forward within a case "
                              "(at most {} s of clock skew is absorbed); nothing was written",
                              current.id, format_instant_utc(current.updated_at), format_instant_utc(asked),
                              k_clock_skew_seconds)}};
}

moment moment_in(const calendar* cal, instant now) {
  return {now, local_day(cal, now), cal};
}

void record_clamp(const command_time& t, event* e) {
  if (t.clamped_from) e->data["clamped_from"] = format_instant_utc(*t.clamped_from);
}

void record_clamp(const command_time& t, decision* d) {
  if (!d->events.empty()) record_clamp(t, &d->events.front());
}

}  // namespace caseflow
