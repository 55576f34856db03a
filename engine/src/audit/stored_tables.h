// audit/stored_tables.h — internal: holding what a store keeps beside the log (the projection,
// the timers, the outbox) to the log, for verify (caseflow/verify.h).
#pragma once

#include <vector>

#include "caseflow/chain.h"
#include "caseflow/outbox.h"
#include "caseflow/store.h"

namespace caseflow::detail {

// Findings for one case whose log is `events` (personal values resolved) and whose fold is
// `rebuilt`: rule "projection" when the stored columns or state differ from the fold, "timers"
// when the timers kept (`timers`) differ from the folded deadlines, "outbox" when a row of `rows`
// (the case's) names no event of the case, carries a key that is not its event's, a payload that
// is not the one its event requested, or a state its delivery events do not give.
std::vector<finding> check_stored_tables(const case_record& record, const case_state& rebuilt,
                                         const std::vector<event>& events, const std::vector<case_deadline>& timers,
                                         const std::vector<outbox_entry>& rows);

}  // namespace caseflow::detail
