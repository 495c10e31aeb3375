// One HTTP connection: reads requests within the head and body limits and
// the head timeout, answers what is the network's own (static files and the
// browser client's pages, /join/<token>, health, metrics), hands every
// request under /api/ to the application (Application::handle_api) and
// WebSocket upgrades of /ws to a WebSocketSession.
//
// Threading: runs on its stream's strand; keeps itself alive through
// shared_from_this in pending operations.
//
// `Stream` is beast::tcp_stream (HTTP) or beast::ssl_stream<tcp_stream>
// (HTTPS, with --tls-cert/--tls-key); both are instantiated in
// http_session.cpp.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/address_limiter.hpp"
#include "net/request_target.hpp"
#include "net/server_context.hpp"

namespace renkei::net {

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream&& stream, ServerContext& context, std::shared_ptr<AddressLimiter::Slot> slot);

  void start();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  void on_handshake(boost::system::error_code ec);
  void do_read();
  void on_read(boost::system::error_code ec, std::size_t bytes);
  void handle(Request request);
  // The request as the application's API sees it (every path under /api/
  // goes to Application::handle_api); takes the body.
  app::ApiRequest api_request_of(Request& request);
  // The request has an Origin of this server or of --allow-origin.
  // The peer is one of the configured trusted proxies.
  bool from_trusted_proxy() const;
  bool from_allowed_origin(const Request& request) const;
  void upgrade(Request request);
  void send_text(unsigned status, std::string_view content_type, std::string body, bool keep_alive,
                 std::vector<std::pair<std::string, std::string>> headers = {});
  // From any thread: posts the reply to this session's strand.
  void send_reply_later(app::HttpReply reply, bool keep_alive,
                        std::vector<std::pair<std::string, std::string>> headers);
  void send_file(const std::string& path, bool head_only, bool keep_alive);
  template <class Response>
  void send(Response&& response);
  void on_write(bool keep_alive, boost::system::error_code ec, std::size_t bytes);
  void do_close();

  Stream stream_;
  ServerContext& context_;
  std::shared_ptr<AddressLimiter::Slot> slot_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<void> response_;  // the response being written
};

}  // namespace renkei::net
