// Chain formats (caseflow/chain.h): the canonical text of each format, pinned byte for byte, and
// its SHA-256 worked out apart from caseflow (`printf '%s' TEXT | sha256sum`), so a change to
// the canonical writer that would orphan stored hashes cannot pass unnoticed.
#include <string>

#include <doctest/doctest.h>

#include "caseflow/chain.h"
#include "caseflow/hash.h"

namespace caseflow {
namespace {

// The event both formats are pinned on: strings that need JSON escaping, a non-ASCII value.
event pinned_event(int format) {
  event e;
  e.format = format;
  e.id = 7;
  e.case_id = "TS-2026-00001";
  e.seq = 3;
  e.at = instant{1'771'000'000};  // 2026-02-13T16:26:40Z
  e.actor = "zhang.wei";
  e.role = "cs_specialist";
  e.kind = "action_taken";
  e.action = "forward";
  e.from_step = "intake";
  e.to_step = "handling";
  e.branch = "answer[engineering]";
  e.data = {{"fields", {{"summary", "漏水 \"3栋\"\n"}}}};
  e.comment = "已转交\t";
  e.definition_hash = "abc";
  e.org_version = "0f1e";
  e.prev_hash = "def";
  return e;
}

TEST_CASE("chain format 1: the columns of the first schema, keys sorted, data re-serialised") {
  const event e = pinned_event(1);
  // Branch and organisation are not part of format 1: the events written before them keep
  // the hashes they were written with.
  CHECK(canonical_event(e) ==
        R"({"action":"forward","actor":"zhang.wei","at":"2026-02-13T16:26:40Z","case":"TS-2026-00001",)"
        R"("comment":"已转交\t","data":{"fields":{"summary":"漏水 \"3栋\"\n"}},"definition":"abc","from":"intake",)"
        R"("id":7,"kind":"action_taken","on_behalf_of":"","prev":"def","role":"cs_specialist","seq":3,"to":"handling"})");
  CHECK(event_hash(e) == "0547eda129e3f25ce086dc325244d020fe1fa7113e8e17e4c7e36131d315f659");
}

TEST_CASE("chain format 2: adds branch, format and organisation version") {
  const event e = pinned_event(2);
  CHECK(canonical_event(e) ==
        R"({"action":"forward","actor":"zhang.wei","at":"2026-02-13T16:26:40Z","branch":"answer[engineering]",)"
        R"("case":"TS-2026-00001","comment":"已转交\t","data":{"fields":{"summary":"漏水 \"3栋\"\n"}},)"
        R"("definition":"abc","format":2,"from":"intake","id":7,"kind":"action_taken","on_behalf_of":"",)"
        R"("org":"0f1e","prev":"def","role":"cs_specialist","seq":3,"to":"handling"})");
  CHECK(event_hash(e) == "97edea9345edcb99b821bacd212098295c4e5b97239d35c96cdc2da83ac360a7");
  CHECK(k_chain_format == 2);
}

TEST_CASE("chain format 2 hashes the data column's bytes as stored") {
  event e = pinned_event(2);
  const std::string honest = event_hash(e);
  e.data_text = e.data.dump();
  CHECK(event_hash(e) == honest);
  // A duplicate key parses to the same object (the last one wins) but is other bytes, which an
  // SQL reader may read the other way: the hash changes.
  e.data_text = R"({"fields":{"summary":"forged","summary":"漏水 \"3栋\"\n"}})";
  CHECK(nlohmann::json::parse(e.data_text) == e.data);
  CHECK(event_hash(e) != honest);
  // Format 1 re-serialised the data, so it could not tell: that is why format 2 exists.
  event old = pinned_event(1);
  const std::string old_hash = event_hash(old);
  old.data_text = R"({"fields":{"summary":"forged","summary":"漏水 \"3栋\"\n"}})";
  CHECK(event_hash(old) == old_hash);
}

}  // namespace
}  // namespace caseflow
