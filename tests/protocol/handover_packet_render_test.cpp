#include "protocol/handover_packet_render.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace renkei::protocol {
namespace {

using namespace renkei::domain;

HandoverPacket packet() {
  HandoverPacket p;
  p.org = OrgRef{"o3", "北広島町"};
  p.since = "2027-03-31T15:00:00.000Z";
  p.today = "2027-04-01";
  PacketCouncil c;
  c.info = PacketCouncilInfo{"c1",
                             "在宅医療<推進>会議",
                             CouncilKind::council,
                             std::string("北広島"),
                             std::string("2027-04-20"),
                             false};
  PacketRole role;
  role.id = "c1-ro1";
  role.title = "手引き *作成* <b>";
  role.owner_org = "北広島町";
  role.due = "2027-01-31";
  role.state = RoleState::agreed;
  role.status = RoleStatus::in_progress;
  role.overdue = true;
  role.agreed_in = PacketMeetingRef{"c1-m3", "第3回", "2026-12-10T01:00:00.000Z",
                                    std::string("2026-12-10T03:00:00.000Z")};
  role.history.push_back(
      PacketRoleEvent{PacketRoleEvent::Kind::consented, "2026-12-10T02:00:00.000Z", "北広島町",
                      "佐藤", std::nullopt, std::string("担当します"), true, std::string("c1-m3")});
  c.roles.push_back(role);
  c.overdue = 1;
  c.themes.push_back(PacketTheme{"退院支援", 2, {}});
  c.last_decisions.push_back("役割分担に合意：北広島町が「手引き」");
  p.councils.push_back(c);
  PacketCouncil quiet;
  quiet.info = PacketCouncilInfo{"c2",         "認知症施策推進会議", CouncilKind::council,
                                 std::nullopt, std::nullopt,         false};
  p.councils.push_back(quiet);
  return p;
}

TEST(HandoverPacketRender, JapaneseDates) {
  EXPECT_EQ(japanese_date("2027-04-01"), "2027年4月1日");
  // 15:00 UTC is the next day in Japan.
  EXPECT_EQ(japanese_date("2027-03-31T15:00:00.000Z"), "2027年4月1日");
  EXPECT_EQ(japanese_date("someday"), "someday");
}

TEST(HandoverPacketRender, JsonShape) {
  const auto json = boost::json::parse(encode_handover_packet(packet()));
  EXPECT_EQ(json.at("org").at("id"), "o3");
  EXPECT_EQ(json.at("overdue"), 1);
  EXPECT_TRUE(json.at("predecessor").is_null());
  const auto& c = json.at("councils").as_array()[0];
  EXPECT_EQ(c.at("roles").as_array()[0].at("agreed_in").at("id"), "c1-m3");
  EXPECT_EQ(c.at("roles").as_array()[0].at("history").as_array()[0].at("decisive"), true);
  EXPECT_EQ(c.at("themes").as_array()[0].at("stage"), 2);
  EXPECT_EQ(c.at("changes").at("omitted"), 0);
}

TEST(HandoverPacketRender, MarkdownEscapesUserText) {
  const std::string md = render_handover_markdown(packet());
  EXPECT_EQ(md.rfind("# 引き継ぎ資料 北広島町\n", 0), 0u) << md;
  EXPECT_NE(md.find("- **期限超過** 手引き \\*作成\\* \\<b\\>"), std::string::npos) << md;
  EXPECT_NE(md.find("2027年1月31日"), std::string::npos);
  EXPECT_NE(md.find("### 2027年4月1日以降の変更"), std::string::npos) << md;
  EXPECT_NE(md.find("この会議体では、まだ会議や役割の記録がありません。"), std::string::npos);
}

TEST(HandoverPacketRender, HtmlEscapesAndHasNoInlineScriptOrStyle) {
  const std::string html = render_handover_html(packet());
  EXPECT_NE(html.find("在宅医療&lt;推進&gt;会議"), std::string::npos);
  EXPECT_NE(html.find("手引き *作成* &lt;b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("style="), std::string::npos);
  EXPECT_NE(html.find("2027年1月31日（期限超過）"), std::string::npos);
  EXPECT_NE(html.find("href=\"/print.css\""), std::string::npos);
}

TEST(HandoverPacketRender, FileNames) {
  EXPECT_EQ(handover_file_name(packet(), "md"), "引き継ぎ資料_北広島町_2027-04-01.md");
  EXPECT_EQ(handover_ascii_file_name(packet(), "html"), "handover-o3-2027-04-01.html");
}

}  // namespace
}  // namespace renkei::protocol
