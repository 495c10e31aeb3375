// Proxy input (代理入力, CONTINUITY.md section 4): a facilitator records an
// input for an attendee who takes part by phone or sent a paper form. This
// unit says whether a command may be proxied and, if so, as whose: the
// command is then decided by decide() with the attendee's Actor, so role,
// organisation and ownership are the attendee's exactly as if they had sent
// it themselves. Pure; callable from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "domain/actor.hpp"
#include "domain/error.hpp"

namespace renkei::domain {

// A seat as the proxy rule needs it: who sits there (the Actor a command of
// theirs is decided as), the council it belongs to, and whether it is usable
// (not removed or revoked, its person not deactivated).
struct Seat {
  Actor actor;
  std::string council;
  bool active = false;

  friend bool operator==(const Seat&, const Seat&) = default;
};

// The seat of a participant id ("p5"), nullopt for none. The app answers it
// from memory (app/seat_cache.hpp): it is called on room strands.
using SeatLookup = std::function<std::optional<Seat>(std::string_view participant)>;

// The ops that may be proxied: issue.post, proposal.stance, ranking.ballot,
// role.consent, indicator.report.
bool proxiable(std::string_view op);

// The Actor to decide a proxied command as, or the refusal. Checks, in this
// order: the op may be proxied (bad_request), the sender is a facilitator
// (forbidden), the attendee is an active seat of `council` (not_found: no
// such seat, another council's, or inactive), the attendee is not the sender
// (bad_request), the attendee is not an observer (forbidden). `seat` is the
// lookup of the on_behalf_of id, nullopt when it names no seat.
std::variant<Actor, Error> proxy_actor(const Actor& sender, std::string_view council,
                                       std::string_view op, const std::optional<Seat>& seat);

}  // namespace renkei::domain
