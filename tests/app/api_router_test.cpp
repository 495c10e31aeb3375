// The routes of the HTTP API (app/api_router.hpp): patterns and their
// parameters, the most specific route, HEAD, 404/405 and the Origin rule.
#include "app/api_router.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>

namespace renkei::app {
namespace {

// Dispatches synchronously: the handlers below answer at once.
HttpReply call(const ApiRouter& router, ApiRequest request) {
  std::optional<HttpReply> reply;
  router.dispatch(std::move(request), [&](HttpReply r) { reply = std::move(r); });
  EXPECT_TRUE(reply.has_value());
  return reply ? *reply : HttpReply{};
}

ApiRequest request(std::string method, std::string path) {
  ApiRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

// A handler that answers its name and parameters, "name id=o3 ...".
ApiHandler echo(std::string name, std::vector<std::string> keys = {}) {
  return [name = std::move(name), keys = std::move(keys)](ApiRequest, RouteParams params,
                                                          ApiDone done) {
    std::string body = name;
    for (const auto& key : keys) body += " " + key + "=" + params[key];
    done(HttpReply{200, "text/plain", body});
  };
}

class ApiRouterTest : public ::testing::Test {
 protected:
  ApiRouterTest() {
    router.add("GET", "/api/console/orgs", echo("list"));
    router.add("POST", "/api/console/orgs", echo("create"));
    router.add("PATCH", "/api/console/orgs/{id}", echo("update", {"id"}));
    router.add("POST", "/api/console/orgs/{id}/merge", echo("merge", {"id"}));
    router.add("POST", "/api/console/import/{kind}", echo("import", {"kind"}));
    router.add("POST", "/api/console/import/orgs", echo("import-orgs"));
    router.add("GET", "/api/councils/{council}/meetings/{meeting}/minutes.md",
               echo("minutes", {"council", "meeting"}));
    router.add("POST", "/api/sign-out", echo("sign-out"),
               {ApiRouter::OriginCheck::none, protocol::HttpErrorShape::code});
  }
  ApiRouter router;
};

TEST_F(ApiRouterTest, ParametersAreTheSegmentsAsSent) {
  EXPECT_EQ(call(router, request("POST", "/api/console/orgs/o3/merge")).body, "merge id=o3");
  EXPECT_EQ(call(router, request("PATCH", "/api/console/orgs/%E6%97%A5")).body,
            "update id=%E6%97%A5");
  EXPECT_EQ(call(router, request("GET", "/api/councils/c1/meetings/m2/minutes.md")).body,
            "minutes council=c1 meeting=m2");
}

TEST_F(ApiRouterTest, ALiteralSegmentBeatsAParameter) {
  EXPECT_EQ(call(router, request("POST", "/api/console/import/orgs")).body, "import-orgs");
  EXPECT_EQ(call(router, request("POST", "/api/console/import/people")).body, "import kind=people");
}

TEST_F(ApiRouterTest, HeadIsAnsweredByTheGetRoute) {
  EXPECT_EQ(call(router, request("HEAD", "/api/console/orgs")).body, "list");
}

TEST_F(ApiRouterTest, UnknownPathIs404AndOtherMethodIs405) {
  for (const char* path :
       {"/api/nothing", "/api/console/orgs/", "/api/console/orgs//merge",
        "/api/console/orgs/o1/merge/x", "/api/councils/c1/meetings//minutes.md"}) {
    SCOPED_TRACE(path);
    const HttpReply reply = call(router, request("POST", path));
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(reply.body, R"({"code":"not_found","message":"見つかりません / not found"})");
  }
  const HttpReply reply = call(router, request("DELETE", "/api/console/orgs"));
  EXPECT_EQ(reply.status, 405);
  EXPECT_NE(reply.body.find(R"("code":"method_not_allowed")"), std::string::npos);
  ASSERT_EQ(reply.headers.size(), 1u);
  EXPECT_EQ(reply.headers[0].first, "Allow");
  EXPECT_EQ(reply.headers[0].second, "GET, HEAD, POST");
}

TEST_F(ApiRouterTest, ACookiesWriteNeedsAnAllowedOrigin) {
  ApiRequest r = request("POST", "/api/console/orgs");
  r.session_cookie = "cookie";
  HttpReply refused = call(router, r);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find(R"("code":"forbidden")"), std::string::npos);
  EXPECT_EQ(refused.body.find(R"("error")"), std::string::npos);

  r.origin_allowed = true;
  EXPECT_EQ(call(router, r).body, "create");

  // A bearer token is not sent by a browser on its own: no Origin needed.
  r.origin_allowed = false;
  r.bearer_token = "token";
  EXPECT_EQ(call(router, r).body, "create");

  // Reads need none, and neither does a route that opted out.
  ApiRequest read = request("GET", "/api/console/orgs");
  read.session_cookie = "cookie";
  EXPECT_EQ(call(router, read).body, "list");
  ApiRequest sign_out = request("POST", "/api/sign-out");
  sign_out.session_cookie = "cookie";
  EXPECT_EQ(call(router, sign_out).body, "sign-out");
}

TEST_F(ApiRouterTest, BadOrDuplicatePatternsAreRefused) {
  EXPECT_THROW(router.add("GET", "api/x", echo("x")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/api//x", echo("x")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/api/{}", echo("x")), std::invalid_argument);
  EXPECT_THROW(router.add("PATCH", "/api/console/orgs/{other}", echo("x")), std::invalid_argument);
  EXPECT_NO_THROW(router.add("DELETE", "/api/console/orgs/{id}", echo("x")));
}

TEST(QueryParameter, DecodesTheFirstOccurrence) {
  EXPECT_EQ(query_parameter("q=%E9%80%80%E9%99%A2+%E6%94%AF%E6%8F%B4&q=x", "q"), "退院 支援");
  EXPECT_EQ(query_parameter("since=m3#top", "since"), "m3");
  EXPECT_EQ(query_parameter("q=", "q"), "");
  EXPECT_EQ(query_parameter("q", "q"), "");
  EXPECT_EQ(query_parameter("a=1", "q"), std::nullopt);
  EXPECT_EQ(query_parameter("q=%E", "q"), std::nullopt);
  EXPECT_EQ(query_parameter("", "q"), std::nullopt);
}

}  // namespace
}  // namespace renkei::app
