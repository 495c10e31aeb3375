// The authorisation rows of promotion.propose and promotion.consent
// (AUTHORIZATION.md, CONTINUITY.md section 5): who may send them in a
// one-on-one (either party proposes; only the other organisation consents;
// observers never), that they are refused in a council, and that another
// one-on-one's promotion id is not_found.
#include "trust_support.hpp"

namespace renkei::it {
namespace {

class PromotionAuthorizationTest : public IntegrationTest {
 protected:
  PromotionAuthorizationTest() : IntegrationTest(unlimited_rate) {}

  void SetUp() override {
    IntegrationTest::SetUp();
    pair = server.create_council("西部保健所 × 北広島町 一対一協議", "山本 真理", "西部保健所",
                                 "one_on_one");
    f = join(pair);
    m = join(server.invite(pair.council, "佐藤 恵子", "北広島町", "member"));
    o = join(server.invite(pair.council, "小林 直美", "広島県 健康福祉局", "observer"));
    issue = m->create("issue.post", text_args("提起する課題"), "issue");
  }
  std::string propose(Participant& who) {
    return who.create("promotion.propose", {{"items", {issue}}, {"target", "prefecture"}},
                      "promotion");
  }
  static std::string code(Participant& who, const std::string& op, json::object args) {
    const Frame reply = who.send(op, std::move(args));
    return reply.type() == "ack" ? "ok" : reply.str("code");
  }

  Credentials pair;
  std::unique_ptr<Participant> f, m, o;
  std::string issue;
};

TEST_F(PromotionAuthorizationTest, ProposeByEitherPartyNeverByAnObserver) {
  const json::object args{{"items", {issue}}, {"target", "prefecture"}};
  EXPECT_EQ(code(*f, "promotion.propose", args), "ok");
  EXPECT_EQ(code(*m, "promotion.propose", args), "ok");
  EXPECT_EQ(code(*o, "promotion.propose", args), "forbidden");
}

TEST_F(PromotionAuthorizationTest, ConsentOnlyByTheOtherOrganisation) {
  const std::string by_m = propose(*m);
  EXPECT_EQ(code(*o, "promotion.consent", {{"promotion", by_m}, {"consent", true}}), "forbidden");
  EXPECT_EQ(code(*m, "promotion.consent", {{"promotion", by_m}, {"consent", true}}), "bad_request");
  EXPECT_EQ(code(*f, "promotion.consent", {{"promotion", by_m}, {"consent", true}}), "ok");

  const std::string by_f = propose(*f);
  EXPECT_EQ(code(*f, "promotion.consent", {{"promotion", by_f}, {"consent", false}}),
            "bad_request");
  EXPECT_EQ(code(*m, "promotion.consent", {{"promotion", by_f}, {"consent", false}}), "ok");
  EXPECT_EQ(code(*m, "promotion.consent", {{"promotion", by_f}, {"consent", true}}), "conflict");
}

TEST_F(PromotionAuthorizationTest, RefusedInACouncilAndAcrossConsultations) {
  auto main_f = join(facilitator);
  auto main_m = join(member("佐藤 恵子", "北広島町"));
  auto main_o = join(member("小林 直美", "広島県 健康福祉局", "observer"));
  const std::string main_issue = main_f->create("issue.post", text_args("全体の課題"), "issue");
  const json::object args{{"items", {main_issue}}, {"target", "prefecture"}};
  EXPECT_EQ(code(*main_f, "promotion.propose", args), "bad_request");
  EXPECT_EQ(code(*main_m, "promotion.propose", args), "bad_request");
  EXPECT_EQ(code(*main_o, "promotion.propose", args), "forbidden");

  // Another one-on-one's promotion and items are not_found here.
  const std::string promotion = propose(*m);
  const Credentials other =
      server.create_council("別の一対一協議", "山本 真理", "西部保健所", "one_on_one");
  auto other_f = join(other);
  join(server.invite(other.council, "伊藤 聡", "安芸太田町", "member"));
  EXPECT_EQ(code(*other_f, "promotion.consent", {{"promotion", promotion}, {"consent", true}}),
            "not_found");
  EXPECT_EQ(code(*other_f, "promotion.propose", {{"items", {issue}}, {"target", "prefecture"}}),
            "not_found");
}

}  // namespace
}  // namespace renkei::it
