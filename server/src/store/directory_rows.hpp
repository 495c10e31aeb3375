// Plain rows of the directory (schema v9, server/docs/PEOPLE.md):
// organisations, people, grants, set-up links, person sessions and the
// directory's audit trail. Ids are text ("o<n>", "u<n>", "p<n>", "c<n>");
// timestamps are UTC text as everywhere in the store. No row here holds a
// secret except PersonSecrets, which only sign-in code should read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/actor.hpp"

namespace renkei::store {

// The organisation kinds of PEOPLE.md, as stored (organisations.kind).
inline constexpr std::array<std::string_view, 11> organisation_kinds = {"prefecture",
                                                                        "health_centre",
                                                                        "municipality",
                                                                        "hospital",
                                                                        "clinic",
                                                                        "association",
                                                                        "visiting_nurse",
                                                                        "community_support_centre",
                                                                        "care_management",
                                                                        "social_welfare_council",
                                                                        "other"};
inline bool is_organisation_kind(std::string_view kind) {
  for (auto k : organisation_kinds)
    if (k == kind) return true;
  return false;
}

struct OrganisationRow {
  std::string id;  // "o<rowid>"
  std::string name;
  std::string kind;  // one of organisation_kinds
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
  std::optional<std::string> merged_into;  // "o<rowid>" of the survivor
  std::optional<std::string> deactivated_at;
  std::string created_at;
};

// A new organisation; an update names only the fields it changes.
struct NewOrganisation {
  std::string name;
  std::string kind = "other";
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
};
struct OrganisationUpdate {
  std::optional<std::string> name;
  std::optional<std::string> kind;
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
};

// A person as the directory shows it: no password hash, no TOTP secret.
struct PersonRow {
  std::string id;  // "u<rowid>"
  std::string name;
  std::optional<std::string> org;  // "o<rowid>" (none only for migrated rows without one)
  std::optional<std::string> login;
  bool active = true;  // status 'active'
  bool has_password = false;
  bool totp_enrolled = false;  // a confirmed TOTP secret is stored
  std::string created_at;
  std::optional<std::string> deactivated_at;
  std::optional<std::string> last_visit_at;
};

struct NewPerson {
  std::string name;
  std::string org;  // "o<rowid>"
  std::optional<std::string> login;
};
struct PersonUpdate {
  std::optional<std::string> name;
  std::optional<std::string> org;  // "o<rowid>": moves the person
  std::optional<std::string> login;
};

// What sign-in needs and nothing else may read. The TOTP secrets are sealed
// by the caller (the store never sees them in the clear).
struct PersonSecrets {
  std::optional<std::string> password_hash;        // libsodium crypto_pwhash_str string
  std::optional<std::string> totp_sealed;          // bytes, confirmed secret
  std::optional<std::string> totp_pending_sealed;  // bytes, awaiting confirmation
  std::optional<std::int64_t> totp_last_step;      // last accepted time step
};

enum class GrantRole { admin, secretariat, prefecture_viewer };
std::string_view to_string(GrantRole role);
std::optional<GrantRole> grant_role_from_string(std::string_view text);

struct GrantRow {
  std::string person;  // "u<rowid>"
  GrantRole role = GrantRole::admin;
  std::string scope;  // area (secretariat), prefecture (prefecture_viewer), "" (admin)
};

enum class SetupLinkState { unused, used, expired, revoked };
std::string_view to_string(SetupLinkState state);

struct SetupLinkRow {
  std::string person;  // "u<rowid>"
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> used_at;
  std::optional<std::string> revoked_at;
  std::optional<std::string> created_by;  // "u<rowid>", none from the CLI
  // revoked, else used, else expired (expires_at <= now), else unused.
  SetupLinkState state(const std::string& now) const;
};

// A set-up link with its person, for the secretariat's list of invitations.
struct SetupLinkListing {
  SetupLinkRow link;
  std::string name;
  std::string org_name;  // "" when the person has no organisation
  std::optional<std::string> login;
};

struct PersonSessionRow {
  std::string person;  // "u<rowid>"
  std::string created_at;
  std::string last_seen_at;
  std::string expires_at;
  std::optional<std::string> ended_at;
  std::optional<std::string> address;
};

// Who makes a directory change and when: written into its audit row.
struct Change {
  std::string at;
  std::optional<std::string> by;       // "u<rowid>" of the signed-in person; none from the CLI
  std::optional<std::string> address;  // the client address, when over HTTP
};

// One row of the directory's trail (audit_log rows with a subject): every
// change to organisations, people, seats, grants and councils, and sign-ins.
// old_value/new_value are JSON objects of the changed fields (never a
// password, hash, code, secret or token).
struct DirectoryAuditRow {
  std::string at;
  std::optional<std::string> person;  // who acted
  std::optional<std::string> address;
  std::string action;   // "org.add", "person.deactivate", "sign_in", ...
  std::string subject;  // the id acted upon ("o3", "u2", "p7", "c1")
  std::optional<std::string> council;
  std::string outcome = "ok";
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
};

// A change of a council's metadata; only the fields set change (an empty
// next_meeting or default_agenda clears it).
struct CouncilUpdate {
  std::optional<std::string> name;
  std::optional<std::string> themes;  // JSON array of theme names
  std::optional<std::string> next_meeting;
  std::optional<std::string> default_agenda;
};

// A council with its v9 metadata.
struct NewCouncil {
  std::string name;
  domain::CouncilKind kind = domain::CouncilKind::council;
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
  std::vector<std::string> themes;
  std::optional<std::string> default_agenda;
};

// Schema v10 (CONTINUITY.md section 1): handover and 空席.

// One seat of a handover: the seat handed over (`from`) and the seat that
// continues it (`to`; none when it was vacated).
struct SeatHandover {
  std::string council;            // "c<rowid>"
  std::string from;               // "p<rowid>"
  std::optional<std::string> to;  // "p<rowid>"
};
struct HandoverResult {
  std::string effective_at;  // UTC: the old seats' revoked_at, the new ones' active_from
  std::vector<SeatHandover> seats;
};

enum class HandoverRequestState { pending, confirmed, rejected };
std::string_view to_string(HandoverRequestState state);

// A request by the person leaving (POST /api/me/handover), decided by the
// secretariat.
struct HandoverRequestRow {
  std::string id;                        // "h<rowid>"
  std::string person;                    // "u<rowid>": the person leaving
  std::optional<std::string> successor;  // "u<rowid>"; none: the seats are vacated
  std::string effective_on;              // "YYYY-MM-DD" (a date in Japan)
  std::optional<std::string> note;
  HandoverRequestState state = HandoverRequestState::pending;
  std::string created_at;
  std::optional<std::string> decided_at;
  std::optional<std::string> decided_by;  // "u<rowid>"
};

// What the handover packet needs of a successor's seat whose packet its
// holder has not opened: the organisation and the predecessor.
struct UnseenHandover {
  std::string participant;  // the successor's seat
  std::string council;
  std::string predecessor_participant;  // the seat it succeeds
  std::string org;                      // "o<rowid>" (the seat's organisation, as stored)
  std::string org_name;
  std::string predecessor;  // "u<rowid>"
  std::string predecessor_name;
  std::optional<std::string> predecessor_last_visit_at;
  std::optional<std::string> predecessor_left_at;  // the predecessor seat's end
};

}  // namespace renkei::store
