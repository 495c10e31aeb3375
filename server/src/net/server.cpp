#include "net/server.hpp"

#include <boost/asio/ip/address.hpp>

namespace renkei::net {

Server::Server(boost::asio::io_context& ioc, const ServerConfig& config, app::Application& app)
    : ioc_(ioc),
      config_(config),
      sweeper_(std::make_unique<IdleSweeper>(ioc, config.threads, config.idle_timeout,
                                             config.handshake_timeout)),
      context_{app, config,
               std::make_shared<AddressLimiter>(config.max_connections_per_address,
                                                config.trusted_proxies)} {
  context_.sweeper = sweeper_.get();
  if (!config.tls_cert.empty() || !config.tls_key.empty()) {
    tls_ = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    tls_->set_options(boost::asio::ssl::context::default_workarounds |
                      boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                      boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1);
    tls_->use_certificate_chain_file(config.tls_cert);
    tls_->use_private_key_file(config.tls_key, boost::asio::ssl::context::pem);
    context_.tls = tls_.get();
  }
  const auto address = boost::asio::ip::make_address(config.bind);
  listener_ = std::make_shared<Listener>(ioc, boost::asio::ip::tcp::endpoint{address, config.port},
                                         context_);
  listener_->start();
}

void Server::run() {
  std::vector<std::thread> threads;
  const std::size_t count = config_.threads > 0 ? config_.threads : 1;
  for (std::size_t i = 1; i < count; ++i) threads.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  listener_->stop();
  ioc_.stop();
}

}  // namespace renkei::net
