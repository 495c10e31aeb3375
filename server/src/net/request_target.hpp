// Reading the request target of an HTTP request: its path, its query
// parameters (percent-decoded) and the council API routes
// /api/councils/<id>/<rest>. Pure functions, shared by HttpSession and the
// HTTP fuzz target.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace renkei::net {

// The target without its query ("?..."), as sent (not decoded).
std::string_view path_of(std::string_view target);

// The value of the first query parameter `name` in `target`, decoded from
// application/x-www-form-urlencoded (%XX and + for space). nullopt when
// absent or when its encoding is broken (a % not followed by two hex digits).
// Present but empty ("?q=") gives "".
std::optional<std::string> query_parameter(std::string_view target, std::string_view name);

// "/api/councils/<id>/<rest>" -> {"<id>", "<rest>"}; the id holds no '/',
// neither part is empty.
struct CouncilRoute {
  std::string council;
  std::string rest;
};
std::optional<CouncilRoute> council_route(std::string_view path);

// "meetings/<mid>/<leaf>" -> "<mid>" when the route ends with `leaf`.
std::optional<std::string> meeting_route(std::string_view rest, std::string_view leaf);

}  // namespace renkei::net
