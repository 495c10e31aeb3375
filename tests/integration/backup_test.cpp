// Backup and restore (STORAGE.md "Backup"): `renkei backup` while five
// clients write gives a consistent snapshot: it passes integrity_check, a
// server on it serves exactly the original's first H events (byte for byte)
// and the record of the original log cut at H; a backup at rest serves a
// byte-identical record.
#include <atomic>
#include <filesystem>
#include <thread>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

namespace fs = std::filesystem;

class BackupTest : public IntegrationTest {
 protected:
  BackupTest() : IntegrationTest(unlimited_rate) {}
};

// The events of a since=0 resync, exactly as sent.
std::vector<std::string> event_frames(std::uint16_t port, const Credentials& who) {
  WsClient client(port);
  HelloResult hello = client.hello(who.token, who.council, 0);
  std::vector<std::string> frames;
  for (const Frame& e : hello.events) frames.push_back(e.text);
  return frames;
}

// Cuts the log of `council` in the database file at `head` (the triggers
// that keep the log append-only are dropped first: this is a test's copy).
void truncate_log(const std::string& db_path, const std::string& council, std::uint64_t head) {
  SqliteFile db(db_path, true);
  for (const auto& row :
       db.rows("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"))
    db.exec("DROP TRIGGER \"" + row[0] + "\"");
  db.exec("DELETE FROM events WHERE council = '" + council + "' AND seq > " + std::to_string(head));
  ASSERT_EQ(db.value("SELECT max(seq) FROM events WHERE council = '" + council + "'"),
            std::to_string(head));
}

TEST_F(BackupTest, LiveBackupIsAConsistentPrefixAndABackupAtRestIsIdentical) {
  std::vector<Invitee> invitees;
  for (int i = 1; i < 5; ++i)
    invitees.push_back({"書き手 " + std::to_string(i), "機関 " + std::to_string(i)});
  std::vector<Credentials> who = {facilitator};
  for (const auto& c : members(invitees)) who.push_back(c);

  // Five writers, each noting the highest seq acknowledged to it and when.
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> highest_acked{0};
  std::vector<std::string> failures(who.size());
  std::vector<std::vector<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>>> acks(
      who.size());
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < who.size(); ++c) {
    threads.emplace_back([&, c] {
      try {
        Participant p(server.port(), who[c]);
        for (int i = 0; !stop.load(); ++i) {
          json::object args =
              text_args("バックアップ中 " + who[c].participant + " " + std::to_string(i));
          if (i % 7 == 3) args["theme"] = "退院支援";
          const std::uint64_t seq = p.ok("issue.post", std::move(args));
          acks[c].emplace_back(seq, std::chrono::steady_clock::now());
          std::uint64_t seen = highest_acked.load();
          while (seq > seen && !highest_acked.compare_exchange_weak(seen, seq)) {
          }
        }
      } catch (const std::exception& e) {
        failures[c] = e.what();
      }
    });
  }
  ASSERT_TRUE(eventually([&] { return highest_acked.load() >= 200; }));

  ServerProcess restored(unlimited_rate);
  const std::string backup = restored.db();
  const std::uint64_t acked_before = highest_acked.load();
  const auto backup_started = std::chrono::steady_clock::now();
  auto made = run_renkei({"backup", "--db", server.db(), "--out", backup});
  const auto backup_finished = std::chrono::steady_clock::now();
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_EQ(json::parse(made.out), json::parse(json::serialize(json::object{{"backup", backup}})));
  std::this_thread::sleep_for(Millis(300));
  stop = true;
  for (auto& t : threads) t.join();
  for (std::size_t c = 0; c < who.size(); ++c) EXPECT_EQ(failures[c], "") << who[c].participant;
  // It never overwrites.
  const auto size = fs::file_size(backup);
  auto again = run_renkei({"backup", "--db", server.db(), "--out", backup});
  EXPECT_NE(again.status, 0);
  EXPECT_EQ(fs::file_size(backup), size);

  EXPECT_EQ(integrity_check(backup), "ok");

  // A server on the backup: the original's first H events, byte for byte.
  restored.start();
  const std::vector<std::string> snapshot = event_frames(restored.port(), facilitator);
  const std::uint64_t h = snapshot.size();
  const std::vector<std::string> original = event_frames(server.port(), facilitator);
  std::cout << "[          ] backup taken at seq " << h << " of " << original.size() << "\n";
  ASSERT_GE(h, acked_before) << "an event acknowledged before the backup is missing from it";
  ASSERT_LT(h, original.size()) << "the writers wrote nothing after the backup";
  for (std::size_t c = 0; c < who.size(); ++c)
    for (const auto& [seq, at] : acks[c])
      if (at > backup_finished) {
        EXPECT_GT(seq, h) << "acked after the backup finished";
      }
  (void)backup_started;
  for (std::uint64_t i = 0; i < h; ++i) ASSERT_EQ(snapshot[i], original[i]) << "event " << i + 1;
  // The same participants and tokens work there.
  for (const auto& c : who) {
    WsClient client(restored.port());
    EXPECT_EQ(client.hello(c.token, c.council, h).welcome.num("head"), h);
  }

  // Its record is the record of the original log cut at H.
  ServerProcess at_rest(unlimited_rate);
  auto rest = run_renkei({"backup", "--db", server.db(), "--out", at_rest.db()});
  ASSERT_EQ(rest.status, 0) << rest.err;
  ServerProcess cut(unlimited_rate);
  fs::copy_file(at_rest.db(), cut.db());
  truncate_log(cut.db(), facilitator.council, h);
  ASSERT_FALSE(HasFatalFailure());
  cut.start();
  const std::string restored_record =
      get_record(restored.port(), facilitator.council, facilitator.token);
  EXPECT_EQ(restored_record, get_record(cut.port(), facilitator.council, facilitator.token));
  EXPECT_NE(restored_record.find("\"" + facilitator.council + "-i" + std::to_string(h) + "\""),
            std::string::npos);

  // A backup at rest serves a byte-identical record and the same frames.
  at_rest.start();
  EXPECT_EQ(get_record(at_rest.port(), facilitator.council, facilitator.token), record());
  EXPECT_EQ(event_frames(at_rest.port(), facilitator), original);
  EXPECT_EQ(integrity_check(at_rest.db()), "ok");
  for (ServerProcess* s : {&restored, &at_rest, &cut}) EXPECT_EQ(s->stop(), 0) << s->log();
}

}  // namespace
}  // namespace renkei::it
