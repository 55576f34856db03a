// Folding one case's log for the reports, report periods and where reports read cases.
// See caseflow/reports.h and report_fold.h.
#include "reports/fold.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace caseflow {

namespace {

std::optional<int> number(std::string_view text) {
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return n;
}

civil_date last_day_of_month(int year, unsigned month) {
  return civil_date{(month == 12 ? make_date(year + 1, 1, 1) : make_date(year, month + 1, 1)).days - 1};
}

}  // namespace

std::optional<date_range> parse_month(std::string_view text, int half) {
  if (text.size() != 7 || text[4] != '-' || half < 0 || half > 2) return std::nullopt;
  const auto year = number(text.substr(0, 4));
  const auto month = number(text.substr(5, 2));
  if (!year || !month || *year < 1970 || *month < 1 || *month > 12) return std::nullopt;
  const auto m = static_cast<unsigned>(*month);
  date_range r{make_date(*year, m, 1), last_day_of_month(*year, m), std::string(text)};
  if (half == 1) r = {r.first, make_date(*year, m, 15), r.label + " H1"};
  if (half == 2) r = {make_date(*year, m, 16), r.last, r.label + " H2"};
  return r;
}

std::optional<date_range> parse_quarter(std::string_view text) {
  if (text.size() != 6 || (text[4] != 'Q' && text[4] != 'q')) return std::nullopt;
  const auto year = number(text.substr(0, 4));
  const auto quarter = number(text.substr(5, 1));
  if (!year || !quarter || *year < 1970 || *quarter < 1 || *quarter > 4) return std::nullopt;
  const auto first_month = static_cast<unsigned>(*quarter * 3 - 2);
  return date_range{make_date(*year, first_month, 1), last_day_of_month(*year, first_month + 2),
                    fmt::format("{}Q{}", *year, *quarter)};
}

std::optional<date_range> parse_week(std::string_view text) {
  if (text.size() != 8 || text[4] != '-' || (text[5] != 'W' && text[5] != 'w')) return std::nullopt;
  const auto year = number(text.substr(0, 4));
  const auto week = number(text.substr(6, 2));
  if (!year || !week || *year < 1970 || *week < 1 || *week > 53) return std::nullopt;
  // Week 1 holds 4 January; weeks run Monday to Sunday.
  const civil_date jan4 = make_date(*year, 1, 4);
  const civil_date monday{jan4.days - weekday_of(jan4) + 7 * (*week - 1)};
  const civil_date thursday{monday.days + 3};
  int y = 0;
  unsigned m = 0, d = 0;
  split_date(thursday, &y, &m, &d);
  if (y != *year) return std::nullopt;  // week 53 of a year that has 52
  return date_range{monday, civil_date{monday.days + 6}, fmt::format("{:04}-W{:02}", *year, *week)};
}

date_range previous_month(const date_range& month) {
  int y = 0;
  unsigned m = 0, d = 0;
  split_date(civil_date{month.first.days - 1}, &y, &m, &d);
  return *parse_month(fmt::format("{:04}-{:02}", y, m));
}

date_range day_range(civil_date d) { return {d, d, detail::format_date(d)}; }

const report_table* report_document::find_table(std::string_view key) const {
  for (const auto& t : tables)
    if (t.key == key) return &t;
  return nullptr;
}

void report_source::for_each_case(std::string_view procedure_id, instant since, instant until, const visitor& visit) {
  case_store& cases = rt_.storage();
  event_log& log = rt_.storage();
  // A day either side covers any calendar's zone; the reports check the exact local times.
  const activity_window window{std::string(procedure_id), instant{since.seconds - 86400},
                               instant{until.seconds + 86400}};
  cases.scan_active_cases(window, [&](const case_record& record) {
    const std::shared_ptr<const procedure> p = rt_.definition(record.definition_hash);
    visit(*p, rt_.calendar_for(*p), log.case_events(record.id));
    return true;
  });
}

}  // namespace caseflow

namespace caseflow::detail {

period_bounds bounds_of(const calendar* cal, const date_range& r) {
  return {local_minute(cal, r.first, 0), end_of_day(cal, r.last)};
}

std::int64_t working_between(const calendar* cal, instant from, instant to) {
  if (to < from) return 0;
  return cal ? cal->working_seconds_between(from, to) : to.seconds - from.seconds;
}

std::string format_date(civil_date d) {
  int y = 0;
  unsigned m = 0, day = 0;
  split_date(d, &y, &m, &day);
  return fmt::format("{:04}-{:02}-{:02}", y, m, day);
}

std::string format_hours(std::int64_t seconds) { return fmt::format("{}h{:02}m", seconds / 3600, seconds % 3600 / 60); }

std::optional<instant> limit_run::decided(instant as_of) const {
  if (!breached(as_of)) {
    if (left) return left;
    return std::nullopt;
  }
  return due;
}

const case_closing* case_history::last_closing_before(instant t) const {
  const case_closing* last = nullptr;
  for (const auto& c : closings)
    if (c.at < t) last = &c;
  return last;
}

report_document new_document(std::string kind, std::string title, std::string procedure, const date_range& period,
                             instant now) {
  report_document doc;
  doc.kind = std::move(kind);
  doc.title = std::move(title);
  doc.procedure = std::move(procedure);
  doc.period = period;
  doc.as_of = now;
  return doc;
}

std::vector<report_column> columns(std::initializer_list<std::pair<std::string, std::string>> list) {
  std::vector<report_column> out;
  for (const auto& [key, header] : list) out.push_back({key, header});
  return out;
}

std::string field_text(const case_state& s, std::string_view field) {
  const auto it = s.fields.find(field);
  return it == s.fields.end() || is_null(it->second) ? "" : format_value(it->second);
}

namespace {

class history_folder {
 public:
  history_folder(const procedure& p, const std::vector<instant>& checkpoints, std::string_view role)
      : p_(p), checkpoints_(checkpoints), role_(role) {}

  void add(const event& e) {
    while (next_ < checkpoints_.size() && !(e.at < checkpoints_[next_])) capture();
    const bool was_open = state_.exists() && state_.open;
    state_ = apply(p_, std::move(state_), e);
    if (e.kind == event_kind::case_started) {
      h_.id = state_.id;
      h_.opened_at = e.at;
    }
    const bool acted = e.kind == event_kind::action_taken || e.kind == event_kind::case_started;
    if (!role_.empty() && acted && e.role == role_) credited_ = e.actor;
    track_limits(e);
    if (was_open && !state_.open) h_.closings.push_back({e.at, e.actor, credited_, on_time(e.at)});
  }

  case_history finish() {
    while (next_ < checkpoints_.size()) capture();
    return std::move(h_);
  }

 private:
  void capture() {
    h_.states.push_back(state_);
    h_.credited.push_back(credited_);
    ++next_;
  }

  limit_run* running(std::string_view rule) {
    for (auto& l : h_.limits)
      if (l.rule == rule && !l.left) return &l;
    return nullptr;
  }

  void track_limits(const event& e) {
    if (!e.data.is_object()) return;
    if (e.kind == event_kind::action_taken && e.data.value("restarts_limits", false))
      for (auto& l : h_.limits)  // the step is entered anew: each run so far ends here
        if (!l.left && l.step == e.from_step) l.left = e.at;
    const std::string rule = e.data.value("rule", "");
    const bool limit = e.data.value("kind", "") == "limit";
    if ((e.kind == event_kind::deadline_set || e.kind == event_kind::deadline_changed) && limit) {
      const instant due = parse_instant(e.data.value("due", "")).value_or(e.at);
      limit_run* l = running(rule);
      if (l) l->due = due;
      else l = &h_.limits.emplace_back(limit_run{rule.substr(0, rule.find('.')), rule, due, std::nullopt, false, false});
      if (e.data.value("reason", "") == "extension") l->extended = true;
    } else if (e.kind == event_kind::timer_fired && limit) {
      if (limit_run* l = running(rule)) l->fired = true;
    } else if (e.kind == event_kind::deadline_cleared) {
      if (limit_run* l = running(rule)) l->left = e.at;
    }
  }

  bool on_time(instant at) const {
    return std::none_of(h_.limits.begin(), h_.limits.end(), [&](const limit_run& l) { return l.breached(at); });
  }

  const procedure& p_;
  const std::vector<instant>& checkpoints_;
  std::string_view role_;
  std::size_t next_ = 0;
  case_state state_;
  std::string credited_;
  case_history h_;
};

}  // namespace

case_history fold_history(const procedure& p, const std::vector<event>& events, const std::vector<instant>& checkpoints,
                          std::string_view credited_role) {
  history_folder folder(p, checkpoints, credited_role);
  for (const auto& e : events) folder.add(e);
  return folder.finish();
}

}  // namespace caseflow::detail
