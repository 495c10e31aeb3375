// Process-wide counters, gauges and histograms, rendered in the Prometheus
// text format at /metrics. Every method is thread-safe (relaxed atomics).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include "domain/error.hpp"

namespace renkei::app {

struct MetricsSnapshotInputs {
  std::size_t councils_live = 0;
  std::uint64_t commit_batches = 0;
  std::uint64_t committed_events = 0;
  std::uint64_t commit_failures = 0;
  std::uint64_t background_checkpoints = 0;  // store::WriterStats::checkpoints
  std::uint64_t writer_checkpoints = 0;
  double writer_checkpoint_seconds = 0;
  std::uint64_t wal_pages = 0;  // store::WriterStats::wal_pages
};

// A Prometheus histogram with fixed upper bounds (`le`), cumulative on
// rendering. Observations are lock-free.
template <std::size_t N>
class Histogram {
 public:
  explicit constexpr Histogram(const std::array<double, N>& bounds) : bounds_(bounds) {}

  void observe(double value) {
    std::size_t i = 0;
    while (i < N && value > bounds_[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
  }

  void render(std::ostream& out, const char* name, const char* help) const;

 private:
  std::array<double, N> bounds_;
  std::array<std::atomic<std::uint64_t>, N + 1> counts_{};  // last: above every bound
  std::atomic<double> sum_{0};
};

class Metrics {
 public:
  void count_command() { commands_.fetch_add(1, std::memory_order_relaxed); }
  void count_error(domain::ErrorCode code) {
    errors_[static_cast<std::size_t>(code)].fetch_add(1, std::memory_order_relaxed);
  }
  void count_events(std::size_t n) { events_.fetch_add(n, std::memory_order_relaxed); }
  void count_duplicate() { duplicates_.fetch_add(1, std::memory_order_relaxed); }
  void connection_opened() { connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { connections_.fetch_sub(1, std::memory_order_relaxed); }
  void slow_client_dropped() { slow_dropped_.fetch_add(1, std::memory_order_relaxed); }

  // One group-commit transaction of `events` events (and audit rows) that
  // took `latency` from BEGIN to the end of COMMIT (called by the writer
  // thread through its observer).
  void observe_commit(std::size_t events, std::chrono::nanoseconds latency) {
    commit_batch_size_.observe(static_cast<double>(events));
    commit_seconds_.observe(std::chrono::duration<double>(latency).count());
  }

  // One accepted command, from its decision to its ack being queued to the
  // connection: the wait for the group commit and the fsync included.
  void observe_ack(std::chrono::nanoseconds latency) {
    ack_seconds_.observe(std::chrono::duration<double>(latency).count());
  }

  // Fan-out queues: frames (and their bytes) waiting to be written to
  // WebSocket clients, summed over connections. Sessions add when they queue
  // and subtract when a write completes or the queue is dropped.
  void queue_grew(std::size_t frames, std::size_t bytes) {
    queued_frames_.fetch_add(static_cast<std::int64_t>(frames), std::memory_order_relaxed);
    queued_bytes_.fetch_add(static_cast<std::int64_t>(bytes), std::memory_order_relaxed);
  }
  void queue_shrank(std::size_t frames, std::size_t bytes) {
    queued_frames_.fetch_sub(static_cast<std::int64_t>(frames), std::memory_order_relaxed);
    queued_bytes_.fetch_sub(static_cast<std::int64_t>(bytes), std::memory_order_relaxed);
  }

  std::int64_t connections() const { return connections_.load(std::memory_order_relaxed); }

  std::string render(const MetricsSnapshotInputs& inputs) const;

 private:
  std::atomic<std::uint64_t> commands_{0};
  std::array<std::atomic<std::uint64_t>, domain::error_code_count> errors_{};
  std::atomic<std::uint64_t> events_{0};
  std::atomic<std::uint64_t> duplicates_{0};
  std::atomic<std::int64_t> connections_{0};
  std::atomic<std::uint64_t> slow_dropped_{0};
  std::atomic<std::int64_t> queued_frames_{0};
  std::atomic<std::int64_t> queued_bytes_{0};
  Histogram<13> commit_batch_size_{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096}};
  static constexpr std::array<double, 12> latency_bounds{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
  Histogram<12> commit_seconds_{latency_bounds};
  Histogram<12> ack_seconds_{latency_bounds};
};

}  // namespace renkei::app
