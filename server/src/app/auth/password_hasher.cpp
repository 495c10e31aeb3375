#include "app/auth/password_hasher.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "app/auth/sodium.hpp"

namespace renkei::app::auth {

namespace {

// crypto_pwhash_str_verify and _needs_rehash read a NUL-terminated string
// of at most crypto_pwhash_STRBYTES bytes; a longer or embedded-NUL value
// cannot be one of ours.
bool to_c_string(std::string_view stored, std::array<char, crypto_pwhash_STRBYTES>& out) {
  if (stored.size() >= out.size() || stored.find('\0') != std::string_view::npos) return false;
  out.fill('\0');
  stored.copy(out.data(), stored.size());
  return true;
}

}  // namespace

PasswordHasher::PasswordHasher(HashParameters parameters) : parameters_(parameters) {
  init_sodium();
  std::array<unsigned char, 32> random{};
  randombytes_buf(random.data(), random.size());
  dummy_ = hash(std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
  sodium_memzero(random.data(), random.size());
}

std::string PasswordHasher::hash(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), parameters_.opslimit,
                        parameters_.memlimit) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return std::string(out.data());
}

bool PasswordHasher::verify(std::string_view stored, std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> c{};
  if (!to_c_string(stored, c)) return false;
  return crypto_pwhash_str_verify(c.data(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view stored) const {
  std::array<char, crypto_pwhash_STRBYTES> c{};
  if (!to_c_string(stored, c)) return true;
  // 0: same parameters; 1: other parameters; -1: not an Argon2id string.
  return crypto_pwhash_str_needs_rehash(c.data(), parameters_.opslimit, parameters_.memlimit) != 0;
}

void PasswordHasher::dummy_verify(std::string_view password) const {
  // The result is meaningless (the dummy's password is random and
  // forgotten); only the time spent matters.
  static_cast<void>(verify(dummy_, password));
}

}  // namespace renkei::app::auth
