// The error answers of the HTTP API, encoded in this one place: a status,
// a code (the client switches on it) and a message, Japanese first then
// English ("日本語 / English"), which the client may show as it is.
//
// Body: {"code":"<code>","message":"<message>"} (PEOPLE.md, "HTTP API").
// The endpoints of v1 answered {"error":"<code>"}; their errors keep that
// key first for the clients that read it: {"error":..,"code":..,"message":..}.
//
// Pure values and functions; any thread.
#pragma once

#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace renkei::protocol {

struct HttpError {
  int status = 500;
  std::string code;
  std::string message;  // "日本語 / English"
};

enum class HttpErrorShape {
  code,            // {"code","message"}: every endpoint since v2
  with_error_key,  // {"error","code","message"}: the endpoints of v1
};

std::string encode_http_error(const HttpError& error, HttpErrorShape shape = HttpErrorShape::code);

// The common answers.
HttpError bad_request(std::string_view ja, std::string_view en);
HttpError unauthorized();
HttpError forbidden();
HttpError origin_not_allowed();  // 403 forbidden: a cookie's POST from another origin
HttpError not_found();
HttpError method_not_allowed();
HttpError conflict(std::string_view ja, std::string_view en);
HttpError internal_error();
// A domain error with its HTTP status (bad_request and unknown_op 400,
// unauthorized 401, forbidden 403, not_found 404, conflict 409, too_large
// 413, rate_limited 429, internal 500) and its own message.
HttpError from_domain(const domain::Error& error);

}  // namespace renkei::protocol
