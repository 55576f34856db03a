// Type checking of guard expressions: the typing rules documented in caseflow/expression.h.
#include <algorithm>
#include <string>
#include <variant>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "caseflow/diagnostic.h"
#include "expression/internal.h"

namespace caseflow::detail {
namespace {

std::string_view to_string(kind k) {
  constexpr std::string_view k_names[] = {"bool", "int",      "money",  "text", "enum",
                                          "date", "datetime", "string", "null", "duration"};
  return k_names[static_cast<std::size_t>(k)];
}

bool is_ordered(kind k) {
  return k == kind::integer || k == kind::money || k == kind::date || k == kind::datetime;
}

bool is_stringy(kind k) { return k == kind::text || k == kind::enumeration; }

constexpr std::string_view k_null_only_in_equality = "'null' can only be used with '==' or '!='";

bool is_working(const duration& d) {
  return d.kind == duration::unit::working_seconds || d.kind == duration::unit::working_days;
}

// What a date can be moved by: whole days and weeks, months and years, working days.
bool moves_a_date(const duration& d) {
  return (d.kind == duration::unit::calendar_seconds && d.amount % 86400 == 0) ||
         d.kind == duration::unit::calendar_months || d.kind == duration::unit::working_days;
}

}  // namespace

type_checker::type_checker(std::string_view source, expression_tree* tree, expression_error* error)
    : source_(source), tree_(tree), error_(error) {}

std::nullopt_t type_checker::fail(std::size_t offset, std::string message) {
  *error_ = expression_error{offset, std::move(message)};
  return std::nullopt;
}

bool type_checker::reject(std::size_t offset, std::string message) {
  fail(offset, std::move(message));
  return false;
}

std::string type_checker::shown(const operand& o) const {
  const std::string_view text = source_.substr(o.begin, o.end - o.begin);
  return text.starts_with('"') ? std::string(text) : fmt::format("'{}'", text);
}

std::string type_checker::shown_typed(const operand& o) const {
  return fmt::format("{} ({})", shown(o), to_string(o.type));
}

bool type_checker::require_condition(const operand& o) {
  if (o.type == kind::boolean) return true;
  return reject(o.begin,
                fmt::format("{} is {}, but a condition must be bool", shown(o), to_string(o.type)));
}

// Gives a string literal the type of the other side: text, an enum value, a date.
bool type_checker::resolve_string(operand& literal, const operand& other) {
  node& n = tree_->nodes[literal.node];
  switch (other.type) {
    case kind::text:
    case kind::string: literal.type = kind::text; return true;
    case kind::enumeration: {
      const auto& allowed = other.signature->enum_values;
      // An enum without values is reported where the field is defined; do not repeat it here.
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), n.text) == allowed.end())
        return reject(literal.begin,
                      fmt::format("{} is not a value of '{}' ({}){}", shown(literal),
                                  tree_->nodes[other.node].text, fmt::join(allowed, ", "),
                                  did_you_mean(n.text, allowed)));
      literal.type = kind::enumeration;
      return true;
    }
    case kind::date:
    case kind::datetime: {
      const field_type type = other.type == kind::date ? field_type::date : field_type::datetime;
      std::string why;
      const auto parsed = parse_value(type, n.text, &why);
      if (!parsed) return reject(literal.begin, why);  // parse_value's sentence names the text
      n.constant = datum_state::number;
      n.number = type == field_type::date ? std::get<civil_date>(*parsed).days
                                          : std::get<instant>(*parsed).seconds;
      literal.type = other.type;
      return true;
    }
    default: return true;  // left a string: the caller reports the mismatch
  }
}

// Turns an int constant next to money into money (20000 means 20000.00).
bool type_checker::promote(operand& o, const operand& other) {
  node& n = tree_->nodes[o.node];
  if (o.type != kind::integer || other.type != kind::money || n.code != op::constant) return true;
  if (__builtin_mul_overflow(n.number, 100, &n.number))
    return reject(o.begin, fmt::format("{} is too large for money", shown(o)));
  o.type = kind::money;
  return true;
}

bool type_checker::check_decimal(const operand& a, const operand& b) {
  if (!a.decimal || b.type != kind::integer) return true;
  return reject(a.begin, fmt::format("decimal {} can only be used with money, but {} is int",
                                     shown(a), shown(b)));
}

bool type_checker::check_comparable(op code, operand& a, operand& b, std::size_t offset,
                                    std::string_view op_text) {
  const bool equality = code == op::equal || code == op::not_equal;
  if (a.type == kind::null || b.type == kind::null) {
    if (equality) return true;
    return reject(a.type == kind::null ? a.begin : b.begin, std::string(k_null_only_in_equality));
  }
  if (a.type == kind::duration || b.type == kind::duration) {
    const operand& span = a.type == kind::duration ? a : b;
    return reject(span.begin, fmt::format("{} is a duration; it can only move a date or datetime, as in "
                                          "'handover_date + 5 years >= today'",
                                          shown(span)));
  }
  if (a.type == kind::string && !resolve_string(a, b)) return false;
  if (b.type == kind::string && !resolve_string(b, a)) return false;
  if (!promote(a, b) || !promote(b, a) || !check_decimal(a, b) || !check_decimal(b, a))
    return false;
  if (a.type != b.type && !(is_stringy(a.type) && is_stringy(b.type)))
    return reject(offset, fmt::format("cannot compare {} with {}", shown_typed(a), shown_typed(b)));
  if (!equality && code != op::in && !is_ordered(a.type))
    return reject(offset, fmt::format("'{}' needs int, money, date or datetime, but {} is {}",
                                      op_text, shown(a), to_string(a.type)));
  return true;
}

std::optional<kind> type_checker::check_arithmetic(op code, operand& a, operand& b,
                                                   std::size_t offset, std::string_view op_text) {
  if (a.type == kind::null || b.type == kind::null)
    return fail(a.type == kind::null ? a.begin : b.begin, std::string(k_null_only_in_equality));
  if (a.type == kind::duration || b.type == kind::duration) return check_shift(code, a, b, offset, op_text);
  if (code == op::add || code == op::subtract) {
    if (!promote(a, b) || !promote(b, a) || !check_decimal(a, b) || !check_decimal(b, a))
      return std::nullopt;
    if (a.type == b.type && (a.type == kind::integer || a.type == kind::money)) return a.type;
  } else {
    if (a.type == kind::integer && b.type == kind::integer) return kind::integer;
    if (a.type == kind::money && b.type == kind::integer) return kind::money;
    if (code == op::multiply && a.type == kind::integer && b.type == kind::money)
      return kind::money;
  }
  return fail(offset, fmt::format("cannot apply '{}' to {} and {}", op_text, shown_typed(a),
                                  shown_typed(b)));
}

std::optional<kind> type_checker::check_shift(op code, const operand& a, const operand& b,
                                              std::size_t offset, std::string_view op_text) {
  const bool moves = (code == op::add || code == op::subtract) && b.type == kind::duration &&
                     (a.type == kind::date || a.type == kind::datetime);
  if (!moves)
    return fail(offset, fmt::format("cannot apply '{}' to {} and {}; a duration moves a date or datetime, "
                                    "written first: 'handover_date + 5 years'",
                                    op_text, shown_typed(a), shown_typed(b)));
  const duration& span = tree_->nodes[b.node].span;
  if (a.type == kind::date && !moves_a_date(span))
    return fail(b.begin, fmt::format("{} cannot move {} (date): a date moves by whole days, weeks, months, "
                                     "years or working days",
                                     shown(b), shown(a)));
  if (a.type == kind::datetime && code == op::subtract && is_working(span))
    return fail(b.begin, fmt::format("{} is working time: it can be added to a datetime, not subtracted from "
                                     "it (write 'received_at + 1 working day <= now')",
                                     shown(b)));
  if (is_working(span) || (a.type == kind::datetime && span.kind == duration::unit::calendar_months))
    tree_->needs_calendar = true;
  return a.type;
}

bool type_checker::check_negate(const operand& inner, std::size_t offset) {
  if (inner.type == kind::integer || inner.type == kind::money) return true;
  return reject(offset, fmt::format("cannot negate {}", shown_typed(inner)));
}

bool type_checker::fold(const operand& o, std::size_t offset) {
  const node& n = tree_->nodes[o.node];
  const auto is_constant = [&](std::uint32_t index) {
    return tree_->nodes[index].code == op::constant;
  };
  if (!is_constant(n.lhs) || (n.code != op::negate && !is_constant(n.rhs))) return true;
  const datum value = evaluate_node(*tree_, o.node, field_values{}, nullptr);
  if (value.state != datum_state::number) {
    const bool by_zero = n.code == op::divide && tree_->nodes[n.rhs].number == 0;
    return reject(offset, by_zero ? fmt::format("division by zero in {}", shown(o))
                                  : fmt::format("{} is too large", shown(o)));
  }
  node folded;
  folded.constant = datum_state::number;
  folded.number = value.number;
  tree_->nodes[o.node] = std::move(folded);
  return true;
}

}  // namespace caseflow::detail
