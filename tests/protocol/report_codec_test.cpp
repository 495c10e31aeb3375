// The JSON documents next to the record (changes, comparison, search,
// check-text) and the wire extensions they rest on: meeting.start's
// `session`, role.propose's `issue`, the record's session, attendance,
// overdue and pii members.
#include "protocol/report_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "protocol/client_message.hpp"
#include "protocol/event_codec.hpp"
#include "protocol/record_codec.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;
using namespace renkei::domain;

const Actor yamada{"p1", "山田", "保健所", Role::facilitator};
const Actor sato{"p2", "佐藤", "北広島町", Role::member};

Stamp stamp(std::uint64_t seq, const Actor& by = yamada) {
  return Stamp{seq, "2026-11-24T10:00:" + std::to_string(10 + seq) + ".000Z", by, std::nullopt};
}

TEST(Extensions, MeetingStartTakesAnOptionalSession) {
  const auto closed = decode_command("meeting.start", R"({"title":"第1回","session":"closed"})");
  ASSERT_TRUE(std::holds_alternative<Command>(closed));
  EXPECT_EQ(std::get<MeetingStart>(std::get<Command>(closed)).session, SessionType::closed);
  const auto plain = decode_command("meeting.start", R"({"title":"第1回","session":null})");
  EXPECT_FALSE(std::get<MeetingStart>(std::get<Command>(plain)).session);
  const auto bad = decode_command("meeting.start", R"({"title":"第1回","session":"secret"})");
  ASSERT_TRUE(std::holds_alternative<Error>(bad));
  EXPECT_EQ(std::get<Error>(bad).code, ErrorCode::bad_request);
  EXPECT_NE(std::get<Error>(bad).message.find("args.session"), std::string::npos);

  // Event data: present when given, absent (open) otherwise, and read back.
  MeetingStarted started{"c1-m1", "第1回", std::nullopt, {}, SessionType::closed};
  const std::string data = encode_event_data(started);
  EXPECT_EQ(data,
            R"({"meeting":"c1-m1","title":"第1回","agenda":null,"items":[],"session":"closed"})");
  const auto back = decode_event_data("meeting.started", data);
  EXPECT_EQ(std::get<MeetingStarted>(std::get<EventData>(back)).session, SessionType::closed);
  const auto old = decode_event_data("meeting.started",
                                     R"({"meeting":"c1-m1","title":"x","agenda":null,"items":[]})");
  EXPECT_FALSE(std::get<MeetingStarted>(std::get<EventData>(old)).session);
}

TEST(Extensions, RoleProposeTakesAnOptionalIssue) {
  const auto c = decode_command("role.propose",
                                R"({"title":"周知","owner_org":"北広島町","issue":" c1-i3 "})");
  ASSERT_TRUE(std::holds_alternative<Command>(c));
  EXPECT_EQ(std::get<RolePropose>(std::get<Command>(c)).issue, "c1-i3");
  const auto bad = decode_command("role.propose", R"({"title":"周知","owner_org":"町","issue":7})");
  EXPECT_TRUE(std::holds_alternative<Error>(bad));
  RoleProposed proposed{"c1-ro1",     "周知",       "北広島町",          std::nullopt,
                        std::nullopt, std::nullopt, RoleState::proposed, "c1-i3"};
  const std::string data = encode_event_data(proposed);
  EXPECT_EQ(
      data,
      R"({"role":"c1-ro1","title":"周知","owner_org":"北広島町","state":"proposed","issue":"c1-i3"})");
  EXPECT_EQ(
      std::get<RoleProposed>(std::get<EventData>(decode_event_data("role.proposed", data))).issue,
      "c1-i3");
}

TEST(RecordExtensions, SessionAttendanceOverdueAndPii) {
  CouncilState s;
  s.council = "c1";
  Meeting meeting;
  meeting.id = "c1-m1";
  meeting.title = "第1回";
  meeting.started = stamp(1);
  meeting.session = SessionType::closed;
  s.meetings.push_back(meeting);
  Issue issue;
  issue.id = "c1-i1";
  issue.text = "山田太郎さん（82歳）、電話090-1234-5678";
  issue.posted = stamp(2, sato);
  s.issues.push_back(issue);
  RoleAgreement role;
  role.id = "c1-ro1";
  role.title = "周知";
  role.owner_org = "北広島町";
  role.due = "2026-11-01";
  role.issue = "c1-i1";
  role.state = RoleState::agreed;
  role.proposed = stamp(3);
  role.statuses = {
      StatusEntry{RoleStatus::in_progress, std::string("生年月日を確認"), stamp(4, sato)}};
  role.status = RoleStatus::in_progress;
  s.roles.push_back(role);
  Proposal proposal;
  proposal.id = "c1-pr1";
  proposal.text = "方針";
  proposal.opened = stamp(5);
  proposal.stances["p2"] =
      StanceEntry{Stance::agree, std::string("広島市中区基町10番52号の件"), stamp(6, sato)};
  s.proposals.push_back(proposal);

  RecordContext context;
  context.today = "2026-11-24";
  context.attendance = {
      Attendance{"c1-m1", "p9", "2026-11-24T10:00:05.000Z", "2026-11-24T10:30:00.000Z",
                 std::nullopt},
      Attendance{"c1-m1", "p2", "2026-11-24T10:00:01.000Z", "2026-11-24T10:30:00.000Z",
                 std::string("2026-11-24T10:00:02.000Z")}};
  context.everyone = {yamada, sato};
  const json::value r = json::parse(encode_record(s, {yamada, sato}, context));
  const json::object& m = r.at("meetings").at(0).as_object();
  EXPECT_EQ(m.at("session"), json::value("closed"));
  EXPECT_EQ(m.at("attendance"),
            json::parse(R"([{"participant":"p2","name":"佐藤","org":"北広島町","role":"member",
                             "first_seen_at":"2026-11-24T10:00:01.000Z",
                             "confidentiality_ack_at":"2026-11-24T10:00:02.000Z"},
                            {"participant":"p9","name":null,"org":null,"role":null,
                             "first_seen_at":"2026-11-24T10:00:05.000Z",
                             "confidentiality_ack_at":null}])"));
  EXPECT_EQ(r.at("issues").at(0).at("pii"), json::parse(R"(["name_with_age","phone"])"));
  const json::object& ro = r.at("roles").at(0).as_object();
  EXPECT_EQ(ro.at("issue"), json::value("c1-i1"));
  EXPECT_EQ(ro.at("overdue"), json::value(true));
  EXPECT_EQ(ro.at("pii"), json::parse(R"(["birth_date"])"));
  EXPECT_EQ(r.at("proposals").at(0).at("pii"), json::parse(R"(["address"])"));

  // Without a today nothing is overdue; without findings no pii member.
  const json::value plain = json::parse(encode_record(s, {yamada, sato}));
  EXPECT_FALSE(plain.at("roles").at(0).as_object().contains("overdue"));
  s.issues[0].text = "退院調整";
  EXPECT_FALSE(json::parse(encode_record(s, {})).at("issues").at(0).as_object().contains("pii"));
}

TEST(ReportCodec, SearchHitsCarryWhereTheyHappened) {
  const std::vector<SearchHit> hits{
      SearchHit{{"issue", "c1-i2", "夜間の訪問看護が足りない"},
                7,
                std::string("c1-m1"),
                "2026-11-24T10:00:00.000Z"},
      SearchHit{{"stage", "退院調整", "合意した"}, 3, std::nullopt, "2026-11-23T10:00:00.000Z"}};
  EXPECT_EQ(json::parse(encode_search("訪問", {"訪問"}, hits)),
            json::parse(R"({"query":"訪問","hits":[
              {"kind":"issue","id":"c1-i2","text":"夜間の訪問看護が足りない","seq":7,"meeting":"c1-m1","at":"2026-11-24T10:00:00.000Z"},
              {"kind":"stage","id":"退院調整","text":"合意した","seq":3,"meeting":null,"at":"2026-11-23T10:00:00.000Z"}]})"));
}

TEST(ReportCodec, CheckTextBodyAndFindings) {
  EXPECT_EQ(std::get<std::string>(parse_check_text(R"({"text":"山田さん 82歳"})")),
            "山田さん 82歳");
  for (std::string_view bad :
       {"", "[]", R"({"text":1})", R"({"txt":"x"})", "{\"text\":\"\xff\"}"}) {
    const auto result = parse_check_text(bad);
    ASSERT_TRUE(std::holds_alternative<Error>(result)) << bad;
    EXPECT_EQ(std::get<Error>(result).code, ErrorCode::bad_request);
  }
  const std::string big = "{\"text\":\"" + std::string(max_check_text_bytes, 'a') + "\"}";
  EXPECT_EQ(std::get<Error>(parse_check_text(big)).code, ErrorCode::too_large);

  const std::string text = "山田さん 82歳、電話0826-72-2111";
  EXPECT_EQ(json::parse(encode_findings(text, find_personal_info(text))),
            json::parse(R"({"findings":[{"kind":"name_with_age","text":"山田さん 82歳"},
                                        {"kind":"phone","text":"0826-72-2111"}]})"));
  EXPECT_EQ(encode_findings("退院", {}), R"({"findings":[]})");
}

TEST(ReportCodec, ChangesListOpenProposalsAndRankings) {
  CouncilState s;
  s.council = "c1";
  Proposal open;
  open.id = "c1-pr1";
  open.kind = ProposalKind::direction;
  open.text = "方針案";
  open.opened = stamp(1);
  open.stances["p2"] = StanceEntry{Stance::block, std::nullopt, stamp(2, sato)};
  s.proposals.push_back(open);
  Ranking ranking;
  ranking.id = "c1-r1";
  ranking.method = RankingMethod::dots;
  ranking.candidates = {"c1-i1"};
  ranking.opened = stamp(3);
  ranking.ballots["p2"] =
      Ballot{std::nullopt, std::map<std::string, std::int64_t>{{"c1-i1", 3}}, stamp(4, sato)};
  s.rankings.push_back(ranking);
  s.head = 4;
  Changes changes;
  changes.open_proposals = {&s.proposals[0]};
  changes.open_rankings = {&s.rankings[0]};
  const json::value c = json::parse(encode_changes(s, changes, "2026-11-24"));
  EXPECT_TRUE(c.at("since").is_null());
  EXPECT_EQ(c.at("head"), json::value(4));
  EXPECT_EQ(c.at("open_proposals"),
            json::parse(R"([{"id":"c1-pr1","kind":"direction","text":"方針案",
                             "opened_at":"2026-11-24T10:00:11.000Z",
                             "tally":{"agree":0,"abstain":0,"disagree":0,"block":1}}])"));
  EXPECT_EQ(c.at("open_rankings"),
            json::parse(R"([{"id":"c1-r1","method":"dots","candidates":["c1-i1"],"ballots":1,
                             "opened_at":"2026-11-24T10:00:13.000Z"}])"));
  // Ballot content never appears.
  EXPECT_EQ(encode_changes(s, changes, "2026-11-24").find("\"c1-i1\":3"), std::string::npos);
}

}  // namespace
}  // namespace renkei::protocol
