// Schema v9 on a database made by the release before it
// (tests/store/fixtures/README.md): every participant becomes a seat of a
// person, every organisation string an organisation, and the log, the
// tokens and the audit trail read back as before.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/tokens.hpp"
#include "store/database.hpp"
#include "store/sqlite_directory.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::RawConnection;
using testing::TempDir;

const std::string fixtures = RENKEI_STORE_FIXTURES;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class MigrationV9Test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy_file(fixtures + "/v8_demo.db", path_);
    RawConnection raw(path_);
    ASSERT_EQ(raw.scalar("PRAGMA user_version"), "8");
    // Every column of every event, as the release wrote it.
    events_before_ = raw.column(
        "SELECT council || '|' || seq || '|' || op || '|' || at || '|' || participant || '|' || "
        "by_name || '|' || by_org || '|' || by_role || '|' || coalesce(meeting, '-') || '|' || "
        "coalesce(command_id, '-') || '|' || data || '|' || frame FROM events "
        "ORDER BY council, seq",
        0);
    audit_before_ = raw.scalar("SELECT count(*) FROM audit_trail");
  }

  TempDir dir_;
  std::string path_ = dir_.file("renkei.db");
  std::vector<std::string> events_before_;
  std::string audit_before_;
};

std::string joined(const EventRow& e) {
  return e.council + "|" + std::to_string(e.seq) + "|" + e.op + "|" + e.at + "|" + e.participant +
         "|" + e.by_name + "|" + e.by_org + "|" + std::string(domain::to_string(e.by_role)) + "|" +
         e.meeting.value_or("-") + "|" + e.command_id.value_or("-") + "|" + e.data + "|" + e.frame;
}

TEST_F(MigrationV9Test, EveryEventReadsBackIdentically) {
  ASSERT_EQ(events_before_.size(), 14u);
  Database db(path_);
  EXPECT_EQ(db.user_version(), schema_version);
  std::vector<std::string> after;
  for (const auto& council : db.list_councils())
    for (const auto& e : db.read_events(council.id, 0, 1000)) after.push_back(joined(e));
  EXPECT_EQ(after, events_before_);
  EXPECT_EQ(db.head("c1"), 12u);
  EXPECT_EQ(db.head("c2"), 2u);
  EXPECT_TRUE(db.integrity_ok());
  RawConnection raw(path_);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM audit_trail"), audit_before_);
}

TEST_F(MigrationV9Test, EveryOrganisationStringBecomesOneOrganisation) {
  Database db(path_);
  SqliteDirectory directory(db);
  const auto orgs = directory.list_organisations();
  std::map<std::string, std::string> by_name;
  for (const auto& o : orgs) {
    EXPECT_EQ(o.kind, "other");
    EXPECT_FALSE(o.merged_into);
    EXPECT_FALSE(o.area);
    EXPECT_TRUE(by_name.emplace(o.name, o.id).second) << "one organisation per string: " << o.name;
  }
  EXPECT_EQ(orgs.size(), 10u);
  // Participants' strings and the owner_org of role.proposed events (one
  // organisation has no participant).
  for (const char* name :
       {"西部保健所広島支所", "北広島町", "坂町地域包括支援センター", "安芸太田町",
        "広島西医療センター 地域連携室", "訪問看護ステーションあさひ", "安芸地区医師会",
        "広島県 健康福祉局", "北広島町 保健課", "広島市社会福祉協議会"}) {
    ASSERT_TRUE(by_name.count(name)) << name;
    EXPECT_EQ(directory.find_organisation_by_name(name)->id, by_name[name]);
  }
  for (const auto& council : db.list_councils())
    for (const auto& p : db.list_participants(council.id)) {
      ASSERT_TRUE(p.org_id) << p.id;
      EXPECT_EQ(*p.org_id, by_name[p.org]) << p.id;
    }
}

TEST_F(MigrationV9Test, ParticipantsWithTheSameNameAndOrganisationShareOnePerson) {
  Database db(path_);
  SqliteDirectory directory(db);
  const auto people = directory.list_people();
  EXPECT_EQ(people.size(), 9u);
  for (const auto& person : people) {
    EXPECT_FALSE(person.login);
    EXPECT_TRUE(person.active);
    EXPECT_FALSE(person.has_password);
  }
  const auto p1 = db.find_participant("p1");
  const auto p9 = db.find_participant("p9");
  ASSERT_TRUE(p1 && p9 && p1->person);
  EXPECT_EQ(p1->person, p9->person) << "山本 真理 of 西部保健所広島支所 in c1 and c2";
  const auto sato = db.find_participant("p2")->person;
  EXPECT_EQ(db.find_participant("p10")->person, sato);
  EXPECT_EQ(db.find_participant("p12")->person, sato);
  const auto seats = directory.seats_of_person(*sato);
  ASSERT_EQ(seats.size(), 3u);
  EXPECT_EQ(seats[0].id, "p2");
  EXPECT_EQ(seats[1].id, "p10");
  EXPECT_EQ(seats[2].id, "p12");
  EXPECT_NE(db.find_participant("p11")->person, sato) << "北広島町 保健課 is another organisation";
  const auto person = directory.find_person(*sato);
  EXPECT_EQ(person->name, "佐藤 恵子");
  EXPECT_EQ(directory.find_organisation(*person->org)->name, "北広島町");
  // Every participant is a seat.
  for (const auto& council : db.list_councils())
    EXPECT_EQ(directory.seats_of_council(council.id).size(),
              db.list_participants(council.id).size());
}

TEST_F(MigrationV9Test, InviteTokensStillFindTheirParticipant) {
  Database db(path_);
  const auto tokens = boost::json::parse(read_file(fixtures + "/v8_demo_tokens.json")).as_object();
  ASSERT_EQ(tokens.size(), 6u);
  for (const auto& [participant, token] : tokens) {
    const auto found =
        db.find_participant_by_token_hash(app::hash_token(std::string(token.as_string())));
    ASSERT_TRUE(found) << participant;
    EXPECT_EQ(found->id, std::string(participant));
  }
  EXPECT_TRUE(db.find_participant("p3")->revoked_at);
  EXPECT_FALSE(db.find_participant("p2")->revoked_at);
  EXPECT_TRUE(db.find_participant("p11")->expires_at);
}

TEST_F(MigrationV9Test, TheMigratedDirectoryTakesNewPeopleAndInvitations) {
  Database db(path_);
  SqliteDirectory directory(db);
  const Change change{"2026-12-10T09:00:00.000Z", {}, {}};
  const auto before = directory.list_people().size();
  // The same name and organisation: the existing person gets the new seat.
  const auto seat = directory.invite_participant("c2", "高橋 由美", "安芸太田町",
                                                 domain::Role::member, "ab12", {}, change);
  EXPECT_EQ(seat.person, db.find_participant("p4")->person);
  EXPECT_EQ(directory.list_people().size(), before);
  EXPECT_EQ(directory.list_organisations().size(), 10u);
  EXPECT_THROW(
      directory.add_organisation(NewOrganisation{"北広島町", "municipality", {}, {}}, change),
      std::invalid_argument);
}

}  // namespace
}  // namespace renkei::store
