// Role agreements belong to organisations (PEOPLE.md): the owner resolved
// against a directory in a v2 council, who speaks for the owner (by ids, by
// names, through a merge), and v1 councils deciding exactly as before.
#include "domain/ownership.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "script.hpp"

namespace renkei::domain {
namespace {

using testing::facilitator;
using testing::member;
using testing::Script;

// A directory held in memory: organisations by id, each perhaps merged into
// another. Resolving follows merges to the survivor.
struct Directory {
  struct Org {
    std::string name;
    std::string merged_into;  // "" when not merged
  };
  std::map<std::string, Org> orgs;

  std::optional<OrgRef> resolve(std::string_view id_or_name) const {
    auto it = orgs.find(std::string(id_or_name));
    if (it == orgs.end())
      for (auto candidate = orgs.begin(); candidate != orgs.end(); ++candidate)
        if (candidate->second.name == id_or_name) it = candidate;
    if (it == orgs.end()) return std::nullopt;
    while (!it->second.merged_into.empty()) it = orgs.find(it->second.merged_into);
    return OrgRef{it->first, it->second.name};
  }
  // A resolver reading this directory as it is when called (so a test can
  // merge organisations between commands).
  OrgResolver resolver() const {
    return [this](std::string_view key) { return resolve(key); };
  }
};

Directory sample_directory() {
  return Directory{{{"o1", {"北広島町", ""}},
                    {"o2", {"山県郡医師会", ""}},
                    {"o3", {"旧千代田町", ""}},
                    {"o9", {"広島県北部保健所", ""}}}};
}

// Participants of a v2 council: seats with an organisation id.
Actor v2_facilitator() { return Actor{"p1", "山田", "広島県北部保健所", Role::facilitator, "o9"}; }
Actor v2_member(std::string participant, std::string org, std::string org_id) {
  return Actor{std::move(participant), "参加者", std::move(org), Role::member, std::move(org_id)};
}

RolePropose propose(std::string owner) {
  return RolePropose{"退院前カンファレンスの開催", std::move(owner), std::string("2027-03-31"),
                     std::nullopt, std::nullopt};
}

TEST(RoleOwner, V2ProposeResolvesTheOwnerByNameOrIdToItsCanonicalNameAndId) {
  const Directory directory = sample_directory();
  Script s;
  s.use_directory(directory.resolver());
  const auto by_name = s.ok<RoleProposed>(v2_facilitator(), propose("北広島町"));
  EXPECT_EQ(by_name.owner_org, "北広島町");
  EXPECT_EQ(by_name.owner_org_id, "o1");
  const auto by_id = s.ok<RoleProposed>(v2_facilitator(), propose("o2"));
  EXPECT_EQ(by_id.owner_org, "山県郡医師会");
  EXPECT_EQ(by_id.owner_org_id, "o2");
  const RoleAgreement* role = s.state().find_role(by_id.role);
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->owner_org, "山県郡医師会");
  EXPECT_EQ(role->owner_org_id, "o2");
}

TEST(RoleOwner, V2ProposeOfAMergedOrganisationNamesTheSurvivor) {
  Directory directory = sample_directory();
  directory.orgs["o3"].merged_into = "o1";
  Script s;
  s.use_directory(directory.resolver());
  const auto e = s.ok<RoleProposed>(v2_facilitator(), propose("旧千代田町"));
  EXPECT_EQ(e.owner_org, "北広島町");
  EXPECT_EQ(e.owner_org_id, "o1");
}

TEST(RoleOwner, AnOwnerOutsideTheDirectoryStaysTheTextAsGiven) {
  const Directory directory = sample_directory();
  Script s;
  s.use_directory(directory.resolver());
  // An organisation not (yet) in the directory: v1's rule, by name.
  const auto e = s.ok<RoleProposed>(v2_facilitator(), propose("存在しない機関"));
  EXPECT_EQ(e.owner_org, "存在しない機関");
  EXPECT_EQ(e.owner_org_id, "");
  const Actor named = v2_member("p9", "存在しない機関", "");
  EXPECT_TRUE(speaks_for(named, *s.state().find_role(e.role), directory.resolver()));
}

TEST(RoleOwner, OwnerByIdWhenBothSidesHaveOne) {
  const Directory directory = sample_directory();
  Script s;
  s.use_directory(directory.resolver());
  const std::string role = s.ok<RoleProposed>(v2_facilitator(), propose("o1")).role;
  // Same id, another spelling of the name (the seat's name is older): owner.
  const Actor owner = v2_member("p2", "北広島町役場", "o1");
  // Same name, another organisation: not the owner.
  const Actor namesake = v2_member("p3", "北広島町", "o2");
  EXPECT_EQ(s.ok<RoleConsented>(namesake, RoleConsent{role, true, std::nullopt}).state,
            RoleState::proposed);
  EXPECT_EQ(s.code(namesake, RoleStatusUpdate{role, RoleStatus::in_progress, std::nullopt}),
            ErrorCode::forbidden);
  const auto consented = s.ok<RoleConsented>(owner, RoleConsent{role, true, std::nullopt});
  EXPECT_EQ(consented.state, RoleState::agreed);
  EXPECT_EQ(consented.owner_org_id, "");  // the logged ids show it
  s.ok<RoleStatusChanged>(owner, RoleStatusUpdate{role, RoleStatus::in_progress, std::nullopt});
  const auto& consents = s.state().find_role(role)->consents;
  ASSERT_EQ(consents.size(), 2u);
  EXPECT_FALSE(consents[0].decisive);
  EXPECT_TRUE(consents[1].decisive);
  // The rule as logged agrees, without the directory.
  EXPECT_TRUE(speaks_for_as_logged(owner, *s.state().find_role(role)));
  EXPECT_FALSE(speaks_for_as_logged(namesake, *s.state().find_role(role)));
}

TEST(RoleOwner, OwnerByNameWhenASideHasNoId) {
  // A role of the v1 log (no owner id), decided by names, with and without a
  // directory.
  Script s;
  const std::string role = s.role("北広島町");
  EXPECT_EQ(s.state().find_role(role)->owner_org_id, "");
  const Actor with_id = v2_member("p2", "北広島町", "o1");
  EXPECT_TRUE(speaks_for_as_logged(with_id, *s.state().find_role(role)));
  EXPECT_TRUE(speaks_for_as_logged(member(), *s.state().find_role(role)));
  EXPECT_FALSE(
      speaks_for_as_logged(v2_member("p3", "北広島町役場", "o1"), *s.state().find_role(role)));
  const Directory directory = sample_directory();
  s.use_directory(directory.resolver());
  EXPECT_EQ(s.ok<RoleConsented>(with_id, RoleConsent{role, true, std::nullopt}).state,
            RoleState::agreed);
  EXPECT_TRUE(s.state().find_role(role)->consents.back().decisive);
}

TEST(RoleOwner, AMergedOrganisationStillCountsAsTheOwner) {
  Directory directory = sample_directory();
  Script s;
  s.use_directory(directory.resolver());
  // Proposed while 旧千代田町 (o3) was on its own; then o3 is merged into o1.
  const std::string role = s.ok<RoleProposed>(v2_facilitator(), propose("旧千代田町")).role;
  EXPECT_EQ(s.state().find_role(role)->owner_org_id, "o3");
  directory.orgs["o3"].merged_into = "o1";

  // A seat of the survivor speaks for the merged owner.
  const Actor survivor = v2_member("p2", "北広島町", "o1");
  const auto consented = s.ok<RoleConsented>(survivor, RoleConsent{role, true, std::nullopt});
  EXPECT_EQ(consented.state, RoleState::agreed);
  EXPECT_EQ(consented.owner_org_id, "o1");  // the fold needs no directory
  s.ok<RoleStatusChanged>(survivor, RoleStatusUpdate{role, RoleStatus::in_progress, std::nullopt});
  // So does a seat still on the merged organisation.
  const Actor merged = v2_member("p3", "旧千代田町", "o3");
  EXPECT_EQ(s.ok<RoleConsented>(merged, RoleConsent{role, false, std::nullopt}).state,
            RoleState::declined);
  // Another organisation does not.
  const Actor other = v2_member("p4", "山県郡医師会", "o2");
  EXPECT_EQ(s.ok<RoleConsented>(other, RoleConsent{role, true, std::nullopt}).state,
            RoleState::declined);

  const RoleAgreement& folded = *s.state().find_role(role);
  EXPECT_EQ(folded.owner_org_id, "o3");  // the record shows the ids as logged
  ASSERT_EQ(folded.consents.size(), 3u);
  EXPECT_TRUE(folded.consents[0].decisive);
  EXPECT_TRUE(folded.consents[1].decisive);
  EXPECT_FALSE(folded.consents[2].decisive);

  // Replaying the log without any directory gives the same state.
  CouncilState replayed;
  replayed.council = "c1";
  for (const Event& event : s.log()) apply(replayed, event);
  const RoleAgreement& again = *replayed.find_role(role);
  EXPECT_EQ(again.state, folded.state);
  EXPECT_EQ(again.status, folded.status);
  ASSERT_EQ(again.consents.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(again.consents[i].decisive, folded.consents[i].decisive) << i;
}

TEST(RoleOwner, V1IsDecidedExactlyAsBefore) {
  // No directory: the owner is the text as given, never refused.
  Script v1;
  const auto e = v1.ok<RoleProposed>(facilitator(), propose("どこにもない機関"));
  EXPECT_EQ(e.owner_org, "どこにもない機関");
  EXPECT_EQ(e.owner_org_id, "");
  // A seat with an organisation id but no directory: still v1.
  const auto with_id = v1.ok<RoleProposed>(v2_facilitator(), propose("o1"));
  EXPECT_EQ(with_id.owner_org, "o1");
  EXPECT_EQ(with_id.owner_org_id, "");
  // Byte-equal names decide.
  const std::string role = v1.role("北広島町");
  EXPECT_EQ(v1.ok<RoleConsented>(member(), RoleConsent{role, true, std::nullopt}).state,
            RoleState::agreed);
  EXPECT_EQ(v1.ok<RoleConsented>(v2_member("p3", "北広島町 ", "o1"),
                                 RoleConsent{role, false, std::nullopt})
                .state,
            RoleState::agreed);

  // A directory, but the council's seats have no organisation id (a v1
  // council): the owner is still the text as given.
  const Directory directory = sample_directory();
  Script v1_council;
  v1_council.use_directory(directory.resolver());
  const auto kept = v1_council.ok<RoleProposed>(facilitator(), propose("どこにもない機関"));
  EXPECT_EQ(kept.owner_org, "どこにもない機関");
  EXPECT_EQ(kept.owner_org_id, "");
}

}  // namespace
}  // namespace renkei::domain
