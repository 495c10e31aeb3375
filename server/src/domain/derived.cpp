#include "domain/derived.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

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
    case IssueStatus::open: return "検討中";
    case IssueStatus::prioritised: return "優先順位付け済み";
    case IssueStatus::resolved: return "解決済み";
    case IssueStatus::merged: return "統合済み";
  }
  return "検討中";
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
    case RoleState::proposed: return "提案中";
    case RoleState::agreed: return "合意";
    case RoleState::declined: return "辞退";
  }
  return "提案中";
}

std::string_view label_ja(RoleStatus status) {
  switch (status) {
    case RoleStatus::not_started: return "未着手";
    case RoleStatus::in_progress: return "実施中";
    case RoleStatus::done: return "完了";
    case RoleStatus::revised: return "見直し";
  }
  return "未着手";
}

std::string_view label_ja(ProposalKind kind) {
  return kind == ProposalKind::vision ? "あるべき姿" : "方針";
}

std::string_view label_ja(Stance stance) {
  switch (stance) {
    case Stance::agree: return "賛成";
    case Stance::abstain: return "保留";
    case Stance::disagree: return "反対";
    case Stance::block: return "異議";
  }
  return "保留";
}

std::string_view label_ja(RankingMethod method) {
  switch (method) {
    case RankingMethod::schulze: return "シュルツ方式";
    case RankingMethod::borda: return "ボルダ方式";
    case RankingMethod::dots: return "ドット投票";
  }
  return "シュルツ方式";
}

std::string_view label_ja(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::structure: return "ストラクチャー";
    case IndicatorKind::process: return "プロセス";
    case IndicatorKind::outcome: return "アウトカム";
  }
  return "プロセス";
}

std::string_view label_ja(SessionType session) {
  return session == SessionType::closed ? "非公開" : "公開";
}

std::string_view label_ja(Role role) {
  switch (role) {
    case Role::facilitator: return "ファシリテーター";
    case Role::member: return "メンバー";
    case Role::observer: return "オブザーバー";
  }
  return "メンバー";
}

std::string_view stage_name_ja(int stage) {
  switch (stage) {
    case 1: return "実態把握・課題集約";
    case 2: return "相互理解・課題共有・共通認識";
    case 3: return "サービス提供体制の整備・役割合意形成";
    case 4: return "運用・評価・改善";
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
