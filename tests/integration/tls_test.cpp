// TLS (--tls-cert/--tls-key): HTTPS and WSS only, with a self-signed
// certificate made for the test; the invite link's cookie carries Secure and
// the Origin check expects https:// (README.md "Configuration",
// AUTHORIZATION.md).
#include <algorithm>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

// A self-signed certificate for 127.0.0.1 (as its IP SAN) and its key.
void make_certificate(const std::string& dir, const std::string& name) {
  auto made =
      run_program({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                   "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir + "/" + name + ".key",
                   "-out", dir + "/" + name + ".pem", "-days", "2", "-subj", "/CN=127.0.0.1",
                   "-addext", "subjectAltName=IP:127.0.0.1"});
  if (made.status != 0) throw std::runtime_error("openssl req failed: " + made.err);
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    make_certificate(server.dir(), "server");
    server.set_args({"--tls-cert", server.dir() + "/server.pem", "--tls-key",
                     server.dir() + "/server.key", "--header-timeout-ms", "1000"});
    server.start();
    facilitator = server.create_council("西部圏域 地域共生ケア会議", "山本 真理", "西部保健所");
    tls = ClientTls{server.tls_cert()};
  }
  void TearDown() override {
    if (server.running()) {
      EXPECT_EQ(server.stop(), 0) << server.log();
    }
  }

  ServerProcess server;
  Credentials facilitator;
  ClientTls tls;
};

TEST_F(TlsTest, HttpsAnswersWithTheConfiguredCertificate) {
  ASSERT_TRUE(server.tls());
  auto response = https_get(tls, server.port(), "/healthz");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "ok");
  EXPECT_FALSE(std::string(response["Content-Security-Policy"]).empty());
  // The client really checks: another self-signed certificate is not trusted.
  make_certificate(server.dir(), "stranger");
  EXPECT_THROW(https_get(ClientTls{server.dir() + "/stranger.pem"}, server.port(), "/healthz"),
               std::runtime_error);
  EXPECT_EQ(server.stdout_text().find("http://"), std::string::npos) << server.stdout_text();
}

TEST_F(TlsTest, PlainHttpAndWsOnTheTlsPortFail) {
  EXPECT_THROW(http_get(server.port(), "/healthz", {}, Millis(5000)), std::runtime_error);
  EXPECT_THROW(WsClient(server.port(), WsClient::Headers{}, Millis(5000)), std::runtime_error);
  // And the raw bytes of a plain request get no HTTP answer.
  RawSocket plain(server.port());
  plain.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  plain.time_until_closed(Millis(5000));
  EXPECT_EQ(plain.received().find("HTTP/1.1"), std::string::npos) << plain.received();
  // The server is fine afterwards.
  EXPECT_EQ(https_get(tls, server.port(), "/healthz").result_int(), 200);
}

TEST_F(TlsTest, WssHelloCommandAckAndRecord) {
  const Credentials sato = server.invite(facilitator.council, "佐藤 恵子", "北広島町", "member");
  WsClient f(tls, server.port());
  HelloResult hello = f.hello(facilitator.token, facilitator.council);
  EXPECT_EQ(hello.welcome.json.at("me").at("participant"), json::value(facilitator.participant));
  WsClient m(tls, server.port());
  m.hello(sato.token, sato.council);
  Frame ack = f.command("tls-1", "issue.post", text_args("暗号化された課題"));
  ASSERT_EQ(ack.type(), "ack") << ack.text;
  EXPECT_EQ(ack.seq(), 1u);
  EXPECT_EQ(m.wait_event(1).data().at("text"), json::value("暗号化された課題"));
  EXPECT_EQ(m.command("tls-2", "issue.post", text_args("返信")).seq(), 2u);

  auto record = https_get(tls, server.port(), "/api/councils/" + facilitator.council + "/record",
                          {{"Authorization", "Bearer " + sato.token}});
  EXPECT_EQ(record.result_int(), 200);
  EXPECT_NE(record.body().find("暗号化された課題"), std::string::npos);
  const Credentials other = server.create_council("別の協議体", "中村 健一", "安芸地区医師会");
  EXPECT_EQ(https_get(tls, server.port(), "/api/councils/" + facilitator.council + "/record",
                      {{"Authorization", "Bearer " + other.token}})
                .result_int(),
            403);
}

TEST_F(TlsTest, InviteLinkSetsASecureCookieAndTheOriginMustBeHttps) {
  const Credentials sato = server.invite(facilitator.council, "佐藤 恵子", "北広島町", "member");
  auto joined = https_get(tls, server.port(), "/join/" + sato.token);
  ASSERT_EQ(joined.result_int(), 303);
  const std::string set_cookie(joined[http::field::set_cookie]);
  std::vector<std::string> attributes;
  for (std::size_t start = set_cookie.find(';'); start != std::string::npos;) {
    std::size_t end = set_cookie.find(';', start + 1);
    std::string part =
        set_cookie.substr(start + 1, end == std::string::npos ? end : end - start - 1);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    attributes.push_back(part);
    start = end;
  }
  auto has = [&](const std::string& a) {
    return std::find(attributes.begin(), attributes.end(), a) != attributes.end();
  };
  EXPECT_TRUE(has("Secure")) << set_cookie;
  EXPECT_TRUE(has("HttpOnly")) << set_cookie;
  EXPECT_TRUE(has("SameSite=Strict")) << set_cookie;
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  ASSERT_EQ(cookie.rfind("renkei_session=", 0), 0u);

  const std::string port = std::to_string(server.port());
  EXPECT_EQ(server.origin(), "https://127.0.0.1:" + port);
  EXPECT_EQ(upgrade_status(tls, server.port(), {{"Cookie", cookie}, {"Origin", server.origin()}}),
            101);
  for (const std::string& origin : {"http://127.0.0.1:" + port, std::string("https://127.0.0.1"),
                                    "https://127.0.0.1:" + port + ".evil.example"}) {
    EXPECT_EQ(upgrade_status(tls, server.port(), {{"Cookie", cookie}, {"Origin", origin}}), 403)
        << origin;
  }
  EXPECT_EQ(upgrade_status(tls, server.port(), {{"Cookie", cookie}}), 403);

  WsClient browser(tls, server.port(), {{"Cookie", cookie}, {"Origin", server.origin()}});
  browser.send(json::object{{"type", "hello"}, {"council", sato.council}, {"since", 0}});
  Frame welcome = browser.expect();
  ASSERT_EQ(welcome.type(), "welcome") << welcome.text;
  EXPECT_EQ(welcome.json.at("me").at("participant"), json::value(sato.participant));
  EXPECT_EQ(https_get(tls, server.port(), "/api/session", {{"Cookie", cookie}}).result_int(), 200);
}

TEST_F(TlsTest, SilentConnectionIsClosedBeforeTheTlsHandshake) {
  RawSocket silent(server.port());
  const auto closed = silent.time_until_closed(Millis(8000));
  ASSERT_TRUE(closed) << "a connection that never starts TLS stayed open 8 s";
  EXPECT_LE(closed->count(), 4000);
}

}  // namespace
}  // namespace renkei::it
