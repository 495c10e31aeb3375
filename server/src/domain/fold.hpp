// The fold half of the domain core: apply(state, event) advances the state by
// one event. Replaying a council's log from an empty state with the same
// identity gives the same state, by construction.
#pragma once

#include "domain/council_state.hpp"
#include "domain/event.hpp"

namespace renkei::domain {

// Precondition: event.seq == state.head + 1 and the event was produced by
// decide() against a state equal to `state` (or read back from the log).
void apply(CouncilState& state, const Event& event);

}  // namespace renkei::domain
