// loader/similar_loader.h — internal: reading and checking a procedure's `similar:` block.
//
// The format is described beside similar_def in caseflow/procedure.h. Problems are recorded as
// diagnostics with the line:col of the offending node; nothing throws. Not thread-safe (shares
// the file's yaml_reader).
#pragma once

#include "caseflow/procedure.h"
#include "base/yaml_reader.h"

namespace caseflow::detail {

// Reads `node` (the `similar:` mapping) into p->similar. REQUIRES: the fields are read.
void read_similar(yaml_reader& in, const YAML::Node& node, procedure* p);

}  // namespace caseflow::detail
