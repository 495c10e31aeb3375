// Plain rows read from and written to the database. No SQLite types leak out
// of the store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "domain/actor.hpp"

namespace renkei::store {

struct CouncilRow {
  std::string id;  // "c<rowid>"
  std::string name;
  domain::CouncilKind kind = domain::CouncilKind::council;
  std::string created_at;
  // Schema v9 (PEOPLE.md): none on councils made before it or by the v1 CLI
  // without --area.
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
  std::string themes = "[]";  // JSON array of theme names
  std::optional<std::string> default_agenda;
  std::optional<std::string> archived_at;
  std::optional<std::string> next_meeting;  // the next meeting's local date, "YYYY-MM-DD"
};

struct ParticipantRow {
  std::string id;  // "p<rowid>"
  std::string council;
  std::string name;
  std::string org;
  domain::Role role = domain::Role::member;
  std::string created_at;
  std::optional<std::string> expires_at;  // invite token expiry, UTC
  // When the row stopped being usable: its own revocation (`renkei revoke`,
  // a seat's removal), else its person's deactivation (schema v9).
  std::optional<std::string> revoked_at;
  // Schema v9: the seat's person ("u<rowid>") and organisation ("o<rowid>");
  // unset for a v1 participant without one. Events' by.org_id and the
  // decisions on role owners come from org_id.
  std::optional<std::string> person = std::nullopt;
  std::optional<std::string> org_id = std::nullopt;
  // Schema v10 (CONTINUITY.md section 1): the seat this one continues
  // ("p<rowid>"), the instant it starts to count (none: at once), when it
  // ended without a successor (a vacancy), and when its holder opened the
  // handover packet.
  std::optional<std::string> succeeds = std::nullopt;
  std::optional<std::string> active_from = std::nullopt;
  std::optional<std::string> vacated_at = std::nullopt;
  std::optional<std::string> handover_seen_at = std::nullopt;

  // Counts at `now` (UTC, as stored): started and not (yet) revoked. A
  // revocation may be dated later (a handover effective on a future date).
  bool active_at(const std::string& now) const {
    return (!active_from || *active_from <= now) && (!revoked_at || *revoked_at > now);
  }
  // Made by a handover but not started yet at `now` (ホーム: 「4月1日から」).
  bool upcoming_at(const std::string& now) const {
    return active_from && *active_from > now && (!revoked_at || *revoked_at > *active_from);
  }
};

// A browser session: who it speaks for and its timestamps (UTC).
struct BrowserSessionRow {
  std::string participant;  // "p<rowid>"
  std::string created_at;
  std::string last_seen_at;
  std::string expires_at;
  std::optional<std::string> ended_at;
};

// One line of the audit trail. Never holds message text or tokens.
struct AuditRow {
  std::string at;
  std::optional<std::string> council;
  std::optional<std::string> participant;
  std::string action;  // "command", "hello", "read.record", "session.open", ...
  std::optional<std::string> op;
  std::string outcome;               // "accepted", "ok", or an error code
  std::optional<std::uint64_t> seq;  // the event of an accepted command
  // Read back only (schema v8): a text.redacted event's data as JSON
  // (target, participant, reason).
  std::optional<std::string> redaction = std::nullopt;
  // Proxy input (CONTINUITY.md section 4): the participant a command was
  // entered for; `participant` is then the sender.
  std::optional<std::string> on_behalf_of = std::nullopt;
};

// An upsert of the attendance table (schema v4): `participant` was connected
// to `meeting` while it was live at `seen_at`. The first upsert sets
// first_seen_at; every one moves last_seen_at forward.
struct AttendanceRow {
  std::string council;
  std::string meeting;
  std::string participant;
  std::string seen_at;
};

// What a text.redacted event erases from its council's earlier events
// (schema v8, STORAGE.md "Redaction"). Database::append_events rewrites
// those rows in the transaction that appends the event:
//   issue          issue.posted of `target`: text ""
//   proposal       proposal.opened of `target`: text ""
//   stance_reason  proposal.stance_taken of `target` by `participant`: reason removed
//   role           role.proposed of `target`: title "" and detail "" (when present)
//   role_notes     role.consented and role.status_changed of `target` by
//                  `participant`: note removed
// and adds "redacted": true to each rewritten event's data.
enum class RedactionScope { issue, proposal, stance_reason, role, role_notes };
struct RedactionRow {
  RedactionScope scope = RedactionScope::issue;
  std::string target;
  std::string participant;  // stance_reason and role_notes only
};

// One event of a council's log as stored (see server/docs/STORAGE.md).
struct EventRow {
  std::string council;
  std::uint64_t seq = 0;
  std::string op;
  std::string at;
  std::string participant;  // author id
  std::string by_name;
  std::string by_org;
  domain::Role by_role = domain::Role::member;
  std::optional<std::string> meeting;
  std::optional<std::string> command_id;  // the client's cmd id
  std::string data;                       // full event data JSON (private parts included)
  std::string frame;                      // the wire frame, exactly as sent to clients
  // Set on a text.redacted row: what it erases (written in its transaction).
  std::optional<RedactionRow> redaction = std::nullopt;
};

}  // namespace renkei::store
