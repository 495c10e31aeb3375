// What the home page shows of one council (ホーム): whether a meeting is
// live, the last meeting, each theme's stage, and the role agreements of
// the viewer's organisation that are still open or overdue. A pure
// function of the council's folded state.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/council_state.hpp"

namespace renkei::domain {

struct MeetingMention {
  std::string id;
  std::string title;
  std::string at;  // started_at for a live meeting, ended_at for the last one
};

struct ThemeStage {
  std::string name;
  int stage = 1;
};

struct CouncilSummary {
  std::optional<MeetingMention> live;
  std::optional<MeetingMention> last;  // the last meeting that ended
  std::vector<ThemeStage> themes;      // in creation order
  // Role agreements the organisation owns that are not done and not
  // declined (open), and of those the ones whose due date is before today.
  std::uint64_t open_roles = 0;
  std::uint64_t overdue_roles = 0;
};

// `owned` says whether a role agreement belongs to the viewer's
// organisation; `today` is a local date "YYYY-MM-DD".
CouncilSummary summarize_council(const CouncilState& state,
                                 const std::function<bool(const RoleAgreement&)>& owned,
                                 std::string_view today);

// Whether a role agreement still asks something of its owner: agreed or
// awaiting consent, and not done.
bool role_is_open(const RoleAgreement& role);
// Open, with a due date before `today` ("YYYY-MM-DD").
bool role_is_overdue(const RoleAgreement& role, std::string_view today);

}  // namespace renkei::domain
