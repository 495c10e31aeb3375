// Who acts: a participant of one council with a role and an organisation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace renkei::domain {

enum class Role { facilitator, member, observer };

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);

enum class CouncilKind { council, one_on_one };

std::string_view to_string(CouncilKind kind);
std::optional<CouncilKind> council_kind_from_string(std::string_view text);

// The author of a command or event. `participant` is the opaque participant
// id ("p3"); `org` is the name of the organisation the participant speaks
// for and `org_id` its id in the directory ("o3"), empty for a v1
// participant without one.
struct Actor {
  std::string participant;
  std::string name;
  std::string org;
  Role role = Role::observer;
  std::string org_id = {};

  friend bool operator==(const Actor&, const Actor&) = default;
};

}  // namespace renkei::domain
