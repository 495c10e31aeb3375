// The command path of a room against a real SQLite file: decide, group
// commit, broadcast, ack, idempotency, and rollback after a failed commit.
#include "app/room.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "app/council_loader.hpp"
#include "protocol/record_codec.hpp"
#include "store/database.hpp"
#include "store/event_writer.hpp"
#include "test_support.hpp"

namespace renkei::app {
namespace {

using testing::FixedClock;
using testing::ManualExecutors;
using testing::RecordingConnection;
using testing::TempDir;

class RoomTest : public ::testing::Test {
 protected:
  RoomTest() : db_(dir_.file("room.db")), writer_(dir_.file("room.db")) {
    council_ = db_.create_council("テスト協議体", domain::CouncilKind::council, clock_.now());
    domain::AgendaTemplate agenda;
    agenda.id = "short";
    agenda.title = {"短い会議", "Short meeting"};
    agenda.kind = "council";
    agenda.items.push_back(
        domain::AgendaItem{{"開会", "Opening"}, {"目的", "Purpose"}, {2}, 5, {}});
    agendas_.add(agenda);
    room_ = make_room();
  }

  std::shared_ptr<Room> make_room() {
    store::Database db(dir_.file("room.db"));
    auto loaded = load_council(db, council_);
    return std::make_shared<Room>(
        std::move(loaded.state), std::move(loaded.commands), executors_.make_strand(),
        RoomServices{writer_, clock_, agendas_, metrics_, &orgs_, nullptr, nullptr, {}, {}});
  }

  std::shared_ptr<RecordingConnection> join(std::uint64_t id) {
    return join_as(id, id == 1 ? member_ : facilitator_);
  }
  std::shared_ptr<RecordingConnection> join_as(std::uint64_t id, const domain::Actor& actor) {
    auto connection = std::make_shared<RecordingConnection>(id);
    bool joined = false;
    room_->join(connection, actor, [&](std::uint64_t) { joined = true; });
    EXPECT_TRUE(executors_.run_until([&] { return joined; }));
    return connection;
  }

  // Submits and runs the room until `connection` has `frames` frames.
  void submit(const std::shared_ptr<RecordingConnection>& connection, const domain::Actor& actor,
              const std::string& id, domain::Command command, std::size_t frames) {
    room_->submit(connection, actor, id, std::move(command));
    ASSERT_TRUE(executors_.run_until([&] { return connection->frames().size() >= frames; }))
        << "frames so far: " << connection->frames().size();
  }

  TempDir dir_;
  FixedClock clock_;
  store::Database db_;
  store::EventWriter writer_;
  AgendaCatalog agendas_;
  Metrics metrics_;
  domain::OrgResolver orgs_;  // empty (v1) unless a test sets a directory
  ManualExecutors executors_;
  store::CouncilRow council_;
  std::shared_ptr<Room> room_;
  domain::Actor facilitator_{"p1", "山本", "保健所", domain::Role::facilitator};
  domain::Actor member_{"p2", "佐藤", "北広島町", domain::Role::member};
};

TEST_F(RoomTest, AcceptedCommandIsCommittedThenBroadcastThenAcknowledged) {
  auto sender = join(1);
  auto other = join(2);
  submit(sender, member_, "k1", domain::IssuePost{"退院調整ルールの運用に差がある", "退院調整"}, 2);

  const auto frames = sender->frames();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_NE(frames[0].find("\"type\":\"event\""), std::string::npos);
  EXPECT_NE(frames[0].find("\"seq\":1"), std::string::npos);
  EXPECT_EQ(frames[1], R"({"type":"ack","id":"k1","seq":1})");
  ASSERT_TRUE(executors_.run_until([&] { return other->frames().size() == 1; }));
  EXPECT_EQ(other->frames()[0], frames[0]);

  // Durable before the ack: the row is in the file.
  EXPECT_EQ(db_.head(council_.id), 1u);
  auto rows = db_.read_events(council_.id, 0, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].command_id, std::optional<std::string>("k1"));
  EXPECT_EQ(rows[0].frame, frames[0]);
}

TEST_F(RoomTest, RepeatedCommandIdGetsTheSameAckAndNoNewEvent) {
  auto sender = join(1);
  submit(sender, member_, "k1", domain::IssuePost{"課題A", std::nullopt}, 2);
  submit(sender, member_, "k1", domain::IssuePost{"別の本文", std::nullopt}, 3);
  EXPECT_EQ(sender->frames()[2], R"({"type":"ack","id":"k1","seq":1})");
  EXPECT_EQ(db_.head(council_.id), 1u);

  // Ids are per participant: the same id from someone else is a new command.
  submit(sender, facilitator_, "k1", domain::IssuePost{"課題B", std::nullopt}, 5);
  EXPECT_EQ(sender->frames()[4], R"({"type":"ack","id":"k1","seq":2})");
}

TEST_F(RoomTest, DuplicateWhileCommittingIsAnsweredOnce) {
  auto first = join(1);
  auto second = std::make_shared<RecordingConnection>(2);
  room_->submit(first, member_, "k1", domain::IssuePost{"課題A", std::nullopt});
  room_->submit(second, member_, "k1", domain::IssuePost{"課題A", std::nullopt});
  ASSERT_TRUE(executors_.run_until([&] { return second->frames().size() == 1; }));
  EXPECT_EQ(second->frames()[0], R"({"type":"ack","id":"k1","seq":1})");
  EXPECT_EQ(first->count_containing("\"type\":\"ack\""), 1u);
  EXPECT_EQ(db_.head(council_.id), 1u);
}

TEST_F(RoomTest, RejectedCommandGetsErrorAndItsIdIsNotRemembered) {
  auto sender = join(1);
  submit(sender, member_, "k1", domain::IssueMerge{"c1-i1", "c1-i2"}, 1);
  EXPECT_NE(sender->frames()[0].find("\"code\":\"forbidden\""), std::string::npos);
  EXPECT_NE(sender->frames()[0].find("\"id\":\"k1\""), std::string::npos);
  EXPECT_EQ(db_.head(council_.id), 0u);
  submit(sender, member_, "k1", domain::IssuePost{"課題A", std::nullopt}, 3);
  EXPECT_EQ(sender->frames()[2], R"({"type":"ack","id":"k1","seq":1})");
}

TEST_F(RoomTest, MeetingStartCopiesTheAgendaItemsOrRefusesAnUnknownTemplate) {
  auto sender = join(1);
  submit(sender, facilitator_, "m0", domain::MeetingStart{"第1回", "missing", {}}, 1);
  EXPECT_NE(sender->frames()[0].find("\"code\":\"not_found\""), std::string::npos);
  submit(sender, facilitator_, "m1", domain::MeetingStart{"第1回", "short", {}}, 3);
  EXPECT_NE(sender->frames()[1].find("\"items\":[{\"title\":{\"ja\":\"開会\""), std::string::npos)
      << sender->frames()[1];
  EXPECT_NE(sender->frames()[1].find("\"meeting\":\"c1-m1\""), std::string::npos);
}

TEST_F(RoomTest, FailedCommitRejectsThePendingCommandsAndRollsBack) {
  auto sender = join(1);
  submit(sender, member_, "k1", domain::IssuePost{"課題A", std::nullopt}, 2);

  // Another writer takes seq 2 first: the room's seq 2 cannot be committed.
  store::EventRow squatter;
  squatter.council = council_.id;
  squatter.seq = 2;
  squatter.op = "issue.posted";
  squatter.at = clock_.now();
  squatter.participant = "p9";
  squatter.by_name = "x";
  squatter.by_org = "x";
  squatter.data = R"({"issue":"c1-i2","text":"x"})";
  squatter.frame = "{}";
  db_.append_events({&squatter});

  submit(sender, member_, "k2", domain::IssuePost{"課題B", std::nullopt}, 3);
  EXPECT_NE(sender->frames()[2].find("\"code\":\"internal\""), std::string::npos);
  EXPECT_NE(sender->frames()[2].find("\"id\":\"k2\""), std::string::npos);

  // Once the obstacle is gone the same id is accepted at the same seq: the
  // room went back to its committed state and the id was not remembered.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.file("room.db").c_str(), &raw), SQLITE_OK);
  sqlite3_busy_timeout(raw, 10000);
  // The log is append-only; only an administrator lifting the guard could do this.
  ASSERT_EQ(sqlite3_exec(raw, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  submit(sender, member_, "k2", domain::IssuePost{"課題B", std::nullopt}, 5);
  EXPECT_EQ(sender->frames()[4], R"({"type":"ack","id":"k2","seq":2})");
  auto rows = db_.read_events(council_.id, 1, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].participant, "p2");
}

TEST_F(RoomTest, PresenceListsEachConnectedParticipantOnceAfterTheyCaughtUp) {
  auto first = join_as(1, member_);
  auto second = join_as(2, member_);      // same person, second tab
  EXPECT_EQ(first->frames().size(), 0u);  // nothing before announce
  room_->announce(1);
  ASSERT_TRUE(executors_.run_until([&] { return first->frames().size() == 1; }));
  EXPECT_EQ(
      first->frames()[0],
      R"({"type":"presence","connected":[{"participant":"p2","name":"佐藤","org":"北広島町","role":"member"}]})");
  auto third = join_as(3, facilitator_);
  ASSERT_TRUE(executors_.run_until([&] { return first->frames().size() == 2; }));
  EXPECT_NE(first->frames()[1].find(R"("participant":"p1")"), std::string::npos);
  room_->leave(3);
  ASSERT_TRUE(executors_.run_until([&] { return first->frames().size() == 3; }));
  EXPECT_EQ(first->frames()[2], first->frames()[0]);
  EXPECT_TRUE(second->frames().empty());  // not announced: still catching up
}

TEST_F(RoomTest, DisconnectClosesEveryConnectionOfTheParticipant) {
  auto first = join_as(1, member_);
  auto second = join_as(2, member_);
  auto other = join_as(3, facilitator_);
  room_->disconnect("p2", 4401);
  ASSERT_TRUE(executors_.run_until([&] { return second->closed_with() == 4401; }));
  EXPECT_EQ(first->closed_with(), 4401);
  EXPECT_EQ(other->closed_with(), 0);
}

TEST_F(RoomTest, ReplayAfterRestartGivesTheSameRecord) {
  auto sender = join(1);
  std::size_t expected = 0;
  auto run = [&](const domain::Actor& actor, const std::string& id, domain::Command command) {
    expected += 2;
    submit(sender, actor, id, std::move(command), expected);
  };
  run(member_, "a", domain::IssuePost{"課題A", "退院調整"});
  run(member_, "b", domain::IssuePost{"課題B", std::nullopt});
  run(facilitator_, "c", domain::RankingOpen{{"c1-i1", "c1-i2"}, domain::RankingMethod::borda, 3});
  run(member_, "d", domain::RankingBallot{"c1-r1", std::vector<std::string>{"c1-i2"}, {}});
  run(facilitator_, "e", domain::RankingClose{"c1-r1"});
  run(member_, "f",
      domain::RolePropose{"退院時情報共有の様式改訂", "北広島町", "2027-03-31", {}, {}});
  run(member_, "g", domain::RoleConsent{"c1-ro1", true, std::nullopt});

  std::string before;
  bool inspected = false;
  room_->inspect([&](const domain::CouncilState& state) {
    before = protocol::encode_record(state, {});
    inspected = true;
  });
  ASSERT_TRUE(executors_.run_until([&] { return inspected; }));

  store::Database reopened(dir_.file("room.db"));
  auto loaded = load_council(reopened, council_);
  EXPECT_EQ(protocol::encode_record(loaded.state, {}), before);
  EXPECT_EQ(loaded.state.head, 7u);
  EXPECT_EQ(loaded.commands.at(command_key("p2", "g")), 7u);
}

// v2: a directory of organisations. Role owners are resolved by id or name
// (an unknown one is refused), merges are followed, and organisation ids in
// the log come back after a restart.
TEST_F(RoomTest, WithADirectoryRoleOwnersAreOrganisations) {
  // o3 was merged into o1.
  orgs_ = [](std::string_view key) -> std::optional<domain::OrgRef> {
    if (key == "o1" || key == "北広島町" || key == "o3" || key == "旧千代田町")
      return domain::OrgRef{"o1", "北広島町"};
    if (key == "o9" || key == "保健所") return domain::OrgRef{"o9", "保健所"};
    return std::nullopt;
  };
  const domain::Actor facilitator{"p1", "山本", "保健所", domain::Role::facilitator, "o9"};
  const domain::Actor merged_seat{"p2", "佐藤", "旧千代田町", domain::Role::member, "o3"};
  auto sender = join_as(1, facilitator);

  // An owner outside the directory stays the text as given (v1's rule).
  submit(sender, facilitator, "a", domain::RolePropose{"研修", "どこにもない", {}, {}, {}}, 2);
  EXPECT_NE(sender->frames()[0].find(R"("owner_org":"どこにもない")"), std::string::npos)
      << sender->frames()[0];
  EXPECT_EQ(sender->frames()[0].find("owner_org_id"), std::string::npos) << sender->frames()[0];
  EXPECT_EQ(db_.head(council_.id), 1u);

  submit(sender, facilitator, "b", domain::RolePropose{"研修", "旧千代田町", {}, {}, {}}, 4);
  const std::string proposed = sender->frames()[2];
  EXPECT_NE(proposed.find(R"("org":"保健所","org_id":"o9","role":"facilitator")"),
            std::string::npos)
      << proposed;
  EXPECT_NE(proposed.find(R"("owner_org":"北広島町")"), std::string::npos) << proposed;
  EXPECT_NE(proposed.find(R"("owner_org_id":"o1")"), std::string::npos) << proposed;

  // A seat still on the merged organisation speaks for the owner.
  submit(sender, merged_seat, "c", domain::RoleConsent{"c1-ro2", true, std::nullopt}, 6);
  EXPECT_NE(sender->frames()[4].find(R"("state":"agreed","owner_org_id":"o1")"), std::string::npos)
      << sender->frames()[4];

  std::string before;
  bool inspected = false;
  room_->inspect([&](const domain::CouncilState& state) {
    before = protocol::encode_record(state, {});
    inspected = true;
  });
  ASSERT_TRUE(executors_.run_until([&] { return inspected; }));
  EXPECT_NE(before.find(R"("org":"旧千代田町","org_id":"o3","consent":true,"decisive":true)"),
            std::string::npos)
      << before;

  // Replayed from the file, without the directory: the same record.
  store::Database reopened(dir_.file("room.db"));
  auto loaded = load_council(reopened, council_);
  EXPECT_EQ(protocol::encode_record(loaded.state, {}), before);
  EXPECT_EQ(loaded.state.roles.at(1).proposed.by.org_id, "o9");
}

}  // namespace
}  // namespace renkei::app
