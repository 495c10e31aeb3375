// The consensus record: shape, key order, derived fields (issue status,
// live tally, vision) and ballot secrecy, on a state built by hand.
#include "protocol/record_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "domain/fold.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;
using namespace renkei::domain;

const Actor facilitator{"p1", "山田", "広島県北部保健所", Role::facilitator};
const Actor member{"p2", "佐藤", "北広島町", Role::member};
const Actor doctor{"p3", "田中", "山県郡医師会", Role::member};

Stamp stamp(std::uint64_t seq, const Actor& by, std::optional<std::string> meeting = "c1-m1") {
  return Stamp{seq, "2026-11-24T10:00:" + std::to_string(10 + seq) + ".000Z", by,
               std::move(meeting)};
}

CouncilState sample_state() {
  CouncilState s;
  s.council = "c1";
  s.name = "北広島圏域 在宅医療・介護連携推進会議";
  s.kind = CouncilKind::council;
  s.head = 30;
  s.live_meeting = "c1-m1";

  Meeting meeting;
  meeting.id = "c1-m1";
  meeting.title = "第1回";
  meeting.agenda = "chiiki";
  meeting.items = {AgendaItem{{"開会", "Opening"}, {"目的", "Purpose"}, {2}, 5, {}}};
  meeting.current_item = 0;
  meeting.started = stamp(1, facilitator);
  s.meetings.push_back(meeting);

  Issue open{"c1-i1",
             "退院調整ルールの運用に差がある",
             std::string("退院調整ルール"),
             stamp(2, member),
             std::nullopt,
             {"c1-i3"},
             {"c1-r1"}};
  Issue other{"c1-i2",  "訪問看護の人材不足", std::nullopt, stamp(3, doctor), std::nullopt, {},
              {"c1-r1"}};
  Issue merged{
      "c1-i3", "退院時の情報共有", std::nullopt, stamp(4, member), std::string("c1-i1"), {}, {}};
  Issue fresh{"c1-i4",      "新しい課題", std::nullopt, stamp(5, member, std::nullopt),
              std::nullopt, {},           {"c1-r2"}};
  s.issues = {open, other, merged, fresh};

  Ranking closed;
  closed.id = "c1-r1";
  closed.method = RankingMethod::borda;
  closed.candidates = {"c1-i1", "c1-i2"};
  closed.open = false;
  closed.ballots["p2"] =
      Ballot{std::vector<std::string>{"c1-i2", "c1-i1"}, std::nullopt, stamp(7, member)};
  closed.opened = stamp(6, facilitator);
  closed.closed = stamp(8, facilitator);
  closed.ballot_count = 1;
  closed.result = {{"c1-i2", 1, 1}, {"c1-i1", 2, 0}};
  Ranking live;
  live.id = "c1-r2";
  live.method = RankingMethod::dots;
  live.dots = 5;
  live.candidates = {"c1-i4"};
  live.open = true;
  live.ballots["p2"] =
      Ballot{std::nullopt, std::map<std::string, std::int64_t>{{"c1-i4", 4}}, stamp(10, member)};
  live.ballots["p3"] =
      Ballot{std::nullopt, std::map<std::string, std::int64_t>{{"c1-i4", 2}}, stamp(11, doctor)};
  live.opened = stamp(9, facilitator);
  s.rankings = {closed, live};

  Proposal old_vision;
  old_vision.id = "c1-pr1";
  old_vision.kind = ProposalKind::vision;
  old_vision.text = "旧ビジョン";
  old_vision.open = false;
  old_vision.opened = stamp(12, facilitator);
  old_vision.closed = stamp(13, facilitator);
  old_vision.adopted = true;
  old_vision.tally = Tally{3, 0, 0, 0};
  Proposal vision = old_vision;
  vision.id = "c1-pr2";
  vision.text = "誰もが住み慣れた地域で暮らし続けられる";
  vision.stances["p2"] = StanceEntry{Stance::agree, std::nullopt, stamp(15, member)};
  vision.stances["p1"] = StanceEntry{Stance::agree, std::string("賛成"), stamp(16, facilitator)};
  vision.opened = stamp(14, facilitator);
  vision.closed = stamp(17, facilitator);
  vision.tally = Tally{2, 0, 0, 0};
  Proposal direction;
  direction.id = "c1-pr3";
  direction.kind = ProposalKind::direction;
  direction.text = "退院調整ルールを全町で運用する";
  direction.open = true;
  direction.opened = stamp(18, facilitator);
  direction.stances["p3"] =
      StanceEntry{Stance::block, std::string("医師会で未協議"), stamp(19, doctor)};
  direction.stances["p2"] = StanceEntry{Stance::agree, std::nullopt, stamp(20, member)};
  s.proposals = {old_vision, vision, direction};
  s.adopted_visions = {"c1-pr1", "c1-pr2"};

  RoleAgreement role;
  role.id = "c1-ro1";
  role.title = "退院前カンファレンスの開催";
  role.owner_org = "北広島町";
  role.due = "2027-03-31";
  role.state = RoleState::agreed;
  role.status = RoleStatus::in_progress;
  role.proposed = stamp(21, facilitator);
  role.consents = {ConsentEntry{false, std::string("予算次第"), false, stamp(22, doctor)},
                   ConsentEntry{true, std::nullopt, true, stamp(23, member)}};
  role.statuses = {StatusEntry{RoleStatus::in_progress, std::string("着手"), stamp(24, member)}};
  s.roles = {role};

  Indicator indicator;
  indicator.id = "c1-in1";
  indicator.name = "退院時引継ぎ率";
  indicator.kind = IndicatorKind::process;
  indicator.unit = "%";
  indicator.target = 90.0;
  indicator.defined = stamp(25, facilitator);
  indicator.reports = {IndicatorReportEntry{90.4, "2026-11", stamp(26, member)}};
  s.indicators = {indicator};

  Theme theme;
  theme.name = "退院調整ルール";
  theme.stage = 3;
  theme.created = stamp(2, member);
  theme.changes = {StageChange{1, 3, "役割合意へ", stamp(27, facilitator)}};
  s.themes = {theme};
  return s;
}

std::vector<Actor> participants() { return {facilitator, member, doctor}; }

json::value record() { return json::parse(encode_record(sample_state(), participants())); }

const json::object& find_by(const json::value& array, std::string_view key, std::string_view id) {
  for (const json::value& entry : array.as_array())
    if (entry.at(key).as_string() == id) return entry.as_object();
  ADD_FAILURE() << "no " << id;
  static const json::object empty;
  return empty;
}

TEST(RecordCodec, TopLevelKeysInOrder) {
  const json::value r = record();
  std::vector<std::string> keys;
  for (const auto& entry : r.as_object()) keys.emplace_back(entry.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"council", "head", "live_meeting", "participants", "vision",
                                      "visions", "directions", "meetings", "issues", "rankings",
                                      "proposals", "roles", "indicators", "themes"}));
  EXPECT_EQ(r.at("council"),
            json::parse(
                R"({"id":"c1","name":"北広島圏域 在宅医療・介護連携推進会議","kind":"council"})"));
  EXPECT_EQ(r.at("head").as_int64(), 30);
  EXPECT_EQ(r.at("live_meeting").as_string(), "c1-m1");
  ASSERT_EQ(r.at("participants").as_array().size(), 3u);
  EXPECT_EQ(
      r.at("participants").at(2),
      json::parse(R"({"participant":"p3","name":"田中","org":"山県郡医師会","role":"member"})"));
}

TEST(RecordCodec, EmptyState) {
  CouncilState empty;
  empty.council = "c9";
  empty.name = "一対一";
  empty.kind = CouncilKind::one_on_one;
  const json::value r = json::parse(encode_record(empty, {}));
  EXPECT_TRUE(r.at("vision").is_null());
  EXPECT_TRUE(r.at("live_meeting").is_null());
  EXPECT_EQ(r.at("council").at("kind").as_string(), "one_on_one");
  for (const char* list : {"participants", "visions", "directions", "meetings", "issues",
                           "rankings", "proposals", "roles", "indicators", "themes"})
    EXPECT_TRUE(r.at(list).as_array().empty()) << list;
}

TEST(RecordCodec, VisionIsTheLastAdopted) {
  const json::value r = record();
  EXPECT_EQ(r.at("vision"),
            json::parse(R"({"proposal":"c1-pr2","text":"誰もが住み慣れた地域で暮らし続けられる",)"
                        R"("adopted_at":"2026-11-24T10:00:27.000Z","seq":17})"));
  ASSERT_EQ(r.at("visions").as_array().size(), 2u);
  EXPECT_EQ(r.at("visions").at(0).at("proposal").as_string(), "c1-pr1");
  EXPECT_TRUE(r.at("directions").as_array().empty());
}

TEST(RecordCodec, Meetings) {
  const json::value r = record();
  EXPECT_EQ(r.at("meetings").at(0), json::parse(R"({"id":"c1-m1","title":"第1回","agenda":"chiiki",
              "items":[{"title":{"ja":"開会","en":"Opening"},"purpose":{"ja":"目的","en":"Purpose"},
                        "stages":[2],"minutes":5,"actions":[]}],
              "current_item":0,"started_at":"2026-11-24T10:00:11.000Z",
              "started_by":{"participant":"p1","name":"山田","org":"広島県北部保健所"},
              "ended_at":null,"session":"open","attendance":[]})"));
}

TEST(RecordCodec, IssueStatus) {
  const json::value r = record();
  const json::value& issues = r.at("issues");
  EXPECT_EQ(find_by(issues, "id", "c1-i1").at("status").as_string(), "prioritised");
  EXPECT_EQ(find_by(issues, "id", "c1-i2").at("status").as_string(), "prioritised");
  EXPECT_EQ(find_by(issues, "id", "c1-i3").at("status").as_string(), "merged");
  // A candidate of a ranking that is still open is not yet prioritised.
  EXPECT_EQ(find_by(issues, "id", "c1-i4").at("status").as_string(), "open");
  EXPECT_EQ(
      json::value(find_by(issues, "id", "c1-i1")),
      json::parse(R"({"id":"c1-i1","text":"退院調整ルールの運用に差がある","theme":"退院調整ルール",
              "by":{"participant":"p2","name":"佐藤","org":"北広島町"},"at":"2026-11-24T10:00:12.000Z",
              "meeting":"c1-m1","status":"prioritised","merged_from":["c1-i3"],"rankings":["c1-r1"]})"));
  EXPECT_EQ(find_by(issues, "id", "c1-i3").at("merged_into").as_string(), "c1-i1");
  EXPECT_FALSE(find_by(issues, "id", "c1-i2").contains("theme"));
  EXPECT_TRUE(find_by(issues, "id", "c1-i4").at("meeting").is_null());
}

TEST(RecordCodec, RankingsNeverShowBallots) {
  const std::string text = encode_record(sample_state(), participants());
  const json::value r = json::parse(text);
  EXPECT_EQ(find_by(r.at("rankings"), "id", "c1-r1"),
            json::parse(R"({"id":"c1-r1","method":"borda","dots":3,"candidates":["c1-i1","c1-i2"],
              "open":false,"ballots":1,"opened_at":"2026-11-24T10:00:16.000Z",
              "closed_at":"2026-11-24T10:00:18.000Z",
              "result":[{"issue":"c1-i2","rank":1,"score":1},{"issue":"c1-i1","rank":2,"score":0}],
              "decision":true})")
                .as_object());
  const json::object& live = find_by(r.at("rankings"), "id", "c1-r2");
  EXPECT_EQ(live.at("ballots").as_int64(), 2);  // distinct voters so far
  EXPECT_TRUE(live.at("result").is_null());
  EXPECT_TRUE(live.at("closed_at").is_null());
  // No ballot content anywhere: the open dots ballots gave 4 and 2 dots.
  EXPECT_EQ(text.find("\"order\""), std::string::npos);
  EXPECT_EQ(text.find("\"c1-i4\":"), std::string::npos);
}

TEST(RecordCodec, ProposalsWithLiveTally) {
  const json::value r = record();
  const json::object& adopted = find_by(r.at("proposals"), "id", "c1-pr2");
  EXPECT_EQ(adopted.at("outcome").as_string(), "adopted");
  EXPECT_FALSE(adopted.at("open").as_bool());
  // Stances in the order they were taken, with who took them.
  EXPECT_EQ(
      adopted.at("stances"),
      json::parse(
          R"([{"participant":"p2","name":"佐藤","org":"北広島町","stance":"agree","at":"2026-11-24T10:00:25.000Z"},
              {"participant":"p1","name":"山田","org":"広島県北部保健所","stance":"agree","reason":"賛成","at":"2026-11-24T10:00:26.000Z"}])"));

  const json::object& open = find_by(r.at("proposals"), "id", "c1-pr3");
  EXPECT_TRUE(open.at("open").as_bool());
  EXPECT_TRUE(open.at("outcome").is_null());
  EXPECT_TRUE(open.at("closed_at").is_null());
  EXPECT_EQ(open.at("tally"), json::parse(R"({"agree":1,"abstain":0,"disagree":0,"block":1})"));
  EXPECT_EQ(open.at("kind").as_string(), "direction");
}

TEST(RecordCodec, Roles) {
  const json::value r = record();
  EXPECT_EQ(
      r.at("roles").at(0),
      json::parse(R"({"id":"c1-ro1","title":"退院前カンファレンスの開催","owner_org":"北広島町",
              "due":"2027-03-31","state":"agreed","status":"in_progress",
              "proposed_by":{"participant":"p1","name":"山田","org":"広島県北部保健所"},
              "at":"2026-11-24T10:00:31.000Z",
              "consents":[
                {"participant":"p3","name":"田中","org":"山県郡医師会","consent":false,"note":"予算次第","decisive":false,"at":"2026-11-24T10:00:32.000Z"},
                {"participant":"p2","name":"佐藤","org":"北広島町","consent":true,"decisive":true,"at":"2026-11-24T10:00:33.000Z"}],
              "statuses":[{"status":"in_progress","note":"着手",
                "by":{"participant":"p2","name":"佐藤","org":"北広島町"},"at":"2026-11-24T10:00:34.000Z"}]})"));
}

TEST(RecordCodec, RoleOfAnOrganisationShowsItsIdAndTheSeatsIds) {
  // v2: the owner's id and the participants' organisation ids, as logged.
  CouncilState s = sample_state();
  const Actor owner{"p2", "佐藤", "北広島町", Role::member, "o1"};
  s.roles[0].owner_org_id = "o1";
  s.roles[0].consents = {ConsentEntry{true, std::nullopt, true, stamp(23, owner)}};
  s.roles[0].statuses.clear();
  const json::value r = json::parse(encode_record(s, participants()));
  const json::object& role = r.at("roles").at(0).as_object();
  std::vector<std::string> keys;
  for (const auto& entry : role) keys.emplace_back(entry.key());
  ASSERT_GE(keys.size(), 4u);
  EXPECT_EQ(keys[2], "owner_org");
  EXPECT_EQ(keys[3], "owner_org_id");
  EXPECT_EQ(role.at("owner_org_id").as_string(), "o1");
  EXPECT_EQ(role.at("consents").at(0),
            json::parse(R"({"participant":"p2","name":"佐藤","org":"北広島町","org_id":"o1",)"
                        R"("consent":true,"decisive":true,"at":"2026-11-24T10:00:33.000Z"})"));
  // v1 (the sample): no owner_org_id, no org_id.
  EXPECT_FALSE(record().at("roles").at(0).as_object().contains("owner_org_id"));
}

TEST(RecordCodec, IndicatorsAndThemes) {
  const std::string text = encode_record(sample_state(), participants());
  const json::value r = json::parse(text);
  EXPECT_EQ(
      r.at("indicators").at(0),
      json::parse(R"({"id":"c1-in1","name":"退院時引継ぎ率","kind":"process","unit":"%","target":90,
              "defined_at":"2026-11-24T10:00:35.000Z",
              "reports":[{"value":90.4,"period":"2026-11",
                "by":{"participant":"p2","name":"佐藤","org":"北広島町"},"at":"2026-11-24T10:00:36.000Z"}]})"));
  EXPECT_NE(text.find("\"target\":90,"), std::string::npos);  // integral: no 9E1
  EXPECT_EQ(
      r.at("themes").at(0),
      json::parse(
          R"({"name":"退院調整ルール","stage":3,"history":[{"from":1,"to":3,"reason":"役割合意へ",
              "by":{"participant":"p1","name":"山田","org":"広島県北部保健所"},
              "at":"2026-11-24T10:00:37.000Z","seq":27,"meeting":"c1-m1"}]})"));
}

// Extension: which closed ranking counts, who adopted it, what replaced what;
// and the proposal a proposal revises.
TEST(RecordCodec, RankingAdoptionAndProposalRevision) {
  CouncilState state;
  state.council = "c1";
  const Actor chair{"p1", "山田", "保健所", Role::facilitator};
  const auto event = [&](EventData data) {
    Event e{state.head + 1, "2026-11-24T10:00:00.000Z", chair, std::nullopt, std::move(data)};
    apply(state, e);
  };
  event(IssuePosted{"c1-i1", "A", std::nullopt});
  event(RankingOpened{"c1-r1", {"c1-i1"}, RankingMethod::borda, 3});
  event(RankingClosed{"c1-r1", 0, {{"c1-i1", 1, 0}}});
  event(RankingOpened{"c1-r2", {"c1-i1"}, RankingMethod::dots, 3});
  event(RankingClosed{"c1-r2", 0, {{"c1-i1", 1, 0}}});
  event(RankingAdopted{"c1-r1", {}});  // seq 6
  event(RankingAdopted{"c1-r2", {"c1-r1"}});
  event(ProposalOpened{"c1-pr1", ProposalKind::vision, "案", std::nullopt});
  event(ProposalClosed{"c1-pr1", false, {}});
  event(ProposalOpened{"c1-pr2", ProposalKind::vision, "修正案", std::string("c1-pr1")});

  const json::value r = json::parse(encode_record(state, {}));
  const json::object& first = find_by(r.at("rankings"), "id", "c1-r1");
  EXPECT_EQ(first.at("decision"), json::value(false));
  EXPECT_EQ(first.at("replaced_by"), json::value("c1-r2"));
  EXPECT_EQ(first.at("adopted"), json::parse(R"({"seq":6,"at":"2026-11-24T10:00:00.000Z",
                            "by":{"participant":"p1","name":"山田","org":"保健所"}})"));
  const json::object& second = find_by(r.at("rankings"), "id", "c1-r2");
  EXPECT_EQ(second.at("decision"), json::value(true));
  EXPECT_FALSE(second.contains("replaced_by"));
  EXPECT_EQ(second.at("adopted").at("seq"), json::value(7));

  const json::object& rejected = find_by(r.at("proposals"), "id", "c1-pr1");
  EXPECT_EQ(rejected.at("revised_by"), json::value("c1-pr2"));
  EXPECT_FALSE(rejected.contains("revises"));
  const json::object& revised = find_by(r.at("proposals"), "id", "c1-pr2");
  EXPECT_EQ(revised.at("revises"), json::value("c1-pr1"));
  EXPECT_FALSE(revised.contains("revised_by"));
}

// text.redact (v1.1): the erased text is "" or left out, and the item says
// who erased it, when and why, as the last key of its object.
TEST(RecordCodec, RedactedItemsSayWhoWhenAndWhy) {
  CouncilState s = sample_state();
  const Redaction by_member{"氏名と年齢", stamp(40, member)};
  s.issues[0].text.clear();
  s.issues[0].redacted = by_member;
  s.roles[0].consents[0].note.reset();
  s.roles[0].consents[0].redacted = Redaction{"病名", stamp(41, facilitator)};
  const json::value r = json::parse(encode_record(s, participants()));
  const json::object& issue = find_by(r.at("issues"), "id", "c1-i1");
  EXPECT_EQ(issue.at("text").as_string(), "");
  EXPECT_EQ(issue.at("redacted"), json::parse(R"({"seq":40,"at":"2026-11-24T10:00:50.000Z",
      "by":{"participant":"p2","name":"佐藤","org":"北広島町"},"reason":"氏名と年齢"})"));
  EXPECT_EQ((issue.end() - 1)->key(), "redacted");
  const json::object& consent = r.at("roles").at(0).at("consents").at(0).as_object();
  EXPECT_FALSE(consent.contains("note"));
  EXPECT_EQ(consent.at("redacted").at("reason").as_string(), "病名");
  EXPECT_EQ(consent.at("redacted").at("by").at("participant").as_string(), "p1");
  EXPECT_FALSE(find_by(r.at("issues"), "id", "c1-i2").contains("redacted"));
}

}  // namespace
}  // namespace renkei::protocol
