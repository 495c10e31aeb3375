// Typed errors of the domain core. The protocol layer turns an Error into the
// client's `error` reply in exactly one place (protocol/messages.cpp).
#pragma once

#include <string>
#include <string_view>

namespace renkei::domain {

// Error codes of the v1 wire contract. Order is stable: metrics index by it.
enum class ErrorCode {
  bad_request,
  unknown_op,
  unauthorized,
  forbidden,
  not_found,
  conflict,
  too_large,
  rate_limited,
  internal,
  // v2: a person who must enrol a second factor (administrators,
  // facilitators) has not yet.
  second_factor_enrolment_required,
};

inline constexpr int error_code_count = 9;

std::string_view to_string(ErrorCode code);

// An error with a human-readable message, Japanese first then English,
// formatted "日本語 / English".
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

// Builds an Error whose message is "<ja> / <en>".
Error make_error(ErrorCode code, std::string_view ja, std::string_view en);

}  // namespace renkei::domain
