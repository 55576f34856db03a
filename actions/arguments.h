// arguments.h — internal: helpers the built-in handlers share to read their YAML arguments.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "caseflow/procedure.h"

namespace caseflow::actions {

// A scalar argument as typed text ("high", "3", "true"); "" for mappings and lists.
std::string argument_text(const nlohmann::json& v);

// Checks that `text` is a valid value of field `name` of `p` and returns it typed; otherwise
// sets *why ("unknown field 'x'; did you mean 'y'?", "'z' is not one of a | b").
std::optional<value> field_value(const procedure& p, const std::string& name, const std::string& text, std::string* why);

}  // namespace caseflow::actions
