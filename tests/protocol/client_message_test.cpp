// Client message decoding: hello/cmd envelopes, the JSON limits, and every
// op's arguments, good and bad.
#include "protocol/client_message.hpp"

#include <gtest/gtest.h>

#include <string>

namespace renkei::protocol {
namespace {

using domain::Command;
using domain::Error;
using domain::ErrorCode;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Decodes args that must be accepted as command T.
template <typename T>
T accepted(std::string_view op, std::string_view args) {
  auto result = decode_command(op, args);
  if (const auto* error = std::get_if<Error>(&result)) {
    ADD_FAILURE() << op << " " << args << " refused: " << error->message;
    return T{};
  }
  const auto* command = std::get_if<T>(&std::get<Command>(result));
  if (!command) {
    ADD_FAILURE() << op << " decoded to another command";
    return T{};
  }
  return *command;
}

// Decodes args that must be refused; returns the error.
Error refused(std::string_view op, std::string_view args) {
  auto result = decode_command(op, args);
  if (!std::holds_alternative<Error>(result)) {
    ADD_FAILURE() << op << " " << args << " was accepted";
    return Error{};
  }
  return std::get<Error>(result);
}

// Expects a bad_request whose message names `field`.
void expect_bad(std::string_view op, std::string_view args, std::string_view field) {
  const Error error = refused(op, args);
  EXPECT_EQ(error.code, ErrorCode::bad_request) << args;
  EXPECT_TRUE(contains(error.message, field)) << args << " -> " << error.message;
}

std::string repeat(std::string_view unit, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.append(unit);
  return s;
}

// A JSON string literal of n copies of `unit` (which must need no escaping).
std::string quoted(std::string_view unit, std::size_t n) { return "\"" + repeat(unit, n) + "\""; }

Error message_error(std::string_view text) {
  ClientMessage message = parse_client_message(text);
  if (!std::holds_alternative<Error>(message)) {
    ADD_FAILURE() << text << " was accepted";
    return Error{};
  }
  return std::get<Error>(message);
}

CmdMessage cmd(std::string_view text) {
  ClientMessage message = parse_client_message(text);
  if (const auto* error = std::get_if<Error>(&message)) {
    ADD_FAILURE() << text << " refused: " << error->message;
    return CmdMessage{};
  }
  if (!std::holds_alternative<CmdMessage>(message)) {
    ADD_FAILURE() << text << " is not a cmd";
    return CmdMessage{};
  }
  return std::get<CmdMessage>(message);
}

// ---------------------------------------------------------------- envelope

TEST(ClientMessage, HelloWithEverything) {
  auto message =
      parse_client_message(R"({"type":"hello","token":"t0k","council":"c2","since":12})");
  ASSERT_TRUE(std::holds_alternative<HelloMessage>(message));
  const auto& hello = std::get<HelloMessage>(message);
  EXPECT_EQ(hello.council, "c2");
  ASSERT_TRUE(hello.token);
  EXPECT_EQ(*hello.token, "t0k");
  EXPECT_EQ(hello.since, 12u);
}

TEST(ClientMessage, PingIsAHeartbeat) {
  EXPECT_TRUE(std::holds_alternative<PingMessage>(parse_client_message(R"({"type":"ping"})")));
  EXPECT_TRUE(
      std::holds_alternative<PingMessage>(parse_client_message(R"({"type":"ping","n":1})")));
  EXPECT_EQ(message_error(R"({"type":"pong"})").code, ErrorCode::bad_request);
}

TEST(ClientMessage, HelloDefaults) {
  auto message = parse_client_message(R"({"type":"hello","council":"c2"})");
  ASSERT_TRUE(std::holds_alternative<HelloMessage>(message));
  const auto& hello = std::get<HelloMessage>(message);
  EXPECT_FALSE(hello.token);
  EXPECT_EQ(hello.since, 0u);
}

TEST(ClientMessage, HelloLargeSince) {
  auto message =
      parse_client_message(R"({"type":"hello","council":"c2","since":18446744073709551615})");
  ASSERT_TRUE(std::holds_alternative<HelloMessage>(message));
  EXPECT_EQ(std::get<HelloMessage>(message).since, 18446744073709551615u);
}

TEST(ClientMessage, HelloBadSince) {
  for (const char* since : {"-1", "1.5", "2.0", "\"3\"", "true", "[]"}) {
    const Error e =
        message_error(std::string(R"({"type":"hello","council":"c2","since":)") + since + "}");
    EXPECT_EQ(e.code, ErrorCode::bad_request) << since;
    EXPECT_TRUE(contains(e.message, "since")) << e.message;
  }
}

TEST(ClientMessage, HelloBadCouncilAndToken) {
  EXPECT_TRUE(contains(message_error(R"({"type":"hello"})").message, "council"));
  EXPECT_TRUE(contains(message_error(R"({"type":"hello","council":7})").message, "council"));
  EXPECT_TRUE(contains(message_error(R"({"type":"hello","council":"  "})").message, "council"));
  EXPECT_TRUE(contains(
      message_error(R"({"type":"hello","council":)" + quoted("c", 101) + "}").message, "council"));
  EXPECT_TRUE(
      contains(message_error(R"({"type":"hello","council":"c1","token":5})").message, "token"));
  EXPECT_TRUE(std::holds_alternative<HelloMessage>(
      parse_client_message(R"({"type":"hello","council":)" + quoted("c", 100) + "}")));
}

TEST(ClientMessage, MalformedJson) {
  for (const char* text : {"", "{", "{\"type\":\"hello\"", "nope", "{\"a\":1,}", "{} {}",
                           "{\"type\":\"hello\",\"council\":\"c1\"} x"}) {
    const Error e = message_error(text);
    EXPECT_EQ(e.code, ErrorCode::bad_request) << text;
    EXPECT_EQ(e.message, "JSONとして読めません / malformed JSON") << text;
  }
}

TEST(ClientMessage, InvalidUtf8IsMalformed) {
  const Error e = message_error("{\"type\":\"hello\",\"council\":\"\xff\"}");
  EXPECT_EQ(e.code, ErrorCode::bad_request);
}

TEST(ClientMessage, NotAnObject) {
  for (const char* text : {"[]", "\"hello\"", "1", "null", "true"}) {
    const Error e = message_error(text);
    EXPECT_EQ(e.code, ErrorCode::bad_request) << text;
    EXPECT_TRUE(contains(e.message, "object")) << e.message;
  }
}

// The outermost object counts as depth 1.
std::string nested_hello(std::size_t depth) {
  return R"({"type":"hello","council":"c1","x":)" + repeat("[", depth - 1) +
         repeat("]", depth - 1) + "}";
}

TEST(ClientMessage, Depth64AcceptedAnd65Refused) {
  EXPECT_TRUE(std::holds_alternative<HelloMessage>(parse_client_message(nested_hello(64))));
  const Error e = message_error(nested_hello(65));
  EXPECT_EQ(e.code, ErrorCode::bad_request);
  EXPECT_TRUE(contains(e.message, "64")) << e.message;
}

TEST(ClientMessage, DepthLimitIsConfigurable) {
  EXPECT_TRUE(std::holds_alternative<Error>(parse_client_message(nested_hello(10), {9})));
  EXPECT_TRUE(std::holds_alternative<HelloMessage>(parse_client_message(nested_hello(9), {9})));
}

TEST(ClientMessage, NonFiniteNumbersRefusedAnywhere) {
  for (
      const char* text :
      {R"({"type":"hello","council":"c1","extra":1e999})",
       R"({"type":"hello","council":"c1","extra":[{"deep":-1e999}]})",
       R"({"type":"cmd","id":"a","op":"indicator.report","args":{"indicator":"x","value":1e999,"period":"2026-11"}})",
       R"({"type":"hello","council":"c1","extra":1e99999999999999})"}) {
    const Error e = message_error(text);
    EXPECT_EQ(e.code, ErrorCode::bad_request) << text;
    EXPECT_TRUE(contains(e.message, "non-finite")) << e.message;
  }
}

TEST(ClientMessage, TinyNumbersAreFinite) {
  EXPECT_TRUE(std::holds_alternative<HelloMessage>(
      parse_client_message(R"({"type":"hello","council":"c1","extra":1e-999})")));
}

TEST(ClientMessage, UnknownOrMissingType) {
  for (const char* text : {R"({"type":"bye"})", R"({"council":"c1"})", R"({"type":1})",
                           R"({"type":"event","seq":1})"}) {
    const Error e = message_error(text);
    EXPECT_EQ(e.code, ErrorCode::bad_request) << text;
    EXPECT_TRUE(contains(e.message, "type")) << e.message;
  }
}

TEST(ClientMessage, CmdDecoded) {
  const CmdMessage c =
      cmd(R"({"type":"cmd","id":"k1","op":"issue.post","args":{"text":"退院調整"}})");
  EXPECT_EQ(c.id, "k1");
  EXPECT_EQ(c.op, "issue.post");
  ASSERT_TRUE(std::holds_alternative<Command>(c.command));
  ASSERT_TRUE(std::holds_alternative<domain::IssuePost>(std::get<Command>(c.command)));
  EXPECT_EQ(std::get<domain::IssuePost>(std::get<Command>(c.command)).text, "退院調整");
}

TEST(ClientMessage, CmdBadIdsRefuseTheWholeMessage) {
  const std::string tail = R"(,"op":"meeting.end","args":{}})";
  for (const std::string& id :
       {std::string(R"("id":"")"), R"("id":)" + quoted("a", 65), std::string(R"("id":7)"),
        std::string(R"("id":null)"), std::string(R"("id":"a\u0001b")"), std::string(R"("x":1)")}) {
    const Error e = message_error(R"({"type":"cmd",)" + id + tail);
    EXPECT_EQ(e.code, ErrorCode::bad_request) << id;
    EXPECT_TRUE(contains(e.message, "id")) << e.message;
  }
}

TEST(ClientMessage, CmdIdLengthCountsCodePoints) {
  const std::string tail = R"(,"op":"meeting.end"})";
  EXPECT_EQ(cmd(R"({"type":"cmd","id":)" + quoted("a", 64) + tail).id, repeat("a", 64));
  EXPECT_EQ(cmd(R"({"type":"cmd","id":)" + quoted("議", 64) + tail).id, repeat("議", 64));
  EXPECT_TRUE(std::holds_alternative<Error>(
      parse_client_message(R"({"type":"cmd","id":)" + quoted("議", 65) + tail)));
}

TEST(ClientMessage, CmdUnknownOpKeepsTheId) {
  const CmdMessage c = cmd(R"({"type":"cmd","id":"k9","op":"issue.delete","args":{}})");
  EXPECT_EQ(c.id, "k9");
  EXPECT_EQ(c.op, "issue.delete");
  ASSERT_TRUE(std::holds_alternative<Error>(c.command));
  EXPECT_EQ(std::get<Error>(c.command).code, ErrorCode::unknown_op);
}

TEST(ClientMessage, CmdMissingOrMistypedOpKeepsTheId) {
  for (const char* text : {R"({"type":"cmd","id":"k2"})", R"({"type":"cmd","id":"k2","op":3})"}) {
    const CmdMessage c = cmd(text);
    EXPECT_EQ(c.id, "k2");
    ASSERT_TRUE(std::holds_alternative<Error>(c.command));
    EXPECT_EQ(std::get<Error>(c.command).code, ErrorCode::bad_request);
    EXPECT_TRUE(contains(std::get<Error>(c.command).message, "op"));
  }
}

TEST(ClientMessage, CmdArgsAbsentMeansEmpty) {
  const CmdMessage end = cmd(R"({"type":"cmd","id":"k3","op":"meeting.end"})");
  ASSERT_TRUE(std::holds_alternative<Command>(end.command));
  EXPECT_TRUE(std::holds_alternative<domain::MeetingEnd>(std::get<Command>(end.command)));

  const CmdMessage post = cmd(R"({"type":"cmd","id":"k4","op":"issue.post"})");
  ASSERT_TRUE(std::holds_alternative<Error>(post.command));
  EXPECT_EQ(std::get<Error>(post.command).code, ErrorCode::bad_request);
  EXPECT_TRUE(contains(std::get<Error>(post.command).message, "args.text"));
}

TEST(ClientMessage, CmdArgsMustBeAnObject) {
  for (const char* args : {"[]", "\"x\"", "null", "1"}) {
    const CmdMessage c =
        cmd(std::string(R"({"type":"cmd","id":"k5","op":"meeting.end","args":)") + args + "}");
    ASSERT_TRUE(std::holds_alternative<Error>(c.command)) << args;
    EXPECT_EQ(std::get<Error>(c.command).code, ErrorCode::bad_request);
    EXPECT_TRUE(contains(std::get<Error>(c.command).message, "args"));
  }
}

TEST(ClientMessage, CmdArgErrorKeepsTheId) {
  const CmdMessage c = cmd(R"({"type":"cmd","id":"k6","op":"issue.post","args":{"text":5}})");
  EXPECT_EQ(c.id, "k6");
  ASSERT_TRUE(std::holds_alternative<Error>(c.command));
  EXPECT_EQ(std::get<Error>(c.command).message,
            "args.text: 文字列が必要です / args.text: a string is required");
}

TEST(DecodeCommand, UnknownOpAndBadArgsJson) {
  EXPECT_EQ(refused("issue.remove", "{}").code, ErrorCode::unknown_op);
  EXPECT_EQ(refused("issue.post", "{").code, ErrorCode::bad_request);
  EXPECT_EQ(refused("issue.post", "[]").code, ErrorCode::bad_request);
  EXPECT_EQ(refused("issue.post", R"({"text":"x","n":1e999})").code, ErrorCode::bad_request);
}

// ------------------------------------------------------------------ string rules

TEST(DecodeCommand, StringsAreTrimmed) {
  const auto c = accepted<domain::IssuePost>(
      "issue.post", "{\"text\":\"\u3000 退院調整 \\n\",\"theme\":\" 認知症 \"}");
  EXPECT_EQ(c.text, "退院調整");
  ASSERT_TRUE(c.theme);
  EXPECT_EQ(*c.theme, "認知症");
}

TEST(DecodeCommand, RequiredStringEmptyAfterTrim) {
  expect_bad("issue.post", "{\"text\":\" \u3000\\t\"}", "args.text");
  expect_bad("issue.post", R"({"text":""})", "args.text");
}

TEST(DecodeCommand, OptionalStringEmptyOrNullIsAbsent) {
  EXPECT_FALSE(accepted<domain::IssuePost>("issue.post", R"({"text":"a","theme":"  "})").theme);
  EXPECT_FALSE(accepted<domain::IssuePost>("issue.post", R"({"text":"a","theme":null})").theme);
  EXPECT_FALSE(accepted<domain::IssuePost>("issue.post", R"({"text":"a"})").theme);
  expect_bad("issue.post", R"({"text":"a","theme":3})", "args.theme");
}

TEST(DecodeCommand, LengthsCountCodePoints) {
  EXPECT_EQ(accepted<domain::IssuePost>("issue.post", "{\"text\":" + quoted("課", 2000) + "}").text,
            repeat("課", 2000));
  expect_bad("issue.post", "{\"text\":" + quoted("課", 2001) + "}", "args.text");
  expect_bad("issue.post", "{\"text\":\"a\",\"theme\":" + quoted("テ", 101) + "}", "args.theme");
}

TEST(DecodeCommand, ControlCharacters) {
  // Free text keeps line breaks and tabs, refuses other controls.
  EXPECT_EQ(accepted<domain::IssuePost>("issue.post", R"({"text":"a\nb\tc\r\nd"})").text,
            "a\nb\tc\r\nd");
  expect_bad("issue.post", R"({"text":"a\u0001b"})", "args.text");
  expect_bad("issue.post", R"({"text":"a\u007fb"})", "args.text");
  expect_bad("issue.post", R"({"text":"a\u0085b"})", "args.text");
  // Single-line fields refuse line breaks too.
  expect_bad("meeting.start", R"({"title":"a\nb"})", "args.title");
  expect_bad("issue.post", R"({"text":"a","theme":"x\ty"})", "args.theme");
}

TEST(DecodeCommand, UnknownArgsIgnored) {
  EXPECT_EQ(
      accepted<domain::IssueMerge>("issue.merge", R"({"from":"i1","into":"i2","why":[1]})").into,
      "i2");
}

// -------------------------------------------------------------------- per op

TEST(DecodeCommand, MeetingStart) {
  auto c = accepted<domain::MeetingStart>("meeting.start",
                                          R"({"title":"第3回 会議","agenda":"chiiki"})");
  EXPECT_EQ(c.title, "第3回 会議");
  ASSERT_TRUE(c.agenda);
  EXPECT_EQ(*c.agenda, "chiiki");
  EXPECT_TRUE(c.items.empty());
  EXPECT_FALSE(accepted<domain::MeetingStart>("meeting.start", R"({"title":"x"})").agenda);
  EXPECT_EQ(accepted<domain::MeetingStart>("meeting.start", "{\"title\":" + quoted("会", 200) + "}")
                .title.size(),
            600u);

  expect_bad("meeting.start", "{}", "args.title");
  expect_bad("meeting.start", R"({"title":1})", "args.title");
  expect_bad("meeting.start", "{\"title\":" + quoted("会", 201) + "}", "args.title");
  expect_bad("meeting.start", R"({"title":"x","agenda":{}})", "args.agenda");
  expect_bad("meeting.start", "{\"title\":\"x\",\"agenda\":" + quoted("a", 101) + "}",
             "args.agenda");
}

TEST(DecodeCommand, MeetingAdvance) {
  EXPECT_EQ(accepted<domain::MeetingAdvance>("meeting.advance", R"({"item":2})").item, 2);
  EXPECT_EQ(accepted<domain::MeetingAdvance>("meeting.advance", R"({"item":0})").item, 0);
  EXPECT_EQ(accepted<domain::MeetingAdvance>("meeting.advance", R"({"item":3.0})").item, 3);
  expect_bad("meeting.advance", "{}", "args.item");
  expect_bad("meeting.advance", R"({"item":-1})", "args.item");
  expect_bad("meeting.advance", R"({"item":1.5})", "args.item");
  expect_bad("meeting.advance", R"({"item":"1"})", "args.item");
  expect_bad("meeting.advance", R"({"item":18446744073709551615})", "args.item");
}

TEST(DecodeCommand, MeetingEnd) {
  for (const char* args : {"{}", R"({"anything":true})"}) {
    auto result = decode_command("meeting.end", args);
    ASSERT_TRUE(std::holds_alternative<Command>(result)) << args;
    EXPECT_TRUE(std::holds_alternative<domain::MeetingEnd>(std::get<Command>(result)));
  }
}

TEST(DecodeCommand, IssuePost) {
  auto c = accepted<domain::IssuePost>(
      "issue.post", R"({"text":"退院調整ルールの運用に差がある","theme":"退院調整ルール"})");
  EXPECT_EQ(c.text, "退院調整ルールの運用に差がある");
  EXPECT_EQ(c.theme, std::optional<std::string>("退院調整ルール"));
  expect_bad("issue.post", "{}", "args.text");
  expect_bad("issue.post", R"({"text":["x"]})", "args.text");
}

TEST(DecodeCommand, IssueMerge) {
  auto c = accepted<domain::IssueMerge>("issue.merge", R"({"from":"c1-i2","into":"c1-i1"})");
  EXPECT_EQ(c.from, "c1-i2");
  EXPECT_EQ(c.into, "c1-i1");
  expect_bad("issue.merge", R"({"from":"c1-i2"})", "args.into");
  expect_bad("issue.merge", R"({"from":2,"into":"c1-i1"})", "args.from");
  expect_bad("issue.merge", "{\"from\":" + quoted("i", 101) + ",\"into\":\"x\"}", "args.from");
}

TEST(DecodeCommand, RankingOpen) {
  auto c = accepted<domain::RankingOpen>(
      "ranking.open", R"({"candidates":["i1","i2","i3"],"method":"dots","dots":5})");
  EXPECT_EQ(c.candidates, (std::vector<std::string>{"i1", "i2", "i3"}));
  EXPECT_EQ(c.method, domain::RankingMethod::dots);
  EXPECT_EQ(c.dots, 5);
  auto d =
      accepted<domain::RankingOpen>("ranking.open", R"({"candidates":["i1"],"method":"borda"})");
  EXPECT_EQ(d.method, domain::RankingMethod::borda);
  EXPECT_EQ(d.dots, 3);
  EXPECT_EQ(accepted<domain::RankingOpen>("ranking.open",
                                          R"({"candidates":["i1"],"method":"schulze","dots":100})")
                .dots,
            100);

  expect_bad("ranking.open", R"({"method":"schulze"})", "args.candidates");
  expect_bad("ranking.open", R"({"candidates":[],"method":"schulze"})", "args.candidates");
  expect_bad("ranking.open", R"({"candidates":"i1","method":"schulze"})", "args.candidates");
  expect_bad("ranking.open", R"({"candidates":["i1",2],"method":"schulze"})", "args.candidates[1]");
  expect_bad("ranking.open", R"({"candidates":["i1","i1"],"method":"schulze"})",
             "args.candidates[1]");
  std::string many = "[";
  for (int i = 0; i < 101; ++i) many += (i ? ",\"i" : "\"i") + std::to_string(i) + "\"";
  many += "]";
  expect_bad("ranking.open", R"({"method":"borda","candidates":)" + many + "}", "args.candidates");
  expect_bad("ranking.open", R"({"candidates":["i1"]})", "args.method");
  expect_bad("ranking.open", R"({"candidates":["i1"],"method":"condorcet"})", "args.method");
  expect_bad("ranking.open", R"({"candidates":["i1"],"method":"dots","dots":0})", "args.dots");
  expect_bad("ranking.open", R"({"candidates":["i1"],"method":"dots","dots":101})", "args.dots");
  expect_bad("ranking.open", R"({"candidates":["i1"],"method":"dots","dots":2.5})", "args.dots");
}

TEST(DecodeCommand, RankingBallotOrder) {
  auto c =
      accepted<domain::RankingBallot>("ranking.ballot", R"({"ranking":"r1","order":["i2","i1"]})");
  EXPECT_EQ(c.ranking, "r1");
  ASSERT_TRUE(c.order);
  EXPECT_EQ(*c.order, (std::vector<std::string>{"i2", "i1"}));
  EXPECT_FALSE(c.dots);
  expect_bad("ranking.ballot", R"({"ranking":"r1","order":"i1"})", "args.order");
  expect_bad("ranking.ballot", R"({"ranking":"r1","order":["i1",{}]})", "args.order[1]");
  expect_bad("ranking.ballot", R"({"ranking":"r1","order":["i1","i1"]})", "args.order[1]");
  std::string many = "[";
  for (int i = 0; i < 101; ++i) many += (i ? ",\"i" : "\"i") + std::to_string(i) + "\"";
  many += "]";
  expect_bad("ranking.ballot", R"({"ranking":"r1","order":)" + many + "}", "args.order");
}

TEST(DecodeCommand, RankingBallotDots) {
  auto c = accepted<domain::RankingBallot>(
      "ranking.ballot", R"({"ranking":"r1","dots":{"i1":2,"i2":0,"i3":1.0},"order":null})");
  ASSERT_TRUE(c.dots);
  EXPECT_EQ(*c.dots, (std::map<std::string, std::int64_t>{{"i1", 2}, {"i2", 0}, {"i3", 1}}));
  EXPECT_FALSE(c.order);
  expect_bad("ranking.ballot", R"({"ranking":"r1","dots":{"i1":-1}})", "args.dots.i1");
  expect_bad("ranking.ballot", R"({"ranking":"r1","dots":{"i1":1.5}})", "args.dots.i1");
  expect_bad("ranking.ballot", R"({"ranking":"r1","dots":{"i1":"2"}})", "args.dots.i1");
  expect_bad("ranking.ballot", R"({"ranking":"r1","dots":{"i1":101}})", "args.dots.i1");
  expect_bad("ranking.ballot", R"({"ranking":"r1","dots":{" ":1}})", "args.dots");
  expect_bad("ranking.ballot", R"({"ranking":"r1","dots":{"i1":1," i1":1}})", "args.dots");
  expect_bad("ranking.ballot", R"({"ranking":"r1","dots":[1]})", "args.dots");
  std::string many = "{";
  for (int i = 0; i < 101; ++i) many += (i ? ",\"i" : "\"i") + std::to_string(i) + "\":0";
  many += "}";
  expect_bad("ranking.ballot", R"({"ranking":"r1","dots":)" + many + "}", "args.dots");
}

TEST(DecodeCommand, RankingBallotExactlyOneOfOrderAndDots) {
  expect_bad("ranking.ballot", R"({"ranking":"r1","order":["i1"],"dots":{"i1":1}})", "order");
  expect_bad("ranking.ballot", R"({"ranking":"r1"})", "order");
  expect_bad("ranking.ballot", R"({"order":["i1"]})", "args.ranking");
}

TEST(DecodeCommand, RankingClose) {
  EXPECT_EQ(accepted<domain::RankingClose>("ranking.close", R"({"ranking":"c1-r1"})").ranking,
            "c1-r1");
  expect_bad("ranking.close", "{}", "args.ranking");
}

TEST(DecodeCommand, ProposalOpen) {
  auto c = accepted<domain::ProposalOpen>("proposal.open",
                                          R"({"kind":"direction","text":"在宅医療を\n広げる"})");
  EXPECT_EQ(c.kind, domain::ProposalKind::direction);
  EXPECT_EQ(c.text, "在宅医療を\n広げる");
  EXPECT_EQ(accepted<domain::ProposalOpen>("proposal.open", R"({"kind":"vision","text":"x"})").kind,
            domain::ProposalKind::vision);
  expect_bad("proposal.open", R"({"kind":"policy","text":"x"})", "args.kind");
  expect_bad("proposal.open", R"({"kind":"vision"})", "args.text");
  expect_bad("proposal.open", "{\"kind\":\"vision\",\"text\":" + quoted("あ", 2001) + "}",
             "args.text");
}

TEST(DecodeCommand, ProposalStance) {
  const std::pair<const char*, domain::Stance> stances[] = {{"agree", domain::Stance::agree},
                                                            {"abstain", domain::Stance::abstain},
                                                            {"disagree", domain::Stance::disagree},
                                                            {"block", domain::Stance::block}};
  for (const auto& [word, stance] : stances) {
    auto c = accepted<domain::ProposalStance>(
        "proposal.stance", std::string(R"({"proposal":"p1","stance":")") + word + "\"}");
    EXPECT_EQ(c.stance, stance);
    EXPECT_FALSE(c.reason);
  }
  auto c = accepted<domain::ProposalStance>(
      "proposal.stance", R"({"proposal":"p1","stance":"block","reason":"財源が未定"})");
  EXPECT_EQ(c.reason, std::optional<std::string>("財源が未定"));
  expect_bad("proposal.stance", R"({"proposal":"p1","stance":"yes"})", "args.stance");
  expect_bad("proposal.stance", R"({"proposal":"p1"})", "args.stance");
  expect_bad("proposal.stance", R"({"stance":"agree"})", "args.proposal");
  expect_bad("proposal.stance", R"({"proposal":"p1","stance":"agree","reason":false})",
             "args.reason");
}

TEST(DecodeCommand, ProposalClose) {
  EXPECT_EQ(accepted<domain::ProposalClose>("proposal.close", R"({"proposal":"p1"})").proposal,
            "p1");
  expect_bad("proposal.close", R"({"proposal":""})", "args.proposal");
}

TEST(DecodeCommand, RolePropose) {
  auto c = accepted<domain::RolePropose>(
      "role.propose",
      R"({"title":"退院前カンファレンスの開催","owner_org":"北広島町","due":"2027-03-31","detail":"月1回","theme":"退院調整"})");
  EXPECT_EQ(c.title, "退院前カンファレンスの開催");
  EXPECT_EQ(c.owner_org, "北広島町");
  EXPECT_EQ(c.due, std::optional<std::string>("2027-03-31"));
  EXPECT_EQ(c.detail, std::optional<std::string>("月1回"));
  EXPECT_EQ(c.theme, std::optional<std::string>("退院調整"));
  auto bare = accepted<domain::RolePropose>("role.propose", R"({"title":"t","owner_org":"o"})");
  EXPECT_FALSE(bare.due);
  EXPECT_FALSE(bare.detail);
  EXPECT_FALSE(bare.theme);
  EXPECT_EQ(accepted<domain::RolePropose>("role.propose",
                                          R"({"title":"t","owner_org":"o","due":"2028-02-29"})")
                .due,
            std::optional<std::string>("2028-02-29"));

  expect_bad("role.propose", R"({"owner_org":"o"})", "args.title");
  expect_bad("role.propose", R"({"title":"t"})", "args.owner_org");
  expect_bad("role.propose", "{\"title\":\"t\",\"owner_org\":" + quoted("o", 101) + "}",
             "args.owner_org");
  for (const char* due : {"2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
                          "2026-4-1", "2026/04/01", "20260401", "2026-04-01T00:00", "tomorrow"})
    expect_bad("role.propose", std::string(R"({"title":"t","owner_org":"o","due":")") + due + "\"}",
               "args.due");
  expect_bad("role.propose", R"({"title":"t","owner_org":"o","due":20270331})", "args.due");
}

TEST(DecodeCommand, RoleConsent) {
  auto c = accepted<domain::RoleConsent>("role.consent",
                                         R"({"role":"ro1","consent":true,"note":"了解"})");
  EXPECT_TRUE(c.consent);
  EXPECT_EQ(c.note, std::optional<std::string>("了解"));
  EXPECT_FALSE(
      accepted<domain::RoleConsent>("role.consent", R"({"role":"ro1","consent":false})").consent);
  for (const char* consent : {"\"true\"", "1", "0", "null"})
    expect_bad("role.consent", std::string(R"({"role":"ro1","consent":)") + consent + "}",
               "args.consent");
  expect_bad("role.consent", R"({"role":"ro1"})", "args.consent");
}

TEST(DecodeCommand, RoleStatus) {
  auto c = accepted<domain::RoleStatusUpdate>(
      "role.status", R"({"role":"ro1","status":"in_progress","note":"着手"})");
  EXPECT_EQ(c.status, domain::RoleStatus::in_progress);
  EXPECT_EQ(c.note, std::optional<std::string>("着手"));
  EXPECT_EQ(
      accepted<domain::RoleStatusUpdate>("role.status", R"({"role":"ro1","status":"revised"})")
          .status,
      domain::RoleStatus::revised);
  expect_bad("role.status", R"({"role":"ro1","status":"finished"})", "args.status");
  expect_bad("role.status", R"({"status":"done"})", "args.role");
}

TEST(DecodeCommand, IndicatorDefine) {
  auto c = accepted<domain::IndicatorDefine>(
      "indicator.define",
      R"({"name":"退院時引継ぎ率","kind":"process","unit":"%","target":90.4,"baseline":69})");
  EXPECT_EQ(c.name, "退院時引継ぎ率");
  EXPECT_EQ(c.kind, domain::IndicatorKind::process);
  EXPECT_EQ(c.unit, "%");
  EXPECT_EQ(c.target, std::optional<double>(90.4));
  EXPECT_EQ(c.baseline, std::optional<double>(69.0));
  auto bare = accepted<domain::IndicatorDefine>("indicator.define",
                                                R"({"name":"n","kind":"outcome","unit":"u"})");
  EXPECT_FALSE(bare.target);
  EXPECT_FALSE(bare.baseline);
  expect_bad("indicator.define", R"({"name":"n","kind":"input","unit":"u"})", "args.kind");
  expect_bad("indicator.define", R"({"name":"n","kind":"outcome"})", "args.unit");
  expect_bad("indicator.define",
             "{\"name\":\"n\",\"kind\":\"outcome\",\"unit\":" + quoted("u", 51) + "}", "args.unit");
  expect_bad("indicator.define",
             "{\"name\":" + quoted("n", 201) + ",\"kind\":\"outcome\",\"unit\":\"u\"}",
             "args.name");
  expect_bad("indicator.define", R"({"name":"n","kind":"outcome","unit":"u","target":"90"})",
             "args.target");
  expect_bad("indicator.define", R"({"name":"n","kind":"outcome","unit":"u","baseline":[]})",
             "args.baseline");
}

TEST(DecodeCommand, IndicatorReport) {
  auto c = accepted<domain::IndicatorReport>(
      "indicator.report", R"({"indicator":"in1","value":90.4,"period":"2026-11"})");
  EXPECT_EQ(c.value, 90.4);
  EXPECT_EQ(c.period, "2026-11");
  EXPECT_EQ(accepted<domain::IndicatorReport>(
                "indicator.report", R"({"indicator":"in1","value":-3,"period":"2024-02-29"})")
                .value,
            -3.0);
  for (const char* period : {"2026-13", "2026-00", "2026-02-30", "2026/11", "26-11", "2026-1", ""})
    expect_bad("indicator.report",
               std::string(R"({"indicator":"in1","value":1,"period":")") + period + "\"}",
               "args.period");
  expect_bad("indicator.report", R"({"indicator":"in1","value":"90","period":"2026-11"})",
             "args.value");
  expect_bad("indicator.report", R"({"indicator":"in1","period":"2026-11"})", "args.value");
  expect_bad("indicator.report", R"({"indicator":"in1","value":null,"period":"2026-11"})",
             "args.value");
}

TEST(DecodeCommand, ThemeSetStage) {
  auto c = accepted<domain::ThemeSetStage>(
      "theme.set_stage", R"({"theme":"退院調整ルール","stage":3,"reason":"役割合意に進む"})");
  EXPECT_EQ(c.theme, "退院調整ルール");
  EXPECT_EQ(c.stage, 3);
  EXPECT_EQ(c.reason, "役割合意に進む");
  // The domain checks 1-4; any integer passes here.
  EXPECT_EQ(
      accepted<domain::ThemeSetStage>("theme.set_stage", R"({"theme":"t","stage":7,"reason":"r"})")
          .stage,
      7);
  expect_bad("theme.set_stage", R"({"theme":"t","stage":2.5,"reason":"r"})", "args.stage");
  expect_bad("theme.set_stage", R"({"theme":"t","stage":"2","reason":"r"})", "args.stage");
  expect_bad("theme.set_stage", R"({"theme":"t","stage":99999999999,"reason":"r"})", "args.stage");
  expect_bad("theme.set_stage", R"({"theme":"t","stage":2})", "args.reason");
  expect_bad("theme.set_stage", R"({"stage":2,"reason":"r"})", "args.theme");
}

TEST(DecodeCommand, MessagesAreJapaneseFirst) {
  const Error e = refused("meeting.advance", R"({"item":-1})");
  EXPECT_EQ(e.message, "args.item: 0以上の整数が必要です / args.item: must be an integer >= 0");
  const Error missing = refused("issue.merge", R"({"from":"a"})");
  EXPECT_EQ(missing.message, "args.into: 必須です / args.into: is required");
}

TEST(DecodeCommand, RankingAdoptAndProposalRevises) {
  EXPECT_EQ(accepted<domain::RankingAdopt>("ranking.adopt", R"({"ranking":" c1-r2 "})").ranking,
            "c1-r2");
  expect_bad("ranking.adopt", R"({})", "args.ranking");
  expect_bad("ranking.adopt", R"({"ranking":7})", "args.ranking");
  EXPECT_EQ(accepted<domain::ProposalOpen>("proposal.open",
                                           R"({"kind":"vision","text":"x","revises":"c1-pr1"})")
                .revises,
            std::optional<std::string>("c1-pr1"));
  EXPECT_FALSE(
      accepted<domain::ProposalOpen>("proposal.open", R"({"kind":"vision","text":"x"})").revises);
  expect_bad("proposal.open", R"({"kind":"vision","text":"x","revises":1})", "args.revises");
}

}  // namespace
}  // namespace renkei::protocol
