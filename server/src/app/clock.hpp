// Wall-clock time as the log records it. Injected so tests can fix it.
#pragma once

#include <chrono>
#include <string>

namespace renkei::app {

// Formats a system_clock time point as the log does:
// UTC, ISO 8601 with milliseconds, "2026-11-24T10:00:00.123Z". Strings in
// this format compare in time order.
std::string format_utc(std::chrono::system_clock::time_point tp);

class Clock;
// The day it is now in Japan (JST), "YYYY-MM-DD": due dates compare with it.
std::string today_jst(const Clock& clock);

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual std::chrono::system_clock::time_point time() const = 0;
  std::string now() const { return format_utc(time()); }
  // The time `ago` before now, formatted (for timeouts stored as strings).
  std::string before(std::chrono::seconds ago) const { return format_utc(time() - ago); }
  std::string after(std::chrono::seconds later) const { return format_utc(time() + later); }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point time() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace renkei::app
