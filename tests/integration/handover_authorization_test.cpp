// The authorisation matrix of the handover routes (CONTINUITY.md section 1,
// AUTHORIZATION.md): every route of handover_routes.cpp × signed out, a
// person with a seat, the secretariat of area A, of area B, an
// administrator and the person leaving × an object of area A and of area B,
// with the documented status. A request expected to succeed gets objects of
// its own (a person with seats, a pending request, a vacancy).
#include <chrono>
#include <functional>

#include "app/auth/totp.hpp"
#include "handover_support.hpp"

namespace renkei::it {
namespace {

const std::string area_a = "北広島保健所管内";
const std::string area_b = "三次保健所管内";

enum Actor { signed_out, person, secretariat_a, secretariat_b, admin, leaving };
const char* const actor_names[] = {"signed out",    "person with a seat", "secretariat A",
                                   "secretariat B", "administrator",      "the person leaving"};
constexpr Actor actors[] = {signed_out, person, secretariat_a, secretariat_b, admin, leaving};

struct Expect {
  int status;
  std::string code;
};

class HandoverAuthorizationTest : public ::testing::Test {
 protected:
  struct World : HandoverWorld {
    std::string org_a, org_b;
    Credentials council_a, council_b;
    std::map<Actor, std::string> id, cookie;
  };
  static inline std::unique_ptr<World> w;
  static inline int checked = 0;

  static void enrol_totp(const std::string& cookie) {
    auto begun = w->post("/api/me/totp", cookie);
    if (begun.result_int() != 200) throw std::runtime_error("totp: " + begun.body());
    const auto secret = app::auth::totp::base32_decode(
        std::string(json::parse(begun.body()).at("secret").as_string()));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto confirmed =
        w->post("/api/me/totp/confirm", cookie, {{"code", app::auth::totp::code_at(*secret, now)}});
    if (confirmed.result_int() != 200) throw std::runtime_error("confirm: " + confirmed.body());
  }

  static void SetUpTestSuite() {
    w = std::make_unique<World>();
    w->server.start();
    w->org_a = w->add_org(area_a);
    w->org_b = w->add_org(area_b);
    w->council_a = w->add_council(area_a);
    w->council_b = w->add_council(area_b);
    std::tie(w->id[person], w->cookie[person]) = w->signed_in(w->org_a);
    w->add_seat(w->council_a.council, w->id[person]);
    std::tie(w->id[leaving], w->cookie[leaving]) = w->signed_in(w->org_a);
    w->add_seat(w->council_a.council, w->id[leaving]);
    std::tie(w->id[secretariat_a], w->cookie[secretariat_a]) = w->signed_in(w->org_a);
    w->grant(w->id[secretariat_a], "secretariat", area_a);
    std::tie(w->id[secretariat_b], w->cookie[secretariat_b]) = w->signed_in(w->org_b);
    w->grant(w->id[secretariat_b], "secretariat", area_b);
    const auto made = w->add_person(w->org_a);
    w->id[admin] = HandoverWorld::str(made, "person");
    w->grant(w->id[admin], "admin");
    w->cookie[admin] = w->set_up(HandoverWorld::str(made, "setup"));
    enrol_totp(w->cookie[admin]);
  }
  static void TearDownTestSuite() {
    if (w->server.running()) {
      EXPECT_EQ(w->server.stop(), 0) << w->server.log();
    }
    w.reset();
    std::printf("[ matrix ] %d requests checked\n", checked);
  }

  static std::string org(bool a) { return a ? w->org_a : w->org_b; }
  static std::string council(bool a) { return a ? w->council_a.council : w->council_b.council; }
  // A person of area A or B with a seat: {id, cookie}.
  static std::pair<std::string, std::string> seated(bool a) {
    auto p = w->signed_in(org(a));
    w->add_seat(council(a), p.first);
    return p;
  }
  static std::string today() {
    const auto now = std::chrono::system_clock::now() + std::chrono::hours(9);
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(now)};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return text;
  }
  static std::string pending_request(bool a) {
    const auto [id, cookie] = seated(a);
    const auto r =
        w->post("/api/me/handover", cookie, {{"successor", nullptr}, {"date", "2099-04-01"}});
    if (r.result_int() != 200) throw std::runtime_error("request: " + r.body());
    return std::string(json::parse(r.body()).at("request").as_string());
  }
  static std::string vacancy(bool a) {
    const auto [id, cookie] = seated(a);
    const auto seat = std::string(json::parse(w->get("/api/me", cookie).body())
                                      .at("seats")
                                      .as_array()[0]
                                      .at("participant")
                                      .as_string());
    const auto r = w->post("/api/console/people/" + id + "/handover", w->cookie[admin],
                           {{"successor", nullptr}, {"date", today()}});
    if (r.result_int() != 200) throw std::runtime_error("vacate: " + r.body());
    return seat;
  }

  // The console's rule: admin everywhere, a secretariat in its area (404
  // for another area's object), others 403, signed out 401.
  static Expect console_expect(Actor who, bool in_area_a, bool areal) {
    switch (who) {
      case signed_out: return {401, "unauthorized"};
      case person:
      case leaving: return {403, "forbidden"};
      case admin: return {200, ""};
      case secretariat_a:
      case secretariat_b:
        if (!areal || (who == secretariat_a) == in_area_a) return {200, ""};
        return {404, "not_found"};
    }
    return {0, ""};
  }

  static void check(Actor who, http::verb verb, const std::string& target, const json::object& body,
                    const Expect& expected, const std::string& what) {
    const auto response = w->call(verb, target, who == signed_out ? "" : w->cookie[who],
                                  verb == http::verb::get ? "" : json::serialize(body));
    ++checked;
    EXPECT_EQ(static_cast<int>(response.result_int()), expected.status)
        << what << " by " << actor_names[who] << ": " << target << " -> " << response.body();
    if (!expected.code.empty()) {
      EXPECT_EQ(HandoverWorld::code_of(response), expected.code)
          << what << " by " << actor_names[who] << ": " << response.body();
    }
  }
};

TEST_F(HandoverAuthorizationTest, ConsoleRoutesByRoleAndArea) {
  using V = http::verb;
  for (bool a : {true, false}) {
    for (Actor who : actors) {
      const Expect e = console_expect(who, a, true);
      const bool succeeds = e.status == 200;
      // Hand over a person's seats.
      {
        const std::string target =
            succeeds ? seated(a).first : (a ? w->id[leaving] : seated(false).first);
        check(who, V::post, "/api/console/people/" + target + "/handover",
              {{"successor", nullptr}, {"date", "2099-04-01"}}, e, "hand over");
      }
      // Confirm and reject a request.
      const std::string r1 = pending_request(a);
      check(who, V::post, "/api/console/handovers/" + r1 + "/confirm", {}, e, "confirm");
      const std::string r2 = pending_request(a);
      check(who, V::post, "/api/console/handovers/" + r2 + "/reject", {}, e, "reject");
      // Fill and dismiss a vacancy.
      const std::string v1 = vacancy(a);
      const std::string filler = w->signed_in(org(a)).first;
      check(who, V::post, "/api/console/vacancies/" + v1 + "/fill", {{"person", filler}}, e,
            "fill");
      const std::string v2 = vacancy(a);
      check(who, V::post, "/api/console/vacancies/" + v2 + "/dismiss", {}, e, "dismiss");
    }
  }
  // The lists: no target area; a secretariat sees its own area only.
  for (Actor who : actors) {
    const Expect e = console_expect(who, true, false);
    check(who, V::get, "/api/console/handovers", {}, e, "list requests");
    check(who, V::get, "/api/console/vacancies", {}, e, "list vacancies");
  }
  const std::string ra = pending_request(true), rb = pending_request(false);
  const auto listed =
      json::parse(w->get("/api/console/handovers", w->cookie[secretariat_b]).body());
  for (const auto& r : listed.at("requests").as_array())
    EXPECT_NE(r.at("request").as_string(), ra) << "area A's request shown to area B";
  const std::string va = vacancy(true);
  const auto vacancies =
      json::parse(w->get("/api/console/vacancies", w->cookie[secretariat_b]).body());
  for (const auto& v : vacancies.as_array())
    EXPECT_NE(v.at("participant").as_string(), va) << "area A's vacancy shown to area B";
  (void)rb;
}

TEST_F(HandoverAuthorizationTest, ThePersonsOwnRoutes) {
  using V = http::verb;
  const std::string date = "2099-04-01";
  for (Actor who : actors) {
    Expect e{200, ""};
    if (who == signed_out) e = {401, "unauthorized"};
    check(who, V::get, "/api/me/handover", {}, e, "my request");
    check(who, V::post, "/api/me/handover/seen", {}, e, "packet seen");
    check(who, V::get, "/api/me/colleagues", {}, e, "colleagues");
    // Asking for a handover: only someone with a seat has one to ask for.
    Expect ask = e;
    if (who == secretariat_a || who == secretariat_b || who == admin) ask = {409, "conflict"};
    check(who, V::post, "/api/me/handover", {{"successor", nullptr}, {"date", date}}, ask,
          "ask for a handover");
  }
  // Colleagues are of the person's own organisation only.
  const auto colleagues = json::parse(w->get("/api/me/colleagues", w->cookie[person]).body());
  for (const auto& p : colleagues.at("people").as_array()) {
    EXPECT_NE(p.at("person").as_string(), w->id[secretariat_b]);
    EXPECT_NE(p.at("person").as_string(), w->id[person]);
  }
  // Without the server's Origin, a cookie's change is refused.
  const auto r = http_request(
      w->server.port(), http::verb::post, "/api/me/handover",
      {{"Cookie", "renkei_session=" + w->cookie[person]}, {"Content-Type", "application/json"}},
      json::serialize(json::object{{"successor", nullptr}, {"date", date}}));
  EXPECT_EQ(r.result_int(), 403u) << r.body();
}

TEST_F(HandoverAuthorizationTest, HoldersFollowTheRecordsRules) {
  using V = http::verb;
  for (bool a : {true, false}) {
    for (Actor who : actors) {
      Expect e{403, ""};
      if (who == signed_out) e = {401, ""};
      if (a && (who == person || who == leaving)) e = {200, ""};
      check(who, V::get, "/api/councils/" + council(a) + "/holders", {}, e, "holders");
    }
  }
  // The facilitator's invite token reads it too.
  const auto r = http_get(w->server.port(), "/api/councils/" + w->council_a.council + "/holders",
                          {{"Authorization", "Bearer " + w->council_a.token}});
  EXPECT_EQ(r.result_int(), 200u) << r.body();
}

}  // namespace
}  // namespace renkei::it
