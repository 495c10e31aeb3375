// SqliteDirectory: organisations (merge, deactivation), people (unique
// login, move, deactivation), secrets, grants, set-up link states, seats,
// person sessions, councils, and the trail (old and new values, never a
// secret).
#include <gtest/gtest.h>

#include "store/sqlite_directory.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::RawConnection;
using testing::TempDir;

constexpr const char* t0 = "2026-11-24T09:00:00.000Z";
constexpr const char* t1 = "2026-11-25T09:00:00.000Z";
constexpr const char* t2 = "2026-11-26T09:00:00.000Z";
constexpr const char* t3 = "2026-11-27T09:00:00.000Z";

class DirectoryTest : public ::testing::Test {
 protected:
  // Changes by a signed-in person (u999 in the trail; no such row is needed
  // but for created_by, see by()).
  Change at(const char* when) { return Change{when, std::string("u999"), std::string("10.0.0.1")}; }
  Change by(const char* when, const std::string& person) {
    return Change{when, person, std::string("10.0.0.1")};
  }
  OrganisationRow org(const std::string& name, const std::string& kind = "municipality") {
    return directory_.add_organisation(NewOrganisation{name, kind, "北広島保健所管内", "広島県"},
                                       at(t0));
  }
  PersonRow person(const std::string& name, const std::string& org_id,
                   std::optional<std::string> login = std::nullopt) {
    return directory_.add_person(NewPerson{name, org_id, std::move(login)}, at(t0));
  }
  std::vector<std::string> all_audit_text() {
    RawConnection raw(path_);
    return raw.column(
        "SELECT action || ' ' || coalesce(subject, '') || ' ' || coalesce(old_value, '') || ' ' "
        "|| coalesce(new_value, '') FROM audit_log ORDER BY id",
        0);
  }

  TempDir dir_;
  std::string path_ = dir_.file("renkei.db");
  Database db_{path_};
  SqliteDirectory directory_{db_};
};

TEST_F(DirectoryTest, AddsFindsListsAndUpdatesOrganisations) {
  const auto a = org("北広島町");
  EXPECT_EQ(a.id, "o1");
  EXPECT_EQ(a.kind, "municipality");
  EXPECT_EQ(directory_.find_organisation("o1")->name, "北広島町");
  EXPECT_EQ(directory_.find_organisation("o1")->area, "北広島保健所管内");
  EXPECT_EQ(directory_.find_organisation("o1")->prefecture, "広島県");
  EXPECT_EQ(directory_.find_organisation_by_name("北広島町")->id, "o1");
  EXPECT_FALSE(directory_.find_organisation_by_name("北広島"));
  EXPECT_FALSE(directory_.find_organisation("o2"));
  EXPECT_FALSE(directory_.find_organisation("x1"));
  EXPECT_THROW(org("北広島町"), std::invalid_argument) << "unique name";
  EXPECT_THROW(org("別", "castle"), std::invalid_argument) << "unknown kind";
  EXPECT_THROW(org(""), std::invalid_argument);
  org("安芸太田町");
  EXPECT_EQ(directory_.list_organisations().size(), 2u);

  OrganisationUpdate update;
  update.name = "北広島町役場";
  update.kind = "health_centre";
  const auto updated = directory_.update_organisation("o1", update, at(t1));
  EXPECT_EQ(updated.name, "北広島町役場");
  EXPECT_EQ(directory_.find_organisation("o1")->kind, "health_centre");
  OrganisationUpdate taken;
  taken.name = "安芸太田町";
  EXPECT_THROW(directory_.update_organisation("o1", taken, at(t1)), std::invalid_argument);
  EXPECT_THROW(directory_.update_organisation("o9", taken, at(t1)), std::invalid_argument);
  EXPECT_EQ(directory_.find_organisation("o1")->name, "北広島町役場")
      << "a refusal changes nothing";

  directory_.deactivate_organisation("o2", at(t2));
  EXPECT_EQ(directory_.find_organisation("o2")->deactivated_at, t2);
  EXPECT_THROW(person("誰か", "o2"), std::invalid_argument) << "deactivated organisation";
}

TEST_F(DirectoryTest, AMergedOrganisationAnswersAsTheSurvivor) {
  const auto from = org("坂町地域包括支援センター", "community_support_centre");
  const auto into = org("坂町", "municipality");
  const auto p = person("田中 浩二", from.id);
  const auto council = directory_.create_council(NewCouncil{"協議体", {}, {}, {}, {}, {}}, at(t0));
  const auto seat = directory_.add_seat(council.id, p.id, domain::Role::member, at(t0));
  EXPECT_EQ(seat.org_id, from.id);
  EXPECT_EQ(seat.org, "坂町地域包括支援センター");

  directory_.merge_organisation(from.id, into.id, at(t1));
  EXPECT_EQ(directory_.find_organisation(from.id)->merged_into, into.id);
  EXPECT_EQ(directory_.find_organisation_by_name("坂町地域包括支援センター")->id, into.id);
  EXPECT_EQ(directory_.resolve_organisation(from.id)->id, into.id);
  EXPECT_EQ(directory_.find_person(p.id)->org, into.id);
  EXPECT_EQ(db_.find_participant(seat.id)->org_id, into.id);
  EXPECT_EQ(db_.find_participant(seat.id)->org, "坂町");
  EXPECT_THROW(directory_.merge_organisation(from.id, into.id, at(t1)), std::invalid_argument);
  EXPECT_THROW(directory_.merge_organisation(into.id, into.id, at(t1)), std::invalid_argument);
  // The merged name is free again; a new organisation of that name wins.
  const auto again = org("坂町地域包括支援センター", "community_support_centre");
  EXPECT_EQ(directory_.find_organisation_by_name("坂町地域包括支援センター")->id, again.id);
  // A person added with the merged id lands in the survivor.
  EXPECT_EQ(person("新人", from.id).org, into.id);
}

TEST_F(DirectoryTest, PeopleHaveUniqueLoginsAndMove) {
  const auto a = org("北広島町");
  const auto b = org("安芸太田町");
  const auto sato = person("佐藤 恵子", a.id, "sato");
  EXPECT_EQ(sato.id, "u1");
  EXPECT_TRUE(sato.active);
  EXPECT_EQ(directory_.find_person_by_login("sato")->id, "u1");
  EXPECT_FALSE(directory_.find_person_by_login("tanaka"));
  EXPECT_THROW(person("別の佐藤", b.id, "sato"), std::invalid_argument) << "unique login";
  EXPECT_THROW(person("誰か", "o99"), std::invalid_argument);
  EXPECT_THROW(person("", a.id), std::invalid_argument);
  person("ログインなし 1", a.id);
  person("ログインなし 2", a.id);  // many people without login
  EXPECT_EQ(directory_.list_people().size(), 3u);

  const auto council = directory_.create_council(NewCouncil{"協議体", {}, {}, {}, {}, {}}, at(t0));
  const auto seat = directory_.add_seat(council.id, sato.id, domain::Role::member, at(t0));
  PersonUpdate move;
  move.org = b.id;
  move.name = "佐藤 けい子";
  const auto moved = directory_.update_person(sato.id, move, at(t1));
  EXPECT_EQ(moved.org, b.id);
  EXPECT_EQ(directory_.find_person(sato.id)->name, "佐藤 けい子");
  EXPECT_EQ(db_.find_participant(seat.id)->org_id, b.id) << "open seats follow a move";
  EXPECT_EQ(db_.find_participant(seat.id)->org, "安芸太田町");
  PersonUpdate taken;
  taken.login = "sato";
  directory_.update_person(sato.id, taken, at(t1));  // its own login: no change
  const auto other = person("田中", a.id, "tanaka");
  EXPECT_THROW(directory_.update_person(other.id, taken, at(t1)), std::invalid_argument);
  directory_.record_visit(sato.id, t2);
  EXPECT_EQ(directory_.find_person(sato.id)->last_visit_at, t2);
}

TEST_F(DirectoryTest, SecretsAreKeptApartFromThePersonRow) {
  const auto p = person("佐藤", org("北広島町").id, "sato");
  EXPECT_FALSE(directory_.find_secrets(p.id)->password_hash);
  directory_.set_password_hash(p.id, "$argon2id$v=19$secret-hash", at(t0));
  EXPECT_EQ(directory_.find_secrets(p.id)->password_hash, "$argon2id$v=19$secret-hash");
  EXPECT_TRUE(directory_.find_person(p.id)->has_password);

  const std::string sealed("\x01\x00\xffsealed-bytes", 15);
  EXPECT_FALSE(directory_.confirm_totp(p.id, 100, at(t0))) << "nothing pending";
  directory_.set_totp_pending(p.id, sealed, at(t0));
  EXPECT_EQ(directory_.find_secrets(p.id)->totp_pending_sealed, sealed);
  EXPECT_FALSE(directory_.find_person(p.id)->totp_enrolled);
  EXPECT_TRUE(directory_.confirm_totp(p.id, 100, at(t0)));
  const auto secrets = *directory_.find_secrets(p.id);
  EXPECT_EQ(secrets.totp_sealed, sealed);
  EXPECT_FALSE(secrets.totp_pending_sealed);
  EXPECT_EQ(secrets.totp_last_step, 100);
  EXPECT_TRUE(directory_.find_person(p.id)->totp_enrolled);
  EXPECT_FALSE(directory_.set_totp_last_step(p.id, 100)) << "each code once";
  EXPECT_FALSE(directory_.set_totp_last_step(p.id, 99));
  EXPECT_TRUE(directory_.set_totp_last_step(p.id, 101));

  directory_.replace_recovery_codes(p.id, {"h1", "h2", "h3"}, at(t0));
  EXPECT_EQ(directory_.unused_recovery_codes(p.id), 3u);
  EXPECT_TRUE(directory_.use_recovery_code(p.id, "h2", t1));
  EXPECT_FALSE(directory_.use_recovery_code(p.id, "h2", t1)) << "once";
  EXPECT_FALSE(directory_.use_recovery_code(p.id, "nope", t1));
  EXPECT_EQ(directory_.unused_recovery_codes(p.id), 2u);
  directory_.replace_recovery_codes(p.id, {"h4"}, at(t1));
  EXPECT_EQ(directory_.unused_recovery_codes(p.id), 1u);
  EXPECT_FALSE(directory_.use_recovery_code(p.id, "h1", t1)) << "replaced";
}

TEST_F(DirectoryTest, GrantsNeedAScopeButForAdmin) {
  const auto p = person("佐藤", org("北広島町").id, "sato");
  directory_.add_grant(GrantRow{p.id, GrantRole::admin, "ignored"}, at(t0));
  directory_.add_grant(GrantRow{p.id, GrantRole::secretariat, "北広島保健所管内"}, at(t0));
  directory_.add_grant(GrantRow{p.id, GrantRole::secretariat, "北広島保健所管内"}, at(t0));
  EXPECT_THROW(directory_.add_grant(GrantRow{p.id, GrantRole::prefecture_viewer, ""}, at(t0)),
               std::invalid_argument);
  EXPECT_THROW(directory_.add_grant(GrantRow{"u9", GrantRole::admin, ""}, at(t0)),
               std::invalid_argument);
  const auto grants = directory_.grants_of(p.id);
  ASSERT_EQ(grants.size(), 2u);
  EXPECT_EQ(grants[0].role, GrantRole::admin);
  EXPECT_EQ(grants[0].scope, "");
  EXPECT_EQ(grants[1].role, GrantRole::secretariat);
  EXPECT_EQ(grants[1].scope, "北広島保健所管内");
  EXPECT_TRUE(directory_.remove_grant(GrantRow{p.id, GrantRole::admin, ""}, at(t1)));
  EXPECT_FALSE(directory_.remove_grant(GrantRow{p.id, GrantRole::admin, ""}, at(t1)));
  EXPECT_EQ(directory_.grants_of(p.id).size(), 1u);
}

TEST_F(DirectoryTest, SetUpLinksAreUnusedUsedExpiredOrRevoked) {
  const auto p = person("佐藤", org("北広島町").id, "sato");
  const auto q = person("田中", *p.org, "tanaka");
  const auto r = person("高橋", *p.org, "takahashi");
  directory_.create_setup_link("hash-old", p.id, t3, by(t0, p.id));
  const auto link = directory_.create_setup_link("hash-new", p.id, t3, by(t1, p.id));
  EXPECT_EQ(link.state(t1), SetupLinkState::unused);
  EXPECT_EQ(directory_.find_setup_link("hash-old")->state(t1), SetupLinkState::revoked)
      << "a newer link revokes the unused one";
  EXPECT_FALSE(directory_.mark_setup_link_used("hash-old", t1));
  EXPECT_TRUE(directory_.mark_setup_link_used("hash-new", t2));
  EXPECT_FALSE(directory_.mark_setup_link_used("hash-new", t2)) << "once";
  EXPECT_EQ(directory_.find_setup_link("hash-new")->state(t2), SetupLinkState::used);
  EXPECT_EQ(directory_.find_setup_link("hash-new")->created_by, p.id);

  directory_.create_setup_link("hash-q", q.id, t1, by(t0, q.id));
  EXPECT_EQ(directory_.find_setup_link("hash-q")->state(t2), SetupLinkState::expired);
  EXPECT_FALSE(directory_.mark_setup_link_used("hash-q", t2)) << "expired";
  EXPECT_FALSE(directory_.find_setup_link("nope"));

  directory_.create_setup_link("hash-r", r.id, t3, by(t0, r.id));
  EXPECT_EQ(directory_.revoke_unused_setup_links(r.id, t1), 1);
  EXPECT_EQ(directory_.find_setup_link("hash-r")->state(t1), SetupLinkState::revoked);

  const auto listed = directory_.list_setup_links();
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[0].name, "佐藤") << "newest first";
  EXPECT_EQ(listed[0].link.state(t2), SetupLinkState::used);
  EXPECT_EQ(listed[0].org_name, "北広島町");
  EXPECT_EQ(listed[0].login, "sato");
}

TEST_F(DirectoryTest, SeatsAreParticipantsOfPeople) {
  const auto a = org("北広島町");
  const auto p = person("佐藤", a.id, "sato");
  const auto council = directory_.create_council(NewCouncil{"協議体", {}, {}, {}, {}, {}}, at(t0));
  const auto seat = directory_.add_seat(council.id, p.id, domain::Role::facilitator, at(t0));
  EXPECT_EQ(seat.person, p.id);
  EXPECT_EQ(seat.council, council.id);
  EXPECT_EQ(seat.name, "佐藤");
  EXPECT_EQ(seat.role, domain::Role::facilitator);
  EXPECT_THROW(directory_.add_seat(council.id, p.id, domain::Role::member, at(t0)),
               std::invalid_argument)
      << "one open seat per council";
  EXPECT_THROW(directory_.add_seat("c9", p.id, domain::Role::member, at(t0)),
               std::invalid_argument);
  EXPECT_THROW(directory_.add_seat(council.id, "u9", domain::Role::member, at(t0)),
               std::invalid_argument);
  {
    // The stored invite token hash is random and nobody holds its token.
    RawConnection raw(path_);
    EXPECT_EQ(raw.scalar("SELECT length(token_hash) FROM participants WHERE id = 1"), "64");
  }
  EXPECT_EQ(directory_.set_seat_role(seat.id, domain::Role::member, at(t1)).role,
            domain::Role::member);
  EXPECT_EQ(db_.find_participant(seat.id)->role, domain::Role::member);
  EXPECT_EQ(directory_.seats_of_council(council.id).size(), 1u);
  EXPECT_EQ(directory_.seats_of_person(p.id).size(), 1u);

  db_.create_browser_session("bs1", seat.id, t1, t3);
  EXPECT_TRUE(directory_.remove_seat(seat.id, at(t2)));
  EXPECT_FALSE(directory_.remove_seat(seat.id, at(t2)));
  EXPECT_EQ(db_.find_participant(seat.id)->revoked_at, t2);
  EXPECT_EQ(db_.find_browser_session("bs1")->ended_at, t2);
  EXPECT_THROW(directory_.set_seat_role(seat.id, domain::Role::facilitator, at(t2)),
               std::invalid_argument);
  // Removed: a new seat may be given.
  directory_.add_seat(council.id, p.id, domain::Role::observer, at(t3));
  EXPECT_EQ(directory_.seats_of_person(p.id).size(), 2u);
}

TEST_F(DirectoryTest, InvitationsGiveAPersonAndAnOrganisation) {
  const auto council = directory_.create_council(NewCouncil{"協議体", {}, {}, {}, {}, {}}, at(t0));
  const auto first = directory_.invite_participant(council.id, "山本", "西部保健所",
                                                   domain::Role::facilitator, "th1", {}, at(t0));
  ASSERT_TRUE(first.person && first.org_id);
  EXPECT_EQ(directory_.find_organisation(*first.org_id)->name, "西部保健所");
  EXPECT_EQ(directory_.find_organisation(*first.org_id)->kind, "other");
  EXPECT_FALSE(directory_.find_person(*first.person)->login);
  EXPECT_EQ(db_.find_participant_by_token_hash("th1")->id, first.id);
  const auto other = directory_.create_council(NewCouncil{"別", {}, {}, {}, {}, {}}, at(t0));
  const auto second = directory_.invite_participant(other.id, "山本", "西部保健所",
                                                    domain::Role::member, "th2", t3, at(t1));
  EXPECT_EQ(second.person, first.person) << "same name and organisation, no login";
  EXPECT_EQ(second.org_id, first.org_id);
  EXPECT_EQ(second.expires_at, t3);
  const auto third = directory_.invite_participant(other.id, "山本", "東部保健所",
                                                   domain::Role::member, "th3", {}, at(t1));
  EXPECT_NE(third.person, first.person);
  EXPECT_THROW(
      directory_.invite_participant("c99", "x", "y", domain::Role::member, "th4", {}, at(t1)),
      std::invalid_argument);
  EXPECT_FALSE(directory_.find_organisation_by_name("y")) << "a refusal makes nothing";
}

TEST_F(DirectoryTest, DeactivationEndsSessionsLinksAndSeats) {
  const auto p = person("佐藤", org("北広島町").id, "sato");
  const auto council = directory_.create_council(NewCouncil{"協議体", {}, {}, {}, {}, {}}, at(t0));
  const auto seat = directory_.add_seat(council.id, p.id, domain::Role::member, at(t0));
  directory_.create_setup_link("link", p.id, t3, by(t0, p.id));
  directory_.create_person_session("ps1", p.id, t0, t3, "10.0.0.2");
  db_.create_browser_session("bs1", seat.id, t0, t3);
  EXPECT_TRUE(db_.revoked_since(t0, t3).empty());

  EXPECT_TRUE(directory_.deactivate_person(p.id, at(t1)));
  EXPECT_FALSE(directory_.deactivate_person(p.id, at(t2)));
  EXPECT_THROW(directory_.deactivate_person("u77", at(t2)), std::invalid_argument);
  const auto after = *directory_.find_person(p.id);
  EXPECT_FALSE(after.active);
  EXPECT_EQ(after.deactivated_at, t1);
  EXPECT_EQ(directory_.find_setup_link("link")->state(t1), SetupLinkState::revoked);
  EXPECT_EQ(directory_.find_person_session("ps1")->ended_at, t1);
  EXPECT_EQ(db_.find_browser_session("bs1")->ended_at, t1);
  // The seat reads as revoked, and the server's watcher finds it.
  EXPECT_EQ(db_.find_participant(seat.id)->revoked_at, t1);
  const auto revoked = db_.revoked_since(t0, t3);
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].id, seat.id);
  EXPECT_TRUE(db_.revoked_since(t1, t3).empty());
  EXPECT_THROW(directory_.add_seat(council.id, p.id, domain::Role::member, at(t2)),
               std::invalid_argument);
  EXPECT_THROW(directory_.create_setup_link("l2", p.id, t3, by(t2, p.id)), std::invalid_argument);
}

TEST_F(DirectoryTest, PersonSessions) {
  const auto p = person("佐藤", org("北広島町").id, "sato");
  directory_.create_person_session("a", p.id, t0, t3, std::nullopt);
  directory_.create_person_session("b", p.id, t0, t3, "10.0.0.3");
  auto a = *directory_.find_person_session("a");
  EXPECT_EQ(a.person, p.id);
  EXPECT_EQ(a.last_seen_at, t0);
  EXPECT_FALSE(a.address);
  EXPECT_EQ(directory_.find_person_session("b")->address, "10.0.0.3");
  directory_.touch_person_session("a", t1);
  EXPECT_EQ(directory_.find_person_session("a")->last_seen_at, t1);
  directory_.end_person_session("a", t2);
  EXPECT_EQ(directory_.find_person_session("a")->ended_at, t2);
  EXPECT_EQ(directory_.end_person_sessions(p.id, t3), 1) << "b only";
  EXPECT_EQ(directory_.find_person_session("a")->ended_at, t2);
  EXPECT_FALSE(directory_.find_person_session("c"));
}

TEST_F(DirectoryTest, CouncilsCarryTheirMetadataAndArchive) {
  NewCouncil made;
  made.name = "北広島圏域 地域共生ケア会議";
  made.area = "北広島保健所管内";
  made.prefecture = "広島県";
  made.themes = {"入退院支援", "看取り \"在宅\""};
  made.default_agenda = "regular";
  const auto council = directory_.create_council(made, at(t0));
  EXPECT_EQ(council.area, "北広島保健所管内");
  EXPECT_EQ(council.themes, R"(["入退院支援","看取り \"在宅\""])");
  EXPECT_EQ(council.default_agenda, "regular");
  EXPECT_FALSE(council.archived_at);
  EXPECT_TRUE(directory_.archive_council(council.id, at(t1)));
  EXPECT_FALSE(directory_.archive_council(council.id, at(t2)));
  EXPECT_EQ(directory_.list_councils()[0].archived_at, t1);
  EXPECT_THROW(directory_.archive_council("c5", at(t1)), std::invalid_argument);
  const auto p = person("佐藤", org("北広島町").id);
  EXPECT_THROW(directory_.add_seat(council.id, p.id, domain::Role::member, at(t2)),
               std::invalid_argument)
      << "archived";
  // A v1 council reads with no metadata.
  const auto v1 = db_.create_council("v1", domain::CouncilKind::one_on_one, t0);
  EXPECT_FALSE(db_.find_council(v1.id)->area);
  EXPECT_EQ(db_.find_council(v1.id)->themes, "[]");
}

TEST_F(DirectoryTest, TheTrailHoldsOldAndNewValuesAndNoSecret) {
  const auto a = org("北広島町");
  const auto p = person("佐藤", a.id, "sato");
  OrganisationUpdate rename;
  rename.name = "北広島町役場";
  directory_.update_organisation(a.id, rename, at(t1));
  directory_.set_password_hash(p.id, "ARGON-SECRET-HASH", at(t1));
  directory_.set_totp_pending(p.id, "TOTP-SEALED-SECRET", at(t1));
  directory_.confirm_totp(p.id, 5, at(t1));
  directory_.replace_recovery_codes(p.id, {"RECOVERY-HASH-1"}, at(t1));
  directory_.create_setup_link("SETUP-TOKEN-HASH", p.id, t3, by(t1, p.id));
  directory_.create_person_session("SESSION-HASH", p.id, t1, t3, std::nullopt);
  directory_.add_grant(GrantRow{p.id, GrantRole::admin, ""}, at(t1));
  directory_.deactivate_person(p.id, at(t2));
  directory_.append_directory_audit(
      DirectoryAuditRow{t2, p.id, "10.0.0.9", "sign_in", p.id, {}, "invalid_credentials", {}, {}});

  const auto trail = directory_.read_directory_audit(100);
  std::vector<std::string> actions;
  for (const auto& row : trail) actions.push_back(row.action);
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "org.add", "person.add", "org.update", "person.password_set",
                         "person.totp_pending", "person.totp_enrolled", "person.recovery_codes",
                         "setup_link.create", "grant.add", "person.deactivate", "sign_in"}));
  EXPECT_EQ(trail[2].subject, a.id);
  EXPECT_EQ(trail[2].old_value, R"({"name":"北広島町"})");
  EXPECT_EQ(trail[2].new_value, R"({"name":"北広島町役場"})");
  EXPECT_EQ(trail[2].person, "u999");
  EXPECT_EQ(trail[2].address, "10.0.0.1");
  EXPECT_EQ(trail[2].at, t1);
  EXPECT_EQ(trail.back().outcome, "invalid_credentials");
  EXPECT_EQ(directory_.read_directory_audit(2).size(), 2u);
  for (const auto& line : all_audit_text())
    for (const char* secret :
         {"ARGON", "TOTP-SEALED", "RECOVERY-HASH", "SETUP-TOKEN", "SESSION-HASH"})
      EXPECT_EQ(line.find(secret), std::string::npos) << line;
  // Append-only, as before.
  RawConnection raw(path_);
  EXPECT_THROW(raw.exec("UPDATE audit_log SET new_value = 'x'"), std::runtime_error);
  EXPECT_THROW(raw.exec("DELETE FROM audit_log"), std::runtime_error);
}

TEST_F(DirectoryTest, ARefusedChangeWritesNoAuditRow) {
  org("北広島町");
  const auto before = all_audit_text().size();
  EXPECT_THROW(org("北広島町"), std::invalid_argument);
  EXPECT_THROW(person("x", "o1", ""), std::invalid_argument);
  EXPECT_EQ(all_audit_text().size(), before);
}

}  // namespace
}  // namespace renkei::store
