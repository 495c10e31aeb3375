// Recovery codes: ten one-time codes shown once at enrolment of the second
// factor, for a person who has lost their authenticator. Each is
// `xxxx-xxxx-xxxx`, 12 symbols of Crockford's base32 alphabet in lower
// case (digits and letters without i, l, o, u: 60 random bits a code).
// Only their SHA-256 (hex) of the normalised form is stored, so the
// database does not hold a usable code. Input is normalised before
// hashing: ASCII and full-width letters in either case, spaces and hyphens
// (ASCII or full-width, "ー") ignored, and the letters people misread for
// digits (o → 0, i and l → 1) folded, as Crockford's decoding does.
//
// Pure functions (generation reads libsodium's random source): any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::app::auth {

inline constexpr std::size_t recovery_code_count = 10;

// One new code, "xxxx-xxxx-xxxx".
std::string generate_recovery_code();

// `recovery_code_count` new codes, all different.
std::vector<std::string> generate_recovery_codes();

// The 12 symbols of a typed code, lower case, separators dropped, misread
// letters folded; an empty string if anything else is in it (then it
// matches no code).
std::string normalise_recovery_code(std::string_view input);

// Lower-case hex SHA-256 of the normalised code: what is stored, and what
// a typed code is looked up by.
std::string hash_recovery_code(std::string_view input);

}  // namespace renkei::app::auth
