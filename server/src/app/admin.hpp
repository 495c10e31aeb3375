// Administrative operations of the CLI (`renkei council create`, `renkei
// invite`) and the demo council. They write councils and participants
// directly with their own connection, so they work while `renkei serve` runs
// on the same file; a running server finds new councils and participants on
// their first use. They record no events.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// Creates a council and its first facilitator.
Invitation create_council(store::Database& db, const std::string& name, domain::CouncilKind kind,
                          const std::string& facilitator_name, const std::string& facilitator_org,
                          const std::string& now);

// Invites a participant; throws std::invalid_argument for an unknown council.
Invitation invite(store::Database& db, const std::string& council, const std::string& name,
                  const std::string& org, domain::Role role, const std::string& now,
                  const std::optional<std::string>& expires_at = std::nullopt);

// {"<key>":"<value>"} with JSON escaping.
std::string json_line(const std::string& key, const std::string& value);

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

// Seeds the demo council (a 地域共生ケア会議 of a health-centre area, with a
// one-on-one consultation) if the database has no council yet. Returns the
// invitations made, or nothing when councils already exist.
std::vector<Invitation> seed_demo(store::Database& db, const std::string& now);

}  // namespace renkei::app
