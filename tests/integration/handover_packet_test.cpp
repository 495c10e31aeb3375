// The handover packet over HTTP (CONTINUITY.md §2, RECORD.md "Handover
// packet"): its content for an organisation with an overdue role, a role
// awaiting its consent and a theme moved to stage 2; who may open it
// (signed out, a person of the organisation, of another organisation, the
// secretariat of its area and of another area, an administrator); a
// one-on-one only for a viewer seated in it; `since`; the Markdown and HTML
// answers. One server for the suite, set up through the CLI and driven over
// WebSocket with the people's session cookies.
#include <chrono>

#include "app/auth/totp.hpp"
#include "test_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

const std::string area_a = "北広島保健所管内";
const std::string area_b = "三次保健所管内";
const std::string password = "hikitsugi-no-hi-2027";

std::string session_cookie_of(const HttpResponse& response) {
  const std::string header(response[http::field::set_cookie]);
  const std::string prefix = "renkei_session=";
  if (header.compare(0, prefix.size(), prefix) != 0) return "";
  return header.substr(prefix.size(), header.find(';') - prefix.size());
}

class HandoverPacketTest : public ::testing::Test {
 protected:
  struct World {
    ServerProcess server;
    std::string org_x, org_x_name, org_y;
    Credentials council;  // area A, made by `council create`
    std::string one_on_one;
    std::string nurse, colleague, other, secretariat_a, secretariat_b, admin;  // cookies
    std::string meeting, overdue_role, awaiting_role;
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
  static HttpResponse get(const std::string& target, const std::string& cookie) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!cookie.empty()) headers.emplace_back("Cookie", "renkei_session=" + cookie);
    return http_request(server().port(), http::verb::get, target, headers, "");
  }
  static HttpResponse post(const std::string& target, const std::string& cookie,
                           const std::string& body) {
    std::vector<std::pair<std::string, std::string>> headers{{"Origin", server().origin()},
                                                             {"Content-Type", "application/json"}};
    if (!cookie.empty()) headers.emplace_back("Cookie", "renkei_session=" + cookie);
    return http_request(server().port(), http::verb::post, target, headers, body);
  }
  // A person of `org`, signed in through their set-up link: {person, cookie}.
  static std::pair<std::string, std::string> person(const std::string& org, bool admin = false) {
    std::vector<std::string> args{"person", "add", "--name",  fresh("看護師 "),
                                  "--org",  org,   "--login", fresh("login")};
    if (admin) args.push_back("--admin");
    const auto made = cli(args);
    auto response = post("/api" + str(made, "setup"), "",
                         json::serialize(json::object{{"password", password}}));
    if (response.result_int() != 200) throw std::runtime_error("set-up: " + response.body());
    return {str(made, "person"), session_cookie_of(response)};
  }
  static void enrol_totp(const std::string& cookie) {
    auto begun = post("/api/me/totp", cookie, "{}");
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
  // A WebSocket of a signed-in person, said hello to `council`.
  static std::unique_ptr<WsClient> connect(const std::string& cookie, const std::string& council) {
    auto client = std::make_unique<WsClient>(
        server().port(),
        WsClient::Headers{{"Cookie", "renkei_session=" + cookie}, {"Origin", server().origin()}});
    client->send(json::object{{"type", "hello"}, {"council", council}, {"since", 0}});
    for (;;) {
      const Frame frame = client->expect();
      if (frame.type() == "synced") break;
      if (frame.type() == "error") throw std::runtime_error("hello: " + frame.text);
    }
    return client;
  }
  static std::uint64_t ok(WsClient& client, const std::string& op, json::object args) {
    const Frame reply = client.command(Participant::fresh_id(), op, std::move(args));
    if (reply.type() != "ack") throw std::runtime_error(op + ": " + reply.text);
    return reply.seq();
  }
  static std::string created(WsClient& client, const std::string& op, json::object args,
                             const std::string& key) {
    const std::uint64_t seq = ok(client, op, std::move(args));
    const Frame event = client.wait_event(seq);
    return std::string(event.data().at(key).as_string());
  }

  static void SetUpTestSuite() {
    w = std::make_unique<World>();
    server().start();
    w->org_x_name = fresh("北広島町");
    w->org_x = str(cli({"org", "add", "--name", w->org_x_name, "--kind", "municipality", "--area",
                        area_a, "--prefecture", "広島県"}),
                   "org");
    w->org_y = str(cli({"org", "add", "--name", fresh("三次市"), "--kind", "municipality", "--area",
                        area_b, "--prefecture", "広島県"}),
                   "org");
    const auto made =
        cli({"council", "create", "--name", "在宅医療・介護連携推進会議", "--facilitator-name",
             "山本 真理", "--facilitator-org", "保健所", "--area", area_a});
    w->council = Credentials{str(made, "council"), str(made, "participant"), str(made, "token")};
    w->one_on_one =
        str(cli({"council", "create", "--name", "一対一 北広島町と保健所", "--kind", "one_on_one",
                 "--facilitator-name", "保健師", "--facilitator-org", "保健所", "--area", area_a}),
            "council");

    auto [nurse, nurse_cookie] = person(w->org_x);
    auto [colleague, colleague_cookie] = person(w->org_x);
    auto [other, other_cookie] = person(w->org_y);
    auto [sec_a, sec_a_cookie] = person(w->org_y);
    auto [sec_b, sec_b_cookie] = person(w->org_y);
    auto [admin, admin_cookie] = person(w->org_y, true);
    for (const auto& [who, council] :
         std::vector<std::pair<std::string, std::string>>{{nurse, w->council.council},
                                                          {nurse, w->one_on_one},
                                                          {colleague, w->council.council},
                                                          {other, w->council.council}})
      cli({"seat", "add", "--council", council, "--person", who, "--role", "member"});
    cli({"person", "grant", "--person", sec_a, "--role", "secretariat", "--scope", area_a});
    cli({"person", "grant", "--person", sec_b, "--role", "secretariat", "--scope", area_b});
    enrol_totp(admin_cookie);
    w->nurse = nurse_cookie;
    w->colleague = colleague_cookie;
    w->other = other_cookie;
    w->secretariat_a = sec_a_cookie;
    w->secretariat_b = sec_b_cookie;
    w->admin = admin_cookie;

    // A meeting: a role agreed by the organisation (overdue), one awaiting
    // its consent, a theme moved to stage 2.
    Participant chair(server().port(), w->council);
    auto nurse_ws = connect(w->nurse, w->council.council);
    w->meeting = chair.create("meeting.start", {{"title", "第3回 推進会議"}}, "meeting");
    w->overdue_role = chair.create("role.propose",
                                   {{"title", "退院時カンファレンスの手引き作成"},
                                    {"owner_org", w->org_x_name},
                                    {"due", "2026-01-31"},
                                    {"theme", "退院支援"}},
                                   "role");
    ok(*nurse_ws, "role.consent", {{"role", w->overdue_role}, {"consent", true}});
    w->awaiting_role = chair.create("role.propose",
                                    {{"title", "見守りネットワークの名簿更新"},
                                     {"owner_org", w->org_x_name},
                                     {"due", "2099-03-31"}},
                                    "role");
    chair.ok("theme.set_stage",
             {{"theme", "退院支援"}, {"stage", 2}, {"reason", "課題を共有した"}});
    chair.ok("meeting.end");
    ok(*nurse_ws, "role.status", {{"role", w->overdue_role}, {"status", "in_progress"}});
  }
  static void TearDownTestSuite() {
    if (w->server.running()) {
      EXPECT_EQ(w->server.stop(), 0) << "unclean exit; log:\n" << w->server.log();
    }
    w.reset();
  }

  static std::string path(const std::string& leaf = "handover") {
    return "/api/orgs/" + w->org_x + "/" + leaf;
  }
  static json::value packet(const std::string& cookie, const std::string& query = "") {
    const auto response = get(path() + query, cookie);
    EXPECT_EQ(response.result_int(), 200) << response.body();
    return json::parse(response.body());
  }
  static const json::object* council_of(const json::value& p, const std::string& id) {
    for (const auto& c : p.at("councils").as_array())
      if (c.at("id") == json::value(id)) return &c.as_object();
    return nullptr;
  }
};

TEST_F(HandoverPacketTest, OverdueAndAwaitingRolesThemesAndTheLastMeeting) {
  const json::value p = packet(w->nurse, "?since=2000-01-01");
  EXPECT_EQ(p.at("org").at("id"), json::value(w->org_x));
  EXPECT_EQ(p.at("org").at("name"), json::value(w->org_x_name));
  EXPECT_EQ(p.at("since"), json::value("1999-12-31T15:00:00.000Z"));
  EXPECT_EQ(p.at("overdue"), json::value(1));
  const json::object* c = council_of(p, w->council.council);
  ASSERT_NE(c, nullptr) << json::serialize(p);
  EXPECT_EQ(c->at("kind"), json::value("council"));
  EXPECT_EQ(c->at("area"), json::value(area_a));
  EXPECT_EQ(c->at("live"), json::value(nullptr));
  EXPECT_EQ(c->at("last").at("id"), json::value(w->meeting));

  const auto& roles = c->at("roles").as_array();
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ(roles[0].at("id"), json::value(w->overdue_role));
  EXPECT_EQ(roles[0].at("overdue"), json::value(true));
  EXPECT_EQ(roles[0].at("status"), json::value("in_progress"));
  EXPECT_EQ(roles[0].at("agreed_in").at("id"), json::value(w->meeting));
  const auto& history = roles[0].at("history").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].at("kind"), json::value("proposed"));
  EXPECT_EQ(history[1].at("kind"), json::value("consented"));
  EXPECT_EQ(history[1].at("decisive"), json::value(true));
  EXPECT_EQ(history[2].at("status"), json::value("in_progress"));

  const auto& awaiting = c->at("awaiting").as_array();
  ASSERT_EQ(awaiting.size(), 1u);
  EXPECT_EQ(awaiting[0].at("id"), json::value(w->awaiting_role));
  EXPECT_EQ(awaiting[0].at("state"), json::value("proposed"));

  bool theme = false;
  for (const auto& t : c->at("themes").as_array()) {
    if (t.at("name") != json::value("退院支援")) continue;
    theme = true;
    EXPECT_EQ(t.at("stage"), json::value(2));
    ASSERT_EQ(t.at("changes").as_array().size(), 1u);
    EXPECT_EQ(t.at("changes").as_array()[0].at("reason"), json::value("課題を共有した"));
  }
  EXPECT_TRUE(theme);
  EXPECT_GE(c->at("last_meeting").at("decisions").as_array().size(), 2u);
  EXPECT_FALSE(c->at("last_meeting").at("homework").as_array().empty());
  EXPECT_EQ(c->at("changes").at("status_changes").as_array().size(), 1u);

  // Nothing after a later instant.
  const json::value later = packet(w->nurse, "?since=2099-01-01T00:00:00Z");
  const json::object* lc = council_of(later, w->council.council);
  ASSERT_NE(lc, nullptr);
  EXPECT_EQ(lc->at("changes").at("events"), json::value(0));
  EXPECT_TRUE(lc->at("changes").at("status_changes").as_array().empty());

  EXPECT_EQ(packet(w->nurse, "?since=all").at("since"), json::value(nullptr));
  const auto bad = get(path() + "?since=yesterday", w->nurse);
  EXPECT_EQ(bad.result_int(), 400) << bad.body();
}

TEST_F(HandoverPacketTest, WhoMayOpenIt) {
  EXPECT_EQ(get(path(), "").result_int(), 401);
  EXPECT_EQ(get(path(), w->nurse).result_int(), 200);
  EXPECT_EQ(get(path(), w->colleague).result_int(), 200);
  const auto other = get(path(), w->other);
  EXPECT_EQ(other.result_int(), 403) << other.body();
  EXPECT_EQ(json::parse(other.body()).at("code"), json::value("forbidden"));
  EXPECT_EQ(get(path(), w->secretariat_a).result_int(), 200);
  EXPECT_EQ(get(path(), w->secretariat_b).result_int(), 403);
  EXPECT_EQ(get(path(), w->admin).result_int(), 200);
  EXPECT_EQ(get("/api/orgs/o9999/handover", w->admin).result_int(), 404);
  EXPECT_EQ(get("/api/orgs/o9999/handover", w->nurse).result_int(), 404);
  for (const char* leaf : {"handover.md", "handover.html"}) {
    EXPECT_EQ(get(path(leaf), "").result_int(), 401) << leaf;
    EXPECT_EQ(get(path(leaf), w->other).result_int(), 403) << leaf;
    EXPECT_EQ(get(path(leaf), w->secretariat_a).result_int(), 200) << leaf;
  }
}

TEST_F(HandoverPacketTest, AOneOnOneOnlyForAViewerSeatedInIt) {
  EXPECT_NE(council_of(packet(w->nurse), w->one_on_one), nullptr);
  EXPECT_EQ(council_of(packet(w->colleague), w->one_on_one), nullptr);
  EXPECT_EQ(council_of(packet(w->secretariat_a), w->one_on_one), nullptr);
  EXPECT_EQ(council_of(packet(w->admin), w->one_on_one), nullptr);
  EXPECT_NE(council_of(packet(w->colleague), w->council.council), nullptr);
  EXPECT_EQ(council_of(packet(w->nurse), w->council.council)->at("seated"), json::value(true));
  EXPECT_EQ(council_of(packet(w->secretariat_a), w->council.council)->at("seated"),
            json::value(false));
}

TEST_F(HandoverPacketTest, MarkdownAndPrintableHtml) {
  const auto md = get(path("handover.md"), w->nurse);
  ASSERT_EQ(md.result_int(), 200) << md.body();
  EXPECT_EQ(md[http::field::content_type], "text/markdown; charset=utf-8");
  const std::string md_disposition(md["Content-Disposition"]);
  EXPECT_EQ(md_disposition.rfind("attachment;", 0), 0u) << md_disposition;
  EXPECT_NE(md_disposition.find("handover-" + w->org_x), std::string::npos) << md_disposition;
  EXPECT_EQ(md.body().rfind("# 引き継ぎ資料 ", 0), 0u) << md.body();
  EXPECT_NE(md.body().find("**期限超過** 退院時カンファレンスの手引き作成"), std::string::npos)
      << md.body();
  EXPECT_NE(md.body().find("### 合意をお願いされている役割"), std::string::npos);
  EXPECT_NE(md.body().find("2099年3月31日"), std::string::npos);

  const auto html = get(path("handover.html"), w->nurse);
  ASSERT_EQ(html.result_int(), 200) << html.body();
  EXPECT_EQ(html[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(std::string(html["Content-Disposition"]).rfind("inline;", 0), 0u);
  EXPECT_NE(html.body().find("<h1>引き継ぎ資料</h1>"), std::string::npos);
  EXPECT_NE(html.body().find("href=\"/print.css\""), std::string::npos);
  EXPECT_NE(html.body().find("2026年1月31日（期限超過）"), std::string::npos) << html.body();
  EXPECT_EQ(html.body().find("<script>"), std::string::npos);
  EXPECT_EQ(html.body().find("style="), std::string::npos);
  const std::string csp(html["Content-Security-Policy"]);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
}

}  // namespace
}  // namespace renkei::it
