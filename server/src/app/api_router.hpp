// The routes of the HTTP API: (method, path pattern) -> handler. Every
// endpoint under /api/ is a route registered by the application, so that a
// new endpoint is added in the app layer only; the network layer hands
// every /api/ request to Application::handle_api, which dispatches here.
//
// Patterns are paths whose segments are literal or a parameter in braces:
// "/api/console/orgs/{id}/merge". A parameter matches one non-empty
// segment, as sent (not percent-decoded). When several routes match a path
// the most specific wins: at the first segment where they differ, a
// literal beats a parameter. HEAD is answered by the GET route.
//
// The router answers by itself, in the {"code","message"} shape
// (protocol/http_error.hpp):
//   - 404 not_found when no route has the path;
//   - 405 method_not_allowed (with Allow) when routes have the path but not
//     the method;
//   - 403 forbidden when a request with a session cookie and no bearer
//     token asks for a method other than GET or HEAD without an allowed
//     Origin (a browser sends its cookie with any page's request), unless
//     the route was added with OriginCheck::none. A route gives the shape
//     of that refusal (v1 routes keep their "error" key).
//
// Threading: add() before the first dispatch(), from one thread; then
// dispatch() from any thread concurrently. Handlers run on the calling
// thread; their `done` may run on any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/api_request.hpp"
#include "app/http_reply.hpp"

namespace renkei::app {

// The values of a route's parameters, by name.
class RouteParams {
 public:
  // The value of `name`; empty when the route has no such parameter.
  const std::string& operator[](std::string_view name) const;
  void add(std::string name, std::string value) {
    values_.emplace_back(std::move(name), std::move(value));
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

using ApiDone = std::function<void(HttpReply)>;
using ApiHandler = std::function<void(ApiRequest request, RouteParams params, ApiDone done)>;

class ApiRouter {
 public:
  enum class OriginCheck { cookie_writes, none };

  struct Options {
    OriginCheck origin = OriginCheck::cookie_writes;
    // The shape of the router's own refusal of this route (403 origin).
    protocol::HttpErrorShape error_shape = protocol::HttpErrorShape::code;
  };

  // Registers `handler` for `method` ("GET", "POST", "PATCH", ...) and
  // `pattern`. Throws std::invalid_argument for a pattern that does not
  // begin with '/' or has an empty segment or parameter name, or when the
  // method and pattern are registered already.
  void add(std::string method, std::string_view pattern, ApiHandler handler, Options options);
  void add(std::string method, std::string_view pattern, ApiHandler handler) {
    add(std::move(method), pattern, std::move(handler), Options{});
  }

  // Answers `request` through its route (or a refusal, above). `done` is
  // called exactly once.
  void dispatch(ApiRequest request, ApiDone done) const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool parameter = false;
  };
  struct Route {
    std::string method;
    std::vector<Segment> segments;
    ApiHandler handler;
    Options options;
  };
  // True when `route` matches the path's segments; fills `params`.
  static bool match(const Route& route, const std::vector<std::string_view>& path,
                    RouteParams* params);
  // True when `a` is more specific than `b` (both matching one path).
  static bool more_specific(const Route& a, const Route& b);

  std::vector<Route> routes_;
};

// The value of the first parameter `name` of a query string ("a=1&b=x"),
// decoded from application/x-www-form-urlencoded (%XX and + for space);
// nullopt when absent or when its encoding is broken. "q=" gives "".
std::optional<std::string> query_parameter(std::string_view query, std::string_view name);

// %XX decoded (and `+` as a space when `plus_is_space`, as in a query
// string); none for a malformed escape. No UTF-8 check.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace renkei::app
