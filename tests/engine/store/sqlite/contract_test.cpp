// The store contract (tests/engine/store/store_contract.h) for the SQLite store, on a fresh
// in-memory database per test.
#include <memory>

#include <doctest/doctest.h>

#include "caseflow/sqlite_store.h"
#include "engine/store/store_contract.h"

namespace caseflow::test::contract {

struct sqlite_backend {
  static std::unique_ptr<store> make() { return std::make_unique<sqlite_store>(":memory:"); }
};

}  // namespace caseflow::test::contract

TYPE_TO_STRING(caseflow::test::contract::sqlite_backend);

namespace caseflow::test::contract {

CASEFLOW_STORE_CONTRACT(sqlite_backend);

}  // namespace caseflow::test::contract
