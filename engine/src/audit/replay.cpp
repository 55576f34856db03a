// Replay of one case from its log. See caseflow/replay.h.
#include "caseflow/replay.h"

#include <set>

#include <fmt/format.h>

namespace caseflow {

case_state replay_case(const procedure& p, const std::vector<event>& events, const replay_limit& limit) {
  case_state c;
  for (const auto& e : events) {
    if (limit.seq > 0 && e.seq > limit.seq) break;
    if (limit.as_of && e.at > *limit.as_of) break;
    c = apply(p, std::move(c), e);
  }
  return c;
}

std::vector<std::string> json_differences(const nlohmann::json& stored, const nlohmann::json& replayed,
                                          const std::string& path) {
  std::vector<std::string> out;
  if (stored.is_object() && replayed.is_object()) {
    std::set<std::string> keys;
    for (const auto& [key, unused] : stored.items()) keys.insert(key);
    for (const auto& [key, unused] : replayed.items()) keys.insert(key);
    for (const auto& key : keys) {
      const std::string at = path.empty() ? key : path + "." + key;
      const auto s = stored.find(key);
      const auto r = replayed.find(key);
      if (s == stored.end()) out.push_back(fmt::format("{}: stored (absent), replayed {}", at, r->dump()));
      else if (r == replayed.end()) out.push_back(fmt::format("{}: stored {}, replayed (absent)", at, s->dump()));
      else
        for (auto& d : json_differences(*s, *r, at)) out.push_back(std::move(d));
    }
  } else if (stored != replayed) {
    out.push_back(fmt::format("{}: stored {}, replayed {}", path.empty() ? "(whole)" : path, stored.dump(), replayed.dump()));
  }
  return out;
}

}  // namespace caseflow
