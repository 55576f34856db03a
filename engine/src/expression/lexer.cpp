// Lexing of guard expressions: names, keywords, numbers, strings and operators.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "expression/internal.h"

namespace caseflow::detail {
namespace {

constexpr std::pair<std::string_view, tok> k_keywords[] = {
    {"and", tok::kw_and},   {"or", tok::kw_or},       {"not", tok::kw_not},  {"in", tok::kw_in},
    {"true", tok::kw_true}, {"false", tok::kw_false}, {"null", tok::kw_null}};

constexpr std::pair<std::string_view, tok> k_symbols[] = {  // two-character ones first
    {"==", tok::equal},         {"!=", tok::not_equal}, {"<=", tok::less_equal},
    {">=", tok::greater_equal}, {"<", tok::less},       {">", tok::greater},
    {"+", tok::plus},           {"-", tok::minus},      {"*", tok::star},
    {"/", tok::slash},          {"(", tok::lparen},     {")", tok::rparen},
    {"[", tok::lbracket},       {"]", tok::rbracket},   {",", tok::comma}};

constexpr std::pair<std::string_view, std::string_view> k_foreign_operators[] = {
    {"&&", "; use 'and'"},
    {"||", "; use 'or'"},
    {"!", "; use 'not'"},
    {"=", "; did you mean '=='?"}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

token bad_token(std::size_t offset, std::string_view text, std::string message) {
  return token{tok::bad, offset, text, {}, std::move(message), 0};
}

// A keyword in any case ("AND" too: the parser explains that keywords are lower-case).
bool is_keyword(std::string_view word) {
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  for (const auto& entry : k_keywords)
    if (entry.first == lower) return true;
  return false;
}

std::size_t skip_spaces(std::string_view source, std::size_t pos) {
  while (pos < source.size() && source[pos] == ' ') ++pos;
  return pos;
}

// The word of letters at `pos` when it is a whole name that is not a keyword (a unit such as
// "years" or "working"), else empty.
std::string_view unit_word(std::string_view source, std::size_t pos) {
  std::size_t end = pos;
  while (end < source.size() && is_name_char(source[end])) ++end;
  const std::string_view word = source.substr(pos, end - pos);
  const bool letters = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
  if (!letters || is_keyword(word) || (end < source.size() && source[end] == '.')) return {};
  return word;
}

// A number [start, number_end) followed by a unit is a duration, as limits write them:
// "5 years", "1d", "1 working day", "4h working". nullopt when no unit follows.
std::optional<token> lex_duration(std::string_view source, std::size_t start, std::size_t number_end) {
  std::size_t pos = skip_spaces(source, number_end);
  const std::string_view first = unit_word(source, pos);
  if (first.empty()) return std::nullopt;
  std::size_t end = pos + first.size();
  const std::size_t next = skip_spaces(source, end);
  const std::string_view second = unit_word(source, next);
  if (!second.empty() && (first == "working" || second == "working")) end = next + second.size();
  const std::string_view text = source.substr(start, end - start);
  std::string why;
  auto span = parse_duration(text, &why);
  // Another word after a number is left to the parser ("(amount > 5 approved)" lacks a ')'),
  // unless it says "working": then it was meant as a duration.
  if (!span && first != "working" && second != "working") return std::nullopt;
  if (!span) return bad_token(start, text, why);
  token t{tok::duration, start, text, {}, {}, 0};
  t.span = std::move(*span);
  return t;
}

token lex_number(std::string_view source, std::size_t start) {
  std::size_t number_end = start;
  while (number_end < source.size() && is_digit(source[number_end])) ++number_end;
  if (number_end + 1 < source.size() && source[number_end] == '.' && is_digit(source[number_end + 1])) {
    ++number_end;
    while (number_end < source.size() && is_digit(source[number_end])) ++number_end;
  }
  if (auto span = lex_duration(source, start, number_end)) return std::move(*span);
  std::size_t pos = start;
  std::int64_t whole = 0;
  bool overflow = false;
  while (pos < source.size() && is_digit(source[pos])) {
    const int digit = source[pos++] - '0';
    overflow = overflow || __builtin_mul_overflow(whole, 10, &whole) ||
               __builtin_add_overflow(whole, digit, &whole);
  }
  if (pos >= source.size() || source[pos] != '.') {
    const std::string_view text = source.substr(start, pos - start);
    if (overflow) return bad_token(start, text, fmt::format("integer '{}' is too large", text));
    return token{tok::integer, start, text, {}, {}, whole};
  }
  const std::size_t point = pos++;
  while (pos < source.size() && is_digit(source[pos])) ++pos;
  const std::string_view text = source.substr(start, pos - start);
  const std::size_t decimals = pos - point - 1;
  if (decimals == 0) return bad_token(start, text, fmt::format("expected digits after '{}'", text));
  if (decimals > 2)
    return bad_token(
        start, text,
        fmt::format("decimal '{}' has more than two decimals; money is exact to the fen", text));
  std::int64_t fen = 0;
  for (std::size_t i = point + 1; i < pos; ++i) fen = fen * 10 + (source[i] - '0');
  if (decimals == 1) fen *= 10;
  if (overflow || __builtin_mul_overflow(whole, 100, &whole) ||
      __builtin_add_overflow(whole, fen, &fen))
    return bad_token(start, text, fmt::format("decimal '{}' is too large", text));
  return token{tok::decimal, start, text, {}, {}, fen};
}

token lex_string(std::string_view source, std::size_t start) {
  std::string decoded;
  for (std::size_t pos = start + 1; pos < source.size(); ++pos) {
    const char c = source[pos];
    if (c == '"')
      return token{tok::string, start, source.substr(start, pos + 1 - start), decoded, {}, 0};
    if (c == '\\') {
      if (pos + 1 < source.size() && (source[pos + 1] == '"' || source[pos + 1] == '\\')) {
        decoded += source[++pos];
        continue;
      }
      if (pos + 1 < source.size())
        return bad_token(pos, source.substr(pos, 2),
                         fmt::format(R"(unknown escape '{}' in string; only \" and \\ are allowed)",
                                     source.substr(pos, 2)));
    }
    decoded += c;
  }
  return bad_token(start, source.substr(start), "unterminated string");
}

}  // namespace

token lex(std::string_view source, std::size_t pos) {
  while (pos < source.size() &&
         (source[pos] == ' ' || source[pos] == '\t' || source[pos] == '\n' || source[pos] == '\r'))
    ++pos;
  if (pos >= source.size()) return token{tok::end, source.size(), {}, {}, {}, 0};
  const std::string_view rest = source.substr(pos);
  if (is_digit(rest[0])) return lex_number(source, pos);
  if (rest[0] == '"') return lex_string(source, pos);
  if (is_name_start(rest[0])) {
    std::size_t n = 1;
    while (n < rest.size() && (is_name_char(rest[n]) || (rest[n] == '.' && n + 1 < rest.size() &&
                                                         is_name_start(rest[n + 1]))))
      ++n;
    const std::string_view text = rest.substr(0, n);
    for (const auto& [word, keyword] : k_keywords)
      if (text == word) return token{keyword, pos, text, {}, {}, 0};
    return token{tok::name, pos, text, {}, {}, 0};
  }
  for (const auto& [symbol, operator_kind] : k_symbols)
    if (rest.starts_with(symbol)) return token{operator_kind, pos, symbol, {}, {}, 0};
  for (const auto& [symbol, hint] : k_foreign_operators)
    if (rest.starts_with(symbol))
      return bad_token(pos, symbol, fmt::format("unexpected '{}'{}", symbol, hint));
  std::size_t n = 1;  // a whole UTF-8 sequence, so the message shows the character
  while (n < rest.size() && (static_cast<unsigned char>(rest[n]) & 0xC0) == 0x80) ++n;
  return bad_token(pos, rest.substr(0, n), fmt::format("unexpected '{}'", rest.substr(0, n)));
}

}  // namespace caseflow::detail
