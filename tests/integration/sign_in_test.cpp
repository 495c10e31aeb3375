// Sign-in of people over HTTP against the real server (PROTOCOL.md "People,
// organisations and sign-in (v2)"): a set-up link works once, TOTP codes
// made by Debian's oathtool (an implementation nobody here wrote) sign in
// once each, a new session id at every sign-in, and the TOTP secret is in
// no file of the database: only the key file beside it can open it.
#include <array>
#include <cstdio>
#include <regex>
#include <thread>

#include "test_support.hpp"
#include "trust_support.hpp"

namespace renkei::it {
namespace http = boost::beast::http;
namespace {

class SignInTest : public IntegrationTest {
 protected:
  json::object ok(const std::vector<std::string>& args) {
    auto result = run_renkei(args);
    EXPECT_EQ(result.status, 0) << result.err;
    return json::parse(result.out).as_object();
  }
  HttpResponse post(const std::string& target, const std::string& body,
                    const std::optional<std::string>& cookie = std::nullopt) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json"},
        {"Origin", "http://127.0.0.1:" + std::to_string(server.port())}};
    if (cookie) headers.emplace_back("Cookie", "renkei_session=" + *cookie);
    return http_request(server.port(), http::verb::post, target, headers, body);
  }
  static std::string cookie_of(const HttpResponse& response) {
    const std::string header(response[http::field::set_cookie]);
    std::smatch m;
    if (!std::regex_search(header, m, std::regex("renkei_session=([A-Za-z0-9_-]+)"))) return "";
    return m[1];
  }
  // oathtool's code for `secret` (base32) at `unix_time`.
  static std::string oathtool(const std::string& secret, long long unix_time) {
    const std::string command =
        "oathtool --totp -b -N @" + std::to_string(unix_time) + " " + secret + " 2>/dev/null";
    std::array<char, 64> buffer{};
    std::string out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      while (fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
      pclose(pipe);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
  static long long now_unix() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

TEST_F(SignInTest, OathtoolCodesWorkOnceAndTheSecretIsInNoDatabaseFile) {
  if (std::system("command -v oathtool >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "oathtool is not installed (sh server/tools/deps.sh --test)";
  const auto org = ok({"org", "add", "--db", server.db(), "--name", "北広島保健所", "--kind",
                       "health_centre", "--area", "北広島保健所管内"});
  const auto admin = ok({"person", "add", "--db", server.db(), "--name", "山田 花子", "--org",
                         std::string(org.at("org").as_string()), "--login", "yamada", "--admin"});
  const std::string setup(admin.at("setup").as_string());
  const std::string password = "kitahiroshima-hokenjo";

  auto first = post("/api" + setup, R"({"password":")" + password + R"("})");
  ASSERT_EQ(first.result_int(), 200) << first.body();
  EXPECT_NE(first.body().find(R"("second_factor":"required")"), std::string::npos);
  const std::string cookie = cookie_of(first);
  ASSERT_FALSE(cookie.empty());
  // The link works once.
  auto again = post("/api" + setup, R"({"password":")" + password + R"("})");
  EXPECT_EQ(again.result_int(), 401);
  EXPECT_NE(again.body().find("invalid_token"), std::string::npos);

  // An administrator must enrol before anything else.
  auto home = http_get(server.port(), "/api/home", {{"Cookie", "renkei_session=" + cookie}});
  EXPECT_EQ(home.result_int(), 403);
  EXPECT_NE(home.body().find("second_factor_enrolment_required"), std::string::npos);

  auto begin = post("/api/me/totp", "{}", cookie);
  ASSERT_EQ(begin.result_int(), 200) << begin.body();
  const auto enrolment = json::parse(begin.body()).as_object();
  const std::string secret(enrolment.at("secret").as_string());
  EXPECT_NE(std::string(enrolment.at("uri").as_string()).find("otpauth://totp/Renkei:yamada?"),
            std::string::npos);
  auto wrong = post("/api/me/totp/confirm", R"({"code":"000000"})", cookie);
  EXPECT_EQ(wrong.result_int(), 400);
  const long long t0 = now_unix();
  auto confirm =
      post("/api/me/totp/confirm", R"({"code":")" + oathtool(secret, t0) + R"("})", cookie);
  ASSERT_EQ(confirm.result_int(), 200) << confirm.body();
  EXPECT_EQ(json::parse(confirm.body()).at("recovery_codes").as_array().size(), 10u);

  // Signing in: the password alone asks for the code; oathtool's code of
  // the next step works once; every sign-in gets a new session id.
  auto no_code = post("/api/sign-in", R"({"login":"yamada","password":")" + password + R"("})");
  EXPECT_EQ(no_code.result_int(), 401);
  EXPECT_NE(no_code.body().find("second_factor_required"), std::string::npos);
  const std::string next = oathtool(secret, t0 + 30);
  const std::string body =
      R"({"login":"yamada","password":")" + password + R"(","code":")" + next + R"("})";
  // The next step is accepted once its time has come (one step of drift).
  auto signed_in = post("/api/sign-in", body);
  ASSERT_EQ(signed_in.result_int(), 200) << signed_in.body();
  const std::string second_cookie = cookie_of(signed_in);
  EXPECT_FALSE(second_cookie.empty());
  EXPECT_NE(second_cookie, cookie);
  auto replay = post("/api/sign-in", body);
  EXPECT_EQ(replay.result_int(), 401);
  EXPECT_NE(replay.body().find("invalid_code"), std::string::npos);

  // The secret is sealed: not in the database, its WAL or a backup; the
  // key file beside it is what opens it.
  ASSERT_EQ(run_renkei({"backup", "--db", server.db(), "--out", server.db() + ".copy"}).status, 0);
  for (const std::string& file : {server.db(), server.db() + "-wal", server.db() + ".copy"}) {
    const std::string bytes = read_text_file(file);
    EXPECT_EQ(bytes.find(secret), std::string::npos) << file;
    EXPECT_EQ(bytes.find(password), std::string::npos) << file;
  }
  EXPECT_EQ(read_text_file(server.db() + ".key").size(), 32u);

  // A lost phone: a new set-up link from the console resets the password
  // and the second factor, ends the old sessions, and enrolment is asked
  // for again.
  auto reissued =
      post("/api/console/people/" + std::string(admin.at("person").as_string()) + "/setup-link",
           "{}", second_cookie);
  ASSERT_EQ(reissued.result_int(), 200) << reissued.body();
  const std::string link(json::parse(reissued.body()).at("setup").as_string());
  auto reset = post("/api" + link, R"({"password":"a-new-passphrase-2027"})");
  ASSERT_EQ(reset.result_int(), 200) << reset.body();
  auto old_session =
      http_get(server.port(), "/api/me", {{"Cookie", "renkei_session=" + second_cookie}});
  EXPECT_EQ(old_session.result_int(), 401);
  auto after =
      http_get(server.port(), "/api/home", {{"Cookie", "renkei_session=" + cookie_of(reset)}});
  EXPECT_EQ(after.result_int(), 403);
  EXPECT_NE(after.body().find("second_factor_enrolment_required"), std::string::npos);
}

}  // namespace
}  // namespace renkei::it
