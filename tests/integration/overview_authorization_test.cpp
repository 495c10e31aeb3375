// The authorisation matrix of the prefecture's view (AUTHORIZATION.md "The
// prefecture's view"): every new route × signed out, a person, the
// secretariats of A and B, prefecture viewers of 広島県 and of 岡山県, an
// administrator, with the documented status and code.
#include "overview_support.hpp"

namespace renkei::it::overview {
namespace {

class OverviewAuthorizationTest : public OverviewWorld {};

struct Route {
  std::string name;
  http::verb verb;
  std::string target;
  std::string body;
  int expected[who_count];  // by Who
};

TEST_F(OverviewAuthorizationTest, EveryNewRouteByWho) {
  const std::string pref_h = "/api/prefectures/" + percent(hiroshima) + "/overview";
  const std::string pref_o = "/api/prefectures/" + percent(okayama) + "/overview";
  const std::string area_a_ = "/api/areas/" + percent(area_a) + "/overview";
  const std::string area_b_ = "/api/areas/" + percent(area_b) + "/overview";
  const std::string area_c_ = "/api/areas/" + percent(area_c) + "/overview";
  const std::string a1 = "/api/councils/" + w->council_a1.council + "/";
  const std::string c = "/api/councils/" + w->council_c.council + "/";
  const std::string o = "/api/councils/" + w->one_on_one.council + "/";
  // A person without grants to give to and take from.
  const std::string target = str(
      cli({"person", "add", "--name", "対象 者", "--org", w->org_b, "--login", fresh("target")}),
      "person");
  const std::string grants = "/api/console/people/" + target + "/grants";
  const std::string give =
      json::serialize(json::object{{"role", "prefecture_viewer"}, {"scope", hiroshima}});

  // Columns: signed out, person, secretariat A, secretariat B, viewer 広島県,
  // viewer 岡山県, administrator.
  const std::vector<Route> routes = {
      {"prefecture overview", http::verb::get, pref_h, "", {401, 403, 403, 403, 200, 403, 200}},
      {"prefecture CSV",
       http::verb::get,
       pref_h + "?format=csv",
       "",
       {401, 403, 403, 403, 200, 403, 200}},
      {"other prefecture", http::verb::get, pref_o, "", {401, 403, 403, 403, 403, 200, 200}},
      {"area A overview", http::verb::get, area_a_, "", {401, 403, 200, 403, 200, 403, 200}},
      {"area B CSV",
       http::verb::get,
       area_b_ + "?format=csv",
       "",
       {401, 403, 403, 200, 200, 403, 200}},
      {"area C overview", http::verb::get, area_c_, "", {401, 403, 403, 403, 403, 200, 200}},
      {"record of A1 (drill-down)",
       http::verb::get,
       a1 + "record",
       "",
       {401, 200, 403, 403, 200, 403, 403}},
      {"comparison of A1",
       http::verb::get,
       a1 + "comparison",
       "",
       {401, 200, 403, 403, 200, 403, 403}},
      {"roles.csv of A1",
       http::verb::get,
       a1 + "roles.csv",
       "",
       {401, 200, 403, 403, 200, 403, 403}},
      {"record of C", http::verb::get, c + "record", "", {401, 403, 403, 403, 403, 200, 403}},
      {"record of the one-on-one",
       http::verb::get,
       o + "record",
       "",
       {401, 403, 200, 403, 403, 403, 403}},
      {"give a grant", http::verb::post, grants, give, {401, 403, 403, 403, 403, 403, 200}},
      {"remove a grant",
       http::verb::post,
       grants + "/remove",
       give,
       {401, 403, 403, 403, 403, 403, 200}},
  };
  int checked = 0;
  for (const Route& route : routes) {
    for (int who = 0; who < who_count; ++who) {
      const auto response =
          call(route.verb, route.target, w->cookie[static_cast<Who>(who)], route.body);
      ++checked;
      EXPECT_EQ(static_cast<int>(response.result_int()), route.expected[who])
          << route.name << " by " << who_names[who] << " -> " << response.body();
      const int status = route.expected[who];
      if (status == 401 && route.verb == http::verb::get &&
          route.target.rfind("/api/councils/", 0) != 0) {
        EXPECT_EQ(code_of(response), "unauthorized") << route.name;
      }
      if (status == 403 && route.target.rfind("/api/councils/", 0) != 0) {
        EXPECT_EQ(code_of(response), "forbidden") << route.name << " by " << who_names[who];
      }
    }
  }
  std::printf("[ matrix ] %d requests checked\n", checked);
}

TEST_F(OverviewAuthorizationTest, BadNamesAreRefusedClearly) {
  const auto bad = get("/api/prefectures/%FF%FE/overview", admin);
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_EQ(code_of(bad), "bad_request");
  EXPECT_EQ(get("/api/prefectures/%ZZ/overview", admin).result_int(), 400);
  // An unknown prefecture is an empty overview for an administrator.
  const auto empty = get("/api/prefectures/" + percent("沖縄県") + "/overview", admin);
  ASSERT_EQ(empty.result_int(), 200);
  EXPECT_TRUE(json::parse(empty.body()).at("areas").as_array().empty());
}

}  // namespace
}  // namespace renkei::it::overview
