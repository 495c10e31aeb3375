#include "writes_through_fault.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

namespace renkei::it {

WritesThroughFaultOutcome write_through_fault(const WritesThroughFault& run) {
  auto& clients = *run.clients;
  const std::size_t total = clients.size() * static_cast<std::size_t>(run.per_client);
  std::atomic<bool> struck{false};
  std::mutex acked_mutex;
  std::map<std::string, std::uint64_t> acked;  // text -> seq
  // The seqs each client received on connections it has left.
  std::vector<std::vector<std::uint64_t>> seen_before(clients.size());
  std::vector<std::thread> writers;
  for (std::size_t i = 0; i < clients.size(); ++i)
    writers.emplace_back([&, i] {
      Participant& c = *clients[i];
      for (int k = 0; k < run.per_client; ++k) {
        const std::string text = c.id() + " の課題 " + std::to_string(k);
        const std::string id = run.id_prefix + std::to_string(i) + "-" + std::to_string(k);
        // Sent again with the same id until acknowledged, for at most 30 s.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < give_up) {
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
            // The connection died: connect again from the last event seen,
            // same command id.
            for (const auto& e : c->events()) seen_before[i].push_back(e.seq());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            try {
              c.reconnect(run.reconnect_port(i, struck.load()), c->last_seq());
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
  run.fault();
  for (auto& writer : writers) writer.join();

  WritesThroughFaultOutcome outcome;
  for (const auto& seen : seen_before) outcome.reconnected.push_back(!seen.empty());
  EXPECT_EQ(acked.size(), total) << "every command was acknowledged once";
  if (run.expect_mid_way) {
    EXPECT_GT(acked_before, 0u);
    EXPECT_LT(acked_before, total) << "the fault came while the clients wrote";
  }
  // Every acknowledged event is in the log once, at its seq.
  Participant check(run.check_port, run.checker);
  const auto& events = check.hello().events;
  if (events.empty()) {
    ADD_FAILURE() << "the log is empty";
    return outcome;
  }
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
      clients[i]->reconnect(run.check_port, clients[i]->ws().last_seq());
      clients[i]->ws().wait_event(events.back().seq(), std::chrono::seconds(20));
    }
    // No seq twice, none missing, across the connections it had.
    std::vector<std::uint64_t> seqs = seen_before[i];
    for (const auto& e : clients[i]->ws().events()) seqs.push_back(e.seq());
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    EXPECT_EQ(seqs.size(), events.back().seq()) << "client " << i;
  }
  return outcome;
}

}  // namespace renkei::it
