#include "caseflow/expression.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace caseflow {
namespace {

const field_signatures& signatures() {
  static const field_signatures k_signatures{
      {"amount", {field_type::money, {}}},
      {"claim_amount", {field_type::money, {}}},
      {"proposed_amount", {field_type::money, {}}},
      {"responsibility", {field_type::enumeration, {"contractor", "company", "customer"}}},
      {"channel", {field_type::enumeration, {"phone", "email", "letter"}}},
      {"severity", {field_type::enumeration, {"general", "serious", "critical"}}},
      {"group_size", {field_type::integer, {}}},
      {"divisor", {field_type::integer, {}}},
      {"approved", {field_type::boolean, {}}},
      {"due", {field_type::date, {}}},
      {"received", {field_type::datetime, {}}},
      {"note", {field_type::text, {}}},
      {"approver", {field_type::text, {}}},
      {"actor.id", {field_type::text, {}}},
  };
  return k_signatures;
}

expression compile_ok(std::string_view source) {
  expression_error error;
  auto compiled = expression::compile(source, signatures(), &error);
  INFO("source: ", std::string(source), " error at ", error.offset, ": ", error.message);
  REQUIRE(compiled.has_value());
  return *compiled;
}

value fen(std::int64_t amount) { return money{amount}; }
value date(int year, unsigned month, unsigned day) { return make_date(year, month, day); }
value utc(std::string_view text) { return *parse_instant(text); }

struct evaluate_case {
  const char* source;
  field_values values;
  bool expected;
};

void check_cases(const std::vector<evaluate_case>& cases) {
  for (const auto& c : cases) {
    INFO("source: ", std::string(c.source), "; values: ", compile_ok(c.source).explain(c.values));
    CHECK(compile_ok(c.source).evaluate(c.values) == c.expected);
  }
}

TEST_CASE("expression: comparisons, money boundaries and arithmetic") {
  check_cases({
      {"amount > 20000 and responsibility == \"contractor\"",
       {{"amount", fen(2'500'000)}, {"responsibility", "contractor"}},
       true},
      {"amount > 20000 and responsibility == \"contractor\"",
       {{"amount", fen(2'000'000)}, {"responsibility", "contractor"}},
       false},
      {"amount > 20000 and responsibility == \"contractor\"",
       {{"amount", fen(2'500'000)}, {"responsibility", "company"}},
       false},
      {"amount <= 10000.00", {{"amount", fen(1'000'000)}}, true},
      {"amount <= 10000.00", {{"amount", fen(1'000'001)}}, false},
      {"amount <= 10000.01", {{"amount", fen(1'000'001)}}, true},
      {"amount <= 10000.01", {{"amount", fen(1'000'002)}}, false},
      {"amount < 10000.01", {{"amount", fen(1'000'000)}}, true},
      {"amount < 10000.01", {{"amount", fen(1'000'001)}}, false},
      {"amount >= 10000", {{"amount", fen(1'000'000)}}, true},
      {"amount >= 10000", {{"amount", fen(999'999)}}, false},
      {"amount == 10000", {{"amount", fen(1'000'000)}}, true},
      {"amount != 10000", {{"amount", fen(1'000'000)}}, false},
      {"amount != 10000", {{"amount", fen(1'000'001)}}, true},
      {"amount > 100 * 2", {{"amount", fen(20'001)}}, true},
      {"amount > 100 * 2", {{"amount", fen(20'000)}}, false},
      {"claim_amount > proposed_amount * 2",
       {{"claim_amount", fen(200'001)}, {"proposed_amount", fen(100'000)}},
       true},
      {"claim_amount > 2 * proposed_amount",
       {{"claim_amount", fen(200'000)}, {"proposed_amount", fen(100'000)}},
       false},
      {"amount / 3 == 33.33", {{"amount", fen(10'000)}}, true},
      {"amount / -3 == -33.33", {{"amount", fen(10'000)}}, true},  // fen truncated toward zero
      {"amount - 0.01 == 9999.99", {{"amount", fen(1'000'000)}}, true},
      {"amount + 1 == 101.00", {{"amount", fen(10'000)}}, true},
      {"-amount < -100", {{"amount", fen(10'001)}}, true},
      {"amount in [100, 200.50]", {{"amount", fen(20'050)}}, true},
      {"amount in [100, 200.50]", {{"amount", fen(20'000)}}, false},
      {"group_size + 2 * 3 == 16", {{"group_size", std::int64_t{10}}}, true},
      {"(group_size + 2) * 3 == 36", {{"group_size", std::int64_t{10}}}, true},
      {"group_size - 3 - 2 == 5", {{"group_size", std::int64_t{10}}}, true},
      {"group_size / 2 / 5 == 1", {{"group_size", std::int64_t{10}}}, true},
      {"group_size / 3 == 3", {{"group_size", std::int64_t{10}}}, true},
      {"group_size / 2 == -3", {{"group_size", std::int64_t{-7}}}, true},
      {"-group_size < 0", {{"group_size", std::int64_t{5}}}, true},
      {"group_size in [1, 2, 3]", {{"group_size", std::int64_t{2}}}, true},
      {"group_size not in [1, 2, 3]", {{"group_size", std::int64_t{4}}}, true},
  });
}

TEST_CASE("expression: logic and precedence") {
  check_cases({
      {"not (severity == \"general\") or group_size >= 10",
       {{"severity", "general"}, {"group_size", std::int64_t{12}}},
       true},
      {"not (severity == \"general\") or group_size >= 10",
       {{"severity", "general"}, {"group_size", std::int64_t{9}}},
       false},
      {"not (severity == \"general\") or group_size >= 10",
       {{"severity", "serious"}, {"group_size", std::int64_t{1}}},
       true},
      {"not severity == \"general\"", {{"severity", "serious"}}, true},  // not binds below ==
      {"true or false and false", {}, true},                             // and binds above or
      {"(true or false) and false", {}, false},
      {"not true or true", {}, true},
      {"not (true or true)", {}, false},
      {"not not approved", {{"approved", true}}, true},
      {"approved", {{"approved", true}}, true},
      {"approved", {{"approved", false}}, false},
      {"approved == true", {{"approved", true}}, true},
      {"(group_size > 1) == approved", {{"group_size", std::int64_t{2}}, {"approved", true}}, true},
      {"approved and group_size > 1 or note == \"x\"", {{"note", "x"}}, true},
  });
}

TEST_CASE("expression: enums, text, dates and datetimes") {
  check_cases({
      {"channel in [\"phone\", \"email\"]", {{"channel", "phone"}}, true},
      {"channel in [\"phone\", \"email\"]", {{"channel", "letter"}}, false},
      {"channel not in [\"phone\", \"email\"]", {{"channel", "letter"}}, true},
      {"channel not in [\"phone\", \"email\"]", {{"channel", "email"}}, false},
      {"channel == note", {{"channel", "email"}, {"note", "email"}}, true},
      {"channel in [note, \"phone\"]", {{"channel", "email"}, {"note", "email"}}, true},
      {"note == \"电话\"", {{"note", "电话"}}, true},
      {"note != \"电话\"", {{"note", "邮件"}}, true},
      {R"(note == "say \"hi\" \\ ok")", {{"note", R"(say "hi" \ ok)"}}, true},
      {"actor.id == \"zhang\"", {{"actor.id", "zhang"}}, true},
      {"due < \"2026-03-01\"", {{"due", date(2026, 2, 28)}}, true},
      {"due < \"2026-03-01\"", {{"due", date(2026, 3, 1)}}, false},
      {"due >= \"2024-02-29\"", {{"due", date(2024, 2, 29)}}, true},
      {"received > \"2026-02-13T09:50:00Z\"", {{"received", utc("2026-02-13T09:50:01Z")}}, true},
      {"received == \"2026-02-13T17:50:00+08:00\"",
       {{"received", utc("2026-02-13T09:50:00Z")}},
       true},
  });
}

TEST_CASE("expression: null semantics and arithmetic that cannot be done") {
  const std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
  check_cases({
      {"approver == null", {}, true},
      {"approver == null", {{"approver", std::monostate{}}}, true},
      {"approver == null", {{"approver", "li"}}, false},
      {"approver != null", {}, false},
      {"null == approver", {}, true},
      {"approver == \"li\"", {}, false},
      {"approver != \"li\"", {}, true},
      {"approver == note", {}, true},  // both null
      {"approver == note", {{"note", "x"}}, false},
      {"amount > 5", {}, false},
      {"amount <= 5", {}, false},
      {"amount > -1", {}, false},
      {"amount != 100", {}, true},
      {"amount + 1 == null", {}, true},
      {"amount + 1 > 0", {}, false},
      {"amount > 0", {{"amount", "not money"}}, false},  // a value of the wrong type is null
      {"channel in [\"phone\"]", {}, false},
      {"channel not in [\"phone\"]", {}, true},
      {"approved", {}, false},
      {"not approved", {}, true},
      {"approved != false", {}, true},
      {"group_size / divisor == 0",
       {{"group_size", std::int64_t{1}}, {"divisor", std::int64_t{0}}},
       false},
      {"group_size / divisor != 0",
       {{"group_size", std::int64_t{1}}, {"divisor", std::int64_t{0}}},
       false},
      {"group_size / 0 == null", {{"group_size", std::int64_t{1}}}, false},
      {"group_size / divisor not in [1]",
       {{"group_size", std::int64_t{1}}, {"divisor", std::int64_t{0}}},
       false},
      {"group_size * 2 > 0", {{"group_size", k_max}}, false},
      {"group_size + 1 != 0", {{"group_size", k_max}}, false},
      {"-group_size < 0", {{"group_size", std::numeric_limits<std::int64_t>::min()}}, false},
  });
}

struct error_case {
  const char* source;
  std::size_t offset;
  const char* message;
};

TEST_CASE("expression: compile errors give the exact message and offset") {
  const std::vector<error_case> cases = {
      // names
      {"amout > 5", 0, "unknown field 'amout'; did you mean 'amount'?"},
      {"zzz > 5", 0, "unknown field 'zzz'"},
      {"NOT approved", 0, "unknown field 'NOT'; keywords are lower-case: 'not'"},
      {"approved AND approved", 9, "unexpected 'AND'; keywords are lower-case: 'and'"},
      // tokens
      {"   ", 0, "empty expression"},
      {"note == \"abc", 8, "unterminated string"},
      {R"(note == "a\nb")", 10, R"(unknown escape '\n' in string; only \" and \\ are allowed)"},
      {"amount # 5", 7, "unexpected '#'"},
      {"amount = 5", 7, "unexpected '='; did you mean '=='?"},
      {"approved && approved", 9, "unexpected '&&'; use 'and'"},
      {"note == 电话", 8, "unexpected '电'"},
      {"amount > 10.123", 9,
       "decimal '10.123' has more than two decimals; money is exact to the fen"},
      {"amount > 10.", 9, "expected digits after '10.'"},
      {"group_size > 99999999999999999999", 13, "integer '99999999999999999999' is too large"},
      // syntax
      {"(amount > 5 and approved", 24, "expected ')' after '(amount > 5 and approved'"},
      {"(amount > 5 approved)", 12, "expected ')' after '(amount > 5'"},
      {"amount > > 5", 9, "unexpected '>'; expected a value"},
      {"amount >", 8, "expected a value after '>'"},
      {"approved approved", 9,
       "unexpected 'approved'; expected an operator or the end of the expression"},
      {"amount > 5)", 10, "unexpected ')'; expected an operator or the end of the expression"},
      {"1 < group_size < 3", 15, "comparisons cannot be chained; use 'and'"},
      {"channel == [\"phone\"]", 11, "a list '[...]' can only follow 'in' or 'not in'"},
      {"channel in \"phone\"", 11, "expected '[' after 'in'"},
      {"channel not in []", 16, "the list after 'not in' is empty"},
      {"channel in [\"phone\" \"email\"]", 20, "expected ',' or ']' after \"phone\""},
      // types
      {"amount", 0, "'amount' is money, but a condition must be bool"},
      {"amount + 1", 0, "'amount + 1' is money, but a condition must be bool"},
      {"approved and channel", 13, "'channel' is enum, but a condition must be bool"},
      {"not amount", 4, "'amount' is money, but a condition must be bool"},
      {"group_size > 10.5", 13,
       "decimal '10.5' can only be used with money, but 'group_size' is int"},
      {"channel == \"emaill\"", 11,
       "\"emaill\" is not a value of 'channel' (phone, email, letter); did you mean 'email'?"},
      {"channel in [\"phone\", \"fax\"]", 21,
       "\"fax\" is not a value of 'channel' (phone, email, letter)"},
      {"channel < \"phone\"", 8, "'<' needs int, money, date or datetime, but 'channel' is enum"},
      {"approved >= true", 9, "'>=' needs int, money, date or datetime, but 'approved' is bool"},
      {"amount == due", 7, "cannot compare 'amount' (money) with 'due' (date)"},
      {"group_size == \"10\"", 11, "cannot compare 'group_size' (int) with \"10\" (string)"},
      {"group_size in [1, \"2\"]", 18, "cannot compare 'group_size' (int) with \"2\" (string)"},
      {"amount > null", 9, "'null' can only be used with '==' or '!='"},
      {"amount + null == 1", 9, "'null' can only be used with '==' or '!='"},
      {"channel in [null]", 12, "'null' can only be used with '==' or '!='"},
      {"amount * amount > 0", 7, "cannot apply '*' to 'amount' (money) and 'amount' (money)"},
      {"group_size + amount > 0", 11,
       "cannot apply '+' to 'group_size' (int) and 'amount' (money)"},
      {"group_size / amount > 0", 11,
       "cannot apply '/' to 'group_size' (int) and 'amount' (money)"},
      {"-note == \"a\"", 0, "cannot negate 'note' (text)"},
      {"amount > 100 / 0", 13, "division by zero in '100 / 0'"},
      {"group_size > 9223372036854775807 + 1", 33, "'9223372036854775807 + 1' is too large"},
      {"amount > 922337203685477580", 9, "'922337203685477580' is too large for money"},
  };
  for (const auto& c : cases) {
    INFO("source: ", std::string(c.source));
    expression_error error;
    const auto compiled = expression::compile(c.source, signatures(), &error);
    CHECK_FALSE(compiled.has_value());
    CHECK(error.message == c.message);
    CHECK(error.offset == c.offset);
  }
}

TEST_CASE("expression: a literal that is not a valid date is a compile error") {
  expression_error error;
  CHECK_FALSE(expression::compile("due < \"2026-02-30\"", signatures(), &error).has_value());
  CHECK(error.offset == 6);
  CHECK(error.message == "'2026-02-30' is not a date (YYYY-MM-DD)");
  CHECK_FALSE(
      expression::compile("received > \"2026-02-13T09:50\"", signatures(), &error).has_value());
  CHECK(error.offset == 11);
  CHECK(error.message ==
        "'2026-02-13T09:50' is not a date and time with its zone (e.g. 2026-02-13T17:50+08:00)");
}

TEST_CASE("expression: names, source and explain") {
  const expression guard =
      compile_ok("amount > 20000 and responsibility == \"contractor\" or approver == null");
  CHECK(guard.source() ==
        "amount > 20000 and responsibility == \"contractor\" or approver == null");
  CHECK(guard.names() == std::vector<std::string>{"amount", "responsibility", "approver"});
  const field_values values{{"amount", fen(2'500'000)}, {"responsibility", "company"}};
  CHECK(guard.explain(values) ==
        "amount = 25000.00, responsibility = \"company\", approver = (not set)");

  const expression repeated = compile_ok("amount > 1 and amount < 5 and approved or due == null");
  CHECK(repeated.names() == std::vector<std::string>{"amount", "approved", "due"});
  CHECK(repeated.explain({{"amount", fen(300)}, {"approved", false}, {"due", date(2026, 2, 13)}}) ==
        "amount = 3.00, approved = false, due = 2026-02-13");

  const expression quoted = compile_ok("note == \"x\" and received == null");
  CHECK(quoted.explain({{"note", R"(say "hi" \ ok)"}, {"received", utc("2026-02-13T09:50:00Z")}}) ==
        R"(note = "say \"hi\" \\ ok", received = 2026-02-13T09:50:00Z)");
}

TEST_CASE("expression: copies share the compiled tree and evaluate alike") {
  const expression original = compile_ok("channel in [\"phone\", \"email\"]");
  const expression copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  const field_values values{{"channel", "email"}};
  CHECK(copy.evaluate(values));
  CHECK(original.evaluate(values));
  CHECK(&copy.names() == &original.names());
}

}  // namespace
}  // namespace caseflow
