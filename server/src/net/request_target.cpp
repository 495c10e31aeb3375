#include "net/request_target.hpp"

namespace renkei::net {

std::string_view path_of(std::string_view target) {
  if (auto q = target.find('?'); q != std::string_view::npos) return target.substr(0, q);
  return target;
}

std::string_view query_of(std::string_view target) {
  if (auto q = target.find('?'); q != std::string_view::npos) return target.substr(q + 1);
  return {};
}

}  // namespace renkei::net
