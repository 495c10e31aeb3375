// JSON of people, organisations and sign-in (server/docs/PEOPLE.md): the
// request bodies of the sign-in and console endpoints, validated into
// plain structs, and the views the endpoints answer with. The app layer
// turns store rows into the view structs below (the protocol layer knows
// nothing of the store). Thread-safe, pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/actor.hpp"

namespace renkei::protocol {

// Why a request body was refused: always 400 bad_request (or the code
// given), with a Japanese-first message naming the field.
struct BodyError {
  std::string code = "bad_request";
  std::string message;  // "日本語 / English"
};

template <typename T>
using Decoded = std::variant<T, BodyError>;

// --- sign-in -------------------------------------------------------------

struct SetupBody {
  std::string password;  // exactly as typed (not trimmed)
};
struct SignInBody {
  std::string login;
  std::string password;
  std::optional<std::string> code;  // a TOTP code or a recovery code
};
struct CodeBody {
  std::string code;
};
Decoded<SetupBody> decode_setup_body(std::string_view body);
Decoded<SignInBody> decode_sign_in_body(std::string_view body);
Decoded<CodeBody> decode_code_body(std::string_view body);

// --- console ---------------------------------------------------------------

// POST (every required field) and PATCH (only those present) of an
// organisation; `kind` accepts the codes and the Japanese names.
struct OrganisationBody {
  std::optional<std::string> name;
  std::optional<std::string> kind;  // normalised to the code
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
};
Decoded<OrganisationBody> decode_organisation_body(std::string_view body, bool create);

struct MergeBody {
  std::string into;
};
Decoded<MergeBody> decode_merge_body(std::string_view body);

struct PersonBody {
  std::optional<std::string> name;
  std::optional<std::string> org;    // an organisation id
  std::optional<std::string> login;  // lower-cased
  bool admin = false;
  std::optional<std::string> secretariat;  // the area they run
};
Decoded<PersonBody> decode_person_body(std::string_view body, bool create);

struct CouncilBody {
  std::string name;
  domain::CouncilKind kind = domain::CouncilKind::council;
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
  std::vector<std::string> themes;
  std::optional<std::string> default_agenda;
};
Decoded<CouncilBody> decode_council_body(std::string_view body);

// PATCH /api/console/councils/<id>: only the fields present.
struct CouncilUpdateBody {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> themes;
  std::optional<std::string> next_meeting;  // "YYYY-MM-DD", or "" to clear
  std::optional<std::string> default_agenda;
};
Decoded<CouncilUpdateBody> decode_council_update_body(std::string_view body);

struct SeatBody {
  std::optional<std::string> person;  // POST only
  domain::Role role = domain::Role::member;
};
Decoded<SeatBody> decode_seat_body(std::string_view body, bool create);

// POST /api/console/people/<u>/grants[/remove]: role admin, secretariat or
// prefecture_viewer; scope the area or prefecture ("" for admin, required
// otherwise).
struct GrantBody {
  std::string role;
  std::string scope;
};
Decoded<GrantBody> decode_grant_body(std::string_view body);

// --- views -------------------------------------------------------------------

struct OrganisationView {
  std::string id;
  std::string name;
  std::string kind;  // code
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
  std::optional<std::string> merged_into;
  bool active = true;
};

struct GrantView {
  std::string role;   // admin, secretariat, prefecture_viewer
  std::string scope;  // "" for admin
};

struct PersonView {
  std::string id;
  std::string name;
  std::optional<OrganisationView> org;
  std::optional<std::string> login;
  bool active = true;
  bool has_password = false;
  bool totp_enrolled = false;
  std::vector<GrantView> grants;
  std::optional<std::string> last_visit_at;
};

struct CouncilView {
  std::string id;
  std::string name;
  domain::CouncilKind kind = domain::CouncilKind::council;
  std::optional<std::string> area;
  std::optional<std::string> prefecture;
  std::vector<std::string> themes;
  std::optional<std::string> default_agenda;
  std::optional<std::string> archived_at;
  std::optional<std::string> next_meeting;
  std::string created_at;
  std::optional<std::uint64_t> seats;  // occupied seats (console list)
};

struct SeatView {
  std::string participant;
  std::string council;
  std::string council_name;
  domain::CouncilKind council_kind = domain::CouncilKind::council;
  std::string person;  // "" for a v1 participant without one
  std::string name;
  std::optional<OrganisationView> org;
  std::string org_name;  // as the seat was made (v1 text)
  domain::Role role = domain::Role::member;
  bool removed = false;
  // Schema v10, written only when set: a seat made by a handover that starts
  // later ("starts_at"), a seat handed over that ends later ("ends_at").
  std::optional<std::string> starts_at;
  std::optional<std::string> ends_at;
};

struct InvitationView {
  std::string person;
  std::string name;
  std::string org;
  std::optional<std::string> login;
  std::string state;  // unused, used, expired, revoked
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> used_at;
};

struct AuditView {
  std::string at;
  std::optional<std::string> person;
  std::optional<std::string> person_name;   // who acted, by name (not stored: looked up)
  std::optional<std::string> subject_name;  // what was acted upon, by name
  std::optional<std::string> address;
  std::string action;
  std::string subject;
  std::optional<std::string> council;
  std::string outcome;
  std::optional<std::string> old_value;  // JSON object text
  std::optional<std::string> new_value;  // JSON object text
};

std::string encode_organisation(const OrganisationView& org);
std::string encode_organisations(const std::vector<OrganisationView>& orgs);
std::string encode_people(const std::vector<PersonView>& people);
std::string encode_councils(const std::vector<CouncilView>& councils);
std::string encode_seats(const std::vector<SeatView>& seats);
std::string encode_invitations(const std::vector<InvitationView>& invitations);
// {"audit":[...]}, old and new values embedded as JSON.
std::string encode_audit(const std::vector<AuditView>& rows);
// The same as CSV for Excel (UTF-8 with BOM, CRLF).
std::string encode_audit_csv(const std::vector<AuditView>& rows);

// GET /api/me.
// GET /api/me "handover" (CONTINUITY.md section 2): a successor seat whose
// handover packet its holder has not opened.
struct HandoverNoticeView {
  std::string org_id;
  std::string org_name;
  std::string predecessor;  // "u<rowid>"
  std::string predecessor_name;
};

struct MeView {
  PersonView person;
  std::vector<SeatView> seats;
  std::optional<HandoverNoticeView> handover;
  bool second_factor_required = false;
  bool demo = false;
};
std::string encode_me(const MeView& me);

// GET /api/setup/<token>.
struct SetupView {
  std::string name;
  std::optional<std::string> login;
  std::optional<OrganisationView> org;
  bool second_factor_required = false;
};
std::string encode_setup(const SetupView& setup);

// GET /api/home.
struct HomeCouncilView {
  SeatView seat;
  std::optional<std::string> area;
  bool archived = false;
  std::optional<std::string> live_meeting, live_title, live_started_at;
  std::optional<std::string> last_meeting, last_title, last_ended_at;
  std::optional<std::string> next_meeting;  // a local date
  std::vector<std::pair<std::string, int>> themes;
  std::vector<std::string> planned_themes;  // set up in the console (not encoded)
  std::uint64_t open_roles = 0;
  std::uint64_t overdue_roles = 0;
  std::uint64_t changes_since_last_visit = 0;
};
std::string encode_home(const std::vector<HomeCouncilView>& councils,
                        const std::optional<std::string>& last_visit_at);

// One JSON object of changed fields, for the audit trail's old/new values:
// {"name":"..",...}; absent optionals are left out.
// A council's themes as stored (a JSON array of strings) and back; a
// malformed value reads as no themes.
std::vector<std::string> decode_theme_list(std::string_view json);
std::string encode_theme_list(const std::vector<std::string>& themes);

// A JSON string literal of `text` (valid UTF-8), quotes included.
std::string json_string(std::string_view text);

std::string encode_fields(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& fields);

}  // namespace renkei::protocol
