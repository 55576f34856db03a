// caseflow attach CASE FILE [--note TEXT] [--name NAME] — keeps evidence with a case,
// content-addressed (SHA-256); caseflow attachments CASE — lists it;
// caseflow attachment get CASE DIGEST|NAME [-o FILE] — writes one out (checked first).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "caseflow/attachments.h"
#include "caseflow/hash.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

struct attach_options {
  std::string case_id;
  std::string file;
  std::string note;
  std::string name;
};

struct get_options {
  std::string case_id;
  std::string which;
  std::string output;
};

nlohmann::json attachment_view(const attachment_info& a) {
  return {{"seq", a.seq},       {"at", format_instant_utc(a.at)}, {"actor", a.actor}, {"name", a.name},
          {"size", a.size},     {"digest", a.digest},             {"note", a.note}};
}

int run_attach(context& ctx, const attach_options& opts) {
  // A folder opens as an empty stream: it would be kept as 0 bytes of evidence.
  if (std::filesystem::is_directory(opts.file))
    throw command_failure{k_exit_refused, fmt::format("{} is a folder: attach one file; nothing was attached", opts.file)};
  std::ifstream in(opts.file, std::ios::binary);
  if (!in) throw command_failure{k_exit_refused, fmt::format("cannot read {}", opts.file)};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const std::string name = opts.name.empty() ? std::filesystem::path(opts.file).filename().string() : opts.name;
  const outcome result =
      attach_evidence(ctx.runtime(), opts.case_id, ctx.user(), name, bytes.str(), opts.note, ctx.now());
  if (result.result != outcome::status::done) return report_outcome(result);
  const event& e = result.events.front();
  const attachment_info a = attachments_of({e}).front();
  if (ctx.options().json) {
    nlohmann::json j = attachment_view(a);
    j["case"] = result.case_id;
    print_json(j);
  } else print_line(fmt::format("{}: attached {} ({} bytes, sha256 {})", result.case_id, a.name, a.size, a.digest));
  return k_exit_done;
}

std::vector<attachment_info> case_attachments(context& ctx, const std::string& case_id) {
  if (!ctx.store(/*must_exist=*/true).load_case(case_id))
    throw command_failure{k_exit_refused, fmt::format("no case '{}'", case_id)};
  return attachments_of(ctx.store().case_events(case_id));
}

int run_attachments(context& ctx, const std::string& case_id) {
  const auto list = case_attachments(ctx, case_id);
  if (ctx.options().json) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& a : list) items.push_back(attachment_view(a));
    print_json({{"case", case_id}, {"attachments", items}});
    return k_exit_done;
  }
  table t({"#", "NAME", "SIZE", "SHA-256", "BY", "TIME", "NOTE"});
  for (const auto& a : list)
    t.add({std::to_string(a.seq), a.name, std::to_string(a.size), a.digest, a.actor, format_instant_utc(a.at), a.note});
  std::cout << t.str();
  return k_exit_done;
}

int run_get(context& ctx, const get_options& opts) {
  const auto list = case_attachments(ctx, opts.case_id);
  const attachment_info* found = nullptr;
  for (const auto& a : list)  // the latest with that name, or the one with that digest
    if (a.digest == opts.which || a.name == opts.which) found = &a;
  if (!found) {
    std::string names;
    for (const auto& a : list) names += (names.empty() ? "" : ", ") + a.name;
    throw command_failure{k_exit_refused, fmt::format("case {} has no attachment '{}'; it has: {}", opts.case_id, opts.which,
                                                      names.empty() ? "none" : names)};
  }
  const auto bytes = ctx.store().attachment(found->digest);
  if (!bytes) throw command_failure{k_exit_verify, fmt::format("the bytes of '{}' ({}) are missing", found->name, found->digest)};
  if (sha256_hex(*bytes) != found->digest)
    throw command_failure{k_exit_verify, fmt::format("the stored bytes of '{}' do not match its digest {}: they were altered",
                                                     found->name, found->digest)};
  if (opts.output.empty() || opts.output == "-") {
    std::cout.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    return k_exit_done;
  }
  std::ofstream out(opts.output, std::ios::binary | std::ios::trunc);
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  if (!out.flush()) throw command_failure{k_exit_refused, fmt::format("cannot write {}", opts.output)};
  return k_exit_done;
}

}  // namespace

void setup_attach(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<attach_options>();
  auto* sub = app.add_subcommand("attach", "keep evidence (photo, recording, signed form) with a case");
  sub->fallthrough();
  sub->add_option("case", opts->case_id, "case id")->required();
  sub->add_option("file", opts->file, "the file to keep")->required();
  sub->add_option("--note", opts->note, "what it is");
  sub->add_option("--name", opts->name, "the name to keep it under (default: the file's name)");
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_attach(ctx, *opts); }); });
}

void setup_attachments(CLI::App& app, const global_options& options, int* exit) {
  auto case_id = std::make_shared<std::string>();
  auto* list = app.add_subcommand("attachments", "the evidence kept with a case");
  list->fallthrough();
  list->add_option("case", *case_id, "case id")->required();
  list->callback([&options, case_id, exit] {
    *exit = guarded(options, [&](context& ctx) { return run_attachments(ctx, *case_id); });
  });

  auto opts = std::make_shared<get_options>();
  auto* one = app.add_subcommand("attachment", "one piece of evidence");
  one->fallthrough();
  one->require_subcommand(1);
  auto* get = one->add_subcommand("get", "write an attachment's bytes out (after checking its digest)");
  get->fallthrough();
  get->add_option("case", opts->case_id, "case id")->required();
  get->add_option("which", opts->which, "its SHA-256 digest or its name")->required();
  get->add_option("-o,--output", opts->output, "the file to write (default: stdout)");
  get->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_get(ctx, *opts); }); });
}

}  // namespace caseflow::cli
