// The Origin check for cookie-authenticated WebSocket upgrades: the Origin
// header must be byte-equal to the server's own origin (the request's scheme
// and Host) or to one of the configured allowed origins. Missing, "null",
// foreign and look-alike origins (suffixes, other ports, other schemes) are
// refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace renkei::net {

bool origin_allowed(std::string_view origin, std::string_view scheme, std::string_view host,
                    const std::vector<std::string>& allowed);

// The value of cookie `name` in a Cookie header, or "" when absent.
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace renkei::net
