// The decision half of the domain core: given the council's state, who asks,
// and the command, either the one event to append or the error to return.
// Pure and deterministic: no clock, no I/O; ids come from the state.
#pragma once

#include <variant>

#include "domain/actor.hpp"
#include "domain/command.hpp"
#include "domain/council_state.hpp"
#include "domain/error.hpp"
#include "domain/event.hpp"
#include "domain/org_ref.hpp"

namespace renkei::domain {

using Decision = std::variant<EventData, Error>;

// Checks, in this order: role (observers: always forbidden; F-only ops),
// referenced ids (not_found), state (conflict), arguments against state
// (bad_request), ownership (forbidden). Never changes `state`.
//
// `orgs` is the directory of organisations (v2), empty for none (v1: every
// decision exactly as before it existed). With it, role.propose in a v2
// council (the actor's seat has an organisation id) names its owner by id or
// name and is refused (bad_request) when that names no organisation; whether
// the actor speaks for a role's owner follows merges (domain/ownership.hpp).
Decision decide(const CouncilState& state, const Actor& actor, const Command& command,
                const OrgResolver& orgs = {});

}  // namespace renkei::domain
