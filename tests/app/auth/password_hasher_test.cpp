// Argon2id password hashes: verify, rehash, and the dummy verify's cost.
#include "app/auth/password_hasher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace renkei::app::auth {
namespace {

// Small parameters keep the functional tests fast; the cost test below
// uses the real ones.
constexpr HashParameters fast{1, std::size_t{8} << 20};

TEST(PasswordHasher, VerifiesTheRightPasswordOnly) {
  PasswordHasher hasher(fast);
  const auto stored = hasher.hash("正しいパスワード horse");
  EXPECT_TRUE(stored.starts_with("$argon2id$v=19$m=8192,t=1,p=1$")) << stored;
  EXPECT_TRUE(hasher.verify(stored, "正しいパスワード horse"));
  EXPECT_FALSE(hasher.verify(stored, "正しいパスワード horsf"));
  EXPECT_FALSE(hasher.verify(stored, ""));
  // Salted: the same password hashes differently each time.
  EXPECT_NE(hasher.hash("正しいパスワード horse"), stored);
}

TEST(PasswordHasher, PasswordsWithNulBytesAreWhole) {
  PasswordHasher hasher(fast);
  const std::string with_nul("abc\0def", 7);
  const auto stored = hasher.hash(with_nul);
  EXPECT_TRUE(hasher.verify(stored, with_nul));
  EXPECT_FALSE(hasher.verify(stored, "abc"));
}

TEST(PasswordHasher, RefusesMalformedStoredValues) {
  PasswordHasher hasher(fast);
  EXPECT_FALSE(hasher.verify("", "x"));
  EXPECT_FALSE(hasher.verify("not a hash", "x"));
  EXPECT_FALSE(hasher.verify(std::string(500, 'a'), "x"));
  EXPECT_FALSE(hasher.verify(std::string("$argon2id\0$", 11), "x"));
  EXPECT_TRUE(hasher.needs_rehash("not a hash"));
}

TEST(PasswordHasher, NeedsRehashWhenTheParametersChanged) {
  PasswordHasher old_hasher(fast);
  PasswordHasher new_hasher(HashParameters{2, std::size_t{8} << 20});
  const auto old_hash = old_hasher.hash("a long enough password");
  EXPECT_FALSE(old_hasher.needs_rehash(old_hash));
  EXPECT_TRUE(new_hasher.needs_rehash(old_hash));
  // An old hash still verifies under the new parameters.
  EXPECT_TRUE(new_hasher.verify(old_hash, "a long enough password"));
}

TEST(PasswordHasher, DefaultParametersAreArgon2idInteractive) {
  EXPECT_EQ(default_hash_parameters.opslimit, 2u);
  EXPECT_EQ(default_hash_parameters.memlimit, std::size_t{64} << 20);
}

// An unknown login costs what a wrong password costs.
TEST(PasswordHasher, DummyVerifyCostsAVerify) {
  PasswordHasher hasher;  // the real parameters
  const auto stored = hasher.hash("a long enough password");
  auto median_ms = [](auto&& fn) {
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) {
      const auto start = std::chrono::steady_clock::now();
      fn();
      times.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    std::sort(times.begin(), times.end());
    return times[2];
  };
  const double verify_ms = median_ms([&] { (void)hasher.verify(stored, "wrong password!"); });
  const double dummy_ms = median_ms([&] { hasher.dummy_verify("wrong password!"); });
  EXPECT_GT(dummy_ms, verify_ms * 0.6) << dummy_ms << " ms vs " << verify_ms << " ms";
  EXPECT_LT(dummy_ms, verify_ms * 1.6) << dummy_ms << " ms vs " << verify_ms << " ms";
}

}  // namespace
}  // namespace renkei::app::auth
