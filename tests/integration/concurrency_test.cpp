// Many writers, joins under writes, and resync after a disconnect: every
// client sees every event exactly once, in seq order, without gaps
// (PROTOCOL.md "hello" and "Server to client: event"). Each test runs with
// one I/O thread (the default on two cores) and with three, where
// connections of one council are served by several threads at once.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "test_support.hpp"

namespace renkei::it {
namespace {

// Collects failures from worker threads; the test thread reports them.
class Failures {
 public:
  void add(std::string what) {
    std::lock_guard lock(mutex_);
    list_.push_back(std::move(what));
  }
  void report() {
    std::lock_guard lock(mutex_);
    for (const auto& f : list_) ADD_FAILURE() << f;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> list_;
};

std::vector<std::string> with_threads(int threads, std::vector<std::string> args = {}) {
  args.push_back("--threads");
  args.push_back(std::to_string(threads));
  return args;
}

std::string threads_name(const ::testing::TestParamInfo<int>& info) {
  return std::to_string(info.param) + "IoThreads";
}

class ConcurrencyTest : public IntegrationTest, public ::testing::WithParamInterface<int> {
 protected:
  ConcurrencyTest() : IntegrationTest(with_threads(GetParam())) {}
};

TEST_P(ConcurrencyTest, TwentyClientsPostingConcurrentlySeeEveryEventOnceInOrder) {
  constexpr int member_count = 19;
  constexpr int per_client = 25;
  constexpr std::uint64_t total = (member_count + 1) * per_client;

  std::vector<Invitee> invitees;
  for (int i = 1; i <= member_count; ++i)
    invitees.push_back({"参加者 " + std::to_string(i), "機関 " + std::to_string(i)});
  std::vector<Credentials> who = {facilitator};
  for (const auto& c : members(invitees)) who.push_back(c);
  std::vector<std::unique_ptr<Participant>> clients;
  for (const auto& c : who) clients.push_back(join(c));

  // Each client: its acks, id -> seq.
  std::vector<std::map<std::string, std::uint64_t>> acks(clients.size());
  auto text_of = [](std::size_t client, const std::string& id) {
    return "client " + std::to_string(client) + " " + id;
  };
  Failures failures;
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  for (std::size_t c = 0; c < clients.size(); ++c) {
    threads.emplace_back([&, c] {
      try {
        WsClient& ws = clients[c]->ws();
        ++ready;
        while (ready.load() < static_cast<int>(clients.size())) std::this_thread::yield();
        for (int i = 0; i < per_client; ++i) {
          const std::string id = "c" + std::to_string(c) + "-" + std::to_string(i);
          ws.send_cmd(id, "issue.post", text_args(text_of(c, id)));
        }
        for (int i = 0; i < per_client; ++i) {
          const std::string id = "c" + std::to_string(c) + "-" + std::to_string(i);
          Frame reply = ws.wait_reply(id);
          if (reply.type() != "ack") {
            failures.add("client " + std::to_string(c) + ": " + reply.text);
            continue;
          }
          acks[c][id] = reply.seq();
        }
        ws.wait_event(total);
      } catch (const std::exception& e) {
        failures.add("client " + std::to_string(c) + ": " + e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  failures.report();
  ASSERT_FALSE(HasFailure());

  // A last event after the burst: a duplicate of any earlier one would have
  // arrived before it.
  const std::uint64_t barrier = clients[0]->ok("issue.post", text_args("barrier"));
  ASSERT_EQ(barrier, total + 1);
  const auto& reference = clients[0]->ws().events();
  for (std::size_t c = 0; c < clients.size(); ++c) {
    SCOPED_TRACE("client " + std::to_string(c));
    WsClient& ws = clients[c]->ws();
    ws.wait_event(barrier);
    expect_consecutive(ws.events(), 1, barrier, "client " + std::to_string(c));
    for (std::size_t i = 0; i < ws.events().size(); ++i)
      ASSERT_EQ(ws.events()[i].text, reference[i].text) << "event " << i + 1 << " differs";
    ASSERT_EQ(acks[c].size(), static_cast<std::size_t>(per_client));
    for (const auto& [id, seq] : acks[c]) {
      const Frame& event = ws.events().at(seq - 1);
      EXPECT_EQ(event.by(), who[c].participant) << "ack " << id << " -> seq " << seq;
      EXPECT_EQ(event.data().at("text"), json::value(text_of(c, id))) << "ack " << id;
    }
  }
}

class SyncUnderWritesTest : public IntegrationTest, public ::testing::WithParamInterface<int> {
 protected:
  SyncUnderWritesTest() : IntegrationTest(with_threads(GetParam(), unlimited_rate)) {}
};

TEST_P(SyncUnderWritesTest, JoiningWhileOthersWriteMissesAndRepeatsNothing) {
  auto yamamoto = join(facilitator);
  // More history than one catch-up chunk of the server (1000 events).
  constexpr int history = 2500;
  constexpr int window = 100;
  for (int i = 0; i < history; ++i) {
    yamamoto->ws().send_cmd("h" + std::to_string(i), "issue.post",
                            text_args("履歴 " + std::to_string(i)));
    if (i >= window) {
      ASSERT_EQ(yamamoto->ws().wait_reply("h" + std::to_string(i - window)).type(), "ack");
    }
  }
  for (int i = history - window; i < history; ++i)
    ASSERT_EQ(yamamoto->ws().wait_reply("h" + std::to_string(i)).type(), "ack");

  std::vector<Credentials> writer_credentials = members({{"書き手 0", "機関 0"},
                                                         {"書き手 1", "機関 1"},
                                                         {"書き手 2", "機関 2"},
                                                         {"読み手", "安芸太田町", "observer"}});
  const Credentials reader = writer_credentials.back();
  writer_credentials.pop_back();
  std::vector<std::unique_ptr<Participant>> writers;
  for (const auto& c : writer_credentials) writers.push_back(join(c, history));

  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> highest_ack{history};
  Failures failures;
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < writers.size(); ++w) {
    threads.emplace_back([&, w] {
      try {
        WsClient& ws = writers[w]->ws();
        constexpr int outstanding = 4;
        int sent = 0;
        int answered = 0;
        while (!stop.load() || answered < sent) {
          if (!stop.load() && sent - answered < outstanding) {
            ws.send_cmd("w" + std::to_string(sent), "issue.post",
                        text_args("書き込み " + std::to_string(w) + "-" + std::to_string(sent)));
            ++sent;
            continue;
          }
          Frame reply = ws.wait_reply("w" + std::to_string(answered++));
          if (reply.type() != "ack") {
            failures.add("writer " + std::to_string(w) + ": " + reply.text);
            continue;
          }
          std::uint64_t seen = highest_ack.load();
          while (reply.seq() > seen && !highest_ack.compare_exchange_weak(seen, reply.seq())) {
          }
        }
      } catch (const std::exception& e) {
        failures.add("writer " + std::to_string(w) + ": " + e.what());
      }
    });
  }

  // Clients join while the writers write: from scratch and from the middle.
  struct Joiner {
    std::uint64_t since;
    std::unique_ptr<WsClient> ws;
    HelloResult hello;
  };
  std::vector<Joiner> joiners;
  try {
    for (int j = 0; j < 12; ++j) {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      Joiner joiner;
      joiner.since = j % 2 == 0 ? 0 : highest_ack.load() - 5 * static_cast<std::uint64_t>(j);
      joiner.ws = std::make_unique<WsClient>(server.port());
      joiner.hello = joiner.ws->hello(reader.token, reader.council, joiner.since);
      joiners.push_back(std::move(joiner));
    }
  } catch (const std::exception& e) {
    failures.add(std::string("joiner: ") + e.what());
  }
  stop = true;
  for (auto& t : threads) t.join();
  failures.report();
  ASSERT_FALSE(HasFailure());

  const std::uint64_t last = yamamoto->ok("issue.post", text_args("barrier"));
  const auto& reference = yamamoto->ws().events();  // 1..last, live
  ASSERT_EQ(reference.size(), last);
  EXPECT_GT(last, static_cast<std::uint64_t>(history) + 30) << "the writers hardly wrote";
  int joined_mid_write = 0;
  for (std::size_t j = 0; j < joiners.size(); ++j) {
    SCOPED_TRACE("joiner " + std::to_string(j) + " since " + std::to_string(joiners[j].since));
    Joiner& joiner = joiners[j];
    const std::uint64_t welcome_head = joiner.hello.welcome.num("head");
    const std::uint64_t synced_head = joiner.hello.synced.num("head");
    EXPECT_GE(synced_head, welcome_head);
    if (joiner.hello.events.empty()) {
      EXPECT_EQ(synced_head, joiner.since);
    } else {
      EXPECT_EQ(synced_head, joiner.hello.events.back().seq())
          << "synced.head is not the last event sent before it";
    }
    joined_mid_write += synced_head > welcome_head;
    joiner.ws->wait_event(last);
    expect_consecutive(joiner.ws->events(), joiner.since + 1, last, "joiner");
    for (const Frame& event : joiner.ws->events())
      ASSERT_EQ(event.text, reference.at(event.seq() - 1).text) << "event " << event.seq();
  }
  // Informational: how often the boundary was actually exercised.
  std::cout << "[          ] " << joined_mid_write << " of " << joiners.size()
            << " joiners had events arrive between welcome and synced\n";
}

TEST_P(ConcurrencyTest, ReconnectWithSinceGetsExactlyTheMissedEvents) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  const Credentials tanaka_c = member("田中 浩二", "坂町");
  auto yamamoto = join(facilitator);
  auto sato = join(sato_c);
  auto tanaka = join(tanaka_c);
  for (int i = 0; i < 3; ++i) yamamoto->ok("issue.post", text_args("前 " + std::to_string(i)));
  tanaka->ws().wait_event(3);

  for (bool graceful : {false, true}) {
    SCOPED_TRACE(graceful ? "graceful close" : "abrupt disconnect");
    const std::uint64_t seen = tanaka->ws().last_seq();
    if (graceful) tanaka->ws().close();
    // Others write while it is away.
    std::uint64_t last = 0;
    for (int i = 0; i < 5; ++i) {
      yamamoto->ok("issue.post", text_args("留守中 F " + std::to_string(i)));
      last = sato->ok("issue.post", text_args("留守中 M " + std::to_string(i)));
    }
    tanaka->reconnect(server.port(), seen);
    const HelloResult& hello = tanaka->hello();
    EXPECT_EQ(hello.welcome.num("head"), last);
    expect_consecutive(hello.events, seen + 1, last, "catch-up");
    for (const Frame& event : hello.events) EXPECT_EQ(event.text, sato->event(event.seq()).text);
    EXPECT_EQ(hello.synced.num("head"), last);

    // And live again, once.
    const std::uint64_t next = sato->ok("issue.post", text_args("戻った後"));
    EXPECT_EQ(tanaka->event(next).data().at("text"), json::value("戻った後"));
    EXPECT_EQ(tanaka->ok("issue.post", text_args("ただいま")), next + 1);
    expect_consecutive(tanaka->ws().events(), seen + 1, next + 1, "after reconnect");
  }
}

// A command written right behind the hello, before the welcome came back,
// arrives while the server has stopped reading to authenticate the hello.
// It must be answered without the client sending anything more (the bytes
// were announced once, while no read was waiting for them).
TEST_P(ConcurrencyTest, CommandsSentRightBehindTheHelloAreAnswered) {
  constexpr int clients = 8;
  constexpr int rounds = 15;
  Failures failures;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      try {
        for (int r = 0; r < rounds; ++r) {
          WsClient ws(server.port());
          ws.send(json::object{{"type", "hello"},
                               {"token", facilitator.token},
                               {"council", facilitator.council},
                               {"since", 0}});
          if (r % 3 == 1) std::this_thread::sleep_for(std::chrono::microseconds(200 * c));
          const std::string id = "r" + std::to_string(c) + "-" + std::to_string(r);
          ws.send_cmd(id, "issue.post", text_args("認証中に送信 " + id));
          const Frame reply = ws.wait_reply(id, std::chrono::seconds(10));
          if (reply.type() != "ack") failures.add(id + ": " + reply.text);
          ws.close();
        }
      } catch (const std::exception& e) {
        failures.add("client " + std::to_string(c) + ": " + e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  failures.report();
}

INSTANTIATE_TEST_SUITE_P(IoThreads, ConcurrencyTest, ::testing::Values(1, 3), threads_name);
INSTANTIATE_TEST_SUITE_P(IoThreads, SyncUnderWritesTest, ::testing::Values(1, 3), threads_name);

}  // namespace
}  // namespace renkei::it
