#include "app/metrics.hpp"

#include <sstream>

namespace renkei::app {

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
  counter("renkei_slow_clients_dropped_total",
          "Connections closed because their unsent output passed the cap.", slow_dropped_.load());
  return out.str();
}

}  // namespace renkei::app
