#include "domain/ownership.hpp"

namespace renkei::domain {
namespace {

// The canonical id of the organisation named by `id` (when not empty) or
// else by `name`.
std::optional<std::string> canonical_id(const std::string& id, const std::string& name,
                                        const OrgResolver& orgs) {
  if (!orgs) return std::nullopt;
  const std::optional<OrgRef> ref = orgs(id.empty() ? name : id);
  if (!ref) return std::nullopt;
  return ref->id;
}

}  // namespace

bool speaks_for_as_logged(const Actor& actor, const RoleAgreement& role) {
  if (!actor.org_id.empty() && !role.owner_org_id.empty()) return actor.org_id == role.owner_org_id;
  return actor.org == role.owner_org;
}

bool speaks_for(const Actor& actor, const RoleAgreement& role, const OrgResolver& orgs) {
  if (orgs) {
    const auto mine = canonical_id(actor.org_id, actor.org, orgs);
    const auto owner = canonical_owner_id(role, orgs);
    if (mine && owner) return *mine == *owner;
  }
  return speaks_for_as_logged(actor, role);
}

std::optional<std::string> canonical_owner_id(const RoleAgreement& role, const OrgResolver& orgs) {
  return canonical_id(role.owner_org_id, role.owner_org, orgs);
}

}  // namespace renkei::domain
