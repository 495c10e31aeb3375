#include "net/origin_policy.hpp"

namespace renkei::net {

bool origin_allowed(std::string_view origin, std::string_view scheme, std::string_view host,
                    const std::vector<std::string>& allowed) {
  if (origin.empty() || origin == "null" || host.empty()) return false;
  std::string own;
  own.append(scheme).append("://").append(host);
  if (origin == own) return true;
  for (const auto& extra : allowed)
    if (origin == extra) return true;
  return false;
}

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return {};
}

}  // namespace renkei::net
