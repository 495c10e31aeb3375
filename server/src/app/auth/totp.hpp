// Time-based one-time passwords, RFC 6238 as authenticator apps use them:
// HMAC-SHA-1, 6 digits, 30-second steps counted from the Unix epoch, the
// secret shown as RFC 4648 base32 without padding in an otpauth:// URI
// (a QR code). docs/PEOPLE.md "Sign-in": one step of clock drift either
// side, and each code accepted once (the caller stores the accepted step
// and passes it back as `last_used_step`).
//
// Pure functions over their arguments (generate_secret reads libsodium's
// random source): any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::app::auth::totp {

inline constexpr int digits = 6;
inline constexpr std::int64_t period_seconds = 30;
inline constexpr std::size_t secret_bytes = 20;  // 160 bits, RFC 4226's recommendation
inline constexpr std::int64_t drift_steps = 1;

// A new random secret of `secret_bytes` bytes.
std::vector<unsigned char> generate_secret();

// RFC 4648 base32 (A–Z, 2–7), upper case, without '=' padding.
std::string base32_encode(std::span<const unsigned char> bytes);

// The bytes of a base32 text; accepts lower case, spaces and trailing '='
// (as people copy secrets). Nothing if another character is present or
// the length cannot be base32.
std::optional<std::vector<unsigned char>> base32_decode(std::string_view text);

// otpauth://totp/Renkei:<login>?secret=<base32>&issuer=Renkei&algorithm=SHA1&digits=6&period=30
// with the login percent-encoded (RFC 3986 unreserved characters kept).
std::string otpauth_uri(std::string_view login, std::span<const unsigned char> secret);

// The time step of a Unix time (floor(unix_time / 30)).
std::int64_t step_at(std::int64_t unix_time);

// The code for a time step, and for a Unix time: six digits, zero-padded.
std::string code_for_step(std::span<const unsigned char> secret, std::int64_t step);
std::string code_at(std::span<const unsigned char> secret, std::int64_t unix_time);

// The step at which `code` is valid within one step of `now_unix`, if that
// step is later than `last_used_step`; else nothing. `code` may contain
// spaces ("123 456"); anything but six digits is refused. The comparison
// does not depend on where the codes differ (sodium_memcmp).
std::optional<std::int64_t> verify(std::span<const unsigned char> secret, std::string_view code,
                                   std::int64_t now_unix,
                                   std::optional<std::int64_t> last_used_step);

}  // namespace renkei::app::auth::totp
