// Event data and frames: exact round trips for every event type, the frame's
// shape, ballot secrecy, and number spelling.
#include "protocol/event_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <set>

namespace renkei::protocol {
namespace {

namespace json = boost::json;
using namespace renkei::domain;

AgendaItem item(const char* ja, int minutes, std::vector<int> stages,
                std::vector<std::string> actions) {
  return AgendaItem{
      {ja, "en"}, {"目的", "purpose"}, std::move(stages), minutes, std::move(actions)};
}

// Every event type, with optional fields both present and absent.
const Provenance promoted_from{"one_on_one", "2027-01-15"};
EventData promoted_issue() {
  IssuePosted d{"c1-i9", "訪問看護の空白", std::string("在宅医療")};
  d.provenance = promoted_from;
  return d;
}
EventData promoted_role() {
  RoleProposed d{"c1-ro9",     "連絡票の統一", "北広島町",         std::string("2027-03-31"),
                 std::nullopt, std::nullopt,   RoleState::proposed};
  d.owner_org_id = "o2";
  d.provenance = promoted_from;
  return d;
}
EventData promoted_direction() {
  ProposalOpened d{"c1-pr9", ProposalKind::direction, "方向性"};
  d.provenance = promoted_from;
  return d;
}

std::vector<EventData> samples() {
  return {
      MeetingStarted{
          "c1-m1",
          "第1回 地域共生ケア会議",
          std::string("chiiki"),
          {item("開会", 5, {2}, {}), item("課題の投稿", 15, {2, 3}, {"post_issues", "rank"})}},
      MeetingStarted{"c1-m2", "臨時", std::nullopt, {}},
      MeetingAdvanced{3},
      MeetingEnded{},
      IssuePosted{"c1-i1", "退院調整ルールの運用に差がある\n二行目", std::string("退院調整ルール")},
      IssuePosted{"c1-i2", "\"quoted\" \\ back\tslash", std::nullopt},
      IssueMerged{"c1-i2", "c1-i1"},
      RankingOpened{"c1-r1", {"c1-i1", "c1-i3"}, RankingMethod::dots, 5},
      RankingOpened{"c1-r2", {"c1-i1"}, RankingMethod::schulze, 3},
      RankingBallotCast{"c1-r2", "p3", std::vector<std::string>{"c1-i3", "c1-i1"}, std::nullopt},
      RankingBallotCast{"c1-r1", "p4", std::nullopt,
                        std::map<std::string, std::int64_t>{{"c1-i1", 3}, {"c1-i3", 0}}},
      RankingBallotCast{"c1-r1", "p5", std::nullopt, std::nullopt},
      RankingClosed{"c1-r1", 2, {{"c1-i1", 1, 5}, {"c1-i3", 2, 0}}},
      RankingClosed{"c1-r3", 0, {}},
      ProposalOpened{"c1-pr1", ProposalKind::vision, "誰もが住み慣れた地域で"},
      ProposalStanceTaken{"c1-pr1", Stance::block, std::string("財源")},
      ProposalStanceTaken{"c1-pr1", Stance::abstain, std::nullopt},
      ProposalClosed{"c1-pr1", true, {4, 1, 2, 0}},
      ProposalClosed{"c1-pr2", false, {0, 0, 0, 1}},
      RoleProposed{"c1-ro1", "カンファレンス", "北広島町", std::string("2027-03-31"),
                   std::string("詳細"), std::string("退院調整"), RoleState::proposed},
      RoleProposed{"c1-ro2", "t", "o", std::nullopt, std::nullopt, std::nullopt,
                   RoleState::proposed},
      RoleConsented{"c1-ro1", true, std::string("了解"), RoleState::agreed},
      RoleConsented{"c1-ro1", false, std::nullopt, RoleState::declined},
      RoleProposed{"c1-ro3", "t", "北広島町", std::nullopt, std::nullopt, std::nullopt,
                   RoleState::proposed, std::nullopt, false, "o1"},
      RoleConsented{"c1-ro3", true, std::nullopt, RoleState::agreed, false, "o1"},
      RoleStatusChanged{"c1-ro1", RoleStatus::in_progress, std::string("着手")},
      RoleStatusChanged{"c1-ro1", RoleStatus::done, std::nullopt},
      IndicatorDefined{"c1-in1", "退院時引継ぎ率", IndicatorKind::process, "%", 90.4, 69.1},
      IndicatorDefined{"c1-in2", "在宅死亡率", IndicatorKind::outcome, "%", std::nullopt,
                       std::nullopt},
      IndicatorReported{"c1-in1", 90.4, "2026-11"},
      IndicatorReported{"c1-in1", 0.1 + 0.2, "2026-11-24"},
      IndicatorReported{"c1-in1", -1e300, "2026-12"},
      ThemeStageSet{"退院調整ルール", 3, "役割合意へ", 2},
      ThemeStageSet{"新テーマ", 1, "r", 0},
      TextRedacted{"c1-i1", std::nullopt, "個人が特定できる"},
      TextRedacted{"c1-pr1", std::string("p3"), "病名が書かれている"},
      RankingAdopted{"c1-r4", {}},
      RankingAdopted{"c1-r5", {"c1-r1", "c1-r4"}},
      ProposalOpened{"c1-pr3", ProposalKind::direction, "修正案", std::string("c1-pr2")},
      PromotionProposed{"c5-pm1", {"c5-i2", "c5-ro1", "c5-pr3"}, "c1", std::string("メモ")},
      PromotionProposed{"c5-pm2", {"c5-i1"}, "prefecture", std::nullopt},
      PromotionConsented{"c5-pm1", true, PromotionState::agreed},
      PromotionConsented{"c5-pm2", false, PromotionState::declined},
      promoted_issue(),
      promoted_role(),
      promoted_direction(),
  };
}

// Structural equality of two EventData (the event structs have no operator==).
bool same(const EventData& a, const EventData& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& left) {
        using T = std::decay_t<decltype(left)>;
        const T& right = std::get<T>(b);
        if constexpr (std::is_same_v<T, MeetingStarted>)
          return left.meeting == right.meeting && left.title == right.title &&
                 left.agenda == right.agenda && left.items == right.items;
        else if constexpr (std::is_same_v<T, MeetingAdvanced>)
          return left.item == right.item;
        else if constexpr (std::is_same_v<T, MeetingEnded>)
          return true;
        else if constexpr (std::is_same_v<T, IssuePosted>)
          return left.issue == right.issue && left.text == right.text &&
                 left.theme == right.theme && left.provenance == right.provenance;
        else if constexpr (std::is_same_v<T, IssueMerged>)
          return left.from == right.from && left.into == right.into;
        else if constexpr (std::is_same_v<T, RankingOpened>)
          return left.ranking == right.ranking && left.candidates == right.candidates &&
                 left.method == right.method && left.dots == right.dots;
        else if constexpr (std::is_same_v<T, RankingBallotCast>)
          return left.ranking == right.ranking && left.participant == right.participant &&
                 left.order == right.order && left.dots == right.dots;
        else if constexpr (std::is_same_v<T, RankingClosed>)
          return left.ranking == right.ranking && left.ballots == right.ballots &&
                 left.result == right.result;
        else if constexpr (std::is_same_v<T, ProposalOpened>)
          return left.proposal == right.proposal && left.kind == right.kind &&
                 left.text == right.text && left.revises == right.revises &&
                 left.provenance == right.provenance;
        else if constexpr (std::is_same_v<T, ProposalStanceTaken>)
          return left.proposal == right.proposal && left.stance == right.stance &&
                 left.reason == right.reason;
        else if constexpr (std::is_same_v<T, ProposalClosed>)
          return left.proposal == right.proposal && left.adopted == right.adopted &&
                 left.tally == right.tally;
        else if constexpr (std::is_same_v<T, RoleProposed>)
          return left.role == right.role && left.title == right.title &&
                 left.owner_org == right.owner_org && left.due == right.due &&
                 left.detail == right.detail && left.theme == right.theme &&
                 left.state == right.state && left.owner_org_id == right.owner_org_id &&
                 left.provenance == right.provenance;
        else if constexpr (std::is_same_v<T, RoleConsented>)
          return left.role == right.role && left.consent == right.consent &&
                 left.note == right.note && left.state == right.state &&
                 left.owner_org_id == right.owner_org_id;
        else if constexpr (std::is_same_v<T, RoleStatusChanged>)
          return left.role == right.role && left.status == right.status && left.note == right.note;
        else if constexpr (std::is_same_v<T, IndicatorDefined>)
          return left.indicator == right.indicator && left.name == right.name &&
                 left.kind == right.kind && left.unit == right.unit &&
                 left.target == right.target && left.baseline == right.baseline;
        else if constexpr (std::is_same_v<T, IndicatorReported>)
          return left.indicator == right.indicator && left.value == right.value &&
                 left.period == right.period;
        else if constexpr (std::is_same_v<T, ThemeStageSet>)
          return left.theme == right.theme && left.stage == right.stage &&
                 left.reason == right.reason && left.previous == right.previous;
        else if constexpr (std::is_same_v<T, TextRedacted>)
          return left.target == right.target && left.participant == right.participant &&
                 left.reason == right.reason;
        else if constexpr (std::is_same_v<T, RankingAdopted>)
          return left.ranking == right.ranking && left.replaces == right.replaces;
        else if constexpr (std::is_same_v<T, PromotionProposed>)
          return left.promotion == right.promotion && left.items == right.items &&
                 left.target == right.target && left.note == right.note;
        else if constexpr (std::is_same_v<T, PromotionConsented>)
          return left.promotion == right.promotion && left.consent == right.consent &&
                 left.state == right.state;
      },
      a);
}

EventData round_trip(const EventData& data) {
  const std::string text = encode_event_data(data);
  auto decoded = decode_event_data(op_name(data), text);
  if (const auto* error = std::get_if<Error>(&decoded)) {
    ADD_FAILURE() << op_name(data) << " " << text << ": " << error->message;
    return data;
  }
  return std::get<EventData>(decoded);
}

Event sample_event(EventData data) {
  return Event{12, "2026-11-24T10:00:00.123Z", Actor{"p3", "佐藤", "北広島町", Role::member},
               std::string("c1-m2"), std::move(data)};
}

TEST(EventCodec, EveryEventTypeRoundTripsExactly) {
  std::set<std::size_t> covered;
  for (const EventData& data : samples()) {
    EXPECT_TRUE(same(data, round_trip(data))) << encode_event_data(data);
    covered.insert(data.index());
  }
  EXPECT_EQ(covered.size(), std::variant_size_v<EventData>);
}

TEST(EventCodec, ProvenanceIsWrittenOnlyOnPromotedItems) {
  EXPECT_EQ(encode_event_data(promoted_issue()),
            R"({"issue":"c1-i9","text":"訪問看護の空白","theme":"在宅医療",)"
            R"("provenance":{"source":"one_on_one","date":"2027-01-15"}})");
  EXPECT_EQ(encode_event_data(IssuePosted{"c1-i1", "t", std::nullopt}),
            R"({"issue":"c1-i1","text":"t"})");
  EXPECT_EQ(encode_event_data(PromotionConsented{"c5-pm1", true, PromotionState::agreed}),
            R"({"promotion":"c5-pm1","consent":true,"state":"agreed"})");
}

TEST(EventCodec, OptionalFieldsAreOmittedWhenAbsent) {
  const json::value issue = json::parse(encode_event_data(IssuePosted{"i", "t", std::nullopt}));
  EXPECT_FALSE(issue.as_object().contains("theme"));
  const json::value role = json::parse(encode_event_data(
      RoleProposed{"r", "t", "o", std::nullopt, std::nullopt, std::nullopt, RoleState::proposed}));
  EXPECT_FALSE(role.as_object().contains("due"));
  EXPECT_FALSE(role.as_object().contains("detail"));
  EXPECT_FALSE(role.as_object().contains("theme"));
  const json::value indicator = json::parse(encode_event_data(
      IndicatorDefined{"in", "n", IndicatorKind::structure, "u", std::nullopt, std::nullopt}));
  EXPECT_FALSE(indicator.as_object().contains("target"));
  EXPECT_FALSE(indicator.as_object().contains("baseline"));
  // meeting.started always carries agenda, null when none.
  const json::value meeting =
      json::parse(encode_event_data(MeetingStarted{"m", "t", std::nullopt, {}}));
  ASSERT_TRUE(meeting.as_object().contains("agenda"));
  EXPECT_TRUE(meeting.at("agenda").is_null());
}

TEST(EventCodec, DataShapes) {
  EXPECT_EQ(encode_event_data(MeetingEnded{}), "{}");
  EXPECT_EQ(encode_event_data(MeetingAdvanced{2}), R"({"item":2})");
  EXPECT_EQ(encode_event_data(IssuePosted{"c1-i7", "退院", std::string("t")}),
            R"({"issue":"c1-i7","text":"退院","theme":"t"})");
  EXPECT_EQ(encode_event_data(RankingOpened{"r1", {"i1", "i2"}, RankingMethod::borda, 3}),
            R"({"ranking":"r1","candidates":["i1","i2"],"method":"borda","dots":3})");
  EXPECT_EQ(encode_event_data(RankingClosed{"r1", 2, {{"i2", 1, 4}, {"i1", 2, 1}}}),
            R"({"ranking":"r1","ballots":2,"result":[{"issue":"i2","rank":1,"score":4},)"
            R"({"issue":"i1","rank":2,"score":1}]})");
  EXPECT_EQ(
      encode_event_data(ProposalClosed{"pr1", false, {1, 0, 2, 0}}),
      R"({"proposal":"pr1","outcome":"not_adopted","tally":{"agree":1,"abstain":0,"disagree":2,"block":0}})");
  EXPECT_EQ(encode_event_data(RoleConsented{"ro1", true, std::nullopt, RoleState::agreed}),
            R"({"role":"ro1","consent":true,"state":"agreed"})");
  EXPECT_EQ(encode_event_data(ThemeStageSet{"t", 2, "r", 1}),
            R"({"theme":"t","stage":2,"reason":"r","previous":1})");
  EXPECT_EQ(
      encode_event_data(
          MeetingStarted{"m1", "t", std::string("a"), {item("開会", 5, {2}, {"rank"})}}),
      R"({"meeting":"m1","title":"t","agenda":"a","items":[{"title":{"ja":"開会","en":"en"},)"
      R"("purpose":{"ja":"目的","en":"purpose"},"stages":[2],"minutes":5,"actions":["rank"]}]})");
}

TEST(EventCodec, FrameShape) {
  const std::string frame =
      encode_event_frame(sample_event(IssuePosted{"c1-i7", "退院調整", std::nullopt}));
  EXPECT_EQ(frame,
            R"({"type":"event","seq":12,"op":"issue.posted","at":"2026-11-24T10:00:00.123Z",)"
            R"("by":{"participant":"p3","name":"佐藤","org":"北広島町","role":"member"},)"
            R"("meeting":"c1-m2","data":{"issue":"c1-i7","text":"退院調整"}})");
}

TEST(EventCodec, FrameWithoutMeetingHasNull) {
  Event event = sample_event(MeetingEnded{});
  event.meeting.reset();
  const json::value frame = json::parse(encode_event_frame(event));
  EXPECT_TRUE(frame.at("meeting").is_null());
  EXPECT_EQ(frame.at("op").as_string(), "meeting.ended");
  EXPECT_TRUE(frame.at("data").as_object().empty());
}

TEST(EventCodec, FrameDataMatchesFullDataExceptBallots) {
  for (const EventData& data : samples()) {
    const json::value frame = json::parse(encode_event_frame(sample_event(data)));
    EXPECT_EQ(frame.at("op").as_string(), op_name(data));
    if (std::holds_alternative<RankingBallotCast>(data)) continue;
    EXPECT_EQ(frame.at("data"), json::parse(encode_event_data(data))) << op_name(data);
  }
}

TEST(EventCodec, BallotContentIsNeverInTheFrame) {
  const RankingBallotCast order{"r1", "p3", std::vector<std::string>{"i2", "i1"}, std::nullopt};
  const RankingBallotCast dots{"r1", "p4", std::nullopt,
                               std::map<std::string, std::int64_t>{{"i1", 3}}};
  for (const RankingBallotCast& ballot : {order, dots}) {
    const std::string frame = encode_event_frame(sample_event(ballot));
    const json::value parsed = json::parse(frame);
    EXPECT_EQ(parsed.at("data"),
              json::parse(R"({"ranking":"r1","participant":")" + ballot.participant + "\"}"));
    EXPECT_EQ(frame.find("i1"), std::string::npos) << frame;
  }
  // The log's data keeps it, so results can be recomputed on replay.
  EXPECT_EQ(encode_event_data(order), R"({"ranking":"r1","participant":"p3","order":["i2","i1"]})");
  EXPECT_EQ(encode_event_data(dots), R"({"ranking":"r1","participant":"p4","dots":{"i1":3}})");
}

TEST(EventCodec, IntegralDoublesAreWrittenAsIntegers) {
  EXPECT_EQ(encode_event_data(IndicatorReported{"in1", 90.0, "2026-11"}),
            R"({"indicator":"in1","value":90,"period":"2026-11"})");
  EXPECT_EQ(encode_event_data(IndicatorReported{"in1", -3.0, "2026-11"}),
            R"({"indicator":"in1","value":-3,"period":"2026-11"})");
  EXPECT_EQ(encode_event_data(IndicatorReported{"in1", 90.4, "2026-11"}),
            R"({"indicator":"in1","value":90.4,"period":"2026-11"})");
  EXPECT_EQ(
      encode_event_data(IndicatorDefined{"in1", "n", IndicatorKind::process, "%", 100.0, 0.5}),
      R"({"indicator":"in1","name":"n","kind":"process","unit":"%","target":100,"baseline":0.5})");
}

TEST(EventCodec, DoublesRoundTripBitForBit) {
  std::mt19937_64 random(20261124);
  std::vector<double> values = {
      0.1 + 0.2,           1e-300,   5e-324, 1.7976931348623157e308, 9007199254740993.0, 1e22,
      123456789.123456789, -0.000001};
  for (int i = 0; i < 2000; ++i) {
    const std::uint64_t bits = random();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (std::isfinite(v)) values.push_back(v);
  }
  for (const double v : values) {
    const EventData back = round_trip(IndicatorReported{"in1", v, "2026-11"});
    EXPECT_EQ(std::get<IndicatorReported>(back).value, v)
        << encode_event_data(IndicatorReported{"in1", v, "2026-11"});
  }
}

TEST(EventCodec, DecodeRefusesBrokenData) {
  const auto error_of = [](std::string_view op, std::string_view json_text) {
    auto result = decode_event_data(op, json_text);
    EXPECT_TRUE(std::holds_alternative<Error>(result)) << op << " " << json_text;
    return std::holds_alternative<Error>(result) ? std::get<Error>(result) : Error{};
  };
  EXPECT_EQ(error_of("issue.deleted", "{}").code, ErrorCode::internal);
  EXPECT_EQ(error_of("issue.posted", "{").code, ErrorCode::internal);
  EXPECT_EQ(error_of("issue.posted", "[]").code, ErrorCode::internal);
  const Error missing = error_of("issue.posted", R"({"issue":"i1"})");
  EXPECT_NE(missing.message.find("data.text"), std::string::npos) << missing.message;
  const Error method =
      error_of("ranking.opened", R"({"ranking":"r","candidates":[],"method":"x","dots":3})");
  EXPECT_NE(method.message.find("data.method"), std::string::npos) << method.message;
  const Error outcome = error_of(
      "proposal.closed",
      R"({"proposal":"p","outcome":"maybe","tally":{"agree":0,"abstain":0,"disagree":0,"block":0}})");
  EXPECT_NE(outcome.message.find("data.outcome"), std::string::npos) << outcome.message;
  const Error stage = error_of(
      "meeting.started",
      R"({"meeting":"m","title":"t","agenda":null,"items":[{"title":{"ja":"a","en":"b"},"purpose":{"ja":"a","en":"b"},"stages":["x"],"minutes":1,"actions":[]}]})");
  EXPECT_NE(stage.message.find("data.items[0].stages[0]"), std::string::npos) << stage.message;
}

// The mark a text.redact rewrite leaves in the log (the store writes it in
// SQL) reads back, and the codec writes it the same way.
TEST(EventCodec, RedactedMarkRoundTrips) {
  auto decoded = decode_event_data("proposal.stance_taken",
                                   R"({"proposal":"c1-pr1","stance":"block","redacted":true})");
  ASSERT_TRUE(std::holds_alternative<EventData>(decoded));
  const auto& stance = std::get<ProposalStanceTaken>(std::get<EventData>(decoded));
  EXPECT_TRUE(stance.redacted);
  EXPECT_FALSE(stance.reason);
  EXPECT_EQ(encode_event_data(stance), R"({"proposal":"c1-pr1","stance":"block","redacted":true})");
  IssuePosted issue{"c1-i1", "", std::nullopt};
  issue.redacted = true;
  EXPECT_EQ(encode_event_data(issue), R"({"issue":"c1-i1","text":"","redacted":true})");
  EXPECT_EQ(encode_event_data(TextRedacted{"c1-ro1", std::string("p3"), "氏名"}),
            R"({"target":"c1-ro1","participant":"p3","reason":"氏名"})");
}

TEST(EventCodec, RankingAdoptedLeavesOutAnEmptyReplaces) {
  EXPECT_EQ(encode_event_data(RankingAdopted{"c1-r2", {}}), R"({"ranking":"c1-r2"})");
  EXPECT_EQ(encode_event_data(RankingAdopted{"c1-r2", {"c1-r1"}}),
            R"({"ranking":"c1-r2","replaces":["c1-r1"]})");
  EXPECT_EQ(encode_event_data(ProposalOpened{"c1-pr2", ProposalKind::vision, "t", "c1-pr1"}),
            R"({"proposal":"c1-pr2","kind":"vision","text":"t","revises":"c1-pr1"})");
}

// The frame carries the personal-information kinds of the event's free
// texts, as the record flags them; nothing when there are none.
TEST(EventCodec, FrameCarriesThePiiKindsOfItsFreeTexts) {
  const auto pii_of = [](EventData data) -> json::value {
    const json::value frame = json::parse(encode_event_frame(sample_event(std::move(data))));
    const json::value* pii = frame.as_object().if_contains("pii");
    return pii ? *pii : json::value(nullptr);
  };
  EXPECT_EQ(pii_of(IssuePosted{"c1-i1", "山田太郎さん（82歳）の退院", std::nullopt}),
            json::parse(R"(["name_with_age"])"));
  EXPECT_EQ(pii_of(ProposalOpened{"c1-pr1", ProposalKind::vision, "連絡は090-1234-5678へ"}),
            json::parse(R"(["phone"])"));
  EXPECT_EQ(pii_of(ProposalStanceTaken{"c1-pr1", Stance::block,
                                       std::string("佐藤さん 90歳 の件。0826-72-2111")}),
            json::parse(R"(["name_with_age","phone"])"));
  EXPECT_EQ(pii_of(RoleProposed{"c1-ro1", "訪問", "町", std::nullopt,
                                std::string("昭和17年3月5日生まれの方"), std::nullopt,
                                RoleState::proposed}),
            json::parse(R"(["birth_date"])"));
  EXPECT_EQ(
      pii_of(RoleConsented{"c1-ro1", true, std::string("鈴木さん（79歳）担当"), RoleState::agreed}),
      json::parse(R"(["name_with_age"])"));
  EXPECT_EQ(pii_of(RoleStatusChanged{"c1-ro1", RoleStatus::done, std::string("TEL 090-1234-5678")}),
            json::parse(R"(["phone"])"));
  EXPECT_EQ(pii_of(ThemeStageSet{"退院", 2, "田中さん（88歳）の事例から", 1}),
            json::parse(R"(["name_with_age"])"));
  EXPECT_TRUE(
      pii_of(IssuePosted{"c1-i2", "退院調整ルールの運用に差がある", std::nullopt}).is_null());
  EXPECT_TRUE(pii_of(RankingAdopted{"c1-r1", {}}).is_null());
}

// v2 extensions: the owner's organisation id on role.proposed (and on a
// consent decided through a merge), the author's organisation id in "by".
// Absent, every v1 event and frame is written byte for byte as before.
TEST(EventCodec, OwnerOrgIdOnlyWhenKnown) {
  EXPECT_EQ(encode_event_data(RoleProposed{"c1-ro1", "研修", "北広島町", std::nullopt, std::nullopt,
                                           std::nullopt, RoleState::proposed}),
            R"({"role":"c1-ro1","title":"研修","owner_org":"北広島町","state":"proposed"})");
  EXPECT_EQ(encode_event_data(RoleProposed{"c1-ro1", "研修", "北広島町", std::nullopt, std::nullopt,
                                           std::nullopt, RoleState::proposed, std::string("c1-i2"),
                                           false, "o1"}),
            R"({"role":"c1-ro1","title":"研修","owner_org":"北広島町","state":"proposed",)"
            R"("issue":"c1-i2","owner_org_id":"o1"})");
  EXPECT_EQ(encode_event_data(
                RoleConsented{"c1-ro1", true, std::nullopt, RoleState::agreed, false, "o1"}),
            R"({"role":"c1-ro1","consent":true,"state":"agreed","owner_org_id":"o1"})");
  // Before the mark a redaction of the log appends at the end.
  EXPECT_EQ(
      encode_event_data(RoleProposed{"c1-ro1", "", "北広島町", std::nullopt, std::nullopt,
                                     std::nullopt, RoleState::proposed, std::nullopt, true, "o1"}),
      R"({"role":"c1-ro1","title":"","owner_org":"北広島町","state":"proposed",)"
      R"("owner_org_id":"o1","redacted":true})");
  // A v1 log row decodes with no id.
  const auto v1 = decode_event_data(
      "role.proposed", R"({"role":"c1-ro1","title":"t","owner_org":"町","state":"proposed"})");
  ASSERT_TRUE(std::holds_alternative<EventData>(v1));
  EXPECT_EQ(std::get<RoleProposed>(std::get<EventData>(v1)).owner_org_id, "");
}

TEST(EventCodec, ByCarriesOrgIdOnlyWhenTheSeatHasOne) {
  Event event = sample_event(IssuePosted{"c1-i7", "退院調整", std::nullopt});
  const std::string v1 = encode_event_frame(event);
  EXPECT_EQ(v1, R"({"type":"event","seq":12,"op":"issue.posted","at":"2026-11-24T10:00:00.123Z",)"
                R"("by":{"participant":"p3","name":"佐藤","org":"北広島町","role":"member"},)"
                R"("meeting":"c1-m2","data":{"issue":"c1-i7","text":"退院調整"}})");
  EXPECT_EQ(decode_frame_by_org_id(v1), "");

  event.by.org_id = "o1";
  const std::string v2 = encode_event_frame(event);
  EXPECT_EQ(v2,
            R"({"type":"event","seq":12,"op":"issue.posted","at":"2026-11-24T10:00:00.123Z",)"
            R"("by":{"participant":"p3","name":"佐藤","org":"北広島町","org_id":"o1",)"
            R"("role":"member"},"meeting":"c1-m2","data":{"issue":"c1-i7","text":"退院調整"}})");
  EXPECT_EQ(decode_frame_by_org_id(v2), "o1");

  // Only "by" counts: a text that mentions org_id is not an id.
  Event quoting = sample_event(IssuePosted{"c1-i8", R"({"org_id":"o5"})", std::nullopt});
  EXPECT_EQ(decode_frame_by_org_id(encode_event_frame(quoting)), "");
  EXPECT_EQ(decode_frame_by_org_id(R"({"by":{"org_id":)"), "");
}

}  // namespace
}  // namespace renkei::protocol
