// A council in session for the endpoint mode of renkei_signin_bench: its
// members on WebSocket connections (v1 hello with invite tokens), each
// posting issue.post on an open-loop schedule so that together they send
// `rate` commands a second, and every command's ack latency kept with the
// time it was sent, so that the bench can take the acks of any window.
//
// Threading: the connections live on one io_context run by a thread of its
// own (started by connect(), ended by stop()); the other methods are for
// the main thread and are safe while that thread runs. The samples are
// behind a mutex.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../load/load_connection.hpp"
#include "latencies.hpp"

namespace renkei::bench {

struct MemberCredential {
  std::string council;
  std::string token;
};

class CouncilTraffic {
 public:
  struct Counts {
    std::uint64_t sent = 0, acks = 0, errors = 0, unanswered = 0, closed = 0;
  };

  CouncilTraffic(std::uint16_t port, std::vector<MemberCredential> members, double rate);
  ~CouncilTraffic();

  // Connects every member and says hello; returns when all have synced.
  // Throws std::runtime_error on an error or after `limit`.
  void connect(std::chrono::seconds limit);
  // Starts the schedule: member i sends at start + (i / n + k) * n / rate.
  void start();
  // Stops sending, waits (at most `drain`) for the commands in flight,
  // closes the connections and ends the thread.
  void stop(std::chrono::seconds drain);

  // Ack latencies (ms) of the commands sent in [from, to).
  Latencies acks_sent_between(Clock::time_point from, Clock::time_point to) const;
  // Totals so far; `unanswered` counts commands in flight.
  Counts counts() const;
  // The first error reply or failure, "" when none.
  std::string first_error() const;

 private:
  struct Member;
  void pace(Member& m);
  void on_message(Member& m, std::string_view text);
  void send_post(Member& m);
  void fail(const std::string& what);

  struct Sample {
    Clock::time_point sent;
    float ms;
  };

  boost::asio::io_context ioc_{1};
  std::thread thread_;
  std::vector<std::unique_ptr<Member>> members_;
  std::vector<MemberCredential> credentials_;
  Target target_;
  double rate_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> synced_{0}, failed_{0};

  mutable std::mutex mutex_;  // guards everything below
  std::vector<Sample> samples_;
  Counts counts_;
  std::string first_error_;
};

}  // namespace renkei::bench
