// Password hashing: Argon2id through libsodium's crypto_pwhash_str, whose
// output ("$argon2id$v=19$m=...,t=...,p=1$salt$hash") carries its own salt
// and parameters, so hashes made with older parameters still verify and
// needs_rehash() tells when to replace one. Parameters: docs/PEOPLE.md
// "Parameters" (the measurement behind them).
//
// Each hash() or verify() costs tens of milliseconds of CPU and
// `memlimit` bytes of memory: call them on the hash pool (hash_pool.hpp),
// never on an I/O thread, a read worker or the writer. The object is
// immutable after construction, so any thread may use it at the same time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace renkei::app::auth {

struct HashParameters {
  unsigned long long opslimit;  // Argon2 passes (t)
  std::size_t memlimit;         // bytes (m)
};

// libsodium's "interactive" level: 2 passes over 64 MiB (~70 ms here).
inline constexpr HashParameters default_hash_parameters{2, std::size_t{64} << 20};

class PasswordHasher {
 public:
  // Hashes one random password (the target of dummy_verify), so it costs
  // one hash. Throws std::runtime_error if libsodium cannot start.
  explicit PasswordHasher(HashParameters parameters = default_hash_parameters);

  // The storable string (ASCII, < 128 bytes). Throws std::runtime_error if
  // the memory for the hash cannot be had.
  std::string hash(std::string_view password) const;

  // True if `password` matches `stored` (a hash() result, of any
  // parameters). False for a malformed `stored`.
  bool verify(std::string_view stored, std::string_view password) const;

  // True if `stored` was made with other parameters (or is malformed):
  // after a successful verify, the caller stores hash(password) instead.
  bool needs_rehash(std::string_view stored) const;

  // Verifies `password` against a hash of a random password made with the
  // current parameters: the cost of a verify, for a login that does not
  // exist, so that its answer takes as long as a wrong password's.
  void dummy_verify(std::string_view password) const;

  const HashParameters& parameters() const { return parameters_; }

 private:
  HashParameters parameters_;
  std::string dummy_;
};

}  // namespace renkei::app::auth
