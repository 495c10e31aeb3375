// One WebSocket client: the upgrade, the hello handshake, catch-up, live
// events, and the command path into its council's room. What a message may
// do (the command budget, the heartbeat's answer, the observer rule) is
// decided by the app layer's CommandGate; this class frames and transports.
//
// The WebSocket protocol is our own, over the raw stream (RFC 6455, server
// side, no extensions): HttpSession has parsed the upgrade request; start()
// checks it and answers 101; ws_frame.hpp parses client frames; server
// frames are written here.
//
// Threading: everything runs on the session's strand (the executor of its
// socket). Rooms and the application reach it only through the
// app::Connection methods, which post to that strand; the IdleSweeper posts
// pings and timeouts. The session keeps itself alive through
// shared_from_this in its pending operations.
//
// Reading: on plain TCP an idle connection waits for readability with no
// buffer at all; when bytes arrive they are read into a per-thread scratch
// buffer and parsed there (a frame that arrived whole is handled in place);
// only a message split across reads is kept, by the parser, until complete.
// Over TLS the stream is read into a small per-connection buffer.
//
// Output: every frame (event, ack, error, presence, ping, pong, close) is
// appended at once to one buffer, in order, and a burst goes out in one
// write. Buffers come from a per-thread pool and go back after the write,
// so an idle connection holds none. A client whose unsent output passes
// max_unsent is dropped at once, without slowing anyone else.
//
// Timeouts: the IdleSweeper pings a silent peer at half the idle timeout
// and times it out at the full timeout; it also bounds the writing of the
// 101 response and the wait for the peer's close frame (handshake_timeout).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "app/command_gate.hpp"
#include "app/connection.hpp"
#include "app/room.hpp"
#include "domain/actor.hpp"
#include "net/address_limiter.hpp"
#include "net/frame_queue.hpp"
#include "net/idle_sweeper.hpp"
#include "net/server_context.hpp"
#include "net/ws_frame.hpp"

namespace renkei::net {

// `Stream` is beast::tcp_stream or TlsStream (WSS); both are instantiated in
// websocket_session.cpp. Over plain TCP the session keeps only the socket.
template <class Stream>
class WebSocketSession final : public app::Connection,
                               public IdleSweeper::Entry,
                               public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  using Transport = std::conditional_t<is_tls<Stream>, TlsStream, boost::asio::ip::tcp::socket>;

  // `session_cookie` is the session cookie's value when the upgrade carried
  // one (and passed the Origin check); a hello without a token uses it.
  WebSocketSession(Stream&& stream, ServerContext& context,
                   std::shared_ptr<AddressLimiter::Slot> slot,
                   std::optional<std::string> session_cookie);
  ~WebSocketSession() override;

  // Answers the upgrade request (101, or 400/426 and close) and starts
  // reading. `early` holds the bytes read after the request in the same
  // read (frames a client sent without waiting for 101): they are handled
  // first, as if just received.
  void start(const boost::beast::http::request<boost::beast::http::string_body>& request,
             std::string early = {});

  // app::Connection
  std::uint64_t id() const override { return id_; }
  void send_events(std::shared_ptr<const app::FrameBatch> batch) override;
  void send_frame(app::Frame frame) override;
  void run(std::function<void()> fn) override;
  void close(std::uint16_t code) override;

  // IdleSweeper::Entry
  void swept(IdleSweeper::Action action) override;

 private:
  enum class Phase : std::uint8_t { awaiting_hello, authenticating, syncing, live, closing };

  // --- reading ---
  void do_read();
  void on_readable(boost::system::error_code ec);
  // TLS, or plain TCP with several I/O threads: a read into read_buffer_.
  void on_buffered_read(boost::system::error_code ec, std::size_t bytes);
  // Parses and handles `size` received bytes; false when reading stops
  // (hello pending: the rest is kept in paused_input_; or the end).
  bool consume(char* data, std::size_t size);
  void resume_reading();
  void on_read_error(boost::system::error_code ec);
  void on_peer_close(std::uint16_t code);
  void on_protocol_error(std::uint16_t code);

  // --- the protocol ---
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
  std::size_t unsent() const { return pending_.size() + writing_.size(); }
  void reply_error(const domain::Error& error, std::optional<std::string_view> id = {});
  // Sends what is queued, then a close frame with `code`.
  void close_after_send(std::uint16_t code);
  void drop();

  // --- writing ---
  // Appends a frame; returns the bytes it took, 0 when nothing more may be
  // written. Text frames count in the queue metrics.
  std::size_t append_frame(std::uint8_t opcode, std::string_view payload);
  void append_close(std::uint16_t code);
  void append_raw(std::string_view bytes);
  void schedule_flush();
  void flush();
  void on_flushed(boost::system::error_code ec);
  // Everything appended is written (or failed).
  void on_drained();
  // Closes the socket; the session ends once its handlers have run.
  void finish();
  boost::asio::ip::tcp::socket& socket();

  Transport stream_;
  ServerContext& context_;
  std::shared_ptr<AddressLimiter::Slot> slot_;
  std::optional<std::string> session_cookie_;
  const std::uint64_t id_;
  ws::FrameParser parser_;
  std::string paused_input_;             // received while hello is pending
  std::unique_ptr<char[]> read_buffer_;  // TLS, or several I/O threads: the read in flight

  std::vector<char> pending_;       // appended, not yet handed to the socket
  std::vector<char> writing_;       // the write in flight
  std::size_t written_ = 0;         // bytes of writing_ already written
  std::size_t pending_frames_ = 0;  // appended text frames in pending_
  std::size_t pending_frame_bytes_ = 0;
  std::size_t writing_frames_ = 0;  // ... in writing_
  std::size_t writing_frame_bytes_ = 0;

  Phase phase_ = Phase::awaiting_hello;
  bool closed_ = false;        // no more frames for this client
  bool upgraded_ = false;      // the 101 response is queued
  bool reading_ = false;       // a read or wait is pending
  bool flushing_ = false;      // a write is in flight
  bool flush_posted_ = false;  // a flush is queued on the strand
  bool write_failed_ = false;  // the socket failed: output is discarded
  bool close_queued_ = false;  // our close frame (or a refusal) is appended
  bool peer_closed_ = false;   // the peer's close frame arrived
  bool finished_ = false;      // the socket is closed

  std::shared_ptr<app::Room> room_;
  domain::Actor me_;
  std::string council_;
  app::CommandGate gate_;  // the command budget and rules (app/command_gate.hpp)

  // Catch-up: frames (since, sync_upto_] come from the database in chunks;
  // live frames that arrive meanwhile wait in held_.
  std::uint64_t sent_seq_ = 0;   // highest event seq queued for this client
  std::uint64_t sync_upto_ = 0;  // committed head when the client joined
  bool catch_up_pending_ = false;
  bool catch_up_exhausted_ = false;  // the last chunk was short
  FrameQueue catch_up_backlog_;      // read, not yet queued (no storage when empty)
  std::vector<std::pair<std::uint64_t, app::Frame>> held_;
  std::size_t held_bytes_ = 0;
};

}  // namespace renkei::net
