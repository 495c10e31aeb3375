// hello -> welcome -> catch-up events -> synced, and the refusals before it
// (PROTOCOL.md "hello").
#include "test_support.hpp"

namespace renkei::it {
namespace {

class HandshakeTest : public IntegrationTest {};

TEST_F(HandshakeTest, WelcomeThenEveryEventThenSynced) {
  const Credentials sato = member("佐藤 恵子", "北広島町");
  auto writer = join(facilitator);
  EXPECT_EQ(writer->hello().welcome.num("head"), 0u);
  EXPECT_TRUE(writer->hello().events.empty());
  EXPECT_EQ(writer->hello().synced.num("head"), 0u);

  std::vector<std::string> texts = {"退院調整ルールの運用に差がある", "独居高齢者の見守り体制",
                                    "訪問看護の夜間対応"};
  for (const auto& text : texts) writer->ok("issue.post", text_args(text));

  WsClient client(server.port());
  HelloResult hello = client.hello(sato.token, sato.council, 0);

  const Frame& welcome = hello.welcome;
  EXPECT_EQ(keys_of(welcome.json), (std::set<std::string>{"type", "council", "me", "head"}))
      << welcome.text;
  const json::object& council = welcome.json.at("council").as_object();
  EXPECT_EQ(council.at("id"), json::value(facilitator.council));
  EXPECT_EQ(council.at("name"), json::value("西部圏域 地域共生ケア会議"));
  EXPECT_EQ(council.at("kind"), json::value("council"));
  const json::object& me = welcome.json.at("me").as_object();
  EXPECT_EQ(me.at("participant"), json::value(sato.participant));
  EXPECT_EQ(me.at("name"), json::value("佐藤 恵子"));
  EXPECT_EQ(me.at("org"), json::value("北広島町"));
  EXPECT_EQ(me.at("role"), json::value("member"));
  EXPECT_EQ(welcome.num("head"), 3u);

  expect_consecutive(hello.events, 1, 3, "catch-up");
  for (std::size_t i = 0; i < hello.events.size(); ++i) {
    const Frame& event = hello.events[i];
    expect_event_shape(event);
    EXPECT_EQ(event.str("op"), "issue.posted");
    EXPECT_EQ(event.by(), facilitator.participant);
    EXPECT_EQ(event.json.at("by").at("name"), json::value("山本 真理"));
    EXPECT_EQ(event.json.at("by").at("org"), json::value("西部保健所"));
    EXPECT_TRUE(event.json.at("meeting").is_null());
    EXPECT_EQ(event.data().at("text"), json::value(texts[i]));
    EXPECT_FALSE(event.data().at("issue").as_string().empty());
  }
  EXPECT_EQ(keys_of(hello.synced.json), (std::set<std::string>{"type", "head"}));
  EXPECT_EQ(hello.synced.num("head"), 3u);

  // Live from now on.
  const std::uint64_t seq = writer->ok("issue.post", text_args("live"));
  EXPECT_EQ(seq, 4u);
  EXPECT_EQ(client.wait_event(4).data().at("text"), json::value("live"));
}

TEST_F(HandshakeTest, SinceSkipsTheEventsAlreadySeen) {
  auto writer = join(facilitator);
  for (int i = 1; i <= 5; ++i) writer->ok("issue.post", text_args("課題 " + std::to_string(i)));

  for (std::uint64_t since : {0u, 2u, 4u, 5u}) {
    SCOPED_TRACE("since=" + std::to_string(since));
    WsClient client(server.port());
    HelloResult hello = client.hello(facilitator.token, facilitator.council, since);
    EXPECT_EQ(hello.welcome.num("head"), 5u);
    expect_consecutive(hello.events, since + 1, 5, "catch-up");
    EXPECT_EQ(hello.synced.num("head"), 5u);
    // The frames are the ones the writer received live, byte for byte.
    for (const Frame& event : hello.events) EXPECT_EQ(event.text, writer->event(event.seq()).text);
  }
}

TEST_F(HandshakeTest, OneOnOneCouncilKind) {
  const Credentials pair = server.create_council("西部保健所 × 北広島町 一対一協議", "山本 真理",
                                                 "西部保健所", "one_on_one");
  WsClient client(server.port());
  HelloResult hello = client.hello(pair.token, pair.council, 0);
  EXPECT_EQ(hello.welcome.json.at("council").at("kind"), json::value("one_on_one"));
  EXPECT_EQ(hello.welcome.json.at("council").at("id"), json::value(pair.council));
  EXPECT_EQ(hello.welcome.json.at("me").at("role"), json::value("facilitator"));
  EXPECT_NE(pair.council, facilitator.council);
}

// Sends `hello` and expects error unauthorized, then close 4401.
void expect_unauthorized(std::uint16_t port, const json::object& hello) {
  SCOPED_TRACE(json::serialize(hello));
  WsClient client(port);
  client.send(hello);
  Frame error = client.expect();
  EXPECT_EQ(error.type(), "error") << error.text;
  EXPECT_EQ(error.str("code"), "unauthorized") << error.text;
  EXPECT_FALSE(error.str("message").empty());
  EXPECT_EQ(client.wait_closed(), std::optional<std::uint16_t>(4401));
}

TEST_F(HandshakeTest, BadTokenIsUnauthorizedAndClosed4401) {
  const std::string& council = facilitator.council;
  expect_unauthorized(
      server.port(),
      {{"type", "hello"}, {"token", "not-a-token"}, {"council", council}, {"since", 0}});
  // A real token with one character changed.
  std::string altered = facilitator.token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  expect_unauthorized(server.port(),
                      {{"type", "hello"}, {"token", altered}, {"council", council}, {"since", 0}});
  expect_unauthorized(server.port(),
                      {{"type", "hello"}, {"token", ""}, {"council", council}, {"since", 0}});
  // No token and no session cookie.
  expect_unauthorized(server.port(), {{"type", "hello"}, {"council", council}, {"since", 0}});
}

TEST_F(HandshakeTest, TokenOfAnotherCouncilIsUnauthorized) {
  const Credentials other = server.create_council("別の協議体", "田中 浩二", "坂町");
  expect_unauthorized(
      server.port(),
      {{"type", "hello"}, {"token", other.token}, {"council", facilitator.council}, {"since", 0}});
  expect_unauthorized(
      server.port(),
      {{"type", "hello"}, {"token", facilitator.token}, {"council", other.council}, {"since", 0}});
  // Unknown council.
  expect_unauthorized(
      server.port(),
      {{"type", "hello"}, {"token", facilitator.token}, {"council", "c999"}, {"since", 0}});
  // The right pairs still work.
  WsClient client(server.port());
  EXPECT_EQ(client.hello(other.token, other.council).welcome.json.at("council").at("id"),
            json::value(other.council));
}

TEST_F(HandshakeTest, AnythingButHelloFirstIsBadRequestAndClosed4400) {
  const std::vector<std::string> firsts = {
      R"({"type":"cmd","id":"k1","op":"issue.post","args":{"text":"先に送る"}})",
      R"({"type":"hello","token":)",  // malformed JSON
      "not json at all",
      R"([])",
      R"("hello")",
      R"({"token":"x","council":"c1"})",  // no type
      R"({"type":"welcome"})",
      R"({"type":"hello","token":"x"})",  // hello without council
      R"({"type":"hello","token":"x","council":"c1","since":-1})",
      R"({"type":"hello","token":"x","council":"c1","since":"0"})",
  };
  for (const std::string& first : firsts) {
    SCOPED_TRACE(first);
    WsClient client(server.port());
    client.send_text(first);
    Frame error = client.expect();
    EXPECT_EQ(error.type(), "error") << error.text;
    EXPECT_EQ(error.str("code"), "bad_request") << error.text;
    EXPECT_EQ(client.wait_closed(), std::optional<std::uint16_t>(4400));
  }
  // Nothing was recorded.
  EXPECT_EQ(json::parse(record()).at("head"), json::value(0));
}

TEST_F(HandshakeTest, SecondHelloIsBadRequestAndConnectionStaysOpen) {
  auto client = join(facilitator);
  client->ws().send(json::object{
      {"type", "hello"}, {"token", facilitator.token}, {"council", facilitator.council}});
  Frame error = client->ws().expect();
  EXPECT_EQ(error.type(), "error");
  EXPECT_EQ(error.str("code"), "bad_request");
  EXPECT_EQ(client->ok("issue.post", text_args("まだ使える")), 1u);
}

}  // namespace
}  // namespace renkei::it
