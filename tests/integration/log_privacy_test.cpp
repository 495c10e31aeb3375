// The log never holds tokens, cookie values or message text (README.md
// "Configuration", PROTOCOL.md "Limits"): a session with all of them, good
// and bad, and then the --log file, the server's stderr and its stdout are
// searched for each.
#include "trust_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

class LogPrivacyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_file = server.dir() + "/renkei-log.txt";
    server.set_args({"--log", log_file});
    server.start();
    facilitator = server.create_council("西部圏域 地域共生ケア会議", "山本 真理", "西部保健所");
  }

  ServerProcess server;
  Credentials facilitator;
  std::string log_file;
};

TEST_F(LogPrivacyTest, NoTokenCookieOrMessageTextInAnyLog) {
  const Canary canary;
  const Credentials sato = server.invite(facilitator.council, "佐藤 恵子", "北広島町", "member");
  const Credentials gone = server.invite(facilitator.council, "異動 済み", "坂町", "member");
  ASSERT_EQ(run_renkei({"revoke", "--db", server.db(), "--participant", gone.participant}).status,
            0);
  const Credentials other = server.create_council("別の協議体", "中村 健一", "安芸地区医師会");
  std::vector<std::string> secrets = {facilitator.token, sato.token, gone.token, other.token};

  // Good traffic with message text.
  Participant f(server.port(), facilitator);
  Participant m(server.port(), sato);
  f.ok("meeting.start", {{"title", canary.text}});
  const std::string issue =
      m.create("issue.post", {{"text", canary.text}, {"theme", canary.core}}, "issue");
  const std::string proposal =
      f.create("proposal.open", {{"kind", "vision"}, {"text", canary.text}}, "proposal");
  m.ok("proposal.stance", {{"proposal", proposal}, {"stance", "block"}, {"reason", canary.text}});
  f.ok("role.propose", {{"title", canary.text}, {"owner_org", canary.core}});

  // A browser session.
  auto joined = http_get(server.port(), "/join/" + sato.token);
  ASSERT_EQ(joined.result_int(), 303);
  const std::string set_cookie(joined[http::field::set_cookie]);
  const std::string cookie =
      set_cookie.substr(set_cookie.find('=') + 1, set_cookie.find(';') - set_cookie.find('=') - 1);
  secrets.push_back(cookie);
  {
    WsClient browser(server.port(),
                     {{"Cookie", "renkei_session=" + cookie}, {"Origin", server.origin()}});
    browser.send(json::object{{"type", "hello"}, {"council", sato.council}});
    EXPECT_EQ(browser.expect().type(), "welcome");
  }
  EXPECT_EQ(http_get(server.port(), "/api/session", {{"Cookie", "renkei_session=" + cookie}})
                .result_int(),
            200);
  // A refused cookie upgrade from a foreign origin.
  EXPECT_EQ(upgrade_status(server.port(),
                           {{"Cookie", "renkei_session=" + cookie}, {"Origin", "http://evil"}}),
            403);

  // Bad traffic: wrong, revoked and foreign tokens, made-up cookies and
  // invite links, malformed and oversized frames, unknown ops, all carrying
  // text.
  const std::string made_up_token = "tok" + random_hex(16);
  const std::string made_up_cookie = "ck" + random_hex(16);
  secrets.push_back(made_up_token);
  secrets.push_back(made_up_cookie);
  for (const std::string& token : {made_up_token, gone.token, other.token}) {
    WsClient bad(server.port());
    bad.send(json::object{{"type", "hello"}, {"token", token}, {"council", facilitator.council}});
    EXPECT_EQ(bad.expect().str("code"), "unauthorized");
    // (another council's token is a valid invite link of that council)
    EXPECT_EQ(http_get(server.port(), "/join/" + token).result_int(),
              token == other.token ? 303 : 401);
    EXPECT_NE(http_get(server.port(), "/api/councils/" + facilitator.council + "/record",
                       {{"Authorization", "Bearer " + token}})
                  .result_int(),
              200);
  }
  EXPECT_EQ(
      http_get(server.port(), "/api/session", {{"Cookie", "renkei_session=" + made_up_cookie}})
          .result_int(),
      401);
  {
    WsClient bad(server.port());
    bad.send_text("{\"type\":\"hello\",\"token\":\"" + made_up_token + "\" " + canary.text);
    EXPECT_EQ(bad.expect().str("code"), "bad_request");
  }
  m->send_text("{\"type\":\"cmd\",\"id\":\"x\",\"op\":\"issue.post\",\"args\":{\"text\":\"" +
               canary.text + "\"");  // malformed
  Frame malformed = m->expect();
  while (malformed.type() == "event") malformed = m->expect();
  EXPECT_EQ(malformed.str("code"), "bad_request") << malformed.text;
  EXPECT_EQ(m.send("x." + canary.core, text_args(canary.text)).str("code"), "unknown_op");
  EXPECT_EQ(m.send("meeting.start", {{"title", canary.text}}).str("code"), "forbidden");
  EXPECT_EQ(m.send("issue.post", {{"text", canary.text + std::string(3000, 'x')}}).str("code"),
            "bad_request");
  {
    WsClient big(server.port());
    big.hello(sato.token, sato.council);
    big.send_text(R"({"type":"cmd","id":"big","op":"issue.post","args":{"text":")" + canary.text +
                  std::string(70 * 1024, 'z') + R"("}})");
    EXPECT_EQ(big.expect().str("code"), "too_large");
  }
  {
    WsClient binary(server.port());
    binary.hello(sato.token, sato.council);
    binary.send_binary(canary.text);
    binary.wait_closed();
  }
  // A raw request head with secrets in its target and headers, cut off.
  {
    RawSocket raw(server.port());
    raw.send("GET /join/" + made_up_token + " HTTP/1.1\r\nCookie: renkei_session=" +
             made_up_cookie + "\r\nX-Note: " + canary.core + "\r\nBroken header line\r\n\r\n");
    raw.read_for(Millis(500));
  }
  const std::uint64_t last = m.ok("issue.post", text_args("最後"));
  EXPECT_GT(last, 0u);
  (void)issue;

  ASSERT_EQ(server.stop(), 0);
  const std::string log = read_text_file(log_file);
  const std::string stderr_text = server.log();
  const std::string stdout_text = server.stdout_text();
  EXPECT_NE(log.find("renkei: stopped"), std::string::npos)
      << "the --log file is not where the log went: " << log;
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"--log file", log}, {"stderr", stderr_text}, {"stdout", stdout_text}}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(canary.in(text)) << text;
    for (const std::string& secret : secrets)
      EXPECT_EQ(text.find(secret), std::string::npos) << "a secret in the " << name << ":\n"
                                                      << text;
  }
}

}  // namespace
}  // namespace renkei::it
