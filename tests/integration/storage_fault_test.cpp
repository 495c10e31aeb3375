// Storage faults (PROTOCOL.md error `internal`, STORAGE.md "Writing"): on a
// read-only database and on a full disk (simulated by RLIMIT_FSIZE), a
// command gets `internal` and no ack, nothing half-written reaches the log,
// reads go on working, and writing resumes when the fault goes away.
#include <sys/stat.h>

#include <filesystem>
#include <set>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

namespace fs = std::filesystem;

// The (seq, text) rows of the council's events, read from the file.
std::map<std::uint64_t, std::string> logged_texts(const std::string& db,
                                                  const std::string& council) {
  SqliteFile file(db);
  std::map<std::uint64_t, std::string> out;
  for (const auto& row : file.rows("SELECT seq, json_extract(data, '$.text') FROM events WHERE "
                                   "council = '" +
                                   council + "' ORDER BY seq"))
    out[std::stoull(row[0])] = row[1];
  return out;
}

void set_mode(const std::string& path, mode_t mode) {
  if (::chmod(path.c_str(), mode) != 0)
    throw std::runtime_error("chmod " + path + ": " + std::strerror(errno));
}

class ReadOnlyDatabaseTest : public ::testing::Test {
 protected:
  void TearDown() override {
    // Whatever happened, give the directory back so it can be removed.
    ::chmod(server.dir().c_str(), 0700);
    for (const char* suffix : {"", "-wal", "-shm"}) ::chmod((server.db() + suffix).c_str(), 0600);
    if (server.running()) server.stop();
  }
  ServerProcess server;
};

TEST_F(ReadOnlyDatabaseTest, CommandsGetInternalReadsWorkAndARestartRecovers) {
  // Root ignores file modes: the server then runs as nobody.
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(server.dir().c_str(), 65534, 65534), 0);
    server.set_user(std::make_pair(uid_t{65534}, gid_t{65534}));
  }
  server.start();
  const Credentials f_c =
      server.create_council("西部圏域 地域共生ケア会議", "山本 真理", "西部保健所");
  const Credentials m_c = server.invite(f_c.council, "佐藤 恵子", "北広島町", "member");
  {
    Participant f(server.port(), f_c);
    for (int i = 1; i <= 3; ++i)
      ASSERT_EQ(f.ok("issue.post", text_args("書けた " + std::to_string(i))),
                static_cast<std::uint64_t>(i));
  }
  const std::string record_before = get_record(server.port(), f_c.council, f_c.token);

  // The disk turns read-only under a crashed server: the database, its WAL
  // and shared memory, and the directory.
  server.kill();
  for (const char* suffix : {"", "-wal", "-shm"})
    if (fs::exists(server.db() + suffix)) set_mode(server.db() + suffix, 0444);
  set_mode(server.dir(), 0555);
  server.start();

  // Reads work: catch-up, the record.
  Participant watcher(server.port(), m_c);
  EXPECT_EQ(watcher.hello().synced.num("head"), 3u);
  expect_consecutive(watcher.hello().events, 1, 3, "catch-up on a read-only database");
  EXPECT_EQ(get_record(server.port(), f_c.council, f_c.token), record_before);

  // Commands: internal, no ack, no event anywhere.
  Participant f(server.port(), f_c, 3);
  for (const char* id_text : {"ro-1", "ro-2"}) {
    const std::string id = id_text;
    Frame reply = f->command(id, "issue.post", text_args("書けない " + id));
    EXPECT_EQ(reply.type(), "error") << reply.text;
    EXPECT_EQ(reply.str("code"), "internal") << reply.text;
    EXPECT_NE(reply.str("message").find(" / "), std::string::npos);
  }
  EXPECT_FALSE(watcher->pump(Millis(300))) << "something was broadcast";
  EXPECT_EQ(watcher->last_seq(), 3u);
  EXPECT_EQ(get_record(server.port(), f_c.council, f_c.token), record_before);
  {
    WsClient late(server.port());
    EXPECT_EQ(late.hello(f_c.token, f_c.council, 0).synced.num("head"), 3u);
  }

  // Permissions come back. The running server opened the file read-only
  // and SQLite keeps it so for the connection's life, so commands still
  // fail until the server restarts: recovery from a read-only database is a
  // restart. (If a later server reopens it, this documents the change.)
  set_mode(server.dir(), 0755);
  for (const char* suffix : {"", "-wal", "-shm"})
    if (fs::exists(server.db() + suffix)) set_mode(server.db() + suffix, 0644);
  Frame still = f->command("ro-3", "issue.post", text_args("まだ書けない"));
  EXPECT_EQ(still.str("code"), "internal")
      << "the server recovered from a read-only database without a restart: " << still.text;
  EXPECT_EQ(server.stop(), 0) << server.log();
  server.start();
  Participant again(server.port(), f_c, 3);
  // A refused id is not remembered: the same id now succeeds.
  Frame ok = again->command("ro-1", "issue.post", text_args("書けない ro-1"));
  ASSERT_EQ(ok.type(), "ack") << ok.text;
  EXPECT_EQ(ok.seq(), 4u);
  ASSERT_EQ(server.stop(), 0);
  EXPECT_EQ(logged_texts(server.db(), f_c.council),
            (std::map<std::uint64_t, std::string>{
                {1, "書けた 1"}, {2, "書けた 2"}, {3, "書けた 3"}, {4, "書けない ro-1"}}));
  EXPECT_EQ(integrity_check(server.db()), "ok");
}

class DiskFullTest : public IntegrationTest {
 protected:
  DiskFullTest() : IntegrationTest(unlimited_rate) {}
};

TEST_F(DiskFullTest, CommandsFailWithoutAckNothingPartialAndWritingResumesWithSpace) {
  const Credentials m_c = member("佐藤 恵子", "北広島町");
  // Restart with a file-size limit: the WAL (empty after a clean stop)
  // can grow to 192 KiB, a few dozen commits.
  ASSERT_EQ(server.stop(), 0);
  server.set_file_size_limit(192 * 1024);
  server.start();
  Participant f(server.port(), facilitator);
  Participant watcher(server.port(), m_c);

  std::map<std::uint64_t, std::string> acked;
  std::vector<std::string> failed;
  std::string other_replies;
  int i = 0;
  for (; i < 2000 && failed.size() < 5; ++i) {
    const std::string text = "満杯まで " + std::to_string(i) + " " + std::string(400, 'x');
    Frame reply = f->command("full-" + std::to_string(i), "issue.post", text_args(text));
    if (reply.type() == "ack") {
      EXPECT_TRUE(failed.empty()) << "an ack after a failure while the disk is still full";
      acked[reply.seq()] = text;
    } else if (reply.str("code") == "internal") {
      failed.push_back(text);
    } else {
      other_replies += reply.text + "\n";
    }
  }
  std::cout << "[          ] " << acked.size() << " commands stored before the disk was full\n";
  EXPECT_EQ(other_replies, "");
  ASSERT_GE(acked.size(), 1u);
  ASSERT_EQ(failed.size(), 5u) << "the file-size limit never made a write fail";
  // Acks have no gaps; the watcher saw exactly the acked events.
  EXPECT_EQ(acked.begin()->first, 1u);
  EXPECT_EQ(acked.rbegin()->first, acked.size());
  const std::uint64_t head = acked.size();
  watcher->wait_event(head);
  EXPECT_FALSE(watcher->pump(Millis(300)));
  EXPECT_EQ(watcher->last_seq(), head);
  // The log on disk is exactly the acked events: no partial batch.
  auto logged = logged_texts(server.db(), facilitator.council);
  EXPECT_EQ(logged, acked);
  // Reads still work.
  EXPECT_NO_THROW(get_record(server.port(), facilitator.council, facilitator.token));

  // Space returns.
  auto raised =
      run_program({"/usr/bin/prlimit", "--pid", std::to_string(server.pid()), "--fsize=unlimited"});
  ASSERT_EQ(raised.status, 0) << raised.err;
  Frame after = f->command("after-space", "issue.post", text_args("空きができた"));
  ASSERT_EQ(after.type(), "ack") << "the server did not recover when space returned: " << after.text
                                 << "\nlog: " << server.log();
  EXPECT_EQ(after.seq(), head + 1);
  // The failed commands can be sent again with their ids.
  Frame retried =
      f->command("full-" + std::to_string(i - 5), "issue.post", text_args(failed.front()));
  ASSERT_EQ(retried.type(), "ack") << retried.text;
  EXPECT_EQ(retried.seq(), head + 2);
  watcher->wait_event(head + 2);
  expect_consecutive(watcher->events(), 1, head + 2, "watcher");
  ASSERT_EQ(server.stop(), 0);
  EXPECT_EQ(logged_texts(server.db(), facilitator.council).size(), head + 2);
  EXPECT_EQ(integrity_check(server.db()), "ok");
}

}  // namespace
}  // namespace renkei::it
