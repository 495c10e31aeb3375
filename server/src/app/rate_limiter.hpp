// A token bucket: `rate` commands per second sustained, bursts up to
// `burst`. One per connection, used only on that connection's executor.
#pragma once

#include <chrono>

namespace renkei::app {

class RateLimiter {
 public:
  using clock = std::chrono::steady_clock;

  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst) {}

  // True if one more command may pass at `now` (and takes its token).
  bool allow(clock::time_point now);

 private:
  double rate_;
  double burst_;
  double tokens_;
  clock::time_point last_{};
  bool started_ = false;
};

}  // namespace renkei::app
