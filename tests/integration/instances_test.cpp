// Several instances on one PostgreSQL database (POSTGRES.md): members of
// one meeting connected to different instances see every event exactly
// once, in seq order, without a gap; commands decided on both instances at
// once never fork the log; a command id stays idempotent whichever
// instance a retry reaches; an instance killed under load loses nothing
// acknowledged, and its clients resync on the other. Always on PostgreSQL
// (a private cluster, tests/support/pg_cluster.hpp).
#include <atomic>
#include <iostream>
#include <map>
#include <thread>

#include "test_support.hpp"

namespace renkei::it {
namespace {

class InstancesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a.use_postgresql();
    b.share_database(a);
    a.start();
    b.start();
    facilitator = a.create_council("西部圏域 地域共生ケア会議", "山本 真理", "西部保健所");
  }
  void TearDown() override {
    for (ServerProcess* server : {&a, &b}) {
      if (server->running()) {
        EXPECT_EQ(server->stop(), 0) << server->log();
      }
    }
  }
  Credentials invite(const std::string& name) {
    return a.invite(facilitator.council, name, "機関 " + name, "member");
  }

  ServerProcess a;
  ServerProcess b;
  Credentials facilitator;
};

TEST_F(InstancesTest, MembersOnTwoInstancesSeeEveryEventOnceInOrder) {
  constexpr int per_client = 20;
  std::vector<Credentials> who = {facilitator};
  for (int i = 1; i <= 5; ++i) who.push_back(invite("参加者 " + std::to_string(i)));
  // Half on each instance; every client writes at the same time.
  std::vector<std::unique_ptr<Participant>> clients;
  for (std::size_t i = 0; i < who.size(); ++i)
    clients.push_back(std::make_unique<Participant>(i % 2 == 0 ? a.port() : b.port(), who[i]));
  std::atomic<int> refused{0};
  std::vector<std::thread> writers;
  for (auto& client : clients)
    writers.emplace_back([&, c = client.get()] {
      for (int k = 0; k < per_client;) {
        auto reply = c->send("issue.post", {{"text", c->id() + " の課題 " + std::to_string(k)}});
        if (reply.type() == "ack") {
          ++k;
        } else if (reply.str("code") == "rate_limited") {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } else {
          // Decided on a state the other instance had already moved past:
          // refused without an ack, sent again (a client's retry).
          EXPECT_EQ(reply.str("code"), "internal") << reply.text;
          ++refused;
        }
      }
    });
  for (auto& writer : writers) writer.join();
  const std::uint64_t total = clients.size() * per_client;
  for (auto& client : clients) {
    client->ws().wait_event(total, std::chrono::seconds(20));
    expect_consecutive(client->ws().events(), 1, total, client->id());
  }
  RecordProperty("stale_retries", refused.load());
  std::cout << "commands refused as stale and sent again: " << refused.load() << " of " << total
            << "\n";
  // The log is one: both instances serve the same record.
  EXPECT_EQ(get_record(a.port(), facilitator.council, facilitator.token),
            get_record(b.port(), facilitator.council, facilitator.token));
}

TEST_F(InstancesTest, ARetryReachingTheOtherInstanceGetsTheOriginalAck) {
  Participant on_a(a.port(), facilitator);
  const auto first = on_a->command("same-id", "issue.post", {{"text", "退院時の情報共有"}});
  ASSERT_EQ(first.type(), "ack") << first.text;
  Participant on_b(b.port(), facilitator, first.seq());
  const auto again = on_b->command("same-id", "issue.post", {{"text", "退院時の情報共有"}});
  ASSERT_EQ(again.type(), "ack") << again.text;
  EXPECT_EQ(again.seq(), first.seq());
  // No second event: the next command gets the next seq.
  EXPECT_EQ(on_b.ok("issue.post", {{"text", "次の課題"}}), first.seq() + 1);
}

TEST_F(InstancesTest, AnInstanceKilledUnderLoadLosesNothingAndItsClientsResyncOnTheOther) {
  std::vector<Credentials> who = {facilitator, invite("佐藤"), invite("田中"), invite("鈴木")};
  std::vector<std::unique_ptr<Participant>> clients;
  for (std::size_t i = 0; i < who.size(); ++i)
    clients.push_back(std::make_unique<Participant>(i % 2 == 0 ? a.port() : b.port(), who[i]));
  std::atomic<bool> killed{false};
  std::mutex acked_mutex;
  std::map<std::string, std::uint64_t> acked;  // text -> seq
  // The seqs each client received on connections it has left.
  std::vector<std::vector<std::uint64_t>> seen_before(clients.size());
  std::vector<std::thread> writers;
  for (std::size_t i = 0; i < clients.size(); ++i)
    writers.emplace_back([&, i] {
      Participant& c = *clients[i];
      bool on_a = i % 2 == 0;
      for (int k = 0; k < 30; ++k) {
        const std::string text = c.id() + " の課題 " + std::to_string(k);
        const std::string id = "w" + std::to_string(i) + "-" + std::to_string(k);
        for (int attempt = 0; attempt < 50; ++attempt) {
          try {
            auto reply = c->command(id, "issue.post", {{"text", text}}, std::chrono::seconds(5));
            if (reply.type() == "ack") {
              std::lock_guard lock(acked_mutex);
              acked[text] = reply.seq();
              break;
            }
          } catch (const std::exception&) {
            // The connection died with its instance: to the other one,
            // from the last event seen, and the same command id again.
            if (on_a && killed) {
              for (const auto& e : c->events()) seen_before[i].push_back(e.seq());
              c.reconnect(b.port(), c->last_seq());
              on_a = false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  killed = true;
  a.kill();
  for (auto& writer : writers) writer.join();
  ASSERT_EQ(acked.size(), clients.size() * 30) << "every command was acknowledged once";
  // Every acknowledged event is in the log once, at its seq; the record of
  // the surviving instance has them all.
  Participant check(b.port(), facilitator);
  const auto& events = check.hello().events;
  std::map<std::string, std::uint64_t> logged;
  for (const auto& event : events)
    if (event.str("op") == "issue.posted") {
      const auto text = std::string(event.data().at("text").as_string());
      EXPECT_FALSE(logged.contains(text)) << "duplicate: " << text;
      logged[text] = event.seq();
    }
  for (const auto& [text, seq] : acked) EXPECT_EQ(logged[text], seq) << text;
  expect_consecutive(events, 1, events.back().seq(), "log");
  for (std::size_t i = 0; i < clients.size(); ++i) {
    auto& ws = clients[i]->ws();
    ws.wait_event(events.back().seq(), std::chrono::seconds(20));
    // A client that moved saw its events once: no seq twice, none missing.
    std::vector<std::uint64_t> seqs = seen_before[i];
    for (const auto& e : ws.events()) seqs.push_back(e.seq());
    std::sort(seqs.begin(), seqs.end());
    EXPECT_EQ(std::adjacent_find(seqs.begin(), seqs.end()), seqs.end()) << "client " << i;
    EXPECT_EQ(seqs.size(), events.back().seq()) << "client " << i;
  }
}

}  // namespace
}  // namespace renkei::it
