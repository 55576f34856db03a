// commands.h — the list of subcommands main() wires; each is defined in its own file.
#pragma once

#include <vector>

#include "caseflow/outbox_dispatch.h"
#include "context.h"

namespace caseflow::cli {

void setup_validate(CLI::App& app, const global_options& options, int* exit);
void setup_procedures(CLI::App& app, const global_options& options, int* exit);
void setup_start(CLI::App& app, const global_options& options, int* exit);
void setup_do(CLI::App& app, const global_options& options, int* exit);
void setup_assign(CLI::App& app, const global_options& options, int* exit);
void setup_note(CLI::App& app, const global_options& options, int* exit);
void setup_show(CLI::App& app, const global_options& options, int* exit);
void setup_list(CLI::App& app, const global_options& options, int* exit);
void setup_history(CLI::App& app, const global_options& options, int* exit);
void setup_org(CLI::App& app, const global_options& options, int* exit);
void setup_verify(CLI::App& app, const global_options& options, int* exit);
void setup_graph(CLI::App& app, const global_options& options, int* exit);
void setup_calendar(CLI::App& app, const global_options& options, int* exit);
void setup_import(CLI::App& app, const global_options& options, int* exit);
void setup_tick(CLI::App& app, const global_options& options, int* exit);
void setup_run(CLI::App& app, const global_options& options, int* exit);
void setup_schedule(CLI::App& app, const global_options& options, int* exit);
void setup_dispatch(CLI::App& app, const global_options& options, int* exit);
void setup_outbox(CLI::App& app, const global_options& options, int* exit);
void setup_replay(CLI::App& app, const global_options& options, int* exit);
void setup_audit(CLI::App& app, const global_options& options, int* exit);
void setup_attach(CLI::App& app, const global_options& options, int* exit);
void setup_attachments(CLI::App& app, const global_options& options, int* exit);  // attachments, attachment get
void setup_export(CLI::App& app, const global_options& options, int* exit);
void setup_report(CLI::App& app, const global_options& options, int* exit);
void setup_erase(CLI::App& app, const global_options& options, int* exit);
void setup_admin(CLI::App& app, const global_options& options, int* exit);  // admin mark-virtual
void setup_deploy(CLI::App& app, const global_options& options, int* exit);  // deploy, deployments

// One delivery pass over the outbox (cmd_dispatch.cpp); `run` calls it on every loop.
dispatch_report dispatch_pass(context& ctx);
void print_dispatch(const dispatch_report& report);

inline std::vector<command_setup> all_commands() {
  return {setup_validate, setup_procedures, setup_start, setup_do,     setup_assign, setup_note,    setup_show,
          setup_list,     setup_history,    setup_org,   setup_verify, setup_graph,  setup_calendar,
          setup_import,   setup_tick,       setup_run,  setup_schedule, setup_dispatch, setup_outbox,
          setup_replay,   setup_audit,      setup_attach, setup_attachments, setup_export,
          setup_report,   setup_erase,      setup_admin,  setup_deploy};
}

}  // namespace caseflow::cli
