// caseflow/verify.h — everything `caseflow verify` checks beyond the hash chain (chain.h):
// each case's conformance (conformance.h), its approval chains (approvals.h), what the store
// keeps beside the log (the projection's columns and state against the fold, the timers against
// the folded deadlines, each outbox row against the event that caused it and its delivery
// events, each personal value against its digest and the erasures in the log), and the evidence
// blobs (attachments.h).
//
// Reads the store one case at a time: memory is bounded by the largest case (plus a digest
// per attachment and the outbox rows), not by the log. Uses the runtime for the stored definitions and the
// calendars; one thread at a time, like the runtime.
#pragma once

#include <vector>

#include "caseflow/chain.h"
#include "caseflow/runtime.h"

namespace caseflow {

// Findings for every case in the store, ordered by case id, then the attachment findings.
std::vector<finding> verify_cases(runtime& rt);

}  // namespace caseflow
