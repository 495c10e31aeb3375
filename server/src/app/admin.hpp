// Administrative operations of the CLI (`renkei council create`, `renkei
// invite`, `org add`, `person add|deactivate|grant`, `seat add`) and the demo
// council. They write the directory (store::SqliteDirectory) directly with
// their own connection, so they work while `renkei serve` runs on the same
// file; a running server finds new councils and participants on their first
// use, and deactivated people within a second (Application's watcher). They
// record no events; every change writes its audit row. Bad input throws
// std::invalid_argument ("日本語 / English") and changes nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "domain/actor.hpp"
#include "store/database.hpp"

namespace renkei::app {

struct Invitation {
  std::string council;
  std::string participant;
  std::string name;
  std::string org;
  domain::Role role = domain::Role::member;
  std::string token;  // shown once, never stored

  std::string link() const { return "/join/" + token; }
};

// Creates a council and its first facilitator. Like invite, the facilitator
// gets a person and an organisation.
Invitation create_council(store::Database& db, const std::string& name, domain::CouncilKind kind,
                          const std::string& facilitator_name, const std::string& facilitator_org,
                          const std::string& now,
                          const std::optional<std::string>& area = std::nullopt);

// Invites a participant; throws std::invalid_argument for an unknown council.
// The participant is a seat of a person without login (the one of that name
// and organisation, else a new one) in the organisation of that exact name
// (else a new one of kind other).
Invitation invite(store::Database& db, const std::string& council, const std::string& name,
                  const std::string& org, domain::Role role, const std::string& now,
                  const std::optional<std::string>& expires_at = std::nullopt);

// {"<key>":"<value>"} with JSON escaping.
std::string json_line(const std::string& key, const std::string& value);
// "<value>" as a JSON string.
std::string json_string(const std::string& value);

// The lines the CLI prints (one JSON object each, see PROTOCOL.md).
std::string council_created_json(const Invitation& facilitator);
std::string invitation_json(const Invitation& invitation);

// `renkei audit`: the council's audit trail, one JSON object per line
// ({"at","participant","action","op","outcome","seq"}), oldest first.
std::vector<std::string> audit_lines(store::Database& db, const std::string& council,
                                     std::size_t limit);

// `renkei revoke`: revokes a participant's invite token and ends their
// browser sessions. Returns false when there is no such participant or it
// was already revoked.
bool revoke(store::Database& db, const std::string& participant, const std::string& now);

// `renkei org add`: the new organisation's id.
std::string add_organisation(store::Database& db, const std::string& name, const std::string& kind,
                             const std::optional<std::string>& area,
                             const std::optional<std::string>& prefecture, const std::string& now);

// `renkei person add`: a person with a login and a one-time set-up link
// (valid setup_link_validity; the token is shown once, only its hash is
// stored). `org` is an organisation id or an exact organisation name.
struct PersonAdded {
  std::string person;
  std::string setup_token;
  std::string setup() const { return "/setup/" + setup_token; }
};
inline constexpr std::chrono::hours setup_link_validity{24 * 14};
PersonAdded add_person(store::Database& db, const std::string& name, const std::string& org,
                       const std::string& login, bool admin, const Clock& clock);

// `renkei seat add`: the new seat's participant id.
std::string add_seat(store::Database& db, const std::string& council, const std::string& person,
                     domain::Role role, const std::string& now);

// `renkei person deactivate`: false when the person was already
// deactivated (unknown: std::invalid_argument).
bool deactivate_person(store::Database& db, const std::string& person, const std::string& now);

// `renkei person grant`: role admin, secretariat or prefecture_viewer;
// `scope` (an area or a prefecture) is required but for admin.
void grant(store::Database& db, const std::string& person, const std::string& role,
           const std::string& scope, const std::string& now);
// `renkei grant remove`: false when the person had no such grant (an
// unknown person or role: std::invalid_argument).
bool remove_grant(store::Database& db, const std::string& person, const std::string& role,
                  const std::string& scope, const std::string& now);

// `renkei audit` without --council: the directory's trail (changes and
// sign-ins), one JSON object per line ({"at","person","address","action",
// "subject","council","outcome","old","new"}), oldest first.
std::vector<std::string> directory_audit_lines(store::Database& db, std::size_t limit);

// Seeds the demo council (a 地域共生ケア会議 of a health-centre area, with a
// one-on-one consultation) if the database has no council yet. Returns the
// invitations made, or nothing when councils already exist.
std::vector<Invitation> seed_demo(store::Database& db, const std::string& now);

}  // namespace renkei::app
