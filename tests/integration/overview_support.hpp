// Test support for the prefecture's view (CONTINUITY.md section 3): one
// server with two health-centre areas of 広島県 and one of 岡山県, councils
// with stages, roles and indicators driven over the WebSocket, a
// one-on-one, and the people of the authorisation matrix (signed out, a
// person, the secretariats of A and B, prefecture viewers of 広島県 and of
// 岡山県, an administrator), all set up through the CLI.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/auth/totp.hpp"
#include "test_support.hpp"

namespace renkei::it::overview {

namespace http = boost::beast::http;

inline const std::string area_a = "北広島保健所管内";
inline const std::string area_b = "三次保健所管内";
inline const std::string area_c = "備北保健所管内";
inline const std::string hiroshima = "広島県";
inline const std::string okayama = "岡山県";
inline const std::string password = "kaigi-no-michi-2026";

enum Who { signed_out, person, secretariat_a, secretariat_b, viewer, other_viewer, admin };
inline const char* const who_names[] = {"signed out",    "person",        "secretariat A",
                                        "secretariat B", "viewer 広島県", "viewer 岡山県",
                                        "administrator"};
inline constexpr int who_count = 7;

// "%E5%BA%83..." for a path segment.
inline std::string percent(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

inline std::string code_of(const HttpResponse& response) {
  try {
    const auto value = json::parse(response.body());
    if (const auto* code = value.as_object().if_contains("code"))
      return std::string(code->as_string());
  } catch (const std::exception&) {
  }
  return "";
}

class OverviewWorld : public ::testing::Test {
 protected:
  struct World {
    ServerProcess server;
    std::string org_a, org_b, org_c;
    Credentials council_a1, council_a2, council_b, council_c, one_on_one;
    std::map<Who, std::string> person;
    std::map<Who, std::string> cookie;
  };
  static inline std::unique_ptr<World> w;
  static inline int counter = 0;

  static ServerProcess& server() { return w->server; }
  static std::string fresh(const std::string& stem) { return stem + std::to_string(++counter); }

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
  static std::string add_org(const std::string& name, const std::string& area,
                             const std::string& prefecture) {
    return str(cli({"org", "add", "--name", name, "--kind", "municipality", "--area", area,
                    "--prefecture", prefecture}),
               "org");
  }
  static Credentials add_council(const std::string& name, const std::string& area,
                                 const std::string& kind = "council") {
    const auto made =
        cli({"council", "create", "--name", name, "--kind", kind, "--facilitator-name",
             fresh("進行 "), "--facilitator-org", "保健所", "--area", area});
    return Credentials{str(made, "council"), str(made, "participant"), str(made, "token")};
  }

  static HttpResponse call(http::verb verb, const std::string& target, const std::string& cookie,
                           std::string body = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!cookie.empty()) headers.emplace_back("Cookie", "renkei_session=" + cookie);
    headers.emplace_back("Origin", server().origin());
    if (!body.empty() && body.front() == '{')
      headers.emplace_back("Content-Type", "application/json");
    return http_request(server().port(), verb, target, headers, std::move(body));
  }
  static HttpResponse get(const std::string& target, Who who) {
    return call(http::verb::get, target, w->cookie[who]);
  }
  static HttpResponse post(const std::string& target, Who who, const std::string& body = "") {
    return call(http::verb::post, target, w->cookie[who], body);
  }

  static std::string set_up(const std::string& link) {
    auto response = call(http::verb::post, "/api" + link, "",
                         json::serialize(json::object{{"password", password}}));
    if (response.result_int() != 200)
      throw std::runtime_error("set-up " + link + ": " + response.body());
    const std::string header(response[http::field::set_cookie]);
    const std::string prefix = "renkei_session=";
    return header.substr(prefix.size(), header.find(';') - prefix.size());
  }
  static void enrol_totp(const std::string& cookie) {
    auto begun = call(http::verb::post, "/api/me/totp", cookie);
    if (begun.result_int() != 200) throw std::runtime_error("totp: " + begun.body());
    const auto secret = app::auth::totp::base32_decode(
        std::string(json::parse(begun.body()).at("secret").as_string()));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto confirmed =
        call(http::verb::post, "/api/me/totp/confirm", cookie,
             json::serialize(json::object{{"code", app::auth::totp::code_at(*secret, now)}}));
    if (confirmed.result_int() != 200) throw std::runtime_error("confirm: " + confirmed.body());
  }
  static void actor(Who who, const std::string& org, bool admin_grant = false) {
    std::vector<std::string> args{"person", "add", "--name",  fresh("職員 "),
                                  "--org",  org,   "--login", fresh("overview")};
    if (admin_grant) args.push_back("--admin");
    const auto made = cli(args);
    w->person[who] = str(made, "person");
    w->cookie[who] = set_up(str(made, "setup"));
  }
  static void grant(Who who, const std::string& role, const std::string& scope) {
    cli({"grant", "add", "--person", w->person[who], "--role", role, "--scope", scope});
  }

  static void SetUpTestSuite() {
    w = std::make_unique<World>();
    server().start();
    w->org_a = add_org("北広島町", area_a, hiroshima);
    w->org_b = add_org("三次市", area_b, hiroshima);
    w->org_c = add_org("新見市", area_c, okayama);
    w->council_a1 = add_council("北広島町在宅医療・介護連携推進会議", area_a);
    w->council_a2 = add_council("北広島町認知症施策推進会議", area_a);
    w->council_b = add_council("三次市地域ケア推進会議", area_b);
    w->council_c = add_council("新見市在宅医療協議会", area_c);
    w->one_on_one = add_council("北広島町と病院の協議", area_a, "one_on_one");

    {
      Participant f(server().port(), w->council_a1);
      f.ok("theme.set_stage", {{"theme", "認知症"}, {"stage", 3}, {"reason", "役割に合意"}});
      f.ok("theme.set_stage", {{"theme", "在宅医療"}, {"stage", 2}, {"reason", "課題を共有"}});
      f.ok("role.propose", {{"title", "退院前カンファレンスの開催"},
                            {"owner_org", "北広島町"},
                            {"due", "2026-01-31"}});
      const auto indicator =
          f.create("indicator.define",
                   {{"name", "看取り件数"}, {"kind", "outcome"}, {"unit", "件"}}, "indicator");
      f.ok("indicator.report", {{"indicator", indicator}, {"value", 3}, {"period", "2026-03"}});
    }
    {
      Participant f(server().port(), w->council_a2);
      f.ok("theme.set_stage", {{"theme", "認知症"}, {"stage", 2}, {"reason", "共有"}});
    }
    {
      Participant f(server().port(), w->council_b);
      f.ok("theme.set_stage", {{"theme", "在宅医療"}, {"stage", 4}, {"reason", "運用中"}});
      const auto indicator =
          f.create("indicator.define",
                   {{"name", "看取り件数"}, {"kind", "outcome"}, {"unit", "件"}}, "indicator");
      f.ok("indicator.report", {{"indicator", indicator}, {"value", 12}, {"period", "2026-03"}});
    }
    {
      Participant f(server().port(), w->council_c);
      f.ok("theme.set_stage", {{"theme", "認知症"}, {"stage", 4}, {"reason", "運用中"}});
    }
    {
      Participant f(server().port(), w->one_on_one);
      f.ok("theme.set_stage", {{"theme", "秘密の相談"}, {"stage", 2}, {"reason", "内々"}});
    }

    actor(person, w->org_a);
    cli({"seat", "add", "--council", w->council_a1.council, "--person", w->person[person], "--role",
         "member"});
    actor(secretariat_a, w->org_a);
    grant(secretariat_a, "secretariat", area_a);
    // The secretariat of A is a party to the one-on-one: it sees it.
    cli({"seat", "add", "--council", w->one_on_one.council, "--person", w->person[secretariat_a],
         "--role", "member"});
    actor(secretariat_b, w->org_b);
    grant(secretariat_b, "secretariat", area_b);
    actor(viewer, w->org_a);
    grant(viewer, "prefecture_viewer", hiroshima);
    actor(other_viewer, w->org_c);
    grant(other_viewer, "prefecture_viewer", okayama);
    actor(admin, w->org_a, true);
    enrol_totp(w->cookie[admin]);
  }
  static void TearDownTestSuite() {
    if (w->server.running()) {
      EXPECT_EQ(w->server.stop(), 0) << "unclean exit; log:\n" << w->server.log();
    }
    w.reset();
  }
};

}  // namespace renkei::it::overview
