// Wall-clock time as the log records it. Injected so tests can fix it.
#pragma once

#include <chrono>
#include <string>

namespace renkei::app {

class Clock {
 public:
  virtual ~Clock() = default;
  // UTC, ISO 8601 with milliseconds: "2026-11-24T10:00:00.123Z". Thread-safe.
  virtual std::string now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::string now() const override;
};

// Formats a system_clock time point as the log does.
std::string format_utc(std::chrono::system_clock::time_point tp);

}  // namespace renkei::app
