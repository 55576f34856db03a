// test_support.h — helpers that several unit tests under tests/engine/ share word for word: the
// shipped calendars (cn-mainland), an instant from ISO-8601 text, and a moment at 01:00 UTC of a
// given civil date. Header-only (inline): the test glob builds only *_test.cpp files, which may
// also be compiled together in one translation unit.
#pragma once

#include <cstdint>
#include <string>

#include <doctest/doctest.h>

#include "caseflow/actions.h"
#include "caseflow/calendar.h"
#include "caseflow/core.h"
#include "caseflow/loader.h"
#include "caseflow/value.h"

namespace caseflow::test {

inline const std::string k_calendar_dir = std::string(CASEFLOW_SOURCE_DIR) + "/processes/calendars";

// The calendars of processes/calendars, loaded once; a loading problem fails the test.
inline const calendar_set& shipped() {
  static const calendar_set set = [] {
    diagnostics problems;
    calendar_set loaded = load_calendars(k_calendar_dir, &problems);
    for (const diagnostic& d : problems) FAIL_CHECK(to_string(d));
    return loaded;
  }();
  return set;
}

// The shipped cn-mainland calendar.
inline const calendar& cn() {
  const calendar* cal = shipped().find("cn-mainland");
  REQUIRE(cal);
  return *cal;
}

// `text` with the first `from` replaced by `to`; `from` must occur (a test's edit of a YAML text).
inline std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The instant `text` names; throws std::bad_optional_access when it does not parse.
inline instant at(const char* text) { return parse_instant(text).value(); }

// 01:00 UTC on the civil date year-month-day, with that date as today.
inline moment on(int year, unsigned month, unsigned day) {
  const civil_date d = make_date(year, month, day);
  return {instant{std::int64_t{d.days} * 86400 + 3600}, d};
}

// The procedure `yaml` (named `file` in messages); any diagnostic fails the test.
inline procedure load_or_fail(const char* yaml, const char* file) {
  diagnostics out;
  auto loaded = load_procedure_text(yaml, file, &out);
  for (const diagnostic& d : out) FAIL_CHECK(to_string(d));
  REQUIRE(loaded.has_value());
  return *loaded;
}

// A registry of the built-in handlers (default delivery configuration), made once.
inline const handler_registry& builtin_handlers() {
  static const handler_registry& registry = []() -> const handler_registry& {
    static handler_registry r;
    actions::register_builtins(r, {});
    return r;
  }();
  return registry;
}

// The default moment of the core and approval tests: Tuesday 2026-11-24.
inline const moment k_today = on(2026, 11, 24);

}  // namespace caseflow::test
