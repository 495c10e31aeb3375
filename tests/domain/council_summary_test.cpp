#include "domain/council_summary.hpp"

#include <gtest/gtest.h>

#include "domain/organisation.hpp"

namespace renkei::domain {
namespace {

RoleAgreement role(std::string id, std::string owner, std::optional<std::string> due,
                   RoleState state, RoleStatus status) {
  RoleAgreement r;
  r.id = std::move(id);
  r.owner_org = std::move(owner);
  r.due = std::move(due);
  r.state = state;
  r.status = status;
  return r;
}

TEST(CouncilSummary, LiveLastThemesAndTheOrganisationsRoles) {
  CouncilState state;
  Meeting first;
  first.id = "c1-m1";
  first.title = "第1回";
  first.started.at = "2026-04-10T01:00:00Z";
  first.ended = Stamp{};
  first.ended->at = "2026-04-10T03:00:00Z";
  Meeting second;
  second.id = "c1-m2";
  second.title = "第2回";
  second.started.at = "2026-07-10T01:00:00Z";
  state.meetings = {first, second};
  state.meeting_index = {{"c1-m1", 0}, {"c1-m2", 1}};
  state.live_meeting = "c1-m2";
  state.themes = {Theme{"認知症", 3, {}, {}}, Theme{"在宅医療", 1, {}, {}}};
  state.roles = {
      role("r1", "北広島町", "2026-06-30", RoleState::agreed, RoleStatus::in_progress),
      role("r2", "北広島町", "2026-12-31", RoleState::proposed, RoleStatus::not_started),
      role("r3", "北広島町", "2026-01-31", RoleState::agreed, RoleStatus::done),
      role("r4", "北広島町", "2026-01-31", RoleState::declined, RoleStatus::not_started),
      role("r5", "A病院", "2026-01-31", RoleState::agreed, RoleStatus::not_started),
      role("r6", "北広島町", std::nullopt, RoleState::agreed, RoleStatus::not_started),
  };
  auto summary = summarize_council(
      state, [](const RoleAgreement& r) { return r.owner_org == "北広島町"; }, "2026-07-10");
  ASSERT_TRUE(summary.live);
  EXPECT_EQ(summary.live->title, "第2回");
  EXPECT_EQ(summary.live->at, "2026-07-10T01:00:00Z");
  ASSERT_TRUE(summary.last);
  EXPECT_EQ(summary.last->id, "c1-m1");
  EXPECT_EQ(summary.last->at, "2026-04-10T03:00:00Z");
  ASSERT_EQ(summary.themes.size(), 2u);
  EXPECT_EQ(summary.themes[0].stage, 3);
  EXPECT_EQ(summary.open_roles, 3u);     // r1, r2, r6
  EXPECT_EQ(summary.overdue_roles, 1u);  // r1
}

TEST(CouncilSummary, AnEmptyCouncil) {
  CouncilState state;
  auto summary = summarize_council(
      state, [](const RoleAgreement&) { return true; }, "2026-07-10");
  EXPECT_FALSE(summary.live);
  EXPECT_FALSE(summary.last);
  EXPECT_EQ(summary.open_roles, 0u);
}

TEST(OrganisationKind, CodesJapaneseNamesAndAliases) {
  EXPECT_EQ(organisation_kinds().size(), 11u);
  for (OrganisationKind kind : organisation_kinds()) {
    EXPECT_EQ(organisation_kind_from_text(to_string(kind)), kind);
    EXPECT_EQ(organisation_kind_from_text(japanese_name(kind)), kind);
  }
  EXPECT_EQ(organisation_kind_from_text(" 包括\u3000"), OrganisationKind::community_support_centre);
  EXPECT_EQ(organisation_kind_from_text("社協"), OrganisationKind::social_welfare_council);
  EXPECT_EQ(japanese_name(OrganisationKind::health_centre), "保健所");
  EXPECT_FALSE(organisation_kind_from_text("病院らしきもの"));
  EXPECT_FALSE(organisation_kind_from_text(""));
}

}  // namespace
}  // namespace renkei::domain
