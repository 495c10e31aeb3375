// Several instances on one PostgreSQL database (POSTGRES.md): members of
// one meeting connected to different instances see every event exactly
// once, in seq order, without a gap; commands decided on both instances at
// once never fork the log; a command id stays idempotent whichever
// instance a retry reaches; an instance killed under load loses nothing
// acknowledged, and its clients resync on the other. Always on PostgreSQL
// (a private cluster, tests/support/pg_cluster.hpp).
#include <algorithm>
#include <atomic>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "pg_cluster.hpp"
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

  void run_through(const std::function<void()>& fault, bool a_dies);

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

// The participants the last presence frame `ws` received lists (reading
// what has come for up to `wait`, until `expected` is listed).
std::set<std::string> presence_of(WsClient& ws, const std::set<std::string>& expected,
                                  std::chrono::milliseconds wait) {
  std::set<std::string> last;
  const auto until = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < until) {
    ws.pump(std::chrono::milliseconds(100));
    for (const Frame& frame : ws.ignored()) {
      if (frame.type() != "presence") continue;
      last.clear();
      if (const json::value* connected = frame.json.if_contains("connected"))
        for (const json::value& p : connected->as_array())
          last.insert(std::string(p.at("participant").as_string()));
    }
    if (last == expected) break;
  }
  return last;
}

TEST_F(InstancesTest, PresenceShowsEveryoneConnectedToAnyInstance) {
  const auto sato = invite("佐藤");
  const auto tanaka = invite("田中");
  Participant on_a(a.port(), facilitator);
  Participant also_on_a(a.port(), sato);
  Participant on_b(b.port(), tanaka);
  const std::set<std::string> everyone = {facilitator.participant, sato.participant,
                                          tanaka.participant};
  EXPECT_EQ(presence_of(on_a.ws(), everyone, std::chrono::seconds(10)), everyone);
  EXPECT_EQ(presence_of(on_b.ws(), everyone, std::chrono::seconds(10)), everyone);
  // Leaving on one instance shows on the other.
  also_on_a->close();
  const std::set<std::string> left = {facilitator.participant, tanaka.participant};
  EXPECT_EQ(presence_of(on_b.ws(), left, std::chrono::seconds(10)), left);
}

TEST_F(InstancesTest, SignInFailuresCountOnEveryInstance) {
  // Five failures per login within 15 minutes (PEOPLE.md "Sign-in"), made
  // on two instances: the sixth attempt is refused on either.
  auto attempt = [](const ServerProcess& server) {
    return http_request(server.port(), boost::beast::http::verb::post, "/api/sign-in",
                        {{"Content-Type", "application/json"},
                         {"Origin", "http://127.0.0.1:" + std::to_string(server.port())}},
                        R"({"login":"kobayashi","password":"wrong password"})");
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(attempt(a).result_int(), 401);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(attempt(b).result_int(), 401);
  // The failures reach the database through each instance's writer.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto refused = attempt(a);
  EXPECT_EQ(refused.result_int(), 429) << refused.body();
  EXPECT_FALSE(std::string(refused["Retry-After"]).empty());
  EXPECT_EQ(attempt(b).result_int(), 429);
}

// Four clients, two on each instance, post 30 issues each while `fault`
// strikes after 300 ms. A command without an ack is sent again with the
// same id (on the other instance once `a` is gone). Then: every command was
// acknowledged once, every acknowledged event is in the log once at its
// seq, the log has no gap, and every client saw every seq once.
void InstancesTest::run_through(const std::function<void()>& fault, bool a_dies) {
  std::vector<Credentials> who = {facilitator, invite("佐藤"), invite("田中"), invite("鈴木")};
  std::vector<std::unique_ptr<Participant>> clients;
  for (std::size_t i = 0; i < who.size(); ++i)
    clients.push_back(std::make_unique<Participant>(i % 2 == 0 ? a.port() : b.port(), who[i]));
  std::atomic<bool> struck{false};
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
        // Sent again with the same id until acknowledged (as the client
        // does), for at most 30 s.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        for (int attempt = 0; std::chrono::steady_clock::now() < give_up; ++attempt) {
          try {
            auto reply = c->command(id, "issue.post", {{"text", text}}, std::chrono::seconds(5));
            if (reply.type() == "ack") {
              std::lock_guard lock(acked_mutex);
              acked[text] = reply.seq();
              // A steady pace, so that the fault strikes mid-way.
              std::this_thread::sleep_for(std::chrono::milliseconds(15));
              break;
            }
            // internal (the database went away mid-commit) or rate_limited:
            // the same id again, a little later.
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
          } catch (const std::exception&) {
            // The connection died: connect again (to the other instance
            // when `a` is gone), from the last event seen, same command id.
            for (const auto& e : c->events()) seen_before[i].push_back(e.seq());
            const bool move = on_a && a_dies && struck;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            try {
              c.reconnect(move || !on_a ? b.port() : a.port(), c->last_seq());
              if (move) on_a = false;
            } catch (const std::exception&) {
            }
          }
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::size_t acked_before = 0;
  {
    std::lock_guard lock(acked_mutex);
    acked_before = acked.size();
  }
  struck = true;
  fault();
  for (auto& writer : writers) writer.join();
  ASSERT_EQ(acked.size(), clients.size() * 30) << "every command was acknowledged once";
  EXPECT_GT(acked_before, 0u);
  EXPECT_LT(acked_before, clients.size() * 30) << "the fault came while the clients wrote";
  // Every acknowledged event is in the log once, at its seq.
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
    try {
      clients[i]->ws().wait_event(events.back().seq(), std::chrono::seconds(20));
    } catch (const std::exception&) {
      // Its instance died after its last command: it connects again, as
      // a client does, and catches up from what it saw.
      for (const auto& e : clients[i]->ws().events()) seen_before[i].push_back(e.seq());
      clients[i]->reconnect(b.port(), clients[i]->ws().last_seq());
      clients[i]->ws().wait_event(events.back().seq(), std::chrono::seconds(20));
    }
    auto& ws = clients[i]->ws();
    // No seq twice, none missing, across the connections it had.
    std::vector<std::uint64_t> seqs = seen_before[i];
    for (const auto& e : ws.events()) seqs.push_back(e.seq());
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    EXPECT_EQ(seqs.size(), events.back().seq()) << "client " << i;
  }
}

TEST_F(InstancesTest, AnInstanceKilledUnderLoadLosesNothingAndItsClientsResyncOnTheOther) {
  run_through([&] { a.kill(); }, true);
}

TEST_F(InstancesTest, APostgresqlRestartUnderLoadLosesNothingAcknowledged) {
  // pg_ctl stop -m immediate: what a crash of the database server leaves.
  run_through([] { renkei::testing::PgCluster::shared().restart_immediate(); }, false);
  EXPECT_TRUE(a.running() && b.running()) << "the instances outlive the database's restart";
}

TEST_F(InstancesTest, TerminatedDatabaseConnectionsLoseNothingAcknowledged) {
  const std::string db = a.db().substr(std::string("postgresql:///").size(),
                                       a.db().find('?') - std::string("postgresql:///").size());
  run_through([&] { EXPECT_GT(renkei::testing::PgCluster::shared().terminate_backends(db), 0); },
              false);
  EXPECT_TRUE(a.running() && b.running());
}

}  // namespace
}  // namespace renkei::it
