// caseflow/outbox_dispatch.h — delivering the outbox: one pass of sends through the runtime,
// each outcome recorded as an event (see outbox.h for how a message travels), and requeueing.
//
// Thread-safety: as the runtime's; one dispatcher per database at a time (see outbox.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/event.h"
#include "caseflow/outbox.h"

namespace caseflow {

class runtime;

struct dispatch_report {
  std::size_t delivered = 0;
  std::size_t failed = 0;
  std::size_t dead = 0;
  std::size_t skipped = 0;    // the outcome could not be recorded (case kept changing); retried next pass
  std::vector<event> events;  // the outcome events recorded
};

// One pass: sends every pending message due at `now` (at most `limit`) through the sender of
// its channel and records each outcome. A message whose channel has no sender fails with
// "no sender for channel X". REQUIRES: the runtime's store is the one holding the outbox.
dispatch_report dispatch_outbox(runtime& rt, const std::map<std::string, channel_sender*, std::less<>>& senders,
                                instant now, const retry_policy& policy = {}, std::size_t limit = 1000);

// Puts a failed or dead message back to pending, due at `now`, with its attempts reset, by
// recording a notification_requeued event. Returns why not ("" when done).
std::string requeue_outbox(runtime& rt, std::int64_t outbox_id, std::string_view by, instant now);

}  // namespace caseflow
