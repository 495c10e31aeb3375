#include "app/auth/recovery_codes.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdint>

#include "app/auth/sodium.hpp"

namespace renkei::app::auth {

namespace {

// Crockford's base32: no i, l, o, u.
constexpr std::string_view alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
static_assert(alphabet.size() == 32);
constexpr std::size_t symbols = 12;

// Appends the ASCII form of one code point of `input` starting at `i`
// (advancing `i`): full-width ASCII (U+FF01–FF5E) and the ideographic
// space are mapped to ASCII, the long-vowel mark "ー" (U+30FC) to '-';
// any other non-ASCII character becomes '\x01' (refused later).
char next_ascii(std::string_view input, std::size_t& i) {
  const auto c = static_cast<unsigned char>(input[i]);
  if (c < 0x80) {
    ++i;
    return static_cast<char>(c);
  }
  std::size_t length = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 1;
  if (i + length > input.size()) length = input.size() - i;
  std::uint32_t cp = 0;
  if (length == 3) {
    cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(input[i + 1]) & 0x3Fu) << 6) |
         (static_cast<unsigned char>(input[i + 2]) & 0x3Fu);
  }
  i += length;
  if (cp >= 0xFF01 && cp <= 0xFF5E) return static_cast<char>(cp - 0xFF01 + 0x21);
  if (cp == 0x3000) return ' ';
  if (cp == 0x30FC || cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 || cp == 0x2212)
    return '-';
  return '\x01';
}

}  // namespace

std::string generate_recovery_code() {
  init_sodium();
  std::string code;
  for (std::size_t i = 0; i < symbols; ++i) {
    if (i == 4 || i == 8) code.push_back('-');
    code.push_back(alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))]);
  }
  return code;
}

std::vector<std::string> generate_recovery_codes() {
  std::vector<std::string> codes;
  while (codes.size() < recovery_code_count) {
    auto code = generate_recovery_code();
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  return codes;
}

std::string normalise_recovery_code(std::string_view input) {
  std::string out;
  for (std::size_t i = 0; i < input.size();) {
    char c = next_ascii(input, i);
    if (c == ' ' || c == '-' || c == '\t') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == 'o') c = '0';
    if (c == 'i' || c == 'l') c = '1';
    if (alphabet.find(c) == std::string_view::npos) return {};
    out.push_back(c);
  }
  if (out.size() != symbols) return {};
  return out;
}

std::string hash_recovery_code(std::string_view input) {
  const std::string code = normalise_recovery_code(input);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(code.data()), code.size());
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof digest);
  for (unsigned char b : digest) {
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 0xF]);
  }
  return out;
}

}  // namespace renkei::app::auth
