// PostgreSQL's LISTEN/NOTIFY inside Asio (POSTGRES.md "Fan-out"): one
// libpq connection that only listens, driven without blocking. The socket
// libpq opened (PQsocket) is wrapped in a stream_descriptor and waited on;
// PQconnectPoll, PQconsumeInput and PQnotifies never wait, so no I/O thread
// ever waits on the database. A lost connection (server restart,
// pg_terminate_backend) is re-made with a backoff of 50 ms doubling to 2 s;
// `on_connected` runs after every (re)connection once LISTEN is in force,
// so the owner can read what it may have missed meanwhile.
//
// Threading: everything runs on a strand of the given executor, and so do
// the callbacks, which must not block. start() and stop() are thread-safe.
// Held by shared_ptr (handlers keep it alive until stop() has run).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

typedef struct pg_conn PGconn;

namespace renkei::net {

class PgListener : public std::enable_shared_from_this<PgListener> {
 public:
  using Notify = std::function<void(const std::string& channel, const std::string& payload)>;

  PgListener(boost::asio::any_io_executor executor, std::string uri,
             std::vector<std::string> channels, Notify on_notify,
             std::function<void()> on_connected);
  ~PgListener();
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;

  void start();
  // Closes the connection; no callback runs after it has run.
  void stop();

  // Connections made so far (tests).
  std::uint64_t connections() const { return connections_; }

 private:
  void connect();
  // Waits for what PQconnectPoll asked for, then polls again.
  void poll_connect(bool want_write);
  void listen();
  void drain_listen_results();
  void wait_readable();
  void on_readable();
  void lost(const std::string& why);
  void close();
  // Wraps the connection's current socket (libpq may change it while
  // connecting).
  bool watch_socket();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer retry_;
  std::optional<boost::asio::posix::stream_descriptor> socket_;
  int socket_fd_ = -1;
  PGconn* conn_ = nullptr;
  const std::string uri_;
  const std::vector<std::string> channels_;
  Notify on_notify_;
  std::function<void()> on_connected_;
  std::chrono::milliseconds backoff_{50};
  bool stopped_ = false;
  std::uint64_t connections_ = 0;
};

}  // namespace renkei::net
