// caseflow/similar.h — cross-case rules: similar cases counted from an index, raised together.
//
// A procedure's `similar:` block (see similar_def in procedure.h) says which fields make two
// cases similar, over what window, and which field's distinct values are counted. The store
// keeps one index row per counted case (a keyed digest of the `same` values, the opening time,
// a keyed digest of the `distinct` value), so finding a case's group is an index range read.
// The functions here are pure; the runtime asks the store for the group and commits the raises
// of every case in one transaction with the command that made the case join the group.
// Thread-safe: no shared state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caseflow/calendar.h"
#include "caseflow/core.h"

namespace caseflow {

// What places a case in a group: the `same` values and the `distinct` value, as canonical text
// (format_value). nullopt when the procedure has no `similar:`, a `same` or the `distinct` field
// is unset, or the case is in a terminal step (it no longer counts).
struct similar_signature {
  std::vector<std::string> same;
  std::string distinct;
  bool operator==(const similar_signature&) const = default;
};
std::optional<similar_signature> signature_of(const procedure& p, const case_state& c);

// True when two cases opened at `a` and `b` lie within the window of `def` of each other: the
// later one was opened no later than the earlier one's opening plus `within` (calendar months
// in the calendar's zone; UTC without a calendar).
bool within_window(const similar_def& def, const calendar* cal, instant a, instant b);
// A span that contains the window on either side (for the index range read; exact check after).
std::int64_t window_span_seconds(const similar_def& def);

// The enum values of `raise` that are above the current ones in `fields` (by the order of each
// field's values): raising never lowers a field.
field_values raised_fields(const procedure& p, const field_values& fields, const field_values& raise);

// The events (actor `system`) recording that rule `rule` applies to case `c`: a fields_changed
// event when it raises anything, with data {fields, reason, rule, similar: {count, cases}} where
// `cases` are the other cases of the group. Empty when nothing is raised.
std::vector<event> similar_raise(const procedure& p, const case_state& c, const similar_rule& rule, int count,
                                 const std::vector<std::string>& others, instant now);

}  // namespace caseflow
