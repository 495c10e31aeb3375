// Proxy input on the wire (CONTINUITY.md section 4, PROTOCOL.md "Proxy
// input"): cmd's on_behalf_of read or refused, the frame's entered_by
// written right after by and read back from a stored frame, frames without
// it unchanged, and the minutes naming who entered a line.
#include <gtest/gtest.h>

#include "domain/fold.hpp"
#include "domain/minutes.hpp"
#include "protocol/client_message.hpp"
#include "protocol/event_codec.hpp"
#include "protocol/minutes_render.hpp"

namespace renkei::protocol {
namespace {

using namespace renkei::domain;

const Actor chair{"p1", "山田", "保健所", Role::facilitator, "o1"};
const Actor sato{"p2", "佐藤", "北広島町", Role::member};

CmdMessage cmd_of(std::string_view text) {
  auto message = parse_client_message(text);
  EXPECT_TRUE(std::holds_alternative<CmdMessage>(message)) << text;
  if (!std::holds_alternative<CmdMessage>(message)) return {};
  return std::get<CmdMessage>(message);
}

TEST(ProxyInputCodec, OnBehalfOfIsReadAsGiven) {
  const auto cmd = cmd_of(
      R"({"type":"cmd","id":"k1","op":"issue.post","on_behalf_of":"p2","args":{"text":"a"}})");
  EXPECT_EQ(cmd.on_behalf_of, std::optional<std::string>("p2"));
  EXPECT_TRUE(std::holds_alternative<Command>(cmd.command));
  // Absent or null: none.
  EXPECT_FALSE(cmd_of(R"({"type":"cmd","id":"k1","op":"issue.post","args":{"text":"a"}})")
                   .on_behalf_of.has_value());
  const auto null = cmd_of(
      R"({"type":"cmd","id":"k1","op":"issue.post","on_behalf_of":null,"args":{"text":"a"}})");
  EXPECT_FALSE(null.on_behalf_of.has_value());
  EXPECT_TRUE(std::holds_alternative<Command>(null.command));
}

TEST(ProxyInputCodec, ABadOnBehalfOfIsABadRequest) {
  for (const char* value : {"1", "\"\"", "[]", "{}", "true", "\"p\\u0001\""}) {
    const auto cmd = cmd_of(
        std::string(
            R"({"type":"cmd","id":"k1","op":"issue.post","args":{"text":"a"},"on_behalf_of":)") +
        value + "}");
    ASSERT_TRUE(std::holds_alternative<Error>(cmd.command)) << value;
    EXPECT_EQ(std::get<Error>(cmd.command).code, ErrorCode::bad_request) << value;
    EXPECT_EQ(std::get<Error>(cmd.command).message.rfind("on_behalf_of: ", 0), 0u);
    EXPECT_EQ(cmd.id, "k1");  // still answerable by id
  }
}

Event proxied_issue() {
  Event event;
  event.seq = 7;
  event.at = "2026-11-24T10:00:00.000Z";
  event.by = sato;
  event.meeting = "c1-m1";
  event.data = IssuePosted{"c1-i1", "電話で", std::nullopt};
  return event;
}

TEST(ProxyInputCodec, EnteredByFollowsByAndIsReadBack) {
  Event event = proxied_issue();
  const std::string plain = encode_event_frame(event);
  EXPECT_EQ(plain.find("entered_by"), std::string::npos);
  EXPECT_FALSE(decode_frame_entered_by(plain).has_value());

  event.entered_by = chair;
  const std::string frame = encode_event_frame(event);
  EXPECT_EQ(frame,
            R"({"type":"event","seq":7,"op":"issue.posted","at":"2026-11-24T10:00:00.000Z",)"
            R"("by":{"participant":"p2","name":"佐藤","org":"北広島町","role":"member"},)"
            R"("entered_by":{"participant":"p1","name":"山田","org":"保健所","org_id":"o1",)"
            R"("role":"facilitator"},"meeting":"c1-m1","data":{"issue":"c1-i1","text":"電話で"}})");
  EXPECT_EQ(decode_frame_entered_by(frame), std::optional<Actor>(chair));
  // Without entered_by the frame is the one before, byte for byte.
  event.entered_by.reset();
  EXPECT_EQ(encode_event_frame(event), plain);
  // A damaged one reads as none.
  EXPECT_FALSE(decode_frame_entered_by(R"({"entered_by":{"participant":"p1"}})").has_value());
  EXPECT_FALSE(decode_frame_entered_by(R"({"entered_by":"p1")").has_value());
}

TEST(ProxyInputCodec, TheMinutesNameWhoEnteredItAndMarkTheAttendee) {
  CouncilState state;
  state.council = "c1";
  state.name = "協議会";
  std::vector<Event> events;
  const auto add = [&](const Actor& by, EventData data, std::optional<Actor> entered_by) {
    Event event;
    event.seq = state.head + 1;
    event.at = "2026-11-24T10:00:0" + std::to_string(event.seq) + ".000Z";
    event.by = by;
    event.meeting = "c1-m1";
    event.data = std::move(data);
    event.entered_by = std::move(entered_by);
    apply(state, event);
    events.push_back(event);
  };
  add(chair, MeetingStarted{"c1-m1", "第1回", std::nullopt, {}}, std::nullopt);
  add(sato, IssuePosted{"c1-i1", "電話で聞いた課題", std::nullopt}, chair);
  add(chair, IssuePosted{"c1-i2", "自分の課題", std::nullopt}, std::nullopt);
  const std::vector<RosterEntry> roster{{chair, true}, {sato, true}};
  const std::vector<Attendance> attendance{
      {"c1-m1", "p1", "2026-11-24T10:00:00.000Z", "2026-11-24T11:00:00.000Z", std::nullopt}};
  const auto minutes = build_minutes(state, "c1-m1", events, attendance, roster);
  ASSERT_TRUE(minutes.has_value());
  // 佐藤 took part by phone: an attendee, marked.
  EXPECT_EQ(minutes->attendee_count, 2u);
  EXPECT_EQ(minutes->absentee_count, 0u);
  const std::string md = render_minutes_markdown(*minutes);
  EXPECT_NE(md.find("「電話で聞いた課題」（北広島町 佐藤）（代理入力：山田）"), std::string::npos)
      << md;
  EXPECT_NE(md.find("佐藤（代理入力）"), std::string::npos) << md;
  EXPECT_EQ(md.find("「自分の課題」（保健所 山田）（代理入力"), std::string::npos) << md;
}

}  // namespace
}  // namespace renkei::protocol
