// Parsing of guard expressions into an expression_tree.
//
// One pass of recursive descent: each parse_* function returns a typed operand (or nullopt
// after recording the first error), asking the type_checker (expression/check.cpp) about
// each operator as it builds the node, so the first problem in source order is reported.
#include <algorithm>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "caseflow/diagnostic.h"
#include "caseflow/expression.h"
#include "expression/internal.h"

namespace caseflow {
namespace detail {
namespace {

kind kind_of(field_type type) {
  switch (type) {
    case field_type::text: return kind::text;
    case field_type::integer: return kind::integer;
    case field_type::money: return kind::money;
    case field_type::boolean: return kind::boolean;
    case field_type::enumeration: return kind::enumeration;
    case field_type::date: return kind::date;
    case field_type::datetime: return kind::datetime;
  }
  return kind::text;
}

// Bounds that keep parsing and evaluation (both recursive) far from the stack's end, with
// room to spare for any guard a person writes.
constexpr int k_max_nesting = 100;            // parentheses, 'not' and unary '-' inside each other
constexpr std::uint32_t k_max_depth = 1000;   // nodes on one path of the tree, e.g. 'a or b or c ...'

class parser {
 public:
  parser(std::string_view source, const field_signatures& names, expression_tree* tree,
         expression_error* error)
      : source_(source),
        names_(names),
        tree_(tree),
        check_(source, tree, error),
        tok_(lex(source, 0)) {}

  bool run() {
    if (tok_.kind == tok::end) {
      fail(0, "empty expression");
      return false;
    }
    auto root = parse_or();
    if (!root) return false;
    if (tok_.kind != tok::end) {
      const std::string hint = keyword_hint(tok_);
      fail_at_token(
          fmt::format("unexpected {}; {}", shown(tok_),
                      hint.empty() ? "expected an operator or the end of the expression" : hint));
      return false;
    }
    if (!check_.require_condition(*root)) return false;
    tree_->root = root->node;
    return true;
  }

 private:
  using result = std::optional<operand>;

  std::nullopt_t fail(std::size_t offset, std::string message) {
    return check_.fail(offset, std::move(message));
  }
  // A complaint about the current token; a malformed token's own message explains it better.
  std::nullopt_t fail_at_token(std::string message) {
    return fail(tok_.offset, tok_.kind == tok::bad ? tok_.message : std::move(message));
  }

  static std::string shown(const token& t) {
    if (t.kind == tok::end) return "end of expression";
    if (t.kind == tok::string) return std::string(t.text);
    return fmt::format("'{}'", t.text);
  }

  // "keywords are lower-case: 'and'" when `t` is a keyword in the wrong case, else "".
  static std::string keyword_hint(const token& t) {
    if (t.kind != tok::name) return {};
    std::string lower(t.text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    if (lex(lower, 0).kind == tok::name) return {};
    return fmt::format("keywords are lower-case: '{}'", lower);
  }

  void advance() {
    prev_ = tok_.text;
    prev_end_ = tok_.offset + tok_.text.size();
    tok_ = lex(source_, prev_end_);
  }

  // Counts one level of nesting (parentheses, 'not', unary '-') while alive.
  class nesting {
   public:
    explicit nesting(int* level) : level_(level) { ++*level_; }
    ~nesting() { --*level_; }
    nesting(const nesting&) = delete;
    nesting& operator=(const nesting&) = delete;
    bool too_deep() const { return *level_ > k_max_nesting; }

   private:
    int* level_;
  };

  std::nullopt_t fail_too_nested() {
    return fail(tok_.offset, fmt::format("the expression nests parentheses, 'not' and '-' more than {} levels deep",
                                         k_max_nesting));
  }

  // `o`, unless its tree is deeper than evaluation may recurse.
  result within_depth(const operand& o) {
    if (o.depth <= k_max_depth) return o;
    return fail(o.begin, fmt::format("the expression is more than {} operators deep; split it", k_max_depth));
  }

  std::uint32_t add(node n) {
    tree_->nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(tree_->nodes.size() - 1);
  }

  operand combine(op code, const operand& lhs, const operand& rhs, kind type) {
    node n;
    n.code = code;
    n.lhs = lhs.node;
    n.rhs = rhs.node;
    return operand{.node = add(std::move(n)),
                   .type = type,
                   .begin = lhs.begin,
                   .end = rhs.end,
                   .depth = 1 + std::max(lhs.depth, rhs.depth)};
  }

  // `base + span` or `base - span`: a date or datetime moved by a duration.
  operand shift(op code, const operand& base, const operand& span, kind type) {
    node n;
    n.code = op::shift;
    n.type = type == kind::date ? field_type::date : field_type::datetime;
    n.lhs = base.node;
    n.number = code == op::subtract ? -1 : 1;
    n.span = tree_->nodes[span.node].span;
    return operand{.node = add(std::move(n)),
                   .type = type,
                   .begin = base.begin,
                   .end = span.end,
                   .depth = 1 + std::max(base.depth, span.depth)};
  }

  result parse_or() {
    auto lhs = parse_and();
    while (lhs && tok_.kind == tok::kw_or) {
      advance();
      auto rhs = parse_and();
      if (!rhs || !check_.require_condition(*lhs) || !check_.require_condition(*rhs))
        return std::nullopt;
      lhs = within_depth(combine(op::logical_or, *lhs, *rhs, kind::boolean));
    }
    return lhs;
  }

  result parse_and() {
    auto lhs = parse_not();
    while (lhs && tok_.kind == tok::kw_and) {
      advance();
      auto rhs = parse_not();
      if (!rhs || !check_.require_condition(*lhs) || !check_.require_condition(*rhs))
        return std::nullopt;
      lhs = within_depth(combine(op::logical_and, *lhs, *rhs, kind::boolean));
    }
    return lhs;
  }

  result parse_not() {
    if (tok_.kind != tok::kw_not) return parse_comparison();
    const nesting level(&nesting_);
    if (level.too_deep()) return fail_too_nested();
    const std::size_t begin = tok_.offset;
    advance();
    auto inner = parse_not();
    if (!inner || !check_.require_condition(*inner)) return std::nullopt;
    node n;
    n.code = op::logical_not;
    n.lhs = inner->node;
    return within_depth(operand{.node = add(std::move(n)),
                                .type = kind::boolean,
                                .begin = begin,
                                .end = inner->end,
                                .depth = inner->depth + 1});
  }

  std::optional<op> comparison_op() const {
    switch (tok_.kind) {
      case tok::equal: return op::equal;
      case tok::not_equal: return op::not_equal;
      case tok::less: return op::less;
      case tok::less_equal: return op::less_equal;
      case tok::greater: return op::greater;
      case tok::greater_equal: return op::greater_equal;
      case tok::kw_in: return op::in;
      case tok::kw_not:
        return lex(source_, tok_.offset + tok_.text.size()).kind == tok::kw_in
                   ? std::optional<op>(op::not_in)
                   : std::nullopt;
      default: return std::nullopt;
    }
  }

  result parse_comparison() {
    auto lhs = parse_sum();
    if (!lhs) return std::nullopt;
    const auto code = comparison_op();
    if (!code) return lhs;
    const token op_token = tok_;
    advance();
    if (code == op::not_in) advance();
    result out = code == op::in || code == op::not_in
                     ? parse_list(*code, *lhs)
                     : parse_binary_comparison(*code, *lhs, op_token);
    if (out && comparison_op()) return fail_at_token("comparisons cannot be chained; use 'and'");
    return out;
  }

  result parse_binary_comparison(op code, operand lhs, const token& op_token) {
    auto rhs = parse_sum();
    if (!rhs || !check_.check_comparable(code, lhs, *rhs, op_token.offset, op_token.text))
      return std::nullopt;
    return within_depth(combine(code, lhs, *rhs, kind::boolean));
  }

  result parse_list(op code, operand lhs) {
    const std::string_view keyword = code == op::in ? "in" : "not in";
    if (tok_.kind != tok::lbracket)
      return fail_at_token(fmt::format("expected '[' after '{}'", keyword));
    advance();
    if (tok_.kind == tok::rbracket)
      return fail(tok_.offset, fmt::format("the list after '{}' is empty", keyword));
    node n;
    n.code = code;
    n.lhs = lhs.node;
    std::uint32_t depth = lhs.depth;
    while (true) {
      auto item = parse_sum();
      if (!item || !check_.check_comparable(op::in, lhs, *item, item->begin, keyword))
        return std::nullopt;
      n.items.push_back(item->node);
      depth = std::max(depth, item->depth);
      if (tok_.kind == tok::rbracket) break;
      if (tok_.kind != tok::comma)
        return fail_at_token(fmt::format("expected ',' or ']' after {}", check_.shown(*item)));
      advance();
    }
    const std::size_t end = tok_.offset + 1;
    advance();
    return within_depth(operand{
        .node = add(std::move(n)), .type = kind::boolean, .begin = lhs.begin, .end = end, .depth = depth + 1});
  }

  // One precedence level of left-associative arithmetic: operand (op operand)*.
  result parse_arithmetic(result (parser::*operand_parser)(), tok first, op first_op, tok second,
                          op second_op) {
    auto lhs = (this->*operand_parser)();
    while (lhs && (tok_.kind == first || tok_.kind == second)) {
      const token op_token = tok_;
      const op code = tok_.kind == first ? first_op : second_op;
      advance();
      auto rhs = (this->*operand_parser)();
      if (!rhs) return std::nullopt;
      const auto type = check_.check_arithmetic(code, *lhs, *rhs, op_token.offset, op_token.text);
      if (!type) return std::nullopt;
      if (rhs->type == kind::duration) {
        lhs = within_depth(shift(code, *lhs, *rhs, *type));
        continue;  // nothing to fold: a date or datetime is never a constant
      }
      lhs = within_depth(combine(code, *lhs, *rhs, *type));
      if (!lhs || !check_.fold(*lhs, op_token.offset)) return std::nullopt;
    }
    return lhs;
  }

  result parse_sum() {
    return parse_arithmetic(&parser::parse_product, tok::plus, op::add, tok::minus, op::subtract);
  }
  result parse_product() {
    return parse_arithmetic(&parser::parse_unary, tok::star, op::multiply, tok::slash, op::divide);
  }

  result parse_unary() {
    if (tok_.kind != tok::minus) return parse_primary();
    const nesting level(&nesting_);
    if (level.too_deep()) return fail_too_nested();
    const token op_token = tok_;
    advance();
    auto inner = parse_unary();
    if (!inner) return std::nullopt;
    if (!check_.check_negate(*inner, op_token.offset)) return std::nullopt;
    node n;
    n.code = op::negate;
    n.lhs = inner->node;
    const operand out{.node = add(std::move(n)),
                      .type = inner->type,
                      .begin = op_token.offset,
                      .end = inner->end,
                      .depth = inner->depth + 1};
    if (!check_.fold(out, op_token.offset)) return std::nullopt;
    return within_depth(out);
  }

  result literal(kind type, node n) {
    n.code = op::constant;
    const operand out{.node = add(std::move(n)),
                      .type = type,
                      .begin = tok_.offset,
                      .end = tok_.offset + tok_.text.size(),
                      .decimal = tok_.kind == tok::decimal};
    advance();
    return out;
  }

  result parse_primary() {
    node n;
    switch (tok_.kind) {
      case tok::integer:
      case tok::decimal: {
        n.constant = datum_state::number;
        n.number = tok_.number;
        result out = literal(tok_.kind == tok::integer ? kind::integer : kind::money, std::move(n));
        if (auto misspelt = misspelt_unit()) return fail(tok_.offset, *misspelt);
        return out;
      }
      case tok::string:
        n.constant = datum_state::text;
        n.text = tok_.decoded;
        return literal(kind::string, std::move(n));
      case tok::kw_true:
      case tok::kw_false:
        n.constant = datum_state::boolean;
        n.boolean = tok_.kind == tok::kw_true;
        return literal(kind::boolean, std::move(n));
      case tok::kw_null: return literal(kind::null, std::move(n));
      case tok::duration:
        if (names_.find("now") == names_.end())
          return fail(tok_.offset, fmt::format("{} is a duration; durations can be used only in the guard of an "
                                               "action, judged at the command's time",
                                               shown(tok_)));
        n.constant = datum_state::invalid;
        n.span = tok_.span;
        return literal(kind::duration, std::move(n));
      case tok::name: return parse_name();
      case tok::lparen: {
        const nesting level(&nesting_);
        if (level.too_deep()) return fail_too_nested();
        const std::size_t begin = tok_.offset;
        advance();
        auto inner = parse_or();
        if (!inner) return std::nullopt;
        if (tok_.kind != tok::rparen)
          return fail_at_token(
              fmt::format("expected ')' after '{}'", source_.substr(begin, prev_end_ - begin)));
        inner->begin = begin;
        inner->end = tok_.offset + 1;
        advance();
        return inner;
      }
      case tok::lbracket:
        return fail(tok_.offset, "a list '[...]' can only follow 'in' or 'not in'");
      case tok::end: return fail(tok_.offset, fmt::format("expected a value after '{}'", prev_));
      default: return fail_at_token(fmt::format("unexpected {}; expected a value", shown(tok_)));
    }
  }

  // After a number, in a guard that may use durations: a name close to a unit ("5 yeras").
  std::optional<std::string> misspelt_unit() const {
    static const std::vector<std::string> k_unit_words{"minute", "minutes", "hour", "hours", "day", "days",
                                                       "week", "weeks", "month", "months", "year", "years",
                                                       "working"};
    if (tok_.kind != tok::name || names_.find("now") == names_.end()) return std::nullopt;
    const std::string hint = did_you_mean(tok_.text, k_unit_words);
    if (hint.empty()) return std::nullopt;
    return fmt::format("unknown unit '{}' after a number{}; a duration is a number and a unit: 5 years, 7d, "
                       "24h, 1 working day",
                       tok_.text, hint);
  }

  result parse_name() {
    const std::string name(tok_.text);
    const auto found = names_.find(name);
    if (found == names_.end()) {
      std::vector<std::string> known;
      for (const auto& entry : names_) known.push_back(entry.first);
      std::string hint = did_you_mean(name, known);
      if (hint.empty() && !keyword_hint(tok_).empty()) hint = "; " + keyword_hint(tok_);
      return fail(tok_.offset, fmt::format("unknown field '{}'{}", name, hint));
    }
    if (std::find(tree_->names.begin(), tree_->names.end(), name) == tree_->names.end())
      tree_->names.push_back(name);
    node n;
    n.code = op::name;
    n.type = found->second.type;
    n.text = name;
    const operand out{.node = add(std::move(n)),
                      .type = kind_of(found->second.type),
                      .begin = tok_.offset,
                      .end = tok_.offset + tok_.text.size(),
                      .signature = &found->second};
    advance();
    return out;
  }

  std::string_view source_;
  const field_signatures& names_;
  expression_tree* tree_;
  type_checker check_;
  token tok_;
  std::string_view prev_;     // the text of the token before tok_
  std::size_t prev_end_ = 0;  // where it ended
  int nesting_ = 0;           // parentheses, 'not' and unary '-' open around tok_
};

}  // namespace

std::optional<expression_tree> compile_tree(std::string_view source, const field_signatures& names,
                                            expression_error* error) {
  expression_tree tree;
  tree.source = std::string(source);
  parser p(source, names, &tree, error);
  if (!p.run()) return std::nullopt;
  return tree;
}

}  // namespace detail

std::optional<expression> expression::compile(std::string_view source,
                                              const field_signatures& names,
                                              expression_error* error) {
  auto tree = detail::compile_tree(source, names, error);
  if (!tree) return std::nullopt;
  return expression(std::make_shared<const detail::expression_tree>(std::move(*tree)));
}

}  // namespace caseflow
