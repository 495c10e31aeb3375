// Accepts TCP connections and starts an HttpSession for each, within the
// per-address limit. Keeps accepting after an error.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "net/server_context.hpp"

namespace renkei::net {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens at once; throws boost::system::system_error.
  Listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint,
           ServerContext& context);

  void start();
  void stop();
  std::uint16_t port() const;

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ServerContext& context_;
};

}  // namespace renkei::net
