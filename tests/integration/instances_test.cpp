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
#include "writes_through_fault.hpp"

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
// strikes (writes_through_fault.hpp). A client whose connection dies
// connects again to its instance, or to `b` once `a` is gone.
void InstancesTest::run_through(const std::function<void()>& fault, bool a_dies) {
  std::vector<Credentials> who = {facilitator, invite("佐藤"), invite("田中"), invite("鈴木")};
  std::vector<std::unique_ptr<Participant>> clients;
  std::vector<char> on_a;  // one per client, each written by its own writer only
  for (std::size_t i = 0; i < who.size(); ++i) {
    on_a.push_back(i % 2 == 0);
    clients.push_back(std::make_unique<Participant>(on_a[i] ? a.port() : b.port(), who[i]));
  }
  WritesThroughFault run;
  run.clients = &clients;
  run.per_client = 30;
  run.reconnect_port = [&](std::size_t i, bool struck) {
    if (on_a[i] && a_dies && struck) on_a[i] = false;
    return on_a[i] ? a.port() : b.port();
  };
  run.fault = fault;
  run.check_port = b.port();
  run.checker = facilitator;
  write_through_fault(run);
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
