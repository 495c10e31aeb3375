// Throttles password guessing (docs/PEOPLE.md "Sign-in"): failures are
// counted per login and per client address in sliding windows (by default
// 5 per login and 20 per address within 15 minutes); past either limit a
// sign-in is refused with 429 `rate_limited` and `Retry-After`: the
// seconds until the oldest failure that keeps it blocked leaves the window.
//
// A sign-in goes: check() → (hash on the pool) → record_failure() or
// record_success(). check() also counts the attempt as pending until its
// outcome is recorded (or `pending_timeout` passes), so that a burst of
// concurrent guesses cannot all pass check() before the first failure is
// recorded: failures + pending may not exceed the limit. An attempt that
// ends without a verdict (the hash pool was full) calls abandon().
//
// Logins are compared without ASCII case. record_success() clears the
// login's failures, not the address's (one good password must not hide
// twenty guesses from that address at other logins).
//
// In memory only (a restart forgets), bounded: each key holds at most its
// limit of timestamps, and each of the two maps at most `max_keys` keys;
// a new key beyond that evicts the least recently touched one (keys whose
// window has passed go first). Thread-safe: one mutex, O(1) work per call
// apart from those evictions.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace renkei::app::auth {

struct ThrottleLimits {
  std::size_t failures_per_login = 5;
  std::size_t failures_per_address = 20;
  std::chrono::seconds window{15 * 60};
  // How long a checked attempt counts while its hash runs (far longer than
  // a queued hash can take).
  std::chrono::seconds pending_timeout{60};
  std::size_t max_keys = 50000;  // per map (logins, addresses)
};

class SignInThrottle {
 public:
  using clock = std::chrono::steady_clock;

  struct Verdict {
    bool allowed;
    std::chrono::seconds retry_after;  // 0 when allowed, else >= 1
  };

  explicit SignInThrottle(ThrottleLimits limits = {});

  // Whether a sign-in for `login` from `address` may be tried at `now`;
  // if so it counts as pending until one of the calls below.
  Verdict check(std::string_view login, std::string_view address, clock::time_point now);

  // The attempt's password (or code) was wrong, or the login unknown.
  void record_failure(std::string_view login, std::string_view address, clock::time_point now);

  // The attempt succeeded: the login's failures are forgotten.
  void record_success(std::string_view login, std::string_view address, clock::time_point now);

  // The attempt ended without a verdict: only its pending mark goes.
  void abandon(std::string_view login, std::string_view address, clock::time_point now);

  const ThrottleLimits& limits() const { return limits_; }

  // Keys held now (for tests and metrics).
  std::size_t login_keys() const;
  std::size_t address_keys() const;

 private:
  struct Entry {
    std::deque<clock::time_point> failures;  // oldest first, at most the limit
    std::deque<clock::time_point> pending;   // checked, not yet recorded
    clock::time_point touched{};
    std::list<std::string>::iterator order;  // position in Counters::lru
  };
  struct Counters {
    std::size_t limit;
    std::unordered_map<std::string, Entry> entries;
    std::list<std::string> lru;  // least recently touched first
  };

  Entry* find(Counters& counters, const std::string& key, clock::time_point now);
  Entry& get(Counters& counters, const std::string& key, clock::time_point now);
  void expire(Entry& entry, clock::time_point now) const;
  void erase_if_idle(Counters& counters, const std::string& key, clock::time_point now);
  std::chrono::seconds wait_for(Counters& counters, const std::string& key, clock::time_point now);
  static void pop_pending(Entry* entry);

  const ThrottleLimits limits_;
  mutable std::mutex mutex_;
  Counters logins_;
  Counters addresses_;
};

}  // namespace renkei::app::auth
