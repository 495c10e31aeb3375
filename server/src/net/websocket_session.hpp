// One WebSocket client: the hello handshake, catch-up, live events, and the
// command path into its council's room.
//
// Threading: everything runs on the session's strand (the executor of its
// tcp_stream). Rooms and the application reach it only through the
// app::Connection methods, which post to that strand. The session keeps
// itself alive through shared_from_this in its pending operations.
//
// Output: every frame (event, ack, error, presence) is appended at once to
// the CoalescingStream's buffer, in order, and a burst goes out in one
// write. A client whose unsent output passes max_unsent is dropped at once,
// without slowing anyone else.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/connection.hpp"
#include "app/rate_limiter.hpp"
#include "app/room.hpp"
#include "domain/actor.hpp"
#include "net/address_limiter.hpp"
#include "net/coalescing_stream.hpp"
#include "net/frame_queue.hpp"
#include "net/server_context.hpp"

namespace renkei::net {

// `Stream` is beast::tcp_stream or TlsStream (WSS); both are instantiated in
// websocket_session.cpp.
template <class Stream>
class WebSocketSession final : public app::Connection,
                               public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  // `session_cookie` is the session cookie's value when the upgrade carried
  // one (and passed the Origin check); a hello without a token uses it.
  WebSocketSession(Stream&& stream, ServerContext& context,
                   std::shared_ptr<AddressLimiter::Slot> slot,
                   std::optional<std::string> session_cookie);
  ~WebSocketSession() override;

  // Accepts the upgrade request and starts reading.
  void start(boost::beast::http::request<boost::beast::http::string_body> request);

  // app::Connection
  std::uint64_t id() const override { return id_; }
  void send_events(std::shared_ptr<const app::FrameBatch> batch) override;
  void send_frame(app::Frame frame) override;
  void run(std::function<void()> fn) override;
  void close(std::uint16_t code) override;

 private:
  enum class Phase { awaiting_hello, authenticating, syncing, live, closing };

  void on_accept(boost::system::error_code ec);
  void do_read();
  void on_read(boost::system::error_code ec, std::size_t bytes);
  void on_message(std::string_view text);
  void on_hello(app::HelloOutcome outcome, std::uint64_t since);
  void request_catch_up();
  void on_catch_up(std::optional<std::vector<std::string>> frames);
  void pump_catch_up();
  void finish_sync();

  void deliver(std::uint64_t seq, app::Frame frame);
  void enqueue(const app::Frame& frame);
  // A buffer write landed: `frames` appended frames of `bytes` are gone.
  void on_written(std::size_t frames, std::size_t bytes);
  std::size_t unsent() const { return ws_.next_layer().unsent_bytes(); }
  void reply_error(const domain::Error& error, std::optional<std::string_view> id = {});
  // Sends what is queued, then a close frame with `code`.
  void close_after_send(std::uint16_t code);
  void drop();

  // Frames are written back to back through CoalescingStream.
  boost::beast::websocket::stream<CoalescingStream<Stream>> ws_;
  ServerContext& context_;
  std::shared_ptr<AddressLimiter::Slot> slot_;
  std::optional<std::string> session_cookie_;
  const std::uint64_t id_;
  boost::beast::flat_buffer buffer_;

  Phase phase_ = Phase::awaiting_hello;
  std::shared_ptr<app::Room> room_;
  domain::Actor me_;
  std::string council_;
  app::RateLimiter limiter_;

  // Catch-up: frames (since, sync_upto_] come from the database in chunks;
  // live frames that arrive meanwhile wait in held_.
  std::uint64_t sent_seq_ = 0;   // highest event seq queued for this client
  std::uint64_t sync_upto_ = 0;  // committed head when the client joined
  bool catch_up_pending_ = false;
  bool catch_up_exhausted_ = false;  // the last chunk was short
  FrameQueue catch_up_backlog_;      // read, not yet queued (no storage when empty)
  std::vector<std::pair<std::uint64_t, app::Frame>> held_;
  std::size_t held_bytes_ = 0;

  bool closed_ = false;
};

}  // namespace renkei::net
