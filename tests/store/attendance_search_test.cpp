// Attendance (schema v4: upserts, confidentiality acknowledgements) and
// search: the index file beside the log (FTS5 trigram and LIKE for short
// terms), built from the log by SearchIndexWriter and the writer's indexer
// thread, and the newest events matched in the log itself; and the
// migration of a version-3 database through the versions that kept the
// index in the log's file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "store/database.hpp"
#include "store/event_writer.hpp"
#include "store/search_index.hpp"
#include "store/searchable_sql.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::RawConnection;
using testing::TempDir;

// Version 3 exactly as released (schema.cpp, steps 1-3).
constexpr const char* schema_v3 = R"sql(
PRAGMA journal_mode=WAL;
CREATE TABLE councils(id INTEGER PRIMARY KEY, name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK(kind IN ('council','one_on_one')), created_at TEXT NOT NULL);
CREATE TABLE participants(id INTEGER PRIMARY KEY, council INTEGER NOT NULL REFERENCES councils(id),
  name TEXT NOT NULL, org TEXT NOT NULL,
  role TEXT NOT NULL CHECK(role IN ('facilitator','member','observer')),
  token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT);
CREATE INDEX participants_council ON participants(council);
CREATE TABLE events(council TEXT NOT NULL, seq INTEGER NOT NULL, op TEXT NOT NULL,
  at TEXT NOT NULL, participant TEXT NOT NULL, by_name TEXT NOT NULL, by_org TEXT NOT NULL,
  by_role TEXT NOT NULL, meeting TEXT, command_id TEXT, data TEXT NOT NULL, frame TEXT NOT NULL,
  PRIMARY KEY(council, seq)) WITHOUT ROWID;
CREATE UNIQUE INDEX events_command ON events(participant, command_id) WHERE command_id IS NOT NULL;
CREATE TABLE browser_sessions(id_hash TEXT PRIMARY KEY,
  participant INTEGER NOT NULL REFERENCES participants(id), created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT);
CREATE INDEX browser_sessions_participant ON browser_sessions(participant);
CREATE TABLE audit_log(id INTEGER PRIMARY KEY, at TEXT NOT NULL, council TEXT, participant TEXT,
  action TEXT NOT NULL, op TEXT, outcome TEXT NOT NULL);
CREATE INDEX audit_log_council ON audit_log(council, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE VIEW audit_trail(at, council, participant, action, op, outcome, seq) AS
  SELECT at, council, participant, 'command', op, 'accepted', seq FROM events
  UNION ALL
  SELECT at, council, participant, action, op, outcome, NULL FROM audit_log;
PRAGMA user_version = 3;
)sql";

EventRow event(const std::string& council, std::uint64_t seq, const std::string& op,
               const std::string& data, std::optional<std::string> meeting = std::nullopt) {
  EventRow row;
  row.council = council;
  row.seq = seq;
  row.op = op;
  row.at = "2026-11-24T10:00:0" + std::to_string(seq % 10) + ".000Z";
  row.participant = "p1";
  row.by_name = "山田";
  row.by_org = "保健所";
  row.by_role = domain::Role::facilitator;
  row.meeting = std::move(meeting);
  row.data = data;
  row.frame = "{}";
  return row;
}

std::vector<std::string> hit_refs(const std::vector<domain::SearchHit>& hits) {
  std::vector<std::string> refs;
  for (const auto& hit : hits) refs.push_back(hit.text.kind + ":" + hit.text.ref);
  return refs;
}

// search_match as the application calls it: every term quoted for FTS5 and
// as a LIKE pattern for the rows not yet indexed.
std::vector<domain::SearchHit> match(Database& db, const std::string& council,
                                     const std::vector<std::string>& terms,
                                     std::size_t limit = 50) {
  std::string fts;
  std::vector<std::string> patterns;
  for (const std::string& term : terms) {
    if (!fts.empty()) fts += ' ';
    fts += '"' + term + '"';
    patterns.push_back('%' + term + '%');
  }
  return db.search_match(council, fts, patterns, limit);
}

class AttendanceSearchTest : public ::testing::Test {
 protected:
  // Logs an issue.posted event per (seq, text), issue id "<council>-i<seq>".
  void append_issues(Database& db, const std::string& council,
                     const std::vector<std::pair<std::uint64_t, std::string>>& texts) {
    std::vector<EventRow> rows;
    for (const auto& [seq, text] : texts) {
      rows.push_back(event(
          council, seq, "issue.posted",
          R"({"issue":")" + council + "-i" + std::to_string(seq) + R"(","text":")" + text + R"("})",
          std::string("c1-m1")));
    }
    std::vector<const EventRow*> row_ptrs;
    for (const auto& r : rows) row_ptrs.push_back(&r);
    db.append_events(row_ptrs);
  }
  // Brings the index file up to the log's heads, as the indexer thread does.
  void index_all(std::uint64_t max_events = 1000000) {
    SearchIndexWriter index(path_);
    index.index(index.log_heads(), max_events);
  }

  TempDir dir_;
  std::string path_ = dir_.file("renkei.db");
};

TEST_F(AttendanceSearchTest, AttendanceIsUpsertedAndConfidentialityAcknowledgedOnce) {
  Database db(path_);
  const AttendanceRow first{"c1", "c1-m1", "p2", "2026-11-24T10:00:00.000Z"};
  const AttendanceRow later{"c1", "c1-m1", "p2", "2026-11-24T10:30:00.000Z"};
  const AttendanceRow stale{"c1", "c1-m1", "p2", "2026-11-24T10:10:00.000Z"};
  const AttendanceRow other{"c1", "c1-m2", "p3", "2026-11-25T10:00:00.000Z"};
  db.append_events({}, {}, {&first, &later, &stale, &other});
  auto row = db.find_attendance("c1", "c1-m1", "p2");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->first_seen_at, "2026-11-24T10:00:00.000Z");
  EXPECT_EQ(row->last_seen_at, "2026-11-24T10:30:00.000Z") << "last_seen_at only moves forward";
  EXPECT_FALSE(row->confidentiality_ack_at);

  const auto acked =
      db.acknowledge_confidentiality("c1", "c1-m1", "p2", "2026-11-24T10:05:00.000Z");
  EXPECT_EQ(acked.confidentiality_ack_at, "2026-11-24T10:05:00.000Z");
  const auto again =
      db.acknowledge_confidentiality("c1", "c1-m1", "p2", "2026-11-24T10:20:00.000Z");
  EXPECT_EQ(again.confidentiality_ack_at, "2026-11-24T10:05:00.000Z") << "the first is kept";
  EXPECT_EQ(again.first_seen_at, "2026-11-24T10:00:00.000Z");
  // An acknowledgement without a connection creates the row.
  const auto fresh =
      db.acknowledge_confidentiality("c1", "c1-m1", "p4", "2026-11-24T10:06:00.000Z");
  EXPECT_EQ(fresh.first_seen_at, "2026-11-24T10:06:00.000Z");

  const auto all = db.list_attendance("c1");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].participant, "p2");
  EXPECT_EQ(all[1].participant, "p4");
  EXPECT_EQ(all[2].meeting, "c1-m2");
  EXPECT_TRUE(db.list_attendance("c2").empty());
}

TEST_F(AttendanceSearchTest, TrigramSearchFindsJapaneseSubstringsNewestFirst) {
  Database db(path_);
  append_issues(db, "c1",
                {{1, "退院調整ルールの運用に差がある"},
                 {2, "訪問看護の夜間対応が難しい"},
                 {3, "退院調整前のカンファレンスに医師が参加しにくい"}});
  append_issues(db, "c2", {{1, "退院調整ルールは別の協議体"}});
  // Whether the events are in the index file yet or only in the log, the
  // same hits.
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "not yet indexed (no index file)" : "indexed");
    EXPECT_EQ(hit_refs(match(db, "c1", {"ルール", "の運用"})),
              (std::vector<std::string>{"issue:c1-i1"}));
    EXPECT_EQ(hit_refs(match(db, "c1", {"カンファ"})), (std::vector<std::string>{"issue:c1-i3"}));
    EXPECT_TRUE(match(db, "c1", {"存在しない語"}).empty());
    const auto hits = match(db, "c1", {"退院調"});
    EXPECT_EQ(hit_refs(hits), (std::vector<std::string>{"issue:c1-i3", "issue:c1-i1"}));
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].seq, 3u);
    EXPECT_EQ(hits[0].meeting, "c1-m1");
    EXPECT_EQ(hits[0].at, "2026-11-24T10:00:03.000Z");
    EXPECT_EQ(hits[0].text.text, "退院調整前のカンファレンスに医師が参加しにくい");
    EXPECT_EQ(match(db, "c1", {"退院調"}, 1).size(), 1u);
    EXPECT_EQ(hit_refs(match(db, "c2", {"退院調"})), (std::vector<std::string>{"issue:c2-i1"}));
    if (pass == 0) index_all();
  }
  RawConnection raw(search_index_path(path_));
  EXPECT_EQ(raw.scalar("SELECT group_concat(council || ':' || seq) FROM search_progress"),
            "c1:3,c2:1");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM search_text"), "4");
  raw.exec("INSERT INTO search_index(search_index) VALUES('integrity-check')");
}

// The full-text index drives the search of indexed texts: its matches are
// read first and each looked up by primary key, never the council's texts
// walked in order with the index probed for each (2 s for a rare term at
// 50,000 texts; tests/bench/RESULTS.md).
TEST_F(AttendanceSearchTest, TheFullTextIndexDrivesTheSearch) {
  Database db(path_);
  append_issues(db, "c1", {{1, "退院調整ルールの運用に差がある"}});
  index_all();
  RawConnection raw(search_index_path(path_));
  const auto plan = raw.column("EXPLAIN QUERY PLAN " RENKEI_SEARCH_MATCH_SQL, 3);
  std::string joined;
  for (const auto& line : plan) joined += line + " | ";
  std::size_t fts = std::string::npos, lookup = std::string::npos;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].rfind("SCAN search_index VIRTUAL TABLE", 0) == 0 && fts == std::string::npos)
      fts = i;
    if (plan[i].find("SEARCH t USING INTEGER PRIMARY KEY") != std::string::npos) lookup = i;
  }
  ASSERT_NE(fts, std::string::npos) << joined;
  ASSERT_NE(lookup, std::string::npos) << joined;
  EXPECT_LT(fts, lookup) << joined;
  EXPECT_EQ(joined.find("search_text_council"), std::string::npos) << joined;
}

// Hits come in the log's order (seq descending, an event's texts in the
// order they were extracted), and a limit never splits the texts of one
// event in the wrong place, although the index is read newest row first.
TEST_F(AttendanceSearchTest, IndexedHitsKeepTheLogsOrderAtTheLimit) {
  Database db(path_);
  const EventRow role = event("c1", 1, "role.proposed",
                              R"({"role":"c1-ro1","title":"退院調整の様式","owner_org":"保健所",)"
                              R"("detail":"退院調整の手順を書く","state":"proposed"})");
  db.append_events({&role});
  append_issues(db, "c1", {{2, "退院調整ルールの運用に差がある"}});
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "not yet indexed" : "indexed");
    EXPECT_EQ(hit_refs(match(db, "c1", {"退院調整"})),
              (std::vector<std::string>{"issue:c1-i2", "role:c1-ro1", "role_detail:c1-ro1"}));
    EXPECT_EQ(hit_refs(match(db, "c1", {"退院調整"}, 2)),
              (std::vector<std::string>{"issue:c1-i2", "role:c1-ro1"}));
    EXPECT_EQ(hit_refs(match(db, "c1", {"退院調整"}, 1)),
              (std::vector<std::string>{"issue:c1-i2"}));
    if (pass == 0) index_all();
  }
}

TEST_F(AttendanceSearchTest, SearchFindsEachEventOnceAcrossTheIndexAndTheLog) {
  Database db(path_);
  for (std::uint64_t seq = 1; seq <= 300; ++seq)
    append_issues(db, "c1", {{seq, "共通の課題 番号" + std::to_string(seq) + "番"}});
  {
    // Indexed in rounds of at most 120 events: 1..120, then 121..240.
    SearchIndexWriter index(path_);
    const auto behind = index.index({{"c1", 240}}, 120);
    ASSERT_EQ(behind.size(), 1u);
    EXPECT_EQ(behind[0], (std::pair<std::string, std::uint64_t>{"c1", 240}));
    EXPECT_EQ(index.indexed("c1"), 120u);
    EXPECT_TRUE(index.index(behind, 120).empty());
    EXPECT_EQ(index.indexed("c1"), 240u);
    EXPECT_EQ(index.rows(), 240u);
  }
  // Newest first: 300..241 from the log, then the index, each event once.
  for (std::size_t limit : {50u, 100u, 400u}) {
    const auto hits = match(db, "c1", {"共通の課題"}, limit);
    ASSERT_EQ(hits.size(), std::min<std::size_t>(limit, 300));
    for (std::size_t i = 0; i < hits.size(); ++i) EXPECT_EQ(hits[i].seq, 300 - i) << limit;
  }
  EXPECT_EQ(hit_refs(match(db, "c1", {"番号12番"})), (std::vector<std::string>{"issue:c1-i12"}));
  EXPECT_EQ(hit_refs(match(db, "c1", {"番号290番"})), (std::vector<std::string>{"issue:c1-i290"}));
  EXPECT_EQ(hit_refs(db.search_like("c1", std::vector<std::string>{"%号2%", "%0番%"}, 100)).size(),
            11u)
      << "200, 210, ..., 290 and 20";
}

TEST_F(AttendanceSearchTest, LikeSearchForShortTermsWithEscapedWildcards) {
  Database db(path_);
  append_issues(db, "c1",
                {{1, "退院調整ルール"}, {2, "達成率100%を目指す"}, {3, "a_b 区切り"}, {4, "aXb"}});
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "not yet indexed" : "indexed");
    EXPECT_EQ(hit_refs(db.search_like("c1", {"%退%"}, 50)),
              (std::vector<std::string>{"issue:c1-i1"}));
    EXPECT_EQ(hit_refs(db.search_like("c1", std::vector<std::string>{"%院調%", "%ルー%"}, 50)),
              (std::vector<std::string>{"issue:c1-i1"}));
    EXPECT_EQ(hit_refs(db.search_like("c1", std::vector<std::string>{"%院調%", "%達成%"}, 50)),
              std::vector<std::string>{});
    // Escaped: % and _ are literal characters, not wildcards.
    EXPECT_EQ(hit_refs(db.search_like("c1", {"%0\\%%"}, 50)),
              (std::vector<std::string>{"issue:c1-i2"}));
    EXPECT_EQ(hit_refs(db.search_like("c1", {"%a\\_b%"}, 50)),
              (std::vector<std::string>{"issue:c1-i3"}));
    EXPECT_EQ(hit_refs(db.search_like("c1", {"%a_b%"}, 50)),
              (std::vector<std::string>{"issue:c1-i4", "issue:c1-i3"}))
        << "unescaped, _ matches any character";
    EXPECT_TRUE(db.search_like("c2", {"%退%"}, 50).empty());
    EXPECT_TRUE(db.search_like("c1", {}, 50).empty());
    if (pass == 0) index_all();
  }
}

// The index is derived: a file that is not an index, or one ahead of the
// log (a log put back from a backup beside a newer index), is rebuilt from
// the log, and search is right meanwhile.
TEST_F(AttendanceSearchTest, AnIndexThatDoesNotMatchTheLogIsRebuiltFromIt) {
  {
    Database db(path_);
    append_issues(db, "c1", {{1, "退院調整ルール"}, {2, "夜間の訪問看護"}});
    index_all();
    db.backup_to(dir_.file("backup.db"));
    append_issues(db, "c1", {{3, "後から足した課題"}});
    index_all();
  }
  // The backup (seq 1..2) comes back beside the index of seq 1..3.
  std::filesystem::remove(path_ + "-wal");
  std::filesystem::remove(path_ + "-shm");
  std::filesystem::copy_file(dir_.file("backup.db"), path_,
                             std::filesystem::copy_options::overwrite_existing);
  Database db(path_);
  EXPECT_EQ(db.head("c1"), 2u);
  {
    SearchIndexWriter index(path_);
    EXPECT_EQ(index.indexed("c1"), 0u) << "started over";
    index.index(index.log_heads(), 100);
    EXPECT_EQ(index.rows(), 2u);
  }
  EXPECT_TRUE(match(db, "c1", {"後から足"}).empty());
  EXPECT_EQ(hit_refs(match(db, "c1", {"訪問看護"})), (std::vector<std::string>{"issue:c1-i2"}));

  // Not a database at all.
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(search_index_path(path_) + suffix);
  {
    std::ofstream junk(search_index_path(path_));
    junk << std::string(8192, 'x');
  }
  EXPECT_EQ(hit_refs(match(db, "c1", {"訪問看護"})), (std::vector<std::string>{"issue:c1-i2"}))
      << "an unreadable index: the log answers";
  {
    SearchIndexWriter index(path_);
    index.index(index.log_heads(), 100);
    EXPECT_EQ(index.indexed("c1"), 2u);
  }
  EXPECT_EQ(hit_refs(match(db, "c1", {"退院調整"})), (std::vector<std::string>{"issue:c1-i1"}));
}

// The index is written without fsync while it is open. What a crashed
// process left is kept in the same boot of the machine (the kernel had it);
// a file left open in another boot is rebuilt; a file closed cleanly, or
// written with fsyncs (no boot id), is kept in any boot.
TEST_F(AttendanceSearchTest, AnIndexLeftOpenWhenTheMachineStoppedIsRebuilt) {
  Database db(path_);
  append_issues(db, "c1", {{1, "退院調整ルール"}, {2, "夜間の訪問看護"}});
  const std::string index_path = search_index_path(path_);
  const auto copy_index = [&](const std::string& from, const std::string& to) {
    for (const char* suffix : {"", "-wal"}) {
      std::filesystem::remove(to + suffix);
      if (std::filesystem::exists(from + suffix))
        std::filesystem::copy_file(from + suffix, to + suffix);
    }
    std::filesystem::remove(to + "-shm");
  };
  const std::string left_open = dir_.file("left-open.search");
  {
    SearchIndexWriter index(path_, "boot-A");
    index.index(index.log_heads(), 100);
    copy_index(index_path, left_open);  // the files as a killed process leaves them
  }
  const auto indexed_after_open = [&](std::optional<std::string> boot) {
    SearchIndexWriter index(path_, std::move(boot));
    return index.indexed("c1");
  };
  EXPECT_EQ(indexed_after_open("boot-B"), 2u) << "closed cleanly: kept in another boot";

  copy_index(left_open, index_path);
  EXPECT_EQ(indexed_after_open("boot-A"), 2u) << "the process died, the machine did not";
  copy_index(left_open, index_path);
  EXPECT_EQ(indexed_after_open("boot-B"), 0u) << "left open when the machine stopped: rebuilt";

  {
    SearchIndexWriter index(path_, std::nullopt);
    index.index(index.log_heads(), 100);
    copy_index(index_path, left_open);
  }
  copy_index(left_open, index_path);
  EXPECT_EQ(indexed_after_open("boot-B"), 2u) << "written with fsyncs: kept";
  EXPECT_EQ(hit_refs(match(db, "c1", {"訪問看護"})), (std::vector<std::string>{"issue:c1-i2"}));
}

TEST_F(AttendanceSearchTest, MigratesAVersionThreeDatabaseAndIndexesItsLog) {
  { std::ofstream empty(path_); }
  {
    RawConnection raw(path_);
    raw.exec(schema_v3);
    const auto insert = [&](const EventRow& e) {
      raw.exec("INSERT INTO events VALUES('" + e.council + "'," + std::to_string(e.seq) + ",'" +
               e.op + "','" + e.at + "','p1','山田','保健所','facilitator'," +
               (e.meeting ? "'" + *e.meeting + "'" : "NULL") + ",NULL,'" + e.data + "','{}')");
    };
    insert(event("c1", 1, "issue.posted", R"({"issue":"c1-i1","text":"退院調整ルールの運用"})"));
    insert(event("c1", 2, "meeting.started",
                 R"({"meeting":"c1-m1","title":"第1回 会議","agenda":null,"items":[]})", "c1-m1"));
    insert(event("c1", 3, "proposal.opened",
                 R"({"proposal":"c1-pr1","kind":"vision","text":"住み慣れた地域"})", "c1-m1"));
    insert(event("c1", 4, "proposal.stance_taken",
                 R"({"proposal":"c1-pr1","stance":"block","reason":"医師会で未協議"})", "c1-m1"));
    insert(event("c1", 5, "proposal.stance_taken", R"({"proposal":"c1-pr1","stance":"agree"})",
                 "c1-m1"));
    insert(event(
        "c1", 6, "role.proposed",
        R"({"role":"c1-ro1","title":"周知","owner_org":"町","detail":"連絡会で説明","state":"proposed"})",
        "c1-m1"));
    insert(event("c1", 7, "role.consented",
                 R"({"role":"c1-ro1","consent":true,"note":"了承","state":"agreed"})", "c1-m1"));
    insert(event("c1", 8, "role.status_changed", R"({"role":"c1-ro1","status":"done"})"));
    insert(event("c1", 9, "indicator.defined",
                 R"({"indicator":"c1-in1","name":"引継ぎ率","kind":"process","unit":"%"})"));
    insert(event("c1", 10, "theme.stage_set",
                 R"({"theme":"退院調整","stage":3,"reason":"役割合意へ","previous":1})"));
    insert(event("c1", 11, "ranking.ballot_cast",
                 R"({"ranking":"c1-r1","participant":"p1","order":["c1-i1"]})"));
    insert(event("c2", 1, "issue.posted", R"({"issue":"c2-i1","text":"別の協議体の課題"})"));
  }
  Database db(path_);
  EXPECT_EQ(db.user_version(), schema_version);
  EXPECT_EQ(db.head("c1"), 11u);
  EXPECT_TRUE(db.list_attendance("c1").empty());
  // Found in the log before the index file exists, then indexed from it:
  // the extraction in SQL gives what domain::searchable_texts gives.
  EXPECT_EQ(hit_refs(match(db, "c1", {"医師会"})), (std::vector<std::string>{"stance:c1-pr1"}));
  index_all();
  RawConnection raw(search_index_path(path_));
  EXPECT_EQ(raw.scalar("SELECT group_concat(kind || '|' || ref || '|' || seq || '|' || "
                       "coalesce(meeting, '-') || '|' || text, ';') FROM "
                       "(SELECT * FROM search_text WHERE council = 'c1' ORDER BY id)"),
            "issue|c1-i1|1|-|退院調整ルールの運用;"
            "proposal|c1-pr1|3|c1-m1|住み慣れた地域;"
            "stance|c1-pr1|4|c1-m1|医師会で未協議;"
            "role|c1-ro1|6|c1-m1|周知;"
            "role_detail|c1-ro1|6|c1-m1|連絡会で説明;"
            "consent|c1-ro1|7|c1-m1|了承;"
            "indicator|c1-in1|9|-|引継ぎ率;"
            "stage|退院調整|10|-|役割合意へ");
  EXPECT_EQ(hit_refs(match(db, "c1", {"医師会"})), (std::vector<std::string>{"stance:c1-pr1"}));
  EXPECT_EQ(hit_refs(match(db, "c2", {"別の協議"})), (std::vector<std::string>{"issue:c2-i1"}));
  EXPECT_TRUE(db.integrity_ok());
  RawConnection log(path_);
  EXPECT_EQ(log.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'attendance'"), "1");
  EXPECT_EQ(log.scalar("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'search%'"), "0")
      << "version 7 moved the index out of the log's file";
}

TEST_F(AttendanceSearchTest, TheWriterCommitsAttendanceWithTheNextBatchAndIndexesItsEvents) {
  {
    EventWriter writer(path_);
    writer.submit_attendance(AttendanceRow{"c1", "c1-m1", "p2", "2026-11-24T10:00:00.000Z"});
    std::promise<bool> done;
    AppendRequest request;
    request.row =
        event("c1", 1, "issue.posted", R"({"issue":"c1-i1","text":"夜間の訪問看護"})", "c1-m1");
    request.done = [&](bool ok, const std::string&) { done.set_value(ok); };
    writer.submit(std::move(request));
    ASSERT_TRUE(done.get_future().get());
    ASSERT_TRUE(writer.search_indexer().wait_caught_up(std::chrono::seconds(10)));
    {
      RawConnection index(search_index_path(path_));
      EXPECT_EQ(index.scalar("SELECT seq || ':' || text FROM search_text"), "1:夜間の訪問看護");
    }
    writer.stop();
    EXPECT_EQ(writer.stats().attendance_rows, 1u);
    EXPECT_EQ(writer.stats().attendance_failures, 0u);
    writer.submit_attendance(AttendanceRow{"c1", "c1-m1", "p3", "2026-11-24T10:00:00.000Z"});
    EXPECT_EQ(writer.stats().attendance_failures, 1u) << "after stop";
  }
  Database db(path_);
  const auto hits = match(db, "c1", {"訪問看護"});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].seq, 1u);
  EXPECT_EQ(hits[0].meeting, "c1-m1");
  EXPECT_EQ(hits[0].at, "2026-11-24T10:00:01.000Z");
  EXPECT_TRUE(db.find_attendance("c1", "c1-m1", "p2"));
}

}  // namespace
}  // namespace renkei::store
