// Promotion from a one-on-one (CONTINUITY.md section 5): the rules of
// promotion.propose and promotion.consent, the fold's snapshot, the events a
// target council receives and the prefecture's 上申 list.
#include "domain/promotion.hpp"

#include <gtest/gtest.h>

#include "domain/minutes.hpp"
#include "script.hpp"

namespace renkei::domain::testing {
namespace {

// The two parties of a one-on-one: the health centre (F) and a town (M).
Actor centre() { return Actor{"p1", "山田", "西部保健所", Role::facilitator, "o1"}; }
Actor town() { return Actor{"p2", "佐藤", "北広島町", Role::member, "o2"}; }
Actor town_colleague() { return Actor{"p6", "中村", "北広島町", Role::member, "o2"}; }

PromotionTarget council_of(std::optional<std::string> area, bool archived = false,
                           CouncilKind kind = CouncilKind::council) {
  return PromotionTarget{kind, std::move(area), archived};
}

class PromotionTest : public ::testing::Test {
 protected:
  PromotionTest() : s("c5") {
    s.set_kind(CouncilKind::one_on_one, std::string("西部"));
    issue = s.ok<IssuePosted>(centre(), IssuePost{"訪問看護の空白", std::string("在宅医療")}).issue;
    role = s.ok<RoleProposed>(centre(), RolePropose{"連絡票の統一", "北広島町", "2027-03-31",
                                                    std::string("詳細"), std::nullopt})
               .role;
    direction =
        s.ok<ProposalOpened>(centre(), ProposalOpen{ProposalKind::direction, "方向性"}).proposal;
    s.ok<ProposalStanceTaken>(town(), ProposalStance{direction, Stance::agree, std::nullopt});
    s.ok<ProposalClosed>(centre(), ProposalClose{direction});
  }

  PromotionPropose to_council(std::vector<std::string> items) const {
    return PromotionPropose{std::move(items), "c1", std::string("メモ"),
                            council_of(std::string("西部"))};
  }

  Script s;
  std::string issue, role, direction;
};

TEST_F(PromotionTest, ProposeAndConsentAgreeAndSnapshotTheItems) {
  const auto proposed = s.ok<PromotionProposed>(town(), to_council({issue, role, direction}));
  EXPECT_EQ(proposed.promotion, "c5-pm1");
  EXPECT_EQ(proposed.target, "c1");
  ASSERT_NE(s.state().find_promotion("c5-pm1"), nullptr);
  EXPECT_EQ(s.state().find_promotion("c5-pm1")->state, PromotionState::proposed);

  const auto consented = s.ok<PromotionConsented>(centre(), PromotionConsent{"c5-pm1", true});
  EXPECT_EQ(consented.state, PromotionState::agreed);
  const Promotion* promotion = s.state().find_promotion("c5-pm1");
  ASSERT_NE(promotion, nullptr);
  EXPECT_EQ(promotion->state, PromotionState::agreed);
  EXPECT_EQ(promotion->date, "2026-11-24");
  ASSERT_EQ(promotion->snapshot.size(), 3u);
  EXPECT_EQ(promotion->snapshot[0].text, "訪問看護の空白");
  EXPECT_EQ(promotion->snapshot[1].kind, PromotedKind::role);
  EXPECT_EQ(promotion->snapshot[2].kind, PromotedKind::direction);

  const auto writes = promotion_writes(s.state(), "c5-pm1");
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_EQ(writes[0].command_id, "promotion:c5-pm1:" + issue);
  EXPECT_TRUE(prefecture_submissions(s.state()).empty());
}

TEST_F(PromotionTest, DeclineDecidesWithoutWrites) {
  s.ok<PromotionProposed>(centre(), to_council({issue}));
  const auto consented = s.ok<PromotionConsented>(town(), PromotionConsent{"c5-pm1", false});
  EXPECT_EQ(consented.state, PromotionState::declined);
  EXPECT_TRUE(promotion_writes(s.state(), "c5-pm1").empty());
  EXPECT_EQ(s.code(town(), PromotionConsent{"c5-pm1", true}), ErrorCode::conflict);
}

TEST_F(PromotionTest, OnlyTheOtherOrganisationConsents) {
  s.ok<PromotionProposed>(town(), to_council({issue}));
  EXPECT_EQ(s.code(town(), PromotionConsent{"c5-pm1", true}), ErrorCode::bad_request);
  EXPECT_EQ(s.code(town_colleague(), PromotionConsent{"c5-pm1", true}), ErrorCode::bad_request);
  EXPECT_EQ(s.code(centre(), PromotionConsent{"c5-pm9", true}), ErrorCode::not_found);
  EXPECT_EQ(s.code(observer(), PromotionConsent{"c5-pm1", true}), ErrorCode::forbidden);
  s.ok<PromotionConsented>(centre(), PromotionConsent{"c5-pm1", true});
  EXPECT_EQ(s.code(centre(), PromotionConsent{"c5-pm1", false}), ErrorCode::conflict);
}

TEST_F(PromotionTest, ItemsMustBePromotable) {
  EXPECT_EQ(s.code(town(), to_council({})), ErrorCode::bad_request);
  EXPECT_EQ(s.code(town(), to_council({issue, issue})), ErrorCode::bad_request);
  EXPECT_EQ(s.code(town(), to_council({"c5-i99"})), ErrorCode::not_found);
  std::vector<std::string> many(51, issue);
  EXPECT_EQ(s.code(town(), to_council(many)), ErrorCode::bad_request);

  const std::string other = s.issue("別の課題");
  s.ok<IssueMerged>(centre(), IssueMerge{other, issue});
  EXPECT_EQ(s.code(town(), to_council({other})), ErrorCode::conflict);

  const std::string vision = s.proposal(ProposalKind::vision);
  EXPECT_EQ(s.code(town(), to_council({vision})), ErrorCode::conflict);
  const std::string open_direction = s.proposal(ProposalKind::direction);
  EXPECT_EQ(s.code(town(), to_council({open_direction})), ErrorCode::conflict);

  s.ok<TextRedacted>(centre(), TextRedact{role, std::nullopt, "個人名"});
  EXPECT_EQ(s.code(town(), to_council({role})), ErrorCode::conflict);
  s.ok<TextRedacted>(centre(), TextRedact{issue, std::nullopt, "個人名"});
  EXPECT_EQ(s.code(town(), to_council({issue})), ErrorCode::conflict);
}

TEST_F(PromotionTest, TargetMustBeACouncilOfTheSameAreaOrThePrefecture) {
  auto with = [&](std::string target, std::optional<PromotionTarget> resolved) {
    return PromotionPropose{{issue}, std::move(target), std::nullopt, std::move(resolved)};
  };
  EXPECT_EQ(s.code(town(), with("c9", std::nullopt)), ErrorCode::not_found);
  EXPECT_EQ(s.code(town(), with("c2", council_of(std::string("東部")))), ErrorCode::not_found);
  EXPECT_EQ(s.code(town(), with("c2", council_of(std::nullopt))), ErrorCode::not_found);
  EXPECT_EQ(s.code(town(), with("c2", council_of(std::string("西部"), true))),
            ErrorCode::not_found);
  EXPECT_EQ(
      s.code(town(), with("c6", council_of(std::string("西部"), false, CouncilKind::one_on_one))),
      ErrorCode::not_found);
  s.ok<PromotionProposed>(town(), with("prefecture", std::nullopt));
}

TEST_F(PromotionTest, NotInACouncil) {
  Script council;
  council.issue();
  EXPECT_EQ(council.code(member(), PromotionPropose{{"c1-i1"}, "prefecture", std::nullopt}),
            ErrorCode::bad_request);
  EXPECT_EQ(council.code(member(), PromotionConsent{"c1-pm1", true}), ErrorCode::bad_request);
}

TEST_F(PromotionTest, PromotedEventsCarryProvenanceAndTheTargetsIds) {
  s.ok<PromotionProposed>(town(), to_council({issue, role, direction}));
  s.ok<PromotionConsented>(centre(), PromotionConsent{"c5-pm1", true});
  Script target("c1");
  target.issue("既存の課題");
  const auto writes = promotion_writes(s.state(), "c5-pm1");
  ASSERT_EQ(writes.size(), 3u);

  const EventData posted = promoted_event(target.state(), writes[0].item, "2027-01-15");
  const auto& issue_event = std::get<IssuePosted>(posted);
  EXPECT_EQ(issue_event.issue, "c1-i2");
  EXPECT_EQ(issue_event.text, "訪問看護の空白");
  EXPECT_EQ(issue_event.theme, std::optional<std::string>("在宅医療"));
  EXPECT_EQ(issue_event.provenance, (Provenance{"one_on_one", "2027-01-15"}));

  const EventData proposed = promoted_event(target.state(), writes[1].item, "2027-01-15");
  const auto& role_event = std::get<RoleProposed>(proposed);
  EXPECT_EQ(role_event.role, "c1-ro1");
  EXPECT_EQ(role_event.state, RoleState::proposed);
  EXPECT_EQ(role_event.owner_org, "北広島町");
  EXPECT_EQ(role_event.due, std::optional<std::string>("2027-03-31"));

  const EventData opened = promoted_event(target.state(), writes[2].item, "2027-01-15");
  const auto& direction_event = std::get<ProposalOpened>(opened);
  EXPECT_EQ(direction_event.kind, ProposalKind::direction);
  EXPECT_EQ(direction_event.text, "方向性");
  ASSERT_TRUE(direction_event.provenance);
}

TEST_F(PromotionTest, PrefectureSubmissionsListAgreedOnesWithTheirSnapshot) {
  s.ok<PromotionProposed>(
      town(),
      PromotionPropose{{issue, direction}, "prefecture", std::string("メモ"), std::nullopt});
  s.ok<PromotionProposed>(town(), PromotionPropose{{role}, "prefecture", std::nullopt});
  s.ok<PromotionConsented>(centre(), PromotionConsent{"c5-pm1", true});
  EXPECT_TRUE(promotion_writes(s.state(), "c5-pm1").empty());  // nothing to a council

  auto submissions = prefecture_submissions(s.state());
  ASSERT_EQ(submissions.size(), 1u);  // c5-pm2 is not agreed
  EXPECT_EQ(submissions[0].council, "c5");
  EXPECT_EQ(submissions[0].area, std::optional<std::string>("西部"));
  EXPECT_EQ(submissions[0].date, "2026-11-24");
  EXPECT_EQ(submissions[0].organisations, (std::vector<std::string>{"北広島町", "西部保健所"}));
  ASSERT_EQ(submissions[0].items.size(), 2u);
  EXPECT_EQ(submissions[0].items[0].text, "訪問看護の空白");

  // A later redaction erases the snapshot too.
  s.ok<TextRedacted>(centre(), TextRedact{issue, std::nullopt, "個人名"});
  submissions = prefecture_submissions(s.state());
  ASSERT_EQ(submissions[0].items.size(), 1u);
  EXPECT_EQ(submissions[0].items[0].text, "方向性");
}

TEST_F(PromotionTest, ReplayGivesTheSameState) {
  s.ok<PromotionProposed>(town(), to_council({issue, role}));
  s.ok<PromotionConsented>(centre(), PromotionConsent{"c5-pm1", true});
  CouncilState replayed;
  replayed.council = "c5";
  replayed.kind = CouncilKind::one_on_one;
  for (const Event& event : s.log()) apply(replayed, event);
  const Promotion* promotion = replayed.find_promotion("c5-pm1");
  ASSERT_NE(promotion, nullptr);
  EXPECT_EQ(promotion->state, PromotionState::agreed);
  EXPECT_EQ(promotion->snapshot.size(), 2u);
  EXPECT_EQ(promotion->proposed.by, town());
}

TEST_F(PromotionTest, TheCouncilsMinutesShowWhereAPromotedItemCameFrom) {
  CouncilState council;
  council.council = "c1";
  std::vector<Event> log;
  auto add = [&](const Actor& by, EventData data) {
    Event event{council.head + 1, "2027-01-15T01:00:00.000Z", by, std::string("c1-m1"),
                std::move(data)};
    apply(council, event);
    log.push_back(std::move(event));
  };
  add(centre(), MeetingStarted{"c1-m1", "第3回", std::nullopt, {}});
  PromotedItem item;
  item.id = "c5-i1";
  item.text = "訪問看護の空白";
  add(town(), promoted_event(council, item, "2027-01-15"));
  add(centre(), MeetingEnded{});
  const auto minutes = build_minutes(council, "c1-m1", log, {}, {});
  ASSERT_TRUE(minutes);
  ASSERT_FALSE(minutes->items.empty());
  ASSERT_FALSE(minutes->items[0].lines.empty());
  EXPECT_EQ(minutes->items[0].lines[0].text,
            "課題の提出: 「訪問看護の空白」（北広島町 佐藤）　一対一協議（2027-01-15）より");
}

}  // namespace
}  // namespace renkei::domain::testing
