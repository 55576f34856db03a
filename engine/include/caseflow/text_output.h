// caseflow/text_output.h — helpers for text meant for people: terminal widths for aligned
// columns and escaping for HTML pages. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace caseflow {

// Columns a UTF-8 string takes in a terminal: East Asian wide characters (CJK, Hangul,
// full-width forms, CJK punctuation) count two, everything else one.
std::size_t display_width(std::string_view utf8);

// `text` with &, <, > and " replaced by their HTML entities (safe in elements and quoted
// attributes).
std::string html_escape(std::string_view text);

}  // namespace caseflow
