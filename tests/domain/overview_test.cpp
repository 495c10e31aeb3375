#include "domain/overview.hpp"

#include <gtest/gtest.h>

namespace renkei::domain {
namespace {

Stamp at(std::string when) {
  Stamp s;
  s.at = std::move(when);
  return s;
}

RoleAgreement role(std::string id, std::string owner, std::string owner_id,
                   std::optional<std::string> due, RoleState state, RoleStatus status) {
  RoleAgreement r;
  r.id = std::move(id);
  r.title = "役割" + r.id;
  r.owner_org = std::move(owner);
  r.owner_org_id = std::move(owner_id);
  r.due = std::move(due);
  r.state = state;
  r.status = status;
  r.proposed = at("2026-10-01T01:00:00.000Z");
  return r;
}

Indicator indicator(std::string id, std::string name, std::string unit,
                    std::vector<std::pair<std::string, double>> reports) {
  Indicator i;
  i.id = std::move(id);
  i.name = std::move(name);
  i.unit = std::move(unit);
  for (auto& [period, value] : reports)
    i.reports.push_back(IndicatorReportEntry{value, period, at("2026-11-01T00:00:00.000Z")});
  return i;
}

OverviewCouncilMeta meta(std::string id, std::string name, std::string area,
                         std::vector<std::string> themes = {}) {
  OverviewCouncilMeta m;
  m.id = std::move(id);
  m.name = std::move(name);
  m.area = std::move(area);
  m.prefecture = "広島県";
  m.themes = std::move(themes);
  return m;
}

std::vector<OverviewOrganisation> orgs() {
  return {{"o1", "北広島町", "municipality", "芸北", "広島県"},
          {"o2", "A病院", "hospital", "芸北", "広島県"},
          {"o3", "安芸太田町", "municipality", "芸北", "広島県"}};
}

TEST(Overview, AreasMatrixRolesIndicatorsAndChanges) {
  CouncilState a;
  a.council = "c1";
  a.themes = {Theme{"認知症", 3, at("2026-04-01T00:00:00.000Z"), {}},
              Theme{"在宅医療", 1, at("2026-04-01T00:00:00.000Z"), {}}};
  a.themes[0].changes.push_back(StageChange{2, 3, "合意", at("2026-11-30T16:00:00.000Z")});
  a.themes[0].changes.push_back(StageChange{1, 2, "共有", at("2026-11-30T14:00:00.000Z")});
  a.roles = {
      role("c1-ro1", "北広島町", "o1", "2026-11-30", RoleState::agreed, RoleStatus::in_progress),
      role("c1-ro2", "北広島町(旧)", "o1", std::nullopt, RoleState::proposed,
           RoleStatus::not_started),
      role("c1-ro3", "A病院", "", "2026-11-01", RoleState::agreed, RoleStatus::done),
      role("c1-ro4", "謎の団体", "", "2026-01-01", RoleState::agreed, RoleStatus::not_started),
  };
  a.roles[2].statuses.push_back(
      StatusEntry{RoleStatus::done, std::nullopt, at("2026-12-02T00:00:00.000Z")});
  a.indicators = {indicator("c1-in1", "看取り件数", "件", {{"2026Q1", 7}, {"2026Q2", 3}}),
                  indicator("c1-in2", "会議の回数", "回", {{"2026", 2}})};
  Proposal adopted;
  adopted.id = "c1-pr1";
  adopted.text = "住み慣れた地域で";
  adopted.adopted = true;
  adopted.closed = at("2026-12-03T00:00:00.000Z");
  a.proposals = {adopted};

  CouncilState b;
  b.council = "c2";
  b.themes = {Theme{"認知症", 4, {}, {}}};
  b.indicators = {indicator("c2-in1", "看取り件数", "件", {{"2026Q2", 12}})};

  CouncilState c;
  c.council = "c3";
  c.themes = {Theme{"在宅医療", 2, {}, {}}};

  const std::vector<OverviewInput> inputs = {
      {meta("c1", "芸北協議会", "芸北", {"災害時"}), &a},
      {meta("c2", "芸北第二", "芸北"), &b},
      {meta("c3", "呉協議会", "呉"), &c},
  };
  const Overview o = compose_overview(inputs, orgs(), "2026-12-04");
  EXPECT_EQ(o.month, "2026-12");

  ASSERT_EQ(o.areas.size(), 2u);
  EXPECT_EQ(o.areas[0].name, "芸北");
  ASSERT_EQ(o.areas[0].councils.size(), 2u);
  // Planned themes first (stage 1), then those the log uses.
  ASSERT_EQ(o.areas[0].councils[0].themes.size(), 3u);
  EXPECT_EQ(o.areas[0].councils[0].themes[0].name, "災害時");
  EXPECT_EQ(o.areas[0].councils[0].themes[0].stage, 1);

  ASSERT_EQ(o.matrix.areas, (std::vector<std::string>{"芸北", "呉"}));
  ASSERT_EQ(o.matrix.themes, (std::vector<std::string>{"災害時", "認知症", "在宅医療"}));
  EXPECT_EQ(o.matrix.at(1, 0).stage, 4);  // 認知症 × 芸北: the higher council
  EXPECT_EQ(o.matrix.at(1, 0).council, "c2");
  EXPECT_EQ(o.matrix.at(1, 1).stage, 0);  // 認知症 × 呉: nobody
  EXPECT_EQ(o.matrix.at(2, 1).stage, 2);
  EXPECT_EQ(o.matrix.at(2, 1).council_name, "呉協議会");

  // Roles: o1 by id (its logged name differs), A病院 by name (done: not
  // open), the unknown owner.
  ASSERT_EQ(o.roles.size(), 2u);
  EXPECT_EQ(o.roles[0].kind, "municipality");
  EXPECT_EQ(o.roles[0].open, 2u);
  EXPECT_EQ(o.roles[0].overdue, 1u);
  EXPECT_EQ(o.roles[1].kind, "unknown");
  EXPECT_EQ(o.roles[1].overdue, 1u);

  // Indicators by name side by side, the latest period, small counts flagged.
  ASSERT_EQ(o.indicators.size(), 2u);
  EXPECT_EQ(o.indicators[0].name, "看取り件数");
  ASSERT_EQ(o.indicators[0].values.size(), 2u);
  EXPECT_EQ(o.indicators[0].values[0].period, "2026Q2");
  EXPECT_EQ(o.indicators[0].values[0].value, 3);
  EXPECT_TRUE(o.indicators[0].values[0].small_count);
  EXPECT_FALSE(o.indicators[0].values[1].small_count);
  EXPECT_EQ(o.indicators[0].values[1].council, "c2");
  EXPECT_FALSE(o.indicators[1].values[0].small_count);  // 回 points at nobody

  // Changes this month in JST: 2026-11-30T16:00Z is 12-01 in Japan, 14:00Z is not.
  ASSERT_EQ(o.changes.size(), 1u);
  EXPECT_EQ(o.changes[0].council, "c1");
  ASSERT_EQ(o.changes[0].stage_changes.size(), 1u);
  EXPECT_EQ(o.changes[0].stage_changes[0].to, 3);
  ASSERT_EQ(o.changes[0].adopted.size(), 1u);
  EXPECT_EQ(o.changes[0].adopted[0].text, "住み慣れた地域で");
  ASSERT_EQ(o.changes[0].done.size(), 1u);
  EXPECT_EQ(o.changes[0].done[0].id, "c1-ro3");
  EXPECT_TRUE(o.changes[0].agreed.empty());  // agreed in October
}

TEST(Overview, ACouncilThatCouldNotBeLoadedIsListedWithoutStages) {
  const Overview o = compose_overview({{meta("c9", "読めない", "芸北", {"認知症"}), nullptr}},
                                      orgs(), "2026-12-04");
  ASSERT_EQ(o.areas.size(), 1u);
  EXPECT_FALSE(o.areas[0].councils[0].loaded);
  EXPECT_EQ(o.matrix.at(0, 0).stage, 1);
  EXPECT_TRUE(o.roles.empty());
  EXPECT_TRUE(o.changes.empty());
}

TEST(Overview, ThePrefectureOfAnAreaAndOfACouncil) {
  auto without = meta("c5", "無所属", "芸北");
  without.prefecture.reset();
  const std::vector<OverviewCouncilMeta> councils = {without};
  EXPECT_EQ(prefecture_of_council(without, councils, orgs()), "広島県");  // through organisations
  EXPECT_EQ(prefecture_of_area("呉", councils, orgs()), std::nullopt);
  auto own = meta("c6", "岡山", "備北");
  own.prefecture = "岡山県";
  EXPECT_EQ(prefecture_of_council(own, councils, orgs()), "岡山県");
  EXPECT_FALSE(in_jst_month("2026-11-30T14:59:59.000Z", "2026-12"));
  EXPECT_TRUE(in_jst_month("2026-11-30T15:00:00.000Z", "2026-12"));
}

}  // namespace
}  // namespace renkei::domain
