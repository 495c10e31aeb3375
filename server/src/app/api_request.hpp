// One HTTP request of the API as the app layer sees it (placeholder until
// the router lands).
#pragma once

#include <optional>
#include <string>

#include "app/http_reply.hpp"

namespace renkei::app {

struct ApiRequest {
  std::string method;
  std::string path;
  std::string query;
  std::string body;
  std::optional<std::string> session_cookie;
  std::optional<std::string> bearer_token;
  std::string client_address;
  bool origin_allowed = false;
  bool tls = false;
};

}  // namespace renkei::app
