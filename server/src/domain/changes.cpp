#include "domain/changes.hpp"

#include <algorithm>
#include <string>

#include "domain/calendar.hpp"
#include "domain/derived.hpp"

namespace renkei::domain {
namespace {

// By due date (all have one), then in the order they were proposed.
void sort_by_due(std::vector<const RoleAgreement*>& roles) {
  std::stable_sort(roles.begin(), roles.end(), [](const RoleAgreement* a, const RoleAgreement* b) {
    return *a->due < *b->due;
  });
}

}  // namespace

const Meeting* last_ended_meeting(const CouncilState& state) {
  const Meeting* last = nullptr;
  for (const Meeting& meeting : state.meetings)
    if (meeting.ended && (last == nullptr || meeting.ended->seq > last->ended->seq))
      last = &meeting;
  return last;
}

std::uint64_t seq_after(const Meeting& meeting) {
  return meeting.ended ? meeting.ended->seq : meeting.started.seq;
}

Changes changes_since(const CouncilState& state, std::uint64_t since_seq, std::string_view today,
                      int due_within_days) {
  Changes changes;
  changes.since_seq = since_seq;

  const auto today_date = parse_iso_date(today);
  const std::string horizon =
      today_date ? iso_date(add_days(*today_date, due_within_days)) : std::string();
  for (const RoleAgreement& role : state.roles) {
    if (!role.due || role.status == RoleStatus::done || role.state == RoleState::declined) continue;
    if (is_overdue(role, today)) {
      changes.roles_overdue.push_back(&role);
    } else if (today_date && *role.due >= today && *role.due <= horizon) {
      changes.roles_due.push_back(&role);
    }
  }
  sort_by_due(changes.roles_due);
  sort_by_due(changes.roles_overdue);

  for (const RoleAgreement& role : state.roles) {
    RoleStatus from = RoleStatus::not_started;
    for (const StatusEntry& entry : role.statuses) {
      if (entry.changed.seq > since_seq)
        changes.status_changes.push_back(StatusChangeView{&role, from, &entry});
      from = entry.status;
    }
  }
  std::sort(changes.status_changes.begin(), changes.status_changes.end(),
            [](const StatusChangeView& a, const StatusChangeView& b) {
              return a.change->changed.seq < b.change->changed.seq;
            });

  for (const Issue& issue : state.issues)
    if (issue.posted.seq > since_seq) changes.issues_posted.push_back(&issue);

  for (const Indicator& indicator : state.indicators)
    for (const IndicatorReportEntry& report : indicator.reports)
      if (report.reported.seq > since_seq)
        changes.indicator_reports.push_back(IndicatorReportView{&indicator, &report});
  std::sort(changes.indicator_reports.begin(), changes.indicator_reports.end(),
            [](const IndicatorReportView& a, const IndicatorReportView& b) {
              return a.report->reported.seq < b.report->reported.seq;
            });

  for (const Proposal& proposal : state.proposals)
    if (proposal.open) changes.open_proposals.push_back(&proposal);
  for (const Ranking& ranking : state.rankings)
    if (ranking.open) changes.open_rankings.push_back(&ranking);

  for (const Theme& theme : state.themes)
    for (const StageChange& change : theme.changes)
      if (change.decided.seq > since_seq)
        changes.stage_changes.push_back(StageChangeView{&theme, &change});
  std::sort(changes.stage_changes.begin(), changes.stage_changes.end(),
            [](const StageChangeView& a, const StageChangeView& b) {
              return a.change->decided.seq < b.change->decided.seq;
            });
  return changes;
}

}  // namespace renkei::domain
