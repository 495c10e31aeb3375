#include "domain/error.hpp"

namespace renkei::domain {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::unknown_op: return "unknown_op";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::too_large: return "too_large";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::second_factor_enrolment_required: return "second_factor_enrolment_required";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

Error make_error(ErrorCode code, std::string_view ja, std::string_view en) {
  std::string message;
  message.reserve(ja.size() + en.size() + 3);
  message.append(ja).append(" / ").append(en);
  return Error{code, std::move(message)};
}

}  // namespace renkei::domain
