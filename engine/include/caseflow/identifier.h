// caseflow/identifier.h — the rule for the ids people type and read aloud: case ids given with
// `start --id` and person ids in org.yaml (DESIGN.md "Identifiers"). Pure.
//
// An id is ASCII `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`: nothing a terminal would hide or move, no
// blank at either end, nothing that reads as another script's letter. A new id is also refused
// when it looks like one that exists: two ids look alike when they are equal after folding case
// and folding O to 0 and l, I (and so i) to 1.
// Example: identifier_problem("TS 1") == "it has ' ' at position 3";
//          look_alike_key("TS-2026-0OO42") == look_alike_key("ts-2026-00042") == "ts-2026-00042".
#pragma once

#include <string>
#include <string_view>

namespace caseflow {

// The rule, as messages state it.
inline constexpr std::string_view k_identifier_rule =
    "ids are 1 to 64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit";
// How look-alikes are found, as messages state it.
inline constexpr std::string_view k_look_alike_rule = "ids are compared ignoring case, O/0 and l/1/I";

// Empty when `id` follows the rule; otherwise what breaks it ("it has U+000A at position 5"),
// naming a character that cannot be shown by its code point.
std::string identifier_problem(std::string_view id);

// The key two look-alike ids share.
std::string look_alike_key(std::string_view id);

}  // namespace caseflow
