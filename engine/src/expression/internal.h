// expression_internal.h — internals of caseflow/expression.h shared by its sources: the lexer
// (expression/lexer.cpp), the parser (expression/parser.cpp) and type checker
// (expression/check.cpp), which together build an expression_tree, and the evaluator
// (expression/eval.cpp).
//
// A tree is a flat vector of nodes; children are indices into it. It is built once by
// compile_tree() and never changed afterwards, so it may be shared between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/duration.h"
#include "caseflow/expression.h"

namespace caseflow::detail {

enum class op : std::uint8_t {
  constant,
  name,
  logical_not,
  logical_and,
  logical_or,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  in,
  not_in,
  negate,
  add,
  subtract,
  multiply,
  divide,
  shift  // a date or datetime (lhs) moved by a duration (node::span) forward or back (node::number: +1 or -1)
};

// How a value looks while evaluating. int, money (fen), date (days) and datetime (seconds)
// are all numbers: the type checker guarantees only like is compared with like.
enum class datum_state : std::uint8_t { null, invalid, boolean, number, text };

// A value during evaluation; `text` views a node's string or a field's string, never owns.
struct datum {
  datum_state state = datum_state::null;
  bool boolean = false;
  std::int64_t number = 0;
  std::string_view text;
};

struct node {
  op code = op::constant;
  field_type type = field_type::boolean;  // op::name: how to read the field's value; op::shift: date or datetime
  std::uint32_t lhs = 0;                  // operand of unary and binary operators
  std::uint32_t rhs = 0;
  std::vector<std::uint32_t> items;          // op::in, op::not_in: the list elements
  std::string text;                          // op::name: the name; text constants: the text
  datum_state constant = datum_state::null;  // op::constant: which of the fields below
  bool boolean = false;
  std::int64_t number = 0;
  duration span{};  // a duration constant (never evaluated alone), and what op::shift moves by
};

struct expression_tree {
  std::string source;
  std::vector<node> nodes;
  std::uint32_t root = 0;
  std::vector<std::string> names;  // in order of first appearance
  bool needs_calendar = false;     // an op::shift counts working time or moves a datetime by months
};

// ---- Evaluation (expression/eval.cpp) ----

// The value of node `index` (any type); never throws. `cal` may be null (see expression.h).
datum evaluate_node(const expression_tree& tree, std::uint32_t index, const field_values& values,
                    const calendar* cal);

// ---- Lexing (expression/lexer.cpp) ----

enum class tok {
  end,
  bad,
  name,
  integer,
  decimal,
  string,
  duration,
  kw_and,
  kw_or,
  kw_not,
  kw_in,
  kw_true,
  kw_false,
  kw_null,
  lparen,
  rparen,
  lbracket,
  rbracket,
  comma,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  plus,
  minus,
  star,
  slash
};

// One token of the source. Malformed input becomes a tok::bad token carrying its message,
// reported when the parser reaches it, so errors come in source order.
struct token {
  tok kind = tok::end;
  std::size_t offset = 0;
  std::string_view text;    // as written; for tok::end, empty
  std::string decoded;      // tok::string: the text without quotes and escapes
  std::string message;      // tok::bad: what is wrong
  std::int64_t number = 0;  // tok::integer: the value; tok::decimal: the value in fen
  caseflow::duration span{};  // tok::duration: as parse_duration read it
};

// The token starting at or after `pos` (whitespace skipped). Views into `source`.
token lex(std::string_view source, std::size_t pos);

// ---- Type checking (expression/check.cpp) ----

// The static type of an operand: a field type, or a literal whose type its context decides.
enum class kind : std::uint8_t {
  boolean,
  integer,
  money,
  text,
  enumeration,
  date,
  datetime,
  string,
  null,
  duration
};

// A parsed and type-checked subexpression: its root node, type and source span.
struct operand {
  std::uint32_t node = 0;
  kind type = kind::boolean;
  std::size_t begin = 0;  // source span, for messages
  std::size_t end = 0;
  bool decimal = false;                        // a decimal literal such as 10.50
  const field_signature* signature = nullptr;  // names only
  std::uint32_t depth = 1;                     // levels of nodes below and including this one
};

// The typing rules of caseflow/expression.h, applied by the parser as it builds nodes.
// Checks may rewrite literal nodes (a string literal becomes a date, 20000 becomes money)
// and fold constant arithmetic. Each bool or optional result is false/nullopt after the
// problem was recorded in *error. Not copyable: it points into the tree being built.
class type_checker {
 public:
  type_checker(std::string_view source, expression_tree* tree, expression_error* error);
  type_checker(const type_checker&) = delete;
  type_checker& operator=(const type_checker&) = delete;

  std::nullopt_t fail(std::size_t offset, std::string message);
  // The operand as written, quoted: 'amount * 2' or "email".
  std::string shown(const operand& o) const;
  // With its type: 'amount' (money).
  std::string shown_typed(const operand& o) const;

  bool require_condition(const operand& o);
  // a == b, a < b, ...; or, with op::in, `a in [..., b, ...]`. `offset` and `op_text`
  // say where and which the comparison is.
  bool check_comparable(op code, operand& a, operand& b, std::size_t offset,
                        std::string_view op_text);
  // The result type of `a op b` for + - * /.
  std::optional<kind> check_arithmetic(op code, operand& a, operand& b, std::size_t offset,
                                       std::string_view op_text);
  bool check_negate(const operand& inner, std::size_t offset);
  // `a op b` where one side is a duration: a date or datetime moved by it (see expression.h).
  std::optional<kind> check_shift(op code, const operand& a, const operand& b, std::size_t offset,
                                  std::string_view op_text);
  // Computes an arithmetic node on constants now, so its result can still become money.
  bool fold(const operand& o, std::size_t offset);

 private:
  bool reject(std::size_t offset, std::string message);
  bool resolve_string(operand& literal, const operand& other);
  bool promote(operand& o, const operand& other);
  bool check_decimal(const operand& a, const operand& b);

  std::string_view source_;
  expression_tree* tree_;
  expression_error* error_;
};

// ---- Parsing (expression/parser.cpp) ----

// Parses and type-checks; nullopt with *error filled on failure.
std::optional<expression_tree> compile_tree(std::string_view source, const field_signatures& names,
                                            expression_error* error);

}  // namespace caseflow::detail
