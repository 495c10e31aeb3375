#include "domain/decide.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/derived.hpp"
#include "script.hpp"

namespace renkei::domain {
namespace {

using testing::facilitator;
using testing::member;
using testing::member_of;
using testing::observer;
using testing::other_member;
using testing::Script;
using testing::third_member;

using Dots = std::map<std::string, std::int64_t>;
using Order = std::vector<std::string>;

RankingBallot order_ballot(const std::string& ranking, Order order) {
  return RankingBallot{ranking, std::move(order), std::nullopt};
}
RankingBallot dots_ballot(const std::string& ranking, Dots dots) {
  return RankingBallot{ranking, std::nullopt, std::move(dots)};
}
std::vector<AgendaItem> two_items() {
  return {AgendaItem{{"開会", "Opening"}, {}, {2}, 5, {}},
          AgendaItem{{"課題の投稿", "Post issues"}, {}, {2}, 15, {"post_issues"}}};
}

// A council with one of everything, open, and a live meeting.
struct Populated {
  Script s;
  std::string issue_a, issue_b, ranking, closed_ranking, proposal, role, indicator, member_issue;

  Populated() {
    s.ok<MeetingStarted>(facilitator(), MeetingStart{"第1回", std::nullopt, two_items()});
    issue_a = s.issue("A");
    issue_b = s.issue("B");
    closed_ranking = s.ranking({issue_a}, RankingMethod::borda);
    s.ok<RankingClosed>(facilitator(), RankingClose{closed_ranking});
    ranking = s.ranking({issue_a, issue_b}, RankingMethod::schulze);
    proposal = s.proposal();
    role = s.role("北広島町");
    indicator = s.indicator();
    member_issue = s.ok<IssuePosted>(member(), IssuePost{"C", std::nullopt}).issue;
  }

  // One valid command per op, in the order of the Command variant.
  std::vector<Command> every_op() const {
    return {
        MeetingStart{"第2回", std::nullopt, {}},
        MeetingAdvance{0},
        MeetingEnd{},
        IssuePost{"新しい課題", "退院調整ルール"},
        IssueMerge{issue_b, issue_a},
        RankingOpen{{issue_a, issue_b}, RankingMethod::borda, 3},
        order_ballot(ranking, {issue_a}),
        RankingClose{ranking},
        ProposalOpen{ProposalKind::direction, "方針"},
        ProposalStance{proposal, Stance::agree, std::nullopt},
        ProposalClose{proposal},
        RolePropose{"研修の開催", "医師会", std::nullopt, std::nullopt, std::nullopt},
        RoleConsent{role, true, std::nullopt},
        RoleStatusUpdate{role, RoleStatus::in_progress, std::nullopt},
        IndicatorDefine{"在宅看取り率", IndicatorKind::outcome, "%", std::nullopt, std::nullopt},
        IndicatorReport{indicator, 75.0, "2027-03"},
        ThemeSetStage{"退院調整ルール", 2, "共通認識ができた"},
        TextRedact{member_issue, std::nullopt, "個人が特定できる"},
        RankingAdopt{closed_ranking},
        PromotionPropose{{issue_a}, "prefecture", std::nullopt},
        PromotionConsent{"c1-pm1", true}};
  }
};

bool is_promotion(const Command& c) { return op_name(c).starts_with("promotion."); }

bool facilitator_only(const Command& c) {
  const std::string_view op = op_name(c);
  return op == "meeting.start" || op == "meeting.advance" || op == "meeting.end" ||
         op == "issue.merge" || op == "ranking.open" || op == "ranking.close" ||
         op == "proposal.open" || op == "proposal.close" || op == "indicator.define" ||
         op == "theme.set_stage" || op == "ranking.adopt";
}

// ---------------------------------------------------------------- roles

TEST(DecideRoles, ObserverIsForbiddenOnEveryOp) {
  Populated p;
  const auto ops = p.every_op();
  ASSERT_EQ(ops.size(), std::variant_size_v<Command>);
  for (const auto& c : ops) EXPECT_EQ(p.s.code(observer(), c), ErrorCode::forbidden) << op_name(c);
}

TEST(DecideRoles, ObserverIsForbiddenEvenForUnknownIds) {
  Script s;
  EXPECT_EQ(s.code(observer(), RankingClose{"c1-r9"}), ErrorCode::forbidden);
  EXPECT_EQ(s.code(observer(), RoleStatusUpdate{"c1-ro9", RoleStatus::done, std::nullopt}),
            ErrorCode::forbidden);
}

TEST(DecideRoles, MemberIsForbiddenOnFacilitatorOnlyOps) {
  Populated p;
  int checked = 0;
  for (const auto& c : p.every_op()) {
    if (!facilitator_only(c)) continue;
    EXPECT_EQ(p.s.code(member(), c), ErrorCode::forbidden) << op_name(c);
    ++checked;
  }
  EXPECT_EQ(checked, 11);
}

TEST(DecideRoles, MemberRoleCheckComesBeforeLookups) {
  Script s;
  EXPECT_EQ(s.code(member(), RankingClose{"c1-r9"}), ErrorCode::forbidden);
  EXPECT_EQ(s.code(member(), ProposalClose{"c1-pr9"}), ErrorCode::forbidden);
}

TEST(DecideRoles, MemberMayUseTheSharedOps) {
  Populated p;
  int checked = 0;
  for (const auto& c : p.every_op()) {
    if (facilitator_only(c) || is_promotion(c)) continue;
    // role.status: `member()` belongs to the owner organisation 北広島町.
    const Decision d = decide(p.s.state(), member(), c);
    EXPECT_TRUE(std::holds_alternative<EventData>(d)) << op_name(c);
    ++checked;
  }
  EXPECT_EQ(checked, 8);
}

TEST(DecideRoles, FacilitatorMayUseEveryOp) {
  Populated p;
  for (const auto& c : p.every_op()) {
    const Decision d = decide(p.s.state(), facilitator(), c);
    // meeting.start conflicts with the live meeting; everything else passes.
    if (op_name(c) == "meeting.start") {
      ASSERT_TRUE(std::holds_alternative<Error>(d));
      EXPECT_EQ(std::get<Error>(d).code, ErrorCode::conflict);
    } else if (is_promotion(c)) {  // only in a one-on-one (promotion_test.cpp)
      ASSERT_TRUE(std::holds_alternative<Error>(d));
      EXPECT_EQ(std::get<Error>(d).code, ErrorCode::bad_request);
    } else {
      EXPECT_TRUE(std::holds_alternative<EventData>(d)) << op_name(c);
    }
  }
}

TEST(DecideRoles, ErrorMessagesAreJapaneseFirst) {
  Script s;
  const Error e = s.fail(facilitator(), RankingClose{"c1-r1"});
  EXPECT_EQ(e.code, ErrorCode::not_found);
  EXPECT_EQ(e.message, "ランキングが見つかりません / ranking not found");
}

// ---------------------------------------------------------------- ids

TEST(DecideIds, MakeIdJoinsCouncilPrefixAndCount) {
  CouncilState state;
  state.council = "c2";
  EXPECT_EQ(make_id(state, "i", 7), "c2-i7");
  EXPECT_EQ(make_id(state, "pr", 12), "c2-pr12");
}

TEST(DecideIds, EachKindCountsFromOne) {
  Script s{"c7"};
  EXPECT_EQ(s.ok<MeetingStarted>(facilitator(), MeetingStart{"t", std::nullopt, {}}).meeting,
            "c7-m1");
  EXPECT_EQ(s.issue(), "c7-i1");
  EXPECT_EQ(s.issue(), "c7-i2");
  EXPECT_EQ(s.ranking({"c7-i1"}, RankingMethod::borda), "c7-r1");
  EXPECT_EQ(s.proposal(), "c7-pr1");
  EXPECT_EQ(s.role(), "c7-ro1");
  EXPECT_EQ(s.indicator(), "c7-in1");
  s.ok<MeetingEnded>(facilitator(), MeetingEnd{});
  EXPECT_EQ(s.ok<MeetingStarted>(facilitator(), MeetingStart{"t", std::nullopt, {}}).meeting,
            "c7-m2");
  EXPECT_EQ(s.proposal(), "c7-pr2");
}

TEST(DecideIds, DecideIsDeterministicAndLeavesStateAlone) {
  Populated p;
  const CouncilState& state = p.s.state();
  const std::uint64_t head = state.head;
  const auto a = decide(state, facilitator(), IssuePost{"x", std::nullopt});
  const auto b = decide(state, facilitator(), IssuePost{"x", std::nullopt});
  EXPECT_EQ(std::get<IssuePosted>(std::get<EventData>(a)).issue,
            std::get<IssuePosted>(std::get<EventData>(b)).issue);
  EXPECT_EQ(state.head, head);
  EXPECT_EQ(state.issues.size(), 3u);  // A, B and the member's C
}

// ---------------------------------------------------------------- meetings

TEST(DecideMeeting, StartCopiesTitleAgendaAndItems) {
  Script s;
  const auto e =
      s.ok<MeetingStarted>(facilitator(), MeetingStart{"第1回", "chiiki-kyosei", two_items()});
  EXPECT_EQ(e.meeting, "c1-m1");
  EXPECT_EQ(e.title, "第1回");
  EXPECT_EQ(e.agenda, "chiiki-kyosei");
  EXPECT_EQ(e.items, two_items());
  EXPECT_EQ(s.state().live_meeting, "c1-m1");
}

TEST(DecideMeeting, StartWhileLiveIsConflict) {
  Script s;
  s.ok<MeetingStarted>(facilitator(), MeetingStart{"a", std::nullopt, {}});
  EXPECT_EQ(s.code(facilitator(), MeetingStart{"b", std::nullopt, {}}), ErrorCode::conflict);
}

TEST(DecideMeeting, AdvanceAndEndWithoutLiveMeetingAreConflict) {
  Script s;
  EXPECT_EQ(s.code(facilitator(), MeetingAdvance{0}), ErrorCode::conflict);
  EXPECT_EQ(s.code(facilitator(), MeetingEnd{}), ErrorCode::conflict);
  s.ok<MeetingStarted>(facilitator(), MeetingStart{"a", std::nullopt, two_items()});
  s.ok<MeetingEnded>(facilitator(), MeetingEnd{});
  EXPECT_EQ(s.code(facilitator(), MeetingAdvance{0}), ErrorCode::conflict);
  EXPECT_EQ(s.code(facilitator(), MeetingEnd{}), ErrorCode::conflict);
}

TEST(DecideMeeting, AdvanceIndexMustBeAnItem) {
  Script s;
  s.ok<MeetingStarted>(facilitator(), MeetingStart{"a", std::nullopt, two_items()});
  EXPECT_EQ(s.code(facilitator(), MeetingAdvance{2}), ErrorCode::bad_request);
  EXPECT_EQ(s.code(facilitator(), MeetingAdvance{-1}), ErrorCode::bad_request);
  EXPECT_EQ(s.ok<MeetingAdvanced>(facilitator(), MeetingAdvance{1}).item, 1);
  EXPECT_EQ(s.state().meetings[0].current_item, 1);
  EXPECT_EQ(s.ok<MeetingAdvanced>(facilitator(), MeetingAdvance{0}).item, 0);
  EXPECT_EQ(s.state().meetings[0].current_item, 0);
}

TEST(DecideMeeting, AdvanceInAMeetingWithoutItemsIsBadRequest) {
  Script s;
  s.ok<MeetingStarted>(facilitator(), MeetingStart{"a", std::nullopt, {}});
  EXPECT_EQ(s.code(facilitator(), MeetingAdvance{0}), ErrorCode::bad_request);
}

TEST(DecideMeeting, EndClearsLiveMeetingAndAllowsANewOne) {
  Script s;
  s.ok<MeetingStarted>(facilitator(), MeetingStart{"a", std::nullopt, {}});
  s.ok<MeetingEnded>(facilitator(), MeetingEnd{});
  EXPECT_FALSE(s.state().live_meeting);
  ASSERT_TRUE(s.state().meetings[0].ended);
  EXPECT_EQ(s.state().meetings[0].ended->seq, 2u);
  EXPECT_EQ(s.ok<MeetingStarted>(facilitator(), MeetingStart{"b", std::nullopt, {}}).meeting,
            "c1-m2");
}

// ---------------------------------------------------------------- issues

TEST(DecideIssue, PostCreatesTheThemeOnce) {
  Script s;
  const auto e = s.ok<IssuePosted>(member(), IssuePost{"引継ぎに差がある", "退院調整ルール"});
  EXPECT_EQ(e.text, "引継ぎに差がある");
  EXPECT_EQ(e.theme, "退院調整ルール");
  s.ok<IssuePosted>(other_member(), IssuePost{"別の課題", "退院調整ルール"});
  ASSERT_EQ(s.state().themes.size(), 1u);
  EXPECT_EQ(s.state().themes[0].stage, 1);
  EXPECT_EQ(s.state().themes[0].created.seq, 1u);
  EXPECT_NE(s.state().find_theme("退院調整ルール"), nullptr);
}

TEST(DecideIssue, PostWithoutThemeCreatesNoTheme) {
  Script s;
  s.issue();
  EXPECT_TRUE(s.state().themes.empty());
}

TEST(DecideIssue, MergeUnknownIsNotFound) {
  Script s;
  const auto a = s.issue();
  EXPECT_EQ(s.code(facilitator(), IssueMerge{a, "c1-i9"}), ErrorCode::not_found);
  EXPECT_EQ(s.code(facilitator(), IssueMerge{"c1-i9", a}), ErrorCode::not_found);
}

TEST(DecideIssue, MergeIntoItselfIsBadRequest) {
  Script s;
  const auto a = s.issue();
  EXPECT_EQ(s.code(facilitator(), IssueMerge{a, a}), ErrorCode::bad_request);
}

TEST(DecideIssue, MergeOfMergedIssuesIsConflict) {
  Script s;
  const auto ids = s.issues(3);
  s.ok<IssueMerged>(facilitator(), IssueMerge{ids[0], ids[1]});
  EXPECT_EQ(s.code(facilitator(), IssueMerge{ids[0], ids[2]}), ErrorCode::conflict);
  EXPECT_EQ(s.code(facilitator(), IssueMerge{ids[2], ids[0]}), ErrorCode::conflict);
  EXPECT_EQ(s.code(facilitator(), IssueMerge{ids[1], ids[0]}), ErrorCode::conflict);
}

TEST(DecideIssue, MergeLinksBothIssues) {
  Script s;
  const auto ids = s.issues(3);
  s.ok<IssueMerged>(facilitator(), IssueMerge{ids[0], ids[2]});
  s.ok<IssueMerged>(facilitator(), IssueMerge{ids[1], ids[2]});
  EXPECT_EQ(s.state().find_issue(ids[0])->merged_into, ids[2]);
  EXPECT_EQ(s.state().find_issue(ids[1])->merged_into, ids[2]);
  EXPECT_FALSE(s.state().find_issue(ids[2])->merged_into);
  EXPECT_EQ(s.state().find_issue(ids[2])->merged_from, (Order{ids[0], ids[1]}));
}

// ---------------------------------------------------------------- ranking.open

TEST(DecideRankingOpen, UnknownCandidateIsNotFound) {
  Script s;
  const auto a = s.issue();
  EXPECT_EQ(s.code(facilitator(), RankingOpen{{a, "c1-i9"}, RankingMethod::schulze, 3}),
            ErrorCode::not_found);
}

TEST(DecideRankingOpen, DuplicateOrEmptyCandidatesAreBadRequest) {
  Script s;
  const auto a = s.issue();
  EXPECT_EQ(s.code(facilitator(), RankingOpen{{a, a}, RankingMethod::borda, 3}),
            ErrorCode::bad_request);
  EXPECT_EQ(s.code(facilitator(), RankingOpen{{}, RankingMethod::borda, 3}),
            ErrorCode::bad_request);
}

TEST(DecideRankingOpen, MergedCandidateIsConflict) {
  Script s;
  const auto ids = s.issues(2);
  s.ok<IssueMerged>(facilitator(), IssueMerge{ids[0], ids[1]});
  EXPECT_EQ(s.code(facilitator(), RankingOpen{{ids[0], ids[1]}, RankingMethod::schulze, 3}),
            ErrorCode::conflict);
  // The issue merged into is still a fine candidate.
  s.ranking({ids[1]}, RankingMethod::schulze);
}

TEST(DecideRankingOpen, DotsMethodNeedsAtLeastOneDot) {
  Script s;
  const auto a = s.issue();
  EXPECT_EQ(s.code(facilitator(), RankingOpen{{a}, RankingMethod::dots, 0}),
            ErrorCode::bad_request);
  EXPECT_EQ(s.code(facilitator(), RankingOpen{{a}, RankingMethod::dots, -2}),
            ErrorCode::bad_request);
  const auto e = s.ok<RankingOpened>(facilitator(), RankingOpen{{a}, RankingMethod::dots, 1});
  EXPECT_EQ(e.dots, 1);
}

TEST(DecideRankingOpen, OtherMethodsKeepDotsAsGiven) {
  Script s;
  const auto a = s.issue();
  EXPECT_EQ(s.ok<RankingOpened>(facilitator(), RankingOpen{{a}, RankingMethod::borda, 0}).dots, 0);
  EXPECT_EQ(RankingOpen{}.dots, 3);  // the default
}

TEST(DecideRankingOpen, EventAndStateCarryCandidatesInOrder) {
  Script s;
  const auto ids = s.issues(3);
  const auto e =
      s.ok<RankingOpened>(facilitator(), RankingOpen{{ids[2], ids[0]}, RankingMethod::borda, 3});
  EXPECT_EQ(e.candidates, (Order{ids[2], ids[0]}));
  EXPECT_EQ(e.method, RankingMethod::borda);
  const Ranking* r = s.state().find_ranking(e.ranking);
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->open);
  EXPECT_EQ(r->candidates, e.candidates);
  EXPECT_EQ(s.state().find_issue(ids[0])->rankings, (Order{e.ranking}));
  EXPECT_TRUE(s.state().find_issue(ids[1])->rankings.empty());
}

// ---------------------------------------------------------------- ranking.ballot

TEST(DecideBallot, UnknownRankingIsNotFound) {
  Script s;
  EXPECT_EQ(s.code(member(), order_ballot("c1-r1", {"c1-i1"})), ErrorCode::not_found);
}

TEST(DecideBallot, ClosedRankingIsConflict) {
  Script s;
  const auto ids = s.issues(2);
  const auto r = s.ranking(ids, RankingMethod::schulze);
  s.ok<RankingClosed>(facilitator(), RankingClose{r});
  EXPECT_EQ(s.code(member(), order_ballot(r, {ids[0]})), ErrorCode::conflict);
}

TEST(DecideBallot, OrderedMethodsNeedAnOrder) {
  Script s;
  const auto ids = s.issues(2);
  for (auto method : {RankingMethod::schulze, RankingMethod::borda}) {
    const auto r = s.ranking(ids, method);
    EXPECT_EQ(s.code(member(), dots_ballot(r, {{ids[0], 1}})), ErrorCode::bad_request);
    EXPECT_EQ(s.code(member(), RankingBallot{r, std::nullopt, std::nullopt}),
              ErrorCode::bad_request);
    EXPECT_EQ(s.code(member(), order_ballot(r, {})), ErrorCode::bad_request);
    EXPECT_EQ(s.code(member(), order_ballot(r, {ids[0], ids[0]})), ErrorCode::bad_request);
  }
}

TEST(DecideBallot, NonCandidateIsBadRequestEvenIfUnknown) {
  Script s;
  const auto ids = s.issues(3);
  const auto r = s.ranking({ids[0], ids[1]}, RankingMethod::schulze);
  EXPECT_EQ(s.code(member(), order_ballot(r, {ids[0], ids[2]})), ErrorCode::bad_request);
  EXPECT_EQ(s.code(member(), order_ballot(r, {"c1-i99"})), ErrorCode::bad_request);
}

TEST(DecideBallot, OrderedBallotEventNamesTheVoter) {
  Script s;
  const auto ids = s.issues(2);
  const auto r = s.ranking(ids, RankingMethod::borda);
  const auto e = s.ok<RankingBallotCast>(member(), order_ballot(r, {ids[1]}));
  EXPECT_EQ(e.ranking, r);
  EXPECT_EQ(e.participant, member().participant);
  EXPECT_EQ(e.order, (Order{ids[1]}));
  EXPECT_FALSE(e.dots);
}

TEST(DecideBallot, DotsMethodNeedsDots) {
  Script s;
  const auto ids = s.issues(2);
  const auto r = s.ranking(ids, RankingMethod::dots, 3);
  EXPECT_EQ(s.code(member(), order_ballot(r, {ids[0]})), ErrorCode::bad_request);
  EXPECT_EQ(s.code(member(), RankingBallot{r, Order{ids[0]}, Dots{{ids[0], 1}}}),
            ErrorCode::bad_request);
}

TEST(DecideBallot, DotsOnANonCandidateIsBadRequest) {
  Script s;
  const auto ids = s.issues(3);
  const auto r = s.ranking({ids[0], ids[1]}, RankingMethod::dots, 3);
  EXPECT_EQ(s.code(member(), dots_ballot(r, {{ids[2], 1}})), ErrorCode::bad_request);
  EXPECT_EQ(s.code(member(), dots_ballot(r, {{"c1-i99", 1}})), ErrorCode::bad_request);
}

TEST(DecideBallot, NegativeDotsAreBadRequest) {
  Script s;
  const auto ids = s.issues(2);
  const auto r = s.ranking(ids, RankingMethod::dots, 3);
  // A negative value may not pay for more dots elsewhere.
  EXPECT_EQ(s.code(member(), dots_ballot(r, {{ids[0], 4}, {ids[1], -1}})), ErrorCode::bad_request);
  EXPECT_EQ(s.code(member(), dots_ballot(r, {{ids[0], -1}, {ids[1], 2}})), ErrorCode::bad_request);
}

TEST(DecideBallot, DotsOverTheLimitAreBadRequest) {
  Script s;
  const auto ids = s.issues(2);
  const auto r = s.ranking(ids, RankingMethod::dots, 3);
  const Error e = s.fail(member(), dots_ballot(r, {{ids[0], 2}, {ids[1], 2}}));
  EXPECT_EQ(e.code, ErrorCode::bad_request);
  EXPECT_NE(e.message.find("dots over the limit"), std::string::npos);
  EXPECT_EQ(s.code(member(), dots_ballot(r, {{ids[0], 4}})), ErrorCode::bad_request);
  EXPECT_EQ(s.code(member(), dots_ballot(r, {{ids[0], INT64_MAX}, {ids[1], INT64_MAX}})),
            ErrorCode::bad_request);
  // Exactly the budget is fine.
  s.ok<RankingBallotCast>(member(), dots_ballot(r, {{ids[0], 2}, {ids[1], 1}}));
}

TEST(DecideBallot, DotsBallotMustPlaceAtLeastOneDot) {
  Script s;
  const auto ids = s.issues(2);
  const auto r = s.ranking(ids, RankingMethod::dots, 3);
  EXPECT_EQ(s.code(member(), dots_ballot(r, {})), ErrorCode::bad_request);
  EXPECT_EQ(s.code(member(), dots_ballot(r, {{ids[0], 0}})), ErrorCode::bad_request);
  const auto e = s.ok<RankingBallotCast>(member(), dots_ballot(r, {{ids[0], 0}, {ids[1], 1}}));
  EXPECT_EQ(e.dots, (Dots{{ids[0], 0}, {ids[1], 1}}));
  EXPECT_FALSE(e.order);
}

TEST(DecideBallot, SecondBallotReplacesTheFirst) {
  Script s;
  const auto ids = s.issues(2);
  const auto r = s.ranking(ids, RankingMethod::borda);
  s.ok<RankingBallotCast>(member(), order_ballot(r, {ids[0], ids[1]}));
  s.ok<RankingBallotCast>(member(), order_ballot(r, {ids[1], ids[0]}));
  const Ranking* ranking = s.state().find_ranking(r);
  ASSERT_EQ(ranking->ballots.size(), 1u);
  EXPECT_EQ(ranking->ballots.at(member().participant).order, (Order{ids[1], ids[0]}));
  EXPECT_EQ(ranking->ballots.at(member().participant).cast.seq, s.state().head);
}

// ---------------------------------------------------------------- ranking.close

TEST(DecideRankingClose, UnknownIsNotFoundAndClosedIsConflict) {
  Script s;
  EXPECT_EQ(s.code(facilitator(), RankingClose{"c1-r1"}), ErrorCode::not_found);
  const auto r = s.ranking(s.issues(1), RankingMethod::schulze);
  s.ok<RankingClosed>(facilitator(), RankingClose{r});
  EXPECT_EQ(s.code(facilitator(), RankingClose{r}), ErrorCode::conflict);
}

TEST(DecideRankingClose, BordaUsesLatestBallotPerVoterAndCountsDistinctVoters) {
  Script s;
  const auto ids = s.issues(3);  // c1-i1 .. c1-i3, n = 3
  const auto r = s.ranking(ids, RankingMethod::borda);
  s.ok<RankingBallotCast>(member(), order_ballot(r, {ids[0], ids[1], ids[2]}));
  s.ok<RankingBallotCast>(other_member(), order_ballot(r, {ids[2]}));         // i3 2
  s.ok<RankingBallotCast>(member(), order_ballot(r, {ids[1], ids[2]}));       // i2 2, i3 1
  s.ok<RankingBallotCast>(facilitator(), order_ballot(r, {ids[2], ids[1]}));  // i3 2, i2 1
  const auto e = s.ok<RankingClosed>(facilitator(), RankingClose{r});
  EXPECT_EQ(e.ballots, 3);
  const std::vector<RankRow> expected{{ids[2], 1, 5}, {ids[1], 2, 3}, {ids[0], 3, 0}};
  EXPECT_EQ(e.result, expected);

  const Ranking* ranking = s.state().find_ranking(r);
  EXPECT_FALSE(ranking->open);
  EXPECT_EQ(ranking->ballot_count, 3);
  EXPECT_EQ(ranking->result, expected);
  ASSERT_TRUE(ranking->closed);
  EXPECT_EQ(ranking->closed->seq, s.state().head);
}

TEST(DecideRankingClose, SchulzeWithPartialBallots) {
  Script s;
  const auto ids = s.issues(3);
  const auto r = s.ranking(ids, RankingMethod::schulze);
  s.ok<RankingBallotCast>(member(), order_ballot(r, {ids[1]}));
  s.ok<RankingBallotCast>(other_member(), order_ballot(r, {ids[1]}));
  s.ok<RankingBallotCast>(third_member(), order_ballot(r, {ids[2]}));
  const auto e = s.ok<RankingClosed>(facilitator(), RankingClose{r});
  EXPECT_EQ(e.ballots, 3);
  const std::vector<RankRow> expected{{ids[1], 1, 2}, {ids[2], 2, 1}, {ids[0], 3, 0}};
  EXPECT_EQ(e.result, expected);
}

TEST(DecideRankingClose, SchulzeReplacedBallotCountsOnce) {
  Script s;
  const auto ids = s.issues(2);
  const auto r = s.ranking(ids, RankingMethod::schulze);
  s.ok<RankingBallotCast>(member(), order_ballot(r, {ids[0]}));
  s.ok<RankingBallotCast>(other_member(), order_ballot(r, {ids[0]}));
  s.ok<RankingBallotCast>(third_member(), order_ballot(r, {ids[1]}));
  s.ok<RankingBallotCast>(other_member(), order_ballot(r, {ids[1]}));  // changes its mind
  const auto e = s.ok<RankingClosed>(facilitator(), RankingClose{r});
  EXPECT_EQ(e.ballots, 3);
  const std::vector<RankRow> expected{{ids[1], 1, 1}, {ids[0], 2, 0}};
  EXPECT_EQ(e.result, expected);
}

TEST(DecideRankingClose, DotsSumLatestBallots) {
  Script s;
  const auto ids = s.issues(3);
  const auto r = s.ranking(ids, RankingMethod::dots, 3);
  s.ok<RankingBallotCast>(member(), dots_ballot(r, {{ids[0], 3}}));
  s.ok<RankingBallotCast>(other_member(), dots_ballot(r, {{ids[1], 2}, {ids[2], 1}}));
  s.ok<RankingBallotCast>(member(), dots_ballot(r, {{ids[1], 1}, {ids[2], 2}}));
  const auto e = s.ok<RankingClosed>(facilitator(), RankingClose{r});
  EXPECT_EQ(e.ballots, 2);
  const std::vector<RankRow> expected{{ids[1], 1, 3}, {ids[2], 1, 3}, {ids[0], 3, 0}};
  EXPECT_EQ(e.result, expected);
}

TEST(DecideRankingClose, NoBallotsGivesEveryCandidateRankOne) {
  for (auto method : {RankingMethod::schulze, RankingMethod::borda, RankingMethod::dots}) {
    Script s;
    const auto ids = s.issues(10);
    // Candidates c1-i2 and c1-i10: byte order puts c1-i10 first.
    const auto r = s.ranking({ids[1], ids[9]}, method);
    const auto e = s.ok<RankingClosed>(facilitator(), RankingClose{r});
    EXPECT_EQ(e.ballots, 0);
    const std::vector<RankRow> expected{{"c1-i10", 1, 0}, {"c1-i2", 1, 0}};
    EXPECT_EQ(e.result, expected) << to_string(method);
  }
}

TEST(DecideRankingClose, OneCandidateIsRankOne) {
  Script s;
  const auto ids = s.issues(1);
  const auto r = s.ranking(ids, RankingMethod::schulze);
  s.ok<RankingBallotCast>(member(), order_ballot(r, {ids[0]}));
  const auto e = s.ok<RankingClosed>(facilitator(), RankingClose{r});
  EXPECT_EQ(e.ballots, 1);
  EXPECT_EQ(e.result, (std::vector<RankRow>{{ids[0], 1, 0}}));
}

// ---------------------------------------------------------------- proposals

TEST(DecideProposal, OpenCarriesKindAndText) {
  Script s;
  const auto e = s.ok<ProposalOpened>(
      facilitator(), ProposalOpen{ProposalKind::direction, "退院調整ルールを統一"});
  EXPECT_EQ(e.proposal, "c1-pr1");
  EXPECT_EQ(e.kind, ProposalKind::direction);
  EXPECT_EQ(e.text, "退院調整ルールを統一");
  EXPECT_TRUE(s.state().find_proposal("c1-pr1")->open);
}

TEST(DecideProposal, UnknownIsNotFound) {
  Script s;
  EXPECT_EQ(s.code(member(), ProposalStance{"c1-pr1", Stance::agree, std::nullopt}),
            ErrorCode::not_found);
  EXPECT_EQ(s.code(facilitator(), ProposalClose{"c1-pr1"}), ErrorCode::not_found);
}

TEST(DecideProposal, ClosedIsConflict) {
  Script s;
  const auto p = s.proposal();
  s.ok<ProposalClosed>(facilitator(), ProposalClose{p});
  EXPECT_EQ(s.code(member(), ProposalStance{p, Stance::agree, std::nullopt}), ErrorCode::conflict);
  EXPECT_EQ(s.code(facilitator(), ProposalClose{p}), ErrorCode::conflict);
}

// Opens a proposal, takes the given stances (one voter each) and closes it.
ProposalClosed close_with(Script& s, const std::vector<Stance>& stances,
                          ProposalKind kind = ProposalKind::vision) {
  const auto p = s.proposal(kind);
  const std::vector<std::string> voters{"v1", "v2", "v3", "v4", "v5"};
  EXPECT_LE(stances.size(), voters.size());
  for (std::size_t i = 0; i < stances.size() && i < voters.size(); ++i)
    s.ok<ProposalStanceTaken>(
        member_of(voters[i], "org"),
        ProposalStance{
            p, stances[i],
            stances[i] == Stance::block ? std::optional<std::string>("財源が未定") : std::nullopt});
  return s.ok<ProposalClosed>(facilitator(), ProposalClose{p});
}

TEST(DecideProposal, AgreeOverDisagreeIsAdopted) {
  Script s;
  const auto e = close_with(s, {Stance::agree, Stance::agree, Stance::disagree, Stance::abstain});
  EXPECT_TRUE(e.adopted);
  EXPECT_EQ(e.tally, (Tally{2, 1, 1, 0}));
}

TEST(DecideProposal, OneBlockVetoes) {
  Script s;
  const auto e = close_with(s, {Stance::agree, Stance::agree, Stance::agree, Stance::block});
  EXPECT_FALSE(e.adopted);
  EXPECT_EQ(e.tally, (Tally{3, 0, 0, 1}));
}

TEST(DecideProposal, TieIsNotAdopted) {
  Script s;
  EXPECT_FALSE(close_with(s, {Stance::agree, Stance::disagree}).adopted);
  EXPECT_FALSE(close_with(s, {}).adopted);
  EXPECT_FALSE(close_with(s, {Stance::abstain, Stance::abstain}).adopted);
}

TEST(DecideProposal, SecondStanceReplacesTheFirst) {
  Script s;
  const auto p = s.proposal();
  s.ok<ProposalStanceTaken>(member(), ProposalStance{p, Stance::block, "懸念"});
  s.ok<ProposalStanceTaken>(other_member(), ProposalStance{p, Stance::disagree, std::nullopt});
  s.ok<ProposalStanceTaken>(member(), ProposalStance{p, Stance::agree, std::nullopt});
  s.ok<ProposalStanceTaken>(third_member(), ProposalStance{p, Stance::agree, std::nullopt});
  EXPECT_EQ(s.state().find_proposal(p)->stances.size(), 3u);
  const auto e = s.ok<ProposalClosed>(facilitator(), ProposalClose{p});
  EXPECT_EQ(e.tally, (Tally{2, 0, 1, 0}));
  EXPECT_TRUE(e.adopted);
}

TEST(DecideProposal, AdoptedVisionAndDirectionAreRecordedInOrder) {
  Script s;
  close_with(s, {Stance::agree}, ProposalKind::vision);        // pr1 adopted
  close_with(s, {Stance::block}, ProposalKind::vision);        // pr2 not
  close_with(s, {Stance::agree}, ProposalKind::direction);     // pr3 adopted
  close_with(s, {Stance::agree}, ProposalKind::vision);        // pr4 adopted
  close_with(s, {Stance::disagree}, ProposalKind::direction);  // pr5 not
  EXPECT_EQ(s.state().adopted_visions, (Order{"c1-pr1", "c1-pr4"}));
  EXPECT_EQ(s.state().adopted_directions, (Order{"c1-pr3"}));
  const Proposal* p2 = s.state().find_proposal("c1-pr2");
  EXPECT_FALSE(p2->open);
  EXPECT_EQ(p2->adopted, false);
  EXPECT_EQ(p2->tally.block, 1);
}

// ---------------------------------------------------------------- roles

TEST(DecideRole, ProposeStartsProposedAndCreatesTheme) {
  Script s;
  const auto e = s.ok<RoleProposed>(
      member(), RolePropose{"研修の開催", "医師会", "2027-03-31", "年2回", "多職種研修"});
  EXPECT_EQ(e.role, "c1-ro1");
  EXPECT_EQ(e.state, RoleState::proposed);
  EXPECT_EQ(e.owner_org, "医師会");
  EXPECT_EQ(e.due, "2027-03-31");
  const RoleAgreement* role = s.state().find_role(e.role);
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->state, RoleState::proposed);
  EXPECT_EQ(role->status, RoleStatus::not_started);
  ASSERT_NE(s.state().find_theme("多職種研修"), nullptr);
  EXPECT_EQ(s.state().find_theme("多職種研修")->stage, 1);
}

TEST(DecideRole, ConsentOnUnknownRoleIsNotFound) {
  Script s;
  EXPECT_EQ(s.code(member(), RoleConsent{"c1-ro1", true, std::nullopt}), ErrorCode::not_found);
}

TEST(DecideRole, OwnerConsentDecides) {
  Script s;
  const auto r = s.role("北広島町");
  EXPECT_EQ(s.ok<RoleConsented>(member(), RoleConsent{r, true, std::nullopt}).state,
            RoleState::agreed);
  EXPECT_EQ(s.state().find_role(r)->state, RoleState::agreed);
  EXPECT_EQ(s.ok<RoleConsented>(member(), RoleConsent{r, false, "人員不足"}).state,
            RoleState::declined);
  EXPECT_EQ(s.state().find_role(r)->state, RoleState::declined);
  // Another participant of the same organisation is decisive too.
  EXPECT_EQ(
      s.ok<RoleConsented>(member_of("p9", "北広島町"), RoleConsent{r, true, std::nullopt}).state,
      RoleState::agreed);
  const auto& consents = s.state().find_role(r)->consents;
  ASSERT_EQ(consents.size(), 3u);
  EXPECT_TRUE(consents[0].decisive && consents[1].decisive && consents[2].decisive);
  EXPECT_EQ(consents[1].note, "人員不足");
}

TEST(DecideRole, OtherConsentIsRecordedAndLeavesState) {
  Script s;
  const auto r = s.role("北広島町");
  EXPECT_EQ(s.ok<RoleConsented>(other_member(), RoleConsent{r, false, "異議"}).state,
            RoleState::proposed);
  EXPECT_EQ(s.ok<RoleConsented>(facilitator(), RoleConsent{r, true, std::nullopt}).state,
            RoleState::proposed);
  s.ok<RoleConsented>(member(), RoleConsent{r, true, std::nullopt});
  EXPECT_EQ(s.ok<RoleConsented>(other_member(), RoleConsent{r, false, std::nullopt}).state,
            RoleState::agreed);
  const RoleAgreement* role = s.state().find_role(r);
  EXPECT_EQ(role->state, RoleState::agreed);
  ASSERT_EQ(role->consents.size(), 4u);
  EXPECT_FALSE(role->consents[0].decisive);
  EXPECT_FALSE(role->consents[0].consent);
  EXPECT_EQ(role->consents[0].given.by.participant, other_member().participant);
  EXPECT_FALSE(role->consents[1].decisive);
  EXPECT_TRUE(role->consents[2].decisive);
  EXPECT_FALSE(role->consents[3].decisive);
}

TEST(DecideRole, FacilitatorOfTheOwnerOrgIsDecisive) {
  Script s;
  const auto r = s.role("保健所");
  EXPECT_EQ(s.ok<RoleConsented>(facilitator(), RoleConsent{r, true, std::nullopt}).state,
            RoleState::agreed);
}

TEST(DecideRole, OwnerOrgIsComparedExactly) {
  Script s;
  const auto r = s.role("北広島町");
  EXPECT_EQ(
      s.ok<RoleConsented>(member_of("p8", "北広島町 "), RoleConsent{r, true, std::nullopt}).state,
      RoleState::proposed);
  EXPECT_EQ(s.code(member_of("p8", "北広島町 "),
                   RoleStatusUpdate{r, RoleStatus::in_progress, std::nullopt}),
            ErrorCode::forbidden);
}

TEST(DecideRole, StatusOnUnknownRoleIsNotFound) {
  Script s;
  EXPECT_EQ(s.code(member(), RoleStatusUpdate{"c1-ro1", RoleStatus::done, std::nullopt}),
            ErrorCode::not_found);
  EXPECT_EQ(s.code(facilitator(), RoleStatusUpdate{"c1-ro1", RoleStatus::done, std::nullopt}),
            ErrorCode::not_found);
}

TEST(DecideRole, StatusByAMemberOfAnotherOrgIsForbidden) {
  Script s;
  const auto r = s.role("北広島町");
  EXPECT_EQ(s.code(other_member(), RoleStatusUpdate{r, RoleStatus::done, std::nullopt}),
            ErrorCode::forbidden);
}

TEST(DecideRole, StatusByOwnerMemberAndFacilitator) {
  Script s;
  const auto r = s.role("北広島町");
  const auto e =
      s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{r, RoleStatus::in_progress, "着手"});
  EXPECT_EQ(e.role, r);
  EXPECT_EQ(e.status, RoleStatus::in_progress);
  EXPECT_EQ(e.note, "着手");
  s.ok<RoleStatusChanged>(facilitator(), RoleStatusUpdate{r, RoleStatus::done, std::nullopt});
  const RoleAgreement* role = s.state().find_role(r);
  EXPECT_EQ(role->status, RoleStatus::done);
  ASSERT_EQ(role->statuses.size(), 2u);
  EXPECT_EQ(role->statuses[0].status, RoleStatus::in_progress);
  EXPECT_EQ(role->statuses[1].changed.by.participant, facilitator().participant);
}

TEST(DecideRole, StatusIsAllowedInAnyRoleState) {
  Script s;
  const auto r = s.role("北広島町");
  s.ok<RoleConsented>(member(), RoleConsent{r, false, std::nullopt});
  ASSERT_EQ(s.state().find_role(r)->state, RoleState::declined);
  s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{r, RoleStatus::revised, std::nullopt});
  EXPECT_EQ(s.state().find_role(r)->status, RoleStatus::revised);
}

// ---------------------------------------------------------------- indicators

TEST(DecideIndicator, DefineCarriesItsFields) {
  Script s;
  const auto e = s.ok<IndicatorDefined>(
      facilitator(),
      IndicatorDefine{"在宅看取り率", IndicatorKind::outcome, "%", 25.0, std::nullopt});
  EXPECT_EQ(e.indicator, "c1-in1");
  EXPECT_EQ(e.name, "在宅看取り率");
  EXPECT_EQ(e.kind, IndicatorKind::outcome);
  EXPECT_EQ(e.target, 25.0);
  EXPECT_FALSE(e.baseline);
}

TEST(DecideIndicator, ReportUnknownIsNotFound) {
  Script s;
  EXPECT_EQ(s.code(member(), IndicatorReport{"c1-in1", 1.0, "2027-03"}), ErrorCode::not_found);
}

TEST(DecideIndicator, ReportsAccumulate) {
  Script s;
  const auto in = s.indicator();
  s.ok<IndicatorReported>(member(), IndicatorReport{in, 80.5, "2027-03"});
  const auto e = s.ok<IndicatorReported>(other_member(), IndicatorReport{in, 90.4, "2027-09-30"});
  EXPECT_EQ(e.value, 90.4);
  EXPECT_EQ(e.period, "2027-09-30");
  const Indicator* indicator = s.state().find_indicator(in);
  ASSERT_EQ(indicator->reports.size(), 2u);
  EXPECT_EQ(indicator->reports[0].value, 80.5);
  EXPECT_EQ(indicator->reports[1].reported.by.org, other_member().org);
}

// ---------------------------------------------------------------- themes

TEST(DecideTheme, StageMustBeOneToFour) {
  Script s;
  EXPECT_EQ(s.code(facilitator(), ThemeSetStage{"t", 0, "r"}), ErrorCode::bad_request);
  EXPECT_EQ(s.code(facilitator(), ThemeSetStage{"t", 5, "r"}), ErrorCode::bad_request);
  EXPECT_EQ(s.code(facilitator(), ThemeSetStage{"t", -1, "r"}), ErrorCode::bad_request);
  EXPECT_TRUE(s.state().themes.empty());
}

TEST(DecideTheme, NewThemeHasPreviousZero) {
  Script s;
  const auto e = s.ok<ThemeStageSet>(facilitator(), ThemeSetStage{"認知症初期集中支援", 3, "合意"});
  EXPECT_EQ(e.previous, 0);
  EXPECT_EQ(e.stage, 3);
  const Theme* theme = s.state().find_theme("認知症初期集中支援");
  ASSERT_NE(theme, nullptr);
  EXPECT_EQ(theme->stage, 3);
  ASSERT_EQ(theme->changes.size(), 1u);
  EXPECT_EQ(theme->changes[0].from, 0);
  EXPECT_EQ(theme->changes[0].to, 3);
  EXPECT_EQ(theme->changes[0].reason, "合意");
}

TEST(DecideTheme, ExistingThemeHasPreviousStage) {
  Script s;
  s.ok<IssuePosted>(member(), IssuePost{"課題", "退院調整ルール"});
  const auto e = s.ok<ThemeStageSet>(facilitator(), ThemeSetStage{"退院調整ルール", 2, "共有"});
  EXPECT_EQ(e.previous, 1);
  const auto e2 = s.ok<ThemeStageSet>(facilitator(), ThemeSetStage{"退院調整ルール", 4, "運用"});
  EXPECT_EQ(e2.previous, 2);
  const Theme* theme = s.state().find_theme("退院調整ルール");
  EXPECT_EQ(theme->stage, 4);
  ASSERT_EQ(theme->changes.size(), 2u);
  EXPECT_EQ(theme->changes[0].from, 1);
  EXPECT_EQ(theme->changes[1].from, 2);
  EXPECT_EQ(theme->changes[1].to, 4);
  EXPECT_EQ(s.state().themes.size(), 1u);
}

// ---------------------------------------------------------------- v1.1 and extensions

TEST(DecideProposal, BlockNeedsAReason) {
  Script s;
  const auto p = s.proposal();
  for (const std::optional<std::string>& reason :
       {std::optional<std::string>(), std::optional<std::string>("")}) {
    const Error e = s.fail(member(), ProposalStance{p, Stance::block, reason});
    EXPECT_EQ(e.code, ErrorCode::bad_request);
    EXPECT_EQ(e.message.rfind("阻止には理由が必要です", 0), 0u) << e.message;
  }
  // Checked before the lookup: no proposal can make it valid.
  EXPECT_EQ(s.code(member(), ProposalStance{"c1-pr9", Stance::block, std::nullopt}),
            ErrorCode::bad_request);
  s.ok<ProposalStanceTaken>(member(), ProposalStance{p, Stance::block, "財源が未定"});
  s.ok<ProposalStanceTaken>(other_member(), ProposalStance{p, Stance::disagree, std::nullopt});
}

RankingStanding standing(const Script& s, const std::string& ranking) {
  return ranking_standing(s.state(), *s.state().find_ranking(ranking));
}

TEST(DecideRankingAdopt, WhoAndWhichRanking) {
  Script s;
  const auto a = s.issue("A");
  const std::string open = s.ranking({a}, RankingMethod::schulze);
  const std::string closed = s.closed_ranking({a});
  EXPECT_EQ(s.code(member(), RankingAdopt{closed}), ErrorCode::forbidden);
  EXPECT_EQ(s.code(observer(), RankingAdopt{closed}), ErrorCode::forbidden);
  EXPECT_EQ(s.code(facilitator(), RankingAdopt{"c1-r9"}), ErrorCode::not_found);
  EXPECT_EQ(s.code(facilitator(), RankingAdopt{open}), ErrorCode::conflict);
  const auto adopted = s.ok<RankingAdopted>(facilitator(), RankingAdopt{closed});
  EXPECT_EQ(adopted.ranking, closed);
  EXPECT_TRUE(adopted.replaces.empty());
  EXPECT_EQ(s.code(facilitator(), RankingAdopt{closed}), ErrorCode::conflict) << "already adopted";
  const Ranking* r = s.state().find_ranking(closed);
  ASSERT_TRUE(r->adopted);
  EXPECT_EQ(r->adopted->seq, s.state().head);
}

TEST(RankingStanding, SoleRankingCountsAndOverlapWaitsForAdoption) {
  Script s;
  const auto a = s.issue("A");
  const auto b = s.issue("B");
  const auto c = s.issue("C");
  const std::string first = s.closed_ranking({a, b});
  const std::string elsewhere = s.closed_ranking({c});
  EXPECT_EQ(standing(s, first), RankingStanding::decision) << "a sole ranking counts by itself";
  EXPECT_EQ(standing(s, elsewhere), RankingStanding::decision) << "shares no candidate";

  const std::string open = s.ranking({a, b}, RankingMethod::dots);
  EXPECT_EQ(standing(s, open), RankingStanding::open);
  EXPECT_EQ(standing(s, first), RankingStanding::decision) << "an open ranking changes nothing";

  const std::string second = s.closed_ranking({b, a});
  EXPECT_EQ(standing(s, first), RankingStanding::pending);
  EXPECT_EQ(standing(s, second), RankingStanding::pending);
  EXPECT_EQ(standing(s, elsewhere), RankingStanding::decision);

  // Adopting the second: nothing was the adopted decision before.
  EXPECT_TRUE(s.ok<RankingAdopted>(facilitator(), RankingAdopt{second}).replaces.empty());
  EXPECT_EQ(standing(s, second), RankingStanding::decision);
  EXPECT_EQ(standing(s, first), RankingStanding::reference);

  // Adopting the first now replaces the second.
  const auto again = s.ok<RankingAdopted>(facilitator(), RankingAdopt{first});
  EXPECT_EQ(again.replaces, (Order{second}));
  EXPECT_EQ(standing(s, first), RankingStanding::decision);
  EXPECT_EQ(standing(s, second), RankingStanding::reference);
  EXPECT_EQ(s.state().find_ranking(second)->replaced_by, first);
  EXPECT_FALSE(s.state().find_ranking(first)->replaced_by);
  // A replaced ranking may be adopted again.
  EXPECT_EQ(s.ok<RankingAdopted>(facilitator(), RankingAdopt{second}).replaces, (Order{first}));
  EXPECT_EQ(standing(s, second), RankingStanding::decision);
  EXPECT_FALSE(s.state().find_ranking(second)->replaced_by);
}

TEST(DecideProposal, ReviseNamesAClosedNotAdoptedProposal) {
  Script s;
  const auto open = s.proposal();
  EXPECT_EQ(s.code(facilitator(), ProposalOpen{ProposalKind::vision, "修正", "c1-pr9"}),
            ErrorCode::not_found);
  EXPECT_EQ(s.code(facilitator(), ProposalOpen{ProposalKind::vision, "修正", open}),
            ErrorCode::conflict);
  s.ok<ProposalStanceTaken>(member(), ProposalStance{open, Stance::agree, std::nullopt});
  s.ok<ProposalClosed>(facilitator(), ProposalClose{open});  // adopted
  EXPECT_EQ(s.code(facilitator(), ProposalOpen{ProposalKind::vision, "修正", open}),
            ErrorCode::conflict);
  EXPECT_EQ(s.code(member(), ProposalOpen{ProposalKind::vision, "修正", open}),
            ErrorCode::forbidden);

  const auto rejected = s.proposal();
  s.ok<ProposalStanceTaken>(member(), ProposalStance{rejected, Stance::block, "財源が未定"});
  s.ok<ProposalClosed>(facilitator(), ProposalClose{rejected});
  const auto revised =
      s.ok<ProposalOpened>(facilitator(), ProposalOpen{ProposalKind::vision, "修正案", rejected});
  EXPECT_EQ(revised.revises, rejected);
  EXPECT_EQ(s.state().find_proposal(revised.proposal)->revises, rejected);
  EXPECT_EQ(s.state().find_proposal(rejected)->revised_by, revised.proposal);
}

}  // namespace
}  // namespace renkei::domain
