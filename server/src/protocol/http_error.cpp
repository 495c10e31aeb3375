#include "protocol/http_error.hpp"

#include "json_writer.hpp"

namespace renkei::protocol {
namespace {

HttpError make(int status, std::string_view code, std::string_view ja, std::string_view en) {
  std::string message(ja);
  message += " / ";
  message += en;
  return HttpError{status, std::string(code), std::move(message)};
}

int status_of(domain::ErrorCode code) {
  switch (code) {
    case domain::ErrorCode::bad_request:
    case domain::ErrorCode::unknown_op: return 400;
    case domain::ErrorCode::unauthorized: return 401;
    case domain::ErrorCode::forbidden: return 403;
    case domain::ErrorCode::not_found: return 404;
    case domain::ErrorCode::conflict: return 409;
    case domain::ErrorCode::too_large: return 413;
    case domain::ErrorCode::rate_limited: return 429;
    case domain::ErrorCode::second_factor_enrolment_required: return 403;
    case domain::ErrorCode::internal: return 500;
  }
  return 500;
}

}  // namespace

std::string encode_http_error(const HttpError& error, HttpErrorShape shape) {
  std::string out;
  out.reserve(32 + 2 * error.code.size() + error.message.size());
  JsonWriter json(out);
  json.begin_object();
  if (shape == HttpErrorShape::with_error_key) json.field("error", error.code);
  json.field("code", error.code);
  json.field("message", error.message);
  json.end_object();
  return out;
}

HttpError bad_request(std::string_view ja, std::string_view en) {
  return make(400, "bad_request", ja, en);
}

HttpError unauthorized() {
  return make(401, "unauthorized", "認証できません。招待リンクを開き直すか、サインインしてください",
              "not signed in: the token or session is invalid, expired or revoked");
}

HttpError forbidden() { return make(403, "forbidden", "この操作の権限がありません", "forbidden"); }

HttpError origin_not_allowed() {
  return make(403, "forbidden", "このオリジンからは送信できません", "origin not allowed");
}

HttpError not_found() { return make(404, "not_found", "見つかりません", "not found"); }

HttpError method_not_allowed() {
  return make(405, "method_not_allowed", "このメソッドは使えません", "method not allowed");
}

HttpError conflict(std::string_view ja, std::string_view en) {
  return make(409, "conflict", ja, en);
}

HttpError internal_error() {
  return make(500, "internal", "サーバーで処理できませんでした。もう一度お試しください",
              "internal error; please try again");
}

HttpError from_domain(const domain::Error& error) {
  return HttpError{status_of(error.code), std::string(domain::to_string(error.code)),
                   error.message};
}

}  // namespace renkei::protocol
