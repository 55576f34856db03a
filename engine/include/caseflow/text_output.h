// caseflow/text_output.h — helpers for text meant for people: terminal widths for aligned
// columns, escaping for terminals and escaping for HTML pages. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace caseflow {

// Columns a UTF-8 string takes in a terminal: East Asian wide characters (CJK, Hangul,
// full-width forms, CJK punctuation) count two, everything else one.
std::size_t display_width(std::string_view utf8);

// `text` made safe to print on a terminal: every value a person or a file supplied (field values,
// notes, comments, attachment names, person and case ids) goes through it in human output, so
// that no stored text can move the cursor, recolour the screen or start a line of its own (a
// forged "verified:" line). JSON output is not escaped: it is exact.
//   \n \r \t      line feed, carriage return, tab
//   \\            a backslash (so that every escape reads back one way)
//   \xHH          any other C0 control character, DEL, and a byte that is not UTF-8
//   \uHHHH        a C1 control character (U+0080..U+009F), a line or paragraph separator
//                 (U+2028, U+2029) and the bidirectional controls (U+061C, U+200E, U+200F,
//                 U+202A..U+202E, U+2066..U+2069), which reorder what the terminal shows
// Everything else, Chinese text included, is kept as it is.
// With `keep_newlines`, a line feed stays a line break (for messages made of several lines).
// Example: terminal_text("ok\n\x1b[32mverified: 1 event") == "ok\\n\\x1b[32mverified: 1 event".
std::string terminal_text(std::string_view text, bool keep_newlines = false);

// The offset of the first byte of `text` that does not start a well-formed UTF-8 sequence (no
// overlong forms, no surrogates, nothing past U+10FFFF); npos when all of it is UTF-8. Text that
// is not UTF-8 is refused where it enters (command-line arguments, YAML files): the log, its JSON
// and its hashes hold UTF-8 only.
std::size_t invalid_utf8_at(std::string_view text);

// `text` with &, <, > and " replaced by their HTML entities (safe in elements and quoted
// attributes).
std::string html_escape(std::string_view text);

}  // namespace caseflow
