#include "domain/decide.hpp"

#include <algorithm>
#include <set>
#include <type_traits>
#include <utility>

#include "domain/derived.hpp"
#include "domain/ownership.hpp"
#include "domain/ranking_methods.hpp"

namespace renkei::domain {
namespace {

// Ops only a facilitator may send. Every other op is open to facilitators and
// members (role.status further requires a member of the owner organisation).
// Observers may send nothing.
template <typename C>
constexpr bool facilitator_only =
    std::is_same_v<C, MeetingStart> || std::is_same_v<C, MeetingAdvance> ||
    std::is_same_v<C, MeetingEnd> || std::is_same_v<C, IssueMerge> ||
    std::is_same_v<C, RankingOpen> || std::is_same_v<C, RankingClose> ||
    std::is_same_v<C, ProposalOpen> || std::is_same_v<C, ProposalClose> ||
    std::is_same_v<C, IndicatorDefine> || std::is_same_v<C, ThemeSetStage> ||
    std::is_same_v<C, RankingAdopt>;

Error forbidden_observer() {
  return make_error(ErrorCode::forbidden, "オブザーバーは操作できません",
                    "observers may not send commands");
}
Error forbidden_member() {
  return make_error(ErrorCode::forbidden, "この操作はファシリテーターのみ行えます",
                    "only the facilitator may do this");
}

Error issue_not_found() {
  return make_error(ErrorCode::not_found, "課題が見つかりません", "issue not found");
}
Error ranking_not_found() {
  return make_error(ErrorCode::not_found, "ランキングが見つかりません", "ranking not found");
}
Error proposal_not_found() {
  return make_error(ErrorCode::not_found, "提案が見つかりません", "proposal not found");
}
Error role_not_found() {
  return make_error(ErrorCode::not_found, "役割が見つかりません", "role not found");
}
Error indicator_not_found() {
  return make_error(ErrorCode::not_found, "指標が見つかりません", "indicator not found");
}

template <typename T>
bool has_duplicates(const std::vector<T>& items) {
  const std::set<T> unique(items.begin(), items.end());
  return unique.size() != items.size();
}

// Decides one command. Within an op the checks run in the order the header
// states: ids (not_found), state (conflict), arguments against the state
// (bad_request), ownership (forbidden). Checks of arguments alone, which no
// state can make valid (an issue merged into itself, no candidates, a dots
// budget below 1), come before the lookups. The role check ran before.
class Decider {
 public:
  Decider(const CouncilState& state, const Actor& actor, const OrgResolver& orgs)
      : state_(state), actor_(actor), orgs_(orgs) {}

  Decision operator()(const MeetingStart& c) const {
    if (state_.live_meeting)
      return make_error(ErrorCode::conflict, "会議はすでに開催中です", "a meeting is already live");
    return MeetingStarted{make_id(state_, "m", state_.meetings.size() + 1), c.title, c.agenda,
                          c.items, c.session};
  }

  Decision operator()(const MeetingAdvance& c) const {
    const Meeting* meeting = live_meeting();
    if (meeting == nullptr) return no_live_meeting();
    if (c.item < 0 || static_cast<std::uint64_t>(c.item) >= meeting->items.size())
      return make_error(ErrorCode::bad_request, "議題の番号が範囲外です",
                        "agenda item index out of range");
    return MeetingAdvanced{c.item};
  }

  Decision operator()(const MeetingEnd&) const {
    if (live_meeting() == nullptr) return no_live_meeting();
    return MeetingEnded{};
  }

  Decision operator()(const IssuePost& c) const {
    return IssuePosted{make_id(state_, "i", state_.issues.size() + 1), c.text, c.theme};
  }

  Decision operator()(const IssueMerge& c) const {
    if (c.from == c.into)
      return make_error(ErrorCode::bad_request, "課題を自分自身に統合することはできません",
                        "an issue cannot be merged into itself");
    const Issue* from = state_.find_issue(c.from);
    const Issue* into = state_.find_issue(c.into);
    if (from == nullptr || into == nullptr) return issue_not_found();
    if (from->merged_into || into->merged_into)
      return make_error(ErrorCode::conflict, "すでに統合された課題です", "issue already merged");
    return IssueMerged{c.from, c.into};
  }

  Decision operator()(const RankingOpen& c) const {
    if (c.candidates.empty())
      return make_error(ErrorCode::bad_request, "候補の課題がありません", "no candidates");
    if (has_duplicates(c.candidates))
      return make_error(ErrorCode::bad_request, "候補の課題が重複しています",
                        "duplicate candidates");
    if (c.method == RankingMethod::dots && c.dots < 1)
      return make_error(ErrorCode::bad_request, "ドット数は1以上にしてください",
                        "dots must be at least 1");
    for (const auto& id : c.candidates)
      if (state_.find_issue(id) == nullptr) return issue_not_found();
    for (const auto& id : c.candidates)
      if (state_.find_issue(id)->merged_into)
        return make_error(ErrorCode::conflict, "統合済みの課題は候補にできません",
                          "a merged issue cannot be a candidate");
    return RankingOpened{make_id(state_, "r", state_.rankings.size() + 1), c.candidates, c.method,
                         c.dots};
  }

  Decision operator()(const RankingBallot& c) const {
    const Ranking* ranking = state_.find_ranking(c.ranking);
    if (ranking == nullptr) return ranking_not_found();
    if (!ranking->open) return ranking_closed();
    const std::set<std::string> candidates(ranking->candidates.begin(), ranking->candidates.end());
    const auto not_a_candidate = [] {
      return make_error(ErrorCode::bad_request, "このランキングの候補ではない課題があります",
                        "issue is not a candidate of this ranking");
    };

    if (ranking->method == RankingMethod::dots) {
      if (!c.dots || c.order)
        return make_error(ErrorCode::bad_request, "ドット投票には dots を指定してください",
                          "a dots ballot needs dots, not order");
      std::int64_t total = 0;
      for (const auto& [id, n] : *c.dots) {
        if (!candidates.contains(id)) return not_a_candidate();
        if (n < 0)
          return make_error(ErrorCode::bad_request, "ドット数は0以上にしてください",
                            "dots must not be negative");
        if (n > ranking->dots - total)  // total <= dots, so no overflow
          return make_error(ErrorCode::bad_request, "ドット数が上限を超えています",
                            "dots over the limit");
        total += n;
      }
      if (total < 1)
        return make_error(ErrorCode::bad_request, "ドットを1つ以上配分してください",
                          "a dots ballot must place at least one dot");
      return RankingBallotCast{c.ranking, actor_.participant, std::nullopt, c.dots};
    }

    if (!c.order || c.dots)
      return make_error(ErrorCode::bad_request, "順位投票には order を指定してください",
                        "a ranked ballot needs order, not dots");
    if (c.order->empty()) return make_error(ErrorCode::bad_request, "順位が空です", "empty order");
    if (has_duplicates(*c.order))
      return make_error(ErrorCode::bad_request, "順位に同じ課題が重複しています",
                        "duplicate issue in order");
    for (const auto& id : *c.order)
      if (!candidates.contains(id)) return not_a_candidate();
    return RankingBallotCast{c.ranking, actor_.participant, c.order, std::nullopt};
  }

  Decision operator()(const RankingClose& c) const {
    const Ranking* ranking = state_.find_ranking(c.ranking);
    if (ranking == nullptr) return ranking_not_found();
    if (!ranking->open) return ranking_closed();

    RankingClosed closed{c.ranking, static_cast<std::int64_t>(ranking->ballots.size()), {}};
    if (ranking->method == RankingMethod::dots) {
      std::vector<std::map<std::string, std::int64_t>> ballots;
      for (const auto& [participant, ballot] : ranking->ballots)
        if (ballot.dots) ballots.push_back(*ballot.dots);
      closed.result = dot_vote(ranking->candidates, ballots);
    } else {
      std::vector<std::vector<std::string>> ballots;
      for (const auto& [participant, ballot] : ranking->ballots)
        if (ballot.order) ballots.push_back(*ballot.order);
      closed.result = ranking->method == RankingMethod::borda
                          ? borda(ranking->candidates, ballots)
                          : schulze(ranking->candidates, ballots);
    }
    return closed;
  }

  Decision operator()(const RankingAdopt& c) const {
    const Ranking* ranking = state_.find_ranking(c.ranking);
    if (ranking == nullptr) return ranking_not_found();
    if (ranking->open)
      return make_error(ErrorCode::conflict, "締め切る前のランキングは採用できません",
                        "an open ranking cannot be adopted");
    if (ranking->adopted && ranking_standing(state_, *ranking) == RankingStanding::decision)
      return make_error(ErrorCode::conflict, "このランキングはすでに採用されています",
                        "this ranking is already adopted");
    // A ranking that is now the decision stops being one when this ranking,
    // closed and sharing a candidate with it, is adopted.
    RankingAdopted adopted{c.ranking, {}};
    for (const Ranking& other : state_.rankings)
      if (other.id != c.ranking && ranking_standing(state_, other) == RankingStanding::decision &&
          std::any_of(other.candidates.begin(), other.candidates.end(), [&](const auto& id) {
            return std::find(ranking->candidates.begin(), ranking->candidates.end(), id) !=
                   ranking->candidates.end();
          }))
        adopted.replaces.push_back(other.id);
    return adopted;
  }

  Decision operator()(const ProposalOpen& c) const {
    if (c.revises) {
      const Proposal* earlier = state_.find_proposal(*c.revises);
      if (earlier == nullptr) return proposal_not_found();
      if (earlier->open || earlier->adopted.value_or(false))
        return make_error(ErrorCode::conflict, "修正できるのは不採択で締め切られた提案だけです",
                          "only a closed, not adopted proposal can be revised");
    }
    return ProposalOpened{make_id(state_, "pr", state_.proposals.size() + 1), c.kind, c.text,
                          c.revises};
  }

  Decision operator()(const ProposalStance& c) const {
    if (c.stance == Stance::block && (!c.reason || c.reason->empty()))
      return make_error(ErrorCode::bad_request, "阻止には理由が必要です", "a block needs a reason");
    const Proposal* proposal = state_.find_proposal(c.proposal);
    if (proposal == nullptr) return proposal_not_found();
    if (!proposal->open) return proposal_closed();
    return ProposalStanceTaken{c.proposal, c.stance, c.reason};
  }

  Decision operator()(const ProposalClose& c) const {
    const Proposal* proposal = state_.find_proposal(c.proposal);
    if (proposal == nullptr) return proposal_not_found();
    if (!proposal->open) return proposal_closed();
    Tally tally;
    for (const auto& [participant, entry] : proposal->stances) {
      switch (entry.stance) {
        case Stance::agree: ++tally.agree; break;
        case Stance::abstain: ++tally.abstain; break;
        case Stance::disagree: ++tally.disagree; break;
        case Stance::block: ++tally.block; break;
      }
    }
    const bool adopted = tally.block == 0 && tally.agree > tally.disagree;
    return ProposalClosed{c.proposal, adopted, tally};
  }

  Decision operator()(const RolePropose& c) const {
    if (c.issue) {
      const Issue* issue = state_.find_issue(*c.issue);
      if (issue == nullptr) return issue_not_found();
      if (issue->merged_into)
        return make_error(ErrorCode::conflict, "統合済みの課題には役割を結び付けられません",
                          "a role cannot be linked to a merged issue");
    }
    RoleProposed proposed{make_id(state_, "ro", state_.roles.size() + 1),
                          c.title,
                          c.owner_org,
                          c.due,
                          c.detail,
                          c.theme,
                          RoleState::proposed,
                          c.issue};
    // With a directory, an owner that names an organisation of it (by id
    // or name) is that organisation: the event carries its canonical name
    // and id, and agreements follow it through merges and renames. Any
    // other text stays the owner as given, as in v1 (an organisation not yet
    // in the directory, e.g. one invited later), decided by name.
    if (orgs_) {
      if (const std::optional<OrgRef> owner = orgs_(c.owner_org)) {
        proposed.owner_org = owner->name;
        proposed.owner_org_id = owner->id;
      }
    }
    return proposed;
  }

  Decision operator()(const RoleConsent& c) const {
    const RoleAgreement* role = state_.find_role(c.role);
    if (role == nullptr) return role_not_found();
    RoleConsented consented{c.role, c.consent, c.note, role->state};
    if (speaks_for(actor_, *role, orgs_)) {
      consented.state = c.consent ? RoleState::agreed : RoleState::declined;
      // The owner's only through the directory (a merge): say so in the
      // event, so that the fold, which has no directory, reads it the same.
      if (!speaks_for_as_logged(actor_, *role))
        consented.owner_org_id = canonical_owner_id(*role, orgs_).value_or("");
    }
    return consented;
  }

  Decision operator()(const RoleStatusUpdate& c) const {
    const RoleAgreement* role = state_.find_role(c.role);
    if (role == nullptr) return role_not_found();
    if (actor_.role != Role::facilitator && !speaks_for(actor_, *role, orgs_))
      return make_error(ErrorCode::forbidden,
                        "役割の状況は担当機関の参加者かファシリテーターのみ更新できます",
                        "only the owner organisation or the facilitator may update the status");
    return RoleStatusChanged{c.role, c.status, c.note};
  }

  Decision operator()(const IndicatorDefine& c) const {
    return IndicatorDefined{make_id(state_, "in", state_.indicators.size() + 1),
                            c.name,
                            c.kind,
                            c.unit,
                            c.target,
                            c.baseline};
  }

  Decision operator()(const IndicatorReport& c) const {
    if (state_.find_indicator(c.indicator) == nullptr) return indicator_not_found();
    return IndicatorReported{c.indicator, c.value, c.period};
  }

  Decision operator()(const ThemeSetStage& c) const {
    if (c.stage < 1 || c.stage > 4)
      return make_error(ErrorCode::bad_request, "段階は1から4で指定してください",
                        "stage must be 1 to 4");
    const Theme* theme = state_.find_theme(c.theme);
    return ThemeStageSet{c.theme, c.stage, c.reason, theme == nullptr ? 0 : theme->stage};
  }

  // Checks: the target (not_found), a participant that names no text on it
  // (not_found), a text already erased (conflict), the author or the
  // facilitator (forbidden).
  Decision operator()(const TextRedact& c) const {
    const TextRedacted redacted{c.target, c.participant, c.reason};
    if (const Issue* issue = state_.find_issue(c.target)) {
      if (c.participant)
        return make_error(ErrorCode::bad_request, "課題には participant を指定できません",
                          "participant is only for a proposal or a role");
      if (issue->redacted) return already_redacted();
      return author_or_facilitator(issue->posted, redacted);
    }
    if (const Proposal* proposal = state_.find_proposal(c.target)) {
      if (!c.participant) {
        if (proposal->redacted) return already_redacted();
        return author_or_facilitator(proposal->opened, redacted);
      }
      const auto it = proposal->stances.find(*c.participant);
      if (it == proposal->stances.end()) return no_text_of_participant();
      if (!it->second.reason_in_log)
        return it->second.redacted ? already_redacted() : no_text_of_participant();
      return author_or_facilitator(it->second.taken, redacted);
    }
    if (const RoleAgreement* role = state_.find_role(c.target)) {
      if (!c.participant) {
        if (role->redacted) return already_redacted();
        return author_or_facilitator(role->proposed, redacted);
      }
      const Stamp* note = nullptr;
      bool erased = false;
      for (const ConsentEntry& entry : role->consents)
        if (entry.given.by.participant == *c.participant) {
          if (entry.note) note = &entry.given;
          erased = erased || entry.redacted;
        }
      for (const StatusEntry& entry : role->statuses)
        if (entry.changed.by.participant == *c.participant) {
          if (entry.note) note = &entry.changed;
          erased = erased || entry.redacted;
        }
      if (note == nullptr) return erased ? already_redacted() : no_text_of_participant();
      return author_or_facilitator(*note, redacted);
    }
    return make_error(ErrorCode::not_found, "伏せ字にする対象（課題・提案・役割）が見つかりません",
                      "target (issue, proposal or role) not found");
  }

  // Extension (CONTINUITY.md section 5). Checks: a one-on-one (bad_request),
  // the list itself (bad_request), each item (not_found, then conflict when
  // merged, redacted or not an adopted direction), the target (not_found).
  Decision operator()(const PromotionPropose& c) const {
    if (state_.kind != CouncilKind::one_on_one) return not_a_one_on_one();
    if (c.items.empty())
      return make_error(ErrorCode::bad_request, "提起する項目を選んでください",
                        "choose at least one item to promote");
    if (c.items.size() > max_promotion_items)
      return make_error(ErrorCode::bad_request, "一度に提起できる項目は50件までです",
                        "at most 50 items per promotion");
    if (has_duplicates(c.items))
      return make_error(ErrorCode::bad_request, "項目が重複しています", "duplicate items");
    for (const std::string& id : c.items) {
      if (const Issue* issue = state_.find_issue(id)) {
        if (issue->merged_into)
          return make_error(ErrorCode::conflict, "統合済みの課題は提起できません",
                            "a merged issue cannot be promoted");
        if (issue->redacted) return redacted_item();
      } else if (const RoleAgreement* role = state_.find_role(id)) {
        if (role->redacted) return redacted_item();
      } else if (const Proposal* proposal = state_.find_proposal(id)) {
        if (proposal->kind != ProposalKind::direction || !proposal->adopted.value_or(false))
          return make_error(ErrorCode::conflict, "提起できる提案は採択された方向性だけです",
                            "only an adopted direction can be promoted");
        if (proposal->redacted) return redacted_item();
      } else {
        return make_error(ErrorCode::not_found, "提起する項目が見つかりません",
                          "item to promote not found");
      }
    }
    if (c.target != "prefecture") {
      const bool valid = c.resolved && c.resolved->kind == CouncilKind::council &&
                         !c.resolved->archived && c.resolved->area == state_.area &&
                         c.target != state_.council;
      if (!valid)
        return make_error(ErrorCode::not_found, "提起先の協議会が見つかりません",
                          "target council not found (it must be a council of the same area)");
    }
    std::optional<std::string> target_name;
    if (c.target != "prefecture" && c.resolved && !c.resolved->name.empty())
      target_name = c.resolved->name;
    return PromotionProposed{make_id(state_, "pm", state_.promotions.size() + 1), c.items, c.target,
                             c.note, target_name};
  }

  // Checks: a one-on-one (bad_request), the promotion (not_found), decided
  // (conflict), the proposer's own organisation (bad_request).
  Decision operator()(const PromotionConsent& c) const {
    if (state_.kind != CouncilKind::one_on_one) return not_a_one_on_one();
    const Promotion* promotion = state_.find_promotion(c.promotion);
    if (promotion == nullptr)
      return make_error(ErrorCode::not_found, "提起が見つかりません", "promotion not found");
    if (promotion->state != PromotionState::proposed)
      return make_error(ErrorCode::conflict, "この提起はすでに決まっています",
                        "this promotion is already decided");
    if (same_organisation(actor_, promotion->proposed.by))
      return make_error(ErrorCode::bad_request, "同意できるのは相手方の機関の参加者です",
                        "only a party of the other organisation may consent");
    return PromotionConsented{c.promotion, c.consent,
                              c.consent ? PromotionState::agreed : PromotionState::declined};
  }

 private:
  static constexpr std::size_t max_promotion_items = 50;
  static Error not_a_one_on_one() {
    return make_error(ErrorCode::bad_request, "提起・上申は一対一協議でのみ行えます",
                      "promotion is only for a one-on-one");
  }
  static Error redacted_item() {
    return make_error(ErrorCode::conflict, "伏せ字になった項目は提起できません",
                      "a redacted item cannot be promoted");
  }
  static bool same_organisation(const Actor& a, const Actor& b) {
    if (!a.org_id.empty() && !b.org_id.empty()) return a.org_id == b.org_id;
    return a.org == b.org;
  }

  // The facilitator may erase any text; anyone else only what they wrote.
  Decision author_or_facilitator(const Stamp& written, const TextRedacted& redacted) const {
    if (actor_.role != Role::facilitator && actor_.participant != written.by.participant)
      return make_error(ErrorCode::forbidden,
                        "伏せ字にできるのは書いた本人かファシリテーターのみです",
                        "only the author or the facilitator may redact this text");
    return redacted;
  }
  static Error already_redacted() {
    return make_error(ErrorCode::conflict, "すでに伏せ字になっています",
                      "this text is already redacted");
  }
  static Error no_text_of_participant() {
    return make_error(ErrorCode::not_found, "この参加者の理由・メモが見つかりません",
                      "no reason or note of this participant on the target");
  }

  const Meeting* live_meeting() const {
    return state_.live_meeting ? state_.find_meeting(*state_.live_meeting) : nullptr;
  }
  static Error no_live_meeting() {
    return make_error(ErrorCode::conflict, "開催中の会議がありません", "no live meeting");
  }
  static Error ranking_closed() {
    return make_error(ErrorCode::conflict, "ランキングは締め切られています", "ranking is closed");
  }
  static Error proposal_closed() {
    return make_error(ErrorCode::conflict, "提案は締め切られています", "proposal is closed");
  }

  const CouncilState& state_;
  const Actor& actor_;
  const OrgResolver& orgs_;
};

}  // namespace

Decision decide(const CouncilState& state, const Actor& actor, const Command& command,
                const OrgResolver& orgs) {
  return std::visit(
      [&](const auto& c) -> Decision {
        using C = std::decay_t<decltype(c)>;
        if (actor.role == Role::observer) return forbidden_observer();
        if (facilitator_only<C> && actor.role != Role::facilitator) return forbidden_member();
        return Decider{state, actor, orgs}(c);
      },
      command);
}

}  // namespace renkei::domain
