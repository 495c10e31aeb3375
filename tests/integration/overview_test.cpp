// The prefecture's view over HTTP with a real server (CONTINUITY.md section
// 3): the matrix and the counts of a prefecture with two areas, an area's
// roll-up, the CSV, one-on-ones never shown to others, the drill-down of a
// prefecture viewer into its councils' documents, grants given and removed
// in the console.
#include "overview_support.hpp"

namespace renkei::it::overview {
namespace {

class OverviewTest : public OverviewWorld {
 protected:
  static json::object overview_of(const std::string& target, Who who) {
    const auto response = get(target, who);
    EXPECT_EQ(response.result_int(), 200) << target << ": " << response.body();
    return json::parse(response.body()).as_object();
  }
  static std::vector<std::string> council_ids(const json::object& o) {
    std::vector<std::string> ids;
    for (const auto& area : o.at("areas").as_array())
      for (const auto& council : area.at("councils").as_array())
        ids.emplace_back(council.at("id").as_string());
    return ids;
  }
  static bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
  }
};

TEST_F(OverviewTest, ThePrefectureMatrixRolesIndicatorsAndCouncils) {
  const auto o = overview_of("/api/prefectures/" + percent(hiroshima) + "/overview", viewer);
  EXPECT_EQ(o.at("scope").as_string(), "prefecture");
  EXPECT_EQ(o.at("name").as_string(), hiroshima);
  ASSERT_EQ(o.at("stages").as_array().size(), 4u);
  EXPECT_EQ(o.at("stages").as_array()[2].at("name_ja").as_string(),
            "サービス提供体制の整備・役割合意形成");

  const auto& areas = o.at("areas").as_array();
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0].at("name").as_string(), area_a);
  EXPECT_EQ(areas[1].at("name").as_string(), area_b);
  const auto ids = council_ids(o);
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_FALSE(contains(ids, w->one_on_one.council)) << "a one-on-one is never shown to others";
  EXPECT_FALSE(contains(ids, w->council_c.council)) << "another prefecture's council";

  const auto& matrix = o.at("matrix").as_object();
  const auto& themes = matrix.at("themes").as_array();
  ASSERT_EQ(themes.size(), 2u);
  EXPECT_EQ(themes[0].as_string(), "認知症");
  EXPECT_EQ(themes[1].as_string(), "在宅医療");
  const auto& rows = matrix.at("rows").as_array();
  // 認知症 × A: the higher of A1 (3) and A2 (2); × B: none.
  const auto& dementia = rows[0].at("cells").as_array();
  EXPECT_EQ(dementia[0].at("stage").as_int64(), 3);
  EXPECT_EQ(dementia[0].at("council").as_string(), w->council_a1.council);
  EXPECT_TRUE(dementia[1].at("stage").is_null());
  const auto& home_care = rows[1].at("cells").as_array();
  EXPECT_EQ(home_care[0].at("stage").as_int64(), 2);
  EXPECT_EQ(home_care[1].at("stage").as_int64(), 4);

  const auto& roles = o.at("roles").as_array();
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ(roles[0].at("area").as_string(), area_a);
  EXPECT_EQ(roles[0].at("kind").as_string(), "municipality");
  EXPECT_EQ(roles[0].at("open").as_int64(), 1);
  EXPECT_EQ(roles[0].at("overdue").as_int64(), 1);

  const auto& indicators = o.at("indicators").as_array();
  ASSERT_EQ(indicators.size(), 1u);
  EXPECT_EQ(indicators[0].at("name").as_string(), "看取り件数");
  const auto& values = indicators[0].at("values").as_array();
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].at("value").as_int64(), 3);
  EXPECT_TRUE(values[0].at("small_count").as_bool());
  EXPECT_EQ(values[1].at("value").as_int64(), 12);
  EXPECT_FALSE(values[1].at("small_count").as_bool());

  // The stages were all set today: this month's changes.
  EXPECT_EQ(o.at("changes").as_array().size(), 3u);
  EXPECT_TRUE(o.at("submissions").as_array().empty());
}

TEST_F(OverviewTest, TheAreaRollUpAndTheOneOnOneOfAParty) {
  const std::string target = "/api/areas/" + percent(area_a) + "/overview";
  const auto viewer_sees = council_ids(overview_of(target, viewer));
  EXPECT_EQ(viewer_sees.size(), 2u);
  EXPECT_FALSE(contains(viewer_sees, w->one_on_one.council));
  // The secretariat of A holds a seat in the one-on-one: it is theirs to see.
  const auto party_sees = council_ids(overview_of(target, secretariat_a));
  EXPECT_EQ(party_sees.size(), 3u);
  EXPECT_TRUE(contains(party_sees, w->one_on_one.council));
  // The administrator holds no seat there.
  EXPECT_FALSE(contains(council_ids(overview_of(target, admin)), w->one_on_one.council));
  const auto other = overview_of("/api/prefectures/" + percent(okayama) + "/overview", admin);
  EXPECT_EQ(council_ids(other), std::vector<std::string>{w->council_c.council});
}

TEST_F(OverviewTest, CsvWithByteOrderMarkAndCrlf) {
  const auto response =
      get("/api/prefectures/" + percent(hiroshima) + "/overview?format=csv", viewer);
  ASSERT_EQ(response.result_int(), 200) << response.body();
  EXPECT_EQ(std::string(response[http::field::content_type]), "text/csv; charset=utf-8");
  EXPECT_NE(std::string(response[http::field::content_disposition]).find("attachment"),
            std::string::npos);
  const std::string& body = response.body();
  ASSERT_EQ(body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(body.find("【段階（テーマ×圏域）】\r\n"), std::string::npos);
  EXPECT_NE(body.find("テーマ," + area_a + "," + area_b + "\r\n"), std::string::npos);
  EXPECT_NE(
      body.find("認知症,3 "
                "サービス提供体制の整備・役割合意形成（北広島町在宅医療・介護連携推進会議）,\r\n"),
      std::string::npos)
      << body;
  EXPECT_NE(body.find("看取り件数," + area_a), std::string::npos);
  EXPECT_NE(body.find(",少数\r\n"), std::string::npos);
  EXPECT_EQ(body.find("秘密の相談"), std::string::npos);
  // Every line ends with CRLF.
  for (std::size_t i = 0; i < body.size(); ++i)
    if (body[i] == '\n') {
      ASSERT_TRUE(i > 0 && body[i - 1] == '\r') << "bare LF at " << i;
    }

  const auto bad = get("/api/prefectures/" + percent(hiroshima) + "/overview?format=xml", viewer);
  EXPECT_EQ(bad.result_int(), 400);
}

TEST_F(OverviewTest, AViewerDrillsDownIntoItsCouncilsReadOnly) {
  const auto base = [](const Credentials& c) { return "/api/councils/" + c.council + "/"; };
  for (const std::string leaf :
       {"record", "changes", "comparison", "roles.csv", "issues.csv", "roles.ics"}) {
    EXPECT_EQ(get(base(w->council_a1) + leaf, viewer).result_int(), 200) << leaf;
    EXPECT_EQ(get(base(w->council_b) + leaf, viewer).result_int(), 200) << leaf;
  }
  EXPECT_EQ(get(base(w->council_a1) + "search?q=" + percent("退院前"), viewer).result_int(), 200);
  // Not a one-on-one, not another prefecture, not for another prefecture's viewer.
  EXPECT_EQ(get(base(w->one_on_one) + "record", viewer).result_int(), 403);
  EXPECT_EQ(get(base(w->council_c) + "record", viewer).result_int(), 403);
  EXPECT_EQ(get(base(w->council_a1) + "record", other_viewer).result_int(), 403);
  EXPECT_EQ(get(base(w->council_c) + "record", other_viewer).result_int(), 200);
  // A secretariat or an administrator without a seat gets no drill-down.
  EXPECT_EQ(get(base(w->council_b) + "record", secretariat_a).result_int(), 403);
  EXPECT_EQ(get(base(w->council_a1) + "record", admin).result_int(), 403);
  // Posting stays impossible.
  const auto ack = post(
      base(w->council_a1) + "meetings/" + w->council_a1.council + "-m1/confidentiality", viewer);
  EXPECT_EQ(ack.result_int(), 403) << ack.body();
  // The meeting refuses the viewer.
  WsClient client(server().port(), {{"Cookie", "renkei_session=" + w->cookie[viewer]},
                                    {"Origin", server().origin()}});
  client.send(json::object{{"type", "hello"}, {"council", w->council_a1.council}, {"since", 0}});
  EXPECT_EQ(client.expect().str("code"), "unauthorized");
  EXPECT_EQ(client.wait_closed(), std::optional<std::uint16_t>(4401));
  // The read is in the audit trail under the person.
  const auto audit = run_renkei(
      {"audit", "--db", server().db(), "--council", w->council_a1.council, "--limit", "1000"});
  EXPECT_NE(audit.out.find("\"" + w->person[viewer] + "\""), std::string::npos) << audit.out;
}

TEST_F(OverviewTest, GrantsInTheConsole) {
  const std::string target = "/api/console/people/" + w->person[person] + "/grants";
  const std::string body =
      json::serialize(json::object{{"role", "prefecture_viewer"}, {"scope", okayama}});
  const std::string overview = "/api/prefectures/" + percent(okayama) + "/overview";
  EXPECT_EQ(get(overview, person).result_int(), 403);
  EXPECT_EQ(post(target, secretariat_a, body).result_int(), 403);
  const auto given = post(target, admin, body);
  ASSERT_EQ(given.result_int(), 200) << given.body();
  EXPECT_NE(given.body().find("prefecture_viewer"), std::string::npos);
  EXPECT_EQ(get(overview, person).result_int(), 200);

  const auto missing_scope =
      post(target, admin, json::serialize(json::object{{"role", "prefecture_viewer"}}));
  EXPECT_EQ(missing_scope.result_int(), 400);
  EXPECT_NE(missing_scope.body().find("範囲"), std::string::npos);
  EXPECT_EQ(post(target, admin, json::serialize(json::object{{"role", "king"}})).result_int(), 400);
  EXPECT_EQ(post("/api/console/people/u999999/grants", admin, body).result_int(), 404);

  ASSERT_EQ(post(target + "/remove", admin, body).result_int(), 200);
  EXPECT_EQ(get(overview, person).result_int(), 403);
  const auto again = post(target + "/remove", admin, body);
  EXPECT_EQ(again.result_int(), 404);
  EXPECT_EQ(code_of(again), "not_found");
  // Removing one's own administrator grant is refused.
  EXPECT_EQ(post("/api/console/people/" + w->person[admin] + "/grants/remove", admin,
                 json::serialize(json::object{{"role", "admin"}}))
                .result_int(),
            400);

  // Both changes are in the directory's trail with old and new values.
  const auto trail = run_renkei({"audit", "--db", server().db(), "--limit", "100000"});
  EXPECT_NE(trail.out.find("\"grant.add\""), std::string::npos);
  EXPECT_NE(trail.out.find("\"grant.remove\""), std::string::npos);
}

}  // namespace
}  // namespace renkei::it::overview

namespace renkei::it::overview {

// 上申 (CONTINUITY.md sections 3 and 5): what both parties of a one-on-one
// agreed to raise to the prefecture reaches the prefecture's view with its
// area, organisations and date, and nothing else of the consultation does.
TEST_F(OverviewTest, SubmissionsFromAOneOnOneAndNothingElseOfIt) {
  const std::string canary = "CANARY-上申されない相談-5b1e";
  const std::string name = "上申の個別協議 " + fresh("");
  const Credentials pair = add_council(name, area_a, "one_on_one");
  const auto run = run_renkei({"invite", "--db", server().db(), "--council", pair.council, "--name",
                               "町の保健師", "--org", "北広島町", "--role", "member"});
  ASSERT_EQ(run.status, 0) << run.err;
  const auto invited = json::parse(run.out).as_object();
  const Credentials town{pair.council, str(invited, "participant"), str(invited, "token")};
  {
    Participant centre(server().port(), pair);
    Participant municipality(server().port(), town);
    municipality.ok("issue.post", {{"text", canary}});
    const auto issue = municipality.create(
        "issue.post", {{"text", "医療的ケア児の受入れ先が町内にない"}, {"theme", "小児在宅"}},
        "issue");
    const auto role = centre.create("role.propose",
                                    {{"title", "県の補助事業の情報を町へ提供"},
                                     {"owner_org", "北広島町"},
                                     {"due", "2027-03-31"}},
                                    "role");
    const auto agreed = municipality.create(
        "promotion.propose",
        {{"items", json::array{json::value(issue), json::value(role)}}, {"target", "prefecture"}},
        "promotion");
    centre.ok("promotion.consent", {{"promotion", agreed}, {"consent", true}});
    // A declined one never reaches the prefecture.
    const auto declined = municipality.create(
        "promotion.propose", {{"items", json::array{json::value(issue)}}, {"target", "prefecture"}},
        "promotion");
    centre.ok("promotion.consent", {{"promotion", declined}, {"consent", false}});
  }

  const auto response = get("/api/prefectures/" + percent(hiroshima) + "/overview", viewer);
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  const std::string text = response.body();
  EXPECT_EQ(text.find(canary), std::string::npos);
  EXPECT_EQ(text.find(name), std::string::npos) << "the consultation is not named";
  EXPECT_EQ(text.find("\"" + pair.council + "\""), std::string::npos) << "nor its id";
  const auto subs = json::parse(text).at("submissions").as_array();
  ASSERT_EQ(subs.size(), 1u) << text;
  const auto& sub = subs[0].as_object();
  EXPECT_EQ(sub.at("area").as_string(), area_a);
  EXPECT_EQ(sub.at("date").as_string().size(), 10u);
  ASSERT_EQ(sub.at("organisations").as_array().size(), 2u);
  EXPECT_EQ(sub.at("organisations").as_array()[0].as_string(), "北広島町");
  const auto& items = sub.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("kind").as_string(), "issue");
  EXPECT_EQ(items[0].at("text").as_string(), "医療的ケア児の受入れ先が町内にない");
  EXPECT_EQ(items[0].at("theme").as_string(), "小児在宅");
  EXPECT_EQ(items[1].at("kind").as_string(), "role");
  EXPECT_EQ(items[1].at("owner").as_string(), "北広島町");
  EXPECT_EQ(items[1].at("due").as_string(), "2027-03-31");
  // The one-on-one stays out of every other section.
  const json::value document = json::parse(text);
  for (const auto& area : document.at("areas").as_array())
    for (const auto& council : area.at("councils").as_array())
      EXPECT_NE(council.at("id").as_string(), pair.council);

  const auto csv = get("/api/prefectures/" + percent(hiroshima) + "/overview?format=csv", viewer);
  ASSERT_EQ(csv.result_int(), 200u);
  EXPECT_NE(csv.body().find("【県本庁への上申】"), std::string::npos);
  EXPECT_NE(csv.body().find("医療的ケア児の受入れ先が町内にない"), std::string::npos);
  EXPECT_EQ(csv.body().find(canary), std::string::npos);
  EXPECT_EQ(csv.body().find(name), std::string::npos);

  // Area A's roll-up lists it; area B's does not.
  const auto in_a = get("/api/areas/" + percent(area_a) + "/overview", secretariat_a);
  ASSERT_EQ(in_a.result_int(), 200u);
  EXPECT_EQ(json::parse(in_a.body()).at("submissions").as_array().size(), 1u);
  const auto in_b = get("/api/areas/" + percent(area_b) + "/overview", secretariat_b);
  ASSERT_EQ(in_b.result_int(), 200u);
  EXPECT_TRUE(json::parse(in_b.body()).at("submissions").as_array().empty());
}

}  // namespace renkei::it::overview
