// Evaluation of compiled guard expressions and their explanation for refusal messages.
// The null rules implemented here are documented in caseflow/expression.h.
#include <cstdint>
#include <limits>
#include <variant>

#include <fmt/format.h>

#include "caseflow/calendar.h"
#include "caseflow/expression.h"
#include "expression/internal.h"

namespace caseflow {
namespace detail {
namespace {

datum make_boolean(bool b) { return {datum_state::boolean, b, 0, {}}; }
datum make_number(std::int64_t n) { return {datum_state::number, false, n, {}}; }
datum make_text(std::string_view s) { return {datum_state::text, false, 0, s}; }
datum make_invalid() { return {datum_state::invalid, false, 0, {}}; }

bool is_set(const datum& d) {
  return d.state != datum_state::null && d.state != datum_state::invalid;
}
bool is_true(const datum& d) { return d.state == datum_state::boolean && d.boolean; }

// A field read as the type its signature declares; anything else counts as null.
datum read_field(const node& n, const field_values& values) {
  const auto found = values.find(n.text);
  if (found == values.end()) return {};
  const value& v = found->second;
  switch (n.type) {
    case field_type::text:
    case field_type::enumeration:
      if (const auto* s = std::get_if<std::string>(&v)) return make_text(*s);
      break;
    case field_type::integer:
      if (const auto* i = std::get_if<std::int64_t>(&v)) return make_number(*i);
      break;
    case field_type::money:
      if (const auto* m = std::get_if<money>(&v)) return make_number(m->fen);
      break;
    case field_type::boolean:
      if (const auto* b = std::get_if<bool>(&v)) return make_boolean(*b);
      break;
    case field_type::date:
      if (const auto* d = std::get_if<civil_date>(&v)) return make_number(d->days);
      break;
    case field_type::datetime:
      if (const auto* t = std::get_if<instant>(&v)) return make_number(t->seconds);
      break;
  }
  return {};
}

// REQUIRES: both set and of the same state (guaranteed by the type checker).
bool same_value(const datum& a, const datum& b) {
  if (a.state != b.state) return false;
  switch (a.state) {
    case datum_state::boolean: return a.boolean == b.boolean;
    case datum_state::number: return a.number == b.number;
    case datum_state::text: return a.text == b.text;
    case datum_state::null:
    case datum_state::invalid: break;
  }
  return false;
}

bool equal_values(const datum& a, const datum& b) {
  if (!is_set(a) || !is_set(b)) return a.state == b.state;
  return same_value(a, b);
}

bool compare(op code, const datum& a, const datum& b) {
  if (a.state == datum_state::invalid || b.state == datum_state::invalid) return false;
  if (code == op::equal) return equal_values(a, b);
  if (code == op::not_equal) return !equal_values(a, b);
  if (!is_set(a) || !is_set(b)) return false;
  switch (code) {
    case op::less: return a.number < b.number;
    case op::less_equal: return a.number <= b.number;
    case op::greater: return a.number > b.number;
    case op::greater_equal: return a.number >= b.number;
    default: return false;
  }
}

datum arithmetic(op code, const datum& a, const datum& b) {
  if (a.state == datum_state::invalid || b.state == datum_state::invalid) return make_invalid();
  if (!is_set(a) || !is_set(b)) return {};
  std::int64_t result = 0;
  bool failed = false;
  switch (code) {
    case op::add: failed = __builtin_add_overflow(a.number, b.number, &result); break;
    case op::subtract: failed = __builtin_sub_overflow(a.number, b.number, &result); break;
    case op::multiply: failed = __builtin_mul_overflow(a.number, b.number, &result); break;
    case op::divide:
      failed =
          b.number == 0 || (a.number == std::numeric_limits<std::int64_t>::min() && b.number == -1);
      if (!failed) result = a.number / b.number;  // truncates toward zero
      break;
    default: failed = true; break;
  }
  return failed ? make_invalid() : make_number(result);
}

// A date (days) or datetime (seconds) moved by n.span, forward or back (n.number); see
// caseflow/expression.h. Invalid when the duration needs a calendar and there is none.
datum shift(const node& n, const datum& base, const calendar* cal) {
  if (base.state != datum_state::number) return base;  // null stays null
  const duration& span = n.span;
  const int sign = static_cast<int>(n.number);
  if (n.type == field_type::date) {
    date_offset off;
    off.sign = sign;
    if (span.kind == duration::unit::calendar_months) off.tenth_months = span.amount;
    else if (span.kind == duration::unit::calendar_seconds) off.days = span.amount / 86400;
    else if (span.kind == duration::unit::working_days && cal) {
      off.days = span.amount;
      off.working = true;
    } else {
      return make_invalid();
    }
    const civil_date day{static_cast<std::int32_t>(base.number)};
    return make_number((off.working ? cal->resolve(day, off) : plain_offset(day, off)).days);
  }
  const instant at{base.number};
  std::int64_t moved = 0;
  switch (span.kind) {
    case duration::unit::calendar_seconds:
      if (__builtin_mul_overflow(span.amount, sign, &moved) || __builtin_add_overflow(at.seconds, moved, &moved))
        return make_invalid();
      return make_number(moved);
    case duration::unit::calendar_months: {
      if (!cal) return make_invalid();
      duration months;  // without the text: evaluation allocates nothing
      months.kind = span.kind;
      months.amount = sign * span.amount;
      return make_number(cal->due(at, months).due.seconds);
    }
    case duration::unit::working_seconds:
    case duration::unit::working_days:
      if (!cal || sign < 0) return make_invalid();
      return make_number(cal->due(at, span).due.seconds);
    case duration::unit::end_of_day:
    case duration::unit::same_day: break;
  }
  return make_invalid();
}

// `in` and `not in`: false when the left side or any element cannot be computed.
bool membership(const expression_tree& tree, const node& n, const field_values& values, const calendar* cal) {
  const datum left = evaluate_node(tree, n.lhs, values, cal);
  if (left.state == datum_state::invalid) return false;
  if (left.state == datum_state::null) return n.code == op::not_in;
  bool found = false;
  for (const std::uint32_t item : n.items) {
    const datum element = evaluate_node(tree, item, values, cal);
    if (element.state == datum_state::invalid) return false;
    found = found || (is_set(element) && same_value(left, element));
  }
  return found == (n.code == op::in);
}

}  // namespace

datum evaluate_node(const expression_tree& tree, std::uint32_t index, const field_values& values,
                    const calendar* cal) {
  const node& n = tree.nodes[index];
  switch (n.code) {
    case op::constant: return {n.constant, n.boolean, n.number, n.text};
    case op::name: return read_field(n, values);
    case op::logical_not: return make_boolean(!is_true(evaluate_node(tree, n.lhs, values, cal)));
    case op::logical_and:
      return make_boolean(is_true(evaluate_node(tree, n.lhs, values, cal)) &&
                          is_true(evaluate_node(tree, n.rhs, values, cal)));
    case op::logical_or:
      return make_boolean(is_true(evaluate_node(tree, n.lhs, values, cal)) ||
                          is_true(evaluate_node(tree, n.rhs, values, cal)));
    case op::equal:
    case op::not_equal:
    case op::less:
    case op::less_equal:
    case op::greater:
    case op::greater_equal:
      return make_boolean(
          compare(n.code, evaluate_node(tree, n.lhs, values, cal), evaluate_node(tree, n.rhs, values, cal)));
    case op::in:
    case op::not_in: return make_boolean(membership(tree, n, values, cal));
    case op::negate:
      return arithmetic(op::subtract, make_number(0), evaluate_node(tree, n.lhs, values, cal));
    case op::add:
    case op::subtract:
    case op::multiply:
    case op::divide:
      return arithmetic(n.code, evaluate_node(tree, n.lhs, values, cal),
                        evaluate_node(tree, n.rhs, values, cal));
    case op::shift: return shift(n, evaluate_node(tree, n.lhs, values, cal), cal);
  }
  return {};
}

}  // namespace detail

namespace {

std::string quote_text(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

expression::expression(std::shared_ptr<const detail::expression_tree> tree)
    : tree_(std::move(tree)) {}

bool expression::evaluate(const field_values& values, const calendar* cal) const {
  const detail::datum result = detail::evaluate_node(*tree_, tree_->root, values, cal);
  return result.state == detail::datum_state::boolean && result.boolean;
}

bool expression::needs_calendar() const { return tree_->needs_calendar; }

const std::vector<std::string>& expression::names() const { return tree_->names; }

const std::string& expression::source() const { return tree_->source; }

std::string expression::explain(const field_values& values) const {
  std::string out;
  for (const std::string& name : tree_->names) {
    if (!out.empty()) out += ", ";
    const auto found = values.find(name);
    std::string shown = "(not set)";
    if (found != values.end() && !is_null(found->second)) {
      const auto* text = std::get_if<std::string>(&found->second);
      shown = text ? quote_text(*text) : format_value(found->second);
    }
    out += fmt::format("{} = {}", name, shown);
  }
  return out;
}

}  // namespace caseflow
