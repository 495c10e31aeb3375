// Rebuilding a council from its log: read every event in seq order, decode
// it, and fold it into a fresh state. Used at start, when a council is first
// asked for, and by recovery tests. Runs on whichever thread owns `db`.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "domain/council_state.hpp"
#include "store/database.hpp"

namespace renkei::app {

// Key of an executed command: participant id, a unit separator, command id.
std::string command_key(const std::string& participant, const std::string& command_id);

struct LoadedCouncil {
  domain::CouncilState state;
  // command_key -> seq of the event the command produced.
  std::unordered_map<std::string, std::uint64_t> commands;
};

// Throws store::StoreError on database failure and std::runtime_error if an
// event cannot be decoded or is out of sequence.
LoadedCouncil load_council(store::Database& db, const store::CouncilRow& council);

// The empty state of a council, identity set.
domain::CouncilState initial_state(const store::CouncilRow& council);

// An event row as read from the log, turned back into a domain event.
domain::Event to_event(const store::EventRow& row);

}  // namespace renkei::app
