#include "acting_user.h"

#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include "caseflow/erasure.h"
#include "context.h"

namespace caseflow::cli {

namespace {
// The role that may act as someone else when users are bound (the same role that may erase).
constexpr std::string_view k_impersonation_role = k_erasure_role;
}  // namespace

std::string os_login() {
  const passwd* entry = ::getpwuid(::getuid());
  return entry && entry->pw_name ? entry->pw_name : "";
}

std::string bound_actor(const organisation& org, const std::string& login, const std::string& as, std::string* self_id) {
  const person* self = org.find_by_os_user(login);
  if (!self)
    throw command_failure{k_exit_refused,
                          fmt::format("acting users are bound to OS users, and no person in org.yaml has "
                                      "`os_user: {}` (the OS user running caseflow)",
                                      login)};
  *self_id = self->id;
  if (as.empty() || as == self->id) return self->id;
  if (!self->holds(k_impersonation_role))
    throw command_failure{k_exit_refused,
                          fmt::format("acting users are bound to OS users: the OS user '{}' is {} and may not act as "
                                      "'{}' (only a person holding the '{}' role may)",
                                      login, self->id, as, k_impersonation_role)};
  return as;
}

}  // namespace caseflow::cli
