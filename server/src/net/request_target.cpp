#include "net/request_target.hpp"

namespace renkei::net {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
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

}  // namespace

std::string_view path_of(std::string_view target) {
  if (auto q = target.find('?'); q != std::string_view::npos) return target.substr(0, q);
  return target;
}

std::optional<std::string> query_parameter(std::string_view target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
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

std::optional<CouncilRoute> council_route(std::string_view path) {
  constexpr std::string_view prefix = "/api/councils/";
  if (path.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view tail = path.substr(prefix.size());
  const auto slash = tail.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == tail.size())
    return std::nullopt;
  return CouncilRoute{std::string(tail.substr(0, slash)), std::string(tail.substr(slash + 1))};
}

std::optional<std::string> meeting_route(std::string_view rest, std::string_view leaf) {
  constexpr std::string_view prefix = "meetings/";
  if (rest.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view tail = rest.substr(prefix.size());
  const auto slash = tail.find('/');
  if (slash == std::string_view::npos || slash == 0 || tail.substr(slash + 1) != leaf)
    return std::nullopt;
  return std::string(tail.substr(0, slash));
}

}  // namespace renkei::net
