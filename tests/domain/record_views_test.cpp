// The extensions of the consensus record in the domain: session type, roles
// linked to issues and the `resolved` status, overdue roles, the changes
// before the next meeting, the comparison across organisations, and the
// searchable texts of events.
#include <gtest/gtest.h>

#include "domain/changes.hpp"
#include "domain/comparison.hpp"
#include "domain/derived.hpp"
#include "domain/search_text.hpp"
#include "script.hpp"

namespace renkei::domain {
namespace {

using testing::facilitator;
using testing::member;
using testing::member_of;
using testing::other_member;
using testing::Script;

RolePropose linked_role(const std::string& issue, const std::string& owner = "北広島町",
                        std::optional<std::string> due = "2027-03-31") {
  return RolePropose{"ルール周知", owner, std::move(due), std::nullopt, std::nullopt, issue};
}

TEST(Session, MeetingStartCarriesTheSessionTypeOpenByDefault) {
  Script s;
  const auto closed = s.ok<MeetingStarted>(
      facilitator(), MeetingStart{"第1回", std::nullopt, {}, SessionType::closed});
  EXPECT_EQ(closed.session, SessionType::closed);
  EXPECT_EQ(s.state().meetings.back().session, SessionType::closed);
  s.ok<MeetingEnded>(facilitator(), MeetingEnd{});
  const auto plain = s.ok<MeetingStarted>(facilitator(), MeetingStart{"第2回", std::nullopt, {}});
  EXPECT_FALSE(plain.session);
  EXPECT_EQ(s.state().meetings.back().session, SessionType::open);
  EXPECT_EQ(to_string(SessionType::closed), "closed");
  EXPECT_EQ(session_type_from_string("open"), SessionType::open);
  EXPECT_FALSE(session_type_from_string("secret"));
}

TEST(RoleIssueLink, MustNameAnUnmergedIssueOfTheCouncil) {
  Script s;
  const std::string a = s.issue("退院調整");
  const std::string b = s.issue("退院時の連絡");
  s.ok<IssueMerged>(facilitator(), IssueMerge{b, a});
  EXPECT_EQ(s.code(member(), linked_role("c1-i99")), ErrorCode::not_found);
  EXPECT_EQ(s.code(member(), linked_role("c2-i1")), ErrorCode::not_found);
  EXPECT_EQ(s.code(member(), linked_role(b)), ErrorCode::conflict);
  const auto proposed = s.ok<RoleProposed>(member(), linked_role(a));
  EXPECT_EQ(proposed.issue, a);
  EXPECT_EQ(s.state().find_role(proposed.role)->issue, a);
  EXPECT_EQ(s.state().find_issue(a)->roles, std::vector<std::string>{proposed.role});
}

TEST(IssueStatus, ResolvedWhenEveryLinkedRoleIsDone) {
  Script s;
  const std::string issue = s.issue("退院調整");
  const std::string lone = s.issue("見守り");
  EXPECT_EQ(IssueStatuses(s.state()).of(*s.state().find_issue(issue)), IssueStatus::open);

  const std::string ranking = s.ranking({issue, lone}, RankingMethod::borda);
  s.ok<RankingClosed>(facilitator(), RankingClose{ranking});
  EXPECT_EQ(IssueStatuses(s.state()).of(*s.state().find_issue(issue)), IssueStatus::prioritised);

  const std::string r1 = s.ok<RoleProposed>(member(), linked_role(issue)).role;
  const std::string r2 = s.ok<RoleProposed>(member(), linked_role(issue)).role;
  s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{r1, RoleStatus::done, std::nullopt});
  EXPECT_EQ(IssueStatuses(s.state()).of(*s.state().find_issue(issue)), IssueStatus::prioritised)
      << "one linked role is not done yet";
  s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{r2, RoleStatus::done, std::nullopt});
  EXPECT_EQ(IssueStatuses(s.state()).of(*s.state().find_issue(issue)), IssueStatus::resolved);
  // Revised again: no longer resolved.
  s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{r2, RoleStatus::revised, std::nullopt});
  EXPECT_EQ(IssueStatuses(s.state()).of(*s.state().find_issue(issue)), IssueStatus::prioritised);
  EXPECT_EQ(IssueStatuses(s.state()).of(*s.state().find_issue(lone)), IssueStatus::prioritised);
  EXPECT_EQ(to_string(IssueStatus::resolved), "resolved");
  EXPECT_EQ(label_ja(IssueStatus::resolved), "解決済み");
}

TEST(IssueStatus, MergedComesFirst) {
  Script s;
  const std::string a = s.issue();
  const std::string b = s.issue();
  const std::string role = s.ok<RoleProposed>(member(), linked_role(b)).role;
  s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{role, RoleStatus::done, std::nullopt});
  s.ok<IssueMerged>(facilitator(), IssueMerge{b, a});
  EXPECT_EQ(IssueStatuses(s.state()).of(*s.state().find_issue(b)), IssueStatus::merged);
  EXPECT_EQ(IssueStatuses(s.state()).of(*s.state().find_issue(a)), IssueStatus::open);
}

TEST(Overdue, DueBeforeTodayAndNotDone) {
  RoleAgreement role;
  role.due = "2027-01-31";
  role.state = RoleState::agreed;
  EXPECT_FALSE(is_overdue(role, "2027-01-31")) << "due today is not overdue";
  EXPECT_TRUE(is_overdue(role, "2027-02-01"));
  EXPECT_FALSE(is_overdue(role, "")) << "no today, no judgement";
  role.status = RoleStatus::done;
  EXPECT_FALSE(is_overdue(role, "2027-02-01"));
  role.status = RoleStatus::revised;
  EXPECT_TRUE(is_overdue(role, "2027-02-01"));
  role.state = RoleState::declined;
  EXPECT_FALSE(is_overdue(role, "2027-02-01"));
  role.state = RoleState::proposed;
  role.due.reset();
  EXPECT_FALSE(is_overdue(role, "2027-02-01"));
}

TEST(Changes, SinceTheLastEndedMeeting) {
  Script s;
  const std::string before = s.issue("会議前の課題");
  const std::string ind = s.indicator();
  const std::string due_soon =
      s.ok<RoleProposed>(member(), linked_role(before, "北広島町", "2027-02-20")).role;
  const std::string overdue =
      s.ok<RoleProposed>(member(), linked_role(before, "北広島町", "2027-01-31")).role;
  const std::string later =
      s.ok<RoleProposed>(member(), linked_role(before, "北広島町", "2027-03-31")).role;
  const std::string declined =
      s.ok<RoleProposed>(member(), linked_role(before, "北広島町", "2027-01-01")).role;
  s.ok<RoleConsented>(member(), RoleConsent{declined, false, std::nullopt});
  s.ok<MeetingStarted>(facilitator(), MeetingStart{"第1回", std::nullopt, {}});
  s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{due_soon, RoleStatus::in_progress, "着手"});
  s.ok<MeetingEnded>(facilitator(), MeetingEnd{});
  const std::uint64_t since = last_ended_meeting(s.state())->ended->seq;

  const std::string after = s.issue("会議後の課題");
  s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{due_soon, RoleStatus::revised, "見直し"});
  s.ok<IndicatorReported>(member(), IndicatorReport{ind, 72.5, "2026-12"});
  const std::string open_proposal = s.proposal();
  const std::string open_ranking = s.ranking({before, after}, RankingMethod::dots);
  s.ok<ThemeStageSet>(facilitator(), ThemeSetStage{"退院調整ルール", 2, "共有した"});

  const Changes c = changes_since(s.state(), since, "2027-02-09");
  ASSERT_EQ(c.roles_due.size(), 1u);
  EXPECT_EQ(c.roles_due[0]->id, due_soon);
  ASSERT_EQ(c.roles_overdue.size(), 1u);
  EXPECT_EQ(c.roles_overdue[0]->id, overdue);
  ASSERT_EQ(c.status_changes.size(), 1u) << "the change during the meeting is not after it";
  EXPECT_EQ(c.status_changes[0].from, RoleStatus::in_progress);
  EXPECT_EQ(c.status_changes[0].change->status, RoleStatus::revised);
  ASSERT_EQ(c.issues_posted.size(), 1u);
  EXPECT_EQ(c.issues_posted[0]->id, after);
  ASSERT_EQ(c.indicator_reports.size(), 1u);
  EXPECT_EQ(c.indicator_reports[0].report->value, 72.5);
  ASSERT_EQ(c.open_proposals.size(), 1u);
  EXPECT_EQ(c.open_proposals[0]->id, open_proposal);
  ASSERT_EQ(c.open_rankings.size(), 1u);
  EXPECT_EQ(c.open_rankings[0]->id, open_ranking);
  ASSERT_EQ(c.stage_changes.size(), 1u);
  EXPECT_EQ(c.stage_changes[0].theme->name, "退院調整ルール");
  (void)later;

  // From the start of the log: everything posted.
  EXPECT_EQ(changes_since(s.state(), 0, "2027-02-09").issues_posted.size(), 2u);
  EXPECT_EQ(changes_since(s.state(), 0, "2027-02-09").status_changes.size(), 2u);
  // A wider window finds the later role too, in due order.
  const Changes wide = changes_since(s.state(), since, "2027-02-09", 60);
  ASSERT_EQ(wide.roles_due.size(), 2u);
  EXPECT_EQ(wide.roles_due[1]->id, later);
}

TEST(Changes, NoEndedMeetingMeansNoSince) {
  Script s;
  EXPECT_EQ(last_ended_meeting(s.state()), nullptr);
  const auto started = s.ok<MeetingStarted>(facilitator(), MeetingStart{"第1回", std::nullopt, {}});
  const Meeting& live = *s.state().find_meeting(started.meeting);
  EXPECT_EQ(seq_after(live), live.started.seq);
  EXPECT_EQ(last_ended_meeting(s.state()), nullptr);
}

TEST(Comparison, PerOrganisationWithSmallCounts) {
  Script s;
  const Actor town = member_of("p7", "北広島町");
  const Actor city = member_of("p8", "安芸高田市");
  for (int i = 0; i < 5; ++i) s.ok<IssuePosted>(town, IssuePost{"町の課題", std::nullopt});
  s.ok<IssuePosted>(city, IssuePost{"市の課題", std::nullopt});
  const std::string people =
      s.ok<IndicatorDefined>(facilitator(),
                             IndicatorDefine{"訪問看護師数", IndicatorKind::structure, "人",
                                             std::nullopt, std::nullopt})
          .indicator;
  const std::string rate = s.indicator();  // %
  s.ok<IndicatorReported>(town, IndicatorReport{people, 3, "2026-10"});
  s.ok<IndicatorReported>(town, IndicatorReport{people, 4, "2026-04"});
  s.ok<IndicatorReported>(town, IndicatorReport{people, 6, "2026-10"});  // a correction
  s.ok<IndicatorReported>(city, IndicatorReport{rate, 2.5, "2026-10"});

  const auto orgs = compare_organisations(s.state(), {"保健所", "北広島町"});
  ASSERT_EQ(orgs.size(), 3u);
  EXPECT_EQ(orgs[0].org, "保健所");
  EXPECT_TRUE(orgs[0].issues.empty());
  EXPECT_EQ(orgs[1].org, "北広島町");
  EXPECT_EQ(orgs[1].issues.size(), 5u);
  ASSERT_EQ(orgs[1].indicators.size(), 1u);
  const auto& values = orgs[1].indicators[0].values;
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].period, "2026-04");
  EXPECT_TRUE(values[0].small_count);
  EXPECT_EQ(values[1].period, "2026-10");
  EXPECT_EQ(values[1].value, 6) << "the later report of a period wins";
  EXPECT_FALSE(values[1].small_count);
  EXPECT_EQ(orgs[2].org, "安芸高田市");
  ASSERT_EQ(orgs[2].indicators.size(), 1u);
  EXPECT_FALSE(orgs[2].indicators[0].values[0].small_count) << "a rate is not a count";
  EXPECT_TRUE(is_count_unit("件"));
  EXPECT_TRUE(is_person_count_unit("人"));
  EXPECT_TRUE(is_person_count_unit("件"));
  EXPECT_FALSE(is_person_count_unit("回")) << "meetings held point at no person";
  EXPECT_FALSE(is_person_count_unit("施設"));
  EXPECT_FALSE(is_person_count_unit("%"));
  EXPECT_FALSE(is_count_unit("%"));
  EXPECT_EQ(small_count_threshold, 5);
  EXPECT_FALSE(is_small_count(0));
  EXPECT_TRUE(is_small_count(1));
  EXPECT_TRUE(is_small_count(4.5));
  EXPECT_FALSE(is_small_count(5));
}

TEST(SearchText, EveryFreeTextOfAnEventWithWhatItBelongsTo) {
  EXPECT_EQ(searchable_texts(IssuePosted{"c1-i1", "退院調整", std::string("テーマ")}),
            (std::vector<SearchText>{{"issue", "c1-i1", "退院調整"}}));
  RoleProposed role{
      "c1-ro1",           "周知", "北広島町", std::nullopt, std::string("詳細"), std::nullopt,
      RoleState::proposed};
  EXPECT_EQ(searchable_texts(role), (std::vector<SearchText>{{"role", "c1-ro1", "周知"},
                                                             {"role_detail", "c1-ro1", "詳細"}}));
  // The most any event gives: the search index reads that many extra rows.
  EXPECT_EQ(searchable_texts(role).size(), max_searchable_texts_per_event);
  EXPECT_EQ(searchable_texts(ProposalStanceTaken{"c1-pr1", Stance::block, std::string("理由")}),
            (std::vector<SearchText>{{"stance", "c1-pr1", "理由"}}));
  EXPECT_TRUE(searchable_texts(ProposalStanceTaken{"c1-pr1", Stance::agree, std::nullopt}).empty());
  EXPECT_EQ(searchable_texts(ThemeStageSet{"退院調整", 3, "合意", 1}),
            (std::vector<SearchText>{{"stage", "退院調整", "合意"}}));
  EXPECT_EQ(searchable_texts(RoleConsented{"c1-ro1", true, std::string("了承"), RoleState::agreed}),
            (std::vector<SearchText>{{"consent", "c1-ro1", "了承"}}));
  EXPECT_EQ(searchable_texts(RoleStatusChanged{"c1-ro1", RoleStatus::done, std::string("完了")}),
            (std::vector<SearchText>{{"status", "c1-ro1", "完了"}}));
  EXPECT_TRUE(searchable_texts(MeetingEnded{}).empty());
  EXPECT_TRUE(
      searchable_texts(RankingBallotCast{"c1-r1", "p2", std::nullopt, std::nullopt}).empty());
}

TEST(SearchText, TermsSnippetsAndUtf8) {
  EXPECT_EQ(search_terms("退院　調整 ルール"),
            (std::vector<std::string>{"退院", "調整", "ルール"}));
  EXPECT_EQ(search_terms("  "), std::vector<std::string>{});
  EXPECT_EQ(search_terms("a b c d e f g").size(), 5u);
  EXPECT_EQ(code_points("退院a"), 3u);
  EXPECT_TRUE(is_valid_utf8("退院"));
  EXPECT_FALSE(is_valid_utf8("\xE9\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_EQ(search_snippet("短い文", {"文"}), "短い文");
  const std::string long_text =
      "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十退院調整"
      "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十\n改行";
  const std::string snippet = search_snippet(long_text, {"退院"}, 20);
  EXPECT_EQ(snippet, "…五六七八九十退院調整一二三四五六七八九十…");
  EXPECT_EQ(search_snippet("ABC def", {"CDE"}), "ABC def");
  EXPECT_EQ(search_snippet("xx\nyy", {}), "xx yy");
}

// Only counts of people, or of events that happen to a person, are flagged:
// not issues, not meetings held or facilities.
TEST(Comparison, OnlyPersonCountsAreFlagged) {
  Script s;
  const Actor town = member_of("p7", "北広島町");
  s.ok<IssuePosted>(town, IssuePost{"課題", std::nullopt});  // 1 issue: not flagged
  const auto define = [&](const char* name, const char* unit) {
    return s
        .ok<IndicatorDefined>(facilitator(), IndicatorDefine{name, IndicatorKind::process, unit,
                                                             std::nullopt, std::nullopt})
        .indicator;
  };
  const std::string deaths = define("在宅看取り件数", "件");
  const std::string carers = define("訪問看護師数", "人");
  const std::string meetings = define("連携会議の開催回数", "回");
  const std::string sites = define("通いの場", "箇所");
  for (const std::string& id : {deaths, carers, meetings, sites})
    s.ok<IndicatorReported>(town, IndicatorReport{id, 2, "2026-10"});
  const auto orgs = compare_organisations(s.state(), {"北広島町"});
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_EQ(orgs[0].issues.size(), 1u);
  ASSERT_EQ(orgs[0].indicators.size(), 4u);
  EXPECT_TRUE(orgs[0].indicators[0].values[0].small_count) << "件: cases of a person";
  EXPECT_TRUE(orgs[0].indicators[1].values[0].small_count) << "人: people";
  EXPECT_FALSE(orgs[0].indicators[2].values[0].small_count) << "回: meetings held";
  EXPECT_FALSE(orgs[0].indicators[3].values[0].small_count) << "箇所: places";
}

}  // namespace
}  // namespace renkei::domain
