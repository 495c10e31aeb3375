// Whether a participant speaks for the organisation that owns a role
// agreement (AUTHORIZATION.md "owner"). Pure functions, callable from any
// thread.
//
// The rule has two halves so that replaying the log never needs the
// directory:
// - as logged (fold, minutes, and deciding without a directory): by ids when
//   both the actor and the role have one, else by byte-equal names (v1);
// - when deciding with a directory (OrgResolver): each side is resolved by
//   its id, or by its name when it has no id, and the canonical ids the
//   directory answers are compared, so an organisation merged into another
//   still counts as the owner. When a side does not resolve, the rule as
//   logged decides.
// A consent found to be the owner's only through the directory carries the
// owner's canonical id in role.consented (RoleConsented::owner_org_id), which
// is what the fold reads: the record shows the ids as logged.
#pragma once

#include <optional>
#include <string>

#include "domain/actor.hpp"
#include "domain/council_state.hpp"
#include "domain/org_ref.hpp"

namespace renkei::domain {

// The rule as logged.
bool speaks_for_as_logged(const Actor& actor, const RoleAgreement& role);

// The rule while deciding. Without a resolver, the rule as logged.
bool speaks_for(const Actor& actor, const RoleAgreement& role, const OrgResolver& orgs);

// The role owner's canonical id by the directory (its id, else its name,
// resolved); nullopt without a resolver or when it does not resolve.
std::optional<std::string> canonical_owner_id(const RoleAgreement& role, const OrgResolver& orgs);

}  // namespace renkei::domain
