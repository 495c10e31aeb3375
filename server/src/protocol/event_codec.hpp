// The event format: how a domain::Event becomes the JSON stored in the log
// and the frame sent to clients, and back. Documented in
// server/docs/PROTOCOL.md and server/docs/STORAGE.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "domain/error.hpp"
#include "domain/event.hpp"

namespace renkei::protocol {

// The event's data as a JSON object, private parts included (ballot content).
// This is what the log stores in `events.data`.
std::string encode_event_data(const domain::EventData& data);

// The wire frame {"type":"event","seq":..,"op":..,"at":..,"by":{..},
// "meeting":..,"data":{..}} as every client receives it; ballot content is
// left out. This is what the log stores in `events.frame`.
std::string encode_event_frame(const domain::Event& event);

// Reads back what encode_event_data wrote for the op `op`.
std::variant<domain::EventData, domain::Error> decode_event_data(std::string_view op,
                                                                 std::string_view data_json);

// The "org_id" of the "by" of a frame encode_event_frame wrote (v2
// extension); "" when it has none (every v1 frame) or the frame is not
// readable. The log keeps the author's name, organisation name and role in
// columns of their own; the organisation id only in the frame.
std::string decode_frame_by_org_id(std::string_view frame);

// The "entered_by" of a frame encode_event_frame wrote (proxy input,
// CONTINUITY.md section 4); nullopt when it has none (every other frame) or
// it is not readable. The log keeps it only in the frame.
std::optional<domain::Actor> decode_frame_entered_by(std::string_view frame);

}  // namespace renkei::protocol
