// Process-wide counters, rendered in the Prometheus text format at /metrics.
// Every method is thread-safe (relaxed atomics).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "domain/error.hpp"

namespace renkei::app {

struct MetricsSnapshotInputs {
  std::size_t councils_live = 0;
  std::uint64_t commit_batches = 0;
  std::uint64_t committed_events = 0;
  std::uint64_t commit_failures = 0;
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

  std::int64_t connections() const { return connections_.load(std::memory_order_relaxed); }

  std::string render(const MetricsSnapshotInputs& inputs) const;

 private:
  std::atomic<std::uint64_t> commands_{0};
  std::array<std::atomic<std::uint64_t>, domain::error_code_count> errors_{};
  std::atomic<std::uint64_t> events_{0};
  std::atomic<std::uint64_t> duplicates_{0};
  std::atomic<std::int64_t> connections_{0};
  std::atomic<std::uint64_t> slow_dropped_{0};
};

}  // namespace renkei::app
