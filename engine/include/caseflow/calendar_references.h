// caseflow/calendar_references.h — a procedure's `calendar:` must name a loaded calendar.
//
// Procedures and calendars load separately (a procedure file alone does not know the
// calendars folder), so the reference is checked once both are loaded: by `validate` and
// before any command uses the procedures. Pure; thread-safe.
#pragma once

#include "caseflow/calendar.h"
#include "caseflow/diagnostic.h"
#include "caseflow/procedure.h"

namespace caseflow {

// Records an error at the procedure's `calendar:` value (file:line:col) when `calendars`
// has no calendar of that id.
void check_calendar_reference(const procedure& p, const calendar_set& calendars, diagnostics* out);

}  // namespace caseflow
