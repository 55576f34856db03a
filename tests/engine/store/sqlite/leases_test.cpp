// Lease holders (caseflow/store.h, lease; store/lease.cpp): a lease names its worker by host,
// process and a random part, and a worker of this machine whose process no longer runs is known
// to have stopped, so its outbox claims are free at once; one of another machine never is. The
// claims themselves are tested end to end (tests/e2e/notify_outbox_test.cpp: two dispatchers,
// and `run` killed mid-delivery).
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include <doctest/doctest.h>

#include "caseflow/store.h"

namespace caseflow {
namespace {

TEST_CASE("leases: a lease names this process and lasts as asked; a stopped process of this machine is known") {
  const lease mine = new_lease(300);
  CHECK(mine.until.seconds - mine.taken.seconds == 300);
  const std::string host = mine.worker.substr(0, mine.worker.find(':'));
  CHECK_FALSE(host.empty());
  CHECK(mine.worker.rfind(host + ":" + std::to_string(::getpid()) + ":", 0) == 0);
  CHECK(new_lease(300).worker != mine.worker);  // two leases of one process are told apart
  CHECK_FALSE(lease_holder_stopped(mine.worker));

  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  REQUIRE(gone > 0);
  REQUIRE(::waitpid(gone, nullptr, 0) == gone);
  CHECK(lease_holder_stopped(host + ":" + std::to_string(gone) + ":0"));
  // Another machine's process, and names that are not a lease's, are never known to have stopped.
  CHECK_FALSE(lease_holder_stopped("another-host:" + std::to_string(gone) + ":0"));
  CHECK_FALSE(lease_holder_stopped("other"));
  CHECK_FALSE(lease_holder_stopped(host + ":x:0"));
  CHECK_FALSE(lease_holder_stopped(host + ":0:0"));
}

}  // namespace
}  // namespace caseflow
