// caseflow audit CASE [--format text|json|html] — the case's timeline for an auditor (see
// caseflow/audit.h): steps entered and left, who acted in which role and for whom, working
// time against each limit, breaches, approvals, notifications and evidence. The HTML page
// is self-contained: inline CSS, no scripts, nothing fetched.
#include <fmt/format.h>

#include <iostream>

#include "caseflow/audit.h"
#include "caseflow/text_output.h"
#include "caseflow/erasure.h"
#include "commands.h"

namespace caseflow::cli {

namespace {

struct audit_options {
  std::string case_id;
  std::string format = "text";
};

// Renders the timeline's times in the procedure's zone.
class renderer {
 public:
  renderer(context& ctx, const procedure& p, const nlohmann::json& t) : ctx_(ctx), p_(p), t_(t) {}

  std::string time(const nlohmann::json& utc) const {
    if (!utc.is_string()) return "-";
    auto at = parse_instant(utc.get<std::string>());
    return at ? ctx_.format_time(*at, &p_) : "-";
  }

  static std::string hours(const nlohmann::json& seconds) {
    const std::int64_t s = seconds.is_number() ? seconds.get<std::int64_t>() : 0;
    return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
  }

  static std::string who(const nlohmann::json& act) {
    std::string out = act.value("actor", "");
    if (!act.value("role", "").empty()) out += " as " + act.value("role", "");
    if (!act.value("on_behalf_of", "").empty()) out += " for " + act.value("on_behalf_of", "");
    return out;
  }

  static std::string what(const nlohmann::json& act) {
    const std::string kind = act.value("kind", "");
    if (kind == "action_taken") return fmt::format("{} → {}", act.value("action", ""), act.value("to", ""));
    return kind;
  }

  std::string text() const {
    std::string out = fmt::format("Case {} — {} {}, now in {}{}\n", t_["case"].get<std::string>(), p_.id, p_.version,
                                  t_["step"].get<std::string>(), t_["open"].get<bool>() ? "" : " (closed)");
    for (const auto& v : t_["visits"]) {
      out += fmt::format("\n{} ({})  entered {} [#{}]  left {}  working time {}\n", v["name"].get<std::string>(),
                         v["step"].get<std::string>(), time(v["entered"]), v["entered_seq"].dump(), time(v["left"]),
                         hours(v["working_seconds"]));
      for (const auto& l : v["limits"])
        out += fmt::format("  limit {}: due {}, allowed {}{}\n", l["rule"].get<std::string>(), time(l["due"]),
                           hours(l["allowed_working_seconds"]), l["breached"].get<bool>() ? " — BREACHED" : "");
      for (const auto& o : v.value("obligations", nlohmann::json::array()))
        out += fmt::format("  obligation {}: due {}, {}\n", o.value("rule", ""), time(o["due"]),
                           o.value("outcome", "") == "met" ? "met at " + time(o["met_at"]) : "BREACHED");
      for (const auto& a : v["acts"])
        out += fmt::format("  #{} {} {}: {}{}\n", a["seq"].dump(), time(a["at"]), who(a), what(a),
                           a.value("comment", "").empty() ? "" : fmt::format(" “{}”", a.value("comment", "")));
    }
    out += section("Breaches", t_["breaches"], [&](const nlohmann::json& b) {
      return fmt::format("#{} {} {} (due {})", b["seq"].dump(), time(b["at"]), b.value("rule", ""), time(b["due"]));
    });
    out += section("Approvals", t_["approvals"], [&](const nlohmann::json& a) {
      return fmt::format("#{} {} {}: {} {}", a["seq"].dump(), time(a["at"]), who(a), a.value("kind", ""), a.value("action", ""));
    });
    out += section("Notifications", t_["notifications"], [&](const nlohmann::json& n) {
      return fmt::format("#{} {} to {}: {}", n["seq"].dump(), time(n["at"]), n["to"].dump(), n.value("message", ""));
    });
    out += section("Attachments", t_["attachments"], [&](const nlohmann::json& a) {
      return fmt::format("#{} {} {} by {} ({} bytes, sha256 {})", a["seq"].dump(), time(a["at"]), a.value("name", ""),
                         a.value("actor", ""), a["size"].dump(), a.value("digest", ""));
    });
    return out;
  }

  std::string html() const {
    std::string out = R"(<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>)" +
                      html_escape("Audit " + t_["case"].get<std::string>()) + R"(</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.breach{color:#b00020;font-weight:bold}.muted{color:#777}
</style></head><body>
)";
    out += fmt::format("<h1>Case {}</h1>\n<p>{} {} — now in <b>{}</b>{}; as of {}</p>\n",
                       html_escape(t_["case"].get<std::string>()), html_escape(p_.name.preferred(p_.id)),
                       html_escape(p_.version), html_escape(t_["step"].get<std::string>()),
                       t_["open"].get<bool>() ? "" : " (closed)", html_escape(time(t_["as_of"])));
    for (const auto& v : t_["visits"]) {
      out +=
          fmt::format("<h2>{} <span class=\"muted\">({})</span></h2>\n<p>entered {} · left {} · working time {}</p>\n",
                      html_escape(v["name"].get<std::string>()), html_escape(v["step"].get<std::string>()),
                      html_escape(time(v["entered"])), html_escape(time(v["left"])), hours(v["working_seconds"]));
      if (!v["limits"].empty()) {
        out += "<table><tr><th>limit</th><th>due</th><th>allowed</th><th>status</th></tr>\n";
        for (const auto& l : v["limits"])
          out +=
              fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", html_escape(l.value("rule", "")),
                          html_escape(time(l["due"])), hours(l["allowed_working_seconds"]),
                          l["breached"].get<bool>() ? "<span class=\"breach\">breached</span>" : "kept");
        out += "</table>\n";
      }
      if (!v.value("obligations", nlohmann::json::array()).empty()) {
        out += "<table><tr><th>obligation</th><th>due</th><th>status</th></tr>\n";
        for (const auto& o : v["obligations"])
          out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", html_escape(o.value("rule", "")),
                             html_escape(time(o["due"])),
                             o.value("outcome", "") == "met" ? html_escape("met at " + time(o["met_at"]))
                                                             : "<span class=\"breach\">breached</span>");
        out += "</table>\n";
      }
      out += "<table><tr><th>#</th><th>time</th><th>who</th><th>what</th><th>comment</th></tr>\n";
      for (const auto& a : v["acts"])
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", a["seq"].dump(),
                           html_escape(time(a["at"])), html_escape(who(a)), html_escape(what(a)),
                           html_escape(a.value("comment", "")));
      out += "</table>\n";
    }
    out += html_list("Breaches", t_["breaches"], [&](const nlohmann::json& b) {
      return fmt::format("<span class=\"breach\">{}</span> at {} (due {})", html_escape(b.value("rule", "")),
                         html_escape(time(b["at"])), html_escape(time(b["due"])));
    });
    out += html_list("Approvals", t_["approvals"], [&](const nlohmann::json& a) {
      return html_escape(
          fmt::format("{} {}: {} {}", time(a["at"]), who(a), a.value("kind", ""), a.value("action", "")));
    });
    out += html_list("Notifications", t_["notifications"], [&](const nlohmann::json& n) {
      return html_escape(fmt::format("{} to {}: {}", time(n["at"]), n["to"].dump(), n.value("message", "")));
    });
    out += html_list("Attachments", t_["attachments"], [&](const nlohmann::json& a) {
      return html_escape(fmt::format("{} {} by {} ({} bytes, sha256 {})", time(a["at"]), a.value("name", ""),
                                     a.value("actor", ""), a["size"].dump(), a.value("digest", "")));
    });
    return out + "</body></html>\n";
  }

 private:
  template <typename Line>
  static std::string section(std::string_view title, const nlohmann::json& items, Line line) {
    if (items.empty()) return "";
    std::string out = fmt::format("\n{}:\n", title);
    for (const auto& item : items) out += "  " + line(item) + "\n";
    return out;
  }

  template <typename Line>
  static std::string html_list(std::string_view title, const nlohmann::json& items, Line line) {
    if (items.empty()) return "";
    std::string out = fmt::format("<h2>{}</h2>\n<ul>\n", title);
    for (const auto& item : items) out += "<li>" + line(item) + "</li>\n";
    return out + "</ul>\n";
  }

  context& ctx_;
  const procedure& p_;
  const nlohmann::json& t_;
};

int run_audit(context& ctx, const audit_options& opts) {
  ctx.store(/*must_exist=*/true);
  auto loaded = ctx.runtime().load(opts.case_id);
  if (!loaded) throw command_failure{k_exit_refused, fmt::format("no case '{}'", opts.case_id)};
  const procedure& p = *loaded->definition;
  auto events = ctx.store().case_events(opts.case_id);
  mark_erased(events);
  const nlohmann::json timeline = audit_timeline(p, ctx.runtime().calendar_for(p), events, ctx.now());
  const renderer r(ctx, p, timeline);
  if (ctx.options().json || opts.format == "json") print_json(timeline);
  else if (opts.format == "html") std::cout << r.html();
  else std::cout << terminal_text(r.text(), /*keep_newlines=*/true);
  return k_exit_done;
}

}  // namespace

void setup_audit(CLI::App& app, const global_options& options, int* exit) {
  auto opts = std::make_shared<audit_options>();
  auto* sub = app.add_subcommand("audit", "the case's timeline: steps, actors and roles, time against limits, breaches");
  sub->fallthrough();
  sub->add_option("case", opts->case_id, "case id")->required();
  sub->add_option("--format", opts->format, "text, json or html")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->capture_default_str();
  sub->callback([&options, opts, exit] { *exit = guarded(options, [&](context& ctx) { return run_audit(ctx, *opts); }); });
}

}  // namespace caseflow::cli
