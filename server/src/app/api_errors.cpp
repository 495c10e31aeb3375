#include "app/api_errors.hpp"

namespace renkei::app {

HttpReply api_error(int status, std::string_view code, std::string_view message) {
  return HttpReply::error(protocol::HttpError{status, std::string(code), std::string(message)});
}

}  // namespace renkei::app
