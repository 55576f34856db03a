// Loads a procedure, opens a case in an in-memory store and verifies the log, using only
// the installed public headers of caseflow::engine. Prints "ok <case id>" on success.
#include <iostream>

#include <caseflow/chain.h>
#include <caseflow/loader.h>
#include <caseflow/runtime.h>
#include <caseflow/sqlite_store.h>

int main() {
  const std::string text = R"(procedure: hello
roles: { clerk: Clerk }
fields: { who: { type: text, required: true } }
start: open
steps:
  open: { role: clerk, actions: { finish: done } }
  done: { terminal: true }
)";
  caseflow::diagnostics problems;
  auto p = caseflow::load_procedure_text(text, "hello.yaml", &problems);
  if (!p) {
    for (const auto& d : problems) std::cerr << caseflow::to_string(d) << '\n';
    return 1;
  }
  caseflow::procedure_library library;
  library.add(*p);
  caseflow::organisation org;
  org.add(caseflow::person{"ann", "Ann", {"clerk"}, "", ""});
  caseflow::sqlite_store store(":memory:");
  caseflow::runtime runtime(store, library, org, nullptr);
  caseflow::command cmd;
  cmd.actor = "ann";
  cmd.sets = {{"who", "world"}};
  const auto opened = runtime.start("hello", cmd, caseflow::instant{1'790'000'000});
  if (opened.result != caseflow::outcome::status::done) return 1;
  cmd = {};
  cmd.actor = "ann";
  cmd.action = "finish";
  if (runtime.execute(opened.case_id, cmd, caseflow::instant{1'790'000'060}).result != caseflow::outcome::status::done)
    return 1;
  if (!caseflow::verify_chain(store, store).ok()) return 1;
  std::cout << "ok " << opened.case_id << '\n';
  return 0;
}
