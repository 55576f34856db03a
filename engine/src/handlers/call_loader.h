// handlers/call_loader.h — internal: reading the handler calls of a procedure's hooks and
// checking them against the known handlers. See procedure.h handler_call.
#pragma once

#include <string>
#include <string_view>

#include "caseflow/procedure.h"
#include "base/yaml_reader.h"
#include "handlers/condition_compiler.h"

namespace caseflow {
class handler_registry;
}

namespace caseflow::detail {

// Reads a hook: a list of maps (`- notify: { … }`), each naming one or more handlers and
// optionally `when:`, a guard compiled with `compile` and given to every call of its map
// (procedure.h handler_call). Records shape errors in `in`: an item that is not a map, a `when`
// that is not text, an item with `when` and no handler.
handler_calls read_handler_calls(yaml_reader& in, const YAML::Node& node, std::string_view where,
                                 const condition_compiler& compile);

// Checks every call in `p`: an unknown handler name is an error (with a did-you-mean), and
// each handler's validate_in() message becomes an error at the call's line:col.
void check_handler_calls(const procedure& p, const handler_registry& handlers, diagnostics* out);

// Every hook of `p` with its calls, named as in messages ("on_enter of step 'x'", …).
struct hook_calls {
  std::string where;
  const handler_calls* calls;
};
std::vector<hook_calls> all_hooks(const procedure& p);

}  // namespace caseflow::detail
