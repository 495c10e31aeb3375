// Commands: what a participant asks the council to do. One struct per v1 op;
// arguments are already type-checked and format-checked by the protocol layer
// (strings non-empty and within their length limits, dates well-formed), so
// the domain checks only what depends on the council's state and the actor.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/actor.hpp"
#include "domain/agenda.hpp"
#include "domain/vocabulary.hpp"

namespace renkei::domain {

struct MeetingStart {
  std::string title;
  std::optional<std::string> agenda;  // template id as sent by the client
  std::vector<AgendaItem> items;      // resolved by the app from `agenda`
  // 公開 (open, the default when absent) or 非公開 (closed); extension.
  std::optional<SessionType> session = std::nullopt;
};
struct MeetingAdvance {
  std::int64_t item = 0;  // index into the live meeting's items
};
struct MeetingEnd {};

struct IssuePost {
  std::string text;
  std::optional<std::string> theme;
};
struct IssueMerge {
  std::string from;
  std::string into;
};

struct RankingOpen {
  std::vector<std::string> candidates;  // issue ids, order as given
  RankingMethod method = RankingMethod::schulze;
  std::int64_t dots = 3;  // dots per participant (method dots only)
};
// Exactly one of `order` (schulze, borda) and `dots` (dots) is set.
struct RankingBallot {
  std::string ranking;
  std::optional<std::vector<std::string>> order;
  std::optional<std::map<std::string, std::int64_t>> dots;
};
struct RankingClose {
  std::string ranking;
};
// Extension: the facilitator names the closed ranking whose result counts as
// the council's decision (see adopted_decision in derived.hpp).
struct RankingAdopt {
  std::string ranking;
};

struct ProposalOpen {
  ProposalKind kind = ProposalKind::vision;
  std::string text;
  // Extension: the closed, not adopted proposal this one revises.
  std::optional<std::string> revises = std::nullopt;
};
struct ProposalStance {
  std::string proposal;
  Stance stance = Stance::agree;
  std::optional<std::string> reason;
};
struct ProposalClose {
  std::string proposal;
};

struct RolePropose {
  std::string title;
  std::string owner_org;
  std::optional<std::string> due;  // YYYY-MM-DD
  std::optional<std::string> detail;
  std::optional<std::string> theme;
  // The issue this role answers (extension); an issue is resolved once all
  // its linked roles are done.
  std::optional<std::string> issue = std::nullopt;
};
struct RoleConsent {
  std::string role;
  bool consent = false;
  std::optional<std::string> note;
};
struct RoleStatusUpdate {
  std::string role;
  RoleStatus status = RoleStatus::not_started;
  std::optional<std::string> note;
};

struct IndicatorDefine {
  std::string name;
  IndicatorKind kind = IndicatorKind::process;
  std::string unit;
  std::optional<double> target;
  std::optional<double> baseline;
};
struct IndicatorReport {
  std::string indicator;
  double value = 0;
  std::string period;  // YYYY-MM or YYYY-MM-DD
};

struct ThemeSetStage {
  std::string theme;
  int stage = 1;  // 1-4
  std::string reason;
};

// v1.1: erases posted text (伏せ字). `target` is an issue, proposal or role
// id. With a proposal id, `participant` names whose stance reason; with a
// role id (extension), whose consent and status notes. Without it: the
// issue's or proposal's text, or the role's title and detail.
struct TextRedact {
  std::string target;
  std::optional<std::string> participant;
  std::string reason;
};

// Extension (CONTINUITY.md section 5), only in a one-on-one: promote agreed
// items to a council of the same area or to the prefecture. `resolved` is
// what the app found for a council `target` (its kind, area and whether it
// is archived); nullopt for an unknown council or for "prefecture".
struct PromotionTarget {
  CouncilKind kind = CouncilKind::council;
  std::optional<std::string> area;
  bool archived = false;
  std::string name = {};  // the council's name, for the one-on-one's own record
};
struct PromotionPropose {
  std::vector<std::string> items;  // issue, role and adopted direction ids
  std::string target;              // a council id or "prefecture"
  std::optional<std::string> note;
  std::optional<PromotionTarget> resolved = std::nullopt;
};
struct PromotionConsent {
  std::string promotion;
  bool consent = false;
};

using Command =
    std::variant<MeetingStart, MeetingAdvance, MeetingEnd, IssuePost, IssueMerge, RankingOpen,
                 RankingBallot, RankingClose, ProposalOpen, ProposalStance, ProposalClose,
                 RolePropose, RoleConsent, RoleStatusUpdate, IndicatorDefine, IndicatorReport,
                 ThemeSetStage, TextRedact, RankingAdopt, PromotionPropose, PromotionConsent>;

// The wire name of the command's op, e.g. "issue.post".
std::string_view op_name(const Command& command);

}  // namespace renkei::domain
