// handlers/condition_compiler.h — internal: how the procedure loader lends its guard compiler to
// the readers of parts of a procedure (hook calls, approvals). Here, not in loader/, because
// handlers/ reads hook calls and may not depend on loader/.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "caseflow/expression.h"

namespace caseflow::detail {

// Compiles a condition written at `node` against the procedure's guard names, recording errors
// at the condition's file:line:col (prefixed with `what`); nullopt when it does not compile.
using condition_compiler = std::function<std::optional<expression>(const YAML::Node& node, std::string_view what)>;

}  // namespace caseflow::detail
