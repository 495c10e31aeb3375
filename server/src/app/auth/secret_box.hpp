// Seals and opens small secrets (TOTP secrets) with libsodium's
// crypto_secretbox (XSalsa20-Poly1305) under a 32-byte key kept in a file
// outside the database (docs/PEOPLE.md "Sign-in": `--secret-key FILE`,
// default `<db>.key`), so that a copy of the database alone reveals no
// secret. Sealed form: a random 24-byte nonce, then the ciphertext with
// its 16-byte tag.
//
// Immutable after construction: any thread may seal and open at the same
// time. The key is wiped from memory when the box is destroyed.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace renkei::app::auth {

// A key file that cannot be used (wrong size, readable by others, not a
// regular file, unreadable). what() says which file and why, in Japanese
// then English, for the operator to fix before starting again.
class SecretKeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SecretBox {
 public:
  static constexpr std::size_t key_bytes = 32;
  static constexpr std::size_t nonce_bytes = 24;
  static constexpr std::size_t tag_bytes = 16;

  // The box of the key in `path`. A missing file is created with 32 random
  // bytes and mode 0600 (its directory must exist). Throws SecretKeyError
  // if the file is not exactly 32 bytes, is readable or writable by group
  // or others, or is not a regular file: then the server must not start.
  static SecretBox from_key_file(const std::filesystem::path& path);

  explicit SecretBox(std::span<const unsigned char, key_bytes> key);
  ~SecretBox();
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;
  SecretBox(SecretBox&& other) noexcept;
  SecretBox& operator=(SecretBox&&) = delete;

  // nonce || ciphertext (plaintext size + 40 bytes).
  std::vector<unsigned char> seal(std::span<const unsigned char> plaintext) const;

  // The plaintext, or nothing if `sealed` is too short, was altered, or
  // was sealed under another key.
  std::optional<std::vector<unsigned char>> open(std::span<const unsigned char> sealed) const;

 private:
  std::array<unsigned char, key_bytes> key_{};
};

}  // namespace renkei::app::auth
