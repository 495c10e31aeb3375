#include "app/metrics.hpp"

#include <sstream>

namespace renkei::app {

template <std::size_t N>
void Histogram<N>::render(std::ostream& out, const char* name, const char* help) const {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < N; ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    out << name << "_bucket{le=\"" << bounds_[i] << "\"} " << cumulative << '\n';
  }
  cumulative += counts_[N].load(std::memory_order_relaxed);
  out << name << "_bucket{le=\"+Inf\"} " << cumulative << '\n'
      << name << "_sum " << sum_.load(std::memory_order_relaxed) << '\n'
      << name << "_count " << cumulative << '\n';
}

std::string Metrics::render(const MetricsSnapshotInputs& inputs) const {
  std::ostringstream out;
  auto gauge = [&](const char* name, const char* help, auto value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " gauge\n"
        << name << ' ' << value << '\n';
  };
  auto counter = [&](const char* name, const char* help, auto value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " counter\n"
        << name << ' ' << value << '\n';
  };
  gauge("renkei_connections", "Open WebSocket connections.", connections());
  gauge("renkei_councils_live", "Councils loaded in memory.", inputs.councils_live);
  counter("renkei_commands_total", "Commands received.", commands_.load());
  counter("renkei_events_total", "Events committed and broadcast.", events_.load());
  counter("renkei_duplicate_commands_total", "Commands answered from the idempotency record.",
          duplicates_.load());
  out << "# HELP renkei_errors_total Error replies by code.\n# TYPE renkei_errors_total counter\n";
  for (int i = 0; i < domain::error_code_count; ++i) {
    out << "renkei_errors_total{code=\"" << domain::to_string(static_cast<domain::ErrorCode>(i))
        << "\"} " << errors_[static_cast<std::size_t>(i)].load() << '\n';
  }
  counter("renkei_commit_batches_total", "Group-commit transactions.", inputs.commit_batches);
  counter("renkei_committed_events_total", "Events written by the group-commit writer.",
          inputs.committed_events);
  counter("renkei_commit_failures_total", "Failed group-commit transactions.",
          inputs.commit_failures);
  out << "# HELP renkei_wal_checkpoints_total WAL checkpoints: by the writer's checkpoint thread "
         "beside the commits (background), or by the writer itself between two commits before "
         "the WAL restarts (writer).\n# TYPE renkei_wal_checkpoints_total counter\n"
      << "renkei_wal_checkpoints_total{by=\"background\"} " << inputs.background_checkpoints
      << "\nrenkei_wal_checkpoints_total{by=\"writer\"} " << inputs.writer_checkpoints << '\n';
  counter("renkei_writer_checkpoint_seconds_total",
          "Time the writer spent in its own checkpoints (no commit runs meanwhile).",
          inputs.writer_checkpoint_seconds);
  counter("renkei_wal_pages_written_total",
          "Pages the group-commit writer wrote to the WAL, one frame each (per committed event: "
          "the log's write amplification).",
          inputs.wal_pages);
  commit_batch_size_.render(out, "renkei_commit_batch_size",
                            "Events per group-commit transaction.");
  commit_seconds_.render(
      out, "renkei_commit_seconds",
      "Group-commit transaction time, BEGIN to the end of COMMIT (its fsync included).");
  ack_seconds_.render(out, "renkei_ack_seconds",
                      "Accepted command, from its decision to its ack queued (the wait for "
                      "the group commit included).");
  gauge("renkei_fanout_queue_frames",
        "Frames queued for WebSocket clients and not yet written, all connections.",
        queued_frames_.load(std::memory_order_relaxed));
  gauge("renkei_fanout_queue_bytes", "Bytes of the queued frames, all connections.",
        queued_bytes_.load(std::memory_order_relaxed));
  counter("renkei_slow_clients_dropped_total",
          "Connections closed because their unsent output passed the cap.", slow_dropped_.load());
  return out.str();
}

}  // namespace renkei::app
