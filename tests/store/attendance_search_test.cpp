// Schema versions 4 and 5: attendance (upserts, confidentiality
// acknowledgements) and the search index (FTS5 trigram and the LIKE
// fallback), written by append_events and by the writer thread, and the
// migration of a version-3 database with its events backfilled.
#include <gtest/gtest.h>

#include <fstream>
#include <future>

#include "store/database.hpp"
#include "store/event_writer.hpp"
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
  // Writes `rows` with one searchable text each (kind "issue", ref from data).
  void append_issues(Database& db, const std::string& council,
                     const std::vector<std::pair<std::uint64_t, std::string>>& texts) {
    std::vector<EventRow> rows;
    std::vector<SearchRow> search;
    for (const auto& [seq, text] : texts) {
      rows.push_back(event(council, seq, "issue.posted", "{}"));
      search.push_back(SearchRow{council, seq, "issue", council + "-i" + std::to_string(seq),
                                 std::string("c1-m1"), rows.back().at, text});
    }
    std::vector<const EventRow*> row_ptrs;
    for (const auto& r : rows) row_ptrs.push_back(&r);
    std::vector<const SearchRow*> search_ptrs;
    for (const auto& s : search) search_ptrs.push_back(&s);
    db.append_events(row_ptrs, {}, search_ptrs);
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
  db.append_events({}, {}, {}, {&first, &later, &stale, &other});
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
  // Whether the rows are in the FTS5 index yet or not (see the next test),
  // the same hits.
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "not yet indexed" : "indexed");
    EXPECT_EQ(hit_refs(match(db, "c1", {"ルール", "の運用"})),
              (std::vector<std::string>{"issue:c1-i1"}));
    EXPECT_EQ(hit_refs(match(db, "c1", {"カンファ"})), (std::vector<std::string>{"issue:c1-i3"}));
    EXPECT_TRUE(match(db, "c1", {"存在しない語"}).empty());
    const auto hits = match(db, "c1", {"退院調"});
    EXPECT_EQ(hit_refs(hits), (std::vector<std::string>{"issue:c1-i3", "issue:c1-i1"}));
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].seq, 3u);
    EXPECT_EQ(hits[0].meeting, "c1-m1");
    EXPECT_EQ(hits[0].text.text, "退院調整前のカンファレンスに医師が参加しにくい");
    EXPECT_EQ(match(db, "c1", {"退院調"}, 1).size(), 1u);
    EXPECT_EQ(hit_refs(match(db, "c2", {"退院調"})), (std::vector<std::string>{"issue:c2-i1"}));
    // Fill the index: a group of rows of another council.
    std::vector<std::pair<std::uint64_t, std::string>> filler;
    for (std::uint64_t seq = 1; seq <= Database::search_index_group; ++seq)
      filler.emplace_back(seq, "別の協議体の課題");
    if (pass == 0) append_issues(db, "c3", filler);
  }
  RawConnection raw(path_);
  EXPECT_EQ(raw.scalar("SELECT upto FROM search_indexed"),
            raw.scalar("SELECT max(id) FROM search_text"));
}

TEST_F(AttendanceSearchTest, RowsJoinTheIndexInGroupsAndSearchFindsEachRowOnce) {
  Database db(path_);
  RawConnection raw(path_);
  const std::uint64_t group = Database::search_index_group;
  for (std::uint64_t seq = 1; seq <= group + 44; ++seq) {
    append_issues(db, "c1", {{seq, "共通の課題 番号" + std::to_string(seq) + "番"}});
    // The commit that brings the rows not yet indexed to a group indexes them.
    const std::uint64_t expected_upto = seq < group ? 0 : group;
    ASSERT_EQ(raw.scalar("SELECT upto FROM search_indexed"), std::to_string(expected_upto))
        << "after seq " << seq;
  }
  // Newest first across the rows not yet indexed (300..257) and the index.
  const auto hits = match(db, "c1", {"共通の課題"});
  ASSERT_EQ(hits.size(), 50u);
  for (std::size_t i = 0; i < hits.size(); ++i) EXPECT_EQ(hits[i].seq, group + 44 - i);
  EXPECT_EQ(hit_refs(match(db, "c1", {"番号12番"})), (std::vector<std::string>{"issue:c1-i12"}));
  EXPECT_EQ(hit_refs(match(db, "c1", {"番号290番"})), (std::vector<std::string>{"issue:c1-i290"}));
  EXPECT_EQ(
      raw.scalar("SELECT count(*) FROM search_index WHERE search_index MATCH '\"共通の課題\"'"),
      std::to_string(group));
  raw.exec("INSERT INTO search_index(search_index) VALUES('integrity-check')");
  // A new connection (the server after a restart) counts what is waiting.
  Database reopened(path_);
  for (std::uint64_t seq = group + 45; seq <= 2 * group; ++seq)
    append_issues(reopened, "c1", {{seq, "共通の課題"}});
  EXPECT_EQ(raw.scalar("SELECT upto FROM search_indexed"), std::to_string(2 * group));
}

// FTS5's own merging is off (schema v6); the writer merges in steps when it
// is idle. Steps do work while segments wait, then report none; search
// finds every row throughout.
TEST_F(AttendanceSearchTest, SearchIndexSegmentsAreMergedInSteps) {
  Database db(path_);
  RawConnection raw(path_);
  EXPECT_EQ(raw.scalar("SELECT v FROM search_index_config WHERE k = 'automerge'"), "0");
  const std::uint64_t group = Database::search_index_group;
  for (std::uint64_t g = 0; g < 8; ++g) {
    std::vector<std::pair<std::uint64_t, std::string>> rows;
    for (std::uint64_t i = 1; i <= group; ++i)
      rows.emplace_back(g * group + i, "段階的な統合 " + std::to_string(g * group + i));
    append_issues(db, "c1", rows);  // each a group: one more segment
  }
  const auto segments = [&] {
    return std::stoi(raw.scalar("SELECT count(*) FROM search_index_data"));
  };
  const int before = segments();
  int steps = 0;
  while (db.merge_search_index(32)) ASSERT_LT(++steps, 1000) << "merging never ends";
  EXPECT_GT(steps, 0);
  EXPECT_LT(segments(), before) << "merged segments take fewer records";
  EXPECT_FALSE(db.merge_search_index(32)) << "nothing left to merge";
  raw.exec("INSERT INTO search_index(search_index) VALUES('integrity-check')");
  EXPECT_EQ(match(db, "c1", {"段階的な統合"}).size(), 50u);
  EXPECT_EQ(hit_refs(match(db, "c1", {"統合 1000"})), (std::vector<std::string>{"issue:c1-i1000"}));
}

TEST_F(AttendanceSearchTest, LikeSearchForShortTermsWithEscapedWildcards) {
  Database db(path_);
  append_issues(db, "c1",
                {{1, "退院調整ルール"}, {2, "達成率100%を目指す"}, {3, "a_b 区切り"}, {4, "aXb"}});
  EXPECT_EQ(hit_refs(db.search_like("c1", {"%退%"}, 50)),
            (std::vector<std::string>{"issue:c1-i1"}));
  EXPECT_EQ(hit_refs(db.search_like("c1", {"%院調%", "%ルー%"}, 50)),
            (std::vector<std::string>{"issue:c1-i1"}));
  EXPECT_EQ(hit_refs(db.search_like("c1", {"%院調%", "%達成%"}, 50)), std::vector<std::string>{});
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
}

TEST_F(AttendanceSearchTest, SearchRowsAreAppendOnlyAndFailWithTheirEvent) {
  Database db(path_);
  append_issues(db, "c1", {{1, "退院調整ルール"}});
  RawConnection raw(path_);
  EXPECT_THROW(raw.exec("UPDATE search_text SET text = 'x'"), std::runtime_error);
  EXPECT_THROW(raw.exec("DELETE FROM search_text"), std::runtime_error);
  // A batch whose event fails leaves no search row behind.
  EXPECT_THROW(append_issues(db, "c1", {{1, "重複した seq の課題"}}), StoreError);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM search_text"), "1");
  EXPECT_TRUE(match(db, "c1", {"重複した"}).empty());
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
  RawConnection raw(path_);
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
  // The index was filled too.
  EXPECT_EQ(raw.scalar("SELECT upto FROM search_indexed"),
            raw.scalar("SELECT max(id) FROM search_text"));
  EXPECT_EQ(hit_refs(match(db, "c1", {"医師会"})), (std::vector<std::string>{"stance:c1-pr1"}));
  EXPECT_EQ(hit_refs(match(db, "c2", {"別の協議"})), (std::vector<std::string>{"issue:c2-i1"}));
  EXPECT_TRUE(db.integrity_ok());
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'attendance'"), "1");
}

TEST_F(AttendanceSearchTest, TheWriterCommitsSearchTextsAndAttendanceWithTheNextBatch) {
  {
    EventWriter writer(path_);
    writer.submit_attendance(AttendanceRow{"c1", "c1-m1", "p2", "2026-11-24T10:00:00.000Z"});
    std::promise<bool> done;
    AppendRequest request;
    request.row = event("c1", 1, "issue.posted", "{}", "c1-m1");
    request.search = {domain::SearchText{"issue", "c1-i1", "夜間の訪問看護"}};
    request.done = [&](bool ok, const std::string&) { done.set_value(ok); };
    writer.submit(std::move(request));
    ASSERT_TRUE(done.get_future().get());
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
