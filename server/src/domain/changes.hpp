// "Before the next meeting" (次回までに): what changed in a council since a
// meeting, and what is due. A pure view of the folded state: everything is
// found through the Stamps (seq, at) the fold keeps, so no event is read
// again. The protocol layer encodes it (GET /api/councils/<id>/changes).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "domain/council_state.hpp"

namespace renkei::domain {

struct StatusChangeView {
  const RoleAgreement* role = nullptr;
  RoleStatus from = RoleStatus::not_started;  // the status before this change
  const StatusEntry* change = nullptr;
};

struct IndicatorReportView {
  const Indicator* indicator = nullptr;
  const IndicatorReportEntry* report = nullptr;
};

struct StageChangeView {
  const Theme* theme = nullptr;
  const StageChange* change = nullptr;
};

// Pointers into the state given to changes_since(); valid while it is not
// changed. Lists are in seq order unless stated.
struct Changes {
  const Meeting* since = nullptr;  // the meeting the changes are counted from, if any
  std::uint64_t since_seq = 0;     // changes are the events with a higher seq
  // Roles not done and not declined whose due date is today or within
  // `due_within_days` days, by due date.
  std::vector<const RoleAgreement*> roles_due;
  // Roles overdue today (is_overdue), by due date.
  std::vector<const RoleAgreement*> roles_overdue;
  std::vector<StatusChangeView> status_changes;
  std::vector<const Issue*> issues_posted;
  std::vector<IndicatorReportView> indicator_reports;
  // Open now, whenever they were opened.
  std::vector<const Proposal*> open_proposals;
  std::vector<const Ranking*> open_rankings;
  std::vector<StageChangeView> stage_changes;
};

inline constexpr int default_due_window_days = 14;

// The most recently ended meeting, or null when no meeting has ended.
const Meeting* last_ended_meeting(const CouncilState& state);

// The seq changes "since a meeting" are counted from: the seq of its
// meeting.ended event, or of its meeting.started event while it is live.
std::uint64_t seq_after(const Meeting& meeting);

// Changes after `since_seq` (0: the whole log). `today` is the day in JST,
// "YYYY-MM-DD"; due dates compare against it.
Changes changes_since(const CouncilState& state, std::uint64_t since_seq, std::string_view today,
                      int due_within_days = default_due_window_days);

}  // namespace renkei::domain
