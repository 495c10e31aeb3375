#include "domain/ranking_methods.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace renkei::domain {
namespace {

using Orders = std::vector<std::vector<std::string>>;
using DotBallots = std::vector<std::map<std::string, std::int64_t>>;

// Repeats `order` `times` times into `ballots`.
void add(Orders& ballots, int times, const std::string& order) {
  std::vector<std::string> ids;
  for (char c : order) ids.emplace_back(1, c);
  for (int i = 0; i < times; ++i) ballots.push_back(ids);
}

TEST(RankByScore, TiesShareARankAndTheNextRankSkips) {
  const auto rows = rank_by_score({"a", "b", "c"}, {{"a", 5}, {"b", 3}, {"c", 5}});
  const std::vector<RankRow> expected{{"a", 1, 5}, {"c", 1, 5}, {"b", 3, 3}};
  EXPECT_EQ(rows, expected);
}

TEST(RankByScore, TiesAreOrderedByIdAsByteStrings) {
  const auto rows =
      rank_by_score({"c1-i2", "c1-i10", "c1-i1"}, {{"c1-i2", 1}, {"c1-i10", 1}, {"c1-i1", 1}});
  const std::vector<RankRow> expected{{"c1-i1", 1, 1}, {"c1-i10", 1, 1}, {"c1-i2", 1, 1}};
  EXPECT_EQ(rows, expected);
}

TEST(RankByScore, MissingScoreIsZeroAndEveryCandidateIsListed) {
  const auto rows = rank_by_score({"x", "y", "z"}, {{"y", 2}});
  const std::vector<RankRow> expected{{"y", 1, 2}, {"x", 2, 0}, {"z", 2, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(RankByScore, RowsAscendByRankNotByCandidateOrder) {
  const auto rows = rank_by_score({"a", "b", "c", "d"}, {{"a", 1}, {"b", 4}, {"c", 2}, {"d", 4}});
  const std::vector<RankRow> expected{{"b", 1, 4}, {"d", 1, 4}, {"c", 3, 2}, {"a", 4, 1}};
  EXPECT_EQ(rows, expected);
}

TEST(Schulze, WikipediaFortyFiveVoterExample) {
  Orders ballots;
  add(ballots, 5, "ACBED");
  add(ballots, 5, "ADECB");
  add(ballots, 8, "BEDAC");
  add(ballots, 3, "CABED");
  add(ballots, 7, "CAEBD");
  add(ballots, 2, "CBADE");
  add(ballots, 7, "DCEBA");
  add(ballots, 8, "EBADC");
  ASSERT_EQ(ballots.size(), 45u);
  const auto rows = schulze({"A", "B", "C", "D", "E"}, ballots);
  const std::vector<RankRow> expected{
      {"E", 1, 4}, {"A", 2, 3}, {"C", 3, 2}, {"B", 4, 1}, {"D", 5, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Schulze, CondorcetCycleOfEqualStrengthIsAThreeWayTie) {
  Orders ballots;
  add(ballots, 1, "ABC");
  add(ballots, 1, "BCA");
  add(ballots, 1, "CAB");
  const auto rows = schulze({"A", "B", "C"}, ballots);
  const std::vector<RankRow> expected{{"A", 1, 0}, {"B", 1, 0}, {"C", 1, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Schulze, UnrankedCandidatesAreTiedBelowRankedOnes) {
  // Two ballots rank only A, one ranks only B. A beats B (2:1) and C (2:0);
  // B beats C (1:0); C is never preferred.
  Orders ballots;
  add(ballots, 2, "A");
  add(ballots, 1, "B");
  const auto rows = schulze({"A", "B", "C"}, ballots);
  const std::vector<RankRow> expected{{"A", 1, 2}, {"B", 2, 1}, {"C", 3, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Schulze, UnrankedPairsExpressNoPreference) {
  // "A" alone says nothing about B against C; "BC" prefers B to C and both to A.
  Orders ballots;
  add(ballots, 1, "A");
  add(ballots, 1, "BC");
  const auto rows = schulze({"A", "B", "C"}, ballots);
  // d: A>B 1, B>A 1, A>C 1, C>A 1, B>C 1, C>B 0. Only B->C is a link.
  const std::vector<RankRow> expected{{"B", 1, 1}, {"A", 2, 0}, {"C", 2, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Schulze, StrongestPathBeatsADirectDefeat) {
  // 3 ABC, 2 BCA, 2 CAB: A>B 5:2, B>C 5:2, C>A 4:3. C beats A directly, but
  // the path A->B->C (strength 5) is stronger than C->A (4), so A beats C.
  Orders ballots;
  add(ballots, 3, "ABC");
  add(ballots, 2, "BCA");
  add(ballots, 2, "CAB");
  const auto rows = schulze({"A", "B", "C"}, ballots);
  const std::vector<RankRow> expected{{"A", 1, 2}, {"B", 2, 1}, {"C", 3, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Schulze, LinkStrengthIsWinningVotesNotMargin) {
  // 2 BC, 1 CA, 2 A: A>B 3:2, B>C 2:1, C>A 3:2, a cycle whose margins are all
  // 1 (a three-way tie by margins). By winning votes B->C (2) is the weakest
  // link: C beats A and B, A beats B.
  Orders ballots;
  add(ballots, 2, "BC");
  add(ballots, 1, "CA");
  add(ballots, 2, "A");
  const auto rows = schulze({"A", "B", "C"}, ballots);
  const std::vector<RankRow> expected{{"C", 1, 2}, {"A", 2, 1}, {"B", 3, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Schulze, NoBallotsGivesEveryoneRankOne) {
  const auto rows = schulze({"b", "a"}, {});
  const std::vector<RankRow> expected{{"a", 1, 0}, {"b", 1, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Schulze, OneCandidateIsRankOne) {
  const auto rows = schulze({"a"}, {{"a"}, {"a"}});
  const std::vector<RankRow> expected{{"a", 1, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Borda, HandComputedFullAndPartialBallots) {
  // n = 4. ABCD: A3 B2 C1 D0. BCAD: B3 C2 A1 D0. CB (partial): C3 B2.
  // Totals: A4 B7 C6 D0.
  Orders ballots;
  add(ballots, 1, "ABCD");
  add(ballots, 1, "BCAD");
  add(ballots, 1, "CB");
  const auto rows = borda({"A", "B", "C", "D"}, ballots);
  const std::vector<RankRow> expected{{"B", 1, 7}, {"C", 2, 6}, {"A", 3, 4}, {"D", 4, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Borda, PartialBallotGivesNMinusOneDownwardsAndZeroToTheRest) {
  // n = 5, a ballot of k = 2: 4 and 3 points, the other three 0.
  Orders ballots;
  add(ballots, 1, "DB");
  const auto rows = borda({"A", "B", "C", "D", "E"}, ballots);
  const std::vector<RankRow> expected{
      {"D", 1, 4}, {"B", 2, 3}, {"A", 3, 0}, {"C", 3, 0}, {"E", 3, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Borda, TiesShareRank) {
  Orders ballots;
  add(ballots, 1, "ABC");  // A2 B1
  add(ballots, 1, "BAC");  // B2 A1
  const auto rows = borda({"A", "B", "C"}, ballots);
  const std::vector<RankRow> expected{{"A", 1, 3}, {"B", 1, 3}, {"C", 3, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(Borda, NoBallotsAndOneCandidate) {
  const std::vector<RankRow> none{{"a", 1, 0}, {"b", 1, 0}};
  EXPECT_EQ(borda({"a", "b"}, {}), none);
  const std::vector<RankRow> one{{"a", 1, 0}};
  EXPECT_EQ(borda({"a"}, {{"a"}}), one);
}

TEST(DotVote, ScoreIsTotalDots) {
  const DotBallots ballots{{{"a", 2}, {"b", 1}}, {{"b", 3}}, {{"c", 1}, {"a", 0}}};
  const auto rows = dot_vote({"a", "b", "c", "d"}, ballots);
  const std::vector<RankRow> expected{{"b", 1, 4}, {"a", 2, 2}, {"c", 3, 1}, {"d", 4, 0}};
  EXPECT_EQ(rows, expected);
}

TEST(DotVote, NoBallotsAndOneCandidate) {
  const std::vector<RankRow> none{{"x", 1, 0}, {"y", 1, 0}};
  EXPECT_EQ(dot_vote({"y", "x"}, {}), none);
  const std::vector<RankRow> one{{"x", 1, 5}};
  EXPECT_EQ(dot_vote({"x"}, {{{"x", 2}}, {{"x", 3}}}), one);
}

}  // namespace
}  // namespace renkei::domain
