// loader/approval_loader.h — internal: reading and checking a step's `approve:` block.
//
// The format is described beside approval_def in caseflow/procedure.h. Problems are recorded
// as diagnostics with the line:col of the offending node; nothing throws. Not thread-safe
// (shares the file's yaml_reader).
#pragma once

#include "caseflow/procedure.h"
#include "base/yaml_reader.h"
#include "handlers/condition_compiler.h"

namespace caseflow::detail {

// Reads `node` (the `approve:` mapping) into step->approval, checks the amount field, roles
// and tier coverage, and adds the implicit actions `approve` (to `approved`) and `reject`
// (to `rejected`, comment required). REQUIRES: the procedure's roles and fields are read.
void read_approval(yaml_reader& in, const YAML::Node& node, const procedure& p, step_def* step,
                   const condition_compiler& compile);

// Checks what needs every step: the targets and the `not_by` steps exist. `node` is the
// `approve:` mapping of `step`.
void check_approval_steps(yaml_reader& in, const YAML::Node& node, const procedure& p, const step_def& step);

}  // namespace caseflow::detail
