// The Origin check of cookie-authenticated upgrades (AUTHORIZATION.md
// "Connections and HTTP"): only the server's own origin, byte for byte, or
// one given with --allow-origin; everything that merely looks like it is
// refused with 403 before the upgrade. Token-only clients need no Origin.
// (session_test.cpp has the basic cases; these are the spoofs.)
#include "trust_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

constexpr const char* allowed_origin = "https://renkei.example.jp";

// Whether a WebSocket client with `headers` gets connected at all.
bool connects(std::uint16_t port, const WsClient::Headers& headers) {
  try {
    WsClient client(port, headers);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

class OriginTest : public IntegrationTest {
 protected:
  OriginTest() : IntegrationTest({"--allow-origin", allowed_origin}) {}

  std::string cookie_of(const Credentials& who) {
    auto response = http_get(server.port(), "/join/" + who.token);
    EXPECT_EQ(response.result_int(), 303);
    const std::string header(response[http::field::set_cookie]);
    const auto eq = header.find('=');
    const auto semi = header.find(';');
    return "renkei_session=" + header.substr(eq + 1, semi - eq - 1);
  }
};

TEST_F(OriginTest, AnythingButTheExactOwnOrAllowedOriginIsRefusedBeforeTheUpgrade) {
  const Credentials sato = member("佐藤 恵子", "北広島町");
  const std::string cookie = cookie_of(sato);
  const std::uint16_t p = server.port();
  const std::string port = std::to_string(p);
  const std::string own = "http://127.0.0.1:" + port;
  const std::vector<std::string> refused = {
      "",                                                                // empty
      "null",                                                            // sandboxed frame, file://
      "http://evil.example",                                             // foreign
      own + ".evil.example",                                             // suffix spoof
      "http://127.0.0.1:" + port + "@evil.example",                      // userinfo trick
      "http://evil.example/" + own,                                      // own origin as a path
      "http://evil.127.0.0.1:" + port,                                   // prefix spoof
      "http://x127.0.0.1:" + port,                                       // prefix spoof
      "http://127.0.0.1:" + std::to_string(p == 65535 ? p - 1 : p + 1),  // another port
      "http://127.0.0.1",                                                // no port
      "http://127.0.0.2:" + port,                                        // another address
      "http://[::ffff:127.0.0.1]:" + port,                               // same host, other form
      "https://127.0.0.1:" + port,                                       // other scheme
      "ws://127.0.0.1:" + port,
      own + "/",
      own + ", http://evil.example",  // a list
      std::string(allowed_origin) + ".evil.example",
      std::string(allowed_origin) + ":443",
      "http://renkei.example.jp",  // allowed host, other scheme
  };
  for (const std::string& origin : refused) {
    SCOPED_TRACE("Origin: \"" + origin + "\"");
    auto response = http_get(p, "/ws",
                             {{"Connection", "Upgrade"},
                              {"Upgrade", "websocket"},
                              {"Sec-WebSocket-Version", "13"},
                              {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                              {"Cookie", cookie},
                              {"Origin", origin}});
    EXPECT_EQ(response.result_int(), 403);
    EXPECT_EQ(response.count(http::field::sec_websocket_accept), 0u);
    // A WebSocket client gets no connection at all.
    EXPECT_FALSE(connects(p, {{"Cookie", cookie}, {"Origin", origin}}));
  }
  // No Origin at all.
  EXPECT_EQ(upgrade_status(p, {{"Cookie", cookie}}), 403);
  EXPECT_FALSE(connects(p, {{"Cookie", cookie}}));
  // The session cookie among others still needs the origin.
  EXPECT_EQ(upgrade_status(p, {{"Cookie", "theme=dark; " + cookie + "; lang=ja"}}), 403);
}

TEST_F(OriginTest, ExactOwnOriginAndAllowedOriginConnectWithTheCookie) {
  const Credentials sato = member("佐藤 恵子", "北広島町");
  const std::string cookie = cookie_of(sato);
  for (const std::string& origin : {server.origin(), std::string(allowed_origin)}) {
    SCOPED_TRACE("Origin: " + origin);
    EXPECT_EQ(upgrade_status(server.port(), {{"Cookie", cookie}, {"Origin", origin}}), 101);
    WsClient client(server.port(), {{"Cookie", cookie}, {"Origin", origin}});
    client.send(json::object{{"type", "hello"}, {"council", sato.council}, {"since", 0}});
    Frame welcome = client.expect();
    ASSERT_EQ(welcome.type(), "welcome") << welcome.text;
    EXPECT_EQ(welcome.json.at("me").at("participant"), json::value(sato.participant));
    Frame next = client.expect();
    while (next.type() == "event") next = client.expect();
    ASSERT_EQ(next.type(), "synced") << next.text;
    EXPECT_EQ(client.command("c-" + random_hex(4), "issue.post", text_args("ブラウザから")).type(),
              "ack");
  }
}

TEST_F(OriginTest, TokenClientsNeedNoOriginAndOtherCookiesAreNotSessions) {
  // No cookie: any Origin or none.
  for (const std::vector<std::pair<std::string, std::string>>& headers :
       std::vector<std::vector<std::pair<std::string, std::string>>>{
           {}, {{"Origin", "http://evil.example"}}, {{"Origin", "null"}}}) {
    EXPECT_EQ(upgrade_status(server.port(), headers), 101);
    WsClient client(server.port(), headers);
    EXPECT_EQ(client.hello(facilitator.token, facilitator.council).welcome.type(), "welcome");
  }
  // Cookies other than the session (or an empty session cookie) are not
  // credentials: no Origin needed, and no hello without a token.
  for (const std::string& cookie : {std::string("theme=dark"), std::string("renkei_session=")}) {
    SCOPED_TRACE("Cookie: " + cookie);
    EXPECT_EQ(
        upgrade_status(server.port(), {{"Cookie", cookie}, {"Origin", "http://evil.example"}}),
        101);
    WsClient client(server.port(), {{"Cookie", cookie}});
    client.send(json::object{{"type", "hello"}, {"council", facilitator.council}, {"since", 0}});
    Frame refused = client.expect();
    EXPECT_EQ(refused.str("code"), "unauthorized") << refused.text;
    EXPECT_EQ(client.wait_closed(), std::optional<std::uint16_t>(4401));
  }
  // A made-up session cookie from the own origin upgrades but is no
  // credential.
  WsClient forged(server.port(),
                  {{"Cookie", "renkei_session=" + random_hex(32)}, {"Origin", server.origin()}});
  forged.send(json::object{{"type", "hello"}, {"council", facilitator.council}, {"since", 0}});
  EXPECT_EQ(forged.expect().str("code"), "unauthorized");
  EXPECT_EQ(forged.wait_closed(), std::optional<std::uint16_t>(4401));
}

}  // namespace
}  // namespace renkei::it
