#include "app/council_loader.hpp"

#include <stdexcept>

#include "domain/fold.hpp"
#include "protocol/event_codec.hpp"

namespace renkei::app {

std::string command_key(const std::string& participant, const std::string& command_id) {
  std::string key;
  key.reserve(participant.size() + 1 + command_id.size());
  key.append(participant).push_back('\x1f');
  key.append(command_id);
  return key;
}

domain::CouncilState initial_state(const store::CouncilRow& council) {
  domain::CouncilState state;
  state.council = council.id;
  state.name = council.name;
  state.kind = council.kind;
  state.area = council.area;
  return state;
}

domain::Event to_event(const store::EventRow& row) {
  auto data = protocol::decode_event_data(row.op, row.data);
  if (auto* error = std::get_if<domain::Error>(&data)) {
    throw std::runtime_error("event " + row.council + "#" + std::to_string(row.seq) +
                             " cannot be decoded: " + error->message);
  }
  domain::Event event;
  event.seq = row.seq;
  event.at = row.at;
  event.by = domain::Actor{row.participant, row.by_name, row.by_org, row.by_role,
                           protocol::decode_frame_by_org_id(row.frame)};
  event.meeting = row.meeting;
  event.data = std::move(std::get<domain::EventData>(data));
  event.entered_by = protocol::decode_frame_entered_by(row.frame);
  return event;
}

LoadedCouncil load_council(store::Database& db, const store::CouncilRow& council) {
  LoadedCouncil loaded;
  loaded.state = initial_state(council);
  constexpr std::size_t chunk = 10000;
  for (;;) {
    auto rows = db.read_events(council.id, loaded.state.head, chunk);
    for (const auto& row : rows) {
      if (row.seq != loaded.state.head + 1) {
        throw std::runtime_error("event log of " + council.id + " has a gap before seq " +
                                 std::to_string(row.seq));
      }
      domain::apply(loaded.state, to_event(row));
      // A proxied command's id is stored as its sender's key already
      // (room.cpp); no client id holds the separator.
      if (row.command_id)
        loaded.commands.emplace(row.command_id->find('\x1f') != std::string::npos
                                    ? *row.command_id
                                    : command_key(row.participant, *row.command_id),
                                row.seq);
    }
    if (rows.size() < chunk) break;
  }
  return loaded;
}

}  // namespace renkei::app
