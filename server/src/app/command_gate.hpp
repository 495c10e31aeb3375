// What a joined WebSocket connection may do with a message, decided here
// rather than in the network layer: the connection's command budget (a
// token bucket shared by commands and heartbeats), the heartbeat's answer
// and the observer rule. The network layer only frames and transports: it
// asks the gate, then sends the pong, the refusal, or hands the command to
// the room (which decides everything else, server/docs/AUTHORIZATION.md).
//
// Threading: one per connection, used only on that connection's executor.
// The hot path (an accepted command or ping) allocates nothing; the
// refusals are built once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/connection.hpp"
#include "app/rate_limiter.hpp"
#include "domain/actor.hpp"
#include "domain/error.hpp"
#include "protocol/client_message.hpp"

namespace renkei::app {

class CommandGate {
 public:
  enum class Verdict : std::uint8_t {
    accept,        // a command: hand it to the room
    pong,          // a heartbeat: answer {"type":"pong"}
    rate_limited,  // over the budget: refuse (refusal())
    forbidden,     // an observer's command: refuse (refusal())
  };

  // `per_second` sustained, bursts up to `burst` (--rate, --burst).
  CommandGate(double per_second, double burst) : limiter_(per_second, burst) {}

  // {"type":"ping"}: pong, or rate_limited over the budget (a heartbeat
  // shares it, so it cannot be used to flood; a rate_limited answer still
  // shows the connection alive).
  Verdict ping(RateLimiter::clock::time_point now) {
    return limiter_.allow(now) ? Verdict::pong : Verdict::rate_limited;
  }

  // A command of `actor`: rate_limited over the budget (checked first, so a
  // flood of refused commands costs its budget too), forbidden for an
  // observer, else accept.
  Verdict command(const domain::Actor& actor, RateLimiter::clock::time_point now) {
    if (!limiter_.allow(now)) return Verdict::rate_limited;
    if (actor.role == domain::Role::observer) return Verdict::forbidden;
    return Verdict::accept;
  }

  // The error a refusal is answered with (its message differs for a
  // heartbeat). `verdict` must be rate_limited or forbidden.
  static const domain::Error& refusal(Verdict verdict, bool heartbeat);

  // {"type":"pong"}, one frame shared by every connection.
  static const Frame& pong_frame();

  // The op a command is audited with: none for an unknown op, which is
  // client text and never reaches the audit trail.
  static std::optional<std::string> audited_op(const protocol::CmdMessage& command);

 private:
  RateLimiter limiter_;
};

}  // namespace renkei::app
