#include "protocol/server_messages.hpp"

#include "protocol/json_writer.hpp"
#include "protocol/person_json.hpp"

namespace renkei::protocol {

std::string encode_welcome(const WelcomeInfo& info) {
  std::string out;
  out.reserve(160 + info.council_name.size() + info.me.name.size() + info.me.org.size());
  JsonWriter w(out);
  w.begin_object();
  w.field("type", "welcome");
  w.key("council");
  w.begin_object();
  w.field("id", info.council);
  w.field("name", info.council_name);
  w.field("kind", to_string(info.kind));
  w.end_object();
  w.key("me");
  w.begin_object();
  w.field("participant", info.me.participant);
  w.field("name", info.me.name);
  w.field("org", info.me.org);
  if (!info.me.org_id.empty()) w.field("org_id", info.me.org_id);  // v2 extension
  w.field("role", to_string(info.me.role));
  w.end_object();
  w.field("head", info.head);
  w.end_object();
  return out;
}

std::string encode_pong() { return R"({"type":"pong"})"; }

std::string encode_synced(std::uint64_t head) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("type", "synced");
  w.field("head", head);
  w.end_object();
  return out;
}

std::string encode_presence(const std::vector<domain::Actor>& connected) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("type", "presence");
  w.key("connected");
  w.begin_array();
  for (const auto& actor : connected) write_actor(w, actor);
  w.end_array();
  w.end_object();
  return out;
}

std::string encode_session(const domain::Actor& me, const std::string& council,
                           const std::string& council_name, domain::CouncilKind kind,
                           bool signed_in) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("participant", me.participant);
  w.field("name", me.name);
  w.field("org", me.org);
  if (!me.org_id.empty()) w.field("org_id", me.org_id);  // v2 extension
  w.field("role", domain::to_string(me.role));
  w.key("council");
  w.begin_object();
  w.field("id", council);
  w.field("name", council_name);
  w.field("kind", domain::to_string(kind));
  w.end_object();
  if (signed_in) {  // v2: a person's sign-in session, not an invite link's
    w.key("signed_in");
    w.boolean(true);
  }
  w.end_object();
  return out;
}

std::string encode_ack(std::string_view id, std::uint64_t seq) {
  std::string out;
  out.reserve(40 + id.size());
  JsonWriter w(out);
  w.begin_object();
  w.field("type", "ack");
  w.field("id", id);
  w.field("seq", seq);
  w.end_object();
  return out;
}

std::string encode_error(const domain::Error& error, std::optional<std::string_view> id) {
  std::string out;
  out.reserve(48 + error.message.size() + (id ? id->size() : 0));
  JsonWriter w(out);
  w.begin_object();
  w.field("type", "error");
  if (id) w.field("id", *id);
  w.field("code", to_string(error.code));
  w.field("message", error.message);
  w.end_object();
  return out;
}

}  // namespace renkei::protocol
