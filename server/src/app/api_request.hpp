// One request of the HTTP API (every path under /api/), as the network
// layer hands it to Application::handle_api: what the application needs of
// it and nothing of sockets or Beast. Built in one place
// (net/http_session.cpp, api_request_of).
//
// A plain value; moved along with the request's work to whatever thread
// answers it.
#pragma once

#include <optional>
#include <string>

namespace renkei::app {

struct ApiRequest {
  std::string method;  // "GET", "POST", "PATCH", ... as sent; HEAD is answered like GET
  std::string path;    // without the query, as sent (not percent-decoded)
  std::string query;   // what follows '?', as sent; empty without one
  std::string body;
  // The value of the renkei_session cookie, when the request carries one.
  std::optional<std::string> session_cookie;
  // The token of "Authorization: Bearer <token>", when present.
  std::optional<std::string> bearer_token;
  std::string client_address;  // the peer's IP address (sign-in throttling, audit)
  // The request carries an Origin of this server or of --allow-origin (and
  // a Host); false without an Origin. A cookie-authenticated request that
  // changes something must have it (ApiRouter checks).
  bool origin_allowed = false;
  bool tls = false;  // arrived over HTTPS (cookies get Secure)
};

}  // namespace renkei::app
