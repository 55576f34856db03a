// caseflow/display_width.h — how many terminal columns text takes, for aligned output.
#pragma once

#include <cstddef>
#include <string_view>

namespace caseflow {

// Columns a UTF-8 string takes in a terminal: East Asian wide characters (CJK, Hangul,
// full-width forms, CJK punctuation) count two, everything else one. Pure.
std::size_t display_width(std::string_view utf8);

}  // namespace caseflow
