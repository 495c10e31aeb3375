// The consensus record: the council's folded state as the JSON document
// served at GET /api/councils/<id>/record. Its shape is documented in
// server/docs/PROTOCOL.md.
#pragma once

#include <string>
#include <vector>

#include "domain/actor.hpp"
#include "domain/attendance.hpp"
#include "domain/council_state.hpp"

namespace renkei::protocol {

// What the record shows besides the folded state.
struct RecordContext {
  // The day it is now in JST, "YYYY-MM-DD"; roles due before it and not
  // done are marked overdue. Empty: nothing is marked.
  std::string today;
  // Attendance rows of the council's meetings (any order).
  std::vector<domain::Attendance> attendance;
  // Every participant who may appear in `attendance`, revoked ones
  // included (names and organisations for the attendance lists). When
  // empty, the participants list is used.
  std::vector<domain::Actor> everyone;
};

// `participants` lists the council's participants (id, name, org, role).
// Ballot contents are never included.
std::string encode_record(const domain::CouncilState& state,
                          const std::vector<domain::Actor>& participants,
                          const RecordContext& context = {});

}  // namespace renkei::protocol
