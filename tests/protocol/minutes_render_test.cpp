// Rendering minutes: user text escaped for Markdown and HTML, and the HTML
// page self-contained for the CSP (stylesheet /print.css, no inline style
// or script, lang="ja").
#include "protocol/minutes_render.hpp"

#include <gtest/gtest.h>

namespace renkei::protocol {
namespace {

using namespace renkei::domain;

Minutes hostile_minutes() {
  Minutes m;
  m.council = "c1";
  m.council_name = "<script>alert(1)</script>協議体";
  m.meeting = "c1-m1";
  m.title = "第1回 <b>会議</b> & \"打合せ\"";
  m.date_iso = "2026-11-24";
  m.date = "2026年11月24日（火）";
  m.date_wareki = "令和8年11月24日（火）";
  m.start_time = "19:00";
  m.end_time = "20:30";
  m.chair = Actor{"p1", "山田", "保健所", Role::facilitator};
  m.attendees = {MinutesOrg{"北広島町 | <i>", {MinutesPerson{"p2", "佐藤*", Role::member, true}}}};
  m.attendee_count = 1;
  MinutesItem item;
  item.index = 0;
  item.title = "# 見出し";
  item.lines.push_back(
      MinutesLine{"課題の提出: 「- 箇条\n1. 番号\n  # 見出し」", {"詳細 [link](x)"}});
  m.items.push_back(item);
  m.decisions.push_back(MinutesLine{"方針の採択: 「<img src=x onerror=alert(1)>」", {}});
  m.tasks.push_back(
      MinutesTask{"c1-ro1", "周知 | 表", "北広島町", std::nullopt, RoleStatus::in_progress, false});
  m.first_seq = 1;
  m.last_seq = 9;
  return m;
}

TEST(MinutesRender, MarkdownEscapesUserText) {
  EXPECT_EQ(markdown_text("a*b_c [x](y) <z> #1 `c` |d| ~e~ !f &g", " "),
            "a\\*b\\_c \\[x\\](y) \\<z\\> \\#1 \\`c\\` \\|d\\| \\~e\\~ \\!f \\&g");
  EXPECT_EQ(markdown_text("- item\n+ plus\n= rule\n12. number\n   indented", "\n"),
            "\\- item\n\\+ plus\n\\= rule\n12\\. number\nindented");
  EXPECT_EQ(markdown_text("退院調整ルール", " "), "退院調整ルール");
  EXPECT_EQ(markdown_text("a\r\nb", "<BR>"), "a<BR>b");

  const std::string md = render_minutes_markdown(hostile_minutes());
  EXPECT_NE(md.find("# 第1回 \\<b\\>会議\\</b\\> \\& \"打合せ\" 議事録\n"), std::string::npos)
      << md;
  EXPECT_NE(md.find("### 1. \\# 見出し\n"), std::string::npos) << md;
  EXPECT_NE(
      md.find("- 課題の提出: 「- 箇条  \n  1\\. 番号  \n  \\# 見出し」\n  - 詳細 \\[link\\](x)\n"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("| 周知 \\| 表 | 北広島町 | 未定 | 実施中 |"), std::string::npos) << md;
  EXPECT_NE(md.find("- 北広島町 \\| \\<i\\>: 佐藤\\*\n"), std::string::npos) << md;
  EXPECT_EQ(md.find("<script>"), std::string::npos);
}

TEST(MinutesRender, HtmlEscapesEverythingAndNeedsNoInlineStyleOrScript) {
  EXPECT_EQ(html_text("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  const std::string html = render_minutes_html(hostile_minutes());
  EXPECT_EQ(html.substr(0, 33), "<!doctype html>\n<html lang=\"ja\">\n");
  EXPECT_NE(html.find("<link rel=\"stylesheet\" href=\"/print.css\">"), std::string::npos);
  // One script, external (served at /minutes.js), none inline.
  const std::size_t script = html.find("<script");
  EXPECT_EQ(html.find("<script src=\"/minutes.js\" defer></script>\n"), script);
  EXPECT_EQ(html.find("<script", script + 1), std::string::npos);
  EXPECT_EQ(html.find("onclick"), std::string::npos);
  EXPECT_EQ(html.find("<style"), std::string::npos);
  EXPECT_EQ(html.find("style="), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;協議体"), std::string::npos);
  EXPECT_NE(
      html.find("<title>第1回 &lt;b&gt;会議&lt;/b&gt; &amp; &quot;打合せ&quot; 議事録</title>"),
      std::string::npos);
  // Line breaks in user text become <br>.
  EXPECT_NE(html.find("「- 箇条<br>1. 番号<br>  # 見出し」"), std::string::npos) << html;
}

TEST(MinutesRender, ClosedSessionsShowWhoDidNotConfirmConfidentiality) {
  Minutes m = hostile_minutes();
  m.session = SessionType::closed;
  m.attendees = {MinutesOrg{"北広島町",
                            {MinutesPerson{"p2", "佐藤", Role::member, true},
                             MinutesPerson{"p3", "鈴木", Role::member, false}}},
                 MinutesOrg{"県", {MinutesPerson{"p4", "中村", Role::observer, true}}}};
  m.attendee_count = 3;
  m.acknowledged_count = 2;
  m.observer_count = 1;
  const std::string md = render_minutes_markdown(m);
  EXPECT_NE(
      md.find("| 公開・非公開 | 非公開（守秘義務の確認: 出席者3名中2名、未確認: 北広島町 鈴木） |"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("| 出席者 | 3名（うちオブザーバー1名） |"), std::string::npos);
  EXPECT_NE(md.find("- 県: 中村（オブザーバー）"), std::string::npos);
  m.end_time.reset();
  EXPECT_NE(render_minutes_markdown(m).find("19:00〜（開催中）"), std::string::npos);
}

TEST(MinutesRender, FileNames) {
  const Minutes m = hostile_minutes();
  EXPECT_EQ(minutes_file_name(m, "md"), "議事録_第1回 _b_会議__b_ & _打合せ__2026-11-24.md");
  EXPECT_EQ(minutes_ascii_file_name(m, "html"), "minutes-c1-m1.html");
}

TEST(MinutesRender, PiiLinesAreMarkedAndThePageHasBackAndPrint) {
  Minutes m = hostile_minutes();
  m.items[0].lines.push_back(MinutesLine{"課題の提出: 「山田さん（82歳）」", {}, true});
  m.decisions.push_back(MinutesLine{"方針の採択: 「連絡は090-1234-5678」", {}, true});
  const std::string md = render_minutes_markdown(m);
  EXPECT_NE(md.find("- 課題の提出: 「山田さん（82歳）」 ※個人情報の可能性\n"), std::string::npos)
      << md;
  EXPECT_NE(md.find("2. 方針の採択: 「連絡は090-1234-5678」 ※個人情報の可能性\n"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("「詳細 [link](x)」 ※"), std::string::npos) << "unflagged lines unmarked";

  const std::string html = render_minutes_html(m);
  EXPECT_NE(html.find("<li>課題の提出: 「山田さん（82歳）」 <span class=\"pii-badge\">"
                      "※個人情報の可能性</span></li>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<a class=\"button\" href=\"/councils/c1/record\">戻る</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<button type=\"button\" id=\"print-minutes\">印刷</button>"),
            std::string::npos);
  EXPECT_NE(minutes_script.find("print-minutes"), std::string_view::npos);
  EXPECT_NE(minutes_script.find("window.print()"), std::string_view::npos);
}

}  // namespace
}  // namespace renkei::protocol
