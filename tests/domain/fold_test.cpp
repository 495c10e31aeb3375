#include "domain/fold.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "domain/ranking_methods.hpp"
#include "script.hpp"

namespace renkei::domain {
namespace {

using testing::facilitator;
using testing::member;
using testing::observer;
using testing::other_member;
using testing::Script;
using testing::third_member;

// Everything observable in a state, written out in a fixed order, so that two
// states can be compared as text (CouncilState has no operator==).
class Describe {
 public:
  std::string operator()(const CouncilState& s) {
    out_ << "council " << s.council << " head " << s.head << " live "
         << s.live_meeting.value_or("-") << "\n";
    for (const auto& m : s.meetings) {
      out_ << "meeting " << m.id << " " << m.title << " " << m.agenda.value_or("-") << " items "
           << m.items.size() << " current " << m.current_item << " started ";
      stamp(m.started);
      out_ << " ended ";
      if (m.ended) stamp(*m.ended);
      for (const auto& [item, when] : m.advances) {
        out_ << " adv " << item << "@";
        stamp(when);
      }
      out_ << "\n";
    }
    for (const auto& i : s.issues) {
      out_ << "issue " << i.id << " " << i.text << " " << i.theme.value_or("-") << " into "
           << i.merged_into.value_or("-") << " from " << join(i.merged_from) << " rankings "
           << join(i.rankings) << " ";
      stamp(i.posted);
      out_ << "\n";
    }
    for (const auto& r : s.rankings) {
      out_ << "ranking " << r.id << " " << to_string(r.method) << " " << r.dots << " "
           << join(r.candidates) << " open " << r.open << " count " << r.ballot_count << "\n";
      for (const auto& [who, b] : r.ballots) {
        out_ << "  ballot " << who << " " << (b.order ? join(*b.order) : "-") << " ";
        if (b.dots)
          for (const auto& [id, n] : *b.dots) out_ << id << "=" << n << ",";
        stamp(b.cast);
        out_ << "\n";
      }
      for (const auto& row : r.result)
        out_ << "  row " << row.issue << " " << row.rank << " " << row.score << "\n";
    }
    for (const auto& p : s.proposals) {
      out_ << "proposal " << p.id << " " << to_string(p.kind) << " " << p.text << " open " << p.open
           << " adopted " << (p.adopted ? (*p.adopted ? "yes" : "no") : "-") << " tally "
           << p.tally.agree << p.tally.abstain << p.tally.disagree << p.tally.block << "\n";
      for (const auto& [who, st] : p.stances) {
        out_ << "  stance " << who << " " << to_string(st.stance) << " " << st.reason.value_or("-")
             << " ";
        stamp(st.taken);
        out_ << "\n";
      }
    }
    for (const auto& r : s.roles) {
      out_ << "role " << r.id << " " << r.title << " " << r.owner_org << " " << r.due.value_or("-")
           << " " << to_string(r.state) << " " << to_string(r.status) << "\n";
      for (const auto& c : r.consents) {
        out_ << "  consent " << c.consent << " " << c.decisive << " " << c.note.value_or("-")
             << " ";
        stamp(c.given);
        out_ << "\n";
      }
      for (const auto& st : r.statuses) {
        out_ << "  status " << to_string(st.status) << " ";
        stamp(st.changed);
        out_ << "\n";
      }
    }
    for (const auto& in : s.indicators) {
      out_ << "indicator " << in.id << " " << in.name << " " << to_string(in.kind) << " " << in.unit
           << " " << in.target.value_or(-1) << " " << in.baseline.value_or(-1) << "\n";
      for (const auto& rep : in.reports)
        out_ << "  report " << rep.value << " " << rep.period << "\n";
    }
    for (const auto& t : s.themes) {
      out_ << "theme " << t.name << " " << t.stage << " ";
      stamp(t.created);
      for (const auto& c : t.changes) out_ << " " << c.from << "->" << c.to << " " << c.reason;
      out_ << "\n";
    }
    out_ << "visions " << join(s.adopted_visions) << " directions " << join(s.adopted_directions)
         << "\n";
    for (const auto* index : {&s.meeting_index, &s.issue_index, &s.ranking_index, &s.proposal_index,
                              &s.role_index, &s.indicator_index, &s.theme_index})
      out_ << "index " << index->size() << "\n";
    return out_.str();
  }

 private:
  void stamp(const Stamp& st) {
    out_ << "[" << st.seq << " " << st.at << " " << st.by.participant << " " << st.by.org << " "
         << st.meeting.value_or("-") << "]";
  }
  static std::string join(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += id + ",";
    return out;
  }
  std::ostringstream out_;
};

std::string describe(const CouncilState& s) { return Describe{}(s); }

// A session touching every op, with replaced ballots and stances, rejected
// commands and two meetings.
Script full_session() {
  Script s{"c2"};
  s.ok<MeetingStarted>(facilitator(),
                       MeetingStart{"第1回",
                                    "chiiki-kyosei",
                                    {AgendaItem{{"開会", "Opening"}, {}, {2}, 5, {}},
                                     AgendaItem{{"投稿", "Post"}, {}, {2}, 15, {"post_issues"}}}});
  s.ok<MeetingAdvanced>(facilitator(), MeetingAdvance{1});
  s.ok<IssuePosted>(member(), IssuePost{"退院時の引継ぎに差", "退院調整ルール"});
  s.ok<IssuePosted>(other_member(), IssuePost{"引継ぎの様式が違う", "退院調整ルール"});
  s.ok<IssuePosted>(third_member(), IssuePost{"訪問看護が足りない", std::nullopt});
  s.ok<IssueMerged>(facilitator(), IssueMerge{"c2-i2", "c2-i1"});
  s.fail(member(), IssueMerge{"c2-i1", "c2-i3"});
  s.fail(observer(), IssuePost{"見ているだけ", std::nullopt});
  const auto r = s.ranking({"c2-i1", "c2-i3"}, RankingMethod::schulze);
  s.ok<RankingBallotCast>(member(), RankingBallot{r, std::vector<std::string>{"c2-i3"}, {}});
  s.ok<RankingBallotCast>(member(), RankingBallot{r, std::vector<std::string>{"c2-i1"}, {}});
  s.ok<RankingBallotCast>(other_member(), RankingBallot{r, std::vector<std::string>{"c2-i1"}, {}});
  s.ok<RankingClosed>(facilitator(), RankingClose{r});
  const auto d = s.ranking({"c2-i1", "c2-i3"}, RankingMethod::dots, 2);
  s.ok<RankingBallotCast>(
      third_member(),
      RankingBallot{d, std::nullopt, std::map<std::string, std::int64_t>{{"c2-i3", 2}}});
  const auto p = s.proposal(ProposalKind::vision);
  s.ok<ProposalStanceTaken>(member(), ProposalStance{p, Stance::disagree, "時期尚早"});
  s.ok<ProposalStanceTaken>(member(), ProposalStance{p, Stance::agree, std::nullopt});
  s.ok<ProposalStanceTaken>(other_member(), ProposalStance{p, Stance::abstain, std::nullopt});
  s.ok<ProposalClosed>(facilitator(), ProposalClose{p});
  s.ok<MeetingEnded>(facilitator(), MeetingEnd{});
  s.ok<MeetingStarted>(facilitator(), MeetingStart{"第2回", std::nullopt, {}});
  const auto role = s.role("北広島町");
  s.ok<RoleConsented>(other_member(), RoleConsent{role, false, "負担が大きい"});
  s.ok<RoleConsented>(member(), RoleConsent{role, true, std::nullopt});
  s.ok<RoleStatusChanged>(member(), RoleStatusUpdate{role, RoleStatus::in_progress, std::nullopt});
  const auto in = s.indicator();
  s.ok<IndicatorReported>(member(), IndicatorReport{in, 90.4, "2027-03"});
  s.ok<ThemeStageSet>(facilitator(), ThemeSetStage{"退院調整ルール", 3, "役割合意へ"});
  s.ok<ThemeStageSet>(facilitator(), ThemeSetStage{"在宅医療", 1, "新規"});
  return s;
}

CouncilState replay(const std::vector<Event>& log, const std::string& council) {
  CouncilState state;
  state.council = council;
  for (const auto& event : log) apply(state, event);
  return state;
}

TEST(Fold, ReplayingTheLogTwiceGivesTheSameState) {
  const Script s = full_session();
  ASSERT_GT(s.log().size(), 25u);
  const std::string first = describe(replay(s.log(), "c2"));
  const std::string second = describe(replay(s.log(), "c2"));
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, describe(s.state()));
  // The description is not trivially equal: a different prefix of the log differs.
  std::vector<Event> shorter(s.log().begin(), s.log().end() - 1);
  EXPECT_NE(describe(replay(shorter, "c2")), first);
}

TEST(Fold, ReplayedStateDecidesLikeTheOriginal) {
  const Script s = full_session();
  const CouncilState replayed = replay(s.log(), "c2");
  const Command next = IssuePost{"次の課題", std::nullopt};
  const auto a = decide(s.state(), member(), next);
  const auto b = decide(replayed, member(), next);
  EXPECT_EQ(std::get<IssuePosted>(std::get<EventData>(a)).issue, "c2-i4");
  EXPECT_EQ(std::get<IssuePosted>(std::get<EventData>(b)).issue, "c2-i4");
}

TEST(Fold, FullSessionEndsInTheExpectedState) {
  const Script s = full_session();
  const CouncilState& st = s.state();
  EXPECT_EQ(st.head, s.log().size());
  EXPECT_EQ(st.live_meeting, "c2-m2");
  EXPECT_EQ(st.meetings.size(), 2u);
  EXPECT_EQ(st.meetings[0].current_item, 1);
  EXPECT_EQ(st.issues.size(), 3u);
  ASSERT_EQ(st.rankings.size(), 2u);
  EXPECT_EQ(st.rankings[0].ballot_count, 2);
  EXPECT_EQ(st.rankings[0].result, (std::vector<RankRow>{{"c2-i1", 1, 1}, {"c2-i3", 2, 0}}));
  EXPECT_TRUE(st.rankings[1].open);
  EXPECT_EQ(st.adopted_visions, (std::vector<std::string>{"c2-pr1"}));
  EXPECT_EQ(st.roles[0].state, RoleState::agreed);
  EXPECT_EQ(st.roles[0].status, RoleStatus::in_progress);
  ASSERT_EQ(st.themes.size(), 2u);
  EXPECT_EQ(st.find_theme("退院調整ルール")->stage, 3);
  EXPECT_EQ(st.find_theme("在宅医療")->changes.at(0).from, 0);
}

TEST(Fold, ApplySetsHeadAndStampsFromTheEnvelope) {
  CouncilState state;
  state.council = "c1";
  Event started{1, "2026-11-24T10:00:00.000Z", facilitator(), "c1-m1",
                MeetingStarted{"c1-m1", "第1回", std::nullopt, {}}};
  apply(state, started);
  EXPECT_EQ(state.head, 1u);
  Event posted{2, "2026-11-24T10:05:00.123Z", member(), "c1-m1",
               IssuePosted{"c1-i1", "課題", "退院調整ルール"}};
  apply(state, posted);
  EXPECT_EQ(state.head, 2u);
  const Issue* issue = state.find_issue("c1-i1");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->posted.seq, 2u);
  EXPECT_EQ(issue->posted.at, "2026-11-24T10:05:00.123Z");
  EXPECT_EQ(issue->posted.by, member());
  EXPECT_EQ(issue->posted.meeting, "c1-m1");
  EXPECT_EQ(state.find_theme("退院調整ルール")->created.seq, 2u);
  EXPECT_EQ(state.find_meeting("c1-m1")->started.at, "2026-11-24T10:00:00.000Z");

  Event ended{3, "2026-11-24T11:30:00.000Z", facilitator(), "c1-m1", MeetingEnded{}};
  apply(state, ended);
  EXPECT_EQ(state.head, 3u);
  EXPECT_FALSE(state.live_meeting);
  ASSERT_TRUE(state.find_meeting("c1-m1")->ended);
  EXPECT_EQ(state.find_meeting("c1-m1")->ended->at, "2026-11-24T11:30:00.000Z");
}

TEST(Fold, EventsOutsideAMeetingCarryNoMeeting) {
  Script s;
  s.issue();
  EXPECT_FALSE(s.state().issues[0].posted.meeting);
  s.ok<MeetingStarted>(facilitator(), MeetingStart{"会議", std::nullopt, {}});
  s.issue();
  EXPECT_EQ(s.state().issues[1].posted.meeting, "c1-m1");
}

TEST(Fold, EventNamingAnUnknownIdChangesOnlyTheHead) {
  CouncilState state;
  state.council = "c1";
  apply(state, Event{1, "t", member(), std::nullopt,
                     RankingBallotCast{"c1-r9", "p2", std::vector<std::string>{"c1-i1"}, {}}});
  apply(state, Event{2, "t", member(), std::nullopt, IssueMerged{"c1-i1", "c1-i2"}});
  EXPECT_EQ(state.head, 2u);
  EXPECT_TRUE(state.rankings.empty());
  EXPECT_TRUE(state.issues.empty());
}

TEST(Fold, FindHelpersUseTheIndexes) {
  Script s;
  const auto ids = s.issues(3);
  EXPECT_EQ(s.state().find_issue(ids[1])->text, "課題2");
  EXPECT_EQ(s.state().find_issue("c1-i4"), nullptr);
  EXPECT_EQ(s.state().find_ranking("c1-i1"), nullptr);
  EXPECT_EQ(s.state().issue_index.at(ids[2]), 2u);
}

// ranking.adopted and a revising proposal.opened: replaying the log gives
// the same adoption, replacement and revision links; unknown ids change
// only the head.
TEST(Fold, AdoptionsAndRevisionsReplay) {
  Script s;
  const std::string a = s.issue("A");
  const std::vector<std::string> rankings{s.closed_ranking({a}), s.closed_ranking({a})};
  s.ok<RankingAdopted>(facilitator(), RankingAdopt{rankings[0]});
  s.ok<RankingAdopted>(facilitator(), RankingAdopt{rankings[1]});
  const std::string rejected = s.proposal();
  s.ok<ProposalClosed>(facilitator(), ProposalClose{rejected});
  const std::string revised =
      s.ok<ProposalOpened>(facilitator(), ProposalOpen{ProposalKind::vision, "修正案", rejected})
          .proposal;

  CouncilState replayed;
  replayed.council = "c1";
  for (const Event& e : s.log()) apply(replayed, e);
  const Ranking* first = replayed.find_ranking(rankings[0]);
  const Ranking* second = replayed.find_ranking(rankings[1]);
  ASSERT_TRUE(first && second && first->adopted && second->adopted);
  EXPECT_EQ(first->replaced_by, rankings[1]);
  EXPECT_FALSE(second->replaced_by);
  EXPECT_EQ(second->adopted->seq, s.state().find_ranking(rankings[1])->adopted->seq);
  EXPECT_EQ(replayed.find_proposal(rejected)->revised_by, revised);
  EXPECT_EQ(replayed.find_proposal(revised)->revises, rejected);

  const std::uint64_t head = replayed.head;
  apply(replayed,
        Event{head + 1, "t", facilitator(), std::nullopt, RankingAdopted{"c1-r9", {rankings[0]}}});
  EXPECT_EQ(replayed.head, head + 1);
  EXPECT_EQ(replayed.find_ranking(rankings[0])->replaced_by, rankings[1]) << "unchanged";
}

}  // namespace
}  // namespace renkei::domain
