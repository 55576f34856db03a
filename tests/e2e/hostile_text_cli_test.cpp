// Hostile input through the real binary (issue 16, "Hostile text" and "Time only moves forward"):
// stored text is escaped in every human output and exact in JSON; explicit case ids follow the
// identifier rule and look like no existing one; a tick fires one rule of a case at most 1,000
// times and says so. The refusals themselves are in the bad-input catalogue (tests/bad_inputs).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::string k_hostile_now = "2026-03-02T10:00+08:00";

// `caseflow --procedures PROCS --db DB --now k_hostile_now args...`
run_result hostile_cf(const scratch_dir& dir, const std::string& procedures, std::vector<std::string> args) {
  std::vector<std::string> all{"--procedures", procedures, "--db", dir.db(), "--now", k_hostile_now};
  all.insert(all.end(), args.begin(), args.end());
  return run_caseflow(all, dir);
}

std::string hostile_must(const scratch_dir& dir, const std::string& procedures, std::vector<std::string> args) {
  const run_result r = hostile_cf(dir, procedures, std::move(args));
  INFO("stderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// The bytes of `text` a terminal would act on: every control character but the line feed, and
// the one-character CSI U+009B; plus any line that starts as a forged verify line.
std::vector<std::string> terminal_hazards(const std::string& text) {
  std::vector<std::string> found;
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\n') || c == 0x7F) found.push_back("control character " + std::to_string(c));
  if (text.find("\xc2\x9b") != std::string::npos) found.push_back("U+009B");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("verified", 0) == 0) found.push_back("a line starting 'verified': " + line);
  return found;
}

TEST_CASE("hostile text: escape sequences, CR and LF in values, notes, attachment names and person names are "
          "escaped in show, history, attachments and org, and exact in JSON") {
  scratch_dir dir;
  // The shipped complaint procedure and an org.yaml where 张伟's name carries an OSC title
  // sequence ending in BEL (YAML "\e" is ESC, "\a" BEL).
  const std::string procs = dir.file("procs");
  std::ifstream complaint(k_processes + "/complaint.yaml", std::ios::binary);
  make_procedures_folder(procs, {{"complaint.yaml", std::string(std::istreambuf_iterator<char>(complaint), {})}});
  {
    std::ifstream in(procs + "/org.yaml", std::ios::binary);
    std::string org(std::istreambuf_iterator<char>(in), {});
    const std::string plain = "{ name: 张伟,";
    REQUIRE(org.find(plain) != std::string::npos);
    org.replace(org.find(plain), plain.size(), "{ name: \"张伟\\e]0;pwned\\a\",");
    std::ofstream(procs + "/org.yaml", std::ios::binary | std::ios::trunc) << org;
  }
  const std::string summary = "漏水\r\nverified: 0 events in 0 cases; head 0\x1b[2K";
  const std::string note = "call back\n\x1b[31mverified: ok";
  const std::string name = "photo\x1b[8m.jpg";
  std::ofstream(dir.file("evidence.jpg"), std::ios::binary) << "jpeg bytes";
  REQUIRE(hostile_must(dir, procs, {"--as", "zhang.wei", "start", "complaint", "--set", "customer=张三", "--set",
                                    "channel=phone", "--set", "summary=" + summary}) == "TS-2026-00001\n");
  hostile_must(dir, procs, {"--as", "zhang.wei", "note", "TS-2026-00001", note});
  const std::string attached = hostile_must(dir, procs, {"--as", "zhang.wei", "attach", "TS-2026-00001",
                                                         dir.file("evidence.jpg"), "--name", name, "--note", "tab\there"});
  const std::string show = hostile_must(dir, procs, {"show", "TS-2026-00001"});
  const std::string history = hostile_must(dir, procs, {"history", "TS-2026-00001"});
  const std::string attachments = hostile_must(dir, procs, {"attachments", "TS-2026-00001"});
  const std::string org = hostile_must(dir, procs, {"org"});
  for (const auto& [what, out] : std::vector<std::pair<std::string, std::string>>{
           {"attach", attached}, {"show", show}, {"history", history}, {"attachments", attachments}, {"org", org}}) {
    INFO(what, ":\n", out);
    CHECK(terminal_hazards(out) == std::vector<std::string>{});
  }
  // Each escape as text_output.h writes it: \r \n, ESC as \x1b, BEL as \x07, tab as \t.
  const std::string summary_shown = "漏水\\r\\nverified: 0 events in 0 cases; head 0\\x1b[2K";
  CHECK(contains(show, "summary 投诉内容"));
  CHECK(contains(show, summary_shown + "\n"));
  // The opening's fields in name order, with complaint.yaml's defaults (company_fault true,
  // complainants 1, kind quality, repeat false, severity general).
  CHECK(contains(history, "opened in intake [channel=phone, company_fault=true, complainants=1, customer=张三, "
                          "kind=quality, repeat=false, severity=general, summary=" + summary_shown + "]\n"));
  CHECK(contains(history, "note “call back\\n\\x1b[31mverified: ok”\n"));
  CHECK(contains(attachments, "photo\\x1b[8m.jpg"));
  CHECK(contains(attachments, "tab\\there\n"));
  CHECK(contains(attached, "TS-2026-00001: attached photo\\x1b[8m.jpg (10 bytes, sha256 "));
  CHECK(contains(org, "张伟\\x1b]0;pwned\\x07"));
  // JSON is exact: the same values, byte for byte.
  const auto shown = nlohmann::json::parse(hostile_must(dir, procs, {"--json", "show", "TS-2026-00001"}));
  CHECK(shown["fields"]["summary"] == summary);
  const auto events = nlohmann::json::parse(hostile_must(dir, procs, {"--json", "history", "TS-2026-00001"}))["events"];
  REQUIRE(events.size() >= 2);
  CHECK(std::any_of(events.begin(), events.end(), [&](const auto& e) { return e.value("comment", "") == note; }));
  const auto listed = nlohmann::json::parse(hostile_must(dir, procs, {"--json", "attachments", "TS-2026-00001"}));
  REQUIRE(listed["attachments"].size() == 1);
  CHECK(listed["attachments"][0]["name"] == name);
}

TEST_CASE("identifiers: an explicit case id that looks like an existing one is refused, naming it; others open") {
  scratch_dir dir;
  const std::vector<std::string> complaint{"--as", "zhang.wei", "start", "complaint", "--set", "customer=张三",
                                           "--set", "channel=phone", "--set", "summary=漏水", "--id"};
  auto start_as = [&](const std::string& id) {
    auto args = complaint;
    args.push_back(id);
    return args;
  };
  REQUIRE(hostile_must(dir, k_processes, start_as("ACME-10")) == "ACME-10\n");
  // ACME-1O (letter O), acme-l0 (letter l) and Acme-I0 all fold to acme-10.
  for (const std::string look_alike : {"ACME-1O", "acme-l0", "Acme-I0"})
    check_refused(dir.db(), [&] { return hostile_cf(dir, k_processes, start_as(look_alike)); },
                  "caseflow: case id '" + look_alike +
                      "' looks like the existing case ACME-10 (ids are compared ignoring case, O/0 and l/1/I); "
                      "choose another\n");
  // ACME-100 and ACME-11 do not fold to acme-10.
  CHECK(hostile_must(dir, k_processes, start_as("ACME-100")) == "ACME-100\n");
  CHECK(hostile_must(dir, k_processes, start_as("ACME-11")) == "ACME-11\n");
}

TEST_CASE("tick: one rule of a case fires at most 1,000 times in one tick, which says so; the next tick goes on") {
  scratch_dir dir;
  // A property complaint opened on 2026-03-02 at 10:00, dispatched at once and never handled.
  // Its daily progress reply (an obligation of handling, every day before 17:00) is breached
  // every day from 2026-03-02; by 2029-03-10T10:00 that is every day from 2026-03-02 to
  // 2029-03-09: 3 years of 365 days plus 2028-02-29, plus 7 days, plus the first = 1096 + 7 + 1 =
  // 1104 firings. Besides it, the two limits of handling (12h, 24h) and escalate_to_supervisor
  // (24h) fire once each.
  REQUIRE(hostile_must(dir, k_processes, {"--as", "jiang.tao", "start", "property_complaint", "--set", "owner=业主",
                                          "--set", "unit=1-101", "--set", "channel=phone", "--set", "complaint=噪音"}) ==
          "WY-20260302-001\n");
  hostile_must(dir, k_processes, {"--as", "jiang.tao", "do", "WY-20260302-001", "dispatch", "--set", "department=engineering"});
  const std::string later = "2029-03-10T10:00+08:00";
  const run_result first = run_caseflow({"--procedures", k_processes, "--db", dir.db(), "--now", later, "tick"}, dir);
  INFO("stderr: ", first.err);
  REQUIRE(first.exit_code == 0);
  // 1000 of daily_progress and the three single ones; the rule stops at the bound and says so.
  CHECK(contains(first.out, "\nfired 1003 timers; skipped 0\n"
                            "WY-20260302-001: handling.daily_progress fired 1000 times, the most one tick fires for one rule of "
                            "a case; the next tick goes on\n"));
  // The next tick fires the other 104 and is not bounded.
  const run_result second =
      run_caseflow({"--json", "--procedures", k_processes, "--db", dir.db(), "--now", later, "tick"}, dir);
  REQUIRE(second.exit_code == 0);
  const auto report = nlohmann::json::parse(second.out);
  CHECK(report["fired"] == 104);
  CHECK(report["capped"] == nlohmann::json::array());
  std::size_t daily = 0;
  for (const auto& e : report["events"])
    if (e["kind"] == "timer_fired" && e["data"]["rule"] == "handling.daily_progress") ++daily;
  CHECK(daily == 104);
}

// Text that is not UTF-8 (a value typed in another encoding, a file saved as GBK) is refused
// where it enters, naming where; it used to end in "internal error: [json.exception.type_error.316]".
TEST_CASE("utf-8: an argument or a YAML file that is not UTF-8 is refused, naming where, and writes nothing") {
  cli_session s;
  const std::string id = s.start("zhang.wei", "2026-03-02T10:00+08:00", "complaint",
                                 {"customer=张三", "channel=phone", "summary=漏水"});
  // "张" in GBK is D5 C5, which is not UTF-8.
  // argv: --procedures P --db D --as U --now T note ID TEXT: the text is argument 11.
  s.refused("zhang.wei", "2026-03-02T10:01+08:00", {"note", id, "\xd5\xc5三来电"},
            "caseflow: argument 11 ('\\xd5\\xc5三来电') is not UTF-8 text (byte 1); caseflow reads UTF-8 only\n", 2);
  const std::string folder = s.dir().file("gbk");
  make_procedures_folder(folder, {{"gbk.yaml", "procedure: gbk\nname: { zh: \"\xd5\xc5\" }\n"}});
  const run_result r = run_caseflow({"validate", folder + "/gbk.yaml"}, s.dir());
  CHECK(r.exit_code == 1);
  // `name: { zh: "` is 13 characters: the byte is in column 14.
  CHECK(r.err == folder + "/gbk.yaml:2:14: the byte 0xD5 here is not UTF-8; caseflow reads UTF-8 text only\n");
}

}  // namespace
}  // namespace caseflow::test
