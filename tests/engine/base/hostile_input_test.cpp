// The pure rules against hostile input (issue 16, "Hostile text" and "Time only moves forward"):
// terminal_text (text_output.h), the identifier rule (identifier.h) and the range of dates and
// times (value.h). Expected values are written out by hand from the rules in those headers.
#include <string>

#include <doctest/doctest.h>

#include "caseflow/identifier.h"
#include "caseflow/text_output.h"
#include "caseflow/value.h"

namespace caseflow::test {
namespace {

TEST_CASE("terminal_text: control characters, backslashes, C1 and bidirectional controls become visible escapes") {
  struct row {
    std::string in, out;
  };
  const row rows[] = {
      {"张三 TS-2026-00001", "张三 TS-2026-00001"},                  // ordinary text, Chinese included, as it is
      {"a\nverified: 1 event", "a\\nverified: 1 event"},                // a forged line stays on its line
      {"x\r\ty", "x\\r\\ty"},                                           // CR and tab
      {"\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"},                 // ESC, lower-case hex
      {std::string("a\0b", 3), "a\\x00b"},                            // NUL
      {"\x7f", "\\x7f"},                                                // DEL
      {"C:\\new", "C:\\\\new"},                                         // a backslash doubles: "\n" above reads back one way
      {"\xc2\x9b" "31m", "\\u009b31m"},                                 // U+009B, the one-character CSI
      {"abc\xe2\x80\xae" "fed", "abc\\u202efed"},                       // U+202E RIGHT-TO-LEFT OVERRIDE
      {"\xe2\x80\xa8", "\\u2028"},                                      // LINE SEPARATOR
      {"\xff\xc0\x80", "\\xff\\xc0\\x80"},                              // not UTF-8 (an overlong NUL too): bytes
      {"\xe5\xbc", "\\xe5\\xbc"},                                       // a cut-off character
  };
  for (const auto& r : rows) {
    INFO("input: ", r.in);
    CHECK(terminal_text(r.in) == r.out);
  }
  // For messages of several lines, a line feed can stay a line break; nothing else changes.
  CHECK(terminal_text("one\n\x1b[0mtwo\r", /*keep_newlines=*/true) == "one\n\\x1b[0mtwo\\r");
}

TEST_CASE("identifiers: ASCII letters, digits, '.', '_', '-', starting with a letter or digit, at most 64") {
  CHECK(identifier_problem("TS-2026-00001") == "");
  CHECK(identifier_problem("zhang.wei") == "");
  CHECK(identifier_problem("a_b-c.9") == "");
  CHECK(identifier_problem(std::string(64, 'x')) == "");
  CHECK(identifier_problem(std::string(65, 'x')) == "it has 65 characters, more than 64");
  CHECK(identifier_problem("") == "it is empty");
  CHECK(identifier_problem("TS 1") == "it has ' ' at position 3");
  CHECK(identifier_problem("TS-1 ") == "it has ' ' at position 5");  // a trailing blank
  CHECK(identifier_problem("-TS") == "it starts with '-'");
  CHECK(identifier_problem(".hidden") == "it starts with '.'");
  CHECK(identifier_problem("a\nb") == "it has U+000A at position 2");
  CHECK(identifier_problem("a\x1b[31m") == "it has U+001B at position 2");
  CHECK(identifier_problem("zh\xd0\xb0ng") == "it has U+0430 at position 3");  // Cyrillic а, a homoglyph of a
  CHECK(identifier_problem("张伟") == "it starts with U+5F20");
  CHECK(identifier_problem("a\xff") == "it has the byte 0xFF at position 2");
}

TEST_CASE("identifiers: look-alikes share a key after folding case, O to 0 and l, I to 1") {
  CHECK(look_alike_key("TS-2026-0OO42") == "ts-2026-00042");
  CHECK(look_alike_key("ts-2026-00042") == "ts-2026-00042");
  CHECK(look_alike_key("Li.Na") == "11.na");
  CHECK(look_alike_key("l1.na") == "11.na");
  CHECK(look_alike_key("zhang.wei") == "zhang.we1");
  CHECK(look_alike_key("zhang.wel") == "zhang.we1");
  CHECK(look_alike_key("wang.fang") != look_alike_key("wang.feng"));
}

TEST_CASE("times: dates and times from 1970-01-01 to 9999-12-31 UTC are read; outside they are refused with one message") {
  // The ends themselves: the epoch, and the last second of 9999 (253402300799 = 2932897 days * 86400 - 1).
  CHECK(parse_instant("1970-01-01T00:00Z")->seconds == 0);
  CHECK(parse_instant("9999-12-31T23:59:59Z")->seconds == 253402300799);
  CHECK(parse_instant("9999-12-31T23:59+00:00")->seconds == 253402300740);
  // One second before, one second after, and an offset that moves a time in range out of it.
  CHECK_FALSE(parse_instant("1969-12-31T23:59:59Z"));
  CHECK_FALSE(parse_instant("1970-01-01T07:59+08:00"));    // 1969-12-31T23:59Z
  CHECK_FALSE(parse_instant("9999-12-31T23:00-05:00"));   // 10000-01-01T04:00Z
  CHECK(outside_time_range("1969-12-31T23:59:59Z"));
  CHECK(outside_time_range("1970-01-01T07:59+08:00"));
  CHECK(outside_time_range("9999-12-31T23:00-05:00"));
  CHECK(outside_time_range("10000-01-01"));
  CHECK(outside_time_range("1969-12-31"));
  CHECK_FALSE(outside_time_range("2026-13-01"));  // not a date at all: the ordinary message
  CHECK_FALSE(outside_time_range("tomorrow"));
  std::string why;
  CHECK_FALSE(parse_value(field_type::date, "1969-12-31", &why));
  CHECK(why == "'1969-12-31' is out of range: caseflow handles dates and times from 1970-01-01 to 9999-12-31 UTC");
  CHECK_FALSE(parse_value(field_type::date, "10000-01-01", &why));
  CHECK(why == "'10000-01-01' is out of range: caseflow handles dates and times from 1970-01-01 to 9999-12-31 UTC");
  CHECK_FALSE(parse_value(field_type::datetime, "9999-12-31T23:00-05:00", &why));
  CHECK(why ==
        "'9999-12-31T23:00-05:00' is out of range: caseflow handles dates and times from 1970-01-01 to 9999-12-31 UTC");
  CHECK_FALSE(parse_value(field_type::date, "2026-02-30", &why));
  CHECK(why == "'2026-02-30' is not a date (YYYY-MM-DD)");
  CHECK(parse_value(field_type::date, "9999-12-31", &why));
  CHECK(parse_value(field_type::date, "1970-01-01", &why));
}

}  // namespace
}  // namespace caseflow::test
