// Invite tokens: 256 random bits from the kernel, base64url without padding
// (43 characters). Only their SHA-256 is stored (hex); tokens are never
// logged.
#pragma once

#include <string>
#include <string_view>

namespace renkei::app {

// Throws std::runtime_error if the kernel has no randomness to give.
std::string generate_token();

// Lower-case hex SHA-256 of the token's bytes.
std::string hash_token(std::string_view token);

}  // namespace renkei::app
