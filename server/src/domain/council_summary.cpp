#include "domain/council_summary.hpp"

namespace renkei::domain {

bool role_is_open(const RoleAgreement& role) {
  return role.state != RoleState::declined && role.status != RoleStatus::done;
}

bool role_is_overdue(const RoleAgreement& role, std::string_view today) {
  // Dates are "YYYY-MM-DD": byte order is date order.
  return role_is_open(role) && role.due && !role.due->empty() && *role.due < today;
}

CouncilSummary summarize_council(const CouncilState& state,
                                 const std::function<bool(const RoleAgreement&)>& owned,
                                 std::string_view today) {
  CouncilSummary out;
  if (state.live_meeting) {
    if (const Meeting* m = state.find_meeting(*state.live_meeting))
      out.live = MeetingMention{m->id, m->title, m->started.at};
  }
  for (auto it = state.meetings.rbegin(); it != state.meetings.rend(); ++it) {
    if (it->ended) {
      out.last = MeetingMention{it->id, it->title, it->ended->at};
      break;
    }
  }
  out.themes.reserve(state.themes.size());
  for (const Theme& theme : state.themes) out.themes.push_back({theme.name, theme.stage});
  for (const RoleAgreement& role : state.roles) {
    if (!owned(role) || !role_is_open(role)) continue;
    ++out.open_roles;
    if (role_is_overdue(role, today)) ++out.overdue_roles;
  }
  return out;
}

}  // namespace renkei::domain
