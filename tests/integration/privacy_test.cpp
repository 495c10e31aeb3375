// One-on-one privacy (AUTHORIZATION.md): a consultation between a health
// centre and one municipality is a council of its own, so what is said there
// reaches nobody else: not the sockets of the main council (watched from
// start to end), not its record or resync, not the audit trail, the metrics
// or the log; and its presence lists its two parties only.
#include <set>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

class OneOnOnePrivacyTest : public IntegrationTest {
 protected:
  OneOnOnePrivacyTest() : IntegrationTest(unlimited_rate) {}
};

// The participants a presence frame lists.
std::set<std::string> listed(const Frame& presence) {
  std::set<std::string> ids;
  const json::value* connected = presence.json.if_contains("connected");
  if (!connected || !connected->is_array()) {
    ADD_FAILURE() << "presence without connected[]: " << presence.text;
    return ids;
  }
  for (const json::value& p : connected->as_array())
    ids.insert(std::string(p.at("participant").as_string()));
  return ids;
}

TEST_F(OneOnOnePrivacyTest, NothingSaidInTheConsultationReachesAnyoneElse) {
  const Canary canary;
  // The main council: the health centre's facilitator (the fixture's), the
  // municipality's member, two more members and an observer.
  const auto main_members = members({{"佐藤 恵子", "北広島町"},
                                     {"田中 浩二", "坂町地域包括支援センター"},
                                     {"伊藤 聡", "広島西医療センター"},
                                     {"小林 直美", "広島県 健康福祉局", "observer"}});
  std::vector<Credentials> main_people = {facilitator};
  main_people.insert(main_people.end(), main_members.begin(), main_members.end());
  std::set<std::string> main_ids;
  for (const auto& c : main_people) main_ids.insert(c.participant);

  // Everyone of the main council watches from before the consultation
  // starts to after it ends.
  std::vector<std::unique_ptr<Participant>> watchers;
  for (const auto& c : main_people) watchers.push_back(join(c));
  const std::string main_issue =
      watchers[0]->create("issue.post", text_args("全体会議の課題"), "issue");

  // The one-on-one: the same health centre and the same municipality, with
  // credentials of their own.
  const Credentials pf = server.create_council("西部保健所 × 北広島町 一対一協議", "山本 真理",
                                               "西部保健所", "one_on_one");
  const Credentials pm = server.invite(pf.council, "佐藤 恵子", "北広島町", "member");
  ASSERT_NE(pf.council, facilitator.council);
  auto health_centre = join(pf);
  auto municipality = join(pm);

  health_centre->ok("meeting.start", {{"title", canary.text}, {"agenda", "one-on-one"}});
  const std::string issue =
      municipality->create("issue.post", {{"text", canary.text}, {"theme", canary.core}}, "issue");
  const std::string role = health_centre->create(
      "role.propose", {{"title", canary.text}, {"owner_org", "北広島町"}, {"detail", canary.text}},
      "role");
  municipality->ok("role.consent", {{"role", role}, {"consent", true}, {"note", canary.text}});
  const std::string proposal = health_centre->create(
      "proposal.open", {{"kind", "direction"}, {"text", canary.text}}, "proposal");
  municipality->ok("proposal.stance",
                   {{"proposal", proposal}, {"stance", "disagree"}, {"reason", canary.text}});
  health_centre->ok("theme.set_stage",
                    {{"theme", canary.core}, {"stage", 2}, {"reason", canary.text}});
  const std::uint64_t pair_head = health_centre->ok("meeting.end");

  // The main council's facilitator tries the consultation's ids: not_found,
  // and the refusal says nothing of what they name.
  for (const auto& [op, args] : std::vector<std::pair<std::string, json::object>>{
           {"issue.merge", {{"from", issue}, {"into", main_issue}}},
           {"ranking.open", {{"candidates", {issue}}, {"method", "borda"}}},
           {"proposal.stance", {{"proposal", proposal}, {"stance", "agree"}}},
           {"role.status", {{"role", role}, {"status", "done"}}}}) {
    Frame reply = watchers[0]->send(op, args);
    EXPECT_EQ(reply.str("code"), "not_found") << reply.text;
    EXPECT_FALSE(canary.in(reply.text)) << reply.text;
  }
  // The main council's credentials do not open the consultation.
  for (const auto& c : main_people) {
    WsClient intruder(server.port());
    intruder.send(
        json::object{{"type", "hello"}, {"token", c.token}, {"council", pf.council}, {"since", 0}});
    Frame refused = intruder.expect();
    EXPECT_EQ(refused.str("code"), "unauthorized") << refused.text;
    EXPECT_FALSE(canary.in(refused.text));
    auto record = http_get(server.port(), "/api/councils/" + pf.council + "/record",
                           {{"Authorization", "Bearer " + c.token}});
    EXPECT_EQ(record.result_int(), 403);
    EXPECT_FALSE(canary.in(record.body())) << record.body();
  }

  // A last event of the main council: when the watchers have it, they have
  // everything the server sent them meanwhile.
  const std::uint64_t main_head = watchers[0]->ok("issue.post", text_args("全体会議の続き"));
  for (std::size_t i = 0; i < watchers.size(); ++i) {
    SCOPED_TRACE("main council watcher " + main_people[i].participant);
    watchers[i]->ws().wait_event(main_head);
    const std::string seen = everything_received(watchers[i]->ws());
    EXPECT_FALSE(canary.in(seen)) << seen;
    for (const std::string& id : {pf.participant, pm.participant})
      EXPECT_EQ(seen.find("\"" + id + "\""), std::string::npos) << id << " in " << seen;
    expect_consecutive(watchers[i]->ws().events(), 1, main_head, "main council");
    for (const Frame& frame : watchers[i]->ws().ignored()) {
      if (frame.type() != "presence") continue;
      for (const std::string& id : listed(frame))
        EXPECT_TRUE(main_ids.count(id)) << "outsider " << id << " in " << frame.text;
    }
  }

  // The consultation's presence lists its two parties only, although the
  // same people are connected to the main council too.
  bool saw_presence = false;
  for (Participant* party : {health_centre.get(), municipality.get()}) {
    everything_received(party->ws());
    for (const Frame& frame : party->ws().ignored()) {
      if (frame.type() != "presence") continue;
      saw_presence = true;
      for (const std::string& id : listed(frame))
        EXPECT_TRUE(id == pf.participant || id == pm.participant)
            << "outsider " << id << " in " << frame.text;
    }
  }
  EXPECT_TRUE(saw_presence) << "no presence frame reached the consultation";

  // Nothing in the main council's record, resync, audit trail; nothing in
  // the metrics or the log.
  const std::string main_record = record();
  EXPECT_FALSE(canary.in(main_record)) << main_record;
  {
    WsClient late(server.port());
    HelloResult hello = late.hello(facilitator.token, facilitator.council, 0);
    std::string resync = hello.welcome.text;
    for (const Frame& e : hello.events) resync += e.text;
    EXPECT_FALSE(canary.in(resync));
    EXPECT_EQ(hello.synced.num("head"), main_head);
  }
  const std::string metrics = http_get(server.port(), "/metrics").body();
  EXPECT_FALSE(canary.in(metrics));
  for (const std::string& council : {facilitator.council, pf.council}) {
    auto audit = run_renkei({"audit", "--db", server.db(), "--council", council});
    ASSERT_EQ(audit.status, 0) << audit.err;
    EXPECT_FALSE(canary.in(audit.out)) << council << ":\n" << audit.out;
  }
  EXPECT_FALSE(canary.in(server.log())) << server.log();

  // Control: the consultation itself has it all, so the checks above could
  // have found it.
  const std::string pair_record = get_record(server.port(), pf.council, pm.token);
  EXPECT_TRUE(canary.in(pair_record));
  WsClient party(server.port());
  HelloResult pair_hello = party.hello(pm.token, pf.council, 0);
  EXPECT_EQ(pair_hello.synced.num("head"), pair_head);
  std::string pair_frames;
  for (const Frame& e : pair_hello.events) pair_frames += e.text;
  EXPECT_TRUE(canary.in(pair_frames));
}

}  // namespace
}  // namespace renkei::it
