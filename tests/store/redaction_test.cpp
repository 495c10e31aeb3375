// Redaction in the store (schema v8): the rows holding a text are rewritten
// in the transaction that appends the text.redacted event, the trigger
// refuses every other update, the text leaves the database file, its WAL,
// the search index file and later backups; a version-7 file migrates.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <random>

#include "store/database.hpp"
#include "store/event_writer.hpp"
#include "store/search_index.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::RawConnection;
using testing::TempDir;

// A marker no other test writes, so that finding its bytes means this text.
std::string unique_marker() {
  std::random_device random;
  return "marker-" + std::to_string(random()) + std::to_string(random());
}

EventRow event(std::uint64_t seq, const std::string& op, const std::string& participant,
               const std::string& data) {
  EventRow row;
  row.council = "c1";
  row.seq = seq;
  row.op = op;
  row.at = "2026-11-24T10:00:0" + std::to_string(seq % 10) + ".000Z";
  row.participant = participant;
  row.by_name = "佐藤";
  row.by_org = "北広島町";
  row.by_role = domain::Role::member;
  row.data = data;
  row.frame = R"({"type":"event","seq":)" + std::to_string(seq) + R"(,"op":")" + op +
              R"(","data":)" + data + "}";
  return row;
}

EventRow redaction(std::uint64_t seq, RedactionScope scope, const std::string& target,
                   const std::string& participant = "") {
  EventRow row = event(seq, "text.redacted", "p1",
                       R"({"target":")" + target +
                           (participant.empty() ? "" : R"(","participant":")" + participant) +
                           R"(","reason":"個人情報"})");
  row.redaction = RedactionRow{scope, target, participant};
  return row;
}

bool file_holds(const std::string& path, const std::string& needle) {
  std::ifstream file(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return bytes.find(needle) != std::string::npos;
}

class RedactionTest : public ::testing::Test {
 protected:
  // The texts of every kind text.redact erases, each holding the marker.
  std::vector<EventRow> written() const {
    return {
        event(1, "issue.posted", "p2", R"({"issue":"c1-i1","text":"A )" + marker_ + R"("})"),
        event(2, "proposal.opened", "p1",
              R"({"proposal":"c1-pr1","kind":"vision","text":"B )" + marker_ + R"("})"),
        event(3, "proposal.stance_taken", "p2",
              R"({"proposal":"c1-pr1","stance":"block","reason":"C )" + marker_ + R"("})"),
        event(4, "proposal.stance_taken", "p3",
              R"({"proposal":"c1-pr1","stance":"agree","reason":"残す"})"),
        event(5, "role.proposed", "p2",
              R"({"role":"c1-ro1","title":"D )" + marker_ + R"(","owner_org":"町","detail":"E )" +
                  marker_ + R"(","state":"proposed"})"),
        event(6, "role.consented", "p2",
              R"({"role":"c1-ro1","consent":true,"note":"F )" + marker_ + R"(","state":"agreed"})"),
        event(7, "role.status_changed", "p2",
              R"({"role":"c1-ro1","status":"done","note":"G )" + marker_ + R"("})"),
    };
  }
  void append(Database& db, const std::vector<EventRow>& rows) {
    std::vector<const EventRow*> pointers;
    for (const EventRow& row : rows) pointers.push_back(&row);
    db.append_events(pointers);
  }

  TempDir dir_;
  std::string path_ = dir_.file("renkei.db");
  std::string marker_ = unique_marker();
};

TEST_F(RedactionTest, TheRowsAreRewrittenWithTheEventAndTheTextLeavesTheFile) {
  Database db(path_);
  append(db, written());
  append(db, {redaction(8, RedactionScope::issue, "c1-i1"),
              redaction(9, RedactionScope::proposal, "c1-pr1"),
              redaction(10, RedactionScope::stance_reason, "c1-pr1", "p2"),
              redaction(11, RedactionScope::role, "c1-ro1"),
              redaction(12, RedactionScope::role_notes, "c1-ro1", "p2")});
  const auto redacted = db.take_redacted();
  std::vector<std::uint64_t> seqs;
  for (const auto& [council, seq] : redacted) seqs.push_back(seq);
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{1, 2, 3, 5, 6, 7}));

  const auto rows = db.read_events("c1", 0, 100);
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows[0].data, R"({"issue":"c1-i1","text":"","redacted":true})");
  EXPECT_EQ(rows[0].frame, R"({"type":"event","seq":1,"op":"issue.posted","data":)"
                           R"({"issue":"c1-i1","text":"","redacted":true}})");
  EXPECT_EQ(rows[2].data, R"({"proposal":"c1-pr1","stance":"block","redacted":true})");
  EXPECT_EQ(rows[3].data, R"({"proposal":"c1-pr1","stance":"agree","reason":"残す"})");
  EXPECT_EQ(rows[4].data,
            R"({"role":"c1-ro1","title":"","owner_org":"町","detail":"","state":"proposed",)"
            R"("redacted":true})");
  EXPECT_EQ(rows[5].data, R"({"role":"c1-ro1","consent":true,"state":"agreed","redacted":true})");
  EXPECT_EQ(rows[6].data, R"({"role":"c1-ro1","status":"done","redacted":true})");
  for (const EventRow& row : rows) {
    EXPECT_EQ(row.data.find(marker_), std::string::npos) << row.seq;
    EXPECT_EQ(row.frame.find(marker_), std::string::npos) << row.seq;
  }
  {
    RawConnection raw(path_);
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM redaction_grant"), "0") << "no grant outlives it";
  }
  // The WAL held the pages as they were; a TRUNCATE checkpoint empties it.
  EXPECT_TRUE(db.checkpoint_truncate());
  EXPECT_EQ(std::filesystem::file_size(path_ + "-wal"), 0u);
  EXPECT_FALSE(file_holds(path_, marker_));
  EXPECT_TRUE(db.integrity_ok());
  const std::string backup = dir_.file("backup.db");
  db.backup_to(backup);
  EXPECT_FALSE(file_holds(backup, marker_));
}

TEST_F(RedactionTest, ARedactionOfATextInTheSameBatchRewritesIt) {
  Database db(path_);
  std::vector<EventRow> rows = written();
  rows.push_back(redaction(8, RedactionScope::issue, "c1-i1"));
  append(db, rows);
  EXPECT_EQ(db.read_events("c1", 0, 1)[0].data, R"({"issue":"c1-i1","text":"","redacted":true})");
}

TEST_F(RedactionTest, TheLogStaysAppendOnlyOtherwise) {
  Database db(path_);
  append(db, written());
  RawConnection raw(path_);
  const std::string mark =
      "UPDATE events SET data = json_set(data, '$.redacted', json('true')), "
      "frame = json_set(frame, '$.data.redacted', json('true')) WHERE seq = 1";
  EXPECT_THROW(raw.exec(mark), std::runtime_error) << "no grant";
  // A grant naming an event that is not a text.redacted permits nothing.
  raw.exec("INSERT INTO redaction_grant VALUES('c1', 4)");
  EXPECT_THROW(raw.exec(mark), std::runtime_error);
  raw.exec("DELETE FROM redaction_grant");
  append(db, {event(8, "text.redacted", "p1", R"({"target":"c1-i1","reason":"個人情報"})")});
  raw.exec("BEGIN");
  raw.exec("INSERT INTO redaction_grant VALUES('c1', 8)");
  // Even with a grant: no other column, no row without the mark, no delete.
  EXPECT_THROW(raw.exec("UPDATE events SET at = 'x', data = json_set(data, '$.redacted', "
                        "json('true')), frame = json_set(frame, '$.data.redacted', "
                        "json('true')) WHERE seq = 1"),
               std::runtime_error);
  EXPECT_THROW(raw.exec("UPDATE events SET data = '{}' WHERE seq = 1"), std::runtime_error);
  EXPECT_THROW(raw.exec("DELETE FROM events WHERE seq = 1"), std::runtime_error);
  raw.exec(mark);  // what the writer does
  raw.exec("ROLLBACK");
  EXPECT_EQ(db.read_events("c1", 0, 1)[0].data.find("redacted"), std::string::npos);
}

TEST_F(RedactionTest, AVersionSevenDatabaseMigratesAndKeepsItsLog) {
  {
    Database db(path_);
    append(db, written());
  }
  {
    // Back to version 7 as released: no grant table, the plain trigger.
    RawConnection raw(path_);
    testing::back_to_version_8(raw);
    raw.exec(
        "DROP TRIGGER events_no_update; DROP TABLE redaction_grant;"
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
        "PRAGMA user_version = 7;");
  }
  Database db(path_);
  EXPECT_EQ(db.user_version(), schema_version);
  EXPECT_EQ(db.head("c1"), 7u);
  append(db, {redaction(8, RedactionScope::issue, "c1-i1")});
  EXPECT_EQ(db.read_events("c1", 0, 1)[0].data, R"({"issue":"c1-i1","text":"","redacted":true})");
  EXPECT_TRUE(db.integrity_ok());
}

// Through the writer: the indexer removes the texts from the index file,
// and searches drop index hits of rewritten events until it has.
TEST_F(RedactionTest, TheSearchIndexLosesTheTextsAndTheirBytes) {
  EventWriter writer(path_);
  const auto submit = [&](EventRow row) {
    std::promise<bool> done;
    AppendRequest request;
    request.row = std::move(row);
    request.done = [&](bool ok, const std::string&) { done.set_value(ok); };
    writer.submit(std::move(request));
    return done.get_future().get();
  };
  for (EventRow& row : written()) ASSERT_TRUE(submit(std::move(row)));
  ASSERT_TRUE(writer.search_indexer().wait_caught_up(std::chrono::seconds(10)));
  Database reader(path_);
  const auto search = [&] {
    return reader.search_match("c1", '"' + marker_ + '"', {'%' + marker_ + '%'}, 50);
  };
  EXPECT_EQ(search().size(), 7u);

  ASSERT_TRUE(submit(redaction(8, RedactionScope::issue, "c1-i1")));
  EXPECT_EQ(search().size(), 6u) << "the log decides at once";
  ASSERT_TRUE(submit(redaction(9, RedactionScope::proposal, "c1-pr1")));
  ASSERT_TRUE(submit(redaction(10, RedactionScope::stance_reason, "c1-pr1", "p2")));
  ASSERT_TRUE(submit(redaction(11, RedactionScope::role, "c1-ro1")));
  ASSERT_TRUE(submit(redaction(12, RedactionScope::role_notes, "c1-ro1", "p2")));
  ASSERT_TRUE(writer.search_indexer().wait_caught_up(std::chrono::seconds(10)));
  EXPECT_TRUE(search().empty());
  const std::string index = search_index_path(path_);
  {
    RawConnection raw(index);
    EXPECT_EQ(raw.scalar("SELECT group_concat(seq) FROM search_text"), "4");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM search_index WHERE search_index MATCH '\"" +
                         marker_.substr(0, 12) + "\"'"),
              "0");
  }
  EXPECT_EQ(writer.stats().redactions, 5u);
  EXPECT_GE(writer.stats().redaction_checkpoints, 1u);
  writer.stop();
  EXPECT_FALSE(file_holds(index, marker_));
  EXPECT_FALSE(file_holds(index + "-wal", marker_));
  EXPECT_FALSE(file_holds(path_, marker_));
  EXPECT_FALSE(file_holds(path_ + "-wal", marker_));
}

// The process died between a redaction's commit and its purge: the next
// start of the indexer finds the texts the log marks redacted and purges them.
TEST_F(RedactionTest, APurgeThatNeverRanRunsAtTheNextStart) {
  {
    Database db(path_);
    append(db, written());
    SearchIndexWriter index(path_);
    index.index(index.log_heads(), 1000);
    EXPECT_EQ(index.rows(), 8u);
    append(db, {redaction(8, RedactionScope::issue, "c1-i1"),
                redaction(9, RedactionScope::role, "c1-ro1")});
    EXPECT_EQ(index.unpurged_redactions(),
              (std::vector<std::pair<std::string, std::vector<std::uint64_t>>>{{"c1", {1, 5}}}));
  }
  EventWriter writer(path_);
  ASSERT_TRUE(writer.search_indexer().wait_caught_up(std::chrono::seconds(10)));
  writer.stop();
  RawConnection raw(search_index_path(path_));
  EXPECT_EQ(raw.scalar("SELECT group_concat(seq) FROM (SELECT seq FROM search_text ORDER BY id)"),
            "2,3,4,6,7");
  EXPECT_FALSE(file_holds(search_index_path(path_), "A " + marker_));
}

}  // namespace
}  // namespace renkei::store
