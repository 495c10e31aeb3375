// Text ids and the reading of council and participant rows, shared by
// Database and SqliteDirectory. Private to the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/rows.hpp"
#include "store/statement.hpp"

namespace renkei::store {

// Parses an external id "<prefix><rowid>" in canonical form: decimal digits,
// no leading zero, at most 18 digits (so it fits a SQLite integer). Anything
// else ("x", "c", "c12abc", "c012") is not an id.
std::optional<std::int64_t> parse_id(std::string_view text, char prefix);
// "<prefix><rowid>".
std::string make_id(char prefix, std::int64_t rowid);
// make_id of an integer column, none when it is NULL.
std::optional<std::string> optional_id(const Query& query, int column, char prefix);

// Throws StoreError (SQLITE_CORRUPT) for a row the store cannot read back.
[[noreturn]] void corrupt(std::string_view what);

// Column lists, spliced into SQL literals at compile time. Councils are read
// FROM councils; participants FROM participants p LEFT JOIN people u ON
// u.id = p.person (RENKEI_PARTICIPANT_FROM), so that a seat of a
// deactivated person reads as revoked.
#define RENKEI_COUNCIL_COLUMNS                                                          \
  "id, name, kind, created_at, area, prefecture, themes, default_agenda, archived_at, " \
  "next_meeting"
// The seat's end: its own revocation (possibly dated later, schema v10),
// or its person's deactivation when that came first.
#define RENKEI_PARTICIPANT_REVOKED_AT                                 \
  "(CASE WHEN u.status = 'deactivated' AND (p.revoked_at IS NULL OR " \
  "u.deactivated_at < p.revoked_at) THEN u.deactivated_at ELSE p.revoked_at END)"
#define RENKEI_PARTICIPANT_COLUMNS                         \
  "p.id, p.council, p.name, p.org, p.role, p.created_at, " \
  "p.expires_at, " RENKEI_PARTICIPANT_REVOKED_AT           \
  ", p.person, p.org_id, p.succeeds, p.active_from, p.vacated_at, p.handover_seen_at"
#define RENKEI_PARTICIPANT_FROM " FROM participants p LEFT JOIN people u ON u.id = p.person "

CouncilRow council_row(const Query& query);
ParticipantRow participant_row(const Query& query);

}  // namespace renkei::store
