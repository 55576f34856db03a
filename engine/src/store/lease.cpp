// Leases: names and liveness of the workers that take them. See caseflow/store.h (lease).
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <random>

#include <fmt/format.h>

#include "caseflow/store.h"

namespace caseflow {

namespace {
// This machine's name, read once.
const std::string& this_host() {
  static const std::string host = [] {
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return std::string(name);
  }();
  return host;
}
}  // namespace

lease new_lease(std::int64_t seconds) {
  std::random_device random;
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const instant taken{std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count()};
  return {fmt::format("{}:{}:{:08x}", this_host(), ::getpid(), random()), taken, instant{taken.seconds + seconds}};
}

bool lease_holder_stopped(std::string_view worker) {
  const auto colon = worker.find(':');
  const auto second = colon == std::string_view::npos ? colon : worker.find(':', colon + 1);
  if (second == std::string_view::npos || worker.substr(0, colon) != this_host()) return false;
  const std::string_view pid_text = worker.substr(colon + 1, second - colon - 1);
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
  if (error != std::errc{} || end != pid_text.data() + pid_text.size() || pid <= 0) return false;
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace caseflow
