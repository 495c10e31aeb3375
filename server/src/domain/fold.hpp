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

// For a state folded only up to an earlier point (the minutes of a meeting
// are written from the council as it was when the meeting ended): applies
// `event` if it is a text.redacted, so later redactions show there too,
// and does nothing otherwise. The head stays where it was.
void apply_redaction(CouncilState& state, const Event& event);

}  // namespace renkei::domain
