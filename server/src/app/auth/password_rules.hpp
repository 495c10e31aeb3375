// The rules a new password must pass (docs/PEOPLE.md "Sign-in"): at least
// 10 characters (Unicode code points, so a Japanese passphrase counts its
// characters, not its UTF-8 bytes), not in the committed list of common
// passwords (common_passwords.cpp), and not the person's login; the last
// two compared without regard to ASCII case. A refusal answers
// `weak_password`. Pure functions: any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace renkei::app::auth {

inline constexpr std::size_t min_password_code_points = 10;

enum class WeakPassword { too_short, common, same_as_login };

// Code points of a UTF-8 text (bytes that do not continue a sequence).
std::size_t count_code_points(std::string_view utf8);

// True if the password, ASCII-lower-cased, is on the list.
bool is_common_password(std::string_view password);

// How many passwords the list holds (for the docs and tests).
std::size_t common_password_count();

// Why `password` may not be used by `login`, or nothing if it may.
std::optional<WeakPassword> check_password(std::string_view password, std::string_view login);

// The error message for a refusal, "日本語 / English".
std::string weak_password_message(WeakPassword reason);

}  // namespace renkei::app::auth
