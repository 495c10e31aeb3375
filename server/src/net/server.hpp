// The network server: an io_context run by a pool of I/O threads, one
// listener, and the context its sessions share. Construction binds the port.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "net/listener.hpp"
#include "net/server_context.hpp"

namespace renkei::net {

class Server {
 public:
  Server(boost::asio::io_context& ioc, const ServerConfig& config, app::Application& app);

  std::uint16_t port() const { return listener_->port(); }

  // Runs the I/O threads until stop(); blocks the caller (which is one of
  // them).
  void run();
  // Thread-safe: stops accepting and stops the io_context.
  void stop();

 private:
  boost::asio::io_context& ioc_;
  const ServerConfig& config_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::unique_ptr<IdleSweeper> sweeper_;
  ServerContext context_;
  std::shared_ptr<Listener> listener_;
};

}  // namespace renkei::net
