// Promotion from a one-on-one (CONTINUITY.md section 5) over the real
// server: the propose/consent flow, every refusal, the target council
// receiving exactly the promoted items with their provenance, idempotency
// across restarts, completion after a crash between the consent and the
// target's writes, and a canary: nothing else said in the consultation
// reaches the council's events, documents, search or exports.
#include "trust_support.hpp"

namespace renkei::it {
namespace {

class PromotionTest : public IntegrationTest {
 protected:
  PromotionTest() : IntegrationTest(unlimited_rate) {}

  void SetUp() override {
    IntegrationTest::SetUp();
    pair = server.create_council("西部保健所 × 北広島町 一対一協議", "山本 真理", "西部保健所",
                                 "one_on_one");
    municipality_seat = server.invite(pair.council, "佐藤 恵子", "北広島町", "member");
    colleague_seat = server.invite(pair.council, "中村 翔", "北広島町", "member");
    health_centre = join(pair);
    municipality = join(municipality_seat);
  }

  // Sets a council's area or archives it, in the database (as the console
  // would); the one-on-one's own area is read when its room first loads.
  void sql(const std::string& statement) { SqliteFile(server.db(), true).exec(statement); }
  static std::string rowid(const std::string& council) { return council.substr(1); }

  // An issue, a role and an adopted direction of the consultation.
  struct Items {
    std::string issue, role, direction;
  };
  Items make_items(const std::string& stance_reason = "賛成") {
    Items items;
    items.issue = municipality->create(
        "issue.post", {{"text", "訪問看護の空白地域がある"}, {"theme", "在宅医療"}}, "issue");
    items.role = health_centre->create(
        "role.propose",
        {{"title", "連絡票の統一"}, {"owner_org", "北広島町"}, {"due", "2027-03-31"}}, "role");
    items.direction = health_centre->create(
        "proposal.open", {{"kind", "direction"}, {"text", "町と保健所で共同の研修を行う"}},
        "proposal");
    municipality->ok(
        "proposal.stance",
        {{"proposal", items.direction}, {"stance", "agree"}, {"reason", stance_reason}});
    health_centre->ok("proposal.close", {{"proposal", items.direction}});
    return items;
  }
  json::object propose_args(const Items& items, const std::string& target) {
    return {{"items", {items.issue, items.role, items.direction}}, {"target", target}};
  }

  // The main council's events, caught up from 0 by a fresh connection.
  std::vector<Frame> council_events() {
    WsClient late(server.port());
    return late.hello(facilitator.token, facilitator.council, 0).events;
  }
  std::vector<Frame> promoted_in_council() {
    std::vector<Frame> promoted;
    for (Frame& e : council_events())
      if (e.data().contains("provenance")) promoted.push_back(std::move(e));
    return promoted;
  }
  // Waits until the council holds `n` promoted events (delivery follows the
  // consent's commit on another strand).
  std::vector<Frame> wait_promoted(std::size_t n) {
    std::vector<Frame> promoted;
    for (int i = 0; i < 100; ++i) {
      promoted = promoted_in_council();
      if (promoted.size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return promoted;
  }

  Credentials pair, municipality_seat, colleague_seat;
  std::unique_ptr<Participant> health_centre, municipality;
};

TEST_F(PromotionTest, AnAgreedPromotionGivesTheCouncilExactlyItsItems) {
  const Items items = make_items();
  const std::uint64_t proposed_seq =
      municipality->ok("promotion.propose", propose_args(items, facilitator.council));
  const Frame& proposed = municipality->event(proposed_seq);
  EXPECT_EQ(proposed.str("op"), "promotion.proposed");
  const std::string promotion(proposed.data().at("promotion").as_string());
  EXPECT_EQ(promotion, pair.council + "-pm1");
  EXPECT_TRUE(promoted_in_council().empty());  // nothing before the consent

  const std::uint64_t consented_seq =
      health_centre->ok("promotion.consent", {{"promotion", promotion}, {"consent", true}});
  const Frame& consented = health_centre->event(consented_seq);
  EXPECT_EQ(consented.data().at("state"), json::value("agreed"));

  const std::vector<Frame> promoted = wait_promoted(3);
  ASSERT_EQ(promoted.size(), 3u);
  EXPECT_EQ(promoted[0].str("op"), "issue.posted");
  EXPECT_EQ(promoted[0].data().at("text"), json::value("訪問看護の空白地域がある"));
  EXPECT_EQ(promoted[0].data().at("theme"), json::value("在宅医療"));
  EXPECT_EQ(promoted[1].str("op"), "role.proposed");
  EXPECT_EQ(promoted[1].data().at("state"), json::value("proposed"));
  EXPECT_EQ(promoted[1].data().at("owner_org"), json::value("北広島町"));
  EXPECT_EQ(promoted[2].str("op"), "proposal.opened");
  EXPECT_EQ(promoted[2].data().at("kind"), json::value("direction"));
  for (const Frame& e : promoted) {
    SCOPED_TRACE(e.text);
    const json::object& provenance = e.data().at("provenance").as_object();
    EXPECT_EQ(provenance.at("source"), json::value("one_on_one"));
    EXPECT_EQ(provenance.at("date").as_string().size(), 10u);
    EXPECT_EQ(e.json.at("by").at("participant"), json::value(municipality_seat.participant));
    EXPECT_EQ(e.text.find("\"" + pair.council + "-"), std::string::npos);  // no consultation id
  }

  // The council's record shows the provenance; the consultation's record
  // its promotion.
  const std::string main_record = record();
  EXPECT_NE(main_record.find("\"provenance\":{\"source\":\"one_on_one\""), std::string::npos);
  const std::string pair_record = get_record(server.port(), pair.council, pair.token);
  EXPECT_NE(pair_record.find("\"promotions\":[{\"id\":\"" + promotion), std::string::npos);
  EXPECT_NE(pair_record.find("\"state\":\"agreed\""), std::string::npos);

  // Audited in the target council.
  auto audit = run_renkei({"audit", "--db", server.db(), "--council", facilitator.council});
  ASSERT_EQ(audit.status, 0) << audit.err;
  EXPECT_NE(audit.out.find("promotion.deliver"), std::string::npos) << audit.out;
}

TEST_F(PromotionTest, ADeclinedPromotionAndThePrefectureWriteNothingToACouncil) {
  const Items items = make_items();
  const std::string declined = municipality->create(
      "promotion.propose", propose_args(items, facilitator.council), "promotion");
  health_centre->ok("promotion.consent", {{"promotion", declined}, {"consent", false}});
  const std::string up =
      health_centre->create("promotion.propose", propose_args(items, "prefecture"), "promotion");
  municipality->ok("promotion.consent", {{"promotion", up}, {"consent", true}});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(promoted_in_council().empty());
}

TEST_F(PromotionTest, EveryRefusal) {
  const Items items = make_items();
  auto code = [](Participant& who, const std::string& op, json::object args) {
    return who.send(op, std::move(args)).str("code");
  };
  // Not a one-on-one.
  auto main = join(facilitator);
  const std::string main_issue = main->create("issue.post", text_args("全体の課題"), "issue");
  EXPECT_EQ(code(*main, "promotion.propose", {{"items", {main_issue}}, {"target", "prefecture"}}),
            "bad_request");
  EXPECT_EQ(code(*main, "promotion.consent", {{"promotion", "c1-pm1"}, {"consent", true}}),
            "bad_request");

  // Targets: unknown, of another area, a one-on-one, archived, itself.
  const Credentials east = server.create_council("東部 協議会", "東 一郎", "東部保健所");
  sql("UPDATE councils SET area='東部' WHERE id=" + rowid(east.council));
  const Credentials other_pair =
      server.create_council("別の一対一協議", "山本 真理", "西部保健所", "one_on_one");
  const Credentials archived = server.create_council("旧 協議会", "旧 太郎", "西部保健所");
  sql("UPDATE councils SET archived_at='2026-12-01T00:00:00.000Z' WHERE id=" +
      rowid(archived.council));
  for (const std::string& target :
       {std::string("c999"), east.council, other_pair.council, archived.council, pair.council}) {
    SCOPED_TRACE(target);
    EXPECT_EQ(code(*municipality, "promotion.propose", propose_args(items, target)), "not_found");
  }

  // The targets a party is offered: the council of the same area only.
  const std::string targets =
      http_get(server.port(), "/api/councils/" + pair.council + "/promotion-targets",
               {{"Authorization", "Bearer " + municipality_seat.token}})
          .body();
  EXPECT_NE(targets.find("{\"id\":\"" + facilitator.council + "\""), std::string::npos) << targets;
  for (const std::string& id : {east.council, other_pair.council, archived.council, pair.council})
    EXPECT_EQ(targets.find("\"" + id + "\""), std::string::npos) << id << " in " << targets;

  // Items: unknown, merged, redacted, a direction not adopted, none.
  EXPECT_EQ(code(*municipality, "promotion.propose",
                 {{"items", {pair.council + "-i99"}}, {"target", "prefecture"}}),
            "not_found");
  const std::string merged = municipality->create("issue.post", text_args("重複"), "issue");
  health_centre->ok("issue.merge", {{"from", merged}, {"into", items.issue}});
  EXPECT_EQ(
      code(*municipality, "promotion.propose", {{"items", {merged}}, {"target", "prefecture"}}),
      "conflict");
  const std::string erased = municipality->create("issue.post", text_args("個人名あり"), "issue");
  municipality->ok("text.redact", {{"target", erased}, {"reason", "個人名"}});
  EXPECT_EQ(
      code(*municipality, "promotion.propose", {{"items", {erased}}, {"target", "prefecture"}}),
      "conflict");
  const std::string open_direction =
      health_centre->create("proposal.open", {{"kind", "direction"}, {"text", "未決"}}, "proposal");
  EXPECT_EQ(code(*municipality, "promotion.propose",
                 {{"items", {open_direction}}, {"target", "prefecture"}}),
            "conflict");
  EXPECT_EQ(code(*municipality, "promotion.propose",
                 {{"items", json::array{}}, {"target", "prefecture"}}),
            "bad_request");

  // Consent: unknown, by the proposer's own organisation, already decided.
  const std::string promotion = municipality->create(
      "promotion.propose", propose_args(items, facilitator.council), "promotion");
  EXPECT_EQ(code(*health_centre, "promotion.consent",
                 {{"promotion", pair.council + "-pm9"}, {"consent", true}}),
            "not_found");
  EXPECT_EQ(code(*municipality, "promotion.consent", {{"promotion", promotion}, {"consent", true}}),
            "bad_request");
  auto colleague = join(colleague_seat);
  EXPECT_EQ(code(*colleague, "promotion.consent", {{"promotion", promotion}, {"consent", true}}),
            "bad_request");
  health_centre->ok("promotion.consent", {{"promotion", promotion}, {"consent", true}});
  EXPECT_EQ(
      code(*health_centre, "promotion.consent", {{"promotion", promotion}, {"consent", false}}),
      "conflict");
  EXPECT_EQ(wait_promoted(3).size(), 3u);
}

TEST_F(PromotionTest, RestartsNeverDuplicateAndACrashBeforeDeliveryIsCompleted) {
  const Items items = make_items();
  const std::string first = municipality->create(
      "promotion.propose", propose_args(items, facilitator.council), "promotion");
  health_centre->ok("promotion.consent", {{"promotion", first}, {"consent", true}});
  ASSERT_EQ(wait_promoted(3).size(), 3u);

  // A second promotion, agreed while the server is down: its consent is in
  // the consultation's log, its items in no council (a crash between the
  // two writes).
  const std::string second = municipality->create(
      "promotion.propose",
      {{"items", {items.issue}}, {"target", facilitator.council}, {"note", "再掲"}}, "promotion");
  const std::uint64_t head = municipality->ok("issue.post", text_args("最後の発言"));
  health_centre.reset();
  municipality.reset();
  ASSERT_EQ(server.stop(), 0) << server.log();
  {
    SqliteFile db(server.db(), true);
    const std::string by_frame =
        db.value("SELECT frame FROM events WHERE council='" + pair.council + "' AND participant='" +
                 pair.participant + "' ORDER BY seq LIMIT 1");
    json::object frame = json::parse(by_frame).as_object();
    const std::string data = R"({"promotion":")" + second + R"(","consent":true,"state":"agreed"})";
    frame["seq"] = head + 1;
    frame["op"] = "promotion.consented";
    frame["at"] = "2027-01-15T01:00:00.000Z";
    frame["meeting"] = nullptr;
    frame["data"] = json::parse(data);
    db.exec(
        "INSERT INTO events(council, seq, op, at, participant, by_name, by_org, by_role, "
        "meeting, command_id, data, frame) VALUES('" +
        pair.council + "', " + std::to_string(head + 1) +
        ", 'promotion.consented', '2027-01-15T01:00:00.000Z', '" + pair.participant +
        "', '山本 真理', '西部保健所', 'facilitator', NULL, 'crashed', '" + data + "', '" +
        json::serialize(frame) + "')");
  }
  server.start();
  std::vector<Frame> promoted = wait_promoted(4);
  ASSERT_EQ(promoted.size(), 4u);
  EXPECT_EQ(promoted[3].data().at("provenance").at("date"), json::value("2027-01-15"));
  EXPECT_EQ(promoted[3].data().at("text"), json::value("訪問看護の空白地域がある"));

  // Again: nothing twice.
  ASSERT_EQ(server.stop(), 0) << server.log();
  server.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(promoted_in_council().size(), 4u);
}

TEST_F(PromotionTest, AKillRightAfterTheConsentLosesAndDuplicatesNothing) {
  const Items items = make_items();
  const std::string promotion = municipality->create(
      "promotion.propose", propose_args(items, facilitator.council), "promotion");
  health_centre->ok("promotion.consent", {{"promotion", promotion}, {"consent", true}});
  server.kill();  // the target's writes may or may not have committed
  health_centre.reset();
  municipality.reset();
  server.start();
  std::vector<Frame> promoted = wait_promoted(3);
  EXPECT_EQ(promoted.size(), 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(promoted_in_council().size(), 3u);
}

TEST_F(PromotionTest, NothingElseOfTheConsultationReachesTheCouncil) {
  const Canary canary;
  // The council is in a meeting when the items arrive (they go to its minutes).
  auto main = join(facilitator);
  const std::string meeting = main->create(
      "meeting.start", {{"title", "第3回"}, {"agenda", "community-care-council"}}, "meeting");

  health_centre->ok("meeting.start", {{"title", canary.text}, {"agenda", "one-on-one"}});
  municipality->ok("issue.post", {{"text", canary.text}, {"theme", canary.core}});  // unpromoted
  const Items items = make_items(canary.text);  // the stance reason
  municipality->ok("role.consent",
                   {{"role", items.role}, {"consent", true}, {"note", canary.text}});
  health_centre->ok("role.status",
                    {{"role", items.role}, {"status", "in_progress"}, {"note", canary.text}});
  json::object args = propose_args(items, facilitator.council);
  args["note"] = canary.text;
  const std::string promotion = municipality->create("promotion.propose", args, "promotion");
  health_centre->ok("promotion.consent", {{"promotion", promotion}, {"consent", true}});
  ASSERT_EQ(wait_promoted(3).size(), 3u);
  const std::uint64_t last = main->ok("meeting.end");
  main->ws().wait_event(last);

  // The live sockets, the catch-up, the documents, search and exports.
  std::string seen = everything_received(main->ws());
  for (const Frame& e : council_events()) seen += e.text;
  const std::string bearer = "Bearer " + facilitator.token;
  const std::string base = "/api/councils/" + facilitator.council + "/";
  std::string minutes;
  for (const std::string& leaf :
       {std::string("record"), std::string("changes"), std::string("comparison"),
        "search?q=" + canary.core, std::string("search?q=%E5%86%85%E5%AF%86"),
        std::string("roles.csv"), std::string("issues.csv"), std::string("roles.ics"),
        "meetings/" + meeting + "/minutes.md", "meetings/" + meeting + "/minutes.html"}) {
    SCOPED_TRACE(leaf);
    auto reply = http_get(server.port(), base + leaf, {{"Authorization", bearer}});
    EXPECT_EQ(reply.result_int(), 200) << reply.body();
    if (leaf.starts_with("search")) {  // the reply repeats the query: its hits count
      EXPECT_NE(reply.body().find("\"hits\":[]"), std::string::npos) << reply.body();
      continue;
    }
    EXPECT_FALSE(canary.in(reply.body())) << reply.body();
    if (leaf.starts_with("meetings/")) minutes += reply.body();
    seen += reply.body();
  }
  EXPECT_FALSE(canary.in(seen)) << seen;
  for (const std::string& id : {"\"" + pair.council + "\"", "\"" + pair.council + "-"})
    EXPECT_EQ(seen.find(id), std::string::npos) << id;

  // What did arrive is there, with its provenance.
  EXPECT_NE(minutes.find("一対一協議（"), std::string::npos) << minutes;
  EXPECT_NE(minutes.find("訪問看護の空白地域がある"), std::string::npos) << minutes;
  EXPECT_NE(seen.find("町と保健所で共同の研修を行う"), std::string::npos);

  // Control: the consultation itself holds the canary.
  EXPECT_TRUE(canary.in(get_record(server.port(), pair.council, pair.token)));
}

}  // namespace
}  // namespace renkei::it
