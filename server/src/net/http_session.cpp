#include "net/http_session.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>

#include "net/origin_policy.hpp"
#include "net/request_target.hpp"
#include "net/static_files.hpp"
#include "net/websocket_session.hpp"
#include "protocol/minutes_render.hpp"

namespace beast = boost::beast;
namespace http = beast::http;

namespace renkei::net {
namespace {

std::optional<std::string> bearer_token(const http::request<http::string_body>& request) {
  auto it = request.find(http::field::authorization);
  if (it == request.end()) return std::nullopt;
  std::string_view value = it->value();
  constexpr std::string_view scheme = "Bearer ";
  if (value.size() <= scheme.size() || value.substr(0, scheme.size()) != scheme)
    return std::nullopt;
  return std::string(value.substr(scheme.size()));
}

std::optional<std::string> session_cookie(const http::request<http::string_body>& request) {
  auto it = request.find(http::field::cookie);
  if (it == request.end()) return std::nullopt;
  auto value = cookie_value(it->value(), app::session_cookie_name);
  if (value.empty()) return std::nullopt;
  return value;
}

// "/join/<token>" -> "<token>".
std::optional<std::string> join_token(std::string_view path) {
  constexpr std::string_view prefix = "/join/";
  if (path.size() <= prefix.size() || path.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string token(path.substr(prefix.size()));
  if (token.find('/') != std::string::npos) return std::nullopt;
  return token;
}

bool starts_with(std::string_view path, std::string_view prefix) {
  return path.substr(0, prefix.size()) == prefix;
}

// The pages of the browser client, all served by index.html (the client
// routes by location): /councils/<id>/..., /setup/<token>, /console[/...],
// /me[/...], /handover/<org> and /overview/<prefecture|area>/<name>.
bool is_client_page(std::string_view path) {
  constexpr std::string_view councils = "/councils/";
  constexpr std::string_view setup = "/setup/";
  constexpr std::string_view handover = "/handover/";
  if (starts_with(path, councils)) return path.size() > councils.size();
  if (starts_with(path, handover)) return path.size() > handover.size();
  if (starts_with(path, setup)) return path.size() > setup.size();
  return path == "/console" || starts_with(path, "/console/") || path == "/me" ||
         starts_with(path, "/me/") || starts_with(path, "/overview/");
}

constexpr std::string_view invalid_invite_page =
    "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
    "<title>招待リンクが無効です</title><link rel=\"stylesheet\" href=\"/style.css\"></head>"
    "<body><main><h1>招待リンクが無効です</h1>"
    "<p>このリンクは使えません。期限切れか、取り消されたか、入力に誤りがあります。"
    "事務局（ファシリテーター）に新しい招待リンクを依頼してください。</p>"
    "<p lang=\"en\">This invite link is invalid, expired or revoked. Please ask the "
    "facilitator for a new one.</p></main></body></html>";

template <class Body>
void set_common_headers(http::response<Body>& response) {
  response.set(http::field::server, "renkei");
  response.set("Content-Security-Policy", content_security_policy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
}

}  // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(Stream&& stream, ServerContext& context,
                                 std::shared_ptr<AddressLimiter::Slot> slot)
    : stream_(std::move(stream)), context_(context), slot_(std::move(slot)) {}

template <class Stream>
void HttpSession<Stream>::start() {
  if constexpr (is_tls<Stream>) {
    beast::get_lowest_layer(stream_).expires_after(context_.config.header_timeout);
    stream_.async_handshake(
        boost::asio::ssl::stream_base::server,
        beast::bind_front_handler(&HttpSession<Stream>::on_handshake, this->shared_from_this()));
  } else {
    boost::asio::dispatch(
        stream_.get_executor(),
        beast::bind_front_handler(&HttpSession<Stream>::do_read, this->shared_from_this()));
  }
}

template <class Stream>
void HttpSession<Stream>::on_handshake(boost::system::error_code ec) {
  if (ec) return fail(ec, "tls handshake");
  do_read();
}

template <class Stream>
void HttpSession<Stream>::do_read() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(context_.config.max_header));
  parser_->body_limit(context_.config.max_body);
  beast::get_lowest_layer(stream_).expires_after(context_.config.header_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&HttpSession<Stream>::on_read, this->shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::on_read(boost::system::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec == http::error::header_limit) {
    return send_text(431, "text/plain; charset=utf-8",
                     "リクエストヘッダーが大きすぎます / request header fields too large\n", false);
  }
  if (ec == http::error::body_limit) {
    return send_text(413, "text/plain; charset=utf-8",
                     "リクエスト本文が大きすぎます / payload too large\n", false);
  }
  if (ec) {
    if (ec != beast::error::timeout) fail(ec, "http read");
    return do_close();
  }
  Request request = parser_->release();
  if (beast::websocket::is_upgrade(request)) return upgrade(std::move(request));
  handle(std::move(request));
}

template <class Stream>
void HttpSession<Stream>::upgrade(Request request) {
  if (path_of(request.target()) != "/ws") {
    return send_text(404, "text/plain; charset=utf-8", "見つかりません / not found\n", false);
  }
  // A browser's cookie rides along with any page's upgrade request, so an
  // upgrade that carries one must come from an allowed origin. Token-only
  // clients need no Origin.
  auto cookie = session_cookie(request);
  if (cookie) {
    if (!from_allowed_origin(request)) {
      return send_text(403, "text/plain; charset=utf-8",
                       "このオリジンからは接続できません / origin not allowed\n", false);
    }
  }
  beast::get_lowest_layer(stream_).expires_never();
  // Bytes that came in the same read as the request (a client that sends
  // its first frames without waiting for 101) belong to the WebSocket.
  const auto data = buffer_.data();
  std::string early(static_cast<const char*>(data.data()), data.size());
  buffer_.consume(buffer_.size());
  std::make_shared<WebSocketSession<Stream>>(std::move(stream_), context_, std::move(slot_),
                                             std::move(cookie))
      ->start(std::move(request), std::move(early));
}

template <class Stream>
void HttpSession<Stream>::send_reply_later(
    app::HttpReply reply, bool keep_alive,
    std::vector<std::pair<std::string, std::string>> headers) {
  for (auto& header : reply.headers) headers.push_back(std::move(header));
  boost::asio::post(stream_.get_executor(),
                    [self = this->shared_from_this(), keep_alive, reply = std::move(reply),
                     headers = std::move(headers)]() mutable {
                      self->send_text(reply.status, reply.content_type, std::move(reply.body),
                                      keep_alive, std::move(headers));
                    });
}

template <class Stream>
bool HttpSession<Stream>::from_trusted_proxy() const {
  if (context_.config.trusted_proxies.empty()) return false;
  boost::system::error_code ec;
  const auto peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  if (ec) return false;
  const auto& proxies = context_.config.trusted_proxies;
  return std::find(proxies.begin(), proxies.end(), peer.address().to_string()) != proxies.end();
}

template <class Stream>
bool HttpSession<Stream>::from_allowed_origin(const Request& request) const {
  auto origin = request.find(http::field::origin);
  if (origin == request.end()) return false;
  std::string_view scheme = is_tls<Stream> ? "https" : "http";
  auto host = request.find(http::field::host);
  std::string_view host_value;
  if (host != request.end()) host_value = host->value();
  // Behind a trusted proxy the browser's origin is the proxy's: the
  // scheme and host it was asked for.
  if (from_trusted_proxy()) {
    if (auto forwarded = request.find("X-Forwarded-Host"); forwarded != request.end())
      host_value = std::string_view(forwarded->value());
    if (auto proto = request.find("X-Forwarded-Proto"); proto != request.end())
      scheme = std::string_view(proto->value()) == "https" ? "https" : "http";
  }
  return !host_value.empty() &&
         origin_allowed(origin->value(), scheme, host_value, context_.config.allow_origins);
}

template <class Stream>
app::ApiRequest HttpSession<Stream>::api_request_of(Request& request) {
  app::ApiRequest api;
  api.method = std::string(request.method_string());
  api.path = std::string(path_of(request.target()));
  api.query = std::string(query_of(request.target()));
  api.session_cookie = session_cookie(request);
  api.bearer_token = bearer_token(request);
  boost::system::error_code ec;
  const auto peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  if (!ec) api.client_address = peer.address().to_string();
  // Behind a trusted proxy the client is the last address it added.
  if (from_trusted_proxy())
    if (auto forwarded = request.find("X-Forwarded-For"); forwarded != request.end()) {
      std::string_view list(forwarded->value());
      const auto comma = list.rfind(',');
      std::string_view last = comma == std::string_view::npos ? list : list.substr(comma + 1);
      while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
      while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
      if (!last.empty()) api.client_address = std::string(last);
    }
  api.origin_allowed = from_allowed_origin(request);
  api.tls = is_tls<Stream>;
  api.body = std::move(request.body());
  return api;
}

template <class Stream>
void HttpSession<Stream>::handle(Request request) {
  const bool keep_alive = request.keep_alive();
  const bool head_only = request.method() == http::verb::head;
  const std::string_view path = path_of(request.target());
  if (starts_with(path, "/api/")) {
    return context_.app.handle_api(api_request_of(request), [self = this->shared_from_this(),
                                                             keep_alive](app::HttpReply reply) {
      self->send_reply_later(std::move(reply), keep_alive, {});
    });
  }
  if (request.method() != http::verb::get && !head_only) {
    return send_text(405, "text/plain; charset=utf-8",
                     "このメソッドは使えません / method not allowed\n", keep_alive);
  }
  if (auto token = join_token(path)) {
    context_.app.open_session(*token, [self = this->shared_from_this(),
                                       keep_alive](std::optional<app::OpenedSession> opened) {
      if (!opened) {
        self->send_reply_later(
            app::HttpReply{401, "text/html; charset=utf-8", std::string(invalid_invite_page)},
            keep_alive, {});
        return;
      }
      app::HttpReply reply{303, "text/plain; charset=utf-8", ""};
      reply.add_header("Location", "/councils/" + opened->council);
      reply.set_cookie(app::session_cookie_name, opened->cookie, opened->max_age, is_tls<Stream>);
      self->send_reply_later(std::move(reply), keep_alive, {});
    });
    return;
  }
  if (is_client_page(path)) {
    if (auto index = static_file_path(context_.config.web_dir, "/index.html")) {
      return send_file(*index, head_only, keep_alive);
    }
  }
  if (path == "/healthz") return send_text(200, "text/plain; charset=utf-8", "ok", keep_alive);
  if (path == protocol::minutes_script_path) {
    return send_text(200, "text/javascript; charset=utf-8", std::string(protocol::minutes_script),
                     keep_alive);
  }
  if (path == "/metrics") {
    return send_text(200, "text/plain; version=0.0.4; charset=utf-8", context_.app.metrics_text(),
                     keep_alive);
  }
  if (auto file = static_file_path(context_.config.web_dir, path)) {
    return send_file(*file, head_only, keep_alive);
  }
  send_text(404, "text/plain; charset=utf-8", "見つかりません / not found\n", keep_alive);
}

template <class Stream>
void HttpSession<Stream>::send_text(unsigned status, std::string_view content_type,
                                    std::string body, bool keep_alive,
                                    std::vector<std::pair<std::string, std::string>> headers) {
  http::response<http::string_body> response{static_cast<http::status>(status), 11};
  set_common_headers(response);
  for (auto& [name, value] : headers) response.insert(name, value);
  response.set(http::field::content_type, content_type);
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(keep_alive);
  response.body() = std::move(body);
  response.prepare_payload();
  send(std::move(response));
}

template <class Stream>
void HttpSession<Stream>::send_file(const std::string& path, bool head_only, bool keep_alive) {
  http::file_body::value_type body;
  boost::system::error_code ec;
  body.open(path.c_str(), beast::file_mode::scan, ec);
  if (ec) {
    return send_text(404, "text/plain; charset=utf-8", "見つかりません / not found\n", keep_alive);
  }
  const auto size = body.size();
  http::response<http::file_body> response{std::piecewise_construct,
                                           std::make_tuple(std::move(body)),
                                           std::make_tuple(http::status::ok, 11)};
  set_common_headers(response);
  response.set(http::field::content_type, mime_type(path));
  response.set(http::field::cache_control, "no-cache");
  response.content_length(size);
  response.keep_alive(keep_alive);
  if (head_only) {
    http::response<http::empty_body> head{http::status::ok, 11};
    set_common_headers(head);
    head.set(http::field::content_type, mime_type(path));
    head.content_length(size);
    head.keep_alive(keep_alive);
    return send(std::move(head));
  }
  send(std::move(response));
}

template <class Stream>
template <class Response>
void HttpSession<Stream>::send(Response&& response) {
  auto shared = std::make_shared<std::decay_t<Response>>(std::forward<Response>(response));
  response_ = shared;
  const bool keep_alive = shared->keep_alive();
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  http::async_write(stream_, *shared,
                    beast::bind_front_handler(&HttpSession<Stream>::on_write,
                                              this->shared_from_this(), keep_alive));
}

template <class Stream>
void HttpSession<Stream>::on_write(bool keep_alive, boost::system::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return fail(ec, "http write");
  if (!keep_alive) return do_close();
  do_read();
}

template <class Stream>
void HttpSession<Stream>::do_close() {
  if constexpr (is_tls<Stream>) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = this->shared_from_this()](boost::system::error_code) {});
  } else {
    boost::system::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  }
}

template class HttpSession<beast::tcp_stream>;
template class HttpSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace renkei::net
