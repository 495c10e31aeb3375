// The authorisation matrix of people, organisations and the console
// (AUTHORIZATION.md "People, organisations and the console (v2)", PEOPLE.md
// "HTTP API (v2)"): every route of people_routes.cpp × every kind of
// signed-in person × an object of their own area and of another area,
// with the documented status; set-up links (unused, used, revoked,
// expired, of a deactivated person); a person's cookie on the WebSocket and
// on the council documents; and the v2 CLI refusing bad ids without
// changing anything. One server for the whole suite, set up through the CLI.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>

#include "app/auth/totp.hpp"
#include "app/tokens.hpp"
#include "test_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

const std::string area_a = "北広島保健所管内";
const std::string area_b = "三次保健所管内";
const std::string password = "kaigi-no-michi-2026";

// Who sends a request. The order is the matrix's column order.
enum Actor { signed_out, plain, secretariat_a, secretariat_b, admin, facilitator, deactivated };
const char* const actor_names[] = {"signed out",        "plain person",  "secretariat A",
                                   "secretariat B",     "administrator", "facilitator (no TOTP)",
                                   "deactivated person"};
constexpr int actor_count = 7;

struct Expect {
  int status;
  std::string code;  // the error's code; empty: not checked (a 200)
};

struct Request {
  http::verb verb;
  std::string target;
  std::string body;
};

// The value of renkei_session in a response's Set-Cookie, or "".
std::string session_cookie_of(const HttpResponse& response) {
  const std::string header(response[http::field::set_cookie]);
  const std::string prefix = "renkei_session=";
  if (header.compare(0, prefix.size(), prefix) != 0) return "";
  return header.substr(prefix.size(), header.find(';') - prefix.size());
}

std::string code_of(const HttpResponse& response) {
  try {
    const auto value = json::parse(response.body());
    if (const auto* code = value.as_object().if_contains("code"))
      return std::string(code->as_string());
  } catch (const std::exception&) {
  }
  return "";
}

class PeopleAuthorizationTest : public ::testing::Test {
 protected:
  // Everything the suite shares: the server and the directory it set up.
  struct World {
    ServerProcess server;
    std::string org_a, org_a2, org_b, org_b2;  // the second of each area: merges, moves
    Credentials council_a, council_b;          // made by `council create`, with a facilitator
    std::string target_a, target_b;            // people without seats, for the people routes
    std::string seat_a, seat_b;                // member seats of the plain people
    std::map<Actor, std::string> person;       // the actors' person ids
    std::map<Actor, std::string> cookie;       // their session cookies
    std::map<Actor, std::string> login;
  };
  static inline std::unique_ptr<World> w;
  static inline std::atomic<int> counter{0};
  static inline int checked = 0;  // requests whose status the matrix checked

  static ServerProcess& server() { return w->server; }
  static std::string fresh(const std::string& stem) { return stem + std::to_string(++counter); }

  // A CLI command that must succeed; its JSON line.
  static json::object cli(std::vector<std::string> args) {
    args.insert(args.begin() + 2, {"--db", server().db()});
    auto result = run_renkei(args);
    if (result.status != 0)
      throw std::runtime_error(args[0] + " " + args[1] + " failed: " + result.err);
    return json::parse(result.out).as_object();
  }
  static std::string str(const json::object& o, const char* key) {
    return std::string(o.at(key).as_string());
  }
  static std::string add_org(const std::string& area) {
    return str(cli({"org", "add", "--name", fresh("機関"), "--kind", "municipality", "--area", area,
                    "--prefecture", "広島県"}),
               "org");
  }
  // A new person of `org`: {person, setup}.
  static json::object add_person(const std::string& org, const std::string& login,
                                 bool admin = false) {
    std::vector<std::string> args{"person", "add", "--name",  fresh("職員 "),
                                  "--org",  org,   "--login", login};
    if (admin) args.push_back("--admin");
    return cli(args);
  }
  static std::string add_seat(const std::string& council, const std::string& person,
                              const std::string& role) {
    return str(cli({"seat", "add", "--council", council, "--person", person, "--role", role}),
               "participant");
  }
  static Credentials add_council(const std::string& area) {
    const auto made = cli({"council", "create", "--name", fresh("協議体"), "--facilitator-name",
                           fresh("進行 "), "--facilitator-org", "保健所", "--area", area});
    return Credentials{str(made, "council"), str(made, "participant"), str(made, "token")};
  }

  // Any request, with the session cookie (when given) and the server's own
  // Origin (unless `origin` is false).
  static HttpResponse call(http::verb verb, const std::string& target, const std::string& cookie,
                           std::string body = "", bool origin = true) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!cookie.empty()) headers.emplace_back("Cookie", "renkei_session=" + cookie);
    if (origin) headers.emplace_back("Origin", server().origin());
    if (!body.empty() && body.front() == '{')
      headers.emplace_back("Content-Type", "application/json");
    return http_request(server().port(), verb, target, headers, std::move(body));
  }
  static HttpResponse get(const std::string& target, const std::string& cookie) {
    return call(http::verb::get, target, cookie);
  }
  static HttpResponse post(const std::string& target, const std::string& cookie,
                           const std::string& body = "") {
    return call(http::verb::post, target, cookie, body);
  }

  // The set-up link's path "/setup/<token>" used with `password`: the
  // session cookie.
  static std::string set_up(const std::string& link) {
    auto response = post("/api" + link, "", json::serialize(json::object{{"password", password}}));
    if (response.result_int() != 200)
      throw std::runtime_error("set-up " + link + ": " + response.body());
    return session_cookie_of(response);
  }
  static void enrol_totp(const std::string& cookie) {
    auto begun = post("/api/me/totp", cookie);
    if (begun.result_int() != 200) throw std::runtime_error("totp: " + begun.body());
    const auto secret = app::auth::totp::base32_decode(
        std::string(json::parse(begun.body()).at("secret").as_string()));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto confirmed =
        post("/api/me/totp/confirm", cookie,
             json::serialize(json::object{{"code", app::auth::totp::code_at(*secret, now)}}));
    if (confirmed.result_int() != 200) throw std::runtime_error("confirm: " + confirmed.body());
  }
  // A person of `org` with a login, signed in through their set-up link.
  static void actor(Actor who, const std::string& org, bool admin_grant = false) {
    w->login[who] = fresh("actor");
    const auto made = add_person(org, w->login[who], admin_grant);
    w->person[who] = str(made, "person");
    w->cookie[who] = set_up(str(made, "setup"));
  }

  static void SetUpTestSuite() {
    w = std::make_unique<World>();
    server().start();
    w->org_a = add_org(area_a);
    w->org_a2 = add_org(area_a);
    w->org_b = add_org(area_b);
    w->org_b2 = add_org(area_b);
    w->council_a = add_council(area_a);
    w->council_b = add_council(area_b);
    w->target_a = str(add_person(w->org_a, fresh("target")), "person");
    w->target_b = str(add_person(w->org_b, fresh("target")), "person");

    actor(plain, w->org_a);
    w->seat_a = add_seat(w->council_a.council, w->person[plain], "member");
    const auto plain_b = str(add_person(w->org_b, fresh("plainb")), "person");
    w->seat_b = add_seat(w->council_b.council, plain_b, "member");

    actor(secretariat_a, w->org_a);
    cli({"person", "grant", "--person", w->person[secretariat_a], "--role", "secretariat",
         "--scope", area_a});
    actor(secretariat_b, w->org_b);
    cli({"person", "grant", "--person", w->person[secretariat_b], "--role", "secretariat",
         "--scope", area_b});
    actor(admin, w->org_a, true);
    enrol_totp(w->cookie[admin]);
    // The seat comes before the set-up, so the second factor is required
    // from the first sign-in on.
    w->login[facilitator] = fresh("actor");
    const auto fac = add_person(w->org_a, w->login[facilitator]);
    w->person[facilitator] = str(fac, "person");
    add_seat(w->council_a.council, w->person[facilitator], "facilitator");
    w->cookie[facilitator] = set_up(str(fac, "setup"));

    actor(deactivated, w->org_a);
    add_seat(w->council_a.council, w->person[deactivated], "member");
    cli({"person", "deactivate", "--person", w->person[deactivated]});
  }
  static void TearDownTestSuite() {
    if (w->server.running()) {
      EXPECT_EQ(w->server.stop(), 0) << "unclean exit; log:\n" << w->server.log();
    }
    w.reset();
    std::printf("[ matrix ] %d requests checked\n", checked);
  }

  // The documented answer of a console route to `who` for an object of
  // `own_area` (true: the area of secretariat A).
  static Expect console_expect(Actor who, bool in_area_a, bool admin_only, bool creates) {
    switch (who) {
      case signed_out:
      case deactivated: return {401, "unauthorized"};
      case facilitator: return {403, "second_factor_enrolment_required"};
      case plain: return {403, "forbidden"};
      case admin: return {200, ""};
      case secretariat_a:
      case secretariat_b: {
        if (admin_only) return {403, "forbidden"};
        const bool own = (who == secretariat_a) == in_area_a;
        if (own) return {200, ""};
        return creates ? Expect{403, "forbidden"} : Expect{404, "not_found"};
      }
    }
    return {0, ""};
  }

  static void check(Actor who, const Request& request, const Expect& expected,
                    const std::string& what) {
    const auto response = call(request.verb, request.target, w->cookie[who], request.body);
    ++checked;
    EXPECT_EQ(static_cast<int>(response.result_int()), expected.status)
        << what << " by " << actor_names[who] << ": " << request.verb << " " << request.target
        << " " << request.body << " -> " << response.body();
    if (!expected.code.empty()) {
      EXPECT_EQ(code_of(response), expected.code)
          << what << " by " << actor_names[who] << ": " << response.body();
    }
  }
};

// One console route: the request for an object of area A or B. `fresh` is
// true when the request is expected to succeed and changes what it
// targets: it then gets objects of its own.
struct ConsoleRoute {
  std::string name;
  std::function<Request(bool in_area_a, bool fresh)> request;
  bool creates = false;     // another area's secretariat: 403 rather than 404
  bool areal = true;        // false: the route has no target area (lists, import, audit)
  bool admin_only = false;  // audit
};

TEST_F(PeopleAuthorizationTest, ConsoleRoutesByRoleAndArea) {
  using V = http::verb;
  auto org = [](bool a) { return a ? w->org_a : w->org_b; };
  auto org2 = [](bool a) { return a ? w->org_a2 : w->org_b2; };
  auto area = [](bool a) { return a ? area_a : area_b; };
  auto council = [](bool a) { return a ? w->council_a.council : w->council_b.council; };
  auto target = [](bool a) { return a ? w->target_a : w->target_b; };
  auto body = [](json::object o) { return json::serialize(o); };
  const std::string csv_orgs = "名称,種別\n" + std::string("新しい機関") + ",municipality\n";
  const std::vector<ConsoleRoute> routes = {
      {"list orgs",
       [](bool, bool) {
         return Request{V::get, "/api/console/orgs", ""};
       },
       false, false},
      {"add org",
       [&](bool a, bool) {
         return Request{V::post, "/api/console/orgs",
                        body({{"name", fresh("新機関")}, {"kind", "hospital"}, {"area", area(a)}})};
       },
       true},
      {"edit org",
       [&](bool a, bool) {
         return Request{V::patch, "/api/console/orgs/" + org(a), body({{"prefecture", "広島県"}})};
       }},
      {"merge org",
       [&](bool a, bool f) {
         return Request{V::post, "/api/console/orgs/" + (f ? add_org(area(a)) : org2(a)) + "/merge",
                        body({{"into", f ? add_org(area(a)) : org(a)}})};
       }},
      {"deactivate org",
       [&](bool a, bool f) {
         return Request{V::post,
                        "/api/console/orgs/" + (f ? add_org(area(a)) : org(a)) + "/deactivate", ""};
       }},
      {"list people",
       [](bool, bool) {
         return Request{V::get, "/api/console/people", ""};
       },
       false, false},
      {"add person",
       [&](bool a, bool) {
         return Request{V::post, "/api/console/people",
                        body({{"name", "新しい 職員"}, {"org", org(a)}, {"login", fresh("new")}})};
       },
       true},
      {"rename person",
       [&](bool a, bool) {
         return Request{V::patch, "/api/console/people/" + target(a),
                        body({{"name", a ? "対象 甲" : "対象 乙"}})};
       }},
      {"move person",
       [&](bool a, bool f) {
         return Request{V::patch, "/api/console/people/" + target(a),
                        body({{"org", f && counter % 2 ? org2(a) : org(a)}})};
       }},
      {"deactivate person",
       [&](bool a, bool f) {
         const std::string who = f ? str(add_person(org(a), fresh("gone")), "person") : target(a);
         return Request{V::post, "/api/console/people/" + who + "/deactivate", ""};
       }},
      {"reissue set-up link",
       [&](bool a, bool) {
         return Request{V::post, "/api/console/people/" + target(a) + "/setup-link", ""};
       }},
      {"list councils",
       [](bool, bool) {
         return Request{V::get, "/api/console/councils", ""};
       },
       false, false},
      {"add council",
       [&](bool a, bool) {
         return Request{V::post, "/api/console/councils",
                        body({{"name", fresh("新協議体")},
                              {"kind", "council"},
                              {"area", area(a)},
                              {"themes", json::array{"退院支援"}}})};
       },
       true},
      {"edit council",
       [&](bool a, bool) {
         return Request{V::patch, "/api/console/councils/" + council(a),
                        body({{"next_meeting", "2030-04-01"}})};
       }},
      {"archive council",
       [&](bool a, bool f) {
         return Request{V::post,
                        "/api/console/councils/" + (f ? add_council(area(a)).council : council(a)) +
                            "/archive",
                        ""};
       }},
      {"list seats",
       [&](bool a, bool) {
         return Request{V::get, "/api/console/councils/" + council(a) + "/seats", ""};
       }},
      {"add seat",
       [&](bool a, bool f) {
         const std::string who = f ? str(add_person(org(a), fresh("seated")), "person") : target(a);
         return Request{V::post, "/api/console/councils/" + council(a) + "/seats",
                        body({{"person", who}, {"role", "observer"}})};
       }},
      {"change seat role",
       [&](bool a, bool) {
         return Request{V::patch, "/api/console/seats/" + (a ? w->seat_a : w->seat_b),
                        body({{"role", "member"}})};
       }},
      {"remove seat",
       [&](bool a, bool f) {
         std::string seat = a ? w->seat_a : w->seat_b;
         if (f)
           seat =
               add_seat(council(a), str(add_person(org(a), fresh("leaving")), "person"), "member");
         return Request{V::post, "/api/console/seats/" + seat + "/remove", ""};
       }},
      {"invitations",
       [](bool, bool) {
         return Request{V::get, "/api/console/invitations", ""};
       },
       false, false},
      {"import orgs (preview)",
       [&](bool, bool) {
         return Request{V::post, "/api/console/import/orgs?dry_run=1", csv_orgs};
       },
       false, false},
      {"import people (preview)",
       [&](bool, bool) {
         return Request{V::post, "/api/console/import/people?dry_run=1",
                        "氏名,機関,ログインID\n新人 一,北広島町,shinjin1\n"};
       },
       false, false},
      {"audit",
       [](bool, bool) {
         return Request{V::get, "/api/console/audit", ""};
       },
       false, false, true},
  };
  for (const auto& route : routes) {
    for (int a = 0; a < (route.areal ? 2 : 1); ++a) {
      const bool in_a = a == 0;
      for (int who = 0; who < actor_count; ++who) {
        // Without a target area, a secretariat acts in its own.
        const bool own_a = route.areal ? in_a : who != secretariat_b;
        const Expect expected =
            console_expect(static_cast<Actor>(who), own_a, route.admin_only, route.creates);
        check(static_cast<Actor>(who), route.request(in_a, expected.status == 200), expected,
              route.name + (route.areal ? (in_a ? " (area A)" : " (area B)") : ""));
      }
    }
  }
}

// What the lists show: a secretariat sees its own area only.
TEST_F(PeopleAuthorizationTest, ListsShowTheSecretariatsAreaOnly) {
  auto ids = [](Actor who, const std::string& path, const char* list, const char* key) {
    auto response = get(path, w->cookie[who]);
    EXPECT_EQ(response.result_int(), 200) << path << ": " << response.body();
    std::set<std::string> out;
    const json::value rows = json::parse(response.body());
    for (const auto& row : rows.at(list).as_array()) {
      const auto& v = row.as_object().at(key);
      out.insert(v.is_string() ? std::string(v.as_string())
                               : std::string(v.as_object().at("id").as_string()));
    }
    return out;
  };
  const auto orgs_a = ids(secretariat_a, "/api/console/orgs", "orgs", "id");
  EXPECT_TRUE(orgs_a.count(w->org_a));
  EXPECT_FALSE(orgs_a.count(w->org_b));
  const auto orgs_all = ids(admin, "/api/console/orgs", "orgs", "id");
  EXPECT_TRUE(orgs_all.count(w->org_a) && orgs_all.count(w->org_b));
  const auto people_b = ids(secretariat_b, "/api/console/people", "people", "id");
  EXPECT_TRUE(people_b.count(w->target_b));
  EXPECT_FALSE(people_b.count(w->target_a));
  EXPECT_FALSE(people_b.count(w->person[plain]));
  const auto councils_a = ids(secretariat_a, "/api/console/councils", "councils", "id");
  EXPECT_TRUE(councils_a.count(w->council_a.council));
  EXPECT_FALSE(councils_a.count(w->council_b.council));
  const auto invited_a = ids(secretariat_a, "/api/console/invitations", "invitations", "person");
  EXPECT_TRUE(invited_a.count(w->target_a));
  EXPECT_FALSE(invited_a.count(w->target_b));
}

// Moving a person into another area's organisation, granting roles and
// merging across areas: refused, nothing changed.
TEST_F(PeopleAuthorizationTest, CrossAreaChangesAreRefused) {
  auto patch = [](const std::string& path, Actor who, json::object o) {
    return call(http::verb::patch, path, w->cookie[who], json::serialize(o));
  };
  auto moved = patch("/api/console/people/" + w->target_a, secretariat_a, {{"org", w->org_b}});
  EXPECT_EQ(moved.result_int(), 403) << moved.body();
  EXPECT_EQ(code_of(moved), "forbidden");
  auto added = post("/api/console/people", w->cookie[secretariat_a],
                    json::serialize(json::object{
                        {"name", "越境 者"}, {"org", w->org_b}, {"login", fresh("cross")}}));
  EXPECT_EQ(added.result_int(), 403) << added.body();
  auto unknown = post("/api/console/people", w->cookie[secretariat_a],
                      json::serialize(json::object{
                          {"name", "不明 者"}, {"org", "o9999"}, {"login", fresh("unknown")}}));
  EXPECT_EQ(unknown.result_int(), 404) << unknown.body();
  auto merged = post("/api/console/orgs/" + w->org_a2 + "/merge", w->cookie[secretariat_a],
                     json::serialize(json::object{{"into", w->org_b}}));
  EXPECT_EQ(merged.result_int(), 404) << merged.body();
  auto granted = post(
      "/api/console/people", w->cookie[secretariat_a],
      json::serialize(json::object{
          {"name", "昇格 者"}, {"org", w->org_a}, {"login", fresh("grant")}, {"admin", true}}));
  EXPECT_EQ(granted.result_int(), 403) << granted.body();
  auto seat_b =
      post("/api/console/councils/" + w->council_a.council + "/seats", w->cookie[secretariat_a],
           json::serialize(json::object{{"person", w->target_b}, {"role", "member"}}));
  EXPECT_EQ(seat_b.result_int(), 404) << seat_b.body();
  auto area_moved = patch("/api/console/orgs/" + w->org_a2, secretariat_a, {{"area", area_b}});
  EXPECT_EQ(area_moved.result_int(), 403) << area_moved.body();
  // Still where they were.
  const json::value people = json::parse(get("/api/console/people", w->cookie[admin]).body());
  for (const auto& p : people.at("people").as_array())
    if (p.at("id") == json::value(w->target_a)) {
      EXPECT_NE(p.at("org").at("id"), json::value(w->org_b));
    }
  auto orgs = get("/api/console/orgs", w->cookie[secretariat_a]).body();
  EXPECT_NE(orgs.find(w->org_a2), std::string::npos);
  EXPECT_EQ(orgs.find("越境 者"), std::string::npos);
}

// The person routes outside the console.
TEST_F(PeopleAuthorizationTest, PersonRoutesByRole) {
  using V = http::verb;
  struct Row {
    Request request;
    std::function<Expect(Actor)> expect;
  };
  auto signed_in = [](Expect ok) {
    return [ok](Actor who) {
      return who == signed_out || who == deactivated ? Expect{401, "unauthorized"} : ok;
    };
  };
  const std::vector<Row> rows = {
      {{V::get, "/api/me", ""}, signed_in({200, ""})},
      {{V::get, "/api/home", ""},
       [](Actor who) {
         if (who == signed_out || who == deactivated) return Expect{401, "unauthorized"};
         if (who == facilitator) return Expect{403, "second_factor_enrolment_required"};
         return Expect{200, ""};
       }},
      // Reaches the check of the code: the wrong code is refused.
      {{V::post, "/api/me/totp/confirm", R"({"code":"abcdef"})"}, signed_in({400, "invalid_code"})},
      {{V::post, "/api/me/totp", ""}, signed_in({200, ""})},
      {{V::post, "/api/sign-out", ""},
       [](Actor who) {
         return who == signed_out || who == deactivated ? Expect{401, "unauthorized"}
                                                        : Expect{0, ""};
       }},
      {{V::post, "/api/sign-out-everywhere", ""},
       [](Actor who) {
         return who == signed_out || who == deactivated ? Expect{401, "unauthorized"}
                                                        : Expect{0, ""};
       }},
  };
  for (const auto& row : rows)
    for (int who = 0; who < actor_count; ++who) {
      const Expect expected = row.expect(static_cast<Actor>(who));
      if (expected.status == 0) continue;  // signs out: below
      check(static_cast<Actor>(who), row.request, expected, "person route");
    }
  // /api/home lists the councils with a seat, and only those.
  const auto home = get("/api/home", w->cookie[plain]).body();
  EXPECT_NE(home.find(w->council_a.council), std::string::npos) << home;
  EXPECT_EQ(home.find(w->council_b.council), std::string::npos) << home;
  const auto admin_home = get("/api/home", w->cookie[admin]).body();
  EXPECT_EQ(admin_home.find(w->council_a.council), std::string::npos) << admin_home;

  // Sign-out ends this session only; sign-out-everywhere every one.
  auto sign_in = [](Actor who) {
    auto response =
        post("/api/sign-in", "",
             json::serialize(json::object{{"login", w->login[who]}, {"password", password}}));
    EXPECT_EQ(response.result_int(), 200) << response.body();
    return session_cookie_of(response);
  };
  for (Actor who : {plain, secretariat_a, facilitator}) {
    const std::string second = sign_in(who);
    check(who, {V::get, "/api/me", ""}, {200, ""}, "before sign-out");
    ++checked;
    EXPECT_EQ(post("/api/sign-out", second).result_int(), 200);
    ++checked;
    EXPECT_EQ(get("/api/me", second).result_int(), 401);
    check(who, {V::get, "/api/me", ""}, {200, ""}, "other session after sign-out");
  }
  const std::string third = sign_in(secretariat_b);
  const std::string fourth = sign_in(secretariat_b);
  ++checked;
  EXPECT_EQ(post("/api/sign-out-everywhere", third).result_int(), 200);
  ++checked;
  EXPECT_EQ(get("/api/me", fourth).result_int(), 401);
  // The suite's own session of secretariat B is one of "everywhere".
  check(secretariat_b, {V::get, "/api/me", ""}, {401, "unauthorized"}, "after everywhere");
  w->cookie[secretariat_b] = sign_in(secretariat_b);
}

// A cookie write must come from the server's origin.
TEST_F(PeopleAuthorizationTest, CookieWritesWithoutOriginAreRefused) {
  for (const std::string& path : {std::string("/api/console/orgs/") + w->org_a + "/deactivate",
                                  std::string("/api/me/totp"), std::string("/api/sign-out")}) {
    auto response = call(http::verb::post, path, w->cookie[admin], "", false);
    ++checked;
    EXPECT_EQ(response.result_int(), 403) << path << ": " << response.body();
  }
  auto elsewhere = http_request(server().port(), http::verb::post, "/api/console/orgs",
                                {{"Cookie", "renkei_session=" + w->cookie[admin]},
                                 {"Origin", "http://evil.example"},
                                 {"Content-Type", "application/json"}},
                                R"({"name":"悪意","kind":"other"})");
  ++checked;
  EXPECT_EQ(elsewhere.result_int(), 403) << elsewhere.body();
  // Still signed in and nothing deactivated.
  EXPECT_EQ(get("/api/me", w->cookie[admin]).result_int(), 200);
  EXPECT_EQ(get("/api/console/orgs", w->cookie[admin]).body().find("悪意"), std::string::npos);
}

TEST_F(PeopleAuthorizationTest, SetUpLinks) {
  auto expect_invalid = [](const std::string& link, const std::string& what) {
    auto info = get("/api" + link, "");
    auto used = post("/api" + link, "", json::serialize(json::object{{"password", password}}));
    checked += 2;
    EXPECT_EQ(info.result_int(), 401) << what << ": " << info.body();
    EXPECT_EQ(code_of(info), "invalid_token") << what;
    EXPECT_EQ(used.result_int(), 401) << what << ": " << used.body();
    EXPECT_EQ(code_of(used), "invalid_token") << what;
    EXPECT_TRUE(session_cookie_of(used).empty()) << what;
  };
  // Unused: works once. A weak password does not spend it.
  const auto once = add_person(w->org_a, fresh("once"));
  const std::string link = str(once, "setup");
  EXPECT_EQ(get("/api" + link, "").result_int(), 200);
  auto weak = post("/api" + link, "", R"({"password":"password123"})");
  EXPECT_EQ(weak.result_int(), 400) << weak.body();
  EXPECT_EQ(code_of(weak), "weak_password");
  const std::string cookie = set_up(link);
  EXPECT_FALSE(cookie.empty());
  EXPECT_EQ(get("/api/me", cookie).result_int(), 200);
  expect_invalid(link, "used link");

  // Revoked by a newer one.
  const auto twice = add_person(w->org_b, fresh("twice"));
  auto reissued =
      post("/api/console/people/" + str(twice, "person") + "/setup-link", w->cookie[secretariat_b]);
  ASSERT_EQ(reissued.result_int(), 200) << reissued.body();
  expect_invalid(str(twice, "setup"), "revoked link");
  EXPECT_FALSE(set_up(str(json::parse(reissued.body()).as_object(), "setup")).empty());

  // Expired: the CLI cannot make one, so its expiry is moved into the
  // past by a direct update of the file (store::Database keeps its SQLite
  // handle to itself, so a plain connection with a busy timeout does it;
  // the server runs in WAL mode and reads the row on the next request).
  const auto late = add_person(w->org_a, fresh("late"));
  const std::string late_link = str(late, "setup");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(server().db().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr),
              SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql =
        "UPDATE setup_links SET expires_at = '2001-01-01T00:00:00.000Z' "
        "WHERE token_hash = '" +
        app::hash_token(late_link.substr(7)) + "'";
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    const int changed = sqlite3_changes(db);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK);
    ASSERT_EQ(changed, 1);
  }
  expect_invalid(late_link, "expired link");
  const auto invitations = json::parse(get("/api/console/invitations", w->cookie[admin]).body());
  bool seen = false;
  for (const auto& row : invitations.at("invitations").as_array())
    if (row.at("person") == json::value(str(late, "person"))) {
      EXPECT_EQ(row.at("state"), "expired");
      seen = true;
    }
  EXPECT_TRUE(seen);

  // A deactivated person's link; an unknown one.
  const auto leaving = add_person(w->org_a, fresh("leaving"));
  cli({"person", "deactivate", "--person", str(leaving, "person")});
  expect_invalid(str(leaving, "setup"), "deactivated person's link");
  expect_invalid("/setup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "unknown link");

  // A deactivated person cannot sign in; the answer is a wrong password's.
  auto refused =
      post("/api/sign-in", "",
           json::serialize(json::object{{"login", w->login[deactivated]}, {"password", password}}));
  ++checked;
  EXPECT_EQ(refused.result_int(), 401) << refused.body();
  EXPECT_EQ(code_of(refused), "invalid_credentials");
  auto wrong = post("/api/sign-in", "",
                    json::serialize(json::object{{"login", w->login[plain]},
                                                 {"password", "not-the-password-1"}}));
  EXPECT_EQ(refused.body(), wrong.body());
}

// A person's cookie on the WebSocket: the seats decide.
TEST_F(PeopleAuthorizationTest, HelloAndDocumentsWithAPersonsCookie) {
  auto hello = [](Actor who, const std::string& council) {
    WsClient client(server().port(), {{"Cookie", "renkei_session=" + w->cookie[who]},
                                      {"Origin", server().origin()}});
    client.send(json::object{{"type", "hello"}, {"council", council}, {"since", 0}});
    Frame reply = client.expect();
    std::optional<std::uint16_t> closed;
    if (reply.type() == "error") closed = client.wait_closed();
    ++checked;
    return std::make_pair(reply, closed);
  };
  {
    auto [reply, closed] = hello(plain, w->council_a.council);
    EXPECT_EQ(reply.type(), "welcome") << reply.text;
  }
  for (auto [who, council] :
       {std::pair{plain, w->council_b.council}, std::pair{admin, w->council_a.council},
        std::pair{secretariat_a, w->council_a.council},
        std::pair{deactivated, w->council_a.council}}) {
    auto [reply, closed] = hello(who, council);
    EXPECT_EQ(reply.str("code"), "unauthorized") << actor_names[who] << ": " << reply.text;
    EXPECT_EQ(closed, std::optional<std::uint16_t>(4401)) << actor_names[who];
  }
  {
    auto [reply, closed] = hello(facilitator, w->council_a.council);
    EXPECT_EQ(reply.str("code"), "second_factor_enrolment_required") << reply.text;
    EXPECT_EQ(closed, std::optional<std::uint16_t>(4403));
  }
  // Without any cookie.
  {
    WsClient client(server().port());
    client.send(json::object{{"type", "hello"}, {"council", w->council_a.council}, {"since", 0}});
    EXPECT_EQ(client.expect().str("code"), "unauthorized");
    EXPECT_EQ(client.wait_closed(), std::optional<std::uint16_t>(4401));
    ++checked;
  }

  const std::string record_a = "/api/councils/" + w->council_a.council + "/record";
  const std::string record_b = "/api/councils/" + w->council_b.council + "/record";
  check(plain, {http::verb::get, record_a, ""}, {200, ""}, "record with a seat");
  check(plain, {http::verb::get, record_b, ""}, {403, ""}, "record without a seat");
  check(secretariat_a, {http::verb::get, record_a, ""}, {403, ""}, "secretariat's record");
  check(admin, {http::verb::get, record_a, ""}, {403, ""}, "administrator's record");
  check(signed_out, {http::verb::get, record_a, ""}, {401, ""}, "record signed out");
  check(deactivated, {http::verb::get, record_a, ""}, {401, ""}, "record deactivated");
  check(facilitator, {http::verb::get, record_a, ""}, {403, "second_factor_enrolment_required"},
        "facilitator's record before enrolment");
}

// The v2 CLI with a bad id or name: non-zero, a message, no change.
TEST_F(PeopleAuthorizationTest, CliRefusesBadIdsAndChangesNothing) {
  auto trail_size = [] {
    auto result = run_renkei({"audit", "--db", server().db()});
    EXPECT_EQ(result.status, 0) << result.err;
    return std::count(result.out.begin(), result.out.end(), '\n');
  };
  const auto before = trail_size();
  const std::string db = server().db();
  const std::string council = w->council_a.council;
  const std::string person = w->target_a;
  const std::vector<std::vector<std::string>> refused = {
      {"org", "add", "--db", db, "--name", "どこか", "--kind", "castle"},
      {"org", "add", "--db", db, "--kind", "other"},
      {"person", "add", "--db", db, "--name", "誰か", "--org", "無い機関", "--login", "nobody1"},
      {"person", "add", "--db", db, "--name", "誰か", "--org", "o9999", "--login", "nobody2"},
      {"person", "add", "--db", db, "--name", "誰か", "--org", w->org_a, "--login",
       w->login[plain]},
      {"person", "deactivate", "--db", db, "--person", "u9999"},
      {"person", "deactivate", "--db", db, "--person", "nobody"},
      {"person", "deactivate", "--db", db, "--person", w->person[deactivated]},
      {"person", "grant", "--db", db, "--person", "u9999", "--role", "secretariat", "--scope",
       area_a},
      {"person", "grant", "--db", db, "--person", person, "--role", "king"},
      {"person", "grant", "--db", db, "--person", person, "--role", "secretariat"},
      {"seat", "add", "--db", db, "--council", "c9999", "--person", person, "--role", "member"},
      {"seat", "add", "--db", db, "--council", council, "--person", "u9999", "--role", "member"},
      {"seat", "add", "--db", db, "--council", council, "--person", person, "--role", "admin"},
      {"seat", "add", "--db", db, "--council", council, "--person", w->person[deactivated],
       "--role", "member"},
      {"seat", "add", "--db", db, "--council", council, "--person", w->person[plain], "--role",
       "member"},
  };
  for (const auto& args : refused) {
    auto result = run_renkei(args);
    std::string line;
    for (const auto& a : args) line += a + " ";
    EXPECT_NE(result.status, 0) << line << result.out;
    EXPECT_EQ(result.out, "") << line;
    EXPECT_NE(result.err.find(" / "), std::string::npos)
        << line << ": no message in both languages: " << result.err;
    EXPECT_EQ(trail_size(), before) << line << " changed the directory";
  }
}

}  // namespace
}  // namespace renkei::it
