// Reading the request target of an HTTP request: its path and its query.
// Pure functions, shared by HttpSession and the HTTP fuzz target. (The
// query's parameters are read by the application: app/api_router.hpp.)
#pragma once

#include <string_view>

namespace renkei::net {

// The target without its query ("?..."), as sent (not decoded).
std::string_view path_of(std::string_view target);

// What follows the first '?' of the target, as sent; empty without one.
std::string_view query_of(std::string_view target);

}  // namespace renkei::net
