// The consensus record: the council's folded state as the JSON document
// served at GET /api/councils/<id>/record. Its shape is documented in
// server/docs/PROTOCOL.md.
#pragma once

#include <string>
#include <vector>

#include "domain/actor.hpp"
#include "domain/council_state.hpp"

namespace renkei::protocol {

// `participants` lists the council's participants (id, name, org, role).
// Ballot contents are never included.
std::string encode_record(const domain::CouncilState& state,
                          const std::vector<domain::Actor>& participants);

}  // namespace renkei::protocol
