// caseflow/attachments.h — evidence (photos, recordings, signed forms) kept with a case.
//
// Evidence is content-addressed: the bytes are stored once under their SHA-256 digest
// (store.h blob, table `attachments`), and the case records an attachment_added event (core.h)
// (data {name, size, digest, note}) in the same transaction, so the reference is part of
// the hash chain and the bytes can be checked against it at any time. Free functions; the
// store and runtime they are given are used by one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/chain.h"
#include "caseflow/event.h"
#include "caseflow/runtime.h"
#include "caseflow/store.h"

namespace caseflow {

// One piece of evidence as its event records it.
struct attachment_info {
  std::string name;
  std::int64_t size = 0;
  std::string digest;
  std::string note;
  std::string actor;
  instant at;
  std::int64_t seq = 0;
};

// The attachments recorded in `events` (one case's, in order).
std::vector<attachment_info> attachments_of(const std::vector<event>& events);

// Records `bytes` as evidence named `name` on case `case_id`, by `actor` at `now`: decided
// like any command (the actor must be a person in org.yaml), committed with the blob in one
// transaction. Refused (nothing written) for an unknown case or actor.
outcome attach_evidence(runtime& rt, std::string_view case_id, const std::string& actor, std::string name,
                        std::string bytes, std::string note, instant now);

// Findings (rule "attachment"): every stored blob whose bytes no longer match its digest, and
// every attachment_added event whose blob is missing or of another size. Streams the blobs
// and the log once; memory grows with the number of blobs (a digest each), not their size.
std::vector<finding> check_attachments(attachment_store& blobs, event_log& log);

}  // namespace caseflow
