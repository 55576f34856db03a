#include "caseflow/org.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "caseflow/hash.h"
#include "caseflow/identifier.h"
#include "caseflow/text_file.h"
#include "base/yaml_reader.h"

namespace caseflow {

bool person::holds(std::string_view role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

const person* organisation::find(std::string_view id) const {
  auto it = std::find_if(people_.begin(), people_.end(), [&](const person& p) { return p.id == id; });
  return it == people_.end() ? nullptr : &*it;
}

std::vector<std::string> organisation::person_ids() const {
  std::vector<std::string> ids;
  for (const auto& p : people_) ids.push_back(p.id);
  return ids;
}

const person* organisation::find_by_os_user(std::string_view login) const {
  const auto it = os_users_.find(login);
  return it == os_users_.end() ? nullptr : find(it->second);
}

std::optional<authority> organisation::authority_for(std::string_view actor, const std::vector<std::string>& roles,
                                                     civil_date day) const {
  const person* self = find(actor);
  if (!self) return std::nullopt;
  for (const auto& role : roles)
    if (self->holds(role)) return authority{role, ""};
  for (const auto& d : delegations_) {
    if (d.deputy != actor || day < d.from || d.until < day) continue;
    const person* principal = find(d.principal);
    if (!principal) continue;
    for (const auto& role : roles) {
      const bool delegated = d.roles.empty() || std::find(d.roles.begin(), d.roles.end(), role) != d.roles.end();
      if (delegated && principal->holds(role)) return authority{role, principal->id};
    }
  }
  return std::nullopt;
}

namespace {

std::optional<civil_date> read_date(detail::yaml_reader& in, const YAML::Node& node, std::string_view what) {
  auto text = in.scalar(node, what);
  if (!text) return std::nullopt;
  std::string why;
  auto v = parse_value(field_type::date, *text, &why);
  if (!v) {
    in.error(node, fmt::format("{}: {}", what, why));
    return std::nullopt;
  }
  return std::get<civil_date>(*v);
}

}  // namespace

void organisation::set_source(std::string text) {
  version_ = sha256_hex(text);
  source_text_ = std::move(text);
}

organisation load_organisation(const std::string& path, diagnostics* out) {
  auto text = read_text_file(path);
  if (!text) {
    out->push_back({path, 0, 0, "cannot read the organisation file", diagnostic_level::error});
    return organisation{};
  }
  return load_organisation_text(*text, path, out);
}

organisation load_organisation_text(const std::string& text, const std::string& path, diagnostics* out) {
  organisation org;
  org.set_source(text);
  detail::yaml_reader in(path, out);
  auto root = in.parse(text);
  if (!root || !in.expect_map(*root, "the organisation file")) return org;
  in.check_keys(*root, "the organisation file", {"people", "delegations", "bind_os_user"});
  if ((*root)["bind_os_user"]) org.set_binds_os_user(in.boolean((*root)["bind_os_user"], "bind_os_user").value_or(false));
  const YAML::Node people = (*root)["people"];
  if (!people) in.error(*root, "missing 'people:'");
  else if (in.expect_map(people, "people")) {
    std::map<std::string, std::pair<std::string, int>> seen;  // look_alike_key -> the id and its line
    for (const auto& entry : people) {
      person p;
      p.id = entry.first.Scalar();
      if (p.id == k_system_actor) in.error(entry.first, "'system' is the engine's own actor and cannot be a person");
      if (std::string why = identifier_problem(p.id); !why.empty())
        in.error(entry.first, fmt::format("the person id is not allowed: {} ({})", why, k_identifier_rule));
      else if (auto [it, fresh] = seen.try_emplace(look_alike_key(p.id), p.id, detail::position(entry.first).first); !fresh)
        in.error(entry.first, fmt::format("person '{}' looks like person '{}' on line {} ({})", p.id, it->second.first,
                                          it->second.second, k_look_alike_rule));
      const YAML::Node& body = entry.second;
      if (!in.expect_map(body, fmt::format("person '{}'", p.id))) continue;
      in.check_keys(body, fmt::format("person '{}'", p.id), {"name", "roles", "email", "phone", "os_user"});
      if (body["name"]) p.name = in.scalar(body["name"], "name").value_or("");
      if (body["roles"]) p.roles = in.scalar_list(body["roles"], "roles");
      if (body["email"]) p.email = in.scalar(body["email"], "email").value_or("");
      if (body["phone"]) p.phone = in.scalar(body["phone"], "phone").value_or("");
      if (body["os_user"]) {
        const std::string login = in.scalar(body["os_user"], "os_user").value_or("");
        if (const person* other = org.find_by_os_user(login))
          in.error(body["os_user"], fmt::format("os_user '{}' is already {}'s", login, other->id));
        else if (!login.empty())
          org.set_os_user(p.id, login);
      }
      org.add(std::move(p));
    }
  }
  const YAML::Node delegations = (*root)["delegations"];
  if (delegations && in.expect_sequence(delegations, "delegations")) {
    const auto ids = org.person_ids();
    for (const auto& body : delegations) {
      if (!in.expect_map(body, "a delegation")) continue;
      in.check_keys(body, "a delegation", {"deputy", "for", "roles", "from", "until"});
      delegation d;
      for (const char* key : {"deputy", "for", "from", "until"})
        if (!body[key]) in.error(body, fmt::format("a delegation needs '{}:'", key));
      if (body["deputy"]) d.deputy = in.scalar(body["deputy"], "deputy").value_or("");
      if (body["for"]) d.principal = in.scalar(body["for"], "for").value_or("");
      if (body["roles"]) d.roles = in.scalar_list(body["roles"], "roles");
      for (const auto* who : {&d.deputy, &d.principal})
        if (!who->empty() && !org.find(*who))
          in.error(body, fmt::format("delegation names unknown person '{}'{}", *who, did_you_mean(*who, ids)));
      auto from = body["from"] ? read_date(in, body["from"], "from") : std::nullopt;
      auto until = body["until"] ? read_date(in, body["until"], "until") : std::nullopt;
      if (from && until && *until < *from) in.error(body["until"], "a delegation cannot end before it starts");
      if (from) d.from = *from;
      if (until) d.until = *until;
      const person* principal = org.find(d.principal);
      for (const auto& role : d.roles)
        if (principal && !principal->holds(role))
          in.error(body["roles"], fmt::format("'{}' cannot delegate role '{}': they do not hold it", d.principal, role));
      org.add(std::move(d));
    }
  }
  return org;
}

}  // namespace caseflow
