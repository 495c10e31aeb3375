// Attendance of a meeting (出席): who was connected while it was live, and
// when a participant acknowledged confidentiality (守秘義務の確認) for a
// closed session. Not an event: the server records it on its own, in a table
// of its own (server/docs/STORAGE.md, version 4), so the log and its seq
// numbers hold participants' actions only.
#pragma once

#include <optional>
#include <string>

#include "domain/actor.hpp"

namespace renkei::domain {

struct Attendance {
  std::string meeting;
  std::string participant;
  std::string first_seen_at;  // UTC, like event times
  std::string last_seen_at;
  std::optional<std::string> confidentiality_ack_at;

  friend bool operator==(const Attendance&, const Attendance&) = default;
};

// A participant as the minutes see them: absentees are the active
// (not revoked) participants who did not attend.
struct RosterEntry {
  Actor actor;
  bool active = true;
};

}  // namespace renkei::domain
