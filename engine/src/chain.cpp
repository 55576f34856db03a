#include "caseflow/chain.h"

#include <unordered_map>

#include <fmt/format.h>

#include "caseflow/hash.h"

namespace caseflow {

std::string canonical_event(const event& e) {
  // nlohmann::json objects keep keys sorted, so dump() is canonical for the same content.
  const nlohmann::json j = {{"id", e.id},
                            {"case", e.case_id},
                            {"seq", e.seq},
                            {"at", format_instant_utc(e.at)},
                            {"actor", e.actor},
                            {"role", e.role},
                            {"on_behalf_of", e.on_behalf_of},
                            {"kind", e.kind},
                            {"action", e.action},
                            {"from", e.from_step},
                            {"to", e.to_step},
                            {"data", e.data},
                            {"comment", e.comment},
                            {"definition", e.definition_hash},
                            {"prev", e.prev_hash}};
  return j.dump();
}

std::string event_hash(const event& e) { return sha256_hex(canonical_event(e)); }

verification verify_chain(store& s) {
  verification v;
  std::unordered_map<std::string, std::int64_t> last_seq;
  std::string previous;
  std::int64_t expected_id = 1;
  auto add = [&](const std::string& case_id, std::int64_t seq, std::string rule, std::string message) {
    v.findings.push_back({case_id, seq, std::move(rule), std::move(message)});
  };
  s.scan_events([&](const event& e) {
    ++v.events;
    if (e.id != expected_id)
      add(e.case_id, e.seq, "chain",
          fmt::format("log position {} follows {}: events were deleted or inserted", e.id, expected_id - 1));
    if (e.prev_hash != previous)
      add(e.case_id, e.seq, "chain", "does not link to the event before it: an event before it was changed, removed or moved");
    if (event_hash(e) != e.hash) add(e.case_id, e.seq, "chain", "its content does not match its hash: the event was edited");
    std::int64_t& seq = last_seq[e.case_id];
    if (e.seq != seq + 1)
      add(e.case_id, e.seq, "sequence", fmt::format("expected the case's event {} here", seq + 1));
    seq = e.seq;
    previous = e.hash;
    expected_id = e.id + 1;
    return true;
  });
  v.head_hash = previous;
  s.scan_cases([&](const case_record& c) {
    ++v.cases;
    auto it = last_seq.find(c.id);
    if (it == last_seq.end()) {
      add(c.id, 0, "projection", "the case is listed but has no events in the log");
    } else {
      if (it->second != c.seq)
        add(c.id, it->second, "projection", fmt::format("the case says it is at event {} but its log ends at {}", c.seq, it->second));
      last_seq.erase(it);
    }
    return true;
  });
  for (const auto& [case_id, seq] : last_seq) add(case_id, seq, "projection", "the log has events of a case that is not listed");
  return v;
}

}  // namespace caseflow
