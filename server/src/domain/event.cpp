#include "domain/event.hpp"

namespace renkei::domain {
namespace {

struct EventName {
  std::string_view operator()(const MeetingStarted&) const { return "meeting.started"; }
  std::string_view operator()(const MeetingAdvanced&) const { return "meeting.advanced"; }
  std::string_view operator()(const MeetingEnded&) const { return "meeting.ended"; }
  std::string_view operator()(const IssuePosted&) const { return "issue.posted"; }
  std::string_view operator()(const IssueMerged&) const { return "issue.merged"; }
  std::string_view operator()(const RankingOpened&) const { return "ranking.opened"; }
  std::string_view operator()(const RankingBallotCast&) const { return "ranking.ballot_cast"; }
  std::string_view operator()(const RankingClosed&) const { return "ranking.closed"; }
  std::string_view operator()(const ProposalOpened&) const { return "proposal.opened"; }
  std::string_view operator()(const ProposalStanceTaken&) const { return "proposal.stance_taken"; }
  std::string_view operator()(const ProposalClosed&) const { return "proposal.closed"; }
  std::string_view operator()(const RoleProposed&) const { return "role.proposed"; }
  std::string_view operator()(const RoleConsented&) const { return "role.consented"; }
  std::string_view operator()(const RoleStatusChanged&) const { return "role.status_changed"; }
  std::string_view operator()(const IndicatorDefined&) const { return "indicator.defined"; }
  std::string_view operator()(const IndicatorReported&) const { return "indicator.reported"; }
  std::string_view operator()(const ThemeStageSet&) const { return "theme.stage_set"; }
  std::string_view operator()(const TextRedacted&) const { return "text.redacted"; }
  std::string_view operator()(const RankingAdopted&) const { return "ranking.adopted"; }
  std::string_view operator()(const PromotionProposed&) const { return "promotion.proposed"; }
  std::string_view operator()(const PromotionConsented&) const { return "promotion.consented"; }
};

}  // namespace

std::string_view to_string(PromotionState state) {
  switch (state) {
    case PromotionState::proposed: return "proposed";
    case PromotionState::agreed: return "agreed";
    case PromotionState::declined: return "declined";
  }
  return "proposed";
}

std::optional<PromotionState> promotion_state_from_string(std::string_view text) {
  if (text == "proposed") return PromotionState::proposed;
  if (text == "agreed") return PromotionState::agreed;
  if (text == "declined") return PromotionState::declined;
  return std::nullopt;
}

std::string_view op_name(const EventData& data) { return std::visit(EventName{}, data); }

}  // namespace renkei::domain
