#include "net/pg_listener.hpp"

#include <libpq-fe.h>

#include <boost/asio/post.hpp>
#include <iostream>
#include <utility>

namespace renkei::net {

namespace {
constexpr std::chrono::milliseconds first_backoff{50};
constexpr std::chrono::milliseconds longest_backoff{2000};
}  // namespace

PgListener::PgListener(boost::asio::any_io_executor executor, std::string uri,
                       std::vector<std::string> channels, Notify on_notify,
                       std::function<void()> on_connected)
    : strand_(boost::asio::make_strand(std::move(executor))),
      retry_(strand_),
      uri_(std::move(uri)),
      channels_(std::move(channels)),
      on_notify_(std::move(on_notify)),
      on_connected_(std::move(on_connected)) {}

PgListener::~PgListener() {
  if (socket_) socket_->release();
  PQfinish(conn_);
}

void PgListener::start() {
  boost::asio::post(strand_, [self = shared_from_this()] { self->connect(); });
}

void PgListener::stop() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->retry_.cancel();
    self->close();
  });
}

void PgListener::close() {
  if (socket_) {
    boost::system::error_code ignored;
    socket_->cancel(ignored);
    socket_->release();  // libpq owns the descriptor; PQfinish closes it
    socket_.reset();
  }
  socket_fd_ = -1;
  PQfinish(conn_);
  conn_ = nullptr;
}

bool PgListener::watch_socket() {
  const int fd = PQsocket(conn_);
  if (fd < 0) return false;
  if (socket_ && fd == socket_fd_) return true;
  if (socket_) {
    boost::system::error_code ignored;
    socket_->cancel(ignored);
    socket_->release();
  }
  socket_.emplace(strand_, fd);
  socket_fd_ = fd;
  return true;
}

void PgListener::connect() {
  if (stopped_) return;
  close();
  conn_ = PQconnectStart(uri_.c_str());
  if (conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD) {
    lost(conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory");
    return;
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  if (!watch_socket()) {
    lost("no socket");
    return;
  }
  // A connection in progress first waits to write (libpq's protocol).
  poll_connect(true);
}

void PgListener::poll_connect(bool want_write) {
  socket_->async_wait(want_write ? boost::asio::posix::stream_descriptor::wait_write
                                 : boost::asio::posix::stream_descriptor::wait_read,
                      [self = shared_from_this()](boost::system::error_code ec) {
                        if (self->stopped_ || ec == boost::asio::error::operation_aborted) return;
                        if (ec) return self->lost(ec.message());
                        switch (PQconnectPoll(self->conn_)) {
                          case PGRES_POLLING_OK:
                            if (!self->watch_socket()) return self->lost("no socket");
                            return self->listen();
                          case PGRES_POLLING_READING:
                            if (!self->watch_socket()) return self->lost("no socket");
                            return self->poll_connect(false);
                          case PGRES_POLLING_WRITING:
                            if (!self->watch_socket()) return self->lost("no socket");
                            return self->poll_connect(true);
                          default: return self->lost(PQerrorMessage(self->conn_));
                        }
                      });
}

void PgListener::listen() {
  if (PQsetnonblocking(conn_, 1) != 0) return lost(PQerrorMessage(conn_));
  std::string sql;
  for (const auto& channel : channels_) {
    char* quoted = PQescapeIdentifier(conn_, channel.c_str(), channel.size());
    if (quoted == nullptr) return lost(PQerrorMessage(conn_));
    sql += "LISTEN ";
    sql += quoted;
    sql += ";";
    PQfreemem(quoted);
  }
  if (PQsendQuery(conn_, sql.c_str()) == 0) return lost(PQerrorMessage(conn_));
  // A short query on a fresh connection: flushing it cannot block for long,
  // but in non-blocking mode it may need more than one call.
  while (PQflush(conn_) == 1) {
  }
  drain_listen_results();
}

void PgListener::drain_listen_results() {
  if (PQconsumeInput(conn_) == 0) return lost(PQerrorMessage(conn_));
  while (PQisBusy(conn_) == 0) {
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) {
      // LISTEN is in force on every channel.
      ++connections_;
      backoff_ = first_backoff;
      if (on_connected_) on_connected_();
      if (stopped_) return;
      return wait_readable();
    }
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!ok) return lost(PQerrorMessage(conn_));
  }
  socket_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                      [self = shared_from_this()](boost::system::error_code ec) {
                        if (self->stopped_ || ec == boost::asio::error::operation_aborted) return;
                        if (ec) return self->lost(ec.message());
                        self->drain_listen_results();
                      });
}

void PgListener::wait_readable() {
  socket_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                      [self = shared_from_this()](boost::system::error_code ec) {
                        if (self->stopped_ || ec == boost::asio::error::operation_aborted) return;
                        if (ec) return self->lost(ec.message());
                        self->on_readable();
                      });
}

void PgListener::on_readable() {
  if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) == CONNECTION_BAD)
    return lost(PQerrorMessage(conn_));
  while (PGnotify* notification = PQnotifies(conn_)) {
    std::string channel = notification->relname;
    std::string payload = notification->extra;
    PQfreemem(notification);
    if (on_notify_) on_notify_(channel, payload);
    if (stopped_) return;
  }
  // Nothing else is ever sent on this connection; a result here would be
  // an error report (the server shutting down), read so that it is freed.
  while (PQisBusy(conn_) == 0) {
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) break;
    PQclear(result);
  }
  wait_readable();
}

void PgListener::lost(const std::string& why) {
  close();
  if (stopped_) return;
  std::string reason = why;
  while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
  std::cerr << "renkei: PostgreSQL listener: " << reason << "; connecting again in "
            << backoff_.count() << " ms\n";
  retry_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, longest_backoff);
  retry_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->connect();
  });
}

}  // namespace renkei::net
