// Evidence attachments. See caseflow/attachments.h.
#include "caseflow/attachments.h"

#include <map>

#include <fmt/format.h>

#include "caseflow/hash.h"
#include "caseflow/timers.h"

namespace caseflow {

std::vector<attachment_info> attachments_of(const std::vector<event>& events) {
  std::vector<attachment_info> out;
  for (const auto& e : events)
    if (e.kind == event_kind::attachment_added)
      out.push_back({e.data.value("name", ""), e.data.value("size", std::int64_t{0}), e.data.value("digest", ""),
                     e.data.value("note", ""), e.actor, e.at, e.seq});
  return out;
}

outcome attach_evidence(runtime& rt, std::string_view case_id, const std::string& actor, std::string name,
                        std::string bytes, std::string note, instant now) {
  auto loaded = rt.load(case_id);
  if (!loaded)
    return {outcome::status::not_found, std::string(case_id), {}, fmt::format("no case '{}'", case_id), std::nullopt};
  const procedure& p = *loaded->definition;
  const case_state& current = loaded->state;
  command cmd;
  cmd.type = command::kind::attach;
  cmd.actor = actor;
  cmd.comment = std::move(note);
  cmd.attachment = {std::move(name), static_cast<std::int64_t>(bytes.size()), sha256_hex(bytes)};
  const command_time when = command_time_for(current, now);
  if (when.refused) return {outcome::status::refused, current.id, {}, when.refused->message, when.refused->code};
  decision decided = decide(p, rt.org(), current, cmd, rt.moment_for(p, when.at));
  if (!decided) return {outcome::status::refused, current.id, {}, decided.refused->message, decided.refused->code};
  record_clamp(when, &decided);

  // As runtime::commit, plus the blob in the same transaction.
  commit_request request;
  request.definition = &p;
  request.expected_seq = current.seq;
  request.events = with_deadlines(p, rt.calendar_for(p), current, std::move(decided.events), when.at);
  case_state next = current;
  for (const auto& e : request.events) next = apply(p, std::move(next), e);
  request.resulting_state = std::move(next);
  request.blobs.push_back({cmd.attachment.digest, std::move(bytes)});
  commit_result stored = rt.write(std::move(request));
  switch (stored.status) {
    case commit_status::committed:
      return {outcome::status::done, stored.case_id, std::move(stored.events), "", std::nullopt};
    case commit_status::conflict:
      return {outcome::status::conflict, current.id, {}, stored.message + "; nothing was written, safe to retry",
              std::nullopt};
    case commit_status::id_taken:
    case commit_status::already_opened: break;
  }
  return {outcome::status::refused, current.id, {}, stored.message, refusal_code::invalid_value};
}

std::vector<finding> check_attachments(attachment_store& blobs, event_log& log) {
  std::vector<finding> findings;
  std::map<std::string, std::int64_t, std::less<>> sizes;  // digest -> size of the stored bytes
  blobs.scan_attachments([&](const blob& b) {
    const std::string actual = sha256_hex(b.bytes);
    if (actual != b.digest)
      findings.push_back({"", 0, "attachment",
                          fmt::format("stored blob {} does not match its digest (its bytes hash to {}): it was altered",
                                      b.digest, actual)});
    sizes[b.digest] = static_cast<std::int64_t>(b.bytes.size());
    return true;
  });
  log.scan_events([&](const event& e) {
    if (e.kind != event_kind::attachment_added) return true;
    const std::string digest = e.data.value("digest", "");
    const std::string name = e.data.value("name", "");
    auto it = sizes.find(digest);
    if (it == sizes.end())
      findings.push_back({e.case_id, e.seq, "attachment", fmt::format("the bytes of '{}' ({}) are missing", name, digest)});
    else if (it->second != e.data.value("size", std::int64_t{-1}))
      findings.push_back({e.case_id, e.seq, "attachment",
                          fmt::format("'{}' is recorded with {} bytes but {} are stored", name,
                                      e.data.value("size", std::int64_t{-1}), it->second)});
    return true;
  });
  return findings;
}

}  // namespace caseflow
