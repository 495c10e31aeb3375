// The answer to one HTTP request of the API: status, content type, body
// and extra headers (a download's Content-Disposition, Set-Cookie). The
// network layer writes it as it is, after the headers every response gets.
//
// A plain value; any thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/http_error.hpp"

namespace renkei::app {

inline constexpr const char* json_content_type = "application/json; charset=utf-8";

// The browser session's cookie (HttpOnly, SameSite=Strict, Path=/).
inline constexpr std::string_view session_cookie_name = "renkei_session";

struct HttpReply {
  int status = 200;
  std::string content_type = json_content_type;
  std::string body;
  // Extra response headers (e.g. Content-Disposition of a download).
  std::vector<std::pair<std::string, std::string>> headers = {};

  void add_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  // Set-Cookie: <name>=<value>; Path=/; Max-Age=<max_age>; HttpOnly;
  // SameSite=Strict[; Secure]. An empty value with max_age 0 deletes it.
  void set_cookie(std::string_view name, std::string_view value, std::chrono::seconds max_age,
                  bool secure) {
    std::string cookie(name);
    cookie += '=';
    cookie += value;
    cookie +=
        "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Strict";
    if (secure) cookie += "; Secure";
    add_header("Set-Cookie", std::move(cookie));
  }

  static HttpReply json(int status, std::string body) {
    return HttpReply{status, json_content_type, std::move(body)};
  }
  // An error answer (protocol/http_error.hpp): {"code","message"}, or with
  // the "error" key of v1 first for the endpoints of v1.
  static HttpReply error(const protocol::HttpError& error,
                         protocol::HttpErrorShape shape = protocol::HttpErrorShape::code) {
    return HttpReply{error.status, json_content_type, protocol::encode_http_error(error, shape)};
  }
  // The same for the endpoints of v1, with their "error" key first.
  static HttpReply v1_error(const protocol::HttpError& error) {
    return HttpReply::error(error, protocol::HttpErrorShape::with_error_key);
  }
};

}  // namespace renkei::app
