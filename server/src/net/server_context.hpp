// What every session of one server shares: the application, the limits and
// the per-address connection counts. Outlives every session.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <type_traits>

#include "app/application.hpp"
#include "net/address_limiter.hpp"
#include "net/idle_sweeper.hpp"
#include "net/server_config.hpp"

namespace renkei::net {

struct ServerContext {
  app::Application& app;
  const ServerConfig& config;
  std::shared_ptr<AddressLimiter> addresses;
  boost::asio::ssl::context* tls = nullptr;  // set when serving HTTPS/WSS
  IdleSweeper* sweeper = nullptr;            // the WebSocket sessions' timeouts
};

// True for the TLS stream (HTTPS/WSS), false for plain TCP.
template <class Stream>
inline constexpr bool is_tls = !std::is_same_v<Stream, boost::beast::tcp_stream>;

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Logs a network error unless it is the ordinary end of a connection.
void fail(const boost::system::error_code& ec, const char* what);

}  // namespace renkei::net
