#include "context.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "acting_user.h"
#include "caseflow/actions.h"
#include "caseflow/calendar_references.h"

namespace caseflow::cli {

[[noreturn]] void fail_with(const diagnostics& problems, std::string_view what) {
  std::string message = fmt::format("cannot load {}:", what);
  for (const auto& d : problems)
    if (d.level == diagnostic_level::error) message += "\n  " + to_string(d);
  throw command_failure{k_exit_refused, message + "\n  (run `caseflow validate` for details)"};
}

void context::load_definitions() {
  if (library_) return;
  loaded_definitions loaded = resolve_definitions();
  library_ = std::move(loaded.library);
  org_ = std::move(loaded.org);
  calendars_ = std::move(loaded.calendars);
}

const procedure_library& context::library() {
  load_definitions();
  return *library_;
}

const organisation& context::org() {
  load_definitions();
  return *org_;
}

const calendar_set& context::calendars() {
  load_definitions();
  return *calendars_;
}

caseflow::store& context::store(bool must_exist) {
  if (!store_) {
    store_ = std::make_unique<lazy_store>(options_.db, options_.read_only, !options_.now.empty());
    // Notifications become outbox rows in the transaction that records them (outbox.h).
    store_->set_outbox_router([this](const procedure& p, const case_state& state, const event& e) {
      if (e.kind != event_kind::notification_requested) return std::vector<outbound_message>{};
      auto route = actions::make_notification_router(handlers(), org(), [this](const procedure& q) -> const calendar* {
        return q.calendar.empty() ? nullptr : calendars().find(q.calendar);
      });
      return route(p, state, e);
    });
  }
  if (must_exist && !store_->exists())
    throw command_failure{k_exit_refused, fmt::format("no database at {} (set --db or CASEFLOW_DB)", options_.db)};
  return *store_;
}

const handler_registry& context::handlers() {
  if (!handlers_) {
    auto registry = std::make_unique<handler_registry>();
    actions::register_builtins(*registry, actions::delivery_config_from_env());
    if (!options_.plugins.empty())
      if (auto error = actions::load_plugins(*registry, options_.plugins); !error.empty())
        throw command_failure{k_exit_refused, error};
    handlers_ = std::move(registry);
  }
  return *handlers_;
}

caseflow::runtime& context::runtime() {
  if (!runtime_) {
    runtime_ = std::make_unique<caseflow::runtime>(store(), library(), org(), &calendars());
    runtime_->set_handlers(&handlers());
  }
  return *runtime_;
}

instant context::now() const {
  if (!options_.now.empty()) {
    auto t = parse_instant(options_.now);
    if (!t && outside_time_range(options_.now))
      throw command_failure{k_exit_usage, "--now " + out_of_range_message(options_.now)};
    if (!t)
      throw command_failure{k_exit_usage, fmt::format("--now '{}' is not an ISO-8601 time with a zone, e.g. "
                                                      "2026-02-13T17:50+08:00", options_.now)};
    return *t;
  }
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return instant{std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count()};
}

civil_date context::today() const {
  const std::int64_t seconds = now().seconds;
  return civil_date{static_cast<std::int32_t>(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)};
}

std::string context::user() {
  std::string self;
  const std::string actor = user_in(org(), &self);
  // An admin acting as someone else: every event written for them records who entered it.
  if (!self.empty() && self != actor) runtime().set_entered_by(self);
  return actor;
}

std::string context::user_in(const organisation& org, std::string* self) const {
  std::string ignored;
  if (options_.bind_os_user || org.binds_os_user())
    return bound_actor(org, os_login(), options_.as, self ? self : &ignored);
  if (options_.as.empty())
    throw command_failure{k_exit_usage, "who is acting? give --as USER or set CASEFLOW_USER"};
  return options_.as;
}

std::string context::format_time(instant t, const procedure* p) {
  if (p && !p->calendar.empty())
    if (const calendar* cal = calendars().find(p->calendar)) return cal->format_local(t);
  return format_instant_utc(t);
}

void print_json(const nlohmann::json& j) { std::cout << j.dump(2) << '\n'; }

void print_line(std::string_view line) { std::cout << terminal_text(line) << '\n'; }

std::string table::str() const {
  std::vector<std::vector<std::string>> rows;  // each cell escaped for the terminal
  for (const auto& row : rows_) {
    rows.emplace_back();
    for (const auto& cell : row) rows.back().push_back(terminal_text(cell));
  }
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
    }
    out += line + '\n';
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_sets(const std::vector<std::string>& items) {
  std::vector<std::pair<std::string, std::string>> sets;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw command_failure{k_exit_usage, fmt::format("--set '{}': write it as name=value", item)};
    sets.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return sets;
}

int report_outcome(const outcome& result) {
  switch (result.result) {
    case outcome::status::done: return k_exit_done;
    case outcome::status::refused:
    case outcome::status::not_found:
      std::cerr << "caseflow: " << terminal_text(result.message, /*keep_newlines=*/true) << '\n';
      return k_exit_refused;
    case outcome::status::conflict:
    case outcome::status::already_opened:
      std::cerr << "caseflow: " << terminal_text(result.message, /*keep_newlines=*/true) << '\n';
      return k_exit_conflict;
  }
  return k_exit_refused;
}

int guarded(const global_options& options, const std::function<int(context&)>& body) {
  try {
    context ctx(options);
    return body(ctx);
  } catch (const command_failure& failure) {
    std::cerr << "caseflow: " << terminal_text(failure.message, /*keep_newlines=*/true) << '\n';
    return failure.code;
  } catch (const store_error& e) {
    std::cerr << "caseflow: " << terminal_text(e.what(), /*keep_newlines=*/true) << '\n';
    return k_exit_refused;
  } catch (const std::exception& e) {
    std::cerr << "caseflow: internal error: " << terminal_text(e.what(), /*keep_newlines=*/true) << '\n';
    return k_exit_refused;
  }
}

}  // namespace caseflow::cli
