// acting_user.h — who is acting, when acting users are bound to OS users (--bind-os-user,
// CASEFLOW_BIND_OS_USER=1, or `bind_os_user: true` in org.yaml). See README "Who is acting".
#pragma once

#include <string>

#include "caseflow/org.h"

namespace caseflow::cli {

// The login name of the real user running the process ("" when it has none).
std::string os_login();

// The person the OS user `login` is in `org` (their `os_user:`), or, given `as`, that person
// when `as` is them or they hold the `admin` role. Throws command_failure (exit 1) otherwise.
// *self is set to the OS user's own person (who entered the command).
std::string bound_actor(const organisation& org, const std::string& login, const std::string& as, std::string* self);

}  // namespace caseflow::cli
