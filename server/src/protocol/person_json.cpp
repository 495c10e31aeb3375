#include "protocol/person_json.hpp"

namespace renkei::protocol {

void write_person_fields(JsonWriter& w, const domain::Actor& actor) {
  w.field("participant", actor.participant);
  w.field("name", actor.name);
  w.field("org", actor.org);
  if (!actor.org_id.empty()) w.field("org_id", actor.org_id);
}

void write_person(JsonWriter& w, const domain::Actor& actor) {
  w.begin_object();
  write_person_fields(w, actor);
  w.end_object();
}

void write_actor(JsonWriter& w, const domain::Actor& actor) {
  w.begin_object();
  write_person_fields(w, actor);
  w.field("role", domain::to_string(actor.role));
  w.end_object();
}

}  // namespace renkei::protocol
