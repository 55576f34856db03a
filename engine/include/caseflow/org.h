// caseflow/org.h — the organisation: people, the roles they hold, and delegations.
//
// Loaded from `org.yaml` beside the procedures:
//   people:
//     zhang.wei: { name: 张伟, roles: [cs_specialist], email: zhang.wei@example.com, os_user: zwei }
//   bind_os_user: true   # optional: the acting user is the OS user (see os_user), never --as
//   delegations:   # a deputy acts for a manager while the manager is away (dates inclusive)
//     - { deputy: wang.fang, for: li.na, roles: [cs_manager], from: 2026-11-01, until: 2026-11-14 }
// `system` is the engine's own actor; it is not listed and holds no role.
// Immutable after loading; intentionally copyable; thread-safe for const use.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/diagnostic.h"
#include "caseflow/value.h"

namespace caseflow {

inline constexpr std::string_view k_system_actor = "system";

struct person {
  std::string id;
  std::string name;
  std::vector<std::string> roles;
  std::string email;
  std::string phone;
  bool holds(std::string_view role) const;
};

struct delegation {
  std::string deputy;
  std::string principal;
  std::vector<std::string> roles;  // empty: every role the principal holds
  civil_date from;                 // first day, inclusive
  civil_date until;                // last day, inclusive
};

// How a person may act: in `role`, for themselves or (through a delegation) for `principal`.
struct authority {
  std::string role;
  std::string on_behalf_of;  // "" when acting in their own right
};

class organisation {
 public:
  const person* find(std::string_view id) const;
  const std::vector<person>& people() const { return people_; }
  const std::vector<delegation>& delegations() const { return delegations_; }
  std::vector<std::string> person_ids() const;
  // The person whose `os_user:` (the OS login that acts as them when acting users are bound
  // to OS users) is `login`, if any.
  const person* find_by_os_user(std::string_view login) const;
  void set_os_user(const std::string& person_id, std::string login) { os_users_[std::move(login)] = person_id; }
  // `bind_os_user: true` in the file: acting users must be bound to OS users.
  bool binds_os_user() const { return bind_os_user_; }
  void set_binds_os_user(bool on) { bind_os_user_ = on; }

  // The first of `roles` that `actor` may act in on local day `day`: their own roles first,
  // then delegations in force that day. nullopt if none.
  std::optional<authority> authority_for(std::string_view actor, const std::vector<std::string>& roles,
                                         civil_date day) const;

  // The content hash (SHA-256 hex) of the file it was loaded from: the organisation version
  // events record (event::org_version) and deployments store it under. "" when built in code.
  const std::string& version() const { return version_; }
  const std::string& source_text() const { return source_text_; }
  void set_source(std::string text);

  void add(person p) { people_.push_back(std::move(p)); }
  void add(delegation d) { delegations_.push_back(std::move(d)); }

 private:
  std::vector<person> people_;
  std::vector<delegation> delegations_;
  std::map<std::string, std::string, std::less<>> os_users_;  // login -> person id
  bool bind_os_user_ = false;
  std::string version_;
  std::string source_text_;
};

// Loads an org file; problems (with line:col) go to *out. A missing file is an error.
organisation load_organisation(const std::string& path, diagnostics* out);
// Loads org text (as deployed); `file` names it in diagnostics.
organisation load_organisation_text(const std::string& text, const std::string& file, diagnostics* out);

}  // namespace caseflow
