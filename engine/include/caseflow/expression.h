// caseflow/expression.h — the guard language: typed boolean expressions over case fields.
//
// Procedures use expressions as guards on actions and as conditions on approval tiers and
// timers. An expression is compiled once, when its procedure loads: it is parsed and
// type-checked against the names it may use, so a misspelt field or a comparison of money
// with a date is a load error, not a surprise at run time. Evaluation then walks a small
// immutable tree and never throws.
//
// Language (keywords are lower-case):
//   literals    20000   10000.01   "电话"   "say \"hi\" \\ bye"   true   false   null
//   durations   5 years   1.5 months   7d   24h   1 working day   4h working
//   names       amount   actor.id          (a dotted path is one name)
//   operators   lowest to highest precedence:
//                 or;  and;  not;  == != < <= > >= in [..] not in [..];  + -;  * /;
//                 unary -;  ( )
// Types, all checked by compile():
//   - Integer literals (and expressions of literals only) become money next to money.
//     A decimal literal is money: it has at most two decimals and never mixes with int.
//   - money + money, money - money, money * int, int * money, money / int (the fen result is
//     truncated toward zero), and int arithmetic. Nothing else does arithmetic.
//   - A string literal next to an enum field must be one of its values; next to a date or
//     datetime it is parsed as one ("2026-02-13", "2026-02-13T09:50:00Z").
//   - < <= > >= need int, money, date or datetime; == and != work on every type (text and
//     enum compare with each other). `in [...]` checks each element as if by ==.
//   - and / or / not and the whole expression need bool; a bare name is a condition only
//     if it is a bool field. `null` appears only as an operand of == or !=.
//   - Durations: a number followed by a unit, as limits write them (caseflow/duration.h):
//     `5 years`, `1.5 months`, `7d`, `24h`, `1 working day`, `4h working`. They are allowed
//     only where the names include `now` (action guards, judged at a command's time), and
//     only to move a date or a datetime: date ± whole days, weeks, months, years or working
//     days is a date (calendar::resolve: `+ 1 working day` is the first working day after
//     it); datetime ± plain time or months is a datetime (months in the calendar's zone);
//     datetime + working time is the deadline calendar::due gives (`received_at + 1 working
//     day` is the close of the first working day after received_at's day). Working time is
//     never subtracted from a datetime.
//
// Null rules (evaluation):
//   - A name that is absent from the values, or holds std::monostate, is null. A value of a
//     different type than its signature says is treated as null too.
//   - Arithmetic with a null operand is null.
//   - `x == null` is true iff x is null; `x == y` is true iff both are null or both are set
//     and equal; `!=` is its negation (so `x != "email"` is true when x is null).
//   - < <= > >= with a null operand are false; `x in [...]` is false when x is null, and
//     `x not in [...]` is then true.
//   - A bare bool name is true only when it holds true: `not approved` is true when unset.
// Arithmetic that cannot be done — division by zero, or a result outside 64 bits — makes
// every comparison that uses it false, including != and not in. Constant arithmetic that
// cannot be done is a compile error instead. So does a duration that needs a calendar
// (working time, or months on a datetime) when evaluate() is given none.
//
// Thread-safety: an expression is immutable after compile(); concurrent evaluate() and
// explain() calls on the same or copied expressions are safe.
//
// Example:
//   caseflow::field_signatures names{
//       {"amount", {caseflow::field_type::money, {}}},
//       {"channel", {caseflow::field_type::enumeration, {"phone", "email", "letter"}}}};
//   caseflow::expression_error error;
//   auto guard = caseflow::expression::compile(
//       R"(amount > 20000 and channel in ["phone", "email"])", names, &error);
//   if (!guard) return fail(error.offset, error.message);
//   caseflow::field_values values{{"amount", caseflow::money{2'500'000}}, {"channel", "letter"}};
//   if (!guard->evaluate(values))
//     refuse(guard->source(), guard->explain(values));
//     // explain: amount = 25000.00, channel = "letter"
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/value.h"

namespace caseflow {

// What a name in an expression may refer to: case fields plus context variables (e.g. `actor`).
struct field_signature {
  field_type type;
  std::vector<std::string> enum_values;  // only for field_type::enumeration
};
using field_signatures = std::map<std::string, field_signature, std::less<>>;

struct expression_error {
  std::size_t offset = 0;  // byte offset into the source text where the problem starts
  std::string message;     // e.g. "unknown field 'amout'; did you mean 'amount'?"
};

class calendar;

namespace detail {
struct expression_tree;
}

// A compiled, type-checked boolean expression. Intentionally copyable (shares an immutable tree).
class expression {
 public:
  // Parses `source` and type-checks it against `names`. The result must be boolean.
  // On failure returns std::nullopt and fills *error with the first problem found.
  // REQUIRES: error != nullptr. Never throws except std::bad_alloc.
  static std::optional<expression> compile(std::string_view source, const field_signatures& names,
                                           expression_error* error);

  // Evaluates against `values` (names absent from the map are null; see the null rules
  // above). `cal` counts the durations that need one (working time, months on a datetime);
  // it may be null. Never throws and allocates nothing.
  bool evaluate(const field_values& values, const calendar* cal = nullptr) const;

  // True when a duration in the expression needs a calendar (working time, or months on a
  // datetime): a procedure without a calendar cannot use it.
  bool needs_calendar() const;

  // Names referenced by the expression, in order of first appearance, without duplicates.
  const std::vector<std::string>& names() const;

  // The text compile() was given.
  const std::string& source() const;

  // For refusal messages: each referenced name with its current value, in names() order:
  //   amount = 25000.00, responsibility = "company", approver = (not set)
  // Text and enum values are quoted (with \" and \\ escaped); other values use format_value.
  std::string explain(const field_values& values) const;

 private:
  explicit expression(std::shared_ptr<const detail::expression_tree> tree);

  std::shared_ptr<const detail::expression_tree> tree_;
};

}  // namespace caseflow
