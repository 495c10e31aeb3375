// People and organisations on the command line (PROTOCOL.md "People,
// organisations and sign-in (v2)"): org add, person add|deactivate|grant,
// seat add and the directory's trail, while `serve` runs on the database;
// a deactivated person's sockets close within 5 s.
#include <chrono>
#include <regex>
#include <thread>

#include "test_support.hpp"

namespace renkei::it {
namespace http = boost::beast::http;
namespace {

class PeopleCliTest : public IntegrationTest {
 protected:
  // Runs a command that must succeed and print one JSON line.
  json::object ok(const std::vector<std::string>& args) {
    auto result = run_renkei(args);
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
    return json::parse(result.out).as_object();
  }
  // Runs a command that must fail, print nothing and explain on stderr.
  void refused(const std::vector<std::string>& args) {
    auto result = run_renkei(args);
    EXPECT_NE(result.status, 0) << result.out;
    EXPECT_EQ(result.out, "");
    EXPECT_FALSE(result.err.empty());
  }
  std::vector<json::object> trail() {
    auto result = run_renkei({"audit", "--db", server.db()});
    EXPECT_EQ(result.status, 0) << result.err;
    std::vector<json::object> lines;
    std::istringstream in(result.out);
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line).as_object());
    return lines;
  }
  // The person a v1 invitation gave its participant, from the trail.
  std::string person_of(const std::string& participant) {
    for (const auto& line : trail())
      if (line.at("action") == "seat.add" && line.at("subject") == json::value(participant))
        return std::string(line.at("new").at("person").as_string());
    ADD_FAILURE() << "no seat.add for " << participant;
    return "";
  }
};

TEST_F(PeopleCliTest, OrganisationsPeopleSeatsAndGrants) {
  const auto org = ok({"org", "add", "--db", server.db(), "--name", "北広島町", "--kind",
                       "municipality", "--area", "北広島保健所管内", "--prefecture", "広島県"});
  EXPECT_EQ(keys_of(org), (std::set<std::string>{"org"}));
  const std::string org_id(org.at("org").as_string());
  EXPECT_EQ(org_id.front(), 'o');
  refused({"org", "add", "--db", server.db(), "--name", "北広島町", "--kind", "municipality"});
  refused({"org", "add", "--db", server.db(), "--name", "どこか", "--kind", "castle"});
  refused({"org", "add", "--db", server.db(), "--kind", "other"});

  // ORG by exact name or by id.
  const auto sato = ok({"person", "add", "--db", server.db(), "--name", "佐藤 恵子", "--org",
                        "北広島町", "--login", "sato"});
  EXPECT_EQ(keys_of(sato), (std::set<std::string>{"person", "setup"}));
  const std::string person(sato.at("person").as_string());
  EXPECT_EQ(person.front(), 'u');
  const std::string setup(sato.at("setup").as_string());
  EXPECT_TRUE(std::regex_match(setup, std::regex("/setup/[A-Za-z0-9_-]{43}"))) << setup;
  const auto admin = ok({"person", "add", "--db", server.db(), "--name", "管理 者", "--org", org_id,
                         "--login", "admin", "--admin"});
  EXPECT_NE(admin.at("setup"), sato.at("setup"));
  refused({"person", "add", "--db", server.db(), "--name", "別の佐藤", "--org", org_id, "--login",
           "sato"});
  refused({"person", "add", "--db", server.db(), "--name", "誰か", "--org", "無い機関", "--login",
           "someone"});

  const auto seat = ok({"seat", "add", "--db", server.db(), "--council", facilitator.council,
                        "--person", person, "--role", "member"});
  EXPECT_EQ(keys_of(seat), (std::set<std::string>{"participant"}));
  const std::string participant(seat.at("participant").as_string());
  EXPECT_EQ(participant.front(), 'p');
  refused({"seat", "add", "--db", server.db(), "--council", facilitator.council, "--person", person,
           "--role", "member"});
  refused({"seat", "add", "--db", server.db(), "--council", "c999", "--person", person, "--role",
           "member"});
  refused({"seat", "add", "--db", server.db(), "--council", facilitator.council, "--person", "u999",
           "--role", "member"});
  refused({"seat", "add", "--db", server.db(), "--council", facilitator.council, "--person", person,
           "--role", "admin"});

  EXPECT_EQ(ok({"person", "grant", "--db", server.db(), "--person", person, "--role", "secretariat",
                "--scope", "北広島保健所管内"}),
            json::parse(R"({"granted":")" + person + "\"}").as_object());
  refused({"person", "grant", "--db", server.db(), "--person", person, "--role", "secretariat"});
  refused({"person", "grant", "--db", server.db(), "--person", person, "--role", "king"});

  // The trail: every change with its values, never the set-up token.
  const auto lines = trail();
  std::vector<std::string> actions;
  for (const auto& line : lines) {
    actions.push_back(std::string(line.at("action").as_string()));
    EXPECT_EQ(json::serialize(line).find(setup.substr(7)), std::string::npos);
  }
  for (const char* action :
       {"council.create", "org.add", "person.add", "grant.add", "setup_link.create", "seat.add"})
    EXPECT_NE(std::find(actions.begin(), actions.end(), action), actions.end()) << action;
  const auto seat_line = std::find_if(lines.begin(), lines.end(), [&](const json::object& line) {
    return line.at("subject") == json::value(participant);
  });
  ASSERT_NE(seat_line, lines.end());
  EXPECT_EQ(seat_line->at("council"), json::value(facilitator.council));
  EXPECT_EQ(seat_line->at("new").at("person"), json::value(person));
  EXPECT_EQ(seat_line->at("new").at("role"), json::value("member"));
  // The council's own trail (with --council) is as before.
  auto council_trail = run_renkei({"audit", "--db", server.db(), "--council", facilitator.council});
  EXPECT_EQ(council_trail.status, 0);

  EXPECT_EQ(ok({"person", "deactivate", "--db", server.db(), "--person", person}),
            json::parse(R"({"deactivated":")" + person + "\"}").as_object());
  refused({"person", "deactivate", "--db", server.db(), "--person", person});
  refused({"person", "deactivate", "--db", server.db(), "--person", "u999"});
}

TEST_F(PeopleCliTest, InvitationsShareAPersonAndAnOrganisation) {
  const Credentials a = member("佐藤 恵子", "北広島町");
  const auto other = ok({"council", "create", "--db", server.db(), "--name", "一対一", "--kind",
                         "one_on_one", "--facilitator-name", "山本 真理", "--facilitator-org",
                         "西部保健所", "--area", "西部保健所管内"});
  const Credentials b = server.invite(std::string(other.at("council").as_string()), "佐藤 恵子",
                                      "北広島町", "member");
  EXPECT_EQ(person_of(a.participant), person_of(b.participant));
  EXPECT_EQ(person_of(facilitator.participant),
            person_of(std::string(other.at("participant").as_string())));
  EXPECT_NE(person_of(a.participant), person_of(facilitator.participant));
  // One organisation 北広島町, made by the first invitation.
  int made = 0;
  for (const auto& line : trail())
    if (line.at("action") == "org.add" && line.at("new").at("name") == "北広島町") ++made;
  EXPECT_EQ(made, 1);
  // The tokens work as in v1.
  WsClient client(server.port());
  EXPECT_EQ(client.hello(b.token, b.council).welcome.type(), "welcome");
}

// PROTOCOL.md: "renkei person deactivate: ... that person's browser
// sessions end and their sockets close within 5 s", in every council.
TEST_F(PeopleCliTest, ADeactivatedPersonsSocketsCloseWithinFiveSeconds) {
  const Credentials here = member("異動 予定", "安芸太田町");
  const auto other = ok({"council", "create", "--db", server.db(), "--name", "別の協議体",
                         "--facilitator-name", "中村 健一", "--facilitator-org", "安芸地区医師会"});
  const Credentials there = server.invite(std::string(other.at("council").as_string()), "異動 予定",
                                          "安芸太田町", "member");
  const std::string person = person_of(here.participant);
  ASSERT_EQ(person_of(there.participant), person);

  auto by_token = join(here);
  auto elsewhere = join(there);
  auto joined = http_get(server.port(), "/join/" + here.token);
  ASSERT_EQ(joined.result_int(), 303);
  const std::string set_cookie(joined[http::field::set_cookie]);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  WsClient by_cookie(server.port(), {{"Cookie", cookie}, {"Origin", server.origin()}});
  by_cookie.send(json::object{{"type", "hello"}, {"council", here.council}, {"since", 0}});
  ASSERT_EQ(by_cookie.expect().type(), "welcome");
  ASSERT_EQ(by_cookie.expect().type(), "synced");
  auto bystander = join(member("残る 人", "坂町"));

  const auto started = std::chrono::steady_clock::now();
  ok({"person", "deactivate", "--db", server.db(), "--person", person});
  for (WsClient* socket : {&by_token->ws(), &elsewhere->ws(), &by_cookie}) {
    const auto code = socket->wait_closed(Millis(5000));
    EXPECT_EQ(code, std::optional<std::uint16_t>(4401));
  }
  EXPECT_LE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(5500));

  // Refused from then on: the tokens, the link, the browser session.
  WsClient again(server.port());
  again.send(json::object{
      {"type", "hello"}, {"token", here.token}, {"council", here.council}, {"since", 0}});
  EXPECT_EQ(again.expect().str("code"), "unauthorized");
  EXPECT_EQ(http_get(server.port(), "/join/" + there.token).result_int(), 401);
  EXPECT_EQ(http_get(server.port(), "/api/session", {{"Cookie", cookie}}).result_int(), 401);
  // Others are untouched.
  EXPECT_FALSE(bystander->ws().is_closed());
  EXPECT_EQ(bystander->ok("issue.post", text_args("続けます")), 1u);
}

}  // namespace
}  // namespace renkei::it
