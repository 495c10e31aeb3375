// Downloads: CSV (BOM, CRLF, RFC 4180 quoting, formula-injection guard),
// iCalendar (escaping, folding at 75 octets without splitting UTF-8) and
// Content-Disposition (RFC 5987 / 6266 file names).
#include "protocol/exports.hpp"

#include <gtest/gtest.h>

namespace renkei::protocol {
namespace {

using namespace renkei::domain;

Stamp stamp(std::uint64_t seq, std::string at) {
  return Stamp{seq, std::move(at), Actor{"p1", "山田", "保健所", Role::facilitator}, std::nullopt};
}

CouncilState state_with_hostile_texts() {
  CouncilState s;
  s.council = "c1";
  s.name = "協議体, \"A\"";
  Issue issue;
  issue.id = "c1-i1";
  issue.text = "=HYPERLINK(\"http://x\")";
  issue.posted = stamp(1, "2026-11-24T15:30:00.000Z");
  s.issues.push_back(issue);
  s.issue_index[issue.id] = 0;
  RoleAgreement role;
  role.id = "c1-ro1";
  role.title = "+1, \"周知\"\n改行";
  role.owner_org = "@北広島町";
  role.due = "2027-03-31";
  role.detail = "a;b,c\\d";
  role.issue = "c1-i1";
  role.proposed = stamp(2, "2026-11-24T10:00:00.000Z");
  s.roles.push_back(role);
  s.role_index[role.id] = 0;
  return s;
}

TEST(Csv, FieldsAreQuotedAndGuardedAgainstFormulas) {
  EXPECT_EQ(csv_field("退院調整"), "退院調整");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("line\r\nbreak"), "\"line\r\nbreak\"");
  EXPECT_EQ(csv_field("=1+2"), "'=1+2");
  EXPECT_EQ(csv_field("+81"), "'+81");
  EXPECT_EQ(csv_field("-5"), "'-5");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tx"), "'\tx");
  EXPECT_EQ(csv_field("=a,b"), "\"'=a,b\"");
  EXPECT_EQ(csv_field("a=b"), "a=b");
  EXPECT_EQ(csv_field(""), "");
}

TEST(Csv, RolesAndIssuesFiles) {
  const CouncilState s = state_with_hostile_texts();
  const std::string roles = roles_csv(s);
  ASSERT_EQ(roles.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(roles.substr(3),
            "課題,対応（役割）,担当機関,期限,合意状態,進捗,テーマ,提案者,提案日\r\n"
            "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1, \"\"周知\"\"\n改行\",'@北広島町,2027-03-31,"
            "合意待ち,未着手,,山田（保健所）,2026-11-24\r\n");
  const std::string issues = issues_csv(s);
  ASSERT_EQ(issues.substr(0, 3), "\xEF\xBB\xBF");
  // 15:30 UTC is 00:30 the next day in Japan.
  EXPECT_EQ(issues.substr(3),
            "ID,課題,テーマ,機関,投稿者,投稿日時,状態\r\n"
            "c1-i1,\"'=HYPERLINK(\"\"http://x\"\")\",,保健所,山田,2026-11-25 00:30,検討中\r\n");
}

TEST(Ics, TextIsEscaped) {
  EXPECT_EQ(ics_text("a;b,c\\d"), "a\\;b\\,c\\\\d");
  EXPECT_EQ(ics_text("一行目\n二行目\r\n三行目"), "一行目\\n二行目\\n三行目");
}

TEST(Ics, LinesAreFoldedAt75OctetsBetweenCharacters) {
  EXPECT_EQ(ics_fold("SUMMARY:short"), "SUMMARY:short\r\n");
  const std::string ascii = "DESCRIPTION:" + std::string(100, 'x');
  const std::string folded = ics_fold(ascii);
  EXPECT_EQ(folded,
            "DESCRIPTION:" + std::string(63, 'x') + "\r\n " + std::string(37, 'x') + "\r\n");
  // Japanese: 3 octets a character. "SUMMARY:" is 8 octets, so 22 characters
  // (66 octets) fill the first line to 74; the 23rd would make 77.
  std::string japanese = "SUMMARY:";
  for (int i = 0; i < 40; ++i) japanese += "退";
  const std::string out = ics_fold(japanese);
  std::size_t start = 0;
  std::vector<std::string> lines;
  while (start < out.size()) {
    const std::size_t end = out.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    lines.push_back(out.substr(start, end - start));
    start = end + 2;
  }
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].size(), 8u + 22 * 3);
  std::string rest = " ";
  for (int i = 0; i < 18; ++i) rest += "退";
  EXPECT_EQ(lines[1], rest);
  EXPECT_LE(lines[1].size(), 75u);
  for (const std::string& line : lines) EXPECT_LE(line.size(), 75u);
  // Unfolding gives back the line.
  std::string unfolded = out;
  for (std::size_t p; (p = unfolded.find("\r\n ")) != std::string::npos;) unfolded.erase(p, 3);
  EXPECT_EQ(unfolded, japanese + "\r\n");
}

TEST(Ics, OneAllDayEventPerRoleWithADueDate) {
  CouncilState s = state_with_hostile_texts();
  RoleAgreement undated = s.roles[0];
  undated.id = "c1-ro2";
  undated.due.reset();
  s.roles.push_back(undated);
  const std::string ics = roles_ics(s);
  EXPECT_EQ(ics.substr(0, 17), "BEGIN:VCALENDAR\r\n");
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
  EXPECT_NE(ics.find("\r\nUID:c1-ro1@renkei\r\n"), std::string::npos);
  EXPECT_EQ(ics.find("c1-ro2@renkei"), std::string::npos) << "no due date, no event";
  EXPECT_NE(ics.find("\r\nDTSTART;VALUE=DATE:20270331\r\nDTEND;VALUE=DATE:20270401\r\n"),
            std::string::npos);
  EXPECT_NE(ics.find("\r\nDTSTAMP:20261124T100000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY:+1\\, \"周知\"\\n改行（@北広島町）"), std::string::npos);
  EXPECT_NE(ics.find("X-WR-CALNAME:協議体\\, \"A\" 役割の期限"), std::string::npos);
  EXPECT_NE(ics.find("STATUS:TENTATIVE"), std::string::npos);
  // No bare line feed anywhere.
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      EXPECT_EQ(ics[i - 1], '\r') << i;
    }
  }
}

TEST(Download, ContentDispositionNamesTheFileInUtf8) {
  EXPECT_EQ(content_disposition("役割分担表.csv", "roles-c1.csv"),
            "attachment; filename=\"roles-c1.csv\"; "
            "filename*=UTF-8''%E5%BD%B9%E5%89%B2%E5%88%86%E6%8B%85%E8%A1%A8.csv");
  EXPECT_EQ(content_disposition("a b\"c.md", "a\"b.md", true),
            "inline; filename=\"a_b.md\"; filename*=UTF-8''a%20b%22c.md");
  EXPECT_EQ(safe_file_name("議事録/第1回:会議?.md"), "議事録_第1回_会議_.md");
}

}  // namespace
}  // namespace renkei::protocol
