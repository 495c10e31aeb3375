// One WebSocket client connection of the load generator.
//
// Speaks either the v1 contract directly (Renkei, the `ws` peer) or the same
// JSON objects wrapped in Socket.IO v4 packets over its WebSocket transport
// (`42["m",{...}]`, with the Engine.IO open/connect handshake and ping/pong
// handled here), so that one generator drives all three servers with the same
// messages.
//
// Threading: a connection lives on one single-threaded io_context; every
// method is called on that context's thread. Messages are handed to
// `on_message` as the inner JSON object text (never copied for v1).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace renkei::bench {

enum class Protocol { v1, socketio };

struct Target {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  Protocol protocol = Protocol::v1;
};

using Clock = std::chrono::steady_clock;

class LoadConnection : public std::enable_shared_from_this<LoadConnection> {
 public:
  using MessageHandler = std::function<void(LoadConnection&, std::string_view text)>;
  using DoneHandler = std::function<void(LoadConnection&, boost::system::error_code)>;

  LoadConnection(boost::asio::io_context& ioc, const Target& target, std::size_t index);

  // TCP connect, WebSocket upgrade and (Socket.IO) namespace connect; `done`
  // gets the first error or success. `receive_buffer` > 0 sets SO_RCVBUF
  // before connecting (slow-reader scenario).
  void connect(DoneHandler done, int receive_buffer = 0);

  // Reads continuously, handing every application message to `handler`;
  // `closed` runs once when reading ends (error or close).
  void start_reading(MessageHandler handler, DoneHandler closed);
  // Stops issuing reads after the current one (the slow-reader scenario).
  void stop_reading() { reading_ = false; }

  // Queues one JSON object text (wrapped for Socket.IO) for sending, in order.
  void send(std::string json);

  // Closes with a close frame (1000); `done` runs when the close handshake
  // ended or failed. Abort() drops the TCP connection at once.
  void close(std::function<void()> done);
  void abort();

  std::size_t index() const { return index_; }
  bool open() const { return open_; }
  std::size_t queued() const { return queue_.size(); }

 private:
  void do_write();
  void do_read();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  Target target_;
  std::size_t index_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool reading_ = false;
  bool open_ = false;
  MessageHandler handler_;
  DoneHandler closed_;
};

}  // namespace renkei::bench
