// JSON shape of a person, shared by the record, the other council documents,
// presence and event frames. Private to renkei_protocol.
//   person: {"participant","name","org"}   actor: the same plus "role"
// plus "org_id" (v2 extension) after "org" when the participant's seat has an
// organisation id; absent otherwise, so v1 frames stay byte-identical.
#pragma once

#include "domain/actor.hpp"
#include "protocol/json_writer.hpp"

namespace renkei::protocol {

// The three fields (four with org_id), inside an object the caller opened.
void write_person_fields(JsonWriter& w, const domain::Actor& actor);
// {"participant","name","org"}: who did something, as the record shows it.
void write_person(JsonWriter& w, const domain::Actor& actor);
// {"participant","name","org","role"}: presence and an event's "by".
void write_actor(JsonWriter& w, const domain::Actor& actor);

}  // namespace renkei::protocol
