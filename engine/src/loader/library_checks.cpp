// Checks across the procedures of one library. See caseflow/loader.h (check_library).
#include <regex>

#include <fmt/format.h>

#include "caseflow/loader.h"

namespace caseflow {

namespace {

// Every handler call a procedure makes: hooks, actions, limits, obligations and escalations.
std::vector<const handler_call*> calls_of(const procedure& p) {
  std::vector<const handler_call*> calls;
  auto add = [&](const handler_calls& list) {
    for (const auto& c : list) calls.push_back(&c);
  };
  for (const auto& step : p.steps) {
    add(step.on_enter);
    add(step.on_exit);
    for (const auto& a : step.actions) add(a.run);
    for (const auto& l : step.limits) add(l.on_breach.run);
    for (const auto& o : step.obligations) add(o.on_breach.run);
  }
  for (const auto& e : p.escalations) add(e.effects.run);
  return calls;
}

// The parent field a start_case value copies as it is ("{case.X}" alone), or "". A template that
// quotes a personal field among other text renders it masked (actions/template.cpp), so only a
// whole copy carries the value.
std::string copied_field(const nlohmann::json& value) {
  static const std::regex k_copy(R"(\{case\.([A-Za-z0-9_]+)\})");
  std::smatch m;
  const std::string text = value.is_string() ? value.get<std::string>() : "";
  return std::regex_match(text, m, k_copy) ? m[1].str() : "";
}

}  // namespace

void check_library(const procedure_library& library, diagnostics* out) {
  for (const procedure* p : library.all()) {
    for (const handler_call* call : calls_of(*p)) {
      if (call->handler != "start_case" || !call->args.is_object()) continue;
      const std::string child_id = call->args.value("procedure", "");
      const procedure* child = library.find(child_id);
      if (!child) {
        std::vector<std::string> ids;
        for (const procedure* other : library.all()) ids.push_back(other->id);
        out->push_back({p->file, call->line, call->column,
                        fmt::format("start_case opens procedure '{}', which is not among the procedures loaded with "
                                    "this one{}",
                                    child_id, did_you_mean(child_id, ids)),
                        diagnostic_level::error});
        continue;
      }
      const nlohmann::json fields = call->args.value("fields", nlohmann::json::object());
      for (const auto& [child_field, value] : fields.items()) {
        const std::string name = copied_field(value);
        const field_def* source = p->find_field(name);
        const field_def* target = child->find_field(child_field);
        if (!source || !source->personal || (target && target->personal)) continue;
          out->push_back(
              {p->file, call->line, call->column,
               fmt::format("start_case copies personal field '{}' into field '{}' of {}, which is not personal: the "
                           "value would stay in that case's log after it is erased here (mark '{}' personal: true)",
                           name, child_field, child_id, child_field),
               diagnostic_level::error});
      }
    }
  }
}

}  // namespace caseflow
