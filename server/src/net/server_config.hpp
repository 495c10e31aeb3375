// Limits and settings of the network layer, each with its documented
// default (README.md, "Configuration").
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace renkei::net {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t threads = 2;                 // I/O threads
  std::string web_dir;                     // static files of the browser client
  std::vector<std::string> allow_origins;  // besides the server's own origin
  // Addresses of reverse proxies (nginx) whose X-Forwarded-Host,
  // X-Forwarded-Proto and X-Forwarded-For are believed: the Origin rule then
  // compares with the forwarded origin, the client address is the one the
  // proxy saw, and the proxy's own connections are not counted per address.
  // From any other peer those headers are ignored.
  std::vector<std::string> trusted_proxies;
  std::string tls_cert;  // PEM certificate chain; with tls_key: HTTPS/WSS only
  std::string tls_key;   // PEM private key

  std::size_t max_frame = 64 * 1024;         // text frame; larger: too_large, 1009
  std::size_t max_unsent = 8 * 1024 * 1024;  // per connection; larger: dropped
  double commands_per_second = 50;           // sustained, per connection
  double command_burst = 100;                // bucket size
  std::size_t max_connections_per_address = 256;
  std::size_t max_header = 16 * 1024;                  // HTTP request head; larger: 431
  std::size_t max_body = 64 * 1024;                    // HTTP request body; larger: 413
  std::chrono::milliseconds header_timeout{10000};     // request head (and TLS handshake)
  std::chrono::milliseconds handshake_timeout{10000};  // WebSocket handshakes (accept, close)
  std::chrono::milliseconds idle_timeout{120000};      // WebSocket: no frames, no pong

  // Only one thread runs the io_context: its handlers already run one at a
  // time, so rooms and connections need no strands.
  bool one_io_thread() const { return threads <= 1; }
};

}  // namespace renkei::net
