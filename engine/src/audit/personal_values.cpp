// Holding stored personal values to the log. See audit/personal_values.h.
#include "audit/personal_values.h"

#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "caseflow/erasure.h"

namespace caseflow::detail {

std::vector<finding> check_personal_values(const std::string& case_id, const std::vector<event>& stored,
                                           const std::vector<personal_value>& rows) {
  std::vector<finding> findings;
  auto add = [&](std::int64_t seq, std::string message) {
    findings.push_back({case_id, seq, "personal", std::move(message)});
  };
  std::map<std::string, const personal_value*> by_digest;
  for (const auto& row : rows) by_digest[row.digest] = &row;
  // The last erasure of each field: it took every value the field held before it.
  std::map<std::string, std::int64_t> last_erasure;
  for (const auto& e : stored)
    if (e.kind == event_kind::personal_data_erased)
      for (const auto& name : erased_fields({e})) last_erasure[name] = e.seq;
  const auto erased_after = [&](const std::string& field, std::int64_t seq) {
    auto it = last_erasure.find(field);
    return it != last_erasure.end() && it->second > seq;
  };

  std::map<std::string, std::int64_t> held;  // digest -> the seq of the event that recorded it
  for (const auto& e : stored) {
    auto fields = e.data.find("fields");
    if (fields == e.data.end() || !fields->is_object()) continue;
    for (const auto& [name, v] : fields->items()) {
      if (!v.is_object() || !v.contains("personal") || !v["personal"].is_string()) continue;
      const std::string digest = v["personal"].get<std::string>();
      held.emplace(digest, e.seq);
      auto row = by_digest.find(digest);
      if (row == by_digest.end())
        add(e.seq, fmt::format("the value of '{}' this event recorded is missing from personal_data (digest {})", name,
                               digest.substr(0, 12)));
      else if (row->second->field != name)
        add(e.seq, fmt::format("personal_data files the value of '{}' this event recorded under field '{}'", name,
                               row->second->field));
    }
  }
  for (const auto& row : rows) {
    auto recorded = held.find(row.digest);
    if (recorded == held.end()) {
      add(0, fmt::format("personal_data holds a value of '{}' (digest {}) that no event of the case recorded", row.field,
                         row.digest.substr(0, 12)));
      continue;
    }
    if (!row.value) {
      if (!erased_after(row.field, recorded->second))
        add(recorded->second, fmt::format("the value of '{}' (digest {}) is gone but no personal_data_erased event names the field",
                           row.field, row.digest.substr(0, 12)));
      if (!row.key.empty())
        add(recorded->second, fmt::format("the value of '{}' (digest {}) was erased but its digest key is still stored: the digest "
                           "can confirm a guess",
                           row.field, row.digest.substr(0, 12)));
      continue;
    }
    std::string recomputed;
    try {
      recomputed = row.key.empty() ? "" : personal_digest(row.scheme, row.key, case_id, row.field, *row.value);
    } catch (const std::invalid_argument& e) {
      add(recorded->second, fmt::format("the value of '{}' (digest {}): {}", row.field, row.digest.substr(0, 12), e.what()));
      continue;
    }
    if (recomputed != row.digest)
      add(recorded->second, fmt::format("the stored value of '{}' (digest {}) does not match its digest: it was changed after it was "
                         "recorded",
                         row.field, row.digest.substr(0, 12)));
    else if (erased_after(row.field, recorded->second))
      add(recorded->second, fmt::format("'{}' was erased but a value of it (digest {}) is still stored", row.field,
                         row.digest.substr(0, 12)));
  }
  return findings;
}

}  // namespace caseflow::detail
