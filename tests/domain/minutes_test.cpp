// Minutes built from the log: agenda attribution, attendance by
// organisation, decisions and the tasks before the next meeting.
#include "domain/minutes.hpp"

#include <gtest/gtest.h>

#include "script.hpp"

namespace renkei::domain {
namespace {

using testing::facilitator;
using testing::member;
using testing::member_of;
using testing::observer;
using testing::other_member;
using testing::Script;

std::vector<AgendaItem> two_items() {
  return {AgendaItem{{"開会", "Opening"}, {"", ""}, {2}, 5, {}},
          AgendaItem{{"役割分担", "Roles"}, {"", ""}, {3}, 15, {"agree_roles"}}};
}

std::vector<Event> events_of(const Script& s, const std::string& meeting) {
  std::vector<Event> events;
  for (const Event& e : s.log())
    if (e.meeting == meeting) events.push_back(e);
  return events;
}

Attendance attended(const std::string& meeting, const std::string& participant,
                    std::optional<std::string> ack = std::nullopt) {
  return Attendance{meeting, participant, "2026-11-24T10:00:00.000Z", "2026-11-24T10:30:00.000Z",
                    std::move(ack)};
}

std::vector<std::string> texts(const std::vector<MinutesLine>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(l.text);
  return out;
}

TEST(Minutes, EventsGoUnderTheItemCurrentWhenTheyHappened) {
  Script s;
  const std::string earlier_role = s.role("北広島町");
  s.ok<RoleConsented>(member(), RoleConsent{earlier_role, true, std::nullopt});
  const auto started = s.ok<MeetingStarted>(
      facilitator(), MeetingStart{"第1回", std::string("short"), two_items(), SessionType::closed});
  const std::string m = started.meeting;
  s.ok<IssuePosted>(member(), IssuePost{"開会前の課題", std::nullopt});
  s.ok<MeetingAdvanced>(facilitator(), MeetingAdvance{1});
  const std::string role =
      s.ok<RoleProposed>(other_member(), RolePropose{"周知", "医師会", std::string("2026-12-01"),
                                                     std::nullopt, std::nullopt})
          .role;
  s.ok<RoleConsented>(member(), RoleConsent{role, false, std::string("町としては反対")});
  s.ok<RoleConsented>(other_member(), RoleConsent{role, true, std::nullopt});
  s.ok<MeetingAdvanced>(facilitator(), MeetingAdvance{0});
  s.ok<ThemeStageSet>(facilitator(), ThemeSetStage{"退院調整ルール", 2, "共有した"});
  s.ok<MeetingEnded>(facilitator(), MeetingEnd{});
  s.issue("会議後の課題");  // not in the minutes

  const std::vector<RosterEntry> roster{{facilitator(), true},
                                        {member(), true},
                                        {other_member(), true},
                                        {observer(), true},
                                        {member_of("p6", "北広島町"), true},
                                        {member_of("p9", "社協"), false}};
  const std::vector<Attendance> attendance{
      attended(m, "p1", "2026-11-24T10:00:01.000Z"), attended(m, "p2", "2026-11-24T10:00:02.000Z"),
      attended(m, "p3"), attended(m, "p4", "2026-11-24T10:00:03.000Z"), attended("c1-m9", "p6")};
  const auto minutes = build_minutes(s.state(), m, events_of(s, m), attendance, roster);
  ASSERT_TRUE(minutes);

  EXPECT_EQ(minutes->date, "2026年11月24日（火）");
  EXPECT_EQ(minutes->date_wareki, "令和8年11月24日（火）");
  EXPECT_EQ(minutes->start_time, "19:00");
  EXPECT_TRUE(minutes->end_time);
  EXPECT_EQ(minutes->session, SessionType::closed);

  ASSERT_EQ(minutes->items.size(), 3u);
  EXPECT_EQ(minutes->items[0].title, "開会前・その他");
  EXPECT_FALSE(minutes->items[0].index);
  EXPECT_EQ(texts(minutes->items[0].lines),
            std::vector<std::string>{"課題の提出: 「開会前の課題」（北広島町 佐藤）"});
  EXPECT_EQ(minutes->items[1].title, "開会");
  ASSERT_EQ(minutes->items[1].lines.size(), 1u) << "after going back to item 0";
  EXPECT_NE(minutes->items[1].lines[0].text.find("段階の変更: 退院調整ルール 新規→段階2"),
            std::string::npos);
  EXPECT_EQ(
      texts(minutes->items[2].lines),
      (std::vector<std::string>{"役割の提案: 「周知」（担当: 医師会、期限: 2026-12-01）",
                                "役割への意見: 「周知」に北広島町 佐藤が異議（町としては反対）",
                                "役割の合意: 「周知」（医師会が担当）"}));

  // Attendance: by organisation in roster order; p6 attended another
  // meeting; p9 is revoked, so not an absentee.
  EXPECT_EQ(minutes->attendee_count, 4u);
  EXPECT_EQ(minutes->observer_count, 1u);
  EXPECT_EQ(minutes->acknowledged_count, 3u);
  ASSERT_EQ(minutes->attendees.size(), 4u);
  EXPECT_EQ(minutes->attendees[0].org, "保健所");
  EXPECT_EQ(minutes->absentee_count, 1u);
  ASSERT_EQ(minutes->absentees.size(), 1u);
  EXPECT_EQ(minutes->absentees[0].org, "北広島町");
  EXPECT_EQ(minutes->absentees[0].people[0].participant, "p6");

  EXPECT_EQ(texts(minutes->decisions),
            (std::vector<std::string>{
                "役割分担: 「周知」（担当: 医師会、期限: 2026-12-01）",
                "テーマ「退院調整ルール」を段階2（相互理解・課題共有・共通認識）へ"}));
  // Tasks: the role agreed before the meeting and the one agreed in it.
  ASSERT_EQ(minutes->tasks.size(), 2u);
  EXPECT_EQ(minutes->tasks[0].role, role);
  EXPECT_EQ(minutes->tasks[1].role, earlier_role);
  EXPECT_FALSE(minutes->tasks[0].overdue);
}

TEST(Minutes, DecisionsAreWhatStillStandsAtTheEnd) {
  Script s;
  const std::string m =
      s.ok<MeetingStarted>(facilitator(), MeetingStart{"第2回", std::nullopt, {}}).meeting;
  const std::string a = s.issue("A");
  const std::string b = s.issue("B");
  const std::string ranking = s.ranking({a, b}, RankingMethod::schulze);
  s.ok<RankingBallotCast>(member(),
                          RankingBallot{ranking, std::vector<std::string>{b, a}, std::nullopt});
  s.ok<RankingClosed>(facilitator(), RankingClose{ranking});
  const std::string adopted = s.proposal(ProposalKind::direction);
  s.ok<ProposalStanceTaken>(member(),
                            ProposalStance{adopted, Stance::agree, std::string("賛成です")});
  s.ok<ProposalClosed>(facilitator(), ProposalClose{adopted});
  const std::string blocked = s.proposal();
  s.ok<ProposalStanceTaken>(member(),
                            ProposalStance{blocked, Stance::block, std::string("財源が未定")});
  s.ok<ProposalClosed>(facilitator(), ProposalClose{blocked});
  const std::string role = s.role("北広島町");
  s.ok<RoleConsented>(member(), RoleConsent{role, true, std::nullopt});
  s.ok<RoleConsented>(member(), RoleConsent{role, false, std::string("やはり辞退")});
  const std::string done = s.role("北広島町");
  s.ok<RoleConsented>(member(), RoleConsent{done, true, std::nullopt});
  s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{done, RoleStatus::done, std::nullopt});

  // Live: no end time, and the state is the head.
  const auto minutes = build_minutes(s.state(), m, events_of(s, m), {}, {});
  ASSERT_TRUE(minutes);
  EXPECT_FALSE(minutes->end_time);
  EXPECT_EQ(minutes->items.size(), 1u);  // no agenda: everything under 開会前・その他
  EXPECT_EQ(texts(minutes->decisions),
            (std::vector<std::string>{
                "優先順位（シュルツ方式）: 1位「B」、2位「A」", "方針の採択: 「あるべき姿」",
                "役割分担: 「退院調整ルールの運用」（担当: 北広島町、期限: 2027-03-31）"}))
      << "the declined role is not a decision; the done one was agreed";
  EXPECT_TRUE(minutes->tasks.empty()) << "declined and done roles are no tasks";
  // The ranking result with its unit, and the reasons given with stances.
  bool saw_ranking = false;
  bool saw_reason = false;
  for (const MinutesLine& line : minutes->items[0].lines) {
    if (line.text == "優先順位付けの結果（シュルツ方式、投票1名）") {
      saw_ranking = true;
      EXPECT_EQ(line.details, (std::vector<std::string>{"1位 「B」（1勝）", "2位 「A」（0勝）"}));
    }
    for (const std::string& d : line.details)
      if (d == "賛成: 北広島町 佐藤（賛成です）") saw_reason = true;
  }
  EXPECT_TRUE(saw_ranking);
  EXPECT_TRUE(saw_reason);
  EXPECT_EQ(minutes->first_seq, 1u);
  EXPECT_EQ(minutes->last_seq, s.state().head);
}

TEST(Minutes, UnknownMeetingAndOverdueTasks) {
  Script s;
  EXPECT_FALSE(build_minutes(s.state(), "c1-m1", {}, {}, {}));
  const std::string role =
      s.ok<RoleProposed>(member(), RolePropose{"周知", "北広島町", std::string("2026-11-01"),
                                               std::nullopt, std::nullopt})
          .role;
  s.ok<RoleConsented>(member(), RoleConsent{role, true, std::nullopt});
  const std::string undated =
      s.ok<RoleProposed>(member(),
                         RolePropose{"検討", "北広島町", std::nullopt, std::nullopt, std::nullopt})
          .role;
  s.ok<RoleConsented>(member(), RoleConsent{undated, true, std::nullopt});
  const std::string m =
      s.ok<MeetingStarted>(facilitator(), MeetingStart{"第3回", std::nullopt, {}}).meeting;
  const auto minutes = build_minutes(s.state(), m, events_of(s, m), {}, {});
  ASSERT_TRUE(minutes);
  ASSERT_EQ(minutes->tasks.size(), 2u);
  EXPECT_EQ(minutes->tasks[0].role, role);
  EXPECT_TRUE(minutes->tasks[0].overdue) << "due before the day of the meeting";
  EXPECT_EQ(minutes->tasks[1].role, undated) << "no due date: last";
  EXPECT_FALSE(minutes->tasks[1].overdue);
}

}  // namespace
}  // namespace renkei::domain

namespace renkei::domain {
namespace {

std::string closed_borda(Script& s, const std::vector<std::string>& candidates) {
  const std::string r = s.ranking(candidates, RankingMethod::borda);
  s.ok<RankingBallotCast>(member(), RankingBallot{r, candidates, std::nullopt});
  s.ok<RankingClosed>(facilitator(), RankingClose{r});
  return r;
}

// The heading of every ranking result line of the meeting.
std::vector<std::string> result_lines(const Minutes& minutes) {
  std::vector<std::string> out;
  for (const MinutesItem& item : minutes.items)
    for (const MinutesLine& l : item.lines)
      if (l.text.starts_with("優先順位付けの結果")) out.push_back(l.text);
  return out;
}

TEST(Minutes, OnlyTheRankingThatCountsIsADecision) {
  Script s;
  const std::string m =
      s.ok<MeetingStarted>(facilitator(), MeetingStart{"第3回", std::nullopt, {}}).meeting;
  const std::string a = s.issue("A");
  const std::string b = s.issue("B");
  const std::string first = closed_borda(s, {a, b});
  const std::string second = closed_borda(s, {b, a});

  // Two overlapping results, none adopted: both wait, no decision.
  auto minutes = build_minutes(s.state(), m, events_of(s, m), {}, {});
  ASSERT_TRUE(minutes);
  EXPECT_TRUE(texts(minutes->decisions).empty());
  EXPECT_EQ(result_lines(*minutes),
            (std::vector<std::string>{"優先順位付けの結果（ボルダ方式、投票1名）: 採用待ち",
                                      "優先順位付けの結果（ボルダ方式、投票1名）: 採用待ち"}));

  s.ok<RankingAdopted>(facilitator(), RankingAdopt{second});
  minutes = build_minutes(s.state(), m, events_of(s, m), {}, {});
  ASSERT_TRUE(minutes);
  EXPECT_EQ(texts(minutes->decisions),
            (std::vector<std::string>{"優先順位（ボルダ方式）: 1位「B」、2位「A」"}));
  EXPECT_EQ(result_lines(*minutes),
            (std::vector<std::string>{
                "優先順位付けの結果（ボルダ方式、投票1名）: 参考（採用されなかった結果）",
                "優先順位付けの結果（ボルダ方式、投票1名）",
                "優先順位付けの結果（ボルダ方式、投票1名）を採用"}));
  (void)first;
}

TEST(Minutes, ARevisedProposalNamesTheOneItRevises) {
  Script s;
  const std::string m =
      s.ok<MeetingStarted>(facilitator(), MeetingStart{"第4回", std::nullopt, {}}).meeting;
  const std::string rejected =
      s.ok<ProposalOpened>(facilitator(), ProposalOpen{ProposalKind::direction, "町が単独で実施"})
          .proposal;
  s.ok<ProposalClosed>(facilitator(), ProposalClose{rejected});
  s.ok<ProposalOpened>(facilitator(),
                       ProposalOpen{ProposalKind::direction, "町と医師会で実施", rejected});
  const auto minutes = build_minutes(s.state(), m, events_of(s, m), {}, {});
  ASSERT_TRUE(minutes);
  EXPECT_EQ(minutes->items[0].lines.back().text,
            "提案（方針）: 「町と医師会で実施」（「町が単独で実施」の修正案）");
}

}  // namespace
}  // namespace renkei::domain

namespace renkei::domain {
namespace {

TEST(Minutes, AnAdoptionNamesTheResultItReplaces) {
  Script s;
  const std::string a = s.issue("A");
  const std::string first = closed_borda(s, {a});
  s.ok<RankingAdopted>(facilitator(), RankingAdopt{first});
  const std::string m =
      s.ok<MeetingStarted>(facilitator(), MeetingStart{"第5回", std::nullopt, {}}).meeting;
  const std::string second = closed_borda(s, {a});
  s.ok<RankingAdopted>(facilitator(), RankingAdopt{second});
  const auto minutes = build_minutes(s.state(), m, events_of(s, m), {}, {});
  ASSERT_TRUE(minutes);
  const MinutesLine& adopted = minutes->items[0].lines.back();
  EXPECT_EQ(adopted.text, "優先順位付けの結果（ボルダ方式、投票1名）を採用");
  EXPECT_EQ(adopted.details,
            std::vector<std::string>{
                "それまでの結果（ボルダ方式、2026年11月24日（火）締切）に代えて採用"});
  EXPECT_EQ(texts(minutes->decisions),
            std::vector<std::string>{"優先順位（ボルダ方式）: 1位「A」"});
}

}  // namespace
}  // namespace renkei::domain
