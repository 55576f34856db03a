// The audit timeline of a case. See caseflow/audit.h.
#include "caseflow/audit.h"

namespace caseflow {

namespace {

std::int64_t working_between(const calendar* cal, instant from, instant to) {
  if (to < from) return 0;
  return cal ? cal->working_seconds_between(from, to) : to.seconds - from.seconds;
}

bool is_approval(const event& e) {
  return e.kind.starts_with("approval") || (e.kind == event_kind::action_taken && e.data.contains("approval"));
}

class timeline {
 public:
  timeline(const procedure& p, const calendar* cal) : p_(p), cal_(cal) {}

  void add(const event& e) {
    if (e.kind == event_kind::case_started) enter(e);
    nlohmann::json& visit = visits_.back();
    if (e.actor != k_system_actor || e.kind == event_kind::action_taken)
      visit["acts"].push_back({{"seq", e.seq}, {"at", format_instant_utc(e.at)}, {"actor", e.actor}, {"role", e.role},
                               {"on_behalf_of", e.on_behalf_of}, {"kind", e.kind}, {"action", e.action},
                               {"to", e.to_step}, {"comment", e.comment}});
    const std::string rule = e.data.is_object() ? e.data.value("rule", "") : "";
    if ((e.kind == event_kind::deadline_set || e.kind == event_kind::deadline_changed) && e.data.value("kind", "") == "limit") {
      nlohmann::json& l = limit(rule);
      // An extension keeps the time it moved from, the reason and who extended it.
      if (e.data.value("reason", "") == "extension")
        l["extended"] = {{"from", l.value("due", "")}, {"seq", e.seq}, {"by", e.actor},
                         {"reason", e.data.value("extension_reason", "")}};
      l["due"] = e.data.value("due", "");
    }
    const std::string timer_kind = e.data.is_object() ? e.data.value("kind", "") : "";
    if (e.kind == event_kind::timer_fired && (timer_kind == "limit" || timer_kind == "obligation")) {
      if (timer_kind == "limit") limit(rule)["breached"] = true;
      else occurrence(e, rule, "breached");
      breaches_.push_back({{"seq", e.seq}, {"at", format_instant_utc(e.at)}, {"rule", rule}, {"kind", timer_kind},
                           {"due", e.data.value("due", "")}});
    }
    // Each occurrence of an obligation, met (by its action, at met_at) or breached (timers.h).
    if (e.kind == event_kind::deadline_cleared && e.data.value("reason", "") == "met")
      occurrence(e, rule, "met")["met_at"] = e.data.value("met_at", "");
    if (is_approval(e))
      approvals_.push_back({{"seq", e.seq}, {"at", format_instant_utc(e.at)}, {"kind", e.kind}, {"actor", e.actor},
                            {"role", e.role}, {"on_behalf_of", e.on_behalf_of}, {"action", e.action}, {"data", e.data}});
    if (e.kind == event_kind::notification_requested)
      notifications_.push_back({{"seq", e.seq}, {"at", format_instant_utc(e.at)}, {"rule", rule},
                                {"to", e.data.value("to", nlohmann::json::array())}, {"message", e.data.value("message", "")}});
    if (e.kind == event_kind::attachment_added)
      attachments_.push_back({{"seq", e.seq}, {"at", format_instant_utc(e.at)}, {"actor", e.actor},
                              {"name", e.data.value("name", "")}, {"size", e.data.value("size", 0)},
                              {"digest", e.data.value("digest", "")}, {"note", e.data.value("note", "")}});
    const bool restarted = e.kind == event_kind::action_taken && e.data.is_object() && e.data.value("restarts_limits", false);
    if (e.kind != event_kind::case_started && !e.to_step.empty() && (e.to_step != e.from_step || restarted)) {
      leave(e.seq, e.at);
      enter(e);
    }
  }

  nlohmann::json finish(const case_state& c, instant now) {
    // A case that ended stops its clock when it entered its last step.
    if (!visits_.empty() && visits_.back()["left"].is_null()) close_visit(visits_.back(), c.open ? now : entered_);
    return {{"case", c.id},           {"procedure", p_.id},       {"version", p_.version},
            {"step", c.step},         {"open", c.open},           {"as_of", format_instant_utc(now)},
            {"visits", visits_},      {"breaches", breaches_},    {"approvals", approvals_},
            {"notifications", notifications_}, {"attachments", attachments_}};
  }

 private:
  void enter(const event& e) {
    const step_def* step = p_.find_step(e.to_step);
    visits_.push_back({{"step", e.to_step}, {"name", step ? step->name.preferred(e.to_step) : e.to_step},
                       {"entered", format_instant_utc(e.at)}, {"entered_seq", e.seq}, {"left", nullptr},
                       {"left_seq", nullptr}, {"working_seconds", 0}, {"limits", nlohmann::json::array()},
                       {"obligations", nlohmann::json::array()}, {"acts", nlohmann::json::array()}});
    entered_ = e.at;
  }

  void leave(std::int64_t seq, instant at) {
    nlohmann::json& visit = visits_.back();
    visit["left"] = format_instant_utc(at);
    visit["left_seq"] = seq;
    close_visit(visit, at);
  }

  // Working time of the visit until `end`, and each limit's allowance from the entry.
  void close_visit(nlohmann::json& visit, instant end) {
    visit["working_seconds"] = working_between(cal_, entered_, end);
    for (auto& l : visit["limits"])
      if (auto due = parse_instant(l.value("due", "")))
        l["allowed_working_seconds"] = working_between(cal_, entered_, *due);
  }

  nlohmann::json& limit(const std::string& rule) {
    for (auto& l : visits_.back()["limits"])
      if (l["rule"] == rule) return l;
    visits_.back()["limits"].push_back({{"rule", rule}, {"due", ""}, {"allowed_working_seconds", 0}, {"breached", false}});
    return visits_.back()["limits"].back();
  }

  nlohmann::json& occurrence(const event& e, const std::string& rule, const char* outcome) {
    nlohmann::json& list = visits_.back()["obligations"];
    list.push_back({{"rule", rule}, {"due", e.data.value("due", "")}, {"outcome", outcome}, {"seq", e.seq}});
    return list.back();
  }

  const procedure& p_;
  const calendar* cal_;
  instant entered_;
  nlohmann::json visits_ = nlohmann::json::array();
  nlohmann::json breaches_ = nlohmann::json::array();
  nlohmann::json approvals_ = nlohmann::json::array();
  nlohmann::json notifications_ = nlohmann::json::array();
  nlohmann::json attachments_ = nlohmann::json::array();
};

}  // namespace

nlohmann::json audit_timeline(const procedure& p, const calendar* cal, const std::vector<event>& events, instant now) {
  timeline t(p, cal);
  case_state c;
  for (const auto& e : events) {
    if (c.exists() || e.kind == event_kind::case_started) t.add(e);
    c = apply(p, std::move(c), e);
  }
  return t.finish(c, now);
}

}  // namespace caseflow
