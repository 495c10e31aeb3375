// HTTP: /healthz, the consensus record with its credentials, the browser
// client's CSP (PROTOCOL.md "HTTP").
#include <sstream>

#include "test_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

json::object row(const std::string& issue, int rank, int score) {
  return json::object{{"issue", issue}, {"rank", rank}, {"score", score}};
}

const json::object* find_by(const json::value& list, const char* key, const std::string& value) {
  for (const auto& item : list.as_array())
    if (item.as_object().at(key) == json::value(value)) return &item.as_object();
  return nullptr;
}

class HttpTest : public IntegrationTest {};

TEST_F(HttpTest, HealthzIsOk) {
  auto response = http_get(server.port(), "/healthz");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "ok");
}

TEST_F(HttpTest, RecordReflectsTheOps) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  const Credentials tanaka_c = member("田中 浩二", "坂町");
  auto yamamoto = join(facilitator);
  auto sato = join(sato_c);
  auto tanaka = join(tanaka_c);
  const MixedScript s = run_mixed_script(*yamamoto, *sato, *tanaka);

  auto response = http_get(server.port(), "/api/councils/" + facilitator.council + "/record",
                           {{"Authorization", "Bearer " + sato_c.token}});
  ASSERT_EQ(response.result_int(), 200) << response.body();
  EXPECT_EQ(std::string(response[http::field::content_type]).rfind("application/json", 0), 0u);
  const json::value r = json::parse(response.body());
  // Every participant sees the same record.
  EXPECT_EQ(response.body(), record());

  EXPECT_EQ(r.at("council").at("id"), json::value(facilitator.council));
  EXPECT_EQ(r.at("council").at("name"), json::value("西部圏域 地域共生ケア会議"));
  EXPECT_EQ(r.at("council").at("kind"), json::value("council"));
  EXPECT_EQ(r.at("head").to_number<std::uint64_t>(), s.last_seq);

  // Issues.
  const json::value& issues = r.at("issues");
  ASSERT_EQ(issues.as_array().size(), 4u);
  const json::object* a = find_by(issues, "id", s.issue_a);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->at("text"), json::value("退院調整ルールの運用に差がある"));
  EXPECT_EQ(a->at("theme"), json::value("退院支援"));
  const json::object* d = find_by(issues, "id", s.issue_d);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->at("merged_into"), json::value(s.issue_c));

  // The ranking with its result: a beats b (2-1) and c (3-0), b beats c (2-1).
  const json::object* ranking = find_by(r.at("rankings"), "id", s.ranking);
  ASSERT_NE(ranking, nullptr);
  EXPECT_EQ(ranking->at("method"), json::value("schulze"));
  EXPECT_EQ(ranking->at("ballots"), json::value(3));
  EXPECT_EQ(
      ranking->at("result"),
      json::value(json::array{row(s.issue_a, 1, 2), row(s.issue_b, 2, 1), row(s.issue_c, 3, 0)}));

  // Proposals with outcomes; the adopted vision.
  const json::object* vision = find_by(r.at("proposals"), "id", s.vision);
  ASSERT_NE(vision, nullptr);
  EXPECT_EQ(vision->at("outcome"), json::value("adopted"));
  EXPECT_EQ(vision->at("tally"),
            json::value({{"agree", 2}, {"abstain", 1}, {"disagree", 0}, {"block", 0}}));
  const json::object* direction = find_by(r.at("proposals"), "id", s.direction);
  ASSERT_NE(direction, nullptr);
  EXPECT_EQ(direction->at("outcome"), json::value("not_adopted"));
  EXPECT_EQ(direction->at("tally"),
            json::value({{"agree", 0}, {"abstain", 0}, {"disagree", 0}, {"block", 1}}));
  EXPECT_EQ(r.at("vision").at("proposal"), json::value(s.vision));

  // Roles with state and status.
  const json::object* role = find_by(r.at("roles"), "id", s.role);
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->at("owner_org"), json::value("北広島町"));
  EXPECT_EQ(role->at("state"), json::value("agreed"));
  EXPECT_EQ(role->at("status"), json::value("in_progress"));
  EXPECT_EQ(role->at("due"), json::value("2026-03-31"));

  // Indicators with reports.
  const json::object* indicator = find_by(r.at("indicators"), "id", s.indicator);
  ASSERT_NE(indicator, nullptr);
  const json::array& reports = indicator->at("reports").as_array();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].at("value").to_number<double>(), 3.0);
  EXPECT_EQ(reports[0].at("period"), json::value("2026-04"));
  EXPECT_EQ(reports[1].at("value").to_number<double>(), 5.0);
  EXPECT_EQ(reports[1].at("period"), json::value("2026-05"));

  // Themes with stages (one created by issue.post alone).
  const json::object* discharge = find_by(r.at("themes"), "name", "退院支援");
  ASSERT_NE(discharge, nullptr);
  EXPECT_EQ(discharge->at("stage"), json::value(2));
  EXPECT_NE(find_by(r.at("themes"), "name", "見守り"), nullptr);

  // Meetings.
  const json::object* meeting = find_by(r.at("meetings"), "id", s.meeting);
  ASSERT_NE(meeting, nullptr);
  EXPECT_FALSE(meeting->at("ended_at").is_null());

  // No ballot content anywhere.
  EXPECT_EQ(response.body().find("\"order\""), std::string::npos);
}

TEST_F(HttpTest, RecordNeedsATokenOfThatCouncil) {
  const Credentials other = server.create_council("別の協議体", "中村 健一", "安芸地区医師会");
  const Credentials observer = member("小林 直美", "広島県", "observer");
  const std::string target = "/api/councils/" + facilitator.council + "/record";

  EXPECT_EQ(http_get(server.port(), target).result_int(), 401);
  EXPECT_EQ(http_get(server.port(), target, {{"Authorization", "Bearer not-a-token"}}).result_int(),
            401);
  EXPECT_EQ(http_get(server.port(), target, {{"Authorization", "Bearer "}}).result_int(), 401);
  EXPECT_EQ(http_get(server.port(), target, {{"Authorization", facilitator.token}}).result_int(),
            401);
  EXPECT_EQ(http_get(server.port(), target, {{"Authorization", "Basic " + facilitator.token}})
                .result_int(),
            401);
  EXPECT_EQ(
      http_get(server.port(), target, {{"Authorization", "Bearer " + other.token}}).result_int(),
      403);
  // The other council's own record works with its token, and observers may read.
  EXPECT_EQ(http_get(server.port(), "/api/councils/" + other.council + "/record",
                     {{"Authorization", "Bearer " + other.token}})
                .result_int(),
            200);
  EXPECT_EQ(
      http_get(server.port(), target, {{"Authorization", "Bearer " + observer.token}}).result_int(),
      200);
}

// The directive `name` of a CSP, split into its sources; empty if absent.
std::vector<std::string> csp_directive(const std::string& policy, const std::string& name) {
  std::stringstream directives(policy);
  std::string directive;
  while (std::getline(directives, directive, ';')) {
    std::stringstream words(directive);
    std::string word;
    words >> word;
    if (word != name) continue;
    std::vector<std::string> sources;
    while (words >> word) sources.push_back(word);
    return sources;
  }
  return {};
}

TEST_F(HttpTest, BrowserClientHasAStrictContentSecurityPolicy) {
  auto response = http_get(server.port(), "/");
  ASSERT_EQ(response.result_int(), 200);
  EXPECT_EQ(std::string(response[http::field::content_type]).rfind("text/html", 0), 0u);
  EXPECT_NE(response.body().find("<"), std::string::npos);
  const std::string policy(response["Content-Security-Policy"]);
  ASSERT_FALSE(policy.empty()) << "no Content-Security-Policy header";
  std::vector<std::string> scripts = csp_directive(policy, "script-src");
  if (scripts.empty()) scripts = csp_directive(policy, "default-src");
  ASSERT_FALSE(scripts.empty()) << "neither script-src nor default-src: " << policy;
  for (const std::string& source : scripts) {
    EXPECT_NE(source, "'unsafe-inline'") << policy;
    EXPECT_NE(source, "*") << policy;
    EXPECT_NE(source, "data:") << policy;
  }
  // No inline <script> without src in the page itself.
  const std::string& body = response.body();
  for (auto at = body.find("<script"); at != std::string::npos; at = body.find("<script", at + 1)) {
    const auto end = body.find('>', at);
    EXPECT_NE(body.substr(at, end - at).find("src="), std::string::npos)
        << "inline script in /: " << body.substr(at, 80);
  }
}

// The browser client routes by location: its pages are all index.html.
TEST_F(HttpTest, TheClientsPagesServeTheClient) {
  const auto index = http_get(server.port(), "/");
  ASSERT_EQ(index.result_int(), 200);
  for (const char* page : {"/councils/c1", "/councils/c1/record", "/setup/abc", "/console",
                           "/console/people", "/me", "/me/security", "/handover/o3"}) {
    SCOPED_TRACE(page);
    const auto response = http_get(server.port(), page);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response.body(), index.body());
  }
  for (const char* other : {"/setup/", "/consoles", "/mine", "/console.js", "/handover/"}) {
    SCOPED_TRACE(other);
    EXPECT_EQ(http_get(server.port(), other).result_int(), 404);
  }
}

// Every path under /api/ is the application's: unknown ones answer in the
// API's error shape.
TEST_F(HttpTest, UnknownApiPathsAnswerJsonErrors) {
  const auto missing = http_get(server.port(), "/api/nothing");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(std::string(missing[http::field::content_type]).rfind("application/json", 0), 0u);
  EXPECT_EQ(json::parse(missing.body()).at("code"), json::value("not_found"));

  const auto wrong = http_request(server.port(), http::verb::delete_,
                                  "/api/councils/" + facilitator.council + "/record", {}, "");
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(std::string(wrong[http::field::allow]), "GET, HEAD");
  EXPECT_EQ(json::parse(wrong.body()).at("code"), json::value("method_not_allowed"));

  // The v1 endpoints' refusals keep their "error" key and gain a message.
  const auto refused = http_get(server.port(), "/api/councils/" + facilitator.council + "/record");
  EXPECT_EQ(refused.result_int(), 401);
  const json::value body = json::parse(refused.body());
  EXPECT_EQ(body.at("error"), json::value("unauthorized"));
  EXPECT_EQ(body.at("code"), json::value("unauthorized"));
  EXPECT_FALSE(body.at("message").as_string().empty());
}

}  // namespace
}  // namespace renkei::it
