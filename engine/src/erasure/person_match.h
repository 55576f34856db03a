// erasure/person_match.h — internal: how `erase --person VALUE` compares a stored value with
// the one an administrator typed. Pure; thread-safe.
//
// Same person: equal after Unicode NFKC normalisation and trimming white space at both ends
// ("１３８００１３８０００ " and "13800138000" are the same). Near match: not the same, but equal
// once case is folded and everything but letters and digits is dropped ("138-0013-8000",
// "ZHANG san"), or one letter or digit apart when at least six remain (a typing slip) — reported
// so the administrator can check, never erased on that ground.
#pragma once

#include <string>
#include <string_view>

namespace caseflow::detail {

// NFKC, trimmed: the form two values of one person share.
std::string lookup_form(std::string_view text);

enum class person_match { none, same, near };

// How `stored` compares with `wanted` (both as typed or stored, not yet normalised).
person_match match_person(std::string_view wanted, std::string_view stored);

}  // namespace caseflow::detail
