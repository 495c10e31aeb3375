// Extensions over the wire: a block needs a reason (v1.1), ranking.adopt
// (which ranking counts), proposal.open with `revises`, and the `pii` flag
// on event frames, live and in catch-up (server/docs/PROTOCOL.md).
#include "test_support.hpp"

namespace renkei::it {
namespace {

class DecisionsTest : public IntegrationTest {
 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    chair = join(facilitator);
    const auto invited = members({{"佐藤 恵子", "北広島町"}, {"小林 直美", "広島県", "observer"}});
    sato = join(invited[0]);
    kobayashi = join(invited[1]);
  }

  // A refused command: its code and message, and no event for anyone.
  void expect_refused(Participant& p, const std::string& op, json::object args,
                      const std::string& code, const std::string& message_start = "") {
    SCOPED_TRACE(op + " " + json::serialize(args));
    const std::uint64_t head = json::parse(record()).at("head").to_number<std::uint64_t>();
    Frame reply = p.send(op, std::move(args));
    EXPECT_EQ(reply.type(), "error") << reply.text;
    EXPECT_EQ(reply.str("code"), code) << reply.text;
    if (!message_start.empty()) {
      EXPECT_EQ(reply.str("message").rfind(message_start, 0), 0u) << reply.text;
    }
    EXPECT_EQ(json::parse(record()).at("head").to_number<std::uint64_t>(), head);
  }

  std::string closed_ranking(const std::vector<std::string>& candidates) {
    json::array list;
    for (const std::string& c : candidates) list.emplace_back(c);
    const std::string r =
        chair->create("ranking.open", {{"candidates", list}, {"method", "borda"}}, "ranking");
    sato->ok("ranking.ballot", {{"ranking", r}, {"order", list}});
    chair->ok("ranking.close", {{"ranking", r}});
    return r;
  }

  static const json::object& by_id(const json::value& list, const std::string& id) {
    for (const json::value& v : list.as_array())
      if (v.at("id") == json::value(id)) return v.as_object();
    throw std::runtime_error("no " + id);
  }

  std::unique_ptr<Participant> chair, sato, kobayashi;
};

TEST_F(DecisionsTest, ABlockNeedsAReason) {
  const std::string p =
      chair->create("proposal.open", {{"kind", "vision"}, {"text", "あるべき姿"}}, "proposal");
  expect_refused(*sato, "proposal.stance", {{"proposal", p}, {"stance", "block"}}, "bad_request",
                 "阻止には理由が必要です");
  expect_refused(*sato, "proposal.stance", {{"proposal", p}, {"stance", "block"}, {"reason", "　"}},
                 "bad_request", "阻止には理由が必要です");
  const std::uint64_t seq =
      sato->ok("proposal.stance", {{"proposal", p}, {"stance", "block"}, {"reason", "財源が未定"}});
  EXPECT_EQ(kobayashi->event(seq).data().at("reason"), json::value("財源が未定"));
}

TEST_F(DecisionsTest, TheFacilitatorAdoptsWhichRankingCounts) {
  const std::string a = chair->create("issue.post", text_args("退院調整"), "issue");
  const std::string b = sato->create("issue.post", text_args("見守り"), "issue");
  const std::string first = closed_ranking({a, b});
  EXPECT_EQ(by_id(json::parse(record()).at("rankings"), first).at("decision"), json::value(true))
      << "a sole ranking counts by itself";
  const std::string open =
      chair->create("ranking.open", {{"candidates", {a}}, {"method", "dots"}}, "ranking");
  const std::string second = closed_ranking({b, a});

  json::value r = json::parse(record());
  EXPECT_EQ(by_id(r.at("rankings"), first).at("decision"), json::value(false));
  EXPECT_EQ(by_id(r.at("rankings"), second).at("decision"), json::value(false));

  expect_refused(*sato, "ranking.adopt", {{"ranking", second}}, "forbidden");
  expect_refused(*kobayashi, "ranking.adopt", {{"ranking", second}}, "forbidden");
  expect_refused(*chair, "ranking.adopt", {{"ranking", "c1-r99"}}, "not_found");
  expect_refused(*chair, "ranking.adopt", {{"ranking", open}}, "conflict");
  expect_refused(*chair, "ranking.adopt", {}, "bad_request");

  const std::uint64_t adopted = chair->ok("ranking.adopt", {{"ranking", second}});
  const Frame& event = kobayashi->event(adopted);
  EXPECT_EQ(event.str("op"), "ranking.adopted");
  EXPECT_EQ(event.data(), json::parse(R"({"ranking":")" + second + R"("})").as_object());
  expect_refused(*chair, "ranking.adopt", {{"ranking", second}}, "conflict");

  const std::uint64_t again = chair->ok("ranking.adopt", {{"ranking", first}});
  EXPECT_EQ(sato->event(again).data().at("replaces"),
            json::value(json::array{json::value(second)}));

  r = json::parse(record());
  const json::object& counted = by_id(r.at("rankings"), first);
  EXPECT_EQ(counted.at("decision"), json::value(true));
  EXPECT_EQ(counted.at("adopted").at("seq"), json::value(again));
  EXPECT_EQ(counted.at("adopted").at("by").at("participant"), json::value(facilitator.participant));
  EXPECT_FALSE(counted.contains("replaced_by"));
  const json::object& replaced = by_id(r.at("rankings"), second);
  EXPECT_EQ(replaced.at("decision"), json::value(false));
  EXPECT_EQ(replaced.at("replaced_by"), json::value(first));
  EXPECT_EQ(replaced.at("adopted").at("seq"), json::value(adopted));
}

TEST_F(DecisionsTest, ARevisedProposalNamesTheOneItRevises) {
  const std::string adopted =
      chair->create("proposal.open", {{"kind", "direction"}, {"text", "方針A"}}, "proposal");
  sato->ok("proposal.stance", {{"proposal", adopted}, {"stance", "agree"}});
  expect_refused(*chair, "proposal.open",
                 {{"kind", "direction"}, {"text", "修正"}, {"revises", adopted}}, "conflict");
  chair->ok("proposal.close", {{"proposal", adopted}});
  expect_refused(*chair, "proposal.open",
                 {{"kind", "direction"}, {"text", "修正"}, {"revises", adopted}}, "conflict");
  expect_refused(*chair, "proposal.open",
                 {{"kind", "direction"}, {"text", "修正"}, {"revises", "c1-pr99"}}, "not_found");

  const std::string rejected =
      chair->create("proposal.open", {{"kind", "direction"}, {"text", "方針B"}}, "proposal");
  sato->ok("proposal.stance", {{"proposal", rejected}, {"stance", "block"}, {"reason", "未協議"}});
  chair->ok("proposal.close", {{"proposal", rejected}});
  const std::uint64_t seq = chair->ok(
      "proposal.open", {{"kind", "direction"}, {"text", "方針B（修正）"}, {"revises", rejected}});
  const Frame& event = kobayashi->event(seq);
  EXPECT_EQ(event.data().at("revises"), json::value(rejected));
  const std::string revised(event.data().at("proposal").as_string());

  const json::value r = json::parse(record());
  EXPECT_EQ(by_id(r.at("proposals"), rejected).at("revised_by"), json::value(revised));
  EXPECT_EQ(by_id(r.at("proposals"), revised).at("revises"), json::value(rejected));
}

TEST_F(DecisionsTest, EventFramesCarryThePiiFlagLiveAndInCatchUp) {
  const std::uint64_t flagged =
      sato->ok("issue.post", text_args("山田太郎さん（82歳）の退院が遅れた。090-1234-5678"));
  const std::uint64_t plain = sato->ok("issue.post", text_args("退院調整ルールの運用に差がある"));
  const json::value expected = json::parse(R"(["name_with_age","phone"])");
  EXPECT_EQ(kobayashi->event(flagged).json.at("pii"), expected);
  EXPECT_FALSE(kobayashi->event(plain).json.contains("pii"));

  const auto late = join(facilitator);  // catch-up from the stored frames
  EXPECT_EQ(late->event(flagged).json.at("pii"), expected);
  EXPECT_FALSE(late->event(plain).json.contains("pii"));
  // The record flags the same kinds.
  const json::value r = json::parse(record());
  EXPECT_EQ(r.at("issues").as_array()[0].at("pii"), expected);
}

}  // namespace
}  // namespace renkei::it
