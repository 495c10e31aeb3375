#include "store/directory_rows.hpp"

namespace renkei::store {

std::string_view to_string(GrantRole role) {
  switch (role) {
    case GrantRole::admin: return "admin";
    case GrantRole::secretariat: return "secretariat";
    case GrantRole::prefecture_viewer: return "prefecture_viewer";
  }
  return "admin";
}

std::optional<GrantRole> grant_role_from_string(std::string_view text) {
  if (text == "admin") return GrantRole::admin;
  if (text == "secretariat") return GrantRole::secretariat;
  if (text == "prefecture_viewer") return GrantRole::prefecture_viewer;
  return std::nullopt;
}

std::string_view to_string(SetupLinkState state) {
  switch (state) {
    case SetupLinkState::unused: return "unused";
    case SetupLinkState::used: return "used";
    case SetupLinkState::expired: return "expired";
    case SetupLinkState::revoked: return "revoked";
  }
  return "unused";
}

std::string_view to_string(HandoverRequestState state) {
  switch (state) {
    case HandoverRequestState::pending: return "pending";
    case HandoverRequestState::confirmed: return "confirmed";
    case HandoverRequestState::rejected: return "rejected";
  }
  return "pending";
}

SetupLinkState SetupLinkRow::state(const std::string& now) const {
  if (revoked_at) return SetupLinkState::revoked;
  if (used_at) return SetupLinkState::used;
  if (expires_at <= now) return SetupLinkState::expired;
  return SetupLinkState::unused;
}

}  // namespace renkei::store
