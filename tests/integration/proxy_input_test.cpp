// Proxy input (代理入力, CONTINUITY.md section 4) over the real server: a
// facilitator sends a cmd with "on_behalf_of" for an attendee who takes part
// by phone or on paper. Every op that may be proxied, every refusal (and
// the state unchanged after it), ownership decided as the attendee's, the
// frame's entered_by live and on replay, the record and the minutes, the
// command id scoped to the sender across a restart, the attendee replacing
// a proxied stance, a one-on-one, and the audit trail (sender and
// on_behalf_of; AUTHORIZATION.md "Proxy input").
#include <chrono>
#include <thread>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

struct AuditLine {
  json::object json;
  std::string str(const char* key) const {
    const json::value* v = json.if_contains(key);
    if (v == nullptr) return "absent";
    return v->is_null() ? "null" : v->is_string() ? std::string(v->as_string()) : "?";
  }
};

class ProxyInputTest : public IntegrationTest {
 protected:
  ProxyInputTest() : IntegrationTest(unlimited_rate) {}

  void SetUp() override {
    IntegrationTest::SetUp();
    const auto people = members({{"佐藤 花子", "北広島町"},
                                 {"鈴木 一郎", "安芸地区医師会"},
                                 {"田中 次郎", "県本庁", "observer"},
                                 {"井上 恵", "西部保健所", "facilitator"}});
    sato_c = people[0];
    suzuki_c = people[1];
    observer_c = people[2];
    co_chair_c = people[3];
    chair = join(facilitator);
    sato = join(sato_c);
    suzuki = join(suzuki_c);
    wait_for_seat_cache();
  }

  // The server's seat cache reloads once a second; seats made through the
  // CLI (another process) are seen after that.
  static void wait_for_seat_cache() {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  }

  // A cmd on behalf of `attendee` (any JSON value); its reply.
  static Frame proxy(Participant& sender, const std::string& id, const std::string& op,
                     json::object args, json::value attendee) {
    sender->send(json::object{{"type", "cmd"},
                              {"id", id},
                              {"op", op},
                              {"args", std::move(args)},
                              {"on_behalf_of", std::move(attendee)}});
    return sender->wait_reply(id);
  }
  static Frame proxy(Participant& sender, const std::string& op, json::object args,
                     const std::string& attendee) {
    return proxy(sender, Participant::fresh_id(), op, std::move(args), json::value(attendee));
  }
  // A proxied command that must be accepted: its event as `sender` saw it.
  static Frame proxied(Participant& sender, const std::string& op, json::object args,
                       const std::string& attendee) {
    const Frame reply = proxy(sender, op, std::move(args), attendee);
    if (reply.type() != "ack") throw std::runtime_error(op + " refused: " + reply.text);
    return sender.event(reply.seq());
  }
  static std::string code_of(const Frame& reply) {
    return reply.type() == "error" ? reply.str("code") : reply.type();
  }

  std::vector<AuditLine> audit() {
    auto result = run_renkei({"audit", "--db", server.db(), "--council", facilitator.council});
    EXPECT_EQ(result.status, 0) << result.err;
    std::vector<AuditLine> out;
    for (const std::string& line : lines_of(result.out))
      out.push_back(AuditLine{json::parse(line).as_object()});
    return out;
  }

  std::string minutes(const std::string& meeting) {
    const auto page =
        http_get(server.port(),
                 "/api/councils/" + facilitator.council + "/meetings/" + meeting + "/minutes.md",
                 {{"Authorization", "Bearer " + facilitator.token}});
    EXPECT_EQ(page.result_int(), 200) << page.body();
    return page.body();
  }

  Credentials sato_c, suzuki_c, observer_c, co_chair_c;
  std::unique_ptr<Participant> chair, sato, suzuki;
};

void expect_entered_by(const Frame& event, const std::string& by, const Credentials& sender,
                       const std::string& sender_name) {
  SCOPED_TRACE(event.text);
  EXPECT_EQ(event.by(), by);
  const json::value* entered = event.json.if_contains("entered_by");
  ASSERT_TRUE(entered != nullptr && entered->is_object());
  EXPECT_EQ(entered->at("participant"), json::value(sender.participant));
  EXPECT_EQ(entered->at("name"), json::value(sender_name));
  EXPECT_EQ(entered->at("role"), json::value("facilitator"));
  // Written right after "by".
  EXPECT_LT(event.text.find("\"by\""), event.text.find("\"entered_by\""));
  EXPECT_LT(event.text.find("\"entered_by\""), event.text.find("\"meeting\""));
}

TEST_F(ProxyInputTest, EveryProxiableOpIsDecidedAsTheAttendeesAndMarked) {
  const std::string meeting = chair->create("meeting.start", {{"title", "第1回"}}, "meeting");
  const Frame issue =
      proxied(*chair, "issue.post", {{"text", "電話で聞いた課題"}, {"theme", "見守り"}},
              sato_c.participant);
  expect_entered_by(issue, sato_c.participant, facilitator, "山本 真理");
  EXPECT_EQ(issue.json.at("by").at("name"), json::value("佐藤 花子"));
  EXPECT_EQ(issue.json.at("by").at("org"), json::value("北広島町"));
  EXPECT_EQ(issue.json.at("by").at("role"), json::value("member"));
  // The attendee and everyone else see the same frame live.
  EXPECT_EQ(sato->event(issue.seq()).text, issue.text);
  EXPECT_EQ(suzuki->event(issue.seq()).text, issue.text);
  const std::string issue_id(issue.data().at("issue").as_string());

  const std::string proposal = chair->create(
      "proposal.open", {{"kind", "vision"}, {"text", "住み慣れた地域で"}}, "proposal");
  const Frame stance = proxied(
      *chair, "proposal.stance",
      {{"proposal", proposal}, {"stance", "agree"}, {"reason", "書面で賛成"}}, sato_c.participant);
  expect_entered_by(stance, sato_c.participant, facilitator, "山本 真理");

  const std::string ranking =
      chair->create("ranking.open", {{"candidates", {issue_id}}, {"method", "schulze"}}, "ranking");
  const Frame ballot = proxied(*chair, "ranking.ballot",
                               {{"ranking", ranking}, {"order", {issue_id}}}, sato_c.participant);
  expect_entered_by(ballot, sato_c.participant, facilitator, "山本 真理");
  EXPECT_FALSE(ballot.data().contains("order")) << "ballot content in the frame";

  const std::string role = chair->create(
      "role.propose", {{"title", "見守り訪問"}, {"owner_org", "安芸地区医師会"}}, "role");
  const Frame consent =
      proxied(*chair, "role.consent", {{"role", role}, {"consent", true}}, sato_c.participant);
  expect_entered_by(consent, sato_c.participant, facilitator, "山本 真理");
  EXPECT_EQ(consent.data().at("state"), json::value("proposed"));  // not the owner

  const std::string indicator = chair->create(
      "indicator.define", {{"name", "訪問件数"}, {"kind", "process"}, {"unit", "件"}}, "indicator");
  const Frame report = proxied(*chair, "indicator.report",
                               {{"indicator", indicator}, {"value", 4}, {"period", "2026-04"}},
                               suzuki_c.participant);
  expect_entered_by(report, suzuki_c.participant, facilitator, "山本 真理");

  // Another facilitator of the council may be entered for too.
  const Frame co = proxied(*chair, "issue.post", text_args("副議長の課題"), co_chair_c.participant);
  EXPECT_EQ(co.json.at("by").at("role"), json::value("facilitator"));
  const std::uint64_t last = chair->ok("meeting.end");

  // The record: entered_by after by, never a ballot's content.
  const std::string text = record();
  const json::value r = json::parse(text);
  const auto entered_participant = [](const json::value& v) {
    return v.at("entered_by").at("participant");
  };
  const json::value& posted = r.at("issues").as_array()[0];
  EXPECT_EQ(entered_participant(posted), json::value(facilitator.participant));
  const json::value& proposal_r = r.at("proposals").as_array()[0];
  EXPECT_EQ(entered_participant(proposal_r.at("stances").as_array()[0]),
            json::value(facilitator.participant));
  const json::value& role_r = r.at("roles").as_array()[0];
  EXPECT_EQ(entered_participant(role_r.at("consents").as_array()[0]),
            json::value(facilitator.participant));
  EXPECT_EQ(entered_participant(r.at("indicators").as_array()[0].at("reports").as_array()[0]),
            json::value(facilitator.participant));
  EXPECT_EQ(text.find("\"order\""), std::string::npos);
  EXPECT_EQ(r.at("issues").as_array()[1].as_object().contains("entered_by"), true);

  // A late joiner replays the stored frames byte for byte, entered_by too.
  const auto late = join(suzuki_c);
  EXPECT_EQ(late->event(issue.seq()).text, issue.text);
  EXPECT_EQ(late->event(last).seq(), last);

  // The minutes name the one who entered it, and list the attendee as
  // taking part through proxy input.
  const std::string md = minutes(meeting);
  EXPECT_NE(md.find("電話で聞いた課題"), std::string::npos) << md;
  EXPECT_NE(md.find("（代理入力：山本 真理）"), std::string::npos) << md;
  EXPECT_NE(md.find("（代理入力）"), std::string::npos) << md;

  // After a restart (replay from the log) the record is the same.
  EXPECT_EQ(server.stop(), 0) << server.log();
  server.start();
  EXPECT_EQ(record(), text);
}

TEST_F(ProxyInputTest, RefusalsChangeNothing) {
  chair->create("meeting.start", {{"title", "第1回"}}, "meeting");
  const std::string proposal =
      chair->create("proposal.open", {{"kind", "vision"}, {"text", "案"}}, "proposal");
  const Credentials other = server.create_council("別の協議体", "中村 健一", "安芸地区医師会");
  const Credentials leaving = member("退任 予定", "北広島町");
  ASSERT_EQ(
      run_renkei({"revoke", "--db", server.db(), "--participant", leaving.participant}).status, 0);
  wait_for_seat_cache();
  // The observer joins before the snapshot; its attendance row is written
  // with the next commit, so one more event makes it part of `before`.
  const auto observer = join(observer_c);
  chair->ok("issue.post", text_args("出席の記録を確定する"));
  const std::string before = record();
  const json::object stance{{"proposal", proposal}, {"stance", "agree"}};

  // A member may not enter input for someone else.
  EXPECT_EQ(code_of(proxy(*sato, "proposal.stance", stance, suzuki_c.participant)), "forbidden");
  // An observer is never entered for (and an observer never sends).
  EXPECT_EQ(code_of(proxy(*chair, "proposal.stance", stance, observer_c.participant)), "forbidden");
  EXPECT_EQ(code_of(proxy(*observer, "proposal.stance", stance, sato_c.participant)), "forbidden");
  // Unknown, another council's, revoked: not_found.
  EXPECT_EQ(code_of(proxy(*chair, "proposal.stance", stance, "p999")), "not_found");
  EXPECT_EQ(code_of(proxy(*chair, "proposal.stance", stance, other.participant)), "not_found");
  EXPECT_EQ(code_of(proxy(*chair, "proposal.stance", stance, leaving.participant)), "not_found");
  // Oneself.
  EXPECT_EQ(code_of(proxy(*chair, "proposal.stance", stance, facilitator.participant)),
            "bad_request");
  // Ops that may not be proxied.
  EXPECT_EQ(code_of(proxy(*chair, "role.propose", {{"title", "t"}, {"owner_org", "北広島町"}},
                          sato_c.participant)),
            "bad_request");
  EXPECT_EQ(code_of(proxy(*chair, "role.status", {{"role", "r1"}, {"status", "done"}},
                          sato_c.participant)),
            "bad_request");
  EXPECT_EQ(code_of(proxy(*chair, "meeting.end", {}, sato_c.participant)), "bad_request");
  // on_behalf_of that is not a participant id string.
  for (const json::value& bad : {json::value(1), json::value(""), json::value(json::array{}),
                                 json::value(true), json::value(std::string(101, 'p'))})
    EXPECT_EQ(code_of(proxy(*chair, Participant::fresh_id(), "proposal.stance", stance, bad)),
              "bad_request")
        << json::serialize(bad);
  // The proxy error is Japanese first.
  const Frame refused = proxy(*sato, "issue.post", text_args("x"), suzuki_c.participant);
  EXPECT_EQ(refused.str("message").rfind("代理入力はファシリテーターのみ行えます", 0), 0u)
      << refused.text;

  EXPECT_EQ(record(), before);
  // null is as absent.
  EXPECT_EQ(
      proxy(*chair, Participant::fresh_id(), "issue.post", text_args("自分で"), nullptr).type(),
      "ack");
}

TEST_F(ProxyInputTest, AProxiedConsentOfTheOwnersAttendeeIsDecisive) {
  chair->create("meeting.start", {{"title", "第1回"}}, "meeting");
  const std::string role = chair->create(
      "role.propose", {{"title", "情報共有シートの運用"}, {"owner_org", "北広島町"}}, "role");
  // The facilitator's own consent is an opinion only ...
  EXPECT_EQ(chair->event(chair->ok("role.consent", {{"role", role}, {"consent", true}}))
                .data()
                .at("state"),
            json::value("proposed"));
  // ... entered for 北広島町's attendee, it agrees the role.
  const Frame consent =
      proxied(*chair, "role.consent", {{"role", role}, {"consent", true}, {"note", "電話で了承"}},
              sato_c.participant);
  EXPECT_EQ(consent.data().at("state"), json::value("agreed"));
  const json::value r = json::parse(record());
  const json::value& entry = r.at("roles").as_array()[0].at("consents").as_array()[1];
  EXPECT_EQ(entry.at("decisive"), json::value(true));
  EXPECT_EQ(entry.at("participant"), json::value(sato_c.participant));
  EXPECT_EQ(entry.at("entered_by").at("participant"), json::value(facilitator.participant));
}

TEST_F(ProxyInputTest, TheCommandIdIsTheSendersAcrossARestart) {
  chair->create("meeting.start", {{"title", "第1回"}}, "meeting");
  // The same client id used by the attendee and, for them, by the facilitator.
  const Frame own = sato->ws().command("same", "issue.post", text_args("自分の課題"));
  ASSERT_EQ(own.type(), "ack") << own.text;
  const Frame entered =
      proxy(*chair, "same", "issue.post", text_args("代理の課題"), json::value(sato_c.participant));
  ASSERT_EQ(entered.type(), "ack") << entered.text;
  EXPECT_NE(own.seq(), entered.seq());
  // The facilitator's own id "same" is taken by the proxied command.
  EXPECT_EQ(chair->ws().command("same", "issue.post", text_args("別")).seq(), entered.seq());
  const std::string before = record();

  EXPECT_EQ(server.stop(), 0) << server.log();
  server.start();
  chair->reconnect(server.port(), entered.seq());
  sato->reconnect(server.port(), entered.seq());
  wait_for_seat_cache();
  const Frame again =
      proxy(*chair, "same", "issue.post", text_args("再送"), json::value(sato_c.participant));
  EXPECT_EQ(again.type(), "ack");
  EXPECT_EQ(again.seq(), entered.seq());
  EXPECT_EQ(sato->ws().command("same", "issue.post", text_args("再送")).seq(), own.seq());
  EXPECT_EQ(record(), before);
  // A new id goes on as usual.
  EXPECT_EQ(proxy(*chair, "issue.post", text_args("次"), sato_c.participant).seq(),
            entered.seq() + 1);
}

TEST_F(ProxyInputTest, TheAttendeeReplacesAProxiedStanceAndBallot) {
  chair->create("meeting.start", {{"title", "第1回"}}, "meeting");
  const std::string proposal =
      chair->create("proposal.open", {{"kind", "vision"}, {"text", "案"}}, "proposal");
  proxied(*chair, "proposal.stance", {{"proposal", proposal}, {"stance", "disagree"}},
          sato_c.participant);
  sato->ok("proposal.stance", {{"proposal", proposal}, {"stance", "agree"}});
  const json::value r = json::parse(record());
  const auto& stances = r.at("proposals").as_array()[0].at("stances").as_array();
  ASSERT_EQ(stances.size(), 1u);
  EXPECT_EQ(stances[0].at("stance"), json::value("agree"));
  EXPECT_FALSE(stances[0].as_object().contains("entered_by"));
  const Frame closed = chair->event(chair->ok("proposal.close", {{"proposal", proposal}}));
  EXPECT_EQ(closed.data().at("tally").at("agree"), json::value(1));
  EXPECT_EQ(closed.data().at("tally").at("disagree"), json::value(0));
}

TEST_F(ProxyInputTest, InAOneOnOneThePartyIsEnteredFor) {
  const Credentials pair =
      server.create_council("一対一協議", "高橋 由美", "西部保健所", "one_on_one");
  const Credentials party = server.invite(pair.council, "小林 誠", "北広島町", "member");
  wait_for_seat_cache();
  const auto chair2 = join(pair);
  const auto party2 = join(party);
  const Frame issue = proxied(*chair2, "issue.post", text_args("電話での相談"), party.participant);
  expect_entered_by(issue, party.participant, pair, "高橋 由美");
  EXPECT_EQ(party2->event(issue.seq()).text, issue.text);
  // Not a seat of this one-on-one.
  EXPECT_EQ(code_of(proxy(*chair2, "issue.post", text_args("x"), sato_c.participant)), "not_found");
}

TEST_F(ProxyInputTest, TheAuditTrailRecordsTheSenderAndOnBehalfOf) {
  chair->create("meeting.start", {{"title", "第1回"}}, "meeting");
  const Frame ok = proxy(*chair, "issue.post", text_args("代理"), sato_c.participant);
  ASSERT_EQ(ok.type(), "ack");
  proxy(*chair, "issue.post", text_args("x"), observer_c.participant);                 // forbidden
  proxy(*sato, "issue.post", text_args("x"), suzuki_c.participant);                    // forbidden
  proxy(*chair, Participant::fresh_id(), "issue.post", text_args("x"), "token-like");  // not_found
  sato->ok("issue.post", text_args("自分で"));

  const auto lines = audit();
  const auto find = [&](const std::string& participant, const std::string& outcome,
                        const std::string& on_behalf_of) {
    std::size_t n = 0;
    for (const AuditLine& line : lines)
      n += line.str("action") == "command" && line.str("participant") == participant &&
           line.str("outcome") == outcome && line.str("on_behalf_of") == on_behalf_of;
    return n;
  };
  EXPECT_EQ(find(facilitator.participant, "accepted", sato_c.participant), 1u);
  EXPECT_EQ(find(facilitator.participant, "forbidden", observer_c.participant), 1u);
  EXPECT_EQ(find(sato_c.participant, "forbidden", suzuki_c.participant), 1u);
  // Client text that names no seat is never kept.
  EXPECT_EQ(find(facilitator.participant, "not_found", ""), 1u);
  std::string all;
  for (const AuditLine& line : lines) all += json::serialize(line.json);
  EXPECT_EQ(all.find("token-like"), std::string::npos);
  // Commands without it have no on_behalf_of.
  EXPECT_EQ(find(sato_c.participant, "accepted", "absent"), 1u);
}

}  // namespace
}  // namespace renkei::it
