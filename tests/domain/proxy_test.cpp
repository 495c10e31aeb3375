// Proxy input (CONTINUITY.md section 4): which ops may be proxied, who may
// proxy whom, and the command decided as the attendee's.
#include "domain/proxy.hpp"

#include <gtest/gtest.h>

#include "script.hpp"

namespace renkei::domain {
namespace {

using testing::facilitator;
using testing::member;
using testing::observer;
using testing::Script;

Seat seat_of(const Actor& actor, std::string council = "c1", bool active = true) {
  return Seat{actor, std::move(council), active};
}

ErrorCode refusal(const Actor& sender, std::string_view op, const std::optional<Seat>& seat) {
  const auto result = proxy_actor(sender, "c1", op, seat);
  if (const auto* error = std::get_if<Error>(&result)) return error->code;
  ADD_FAILURE() << "accepted";
  return ErrorCode::internal;
}

TEST(Proxy, OnlyTheInputOpsMayBeProxied) {
  for (const char* op :
       {"issue.post", "proposal.stance", "ranking.ballot", "role.consent", "indicator.report"})
    EXPECT_TRUE(proxiable(op)) << op;
  for (const char* op : {"meeting.start", "issue.merge", "role.propose", "role.status",
                         "text.redact", "proposal.open", "ranking.close", "nonsense"})
    EXPECT_FALSE(proxiable(op)) << op;
}

TEST(Proxy, AFacilitatorProxiesAnActiveMemberOrFacilitatorOfTheCouncil) {
  const auto as = proxy_actor(facilitator(), "c1", "proposal.stance", seat_of(member()));
  ASSERT_TRUE(std::holds_alternative<Actor>(as));
  EXPECT_EQ(std::get<Actor>(as), member());

  const Actor co_chair{"p9", "井上", "保健所", Role::facilitator};
  const auto other = proxy_actor(facilitator(), "c1", "issue.post", seat_of(co_chair));
  ASSERT_TRUE(std::holds_alternative<Actor>(other));
  EXPECT_EQ(std::get<Actor>(other), co_chair);
}

TEST(Proxy, RefusalsInTheDocumentedOrder) {
  // A non-proxiable op is refused before anything else.
  EXPECT_EQ(refusal(member(), "role.propose", std::nullopt), ErrorCode::bad_request);
  EXPECT_EQ(refusal(member(), "issue.post", seat_of(facilitator())), ErrorCode::forbidden);
  EXPECT_EQ(refusal(facilitator(), "issue.post", std::nullopt), ErrorCode::not_found);
  EXPECT_EQ(refusal(facilitator(), "issue.post", seat_of(member(), "c2")), ErrorCode::not_found);
  EXPECT_EQ(refusal(facilitator(), "issue.post", seat_of(member(), "c1", false)),
            ErrorCode::not_found);
  EXPECT_EQ(refusal(facilitator(), "issue.post", seat_of(facilitator())), ErrorCode::bad_request);
  EXPECT_EQ(refusal(facilitator(), "issue.post", seat_of(observer())), ErrorCode::forbidden);
  // An inactive observer is unknown first.
  EXPECT_EQ(refusal(facilitator(), "issue.post", seat_of(observer(), "c1", false)),
            ErrorCode::not_found);
}

TEST(Proxy, ErrorMessagesAreJapaneseFirst) {
  const auto result = proxy_actor(member(), "c1", "issue.post", seat_of(facilitator()));
  EXPECT_EQ(std::get<Error>(result).message,
            "代理入力はファシリテーターのみ行えます / only a facilitator may enter input on behalf "
            "of someone");
  const auto op = proxy_actor(facilitator(), "c1", "issue.merge", seat_of(member()));
  EXPECT_EQ(std::get<Error>(op).message.rfind("この操作は代理入力できません / ", 0), 0u);
}

TEST(Proxy, AProxiedConsentIsDecisiveExactlyWhenTheAttendeesOwnWouldBe) {
  Script script;
  RolePropose propose;
  propose.title = "見守り訪問";
  propose.owner_org = "北広島町";
  const auto role = script.ok<RoleProposed>(facilitator(), propose);
  // The facilitator's own consent is not the owner's: an opinion only.
  EXPECT_EQ(
      script.ok<RoleConsented>(facilitator(), RoleConsent{role.role, true, std::nullopt}).state,
      RoleState::proposed);
  // Decided as the attendee of the owner organisation: decisive.
  const auto attendee =
      std::get<Actor>(proxy_actor(facilitator(), "c1", "role.consent", seat_of(member())));
  EXPECT_EQ(script.ok<RoleConsented>(attendee, RoleConsent{role.role, true, std::nullopt}).state,
            RoleState::agreed);
}

}  // namespace
}  // namespace renkei::domain
