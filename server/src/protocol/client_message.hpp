// Decoding and validation of client-to-server messages (hello, cmd). This is
// the only place that reads client JSON; it enforces the documented limits
// (nesting depth, finite numbers, string lengths) and turns every problem
// into a domain::Error with the contract's code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "domain/command.hpp"
#include "domain/error.hpp"

namespace renkei::protocol {

struct HelloMessage {
  std::optional<std::string> token;  // absent for cookie-authenticated sockets
  std::string council;
  std::uint64_t since = 0;
};

// A cmd whose envelope was readable. `id` is valid (1-64 chars); `command`
// holds the decoded command, or the error for an unknown op (unknown_op) or
// missing / mistyped / out-of-range arguments (bad_request).
// `on_behalf_of` (proxy input, CONTINUITY.md section 4) is the participant
// id the sender enters the command for; a present but unusable value (not a
// string, empty, too long, control characters) makes `command` a
// bad_request.
struct CmdMessage {
  std::string id;
  std::string op;
  std::variant<domain::Command, domain::Error> command;
  std::optional<std::string> on_behalf_of = std::nullopt;
};

// {"type":"ping"} (extension): a heartbeat the server answers with
// {"type":"pong"}, so that a browser, which cannot see WebSocket pings, can
// tell a live connection from one that silently died. Other fields are
// ignored.
struct PingMessage {};

// A message that could not be read as hello, cmd or ping (malformed JSON,
// too deep, non-finite number, unknown type, missing or invalid id):
// bad_request.
using ClientMessage = std::variant<HelloMessage, CmdMessage, PingMessage, domain::Error>;

struct DecodeLimits {
  std::size_t max_depth = 64;
};

ClientMessage parse_client_message(std::string_view text, const DecodeLimits& limits = {});

// Decodes the args of one op. Exposed for tests and for scripted tools.
std::variant<domain::Command, domain::Error> decode_command(std::string_view op,
                                                            std::string_view args_json);

}  // namespace renkei::protocol
