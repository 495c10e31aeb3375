// The sign-in throttle, with an injected clock.
#include "app/auth/sign_in_throttle.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace renkei::app::auth {
namespace {

using namespace std::chrono_literals;
using Clock = SignInThrottle::clock;

// One failed attempt: check, then record the failure.
bool fail_once(SignInThrottle& t, std::string_view login, std::string_view address,
               Clock::time_point now) {
  const auto verdict = t.check(login, address, now);
  if (verdict.allowed) t.record_failure(login, address, now);
  return verdict.allowed;
}

TEST(SignInThrottle, FiveFailuresPerLoginThenRetryAfterTheWindow) {
  SignInThrottle t;
  const auto t0 = Clock::time_point{} + 1000h;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(fail_once(t, "tanaka", "10.0.0.1", t0 + i * 1min));
  auto verdict = t.check("tanaka", "10.0.0.2", t0 + 5min);  // another address too
  EXPECT_FALSE(verdict.allowed);
  // The first failure (t0) leaves the 15-minute window at t0 + 15 min.
  EXPECT_EQ(verdict.retry_after, 10min);
  verdict = t.check("TANAKA", "10.0.0.1", t0 + 15min - 1s);  // logins ignore ASCII case
  EXPECT_FALSE(verdict.allowed);
  EXPECT_EQ(verdict.retry_after, 1s);
  // Sliding: one failure left the window, one attempt more is allowed.
  EXPECT_TRUE(fail_once(t, "tanaka", "10.0.0.1", t0 + 15min));
  verdict = t.check("tanaka", "10.0.0.1", t0 + 15min);
  EXPECT_FALSE(verdict.allowed);
  EXPECT_EQ(verdict.retry_after, 1min);  // until t0 + 1 min leaves
  // Another login is not affected.
  EXPECT_TRUE(t.check("suzuki", "10.0.0.3", t0 + 5min).allowed);
}

TEST(SignInThrottle, TwentyFailuresPerAddressAcrossLogins) {
  SignInThrottle t;
  const auto t0 = Clock::time_point{} + 1000h;
  for (int i = 0; i < 20; ++i)
    EXPECT_TRUE(fail_once(t, "user" + std::to_string(i), "192.0.2.7", t0 + i * 10s));
  auto verdict = t.check("someone-else", "192.0.2.7", t0 + 200s);
  EXPECT_FALSE(verdict.allowed);
  EXPECT_EQ(verdict.retry_after, 15min - 200s);
  EXPECT_TRUE(t.check("someone-else", "192.0.2.8", t0 + 200s).allowed);
  EXPECT_TRUE(t.check("someone-else", "192.0.2.7", t0 + 15min).allowed);
}

TEST(SignInThrottle, SuccessClearsTheLoginNotTheAddress) {
  ThrottleLimits limits;
  limits.failures_per_address = 6;
  SignInThrottle t(limits);
  const auto t0 = Clock::time_point{} + 1000h;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(fail_once(t, "tanaka", "10.0.0.1", t0));
  ASSERT_TRUE(t.check("tanaka", "10.0.0.1", t0).allowed);
  t.record_success("tanaka", "10.0.0.1", t0);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(t.check("tanaka", "10.0.0.2", t0).allowed) << i;
  // The address keeps its four failures: two more and it is blocked.
  EXPECT_TRUE(fail_once(t, "x", "10.0.0.1", t0));
  EXPECT_TRUE(fail_once(t, "y", "10.0.0.1", t0));
  EXPECT_FALSE(t.check("z", "10.0.0.1", t0).allowed);
}

TEST(SignInThrottle, ConcurrentAttemptsCountWhileTheirHashRuns) {
  SignInThrottle t;
  const auto t0 = Clock::time_point{} + 1000h;
  // Five attempts checked at once (queued on the hash pool): the sixth
  // must wait for their outcome.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(t.check("tanaka", "10.0.0.1", t0).allowed);
  const auto verdict = t.check("tanaka", "10.0.0.1", t0);
  EXPECT_FALSE(verdict.allowed);
  EXPECT_EQ(verdict.retry_after, 1s);
  // An abandoned attempt (the pool was full) gives its place back.
  t.abandon("tanaka", "10.0.0.1", t0);
  EXPECT_TRUE(t.check("tanaka", "10.0.0.1", t0).allowed);
  // A pending mark that is never resolved expires.
  EXPECT_FALSE(t.check("tanaka", "10.0.0.1", t0 + 59s).allowed);
  EXPECT_TRUE(t.check("tanaka", "10.0.0.1", t0 + 61s).allowed);
}

TEST(SignInThrottle, LimitsAndWindowAreConfigurable) {
  ThrottleLimits limits;
  limits.failures_per_login = 2;
  limits.window = 60s;
  SignInThrottle t(limits);
  const auto t0 = Clock::time_point{} + 1000h;
  EXPECT_TRUE(fail_once(t, "a", "h", t0));
  EXPECT_TRUE(fail_once(t, "a", "h", t0 + 10s));
  const auto verdict = t.check("a", "h", t0 + 20s);
  EXPECT_FALSE(verdict.allowed);
  EXPECT_EQ(verdict.retry_after, 40s);
  EXPECT_TRUE(t.check("a", "h", t0 + 60s).allowed);
}

TEST(SignInThrottle, MemoryIsBounded) {
  ThrottleLimits limits;
  limits.max_keys = 100;
  SignInThrottle t(limits);
  const auto t0 = Clock::time_point{} + 1000h;
  for (int i = 0; i < 1000; ++i)
    fail_once(t, "login" + std::to_string(i), "addr" + std::to_string(i), t0);
  EXPECT_LE(t.login_keys(), 100u);
  EXPECT_LE(t.address_keys(), 100u);
  // The most recent keys are the ones kept.
  for (int i = 0; i < 4; ++i) fail_once(t, "login999", "addr999", t0);
  EXPECT_FALSE(t.check("login999", "elsewhere", t0).allowed);
  // Stale keys go as new ones come, one per call.
  for (int i = 0; i < 200; ++i)
    t.record_success("fresh" + std::to_string(i), "addr-fresh", t0 + 1h);
  for (int i = 0; i < 200; ++i) fail_once(t, "later" + std::to_string(i % 3), "a", t0 + 1h);
  EXPECT_LE(t.login_keys(), 100u);
  EXPECT_LT(t.address_keys(), 100u);
}

TEST(SignInThrottle, IsThreadSafe) {
  SignInThrottle t;
  const auto t0 = Clock::time_point{} + 1000h;
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int i = 0; i < 2000; ++i) {
        const auto login = "u" + std::to_string((i * 7 + k) % 50);
        const auto address = "10.0." + std::to_string(k) + "." + std::to_string(i % 30);
        if (t.check(login, address, t0 + std::chrono::seconds(i)).allowed) {
          if (i % 5 == 0)
            t.record_success(login, address, t0 + std::chrono::seconds(i));
          else
            t.record_failure(login, address, t0 + std::chrono::seconds(i));
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_LE(t.login_keys(), 50u);
}

}  // namespace
}  // namespace renkei::app::auth
