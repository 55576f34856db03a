#include "caseflow/chain.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "caseflow/hash.h"

namespace caseflow {

namespace {
// A JSON string exactly as nlohmann::json::dump() writes it.
void append_string(std::string* out, std::string_view text) { *out += nlohmann::json(text).dump(); }
}  // namespace

std::string canonical_event(const event& e) {
  // The JSON object of the event's columns with keys in sorted order and no spaces — byte for
  // byte what nlohmann::json{...}.dump() gives, written directly (this runs once per event
  // on every commit and every verification). Format 2 adds branch, format and org, and takes
  // the data as stored.
  const bool v2 = e.format >= 2;
  std::string out;
  out.reserve(320 + e.comment.size() + e.data_text.size());
  out += "{\"action\":";
  append_string(&out, e.action);
  out += ",\"actor\":";
  append_string(&out, e.actor);
  out += ",\"at\":\"";
  out += format_instant_utc(e.at);
  out += '"';
  if (v2) {
    out += ",\"branch\":";
    append_string(&out, e.branch);
  }
  out += ",\"case\":";
  append_string(&out, e.case_id);
  out += ",\"comment\":";
  append_string(&out, e.comment);
  out += ",\"data\":";
  out += v2 && !e.data_text.empty() ? e.data_text : e.data.dump();
  out += ",\"definition\":";
  append_string(&out, e.definition_hash);
  if (v2) {
    out += ",\"format\":";
    out += std::to_string(e.format);
  }
  out += ",\"from\":";
  append_string(&out, e.from_step);
  out += ",\"id\":";
  out += std::to_string(e.id);
  out += ",\"kind\":";
  append_string(&out, e.kind);
  out += ",\"on_behalf_of\":";
  append_string(&out, e.on_behalf_of);
  if (v2) {
    out += ",\"org\":";
    append_string(&out, e.org_version);
  }
  out += ",\"prev\":";
  append_string(&out, e.prev_hash);
  out += ",\"role\":";
  append_string(&out, e.role);
  out += ",\"seq\":";
  out += std::to_string(e.seq);
  out += ",\"to\":";
  append_string(&out, e.to_step);
  out += '}';
  return out;
}

std::string event_hash(const event& e) { return sha256_hex(canonical_event(e)); }

verification verify_chain(event_log& log, case_store& cases) {
  verification v;
  std::unordered_map<std::string, std::int64_t> last_seq;
  std::string previous;
  std::int64_t expected_id = 1;
  int previous_format = 1;
  auto add = [&](const std::string& case_id, std::int64_t seq, std::string rule, std::string message) {
    v.findings.push_back({case_id, seq, std::move(rule), std::move(message)});
  };
  log.scan_events([&](const event& e) {
    ++v.events;
    if (e.id != expected_id)
      add(e.case_id, e.seq, "chain",
          fmt::format("log position {} follows {}: events were deleted or inserted", e.id, expected_id - 1));
    if (e.prev_hash != previous)
      add(e.case_id, e.seq, "chain", "does not link to the event before it: an event before it was changed, removed or moved");
    if (e.format < 1 || e.format > k_chain_format)
      add(e.case_id, e.seq, "chain",
          fmt::format("chain format {} is not one this build knows (1 to {}): the event was edited or written by a "
                      "newer caseflow",
                      e.format, k_chain_format));
    else if (event_hash(e) != e.hash)
      add(e.case_id, e.seq, "chain", "its content does not match its hash: the event was edited");
    else if (e.format < previous_format)
      add(e.case_id, e.seq, "chain",
          fmt::format("it is in chain format {} after an event in format {}: formats only move forward", e.format,
                      previous_format));
    previous_format = std::max(previous_format, e.format);
    std::int64_t& seq = last_seq[e.case_id];
    if (e.seq != seq + 1)
      add(e.case_id, e.seq, "sequence", fmt::format("expected the case's event {} here", seq + 1));
    seq = e.seq;
    previous = e.hash;
    expected_id = e.id + 1;
    return true;
  });
  v.head_hash = previous;
  cases.scan_cases([&](const case_record& c) {
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
