// What every session of one server shares: the application, the limits and
// the per-address connection counts. Outlives every session.
#pragma once

#include <memory>

#include "app/application.hpp"
#include "net/address_limiter.hpp"
#include "net/server_config.hpp"

namespace renkei::net {

struct ServerContext {
  app::Application& app;
  const ServerConfig& config;
  std::shared_ptr<AddressLimiter> addresses;
};

// Logs a network error unless it is the ordinary end of a connection.
void fail(const boost::system::error_code& ec, const char* what);

}  // namespace renkei::net
