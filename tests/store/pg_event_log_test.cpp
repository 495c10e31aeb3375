// The event log on PostgreSQL (store/pg_event_log.hpp) against a private
// cluster: batches all or nothing, exact text round trips, two writers
// (two instances) never forking a council's log, command ids kept once per
// participant whichever instance writes, NOTIFY with the COMMIT only, a
// lost connection failing the batch without losing what was committed, and
// redaction rewriting the same bytes as on SQLite.
#include "store/pg_event_log.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include "pg_cluster.hpp"
#include "store/database.hpp"
#include "store/event_writer.hpp"
#include "store/pg_connection.hpp"
#include "store/pg_schema.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

EventRow event(const std::string& council, std::uint64_t seq, const std::string& op,
               const std::string& data, const std::string& participant = "p1",
               std::optional<std::string> command_id = std::nullopt) {
  EventRow row;
  row.council = council;
  row.seq = seq;
  row.op = op;
  row.at = "2026-12-05T10:00:0" + std::to_string(seq % 10) + ".000Z";
  row.participant = participant;
  row.by_name = "佐藤 恵子";
  row.by_org = "北広島町";
  row.by_role = domain::Role::member;
  row.command_id = std::move(command_id);
  row.data = data;
  row.frame = R"({"type":"event","seq":)" + std::to_string(seq) + R"(,"op":")" + op +
              R"(","data":)" + data + "}";
  return row;
}

// A text.redacted row of council c1 erasing `target` (and, for a stance
// reason or role notes, `participant`'s).
EventRow redact(std::uint64_t seq, RedactionScope scope, const std::string& target,
                const std::string& participant) {
  EventRow row =
      event("c1", seq, "text.redacted", R"({"target":")" + target + R"(","reason":"個人情報"})");
  row.redaction = RedactionRow{scope, target, participant};
  return row;
}

std::vector<const EventRow*> pointers(const std::vector<EventRow>& rows) {
  std::vector<const EventRow*> out;
  for (const auto& row : rows) out.push_back(&row);
  return out;
}

class PgEventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = renkei::testing::PgCluster::shared().fresh_database();
    PgConnection setup(uri_);
    migrate_pg(setup);
  }
  std::string uri_;
};

TEST_F(PgEventLogTest, BatchesReadBackExactly) {
  PgConnection connection(uri_);
  PgEventLog log(connection);
  // Quotes, backslashes, braces, commas, new lines and Japanese: the array
  // literal of a batch must carry every byte.
  const std::string tricky = R"({"issue":"i1","text":"病棟と在宅\n\"引用\" \\ {a,b} NULL"})";
  std::vector<EventRow> rows = {event("c1", 1, "issue.posted", tricky, "p1", "k1"),
                                event("c2", 1, "issue.posted", R"({"issue":"i9","text":"x"})"),
                                event("c1", 2, "meeting.opened", R"({"meeting":"m1"})")};
  rows[2].meeting = "m1";
  log.append_events(pointers(rows));
  EXPECT_TRUE(log.take_stale().empty());
  EXPECT_EQ(log.head("c1"), 2u);
  EXPECT_EQ(log.head("c2"), 1u);
  EXPECT_EQ(log.head("c3"), 0u);
  const auto read = log.read_events("c1", 0, 10);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].data, tricky);
  EXPECT_EQ(read[0].frame, rows[0].frame);
  EXPECT_EQ(read[0].command_id, std::optional<std::string>("k1"));
  EXPECT_EQ(read[0].by_name, "佐藤 恵子");
  EXPECT_EQ(read[1].meeting, std::optional<std::string>("m1"));
  EXPECT_FALSE(read[0].meeting.has_value());
  EXPECT_EQ(log.read_events("c1", 1, 10).size(), 1u);
  EXPECT_EQ(log.read_frames("c1", 0, 1, 10), std::vector<std::string>{rows[0].frame});
}

TEST_F(PgEventLogTest, AFailedBatchLeavesNothing) {
  PgConnection connection(uri_);
  PgEventLog log(connection);
  std::vector<EventRow> rows = {event("c1", 1, "issue.posted", R"({"issue":"i1","text":"a"})")};
  EXPECT_THROW(log.append_events(pointers(rows), {}, {},
                                 [] { throw StoreError("refused before commit", 1); }),
               StoreError);
  EXPECT_EQ(log.head("c1"), 0u);
  log.append_events(pointers(rows));
  EXPECT_EQ(log.head("c1"), 1u);
}

TEST_F(PgEventLogTest, TwoWritersNeverForkACouncil) {
  PgConnection first_connection(uri_);
  PgConnection second_connection(uri_);
  PgEventLog first(first_connection);
  PgEventLog second(second_connection);
  std::vector<EventRow> mine = {event("c1", 1, "issue.posted", R"({"issue":"i1","text":"first"})")};
  first.append_events(pointers(mine));
  // The second instance decided seq 1 of c1 too, in a batch with c2.
  std::vector<EventRow> theirs = {
      event("c1", 1, "issue.posted", R"({"issue":"i2","text":"second"})", "p2"),
      event("c2", 1, "issue.posted", R"({"issue":"i3","text":"other council"})", "p2")};
  second.append_events(pointers(theirs));
  EXPECT_EQ(second.take_stale(), std::vector<std::string>{"c1"});
  const auto c1 = first.read_events("c1", 0, 10);
  ASSERT_EQ(c1.size(), 1u);
  EXPECT_EQ(c1[0].participant, "p1");
  EXPECT_EQ(first.head("c2"), 1u) << "the other council of the batch committed";
}

TEST_F(PgEventLogTest, RacingWritersLeaveOneGaplessLog) {
  // Two instances append to one council as fast as they can, each deciding
  // seq = its head + 1 and reading what it missed when told stale.
  constexpr std::uint64_t per_writer = 150;
  auto run = [&](const std::string& who, std::uint64_t& written) {
    PgConnection connection(uri_);
    PgEventLog log(connection);
    std::uint64_t head = 0;
    while (written < per_writer) {
      std::vector<EventRow> rows = {
          event("c1", head + 1, "issue.posted",
                R"({"issue":")" + who + std::to_string(written) + R"(","text":"t"})", who,
                who + std::to_string(written))};
      log.append_events(pointers(rows));
      if (log.take_stale().empty()) {
        ++written;
        ++head;
      } else {
        head = log.head("c1");
      }
    }
  };
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  std::thread first([&] { run("pa", a); });
  std::thread second([&] { run("pb", b); });
  first.join();
  second.join();
  PgConnection connection(uri_);
  PgEventLog log(connection);
  const auto all = log.read_events("c1", 0, 1000);
  ASSERT_EQ(all.size(), 2 * per_writer);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].seq, i + 1);
}

TEST_F(PgEventLogTest, ACommandIdIsKeptOncePerParticipantOfACouncil) {
  PgConnection first_connection(uri_);
  PgConnection second_connection(uri_);
  PgEventLog first(first_connection);
  PgEventLog second(second_connection);
  std::vector<EventRow> sent = {
      event("c1", 1, "issue.posted", R"({"issue":"i1","text":"a"})", "p1", "cmd-1")};
  first.append_events(pointers(sent));
  // The retry reached another instance that did not know the first yet.
  std::vector<EventRow> retry = {
      event("c1", 2, "issue.posted", R"({"issue":"i2","text":"a"})", "p1", "cmd-1")};
  second.append_events(pointers(retry));
  EXPECT_EQ(second.take_stale(), std::vector<std::string>{"c1"});
  // Another participant may use the same id; so may p1 in another council.
  std::vector<EventRow> others = {
      event("c1", 2, "issue.posted", R"({"issue":"i3","text":"b"})", "p2", "cmd-1"),
      event("c2", 1, "issue.posted", R"({"issue":"i4","text":"c"})", "p1", "cmd-1")};
  second.append_events(pointers(others));
  EXPECT_TRUE(second.take_stale().empty());
  EXPECT_EQ(first.head("c1"), 2u);
}

// A LISTEN connection polled for `wait`.
std::vector<std::string> notifications(PGconn* listener, std::chrono::milliseconds wait) {
  std::vector<std::string> out;
  const auto until = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < until) {
    PQconsumeInput(listener);
    while (PGnotify* n = PQnotifies(listener)) {
      out.emplace_back(n->extra);
      PQfreemem(n);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return out;
}

TEST_F(PgEventLogTest, NotifiesEachCouncilWrittenOnCommitOnly) {
  PGconn* listener = PQconnectdb(uri_.c_str());
  ASSERT_EQ(PQstatus(listener), CONNECTION_OK);
  PQclear(PQexec(listener, "LISTEN renkei_events"));
  PgConnection connection(uri_);
  PgEventLog log(connection);
  std::vector<EventRow> refused = {event("c9", 1, "issue.posted", R"({"issue":"i","text":"a"})")};
  EXPECT_THROW(log.append_events(pointers(refused), {}, {}, [] { throw StoreError("no", 1); }),
               StoreError);
  std::vector<EventRow> rows = {event("c1", 1, "issue.posted", R"({"issue":"i1","text":"a"})"),
                                event("c1", 2, "issue.posted", R"({"issue":"i2","text":"b"})"),
                                event("c2", 1, "issue.posted", R"({"issue":"i3","text":"c"})")};
  log.append_events(pointers(rows));
  const auto got = notifications(listener, std::chrono::milliseconds(300));
  PQfinish(listener);
  EXPECT_EQ(got, (std::vector<std::string>{"c1:2", "c2:1"}));
  std::string council;
  std::uint64_t seq = 0;
  ASSERT_TRUE(parse_events_notification("c1:2", council, seq));
  EXPECT_EQ(council, "c1");
  EXPECT_EQ(seq, 2u);
  EXPECT_FALSE(parse_events_notification("c1:", council, seq));
  EXPECT_FALSE(parse_events_notification(":3", council, seq));
  EXPECT_FALSE(parse_events_notification("c1:x", council, seq));
}

// Terminates the backend `pid` and waits until it is gone from
// pg_stat_activity: pg_terminate_backend only signals, and the tests must not
// race the backend's exit.
void terminate_and_wait(const std::string& uri, int pid) {
  PgConnection admin(uri);
  admin.query("SELECT pg_terminate_backend($1::int)", PgParams().integer(pid), "terminate");
  for (int i = 0; i < 500; ++i) {
    const auto left = admin.query("SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int",
                                  PgParams().integer(pid), "wait");
    if (left.text(0, 0) == "0") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL() << "backend " << pid << " still there after 5 s";
}

TEST_F(PgEventLogTest, ALostConnectionFailsTheBatchAndTheNextOneConnectsAgain) {
  PgConnection connection(uri_);
  PgEventLog log(connection);
  std::vector<EventRow> acked = {event("c1", 1, "issue.posted", R"({"issue":"i1","text":"a"})")};
  log.append_events(pointers(acked));
  // Lost inside the transaction (between the INSERT and the COMMIT): the
  // batch fails and nothing of it is kept.
  std::vector<EventRow> in_flight = {
      event("c1", 2, "issue.posted", R"({"issue":"i2","text":"b"})")};
  try {
    log.append_events(pointers(in_flight), {}, {},
                      [&] { terminate_and_wait(uri_, connection.backend_pid()); });
    FAIL() << "the batch on a terminated connection must fail";
  } catch (const StoreError& e) {
    EXPECT_TRUE(e.is_connection_lost()) << e.what();
  }
  EXPECT_EQ(log.head("c1"), 1u) << "connected again; the acked event is there, the other not";
  log.append_events(pointers(in_flight));
  EXPECT_EQ(log.head("c1"), 2u);
  // Lost while idle (a backend terminated between two batches): the next
  // batch finds the closed socket first and goes to a new connection.
  terminate_and_wait(uri_, connection.backend_pid());
  std::vector<EventRow> after_idle = {
      event("c1", 3, "issue.posted", R"({"issue":"i3","text":"c"})")};
  log.append_events(pointers(after_idle));
  EXPECT_EQ(log.head("c1"), 3u);
}

TEST_F(PgEventLogTest, RedactionRewritesTheSameBytesAsSqlite) {
  std::vector<EventRow> rows = {
      event("c1", 1, "issue.posted",
            R"({"issue":"i1","text":"山田太郎さん 080-1234-5678","theme":null})"),
      event("c1", 2, "proposal.opened", R"({"proposal":"q1","text":"案"})"),
      event("c1", 3, "proposal.stance_taken",
            R"({"proposal":"q1","stance":"block","reason":"山田さんの件"})", "p2"),
      event("c1", 4, "role.proposed",
            R"({"role":"r1","title":"山田さん宅訪問","detail":"毎週","owner_org":"町"})"),
      event("c1", 5, "role.consented", R"({"role":"r1","note":"山田さん了承"})", "p2"),
  };
  rows.push_back(redact(6, RedactionScope::issue, "i1", ""));
  rows.push_back(redact(7, RedactionScope::stance_reason, "q1", "p2"));
  rows.push_back(redact(8, RedactionScope::role, "r1", ""));
  rows.push_back(redact(9, RedactionScope::role_notes, "r1", "p2"));

  testing::TempDir dir;
  Database sqlite(dir.file("log.db"));
  PgConnection connection(uri_);
  PgEventLog pg(connection);
  // Each event in its own batch, as a meeting writes them.
  for (const auto& row : rows) {
    sqlite.append_events({&row});
    pg.append_events({&row});
    EXPECT_EQ(pg.take_redacted(), sqlite.take_redacted()) << "seq " << row.seq;
  }
  const auto expected = sqlite.read_events("c1", 0, 100);
  const auto got = pg.read_events("c1", 0, 100);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].data, expected[i].data) << "seq " << got[i].seq;
    EXPECT_EQ(got[i].frame, expected[i].frame) << "seq " << got[i].seq;
  }
  EXPECT_EQ(got[0].data.find("山田"), std::string::npos);
  // The rewritten events left the search text too.
  auto left = connection.query("SELECT count(*) FROM search_text WHERE text LIKE '%山田%'",
                               PgParams(), "search text");
  EXPECT_EQ(left.int64(0, 0), 0);
  // Outside a redaction the log stays append-only.
  EXPECT_THROW(connection.exec("UPDATE events SET data = data WHERE seq = 2", "update"),
               StoreError);
}

bool file_holds(const std::string& path, const std::string& needle) {
  std::ifstream file(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return bytes.find(needle) != std::string::npos;
}

// Through the writer, as the server redacts: after the commit the
// maintenance thread VACUUMs (no dead row version left), and after
// `renkei purge-redacted` (VACUUM FULL) no file of events, of its TOAST
// table or of search_text holds the text once written out (CHECKPOINT).
// A long text (stored out of line, in the TOAST table) and short ones.
TEST_F(PgEventLogTest, ARedactionLeavesNoCopyInTheTablesFiles) {
  const std::string marker = "MARKER-5f1c 山田花子 090-8765-4321";
  std::string long_text;
  for (int i = 0; long_text.size() < 6000; ++i)
    long_text += std::to_string(i * 7919 % 10007) + (i % 13 == 0 ? "、" : " ");
  long_text += marker;
  std::vector<EventRow> rows = {
      event("c1", 1, "issue.posted", R"({"issue":"i1","text":")" + marker + R"("})"),
      event("c1", 2, "issue.posted", R"({"issue":"i2","text":")" + long_text + R"("})"),
      event("c1", 3, "proposal.opened", R"({"proposal":"q1","text":"案"})"),
      event("c1", 4, "proposal.stance_taken",
            R"({"proposal":"q1","stance":"block","reason":")" + marker + R"("})", "p2"),
  };
  EventWriter writer(uri_);
  const auto submit = [&](EventRow row) {
    std::promise<bool> done;
    AppendRequest request;
    request.row = std::move(row);
    request.done = [&](bool ok, const std::string&) { done.set_value(ok); };
    writer.submit(std::move(request));
    return done.get_future().get();
  };
  PgConnection admin(uri_);
  const std::string data_dir = admin.query("SHOW data_directory", PgParams(), "dir").text(0, 0);
  // The tables whose files (as written by a CHECKPOINT) hold the marker.
  const auto holding = [&] {
    admin.exec("CHECKPOINT", "checkpoint");
    const auto files = admin.query(
        "SELECT c.relname, pg_relation_filepath(c.oid) FROM pg_class c "
        "WHERE c.oid IN ('events'::regclass, 'search_text'::regclass) "
        "OR c.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = 'events'::regclass) "
        "ORDER BY c.relname",
        PgParams(), "files");
    std::vector<std::string> found;
    for (int i = 0; i < files.rows(); ++i) {
      const std::string path = data_dir + "/" + files.text(i, 1);
      if (file_holds(path, "MARKER-5f1c") || file_holds(path, "山田花子"))
        found.push_back(files.text(i, 0).starts_with("pg_toast") ? "toast" : files.text(i, 0));
    }
    std::sort(found.begin(), found.end());
    return found;
  };
  for (EventRow& row : rows) ASSERT_TRUE(submit(std::move(row)));
  EXPECT_EQ(holding(), (std::vector<std::string>{"events", "search_text", "toast"}))
      << "before the redaction every table holds the text";
  ASSERT_TRUE(submit(redact(5, RedactionScope::issue, "i1", "")));
  ASSERT_TRUE(submit(redact(6, RedactionScope::issue, "i2", "")));
  ASSERT_TRUE(submit(redact(7, RedactionScope::stance_reason, "q1", "p2")));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (writer.stats().redaction_vacuums < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  writer.stop();  // joins the maintenance thread: a VACUUM it began is done
  const auto stats = writer.stats();
  EXPECT_EQ(stats.redactions, 3u);
  ASSERT_GE(stats.redaction_vacuums, 1u);
  // The VACUUM left no dead row version (the text is in no row, live or
  // dead, of the tables; its bytes may remain in free space until reused).
  admin.exec("CREATE EXTENSION IF NOT EXISTS pgstattuple", "pgstattuple");
  const auto dead = admin.query(
      "SELECT (pgstattuple('events')).dead_tuple_count, "
      "(pgstattuple('search_text')).dead_tuple_count, "
      "(pgstattuple((SELECT reltoastrelid FROM pg_class WHERE oid = 'events'::regclass)))"
      ".dead_tuple_count",
      PgParams(), "dead tuples");
  EXPECT_EQ(dead.text(0, 0), "0");
  EXPECT_EQ(dead.text(0, 1), "0");
  EXPECT_EQ(dead.text(0, 2), "0");
  // `renkei purge-redacted` (VACUUM FULL): no file of the tables holds it.
  Database(uri_).vacuum_redacted(/*full=*/true);
  EXPECT_EQ(holding(), std::vector<std::string>{}) << "after purge-redacted";
  // The events are still all there, rewritten.
  PgConnection reader(uri_);
  PgEventLog log(reader);
  const auto read = log.read_events("c1", 0, 100);
  ASSERT_EQ(read.size(), 7u);
  EXPECT_EQ(read[0].data.find("山田花子"), std::string::npos);
  EXPECT_NE(read[0].data.find(R"("redacted":true)"), std::string::npos);
}

}  // namespace
}  // namespace renkei::store
