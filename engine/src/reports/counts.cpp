// The daily, half-month and monthly case-count reports. See caseflow/reports.h.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "reports/fold.h"

namespace caseflow {

namespace {

using detail::case_history;

constexpr const char* k_none = "(none)";

bool serious(std::string_view severity) { return severity == "important" || severity == "hot" || severity == "major"; }

struct counts {
  std::int64_t received = 0;
  std::int64_t completed = 0;
  std::int64_t open = 0;
};

struct closed_case {
  std::string id, severity, category, sub_type, closed, closed_by;
};

struct open_case {
  std::string id, severity, category, step, step_name, opened, limit, status;
  std::int64_t days_open = 0;
  std::optional<std::int64_t> working_left;
};

// The figures of one period.
struct period_figures {
  date_range range;
  counts total;
  std::map<std::string, counts> by_category;
  std::map<std::pair<std::string, std::string>, counts> by_sub_type;
  std::map<std::string, counts> by_severity;
  std::map<std::string, counts> by_field;  // report_options::by ("" = none)
  std::vector<closed_case> closed_serious;
};

std::string or_none(std::string text) { return text.empty() ? k_none : text; }

open_case progress_of(const procedure& p, const calendar* cal, const case_history& h, const case_state& s,
                      instant ref) {
  open_case o{s.id,
              detail::field_text(s, "severity"),
              or_none(detail::field_text(s, "category")),
              s.step,
              s.step,
              "",
              "",
              "no limit",
              (ref.seconds - h.opened_at.seconds) / 86400,
              std::nullopt};
  if (const step_def* step = p.find_step(s.step)) o.step_name = step->name.preferred(s.step);
  o.opened = detail::format_date(local_day(cal, h.opened_at));
  const case_deadline* next = nullptr;
  for (const auto& d : s.deadlines)
    if (d.kind == "limit" && (!next || d.due < next->due)) next = &d;
  if (next) {
    o.limit = next->rule;
    const bool overdue = next->due <= ref;
    const std::int64_t seconds =
        overdue ? -detail::working_between(cal, next->due, ref) : detail::working_between(cal, ref, next->due);
    o.working_left = seconds;
    o.status = overdue ? "overdue " + detail::format_hours(-seconds) : detail::format_hours(seconds) + " left";
  }
  return o;
}

// Reads the cases once and counts every period; the open serious cases are those at the end
// of the last period.
class counter {
 public:
  counter(std::vector<date_range> periods, const report_options& options) : options_(options) {
    for (auto& r : periods) figures_.push_back({std::move(r), {}, {}, {}, {}, {}, {}});
  }

  void run(report_source& source) {
    // UTC bounds widened by a day in for_each_case; exact local bounds per case below.
    const instant since = local_minute(nullptr, figures_.front().range.first, 0);
    const instant until = end_of_day(nullptr, figures_.back().range.last);
    source.for_each_case(
        options_.procedure, since, until,
        [&](const procedure& p, const calendar* cal, const std::vector<event>& events) { add(p, cal, events); });
  }

  const std::vector<period_figures>& figures() const { return figures_; }
  const std::vector<open_case>& open_serious() const { return open_serious_; }

 private:
  void add(const procedure& p, const calendar* cal, const std::vector<event>& events) {
    std::vector<instant> checkpoints;
    for (const auto& f : figures_) checkpoints.push_back(detail::bounds_of(cal, f.range).to);
    const case_history h = detail::fold_history(p, events, checkpoints, "");
    for (std::size_t i = 0; i < figures_.size(); ++i) {
      const auto [from, to] = detail::bounds_of(cal, figures_[i].range);
      const case_state& s = h.states[i];
      if (!s.exists()) continue;
      const detail::case_closing* closing = h.last_closing_before(to);
      const bool received = from <= h.opened_at && h.opened_at < to;
      const bool completed = !s.open && closing && from <= closing->at;
      if (!received && !completed && !s.open) continue;
      const counts delta{received ? 1 : 0, completed ? 1 : 0, s.open ? 1 : 0};
      period_figures& f = figures_[i];
      const std::string category = or_none(detail::field_text(s, "category"));
      const std::string severity = or_none(detail::field_text(s, "severity"));
      counts* grouped = options_.by.empty() ? nullptr : &f.by_field[or_none(detail::field_text(s, options_.by))];
      for (counts* c :
           {&f.total, &f.by_category[category], &f.by_sub_type[{category, or_none(detail::field_text(s, "sub_type"))}],
            &f.by_severity[severity], grouped}) {
        if (!c) continue;
        c->received += delta.received;
        c->completed += delta.completed;
        c->open += delta.open;
      }
      if (completed && serious(severity))
        f.closed_serious.push_back({s.id, severity, category, or_none(detail::field_text(s, "sub_type")),
                                    cal ? cal->format_local(closing->at) : format_instant_utc(closing->at),
                                    closing->actor});
      if (i + 1 == figures_.size() && s.open && serious(severity))
        open_serious_.push_back(progress_of(p, cal, h, s, std::min(to, options_.now)));
    }
  }

  const report_options& options_;
  std::vector<period_figures> figures_;
  std::vector<open_case> open_serious_;
};

// The keys of `m` in the order of the field's enum values in `p`, then the others by name.
template <typename Map>
std::vector<std::string> ordered_keys(const procedure* p, std::string_view field, const Map& m) {
  std::vector<std::string> keys;
  if (p)
    if (const field_def* f = p->find_field(field))
      for (const auto& v : f->values)
        if (m.count(v)) keys.push_back(v);
  for (const auto& [k, ignored] : m)
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  return keys;
}

std::vector<nlohmann::json> count_cells(const counts& c) { return {c.received, c.completed, c.open}; }

template <typename... Head>
std::vector<nlohmann::json> row(const counts& c, Head... head) {
  std::vector<nlohmann::json> r{nlohmann::json(head)...};
  for (auto& v : count_cells(c)) r.push_back(std::move(v));
  return r;
}

report_table closed_serious_table(const std::vector<period_figures>& figures) {
  report_table t{"closed_serious",
                 "Important, hot and major cases completed",
                 detail::columns({{"period", "period"},
                                  {"case", "case"},
                                  {"severity", "severity"},
                                  {"category", "category"},
                                  {"sub_type", "sub-type"},
                                  {"closed", "closed"},
                                  {"closed_by", "closed by"}}),
                 {},
                 ""};
  for (const auto& f : figures)
    for (const auto& c : f.closed_serious)
      t.rows.push_back({f.range.label, c.id, c.severity, c.category, c.sub_type, c.closed, c.closed_by});
  if (t.rows.empty()) t.note = "none in the period";
  return t;
}

report_table open_serious_table(const std::vector<open_case>& cases, const date_range& at) {
  report_table t{"open_serious",
                 fmt::format("Important, hot and major cases open at the end of {}", at.label),
                 detail::columns({{"case", "case"},
                                  {"severity", "severity"},
                                  {"category", "category"},
                                  {"step", "step"},
                                  {"step_name", "step name"},
                                  {"opened", "opened"},
                                  {"days_open", "days open"},
                                  {"limit", "limit"},
                                  {"working_seconds_left", "working seconds left"},
                                  {"status", "status"}}),
                 {},
                 ""};
  for (const auto& c : cases)
    t.rows.push_back({c.id, c.severity, c.category, c.step, c.step_name, c.opened, c.days_open,
                      c.limit.empty() ? nlohmann::json() : nlohmann::json(c.limit),
                      c.working_left ? nlohmann::json(*c.working_left) : nlohmann::json(), c.status});
  if (t.rows.empty()) t.note = "none";
  return t;
}

// Tables with a `period` column: one block of rows per period.
void add_period_tables(report_document& doc, const procedure* p, const std::vector<period_figures>& figures,
                       const std::string& by) {
  report_table summary{"summary",
                       "Cases received, completed and open",
                       detail::columns({{"period", "period"},
                                        {"from", "from"},
                                        {"to", "to"},
                                        {"received", "received"},
                                        {"completed", "completed"},
                                        {"open", "open at end"}}),
                       {},
                       ""};
  report_table category{"by_category",
                        "By category",
                        detail::columns({{"period", "period"},
                                         {"category", "category"},
                                         {"received", "received"},
                                         {"completed", "completed"},
                                         {"open", "open at end"}}),
                        {},
                        ""};
  report_table sub_type{"by_sub_type",
                        "By category and sub-type",
                        detail::columns({{"period", "period"},
                                         {"category", "category"},
                                         {"sub_type", "sub-type"},
                                         {"received", "received"},
                                         {"completed", "completed"},
                                         {"open", "open at end"}}),
                        {},
                        ""};
  report_table severity{"by_severity",
                        "By severity",
                        detail::columns({{"period", "period"},
                                         {"severity", "severity"},
                                         {"received", "received"},
                                         {"completed", "completed"},
                                         {"open", "open at end"}}),
                        {},
                        ""};
  for (const auto& f : figures) {
    const std::string& label = f.range.label;
    summary.rows.push_back(row(f.total, label, detail::format_date(f.range.first), detail::format_date(f.range.last)));
    for (const auto& k : ordered_keys(p, "category", f.by_category))
      category.rows.push_back(row(f.by_category.at(k), label, k));
    for (const auto& [k, c] : f.by_sub_type) sub_type.rows.push_back(row(c, label, k.first, k.second));
    for (const auto& k : ordered_keys(p, "severity", f.by_severity))
      severity.rows.push_back(row(f.by_severity.at(k), label, k));
  }
  doc.tables.push_back(std::move(summary));
  doc.tables.push_back(std::move(category));
  doc.tables.push_back(std::move(sub_type));
  doc.tables.push_back(std::move(severity));
  if (by.empty()) return;
  report_table grouped{"by_" + by,
                       "By " + by,
                       detail::columns({{"period", "period"},
                                        {by, by},
                                        {"received", "received"},
                                        {"completed", "completed"},
                                        {"open", "open at end"}}),
                       {},
                       ""};
  for (const auto& f : figures)
    for (const auto& k : ordered_keys(p, by, f.by_field)) grouped.rows.push_back(row(f.by_field.at(k), f.range.label, k));
  doc.tables.push_back(std::move(grouped));
}

std::string signed_number(std::int64_t n) { return n > 0 ? fmt::format("+{}", n) : fmt::format("{}", n); }

void add_headline(report_document& doc, const period_figures& f, std::size_t open_serious) {
  doc.headline = {{"received", std::to_string(f.total.received), f.range.label},
                  {"completed", std::to_string(f.total.completed), f.range.label},
                  {"open at end", std::to_string(f.total.open), ""},
                  {"important / hot / major open", std::to_string(open_serious), ""}};
}

}  // namespace

namespace {

// The daily and the weekly report: one period's tables.
report_document one_period_report(report_source& source, const char* kind, const char* title, const date_range& range,
                                  const report_options& options) {
  counter c({range}, options);
  c.run(source);
  report_document doc = detail::new_document(kind, title, options.procedure, range, options.now);
  add_headline(doc, c.figures().back(), c.open_serious().size());
  add_period_tables(doc, source.current_definition(options.procedure), c.figures(), options.by);
  doc.tables.push_back(closed_serious_table(c.figures()));
  doc.tables.push_back(open_serious_table(c.open_serious(), doc.period));
  doc.charts = {{"By category", "by_category", {"category"}, {"received", "completed", "open"}, false, ""},
                {"By severity", "by_severity", {"severity"}, {"received", "completed", "open"}, false, ""}};
  return doc;
}

}  // namespace

report_document daily_report(report_source& source, civil_date day, const report_options& options) {
  return one_period_report(source, "daily", "Daily case report", day_range(day), options);
}

report_document weekly_report(report_source& source, const date_range& week, const report_options& options) {
  return one_period_report(source, "weekly", "Weekly case report", week, options);
}

report_document half_month_report(report_source& source, const std::vector<date_range>& halves,
                                  const report_options& options) {
  counter c(halves, options);
  c.run(source);
  date_range period{halves.front().first, halves.back().last,
                    halves.size() == 1 ? halves.front().label : halves.front().label.substr(0, 7)};
  report_document doc =
      detail::new_document("half-month", "Half-month case report", options.procedure, period, options.now);
  add_headline(doc, c.figures().back(), c.open_serious().size());
  add_period_tables(doc, source.current_definition(options.procedure), c.figures(), options.by);
  doc.tables.push_back(closed_serious_table(c.figures()));
  doc.tables.push_back(open_serious_table(c.open_serious(), halves.back()));
  doc.charts = {
      {"Received, completed and open by half", "summary", {"period"}, {"received", "completed", "open"}, false, ""},
      {"By category", "by_category", {"period", "category"}, {"received", "completed", "open"}, false, ""},
      {"By severity", "by_severity", {"period", "severity"}, {"received", "completed", "open"}, false, ""}};
  return doc;
}

report_document monthly_report(report_source& source, const date_range& month, const report_options& options) {
  const date_range previous = previous_month(month);
  counter c({previous, month}, options);
  c.run(source);
  const period_figures& last = c.figures()[0];
  const period_figures& now = c.figures()[1];
  report_document doc = detail::new_document("monthly", "Monthly case report", options.procedure, month, options.now);
  const procedure* p = source.current_definition(options.procedure);

  report_table summary{
      "summary",
      fmt::format("{} compared with {}", month.label, previous.label),
      detail::columns(
          {{"figure", "figure"}, {"current", month.label}, {"previous", previous.label}, {"change", "change"}}),
      {},
      ""};
  const std::pair<const char*, std::int64_t counts::*> measures[] = {
      {"received", &counts::received}, {"completed", &counts::completed}, {"open", &counts::open}};
  for (const auto& [name, member] : measures)
    summary.rows.push_back({name, now.total.*member, last.total.*member, now.total.*member - last.total.*member});
  doc.tables.push_back(std::move(summary));

  auto compared = [&](const std::string& key, const std::string& title, const std::string& field,
                      const auto& current_map, const auto& previous_map) {
    report_table t{key,
                   title,
                   detail::columns({{field, field},
                                    {"received", "received " + month.label},
                                    {"completed", "completed"},
                                    {"open", "open at end"},
                                    {"previous_received", "received " + previous.label},
                                    {"change", "change"}}),
                   {},
                   ""};
    std::map<std::string, counts> both = previous_map;
    for (const auto& [k, v] : current_map) both[k];
    for (const auto& k : ordered_keys(p, field, both)) {
      const auto here = current_map.count(k) ? current_map.at(k) : counts{};
      const std::int64_t before = previous_map.count(k) ? previous_map.at(k).received : 0;
      t.rows.push_back({k, here.received, here.completed, here.open, before, here.received - before});
    }
    return t;
  };
  doc.tables.push_back(compared("by_category", "By category", "category", now.by_category, last.by_category));
  report_table sub_type{"by_sub_type",
                        "By category and sub-type",
                        detail::columns({{"category", "category"},
                                         {"sub_type", "sub-type"},
                                         {"received", "received"},
                                         {"completed", "completed"},
                                         {"open", "open at end"}}),
                        {},
                        ""};
  for (const auto& [k, c2] : now.by_sub_type) sub_type.rows.push_back(row(c2, k.first, k.second));
  doc.tables.push_back(std::move(sub_type));
  doc.tables.push_back(compared("by_severity", "By severity", "severity", now.by_severity, last.by_severity));
  if (!options.by.empty())
    doc.tables.push_back(compared("by_" + options.by, "By " + options.by, options.by, now.by_field, last.by_field));
  doc.tables.push_back(closed_serious_table({now}));
  doc.tables.push_back(open_serious_table(c.open_serious(), month));

  doc.headline = {{"received", std::to_string(now.total.received),
                   signed_number(now.total.received - last.total.received) + " vs " + previous.label},
                  {"completed", std::to_string(now.total.completed),
                   signed_number(now.total.completed - last.total.completed) + " vs " + previous.label},
                  {"open at end", std::to_string(now.total.open),
                   signed_number(now.total.open - last.total.open) + " vs " + previous.label},
                  {"important / hot / major open", std::to_string(c.open_serious().size()), ""}};
  doc.charts = {
      {"This month against last month", "summary", {"figure"}, {"previous", "current"}, false, ""},
      {"Received by category, against last month",
       "by_category",
       {"category"},
       {"previous_received", "received"},
       false,
       ""},
      {"Received by severity, against last month",
       "by_severity",
       {"severity"},
       {"previous_received", "received"},
       false,
       ""},
      {"Completed and still open by category", "by_category", {"category"}, {"completed", "open"}, false, ""}};
  return doc;
}

}  // namespace caseflow
