// Crash safety under fire (STORAGE.md "Writing", "Recovery"): ten clients
// write while the server is SIGKILLed twenty times at random moments. Each
// client keeps every acknowledged (id, seq) and resends its unanswered
// commands with the same ids after each restart. In the end no acknowledged
// event is lost or moved, no command is applied twice, seqs have no gaps,
// and the database passes integrity_check after every crash.
#include <atomic>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

using Clock = std::chrono::steady_clock;

class CrashSafetyTest : public IntegrationTest {
 protected:
  CrashSafetyTest() : IntegrationTest(unlimited_rate) {}
};

struct Writer {
  Credentials who;
  int sent = 0;                        // commands 0..sent-1 were sent at least once
  std::map<int, std::uint64_t> acked;  // command -> seq
  int resent = 0;                      // commands sent again after a reconnect or internal
  int connections = 0;
  std::string failure;

  std::string id(int i) const { return "w-" + who.participant + "-" + std::to_string(i); }
  std::string text(int i) const { return "書き込み " + who.participant + " #" + std::to_string(i); }
};

TEST_F(CrashSafetyTest, TwentySigkillsWhileTenClientsWriteLoseAndDuplicateNothing) {
  constexpr int writer_count = 10;
  constexpr int kills = 20;
  constexpr std::size_t window = 4;
  constexpr std::uint64_t far_future = 1ull << 50;  // since: treated as the head

  std::vector<Invitee> invitees;
  for (int i = 1; i < writer_count; ++i)
    invitees.push_back({"書き手 " + std::to_string(i), "機関 " + std::to_string(i)});
  std::vector<Writer> writers(writer_count);
  writers[0].who = facilitator;
  {
    auto invited = members(invitees);
    for (int i = 1; i < writer_count; ++i) writers[i].who = invited[i - 1];
  }

  std::atomic<std::uint16_t> port{server.port()};
  std::atomic<bool> stop_sending{false};
  const auto deadline = Clock::now() + std::chrono::seconds(100);

  auto run_writer = [&](Writer& w) {
    std::set<int> unanswered;  // sent, not acknowledged
    while (Clock::now() < deadline) {
      if (stop_sending.load() && unanswered.empty()) return;
      std::unique_ptr<WsClient> ws;
      try {
        ws = std::make_unique<WsClient>(port.load(), WsClient::Headers{}, Millis(2000));
        ws->hello(w.who.token, w.who.council, far_future);
        ++w.connections;
      } catch (const std::runtime_error&) {
        std::this_thread::sleep_for(Millis(10));
        continue;
      }
      try {
        std::deque<int> in_flight;
        for (int i : unanswered) {  // same ids, same texts
          ws->send_cmd(w.id(i), "issue.post", text_args(w.text(i)));
          in_flight.push_back(i);
          ++w.resent;
        }
        for (;;) {
          while (in_flight.size() < window && !stop_sending.load()) {
            const int i = w.sent++;
            unanswered.insert(i);
            ws->send_cmd(w.id(i), "issue.post", text_args(w.text(i)));
            in_flight.push_back(i);
          }
          if (in_flight.empty()) return;  // stopped, and everything answered
          const int i = in_flight.front();
          Frame reply = ws->wait_reply(w.id(i), Millis(5000));
          in_flight.pop_front();
          if (reply.type() == "ack") {
            auto [it, inserted] = w.acked.emplace(i, reply.seq());
            if (!inserted && it->second != reply.seq())
              w.failure += w.id(i) + " acked as " + std::to_string(it->second) + " and then as " +
                           std::to_string(reply.seq()) + "\n";
            unanswered.erase(i);
          } else if (reply.str("code") == "internal") {
            // Not stored: retry with the same id.
            ws->send_cmd(w.id(i), "issue.post", text_args(w.text(i)));
            in_flight.push_back(i);
            ++w.resent;
          } else {
            w.failure += "unexpected reply: " + reply.text + "\n";
            unanswered.erase(i);
          }
        }
      } catch (const std::runtime_error&) {
        // The server went away: reconnect and resend what is unanswered.
      }
    }
    w.failure += "did not finish in time; " + std::to_string(unanswered.size()) + " unanswered\n";
  };

  std::vector<std::thread> threads;
  for (auto& w : writers) threads.emplace_back([&] { run_writer(w); });

  std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> delay_ms(50, 400);
  const auto started = Clock::now();
  std::vector<std::string> integrity;
  for (int k = 0; k < kills; ++k) {
    std::this_thread::sleep_for(Millis(delay_ms(random)));
    server.kill();
    integrity.push_back(integrity_check(server.db()));
    server.start();
    port = server.port();
  }
  std::this_thread::sleep_for(Millis(300));
  stop_sending = true;
  for (auto& t : threads) t.join();
  std::cout << "[          ] " << kills << " SIGKILLs in "
            << std::chrono::duration_cast<Millis>(Clock::now() - started).count() << " ms\n";

  for (int k = 0; k < kills; ++k) EXPECT_EQ(integrity[k], "ok") << "after SIGKILL " << k + 1;
  std::size_t total_sent = 0, total_resent = 0;
  for (const Writer& w : writers) {
    SCOPED_TRACE("writer " + w.who.participant);
    EXPECT_EQ(w.failure, "");
    EXPECT_EQ(w.acked.size(), static_cast<std::size_t>(w.sent)) << "every command acknowledged";
    EXPECT_GE(w.connections, 2) << "the writer never lived through a crash";
    total_sent += static_cast<std::size_t>(w.sent);
    total_resent += static_cast<std::size_t>(w.resent);
  }
  std::cout << "[          ] " << total_sent << " commands, " << total_resent
            << " sent again after a crash\n";
  EXPECT_GT(total_resent, 0u) << "no command was ever in flight at a crash";

  // The log: seqs 1..N, each command exactly once, each ack where it said.
  WsClient reader(server.port());
  HelloResult hello = reader.hello(facilitator.token, facilitator.council, 0);
  const std::uint64_t head = hello.synced.num("head");
  expect_consecutive(hello.events, 1, head, "after 20 crashes");
  EXPECT_EQ(head, total_sent) << "events that no command of the writers explains, or lost";
  std::map<std::string, std::vector<std::uint64_t>> seqs_of_text;
  for (const Frame& event : hello.events)
    seqs_of_text[std::string(event.data().at("text").as_string())].push_back(event.seq());
  for (const Writer& w : writers) {
    for (const auto& [i, seq] : w.acked) {
      const auto& seqs = seqs_of_text[w.text(i)];
      ASSERT_EQ(seqs.size(), 1u) << w.text(i) << " is in the log " << seqs.size() << " times";
      EXPECT_EQ(seqs[0], seq) << w.id(i) << " was acknowledged with another seq";
      ASSERT_LE(seq, head);
      EXPECT_EQ(hello.events[seq - 1].by(), w.who.participant);
    }
  }
  ASSERT_EQ(server.stop(), 0) << server.log();
  EXPECT_EQ(integrity_check(server.db()), "ok");
}

}  // namespace
}  // namespace renkei::it
