#include "net/listener.hpp"

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <iostream>

#include "net/http_session.hpp"

namespace renkei::net {

void fail(const boost::system::error_code& ec, const char* what) {
  if (ec == boost::asio::error::operation_aborted || ec == boost::asio::error::eof ||
      ec == boost::beast::error::timeout || ec == boost::asio::error::connection_reset ||
      ec == boost::asio::error::broken_pipe || ec == boost::asio::error::bad_descriptor) {
    return;
  }
  std::cerr << "renkei: " << what << ": " << ec.message() << '\n';
}

Listener::Listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint,
                   ServerContext& context)
    : ioc_(ioc), acceptor_(boost::asio::make_strand(ioc)), context_(context) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(boost::asio::socket_base::max_listen_connections);
}

std::uint16_t Listener::port() const { return acceptor_.local_endpoint().port(); }

void Listener::start() { do_accept(); }

void Listener::stop() {
  boost::asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

// Each connection gets a strand of its own, unless one thread runs the
// io_context: then its handlers already run one at a time, and a strand
// would only add a queue, a mutex and reference-counted executor copies to
// every post and completion.
void Listener::do_accept() {
  boost::asio::any_io_executor executor =
      context_.config.one_io_thread()
          ? boost::asio::any_io_executor(ioc_.get_executor())
          : boost::asio::any_io_executor(boost::asio::make_strand(ioc_));
  acceptor_.async_accept(
      executor, boost::beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
  if (ec == boost::asio::error::operation_aborted) return;  // stopped
  if (ec) {
    fail(ec, "accept");
  } else {
    boost::system::error_code endpoint_error;
    const auto remote = socket.remote_endpoint(endpoint_error);
    auto slot =
        endpoint_error ? nullptr : context_.addresses->acquire(remote.address().to_string());
    if (slot && context_.tls) {
      std::make_shared<HttpSession<TlsStream>>(
          TlsStream(boost::beast::tcp_stream(std::move(socket)), *context_.tls), context_,
          std::move(slot))
          ->start();
    } else if (slot) {
      std::make_shared<HttpSession<boost::beast::tcp_stream>>(
          boost::beast::tcp_stream(std::move(socket)), context_, std::move(slot))
          ->start();
    } else {
      boost::system::error_code ignored;
      socket.close(ignored);  // over the per-address limit
    }
  }
  do_accept();
}

}  // namespace renkei::net
