#include "app/auth/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <stdexcept>

#include "app/auth/sodium.hpp"

namespace renkei::app::auth::totp {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace

std::vector<unsigned char> generate_secret() {
  init_sodium();
  std::vector<unsigned char> secret(secret_bytes);
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string base32_encode(std::span<const unsigned char> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(alphabet[(buffer >> bits) & 0x1F]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

std::optional<std::vector<unsigned char>> base32_decode(std::string_view text) {
  std::vector<unsigned char> out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  bool padding = false;
  for (char c : text) {
    if (c == ' ') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    if (padding) return std::nullopt;  // data after padding
    const int v = base32_value(c);
    if (v < 0) return std::nullopt;
    ++symbols;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xFF));
    }
  }
  // A group of 8 symbols holds 5 bytes; 1, 3 and 6 trailing symbols cannot
  // come from whole bytes.
  const std::size_t rest = symbols % 8;
  if (rest == 1 || rest == 3 || rest == 6) return std::nullopt;
  return out;
}

std::string otpauth_uri(std::string_view login, std::span<const unsigned char> secret) {
  return "otpauth://totp/Renkei:" + percent_encode(login) + "?secret=" + base32_encode(secret) +
         "&issuer=Renkei&algorithm=SHA1&digits=6&period=30";
}

std::int64_t step_at(std::int64_t unix_time) {
  // Floor division, so that times before 1970 do not share step 0.
  std::int64_t step = unix_time / period_seconds;
  if (unix_time % period_seconds < 0) --step;
  return step;
}

std::string code_for_step(std::span<const unsigned char> secret, std::int64_t step) {
  std::array<unsigned char, 8> counter{};
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<unsigned char>(value & 0xFF);
    value >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter.data(),
           counter.size(), mac.data(), &length) == nullptr ||
      length != 20)
    throw std::runtime_error("HMAC-SHA-1 failed");
  // RFC 4226 5.3: dynamic truncation.
  const unsigned offset = mac[19] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t code = binary % 1000000;
  std::string out(digits, '0');
  for (int i = digits - 1; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>('0' + code % 10);
    code /= 10;
  }
  return out;
}

std::string code_at(std::span<const unsigned char> secret, std::int64_t unix_time) {
  return code_for_step(secret, step_at(unix_time));
}

std::optional<std::int64_t> verify(std::span<const unsigned char> secret, std::string_view code,
                                   std::int64_t now_unix,
                                   std::optional<std::int64_t> last_used_step) {
  std::string given;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    given.push_back(c);
  }
  if (given.size() != static_cast<std::size_t>(digits)) return std::nullopt;
  const std::int64_t now = step_at(now_unix);
  std::optional<std::int64_t> accepted;
  // Every candidate step is computed and compared, whether or not an
  // earlier one matched, so the time spent does not tell which matched.
  for (std::int64_t step = now - drift_steps; step <= now + drift_steps; ++step) {
    const std::string expected = code_for_step(secret, step);
    const bool match = sodium_memcmp(expected.data(), given.data(), given.size()) == 0;
    const bool fresh = !last_used_step || step > *last_used_step;
    if (match && fresh && !accepted) accepted = step;
  }
  return accepted;
}

}  // namespace renkei::app::auth::totp
