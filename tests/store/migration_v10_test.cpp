// Schema v10 (handover and 空席) on a database of the release before it:
// every seat keeps its person, organisation, token and revocation, starts at
// once and succeeds none; the log reads back byte for byte; the new table
// and columns take handovers.
#include <gtest/gtest.h>

#include "store/database.hpp"
#include "store/sqlite_directory.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::RawConnection;
using testing::TempDir;

constexpr const char* t0 = "2026-11-24T09:00:00.000Z";
constexpr const char* t1 = "2026-11-25T09:00:00.000Z";
constexpr const char* t2 = "2026-11-26T09:00:00.000Z";

TEST(MigrationV10Test, SeatsOfVersion9ReadBackAndTakeHandovers) {
  TempDir dir;
  const std::string path = dir.file("renkei.db");
  std::string seat, removed, token_hash;
  {
    Database db(path);
    SqliteDirectory directory(db);
    const Change change{t0, std::nullopt, std::nullopt};
    const auto org =
        directory.add_organisation({"北広島町", "municipality", "北広島保健所管内", {}}, change);
    const auto a = directory.add_person({"佐藤", org.id, std::string("sato")}, change);
    directory.add_person({"鈴木", org.id, std::string("suzuki")}, change);
    const auto council = directory.create_council({"協議体", {}, {}, {}, {}, {}}, change);
    seat = directory.add_seat(council.id, a.id, domain::Role::member, change).id;
    const auto invited = directory.invite_participant(council.id, "田中", "北広島町",
                                                      domain::Role::observer, "hash-1", {}, change);
    removed = invited.id;
    directory.remove_seat(removed, Change{t1, std::nullopt, std::nullopt});
    auto event = testing::make_event(council.id, 1);
    event.participant = seat;
    db.append_events({&event});
  }
  RawConnection raw(path);
  testing::back_to_version_9(raw);
  ASSERT_EQ(raw.scalar("PRAGMA user_version"), "9");
  const auto events_before =
      raw.column("SELECT council || seq || op || data || frame FROM events ORDER BY seq", 0);
  const auto seats_before = raw.column(
      "SELECT id || '|' || council || '|' || name || '|' || org || '|' || role || '|' || "
      "token_hash || '|' || coalesce(revoked_at, '-') || '|' || person || '|' || org_id "
      "FROM participants ORDER BY id",
      0);

  Database db(path);
  EXPECT_EQ(db.user_version(), 10);
  EXPECT_TRUE(db.integrity_ok());
  EXPECT_EQ(raw.column("SELECT council || seq || op || data || frame FROM events ORDER BY seq", 0),
            events_before);
  EXPECT_EQ(raw.column("SELECT id || '|' || council || '|' || name || '|' || org || '|' || role "
                       "|| '|' || token_hash || '|' || coalesce(revoked_at, '-') || '|' || person "
                       "|| '|' || org_id FROM participants ORDER BY id",
                       0),
            seats_before);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM participants WHERE succeeds IS NOT NULL OR "
                       "active_from IS NOT NULL OR vacated_at IS NOT NULL OR "
                       "handover_seen_at IS NOT NULL"),
            "0");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM handover_requests"), "0");
  EXPECT_TRUE(db.find_participant(seat)->active_at(t2));
  EXPECT_FALSE(db.find_participant(removed)->active_at(t2));
  EXPECT_TRUE(db.find_participant_by_token_hash("hash-1"));

  SqliteDirectory directory(db);
  EXPECT_TRUE(directory.list_vacancies().empty()) << "a removed seat is not a vacancy";
  const auto result = directory.hand_over_seats("u1", std::string("u2"), t2,
                                                Change{t1, std::nullopt, std::nullopt});
  ASSERT_EQ(result.seats.size(), 1u);
  EXPECT_EQ(result.seats[0].from, seat);
  EXPECT_EQ(db.find_participant(*result.seats[0].to)->succeeds, seat);
  const auto request = directory.request_handover("u2", std::nullopt, "2027-04-01", std::nullopt,
                                                  Change{t1, std::string("u2"), std::nullopt});
  EXPECT_EQ(request.id, "h1");
}

}  // namespace
}  // namespace renkei::store
