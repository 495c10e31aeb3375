#include "app/rate_limiter.hpp"

#include <algorithm>

namespace renkei::app {

bool RateLimiter::allow(clock::time_point now) {
  if (rate_ <= 0) return true;  // disabled
  if (started_) {
    const std::chrono::duration<double> elapsed = now - last_;
    tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
  }
  started_ = true;
  last_ = now;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace renkei::app
