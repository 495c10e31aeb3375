#include "protocol/overview_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace renkei::protocol {
namespace {

domain::Overview sample() {
  static domain::CouncilState state = [] {
    domain::CouncilState s;
    s.council = "c1";
    s.themes = {domain::Theme{"認知症", 3, {}, {}}};
    domain::Indicator indicator;
    indicator.id = "c1-in1";
    indicator.name = "=看取り件数";
    indicator.unit = "件";
    indicator.reports.push_back(domain::IndicatorReportEntry{2, "2026-09", {}});
    s.indicators = {indicator};
    return s;
  }();
  domain::OverviewCouncilMeta meta;
  meta.id = "c1";
  meta.name = "北広島町, 在宅医療";
  meta.area = "北広島保健所管内";
  meta.prefecture = "広島県";
  return domain::compose_overview({{meta, &state}}, {}, "2026-12-05");
}

TEST(OverviewCodec, JsonSectionsInOrder) {
  const std::string text = encode_overview(sample(), OverviewScope::prefecture, "広島県");
  const auto value = boost::json::parse(text).as_object();
  std::vector<std::string> keys;
  for (const auto& entry : value) keys.emplace_back(entry.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"scope", "name", "today", "month", "stages", "areas",
                                      "matrix", "roles", "indicators", "changes", "submissions"}));
  EXPECT_EQ(value.at("scope"), "prefecture");
  const auto& cell = value.at("matrix").at("rows").at(0).at("cells").at(0);
  EXPECT_EQ(cell.at("stage"), 3);
  EXPECT_EQ(cell.at("council_name"), "北広島町, 在宅医療");
  EXPECT_EQ(value.at("indicators").at(0).at("values").at(0).at("small_count"), true);
}

TEST(OverviewCodec, CsvWithBomCrlfQuotingAndNoFormulas) {
  const std::string csv = overview_csv(sample(), OverviewScope::area, "北広島保健所管内");
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.find("圏域の概観：北広島保健所管内,2026-12-05\r\n"), 3u);
  EXPECT_NE(csv.find("認知症,\"3 サービス提供体制の整備・役割合意形成（北広島町, 在宅医療）\"\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("'=看取り件数"), std::string::npos) << "a formula is defused";
  EXPECT_NE(csv.find(",2026-09,2,件,,少数\r\n"), std::string::npos) << csv;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '\n') {
      ASSERT_TRUE(i > 0 && csv[i - 1] == '\r') << i;
    }
  }
  EXPECT_EQ(stage_name_ja(4), "運用・評価・改善");
  EXPECT_EQ(stage_name_ja(0), "");
}

}  // namespace
}  // namespace renkei::protocol
