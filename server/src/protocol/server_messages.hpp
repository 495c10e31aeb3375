// Encoding of server-to-client frames other than events. Every error reply a
// client sees is built by encode_error: the one place typed errors become
// wire messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/actor.hpp"
#include "domain/error.hpp"

namespace renkei::protocol {

struct WelcomeInfo {
  std::string council;
  std::string council_name;
  domain::CouncilKind kind = domain::CouncilKind::council;
  domain::Actor me;
  std::uint64_t head = 0;
};

// "me" is {"participant","name","org","role"}, with "org_id" after "org"
// (v2 extension) when the seat has an organisation id.
std::string encode_welcome(const WelcomeInfo& info);
std::string encode_synced(std::uint64_t head);
// {"type":"pong"}: the answer to a ping (extension).
std::string encode_pong();
// Extension: {"type":"presence","connected":[{"participant","name","org","role"}]}
// ("org_id" too, as in event frames, when a seat has one),
// one entry per participant connected now.
std::string encode_presence(const std::vector<domain::Actor>& connected);
// The body of GET /api/session: who the browser session speaks for.
// GET /api/session; `signed_in` (v2) adds "signed_in":true for a person's
// sign-in session (the page then offers ホーム and サインアウト).
std::string encode_session(const domain::Actor& me, const std::string& council,
                           const std::string& council_name, domain::CouncilKind kind,
                           bool signed_in = false);
std::string encode_ack(std::string_view id, std::uint64_t seq);
// {"type":"error","id":..,"code":..,"message":..}; "id" only when given.
std::string encode_error(const domain::Error& error,
                         std::optional<std::string_view> id = std::nullopt);

}  // namespace renkei::protocol
