// caseflow/replay.h — rebuilding a case from its log alone, and comparing it with the
// stored projection.
//
// Replay is the same fold as live behaviour (core.h apply()), under the definition the
// case is pinned to (the text stored by hash, never the YAML files of today). It works one
// case at a time, so memory is bounded by the largest case, not by the log. Pure;
// thread-safe.
//
// Example:
//   const case_state rebuilt = replay_case(*definition, store.case_events(id));
//   for (const auto& d : json_differences(record->state, state_to_json(rebuilt))) std::cout << d << '\n';
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caseflow/core.h"

namespace caseflow {

// Where a replay stops: after the last event at or before `as_of`, and/or at `seq`.
struct replay_limit {
  std::optional<instant> as_of;  // nullopt = no time limit
  std::int64_t seq = 0;          // 0 = no sequence limit
};

// The fold of `events` (one case's, in seq order) up to `limit`. A case with no event
// inside the limit comes back empty (exists() is false).
case_state replay_case(const procedure& p, const std::vector<event>& events, const replay_limit& limit = {});

// Every difference between two JSON documents, one line each: "path: stored X, replayed Y"
// (objects are compared key by key, arrays and scalars whole). Empty when they are equal.
std::vector<std::string> json_differences(const nlohmann::json& stored, const nlohmann::json& replayed,
                                          const std::string& path = "");

}  // namespace caseflow
