#include "domain/actor.hpp"

namespace renkei::domain {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::facilitator: return "facilitator";
    case Role::member: return "member";
    case Role::observer: return "observer";
  }
  return "observer";
}

std::optional<Role> role_from_string(std::string_view text) {
  if (text == "facilitator") return Role::facilitator;
  if (text == "member") return Role::member;
  if (text == "observer") return Role::observer;
  return std::nullopt;
}

std::string_view to_string(CouncilKind kind) {
  return kind == CouncilKind::one_on_one ? "one_on_one" : "council";
}

std::optional<CouncilKind> council_kind_from_string(std::string_view text) {
  if (text == "council") return CouncilKind::council;
  if (text == "one_on_one") return CouncilKind::one_on_one;
  return std::nullopt;
}

}  // namespace renkei::domain
