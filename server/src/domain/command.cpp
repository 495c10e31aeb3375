#include "domain/command.hpp"

namespace renkei::domain {
namespace {

struct CommandName {
  std::string_view operator()(const MeetingStart&) const { return "meeting.start"; }
  std::string_view operator()(const MeetingAdvance&) const { return "meeting.advance"; }
  std::string_view operator()(const MeetingEnd&) const { return "meeting.end"; }
  std::string_view operator()(const IssuePost&) const { return "issue.post"; }
  std::string_view operator()(const IssueMerge&) const { return "issue.merge"; }
  std::string_view operator()(const RankingOpen&) const { return "ranking.open"; }
  std::string_view operator()(const RankingBallot&) const { return "ranking.ballot"; }
  std::string_view operator()(const RankingClose&) const { return "ranking.close"; }
  std::string_view operator()(const ProposalOpen&) const { return "proposal.open"; }
  std::string_view operator()(const ProposalStance&) const { return "proposal.stance"; }
  std::string_view operator()(const ProposalClose&) const { return "proposal.close"; }
  std::string_view operator()(const RolePropose&) const { return "role.propose"; }
  std::string_view operator()(const RoleConsent&) const { return "role.consent"; }
  std::string_view operator()(const RoleStatusUpdate&) const { return "role.status"; }
  std::string_view operator()(const IndicatorDefine&) const { return "indicator.define"; }
  std::string_view operator()(const IndicatorReport&) const { return "indicator.report"; }
  std::string_view operator()(const ThemeSetStage&) const { return "theme.set_stage"; }
  std::string_view operator()(const TextRedact&) const { return "text.redact"; }
  std::string_view operator()(const RankingAdopt&) const { return "ranking.adopt"; }
  std::string_view operator()(const PromotionPropose&) const { return "promotion.propose"; }
  std::string_view operator()(const PromotionConsent&) const { return "promotion.consent"; }
};

}  // namespace

std::string_view op_name(const Command& command) { return std::visit(CommandName{}, command); }

}  // namespace renkei::domain
