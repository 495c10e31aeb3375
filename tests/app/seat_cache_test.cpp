// The seats the rooms look proxy input's attendees up in (app/seat_cache.hpp),
// loaded from a real database: every council's seats, revoked ones inactive,
// and a reload replacing the whole snapshot.
#include "app/seat_cache.hpp"

#include <gtest/gtest.h>

#include "store/database.hpp"
#include "store/sqlite_directory.hpp"
#include "test_support.hpp"

namespace renkei::app {
namespace {

TEST(SeatCache, AnswersEveryCouncilsSeatsFromTheLastLoad) {
  testing::TempDir dir;
  store::Database db(dir.file("renkei.db"));
  const std::string now = "2026-11-24T10:00:00.000Z";
  const auto c1 = db.create_council("協議会", domain::CouncilKind::council, now);
  const auto c2 = db.create_council("一対一", domain::CouncilKind::one_on_one, now);
  const auto chair =
      db.add_participant(c1.id, "山田", "保健所", domain::Role::facilitator, "h1", now, {});
  const auto sato =
      db.add_participant(c1.id, "佐藤", "北広島町", domain::Role::member, "h2", now, {});
  const auto other =
      db.add_participant(c2.id, "小林", "三次市", domain::Role::member, "h3", now, {});

  SeatCache cache;
  EXPECT_FALSE(cache.find(sato.id).has_value());  // nothing loaded yet
  cache.replace(store::SqliteDirectory(db).all_seats());
  const auto seat = cache.find(sato.id);
  ASSERT_TRUE(seat.has_value());
  EXPECT_EQ(seat->council, c1.id);
  EXPECT_TRUE(seat->active);
  EXPECT_EQ(seat->actor, (domain::Actor{sato.id, "佐藤", "北広島町", domain::Role::member}));
  EXPECT_EQ(cache.find(chair.id)->actor.role, domain::Role::facilitator);
  EXPECT_EQ(cache.find(other.id)->council, c2.id);
  EXPECT_FALSE(cache.find("p999").has_value());
  EXPECT_FALSE(cache.find("").has_value());

  // A revocation is seen at the next load, through the lookup handed to rooms.
  ASSERT_TRUE(db.revoke_participant(sato.id, now));
  const domain::SeatLookup lookup = cache.lookup();
  EXPECT_TRUE(lookup(sato.id)->active);
  cache.replace(store::SqliteDirectory(db).all_seats());
  EXPECT_FALSE(lookup(sato.id)->active);
  EXPECT_TRUE(lookup(chair.id)->active);
}

}  // namespace
}  // namespace renkei::app
