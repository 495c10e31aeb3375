// Browser sessions: the invite link sets a session cookie (not the token)
// and redirects to a token-free address; a cookie-authenticated upgrade must
// come from an allowed origin; token clients need no Origin (PROTOCOL.md
// "Browser sessions and origins").
#include "test_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

// The value of cookie `name` in a Set-Cookie header, and its attributes.
struct SetCookie {
  std::string name;
  std::string value;
  std::vector<std::string> attributes;  // as written, trimmed
  bool has(const std::string& attribute) const {
    for (const auto& a : attributes)
      if (a == attribute) return true;
    return false;
  }
};

SetCookie parse_set_cookie(const std::string& header) {
  SetCookie cookie;
  std::size_t start = 0;
  bool first = true;
  while (start <= header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (first) {
      const auto eq = part.find('=');
      cookie.name = part.substr(0, eq);
      cookie.value = eq == std::string::npos ? "" : part.substr(eq + 1);
      first = false;
    } else if (!part.empty()) {
      cookie.attributes.push_back(part);
    }
    start = end + 1;
  }
  return cookie;
}

class SessionTest : public IntegrationTest {
 protected:
  std::string own_origin() const { return "http://127.0.0.1:" + std::to_string(server.port()); }

  // Follows the invite link; returns the session cookie value.
  std::string open_session(const Credentials& who) {
    auto response = http_get(server.port(), "/join/" + who.token);
    if (response.result_int() != 303)
      throw std::runtime_error("/join answered " + std::to_string(response.result_int()));
    const SetCookie cookie = parse_set_cookie(std::string(response[http::field::set_cookie]));
    return cookie.value;
  }
};

TEST_F(SessionTest, InviteLinkSetsASessionCookieAndDropsTheToken) {
  const Credentials sato = member("佐藤 恵子", "北広島町");
  auto response = http_get(server.port(), "/join/" + sato.token);
  ASSERT_EQ(response.result_int(), 303) << response.body();
  const std::string location(response[http::field::location]);
  EXPECT_FALSE(location.empty());
  EXPECT_EQ(location.find(sato.token), std::string::npos) << "token in the redirect: " << location;
  EXPECT_EQ(std::string(response[http::field::cache_control]), "no-store");

  const SetCookie cookie = parse_set_cookie(std::string(response[http::field::set_cookie]));
  EXPECT_EQ(cookie.name, "renkei_session");
  EXPECT_FALSE(cookie.value.empty());
  EXPECT_EQ(cookie.value.find(sato.token), std::string::npos) << "the cookie holds the token";
  EXPECT_NE(cookie.value, sato.token);
  EXPECT_TRUE(cookie.has("Path=/")) << response[http::field::set_cookie];
  EXPECT_TRUE(cookie.has("HttpOnly")) << response[http::field::set_cookie];
  EXPECT_TRUE(cookie.has("SameSite=Strict")) << response[http::field::set_cookie];

  // A new random value each time.
  EXPECT_NE(open_session(sato), cookie.value);
}

TEST_F(SessionTest, InvalidInviteLinkSetsNoCookie) {
  auto response = http_get(server.port(), "/join/not-a-token");
  EXPECT_NE(response.result_int(), 303);
  EXPECT_EQ(response.count(http::field::set_cookie), 0u);
  if (std::string(response[http::field::content_type]).rfind("text/html", 0) == 0) {
    EXPECT_FALSE(std::string(response["Content-Security-Policy"]).empty())
        << "an HTML response without CSP";
  }
}

TEST_F(SessionTest, CookieUpgradeFromOwnOriginSaysHelloWithoutToken) {
  const Credentials sato = member("佐藤 恵子", "北広島町");
  const std::string session = open_session(sato);
  WsClient client(server.port(),
                  {{"Cookie", "renkei_session=" + session}, {"Origin", own_origin()}});
  client.send(json::object{{"type", "hello"}, {"council", sato.council}, {"since", 0}});
  Frame welcome = client.expect();
  ASSERT_EQ(welcome.type(), "welcome") << welcome.text;
  EXPECT_EQ(welcome.json.at("me").at("participant"), json::value(sato.participant));
  Frame synced = client.expect();
  EXPECT_EQ(synced.type(), "synced");
  Frame ack = client.command("cookie-1", "issue.post", text_args("ブラウザから"));
  EXPECT_EQ(ack.type(), "ack") << ack.text;

  // The record with the cookie, too.
  EXPECT_EQ(http_get(server.port(), "/api/councils/" + sato.council + "/record",
                     {{"Cookie", "renkei_session=" + session}})
                .result_int(),
            200);
}

TEST_F(SessionTest, CookieUpgradeFromAnyOtherOriginIsRefusedBeforeTheUpgrade) {
  const Credentials sato = member("佐藤 恵子", "北広島町");
  const std::string cookie = "renkei_session=" + open_session(sato);
  const std::string port = std::to_string(server.port());
  EXPECT_EQ(upgrade_status(server.port(), {{"Cookie", cookie}, {"Origin", own_origin()}}), 101);
  EXPECT_EQ(upgrade_status(server.port(), {{"Cookie", cookie}}), 403) << "no Origin";
  for (const std::string& origin :
       {std::string("null"), std::string("http://evil.example"), "http://localhost:" + port,
        "https://127.0.0.1:" + port, own_origin() + "/", "http://127.0.0.1:" + port + "0",
        std::string("HTTP://127.0.0.1:") + port}) {
    EXPECT_EQ(upgrade_status(server.port(), {{"Cookie", cookie}, {"Origin", origin}}), 403)
        << "Origin: " << origin;
  }
}

TEST_F(SessionTest, TokenClientsNeedNoOrigin) {
  EXPECT_EQ(upgrade_status(server.port(), {}), 101);
  EXPECT_EQ(upgrade_status(server.port(), {{"Origin", "http://evil.example"}}), 101);
  WsClient client(server.port(), {{"Origin", "http://evil.example"}});
  EXPECT_EQ(client.hello(facilitator.token, facilitator.council).welcome.type(), "welcome");
}

TEST_F(SessionTest, CookieOfAnotherCouncilIsUnauthorized) {
  const Credentials other = server.create_council("別の協議体", "中村 健一", "安芸地区医師会");
  const std::string session = open_session(other);
  WsClient client(server.port(),
                  {{"Cookie", "renkei_session=" + session}, {"Origin", own_origin()}});
  client.send(json::object{{"type", "hello"}, {"council", facilitator.council}, {"since", 0}});
  Frame error = client.expect();
  EXPECT_EQ(error.str("code"), "unauthorized") << error.text;
  EXPECT_EQ(client.wait_closed(), std::optional<std::uint16_t>(4401));
  EXPECT_EQ(http_get(server.port(), "/api/councils/" + facilitator.council + "/record",
                     {{"Cookie", "renkei_session=" + session}})
                .result_int(),
            403);
}

class AllowedOriginTest : public IntegrationTest {
 protected:
  AllowedOriginTest() : IntegrationTest({"--allow-origin", "https://renkei.example.jp"}) {}
};

TEST_F(AllowedOriginTest, ConfiguredOriginIsAllowed) {
  const Credentials sato = member("佐藤 恵子", "北広島町");
  auto response = http_get(server.port(), "/join/" + sato.token);
  ASSERT_EQ(response.result_int(), 303);
  const std::string cookie =
      "renkei_session=" + parse_set_cookie(std::string(response[http::field::set_cookie])).value;
  EXPECT_EQ(
      upgrade_status(server.port(), {{"Cookie", cookie}, {"Origin", "https://renkei.example.jp"}}),
      101);
  EXPECT_EQ(
      upgrade_status(server.port(), {{"Cookie", cookie}, {"Origin", "https://renkei.example.com"}}),
      403);
}

}  // namespace
}  // namespace renkei::it
