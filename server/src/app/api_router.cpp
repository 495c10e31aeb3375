#include "app/api_router.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace renkei::app {
namespace {

// "/a/b/c" -> {"a","b","c"}; "/" -> {""}; a trailing '/' gives a last
// empty segment.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool reads(std::string_view method) { return method == "GET" || method == "HEAD"; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '%') {
      const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

std::optional<std::string> form_decode(std::string_view text) { return percent_decode(text, true); }

}  // namespace

const std::string& RouteParams::operator[](std::string_view name) const {
  static const std::string none;
  for (const auto& [key, value] : values_)
    if (key == name) return value;
  return none;
}

void ApiRouter::add(std::string method, std::string_view pattern, ApiHandler handler,
                    Options options) {
  Route route;
  route.method = std::move(method);
  route.handler = std::move(handler);
  route.options = options;
  const auto parts = split_path(pattern);
  if (parts.empty()) throw std::invalid_argument("api route: the pattern must begin with '/'");
  for (std::string_view part : parts) {
    Segment segment;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      segment.parameter = true;
      part = part.substr(1, part.size() - 2);
    }
    if (part.empty()) throw std::invalid_argument("api route: empty segment in the pattern");
    segment.text = std::string(part);
    route.segments.push_back(std::move(segment));
  }
  for (const Route& other : routes_) {
    if (other.method != route.method || other.segments.size() != route.segments.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < route.segments.size() && same; ++i) {
      const Segment& a = route.segments[i];
      const Segment& b = other.segments[i];
      same = a.parameter == b.parameter && (a.parameter || a.text == b.text);
    }
    if (same) throw std::invalid_argument("api route registered twice: " + std::string(pattern));
  }
  routes_.push_back(std::move(route));
}

bool ApiRouter::match(const Route& route, const std::vector<std::string_view>& path,
                      RouteParams* params) {
  if (route.segments.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const Segment& segment = route.segments[i];
    if (segment.parameter ? path[i].empty() : path[i] != segment.text) return false;
  }
  if (params != nullptr) {
    for (std::size_t i = 0; i < path.size(); ++i)
      if (route.segments[i].parameter) params->add(route.segments[i].text, std::string(path[i]));
  }
  return true;
}

bool ApiRouter::more_specific(const Route& a, const Route& b) {
  for (std::size_t i = 0; i < a.segments.size() && i < b.segments.size(); ++i) {
    if (a.segments[i].parameter != b.segments[i].parameter) return !a.segments[i].parameter;
  }
  return false;
}

void ApiRouter::dispatch(ApiRequest request, ApiDone done) const {
  const auto path = split_path(request.path);
  const std::string_view wanted =
      request.method == "HEAD" ? std::string_view("GET") : std::string_view(request.method);
  const Route* best = nullptr;
  std::vector<std::string_view> allowed;  // the methods of the routes that have the path
  for (const Route& route : routes_) {
    if (!match(route, path, nullptr)) continue;
    if (route.method != wanted) {
      if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end())
        allowed.push_back(route.method);
      continue;
    }
    if (best == nullptr || more_specific(route, *best)) best = &route;
  }
  if (best == nullptr) {
    if (allowed.empty()) return done(HttpReply::error(protocol::not_found()));
    std::string allow;
    for (std::string_view method : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += method;
      if (method == "GET") allow += ", HEAD";
    }
    HttpReply refusal = HttpReply::error(protocol::method_not_allowed());
    refusal.add_header("Allow", std::move(allow));
    return done(std::move(refusal));
  }
  if (best->options.origin == OriginCheck::cookie_writes && !reads(request.method) &&
      !request.bearer_token && request.session_cookie && !request.origin_allowed) {
    return done(HttpReply::error(protocol::origin_not_allowed(), best->options.error_shape));
  }
  RouteParams params;
  match(*best, path, &params);
  best->handler(std::move(request), std::move(params), std::move(done));
}

std::optional<std::string> query_parameter(std::string_view query, std::string_view name) {
  if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = form_decode(pair.substr(0, eq));
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    return form_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace renkei::app
