// The error replies of the v2 API: {"code","message"} with a Japanese-first
// message, encoded by the protocol layer in one place.
#pragma once

#include <string_view>

#include "app/http_reply.hpp"

namespace renkei::app {

HttpReply api_error(int status, std::string_view code, std::string_view message);

}  // namespace renkei::app
