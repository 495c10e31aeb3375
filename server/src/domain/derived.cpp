#include "domain/derived.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "domain/glossary_terms.hpp"

namespace renkei::domain {

std::string_view to_string(IssueStatus status) {
  switch (status) {
    case IssueStatus::open: return "open";
    case IssueStatus::prioritised: return "prioritised";
    case IssueStatus::resolved: return "resolved";
    case IssueStatus::merged: return "merged";
  }
  return "open";
}

std::string_view label_ja(IssueStatus status) {
  switch (status) {
    case IssueStatus::open: return glossary::issue_status_open;
    case IssueStatus::prioritised: return glossary::issue_status_prioritised;
    case IssueStatus::resolved: return glossary::issue_status_resolved;
    case IssueStatus::merged: return glossary::issue_status_merged;
  }
  return glossary::issue_status_open;
}

IssueStatuses::IssueStatuses(const CouncilState& state) {
  for (const Ranking& ranking : state.rankings)
    if (!ranking.open) prioritised_.insert(ranking.candidates.begin(), ranking.candidates.end());
  for (const RoleAgreement& role : state.roles) {
    if (!role.issue) continue;
    auto& [linked, done] = roles_[*role.issue];
    ++linked;
    if (role.status == RoleStatus::done) ++done;
  }
}

IssueStatus IssueStatuses::of(const Issue& issue) const {
  if (issue.merged_into) return IssueStatus::merged;
  if (const auto it = roles_.find(issue.id);
      it != roles_.end() && it->second.first > 0 && it->second.first == it->second.second)
    return IssueStatus::resolved;
  if (prioritised_.contains(issue.id)) return IssueStatus::prioritised;
  return IssueStatus::open;
}

bool is_overdue(const RoleAgreement& role, std::string_view today) {
  return role.due && !today.empty() && std::string_view(*role.due) < today &&
         role.status != RoleStatus::done && role.state != RoleState::declined;
}

namespace {

bool share_candidate(const Ranking& a, const Ranking& b) {
  for (const std::string& candidate : a.candidates)
    if (std::find(b.candidates.begin(), b.candidates.end(), candidate) != b.candidates.end())
      return true;
  return false;
}

}  // namespace

RankingStanding ranking_standing(const CouncilState& state, const Ranking& ranking) {
  if (ranking.open) return RankingStanding::open;
  if (ranking.adopted)
    return ranking.replaced_by ? RankingStanding::reference : RankingStanding::decision;
  bool overlapping = false;
  for (const Ranking& other : state.rankings) {
    if (other.id == ranking.id || other.open || !share_candidate(ranking, other)) continue;
    if (other.adopted) return RankingStanding::reference;
    overlapping = true;
  }
  return overlapping ? RankingStanding::pending : RankingStanding::decision;
}

Tally current_tally(const Proposal& proposal) {
  if (!proposal.open) return proposal.tally;
  Tally tally;
  for (const auto& [participant, entry] : proposal.stances) {
    switch (entry.stance) {
      case Stance::agree: ++tally.agree; break;
      case Stance::abstain: ++tally.abstain; break;
      case Stance::disagree: ++tally.disagree; break;
      case Stance::block: ++tally.block; break;
    }
  }
  return tally;
}

std::string_view label_ja(RoleState state) {
  switch (state) {
    case RoleState::proposed: return glossary::role_state_proposed;
    case RoleState::agreed: return glossary::role_state_agreed;
    case RoleState::declined: return glossary::role_state_declined;
  }
  return glossary::role_state_proposed;
}

std::string_view label_ja(RoleStatus status) {
  switch (status) {
    case RoleStatus::not_started: return glossary::role_status_not_started;
    case RoleStatus::in_progress: return glossary::role_status_in_progress;
    case RoleStatus::done: return glossary::role_status_done;
    case RoleStatus::revised: return glossary::role_status_revised;
  }
  return glossary::role_status_not_started;
}

std::string_view label_ja(ProposalKind kind) {
  return kind == ProposalKind::vision ? glossary::proposal_kind_vision
                                      : glossary::proposal_kind_direction;
}

std::string_view label_ja(Stance stance) {
  switch (stance) {
    case Stance::agree: return glossary::stance_agree;
    case Stance::abstain: return glossary::stance_abstain;
    case Stance::disagree: return glossary::stance_disagree;
    case Stance::block: return glossary::stance_block;
  }
  return glossary::stance_abstain;
}

std::string_view label_ja(RankingMethod method) {
  switch (method) {
    case RankingMethod::schulze: return glossary::method_schulze;
    case RankingMethod::borda: return glossary::method_borda;
    case RankingMethod::dots: return glossary::method_dots;
  }
  return glossary::method_schulze;
}

std::string_view label_ja(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::structure: return glossary::indicator_kind_structure;
    case IndicatorKind::process: return glossary::indicator_kind_process;
    case IndicatorKind::outcome: return glossary::indicator_kind_outcome;
  }
  return glossary::indicator_kind_process;
}

std::string_view label_ja(SessionType session) {
  return session == SessionType::closed ? glossary::session_closed : glossary::session_open;
}

std::string_view label_ja(Role role) {
  switch (role) {
    case Role::facilitator: return glossary::council_role_facilitator;
    case Role::member: return glossary::council_role_member;
    case Role::observer: return glossary::council_role_observer;
  }
  return glossary::council_role_member;
}

std::string_view stage_name_ja(int stage) {
  switch (stage) {
    case 1: return glossary::stage_1;
    case 2: return glossary::stage_2;
    case 3: return glossary::stage_3;
    case 4: return glossary::stage_4;
    default: return "未設定";
  }
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return "-";
  if (std::fabs(value) < 9007199254740992.0 && value == std::trunc(value))
    return std::to_string(static_cast<long long>(value));
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace renkei::domain
