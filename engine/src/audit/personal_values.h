// audit/personal_values.h — internal: holding a case's stored personal values to its log, for
// verify (caseflow/verify.h).
#pragma once

#include <vector>

#include "caseflow/chain.h"
#include "caseflow/store.h"

namespace caseflow::detail {

// Findings (rule "personal") for the case `case_id` whose events as stored are `stored` and
// whose personal_data rows are `rows`: a digest an event holds with no row for that case and
// field; a row no event holds; a kept value that does not match its digest under its key, or
// has no key; a value gone (or its key kept) without a personal_data_erased event naming its
// field; an erased value whose key is still stored.
std::vector<finding> check_personal_values(const std::string& case_id, const std::vector<event>& stored,
                                           const std::vector<personal_value>& rows);

}  // namespace caseflow::detail
