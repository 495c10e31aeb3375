// Database: schema, pragmas, councils and participants, the event log,
// recovery after reopening, refusal of newer schemas.
#include "store/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <limits>
#include <thread>

#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::make_event;
using testing::RawConnection;
using testing::TempDir;

constexpr const char* now = "2026-11-24T09:00:00.000Z";
constexpr const char* later = "2026-11-25T09:00:00.000Z";

std::vector<const EventRow*> pointers(const std::vector<EventRow>& rows) {
  std::vector<const EventRow*> out;
  for (const EventRow& row : rows) out.push_back(&row);
  return out;
}

void expect_same_event(const EventRow& a, const EventRow& b) {
  EXPECT_EQ(a.council, b.council);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.op, b.op);
  EXPECT_EQ(a.at, b.at);
  EXPECT_EQ(a.participant, b.participant);
  EXPECT_EQ(a.by_name, b.by_name);
  EXPECT_EQ(a.by_org, b.by_org);
  EXPECT_EQ(a.by_role, b.by_role);
  EXPECT_EQ(a.meeting, b.meeting);
  EXPECT_EQ(a.command_id, b.command_id);
  EXPECT_EQ(a.data, b.data);
  EXPECT_EQ(a.frame, b.frame);
}

class DatabaseTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.file("renkei.db");
};

TEST_F(DatabaseTest, CreatesTheCurrentSchema) {
  Database db(path_);
  EXPECT_EQ(db.user_version(), schema_version);
  EXPECT_EQ(schema_version, 10);
  RawConnection raw(path_);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(schema_version));
  for (const char* table :
       {"councils", "participants", "events", "browser_sessions", "audit_log", "attendance"}) {
    EXPECT_EQ(raw.scalar(std::string("SELECT count(*) FROM sqlite_schema "
                                     "WHERE type='table' AND name='") +
                         table + "'"),
              "1")
        << table;
  }
  // Version 7: the search index lives in a file of its own, and a commit
  // writes no secondary index of events.
  for (const char* gone : {"search_text", "search_index", "search_indexed", "events_command"}) {
    EXPECT_EQ(
        raw.scalar(std::string("SELECT count(*) FROM sqlite_schema WHERE name='") + gone + "'"),
        "0")
        << gone;
  }
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE type='index' "
                       "AND tbl_name='events'"),
            "0");  // WITHOUT ROWID: the primary key is the table itself
  // WITHOUT ROWID: the table has no rowid column to select.
  EXPECT_THROW(raw.scalar("SELECT rowid FROM events"), std::runtime_error);
  EXPECT_TRUE(db.integrity_ok());
}

TEST_F(DatabaseTest, AppliesPragmas) {
  Database db(path_);
  const ConnectionSettings settings = db.settings();
  EXPECT_EQ(settings.journal_mode, "wal");
  EXPECT_EQ(settings.synchronous, 2);  // FULL
  EXPECT_EQ(settings.busy_timeout_ms, 10000);
  EXPECT_TRUE(settings.foreign_keys);
  // WAL is a property of the file: another connection sees it too.
  RawConnection raw(path_);
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
}

TEST_F(DatabaseTest, ReopeningDoesNotMigrateAgain) {
  { Database db(path_); }
  Database db(path_);
  EXPECT_EQ(db.user_version(), schema_version);
  EXPECT_TRUE(db.integrity_ok());
}

TEST_F(DatabaseTest, ConnectionsOpeningANewFileAtOnceAllSucceed) {
  constexpr int count = 4;
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&] {
      Database db(path_);
      if (db.user_version() == schema_version) ++opened;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(opened.load(), count);
}

TEST_F(DatabaseTest, RefusesNewerSchema) {
  { Database db(path_); }
  {
    RawConnection raw(path_);
    raw.exec("PRAGMA user_version = " + std::to_string(schema_version + 1));
  }
  try {
    Database db(path_);
    FAIL() << "opened a database of a newer schema";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
  }
  // The refusal changed nothing.
  RawConnection raw(path_);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(schema_version + 1));
}

// A database written by a build with schema version 1 (no browser sessions)
// opens, is migrated to the current version, and keeps its log.
TEST_F(DatabaseTest, MigratesAVersionOneDatabase) {
  { std::ofstream empty(path_); }  // a zero-length file is an empty database
  {
    RawConnection raw(path_);
    raw.exec(R"sql(
      PRAGMA journal_mode=WAL;
      CREATE TABLE councils(id INTEGER PRIMARY KEY, name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK(kind IN ('council','one_on_one')), created_at TEXT NOT NULL);
      CREATE TABLE participants(id INTEGER PRIMARY KEY,
        council INTEGER NOT NULL REFERENCES councils(id), name TEXT NOT NULL, org TEXT NOT NULL,
        role TEXT NOT NULL CHECK(role IN ('facilitator','member','observer')),
        token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, expires_at TEXT,
        revoked_at TEXT);
      CREATE INDEX participants_council ON participants(council);
      CREATE TABLE events(council TEXT NOT NULL, seq INTEGER NOT NULL, op TEXT NOT NULL,
        at TEXT NOT NULL, participant TEXT NOT NULL, by_name TEXT NOT NULL,
        by_org TEXT NOT NULL, by_role TEXT NOT NULL, meeting TEXT, command_id TEXT,
        data TEXT NOT NULL, frame TEXT NOT NULL, PRIMARY KEY(council, seq)) WITHOUT ROWID;
      CREATE UNIQUE INDEX events_command ON events(participant, command_id)
        WHERE command_id IS NOT NULL;
      INSERT INTO councils VALUES(1, '旧協議体', 'council', '2026-01-01T00:00:00.000Z');
      INSERT INTO participants VALUES(1, 1, '山本', '保健所', 'facilitator', 'h1',
        '2026-01-01T00:00:00.000Z', NULL, NULL);
      INSERT INTO events VALUES('c1', 1, 'issue.posted', '2026-01-01T00:00:00.000Z', 'p1',
        '山本', '保健所', 'facilitator', NULL, 'k1', '{"issue":"c1-i1","text":"x"}', '{}');
      PRAGMA user_version = 1;
    )sql");
  }
  Database db(path_);
  EXPECT_EQ(db.user_version(), schema_version);
  EXPECT_EQ(db.head("c1"), 1u);
  EXPECT_EQ(db.find_council("c1")->name, "旧協議体");
  db.create_browser_session("hash", "p1", "2026-01-02T00:00:00.000Z", "2026-01-09T00:00:00.000Z");
  EXPECT_TRUE(db.find_browser_session("hash"));
  EXPECT_TRUE(db.integrity_ok());
}

TEST_F(DatabaseTest, BrowserSessionsAreCreatedTouchedAndEnded) {
  Database db(path_);
  auto council =
      db.create_council("協議体", domain::CouncilKind::council, "2026-01-01T00:00:00.000Z");
  auto p = db.add_participant(council.id, "佐藤", "北広島町", domain::Role::member, "t1",
                              "2026-01-01T00:00:00.000Z", std::nullopt);
  db.create_browser_session("s1", p.id, "2026-01-01T00:00:00.000Z", "2026-01-08T00:00:00.000Z");
  db.create_browser_session("s2", p.id, "2026-01-01T00:00:00.000Z", "2026-01-08T00:00:00.000Z");
  auto row = db.find_browser_session("s1");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->participant, p.id);
  EXPECT_EQ(row->last_seen_at, "2026-01-01T00:00:00.000Z");
  EXPECT_FALSE(row->ended_at);
  db.touch_browser_session("s1", "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(db.find_browser_session("s1")->last_seen_at, "2026-01-02T00:00:00.000Z");
  db.end_browser_session("s1", "2026-01-03T00:00:00.000Z");
  EXPECT_EQ(db.find_browser_session("s1")->ended_at, "2026-01-03T00:00:00.000Z");
  EXPECT_EQ(db.end_participant_sessions(p.id, "2026-01-04T00:00:00.000Z"), 1);
  EXPECT_EQ(db.find_browser_session("s2")->ended_at, "2026-01-04T00:00:00.000Z");
  EXPECT_FALSE(db.find_browser_session("unknown"));
  EXPECT_THROW(db.create_browser_session("s1", p.id, "x", "y"), StoreError);  // id is unique
}

TEST_F(DatabaseTest, EventsAndAuditAreAppendOnly) {
  Database db(path_);
  auto council =
      db.create_council("協議体", domain::CouncilKind::council, "2026-01-01T00:00:00.000Z");
  auto row = make_event(council.id, 1, "k1");
  AuditRow refused{"2026-01-01T00:00:01.000Z",
                   council.id,
                   "p1",
                   "command",
                   "issue.merge",
                   "forbidden",
                   std::nullopt};
  db.append_events({&row}, {&refused});
  RawConnection raw(path_);
  EXPECT_THROW(raw.exec("DELETE FROM events"), std::runtime_error);
  EXPECT_THROW(raw.exec("UPDATE events SET data = '{}'"), std::runtime_error);
  EXPECT_THROW(raw.exec("DELETE FROM audit_log"), std::runtime_error);
  EXPECT_THROW(raw.exec("UPDATE audit_log SET outcome = 'ok'"), std::runtime_error);
  EXPECT_EQ(db.head(council.id), 1u);
}

TEST_F(DatabaseTest, AuditTrailJoinsAcceptedEventsAndOtherLines) {
  Database db(path_);
  auto council =
      db.create_council("協議体", domain::CouncilKind::council, "2026-01-01T00:00:00.000Z");
  auto row = make_event(council.id, 1, "k1");
  row.at = "2026-01-01T00:00:02.000Z";
  AuditRow refused{"2026-01-01T00:00:01.000Z",
                   council.id,
                   "p1",
                   "command",
                   "issue.merge",
                   "forbidden",
                   std::nullopt};
  AuditRow read{"2026-01-01T00:00:03.000Z",
                council.id,
                "p2",
                "read.record",
                std::nullopt,
                "ok",
                std::nullopt};
  AuditRow other{"2026-01-01T00:00:03.000Z",
                 std::string("c99"),
                 "p5",
                 "join",
                 std::nullopt,
                 "unauthorized",
                 std::nullopt};
  db.append_events({&row}, {&refused, &other});
  db.append_audit({&read});
  auto trail = db.read_audit(council.id, 100);
  ASSERT_EQ(trail.size(), 3u);
  EXPECT_EQ(trail[0].outcome, "forbidden");
  EXPECT_EQ(trail[0].op, std::optional<std::string>("issue.merge"));
  EXPECT_EQ(trail[1].action, "command");
  EXPECT_EQ(trail[1].outcome, "accepted");
  EXPECT_EQ(trail[1].seq, std::optional<std::uint64_t>(1));
  EXPECT_EQ(trail[2].action, "read.record");
  EXPECT_EQ(db.read_audit(council.id, 1).size(), 1u);
}

TEST_F(DatabaseTest, BackupIsAConsistentCopyAndRefusesToOverwrite) {
  std::vector<EventRow> rows;
  {
    Database db(path_);
    auto council =
        db.create_council("協議体", domain::CouncilKind::council, "2026-01-01T00:00:00.000Z");
    for (std::uint64_t seq = 1; seq <= 50; ++seq)
      rows.push_back(make_event(council.id, seq, "k" + std::to_string(seq)));
    db.append_events(pointers(rows));
    db.backup_to(dir_.file("copy.db"));
    EXPECT_THROW(db.backup_to(dir_.file("copy.db")), StoreError);
  }
  Database copy(dir_.file("copy.db"));
  EXPECT_TRUE(copy.integrity_ok());
  EXPECT_EQ(copy.head("c1"), 50u);
  EXPECT_EQ(copy.read_events("c1", 0, 100).back().frame, rows.back().frame);
  EXPECT_EQ(copy.settings().journal_mode, "wal");
}

TEST_F(DatabaseTest, OpenFailureThrows) {
  EXPECT_THROW(Database(dir_.file("missing/dir/renkei.db")), StoreError);
}

TEST_F(DatabaseTest, CouncilsCreateFindList) {
  Database db(path_);
  const CouncilRow a =
      db.create_council("北広島町 在宅医療介護連携", domain::CouncilKind::council, now);
  const CouncilRow b = db.create_council("1対1", domain::CouncilKind::one_on_one, later);
  EXPECT_EQ(a.id, "c1");
  EXPECT_EQ(b.id, "c2");

  const auto found = db.find_council("c2");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "c2");
  EXPECT_EQ(found->name, "1対1");
  EXPECT_EQ(found->kind, domain::CouncilKind::one_on_one);
  EXPECT_EQ(found->created_at, later);

  EXPECT_FALSE(db.find_council("c3"));
  const auto all = db.list_councils();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "c1");
  EXPECT_EQ(all[0].name, "北広島町 在宅医療介護連携");
  EXPECT_EQ(all[0].kind, domain::CouncilKind::council);
  EXPECT_EQ(all[1].id, "c2");
}

TEST_F(DatabaseTest, MalformedIdsAreNotFound) {
  Database db(path_);
  const CouncilRow council = db.create_council("c", domain::CouncilKind::council, now);
  const ParticipantRow participant =
      db.add_participant(council.id, "n", "o", domain::Role::member, "hash", now, std::nullopt);
  ASSERT_EQ(council.id, "c1");
  ASSERT_EQ(participant.id, "p1");
  for (const char* id : {"", "x", "c", "c12abc", "c01", "c0", "c-1", "c 1", "C1", "p1",
                         "c99999999999999999999999"}) {
    EXPECT_FALSE(db.find_council(id)) << id;
    EXPECT_TRUE(db.list_participants(id).empty()) << id;
  }
  for (const char* id : {"", "x", "p", "p1x", "p01", "c1", "P1"}) {
    EXPECT_FALSE(db.find_participant(id)) << id;
    EXPECT_FALSE(db.revoke_participant(id, now)) << id;
  }
  EXPECT_TRUE(db.find_council("c1"));
  EXPECT_TRUE(db.find_participant("p1"));
}

TEST_F(DatabaseTest, ParticipantsAddFindListRevoke) {
  Database db(path_);
  const CouncilRow c1 = db.create_council("a", domain::CouncilKind::council, now);
  const CouncilRow c2 = db.create_council("b", domain::CouncilKind::council, now);
  const ParticipantRow f = db.add_participant(c1.id, "佐藤", "北広島町", domain::Role::facilitator,
                                              "h1", now, std::nullopt);
  const ParticipantRow m = db.add_participant(c1.id, "鈴木", "訪問看護ステーション",
                                              domain::Role::member, "h2", now, std::string(later));
  const ParticipantRow o =
      db.add_participant(c2.id, "田中", "県", domain::Role::observer, "h3", now, std::nullopt);
  EXPECT_EQ(f.id, "p1");
  EXPECT_EQ(m.id, "p2");
  EXPECT_EQ(o.id, "p3");
  EXPECT_EQ(m.council, "c1");
  EXPECT_EQ(m.expires_at, later);

  const auto by_hash = db.find_participant_by_token_hash("h2");
  ASSERT_TRUE(by_hash);
  EXPECT_EQ(by_hash->id, "p2");
  EXPECT_EQ(by_hash->council, "c1");
  EXPECT_EQ(by_hash->name, "鈴木");
  EXPECT_EQ(by_hash->org, "訪問看護ステーション");
  EXPECT_EQ(by_hash->role, domain::Role::member);
  EXPECT_EQ(by_hash->created_at, now);
  EXPECT_EQ(by_hash->expires_at, later);
  EXPECT_FALSE(by_hash->revoked_at);
  EXPECT_FALSE(db.find_participant_by_token_hash("nope"));

  const auto by_id = db.find_participant("p3");
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->council, "c2");
  EXPECT_EQ(by_id->role, domain::Role::observer);
  EXPECT_FALSE(by_id->expires_at);

  const auto list = db.list_participants("c1");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, "p1");
  EXPECT_EQ(list[1].id, "p2");
  EXPECT_EQ(db.list_participants("c2").size(), 1u);
  EXPECT_TRUE(db.list_participants("c9").empty());

  EXPECT_TRUE(db.revoke_participant("p2", later));
  EXPECT_FALSE(db.revoke_participant("p2", "2030-01-01T00:00:00.000Z"));
  EXPECT_FALSE(db.revoke_participant("p9", later));
  // A revoked participant is still found by its token hash: the caller
  // decides what revocation means.
  const auto revoked = db.find_participant_by_token_hash("h2");
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->revoked_at, later);
  EXPECT_FALSE(db.find_participant("p1")->revoked_at);
}

TEST_F(DatabaseTest, ParticipantOfUnknownCouncilIsRefused) {
  Database db(path_);
  for (const char* council : {"c7", "x"}) {
    try {
      db.add_participant(council, "n", "o", domain::Role::member, "h", now, std::nullopt);
      FAIL() << council;
    } catch (const StoreError& e) {
      EXPECT_TRUE(e.is_constraint_violation()) << e.what();
    }
  }
}

TEST_F(DatabaseTest, TokenHashIsUnique) {
  Database db(path_);
  const auto c1 = db.create_council("a", domain::CouncilKind::council, now);
  const auto c2 = db.create_council("b", domain::CouncilKind::council, now);
  db.add_participant(c1.id, "a", "o", domain::Role::member, "same", now, std::nullopt);
  try {
    db.add_participant(c2.id, "b", "o", domain::Role::member, "same", now, std::nullopt);
    FAIL() << "duplicate token hash accepted";
  } catch (const StoreError& e) {
    EXPECT_TRUE(e.is_constraint_violation());
    EXPECT_EQ(e.sqlite_code(), SQLITE_CONSTRAINT_UNIQUE);
  }
  EXPECT_TRUE(db.list_participants(c2.id).empty());
  // The connection is usable after the failure.
  db.add_participant(c2.id, "b", "o", domain::Role::member, "other", now, std::nullopt);
  EXPECT_EQ(db.list_participants(c2.id).size(), 1u);
}

TEST_F(DatabaseTest, AppendAndReadRoundTrip) {
  Database db(path_);
  std::vector<EventRow> rows;
  rows.push_back(make_event("c1", 1, "cmd-1"));
  rows.push_back(make_event("c1", 2));
  rows[1].meeting.reset();
  rows[1].by_role = domain::Role::facilitator;
  rows[1].op = "meeting.started";
  rows.push_back(make_event("c2", 1, "cmd-1b"));
  db.append_events(pointers(rows));

  const auto c1 = db.read_events("c1", 0, 100);
  ASSERT_EQ(c1.size(), 2u);
  expect_same_event(c1[0], rows[0]);
  expect_same_event(c1[1], rows[1]);
  EXPECT_FALSE(c1[1].meeting);
  EXPECT_FALSE(c1[1].command_id);
  const auto c2 = db.read_events("c2", 0, 100);
  ASSERT_EQ(c2.size(), 1u);
  expect_same_event(c2[0], rows[2]);
  EXPECT_TRUE(db.read_events("c3", 0, 100).empty());
  // An empty batch is a no-op.
  db.append_events({});
  EXPECT_EQ(db.head("c1"), 2u);
}

// A checkpoint that a reader keeps from the WAL's end copies part of it
// (false); the database file it wrote to can be synced on that connection;
// once the reader is gone a checkpoint copies the rest (true) and the log
// reads back whole.
TEST_F(DatabaseTest, PartialCheckpointsAreReportedAndTheirFileCanBeSynced) {
  Database writer(path_);
  writer.checkpoint_elsewhere([](int) {});
  Database checkpointer(path_);
  checkpointer.sync_database_file();  // nothing copied yet: still fine
  std::vector<EventRow> first;
  for (std::uint64_t seq = 1; seq <= 20; ++seq) first.push_back(make_event("c1", seq));
  writer.append_events(pointers(first));
  {
    RawConnection reader(path_);
    reader.exec("BEGIN");
    EXPECT_EQ(reader.scalar("SELECT count(*) FROM events"), "20");  // holds the WAL's end
    std::vector<EventRow> more;
    for (std::uint64_t seq = 21; seq <= 40; ++seq) more.push_back(make_event("c1", seq));
    writer.append_events(pointers(more));
    EXPECT_FALSE(checkpointer.checkpoint());
    checkpointer.sync_database_file();
    reader.exec("COMMIT");
  }
  EXPECT_TRUE(checkpointer.checkpoint());
  checkpointer.sync_database_file();
  Database reopened(path_);
  EXPECT_EQ(reopened.head("c1"), 40u);
  EXPECT_EQ(reopened.read_events("c1", 0, 100).size(), 40u);
  EXPECT_TRUE(reopened.integrity_ok());
}

TEST_F(DatabaseTest, ReadEventsAfterAndLimit) {
  Database db(path_);
  std::vector<EventRow> rows;
  for (std::uint64_t seq = 1; seq <= 10; ++seq) rows.push_back(make_event("c1", seq));
  db.append_events(pointers(rows));
  const auto page = db.read_events("c1", 3, 4);
  ASSERT_EQ(page.size(), 4u);
  EXPECT_EQ(page.front().seq, 4u);
  EXPECT_EQ(page.back().seq, 7u);
  EXPECT_TRUE(db.read_events("c1", 10, 5).empty());
  EXPECT_TRUE(db.read_events("c1", 0, 0).empty());
  EXPECT_EQ(db.read_events("c1", 0, std::numeric_limits<std::size_t>::max()).size(), 10u);
}

TEST_F(DatabaseTest, DuplicateSeqRollsBackTheWholeBatch) {
  Database db(path_);
  const EventRow first = make_event("c1", 1);
  db.append_events({&first});

  std::vector<EventRow> batch = {make_event("c1", 2), make_event("c2", 1), make_event("c1", 1),
                                 make_event("c1", 3)};
  try {
    db.append_events(pointers(batch));
    FAIL() << "duplicate (council, seq) accepted";
  } catch (const StoreError& e) {
    EXPECT_TRUE(e.is_constraint_violation());
  }
  EXPECT_EQ(db.head("c1"), 1u);
  EXPECT_EQ(db.head("c2"), 0u);
  ASSERT_EQ(db.read_events("c1", 0, 100).size(), 1u);
  expect_same_event(db.read_events("c1", 0, 100)[0], first);

  // No transaction is left open: the next batch commits.
  std::vector<EventRow> next = {make_event("c1", 2), make_event("c1", 3)};
  db.append_events(pointers(next));
  EXPECT_EQ(db.head("c1"), 3u);
  RawConnection raw(path_);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM events"), "3");
}

TEST_F(DatabaseTest, HeadIsTheHighestSeqOrZero) {
  Database db(path_);
  EXPECT_EQ(db.head("c1"), 0u);
  std::vector<EventRow> rows = {make_event("c1", 1), make_event("c1", 2), make_event("c2", 1)};
  db.append_events(pointers(rows));
  EXPECT_EQ(db.head("c1"), 2u);
  EXPECT_EQ(db.head("c2"), 1u);
  EXPECT_EQ(db.head("c3"), 0u);
}

TEST_F(DatabaseTest, ReadFramesBounds) {
  Database db(path_);
  std::vector<EventRow> rows;
  for (std::uint64_t seq = 1; seq <= 5; ++seq) rows.push_back(make_event("c1", seq));
  rows.push_back(make_event("c2", 1));
  db.append_events(pointers(rows));

  const auto frames = db.read_frames("c1", 1, 4, 100);
  ASSERT_EQ(frames.size(), 3u);  // seq 2, 3, 4
  EXPECT_EQ(frames[0], rows[1].frame);
  EXPECT_EQ(frames[2], rows[3].frame);

  EXPECT_EQ(db.read_frames("c1", 0, 5, 2).size(), 2u);
  EXPECT_EQ(db.read_frames("c1", 0, 5, 2)[1], rows[1].frame);
  EXPECT_TRUE(db.read_frames("c1", 3, 3, 100).empty());
  EXPECT_TRUE(db.read_frames("c1", 4, 2, 100).empty());
  EXPECT_TRUE(db.read_frames("c1", 5, 100, 100).empty());
  EXPECT_TRUE(db.read_frames("c1", 0, 5, 0).empty());
  const auto unbounded = db.read_frames("c1", 0, std::numeric_limits<std::uint64_t>::max(),
                                        std::numeric_limits<std::size_t>::max());
  ASSERT_EQ(unbounded.size(), 5u);
  EXPECT_EQ(unbounded[4], rows[4].frame);
  EXPECT_EQ(db.read_frames("c2", 0, 10, 10).size(), 1u);
}

TEST_F(DatabaseTest, ReopenKeepsEverything) {
  std::vector<EventRow> rows;
  {
    Database db(path_);
    const auto council = db.create_council("c", domain::CouncilKind::council, now);
    db.add_participant(council.id, "佐藤", "町", domain::Role::facilitator, "h1", now,
                       std::nullopt);
    db.add_participant(council.id, "鈴木", "病院", domain::Role::member, "h2", now, std::nullopt);
    db.revoke_participant("p2", later);
    for (std::uint64_t seq = 1; seq <= 20; ++seq) {
      rows.push_back(make_event(council.id, seq, "k" + std::to_string(seq)));
    }
    db.append_events(pointers(rows));
  }
  Database db(path_);
  EXPECT_TRUE(db.integrity_ok());
  EXPECT_EQ(db.user_version(), schema_version);
  ASSERT_EQ(db.list_councils().size(), 1u);
  const auto participants = db.list_participants("c1");
  ASSERT_EQ(participants.size(), 2u);
  EXPECT_EQ(participants[1].revoked_at, later);
  EXPECT_EQ(db.head("c1"), 20u);
  const auto read = db.read_events("c1", 0, 100);
  ASSERT_EQ(read.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) expect_same_event(read[i], rows[i]);
  // The uniqueness rules survive too.
  EXPECT_THROW(db.append_events({&rows[0]}), StoreError);
}

}  // namespace
}  // namespace renkei::store
