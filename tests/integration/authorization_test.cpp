// The authorisation table of server/docs/AUTHORIZATION.md, row by row: every
// v1 op by a facilitator, a member, a member of the owner organisation and an
// observer, with the exact outcome; credentials that are not of the council
// (another council's, revoked, expired) on the socket and on the record
// endpoint; and ids of another council in every op that takes an id.
#include <array>
#include <functional>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

constexpr const char* owner_org = "北広島町";

enum Who { F, M, OW, O };
constexpr std::array<Who, 4> everyone = {F, M, OW, O};
const char* name_of(Who who) {
  switch (who) {
    case F: return "facilitator";
    case M: return "member";
    case OW: return "member of the owner organisation";
    case O: return "observer";
  }
  return "?";
}

class AuthorizationTest : public IntegrationTest {
 public:
  AuthorizationTest() : IntegrationTest(unlimited_rate) {}

 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    const auto invited = members({{"田中 浩二", "坂町地域包括支援センター"},
                                  {"佐藤 恵子", owner_org},
                                  {"小林 直美", "広島県 健康福祉局", "observer"}});
    creds = {facilitator, invited[0], invited[1], invited[2]};
    for (const auto& c : creds) people.push_back(join(c));
  }

 public:
  Participant& as(Who who) { return *people[who]; }

  // Setup steps (by the facilitator) that must succeed.
  std::string fresh_issue() {
    return as(F).create("issue.post", text_args("準備の課題 " + Participant::fresh_id()), "issue");
  }
  std::string fresh_ranking() {
    return as(F).create("ranking.open",
                        {{"candidates", {fresh_issue(), fresh_issue()}}, {"method", "schulze"}},
                        "ranking");
  }
  std::string fresh_proposal() {
    return as(F).create("proposal.open", {{"kind", "direction"}, {"text", "準備の方針案"}},
                        "proposal");
  }
  std::string fresh_role() {
    return as(F).create("role.propose", {{"title", "準備の役割"}, {"owner_org", owner_org}},
                        "role");
  }
  std::string fresh_indicator() {
    return as(F).create("indicator.define",
                        {{"name", "準備の指標"}, {"kind", "process"}, {"unit", "件"}}, "indicator");
  }
  // Brings the meeting to the wanted state whatever it is now.
  void meeting_live(bool live) {
    Frame reply = live ? as(F).send("meeting.start",
                                    {{"title", "準備の会議"}, {"agenda", "community-care-council"}})
                       : as(F).send("meeting.end");
    if (reply.type() != "ack") {
      ASSERT_EQ(reply.str("code"), "conflict") << reply.text;
    }
  }

  std::vector<Credentials> creds;
  std::vector<std::unique_ptr<Participant>> people;
};

struct Row {
  std::string op;
  std::string event;                                     // the event an accepted command produces
  std::function<json::object(AuthorizationTest&)> args;  // prepares, then gives the args
  std::array<std::string, 4> expected;                   // "ack" or the error code, per Who
};

TEST_F(AuthorizationTest, EveryOpByEveryRoleHasItsDocumentedOutcome) {
  using A = AuthorizationTest;
  const std::string ack = "ack", forbidden = "forbidden";
  const std::array<std::string, 4> facilitator_only = {ack, forbidden, forbidden, forbidden};
  const std::array<std::string, 4> participants = {ack, ack, ack, forbidden};
  const std::vector<Row> table = {
      {"meeting.start", "meeting.started",
       [](A& t) {
         t.meeting_live(false);
         return json::object{{"title", "第2回 会議"}, {"agenda", "community-care-council"}};
       },
       facilitator_only},
      {"meeting.advance", "meeting.advanced",
       [](A& t) {
         t.meeting_live(true);
         return json::object{{"item", 1}};
       },
       facilitator_only},
      {"meeting.end", "meeting.ended",
       [](A& t) {
         t.meeting_live(true);
         return json::object{};
       },
       facilitator_only},
      {"issue.post", "issue.posted",
       [](A&) {
         return json::object{{"text", "権限表の課題"}, {"theme", "退院支援"}};
       },
       participants},
      {"issue.merge", "issue.merged",
       [](A& t) {
         auto& m = t;
         return json::object{{"from", m.fresh_issue()}, {"into", m.fresh_issue()}};
       },
       facilitator_only},
      {"ranking.open", "ranking.opened",
       [](A& t) {
         auto& m = t;
         return json::object{{"candidates", {m.fresh_issue(), m.fresh_issue()}},
                             {"method", "borda"}};
       },
       facilitator_only},
      {"ranking.ballot", "ranking.ballot_cast",
       [](A& t) {
         auto& m = t;
         const std::string ranking = m.fresh_ranking();
         // The candidates are the two issues posted just before.
         const Frame& opened = m.as(F).event(m.as(F).ws().last_seq());
         return json::object{{"ranking", ranking}, {"order", opened.data().at("candidates")}};
       },
       participants},
      {"ranking.close", "ranking.closed",
       [](A& t) {
         return json::object{{"ranking", t.fresh_ranking()}};
       },
       facilitator_only},
      {"proposal.open", "proposal.opened",
       [](A&) {
         return json::object{{"kind", "vision"}, {"text", "住み慣れた地域で"}};
       },
       facilitator_only},
      {"proposal.stance", "proposal.stance_taken",
       [](A& t) {
         return json::object{{"proposal", t.fresh_proposal()}, {"stance", "agree"}};
       },
       participants},
      {"proposal.close", "proposal.closed",
       [](A& t) {
         return json::object{{"proposal", t.fresh_proposal()}};
       },
       facilitator_only},
      {"role.propose", "role.proposed",
       [](A&) {
         return json::object{{"title", "情報共有シート"}, {"owner_org", owner_org}};
       },
       participants},
      {"role.consent", "role.consented",
       [](A& t) {
         return json::object{{"role", t.fresh_role()}, {"consent", true}};
       },
       participants},
      {"role.status",
       "role.status_changed",
       [](A& t) {
         return json::object{{"role", t.fresh_role()}, {"status", "in_progress"}};
       },
       {ack, forbidden, ack, forbidden}},
      {"indicator.define", "indicator.defined",
       [](A&) {
         return json::object{{"name", "退院調整件数"}, {"kind", "outcome"}, {"unit", "件"}};
       },
       facilitator_only},
      {"indicator.report", "indicator.reported",
       [](A& t) {
         return json::object{
             {"indicator", t.fresh_indicator()}, {"value", 4}, {"period", "2026-05"}};
       },
       participants},
      {"theme.set_stage", "theme.stage_set",
       [](A&) {
         return json::object{{"theme", "退院支援"}, {"stage", 2}, {"reason", "共有済み"}};
       },
       facilitator_only},
  };
  ASSERT_EQ(table.size(), 17u) << "every v1 op";

  std::uint64_t head = 0;                // the last seq acknowledged to anyone
  std::size_t accepted_from_others = 0;  // matrix commands accepted from M, OW
  for (const Row& row : table) {
    for (Who who : everyone) {
      SCOPED_TRACE(row.op + " by the " + name_of(who));
      json::object args = row.args(*this);
      ASSERT_FALSE(HasFatalFailure());
      // The facilitator's setup commands were acknowledged last, if any.
      head = std::max(head, as(F).ws().last_seq());
      Frame reply = as(who).send(row.op, args);
      const std::string& expected = row.expected[who];
      if (expected == "ack") {
        ASSERT_EQ(reply.type(), "ack") << reply.text;
        EXPECT_EQ(reply.seq(), head + 1) << "seqs have no gaps";
        head = reply.seq();
        if (who != F) ++accepted_from_others;
        const Frame& event = as(who).event(reply.seq());
        EXPECT_EQ(event.str("op"), row.event);
        EXPECT_EQ(event.by(), creds[who].participant);
        EXPECT_EQ(event.json.at("by").at("role"), json::value(who == F ? "facilitator" : "member"));
        if (row.op == "role.consent") {
          // Decisive only from the owner organisation; recorded otherwise.
          EXPECT_EQ(event.data().at("state"), json::value(who == OW ? "agreed" : "proposed"))
              << event.text;
        }
      } else {
        EXPECT_EQ(reply.type(), "error") << reply.text;
        EXPECT_EQ(reply.str("code"), expected) << reply.text;
        EXPECT_NE(reply.str("message").find(" / "), std::string::npos) << reply.text;
      }
    }
  }
  // Refused commands left nothing behind: besides the facilitator's, the log
  // holds exactly the accepted commands of the others.
  WsClient reader(server.port());
  HelloResult hello = reader.hello(facilitator.token, facilitator.council, 0);
  EXPECT_EQ(hello.synced.num("head"), head);
  expect_consecutive(hello.events, 1, head, "log");
  std::size_t by_others = 0;
  for (const Frame& event : hello.events) by_others += event.by() != facilitator.participant;
  EXPECT_EQ(by_others, accepted_from_others);
  EXPECT_EQ(accepted_from_others, 13u) << "M and OW: 6 ops each, OW also role.status";
}

TEST_F(AuthorizationTest, UnknownRoleIsNotFoundBeforeOwnershipButObserverIsForbiddenFirst) {
  const std::string unknown = facilitator.council + "-ro999";
  const json::object args{{"role", unknown}, {"status", "done"}};
  EXPECT_EQ(as(F).send("role.status", args).str("code"), "not_found");
  EXPECT_EQ(as(M).send("role.status", args).str("code"), "not_found");
  EXPECT_EQ(as(OW).send("role.status", args).str("code"), "not_found");
  EXPECT_EQ(as(O).send("role.status", args).str("code"), "forbidden");
  // A member's facilitator op is forbidden before its ids are looked at.
  EXPECT_EQ(as(M).send("ranking.close", {{"ranking", facilitator.council + "-r999"}}).str("code"),
            "forbidden");
  EXPECT_EQ(
      as(M).send("proposal.close", {{"proposal", facilitator.council + "-pr999"}}).str("code"),
      "forbidden");
}

// hello with `token` for `council`: unauthorized, then close 4401.
void expect_hello_refused(std::uint16_t port, const std::string& token,
                          const std::string& council) {
  WsClient client(port);
  client.send(
      json::object{{"type", "hello"}, {"token", token}, {"council", council}, {"since", 0}});
  Frame reply = client.expect();
  EXPECT_EQ(reply.type(), "error") << reply.text;
  EXPECT_EQ(reply.str("code"), "unauthorized") << reply.text;
  EXPECT_EQ(client.wait_closed(), std::optional<std::uint16_t>(4401));
}

int record_status(std::uint16_t port, const std::string& council,
                  const std::vector<std::pair<std::string, std::string>>& headers) {
  return static_cast<int>(
      http_get(port, "/api/councils/" + council + "/record", headers).result_int());
}

int record_status(std::uint16_t port, const std::string& council, const std::string& token) {
  return record_status(port, council, {{"Authorization", "Bearer " + token}});
}

TEST_F(AuthorizationTest, RecordIsForTheCouncilsOwnParticipantsOnly) {
  const Credentials other = server.create_council("別の協議体", "中村 健一", "安芸地区医師会");
  const Credentials pair =
      server.create_council("一対一協議", "山本 真理", "西部保健所", "one_on_one");
  const std::string& c1 = facilitator.council;
  for (Who who : everyone) EXPECT_EQ(record_status(server.port(), c1, creds[who].token), 200);
  EXPECT_EQ(record_status(server.port(), other.council, other.token), 200);
  // Credentials of another council: 403, both ways, one-on-one included.
  EXPECT_EQ(record_status(server.port(), c1, other.token), 403);
  EXPECT_EQ(record_status(server.port(), c1, pair.token), 403);
  EXPECT_EQ(record_status(server.port(), other.council, facilitator.token), 403);
  EXPECT_EQ(record_status(server.port(), pair.council, creds[OW].token), 403);
  // No or bad credentials: 401.
  EXPECT_EQ(record_status(server.port(), c1, std::vector<std::pair<std::string, std::string>>{}),
            401);
  EXPECT_EQ(record_status(server.port(), c1, "not-a-token"), 401);
  EXPECT_EQ(record_status(server.port(), c1, {{"Authorization", "Basic " + facilitator.token}}),
            401);
  // An unknown council with valid credentials is not a way to probe: 403.
  EXPECT_EQ(record_status(server.port(), "c999", facilitator.token), 403);
}

TEST_F(AuthorizationTest, TokenOfAnotherCouncilIsUnauthorizedEverywhere) {
  const Credentials other = server.create_council("別の協議体", "中村 健一", "安芸地区医師会");
  const Credentials other_member = server.invite(other.council, "伊藤 聡", "病院", "member");
  const Credentials pair =
      server.create_council("一対一協議", "山本 真理", "西部保健所", "one_on_one");
  for (const Credentials* c : {&other, &other_member, &pair})
    expect_hello_refused(server.port(), c->token, facilitator.council);
  for (Who who : everyone) {
    expect_hello_refused(server.port(), creds[who].token, other.council);
    expect_hello_refused(server.port(), creds[who].token, pair.council);
  }
}

// /join/<token>: 303 with a cookie when valid, a 401 page without one else.
int join_status(std::uint16_t port, const std::string& token, std::string* cookie = nullptr) {
  auto response = http_get(port, "/join/" + token);
  if (cookie) {
    const std::string header(response[http::field::set_cookie]);
    const auto eq = header.find('=');
    const auto semi = header.find(';');
    *cookie = eq == std::string::npos ? "" : header.substr(eq + 1, semi - eq - 1);
  } else if (response.result_int() != 303) {
    EXPECT_EQ(response.count(http::field::set_cookie), 0u);
  }
  return static_cast<int>(response.result_int());
}

TEST_F(AuthorizationTest, RevokedParticipantIsRefusedEverywhere) {
  const Credentials leaving = member("異動 予定", "安芸太田町");
  // Before: everything works, and a browser session is open.
  {
    WsClient client(server.port());
    EXPECT_EQ(client.hello(leaving.token, leaving.council).welcome.type(), "welcome");
  }
  std::string cookie;
  ASSERT_EQ(join_status(server.port(), leaving.token, &cookie), 303);
  ASSERT_FALSE(cookie.empty());
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(http_get(server.port(), "/api/session", {{"Cookie", "renkei_session=" + cookie}})
                .result_int(),
            200);

  auto revoked = run_renkei({"revoke", "--db", server.db(), "--participant", leaving.participant});
  ASSERT_EQ(revoked.status, 0) << revoked.err;
  EXPECT_EQ(json::parse(revoked.out), json::parse(R"({"revoked":")" + leaving.participant + "\"}"));
  // A second revocation is refused; so is an unknown participant.
  EXPECT_EQ(
      run_renkei({"revoke", "--db", server.db(), "--participant", leaving.participant}).status, 1);
  EXPECT_EQ(run_renkei({"revoke", "--db", server.db(), "--participant", "p999"}).status, 1);

  expect_hello_refused(server.port(), leaving.token, leaving.council);
  EXPECT_EQ(record_status(server.port(), leaving.council, leaving.token), 401);
  EXPECT_EQ(join_status(server.port(), leaving.token), 401);
  // The browser session ended with it.
  const std::vector<std::pair<std::string, std::string>> with_cookie = {
      {"Cookie", "renkei_session=" + cookie}};
  EXPECT_EQ(http_get(server.port(), "/api/session", with_cookie).result_int(), 401);
  EXPECT_EQ(record_status(server.port(), leaving.council, with_cookie), 401);
  {
    WsClient client(server.port(), {{"Cookie", "renkei_session=" + cookie}, {"Origin", origin}});
    client.send(json::object{{"type", "hello"}, {"council", leaving.council}, {"since", 0}});
    Frame reply = client.expect();
    EXPECT_EQ(reply.str("code"), "unauthorized") << reply.text;
    EXPECT_EQ(client.wait_closed(), std::optional<std::uint16_t>(4401));
  }
  // The others are untouched.
  EXPECT_EQ(as(M).ok("issue.post", text_args("異動後も続ける")), 1u);
  EXPECT_EQ(record_status(server.port(), leaving.council, creds[M].token), 200);
}

// A participant revoked while connected must not go on writing into the
// council from the sockets it already has (a 異動 with a browser tab left
// open). AUTHORIZATION.md: revoking "refuses its token and ends its browser
// sessions", and ending a session by logout closes its sockets; revocation
// must not leave a session's socket (nor a token's) writing.
TEST_F(AuthorizationTest, RevokedParticipantsOpenConnectionsCanNoLongerWrite) {
  const Credentials leaving = member("異動 予定", "安芸太田町");
  auto by_token = join(leaving);
  auto joined = http_get(server.port(), "/join/" + leaving.token);
  ASSERT_EQ(joined.result_int(), 303);
  const std::string set_cookie(joined[http::field::set_cookie]);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  WsClient by_cookie(server.port(), {{"Cookie", cookie}, {"Origin", server.origin()}});
  by_cookie.send(json::object{{"type", "hello"}, {"council", leaving.council}, {"since", 0}});
  ASSERT_EQ(by_cookie.expect().type(), "welcome");
  ASSERT_EQ(by_cookie.expect().type(), "synced");
  ASSERT_EQ(by_token->ws().command("before", "issue.post", text_args("異動前")).type(), "ack");

  auto revoked = run_renkei({"revoke", "--db", server.db(), "--participant", leaving.participant});
  ASSERT_EQ(revoked.status, 0) << revoked.err;
  // Give the server a moment to notice, then try to write from both.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  for (WsClient* socket : {&by_token->ws(), &by_cookie}) {
    SCOPED_TRACE(socket == &by_cookie ? "cookie socket" : "token socket");
    if (socket->is_closed()) continue;
    const std::string id = "after-" + random_hex(4);
    try {
      socket->send_cmd(id, "issue.post", text_args("異動後の書き込み"));
      Frame reply = socket->wait_reply(id, Millis(5000));
      EXPECT_EQ(reply.type(), "error")
          << "a revoked participant's open connection still writes: " << reply.text;
    } catch (const std::runtime_error&) {
      // Closed meanwhile: fine.
    }
  }
  WsClient reader(server.port());
  HelloResult hello = reader.hello(facilitator.token, facilitator.council, 0);
  EXPECT_EQ(hello.synced.num("head"), 1u) << "the revoked participant wrote after revocation";
}

TEST_F(AuthorizationTest, ExpiredInviteIsRefusedEverywhere) {
  // --expires-in-days 0 expires at the moment of the invitation.
  auto expired =
      run_renkei({"invite", "--db", server.db(), "--council", facilitator.council, "--name",
                  "期限 切れ", "--org", "坂町", "--role", "member", "--expires-in-days", "0"});
  ASSERT_EQ(expired.status, 0) << expired.err;
  const std::string token(json::parse(expired.out).at("token").as_string());
  expect_hello_refused(server.port(), token, facilitator.council);
  EXPECT_EQ(record_status(server.port(), facilitator.council, token), 401);
  EXPECT_EQ(join_status(server.port(), token), 401);

  // A day's validity works now.
  auto valid =
      run_renkei({"invite", "--db", server.db(), "--council", facilitator.council, "--name",
                  "期限 内", "--org", "坂町", "--role", "member", "--expires-in-days", "1"});
  ASSERT_EQ(valid.status, 0) << valid.err;
  const std::string valid_token(json::parse(valid.out).at("token").as_string());
  WsClient client(server.port());
  EXPECT_EQ(client.hello(valid_token, facilitator.council).welcome.type(), "welcome");
  EXPECT_EQ(record_status(server.port(), facilitator.council, valid_token), 200);
  EXPECT_EQ(join_status(server.port(), valid_token), 303);
}

TEST_F(AuthorizationTest, IdsOfAnotherCouncilAreNotFoundInEveryOpThatTakesOne) {
  // Council B with one of everything; council A with the same kinds of
  // objects, so that B's ids have twins in A that differ only by council.
  const Credentials b = server.create_council("B 協議体", "中村 健一", "安芸地区医師会");
  Participant fb(server.port(), b);
  auto b_issue = fb.create("issue.post", text_args("B の課題"), "issue");
  auto b_issue2 = fb.create("issue.post", text_args("B の課題2"), "issue");
  auto b_ranking = fb.create("ranking.open",
                             {{"candidates", {b_issue, b_issue2}}, {"method", "dots"}}, "ranking");
  auto b_proposal =
      fb.create("proposal.open", {{"kind", "vision"}, {"text", "B の案"}}, "proposal");
  auto b_role =
      fb.create("role.propose", {{"title", "B の役割"}, {"owner_org", owner_org}}, "role");
  auto b_indicator = fb.create(
      "indicator.define", {{"name", "B の指標"}, {"kind", "outcome"}, {"unit", "件"}}, "indicator");

  auto a_issue = fresh_issue();
  auto a_issue2 = fresh_issue();
  const std::string a_ranking = as(F).create(
      "ranking.open", {{"candidates", {a_issue, a_issue2}}, {"method", "dots"}}, "ranking");
  const std::string a_proposal = fresh_proposal();
  const std::string a_role = fresh_role();
  const std::string a_indicator = fresh_indicator();
  const std::uint64_t head = as(F).ws().last_seq();
  ASSERT_NE(a_issue, b_issue);

  struct Attempt {
    Who who;
    std::string op;
    json::object args;
  };
  const std::vector<Attempt> attempts = {
      {F, "issue.merge", {{"from", b_issue}, {"into", a_issue}}},
      {F, "issue.merge", {{"from", a_issue}, {"into", b_issue}}},
      {F, "ranking.open", {{"candidates", {b_issue, b_issue2}}, {"method", "borda"}}},
      {F, "ranking.open", {{"candidates", {a_issue, b_issue}}, {"method", "borda"}}},
      {F, "ranking.ballot", {{"ranking", b_ranking}, {"dots", {{b_issue, 1}}}}},
      {M, "ranking.ballot", {{"ranking", b_ranking}, {"dots", {{b_issue, 1}}}}},
      {F, "ranking.close", {{"ranking", b_ranking}}},
      {F, "proposal.stance", {{"proposal", b_proposal}, {"stance", "agree"}}},
      {M, "proposal.stance", {{"proposal", b_proposal}, {"stance", "block"}, {"reason", "理由"}}},
      {F, "proposal.close", {{"proposal", b_proposal}}},
      {F, "role.consent", {{"role", b_role}, {"consent", true}}},
      {OW, "role.consent", {{"role", b_role}, {"consent", false}}},
      {F, "role.status", {{"role", b_role}, {"status", "done"}}},
      {OW, "role.status", {{"role", b_role}, {"status", "done"}}},
      {M, "role.status", {{"role", b_role}, {"status", "done"}}},
      {F, "indicator.report", {{"indicator", b_indicator}, {"value", 1}, {"period", "2026-04"}}},
      {M, "indicator.report", {{"indicator", b_indicator}, {"value", 1}, {"period", "2026-04"}}},
  };
  for (const Attempt& a : attempts) {
    SCOPED_TRACE(a.op + " by the " + name_of(a.who) + " " + json::serialize(a.args));
    Frame reply = as(a.who).send(a.op, a.args);
    EXPECT_EQ(reply.str("code"), "not_found") << reply.text;
  }
  // A ballot in A's own ranking that names B's issue is a ballot naming a
  // non-candidate (PROTOCOL.md: bad_request), answered exactly as for an
  // issue that exists nowhere: nothing tells that B's id exists.
  Frame foreign = as(M).send("ranking.ballot", {{"ranking", a_ranking}, {"dots", {{b_issue, 1}}}});
  Frame nowhere = as(M).send(
      "ranking.ballot", {{"ranking", a_ranking}, {"dots", {{facilitator.council + "-i999", 1}}}});
  EXPECT_EQ(foreign.str("code"), "bad_request") << foreign.text;
  EXPECT_EQ(foreign.str("message"), nowhere.str("message"));
  EXPECT_EQ(foreign.str("code"), nowhere.str("code"));

  // Nothing changed in either council; B's objects are intact.
  EXPECT_EQ(as(F).ok("issue.post", text_args("後で")), head + 1);
  EXPECT_EQ(fb.ok("ranking.ballot", {{"ranking", b_ranking}, {"dots", {{b_issue, 3}}}}), 7u);
  const json::value b_record = json::parse(get_record(server.port(), b.council, b.token));
  EXPECT_EQ(json::serialize(b_record).find(facilitator.council + "-"), std::string::npos)
      << "A's ids in B's record";
}

}  // namespace
}  // namespace renkei::it
