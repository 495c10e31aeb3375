#include "net/websocket_session.hpp"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cstring>

#include "net/write_buffer_pool.hpp"
#include "protocol/client_message.hpp"
#include "protocol/server_messages.hpp"

namespace beast = boost::beast;
namespace http = beast::http;

namespace renkei::net {
namespace {

std::atomic<std::uint64_t> next_connection_id{1};

// Catch-up reads this many frames at a time and asks for more only while
// less than catch_up_low_water bytes wait to be written.
constexpr std::size_t catch_up_chunk = 500;
constexpr std::size_t catch_up_low_water = 1024 * 1024;

// Plain TCP: received bytes are read into this per-thread buffer and parsed
// in place, so an idle connection holds no read buffer.
constexpr std::size_t scratch_size = 32 * 1024;
// TLS: each connection reads into a buffer of its own (the read waits in
// the TLS stream).
constexpr std::size_t tls_read_size = 2 * 1024;
// Plain TCP with several I/O threads: the pending read goes into a small
// buffer of the connection's own (see do_read); what does not fit is read
// into the scratch buffer.
constexpr std::size_t wake_read_size = 256;

// Close codes.
constexpr std::uint16_t close_internal_error = 1011;
constexpr std::uint16_t close_try_again_later = 1013;
constexpr std::uint16_t close_bad_request = 4400;  // the contract's
constexpr std::uint16_t close_unauthorized = 4401;
// AUTHORIZATION.md: a person who must enrol a second factor first.
constexpr std::uint16_t close_enrolment_required = 4403;

app::Frame frame_of(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

char* scratch() {
  thread_local std::unique_ptr<char[]> buffer(new char[scratch_size]);
  return buffer.get();
}

// RFC 6455 section 4.2.1: the key is 16 bytes in base64 (24 characters).
bool valid_key(std::string_view key) {
  if (key.size() != 24 || key[22] != '=' || key[23] != '=') return false;
  for (std::size_t i = 0; i < 22; ++i) {
    const char c = key[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

// The answer to an upgrade request: 101 with the accept key, or the refusal
// Beast's accept gave (400, or 426 for another protocol version). Empty
// `refusal` means accepted.
std::string upgrade_response(const http::request<http::string_body>& request, bool& accepted) {
  accepted = false;
  auto refuse = [](std::string_view status, std::string_view reason, std::string_view extra) {
    std::string out = "HTTP/1.1 ";
    out.append(status);
    out += "\r\nServer: renkei\r\n";
    out.append(extra);
    out += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: ";
    out += std::to_string(reason.size());
    out += "\r\nConnection: close\r\n\r\n";
    out.append(reason);
    return out;
  };
  auto has_token = [&](http::field field, std::string_view token) {
    auto it = request.find(field);
    return it != request.end() && http::token_list{it->value()}.exists(token);
  };
  if (request.version() != 11) return refuse("400 Bad Request", "bad HTTP version", "");
  if (request.method() != http::verb::get) return refuse("400 Bad Request", "bad method", "");
  if (request.find(http::field::host) == request.end())
    return refuse("400 Bad Request", "no Host", "");
  if (!has_token(http::field::connection, "upgrade"))
    return refuse("400 Bad Request", "no Connection: upgrade", "");
  if (!has_token(http::field::upgrade, "websocket"))
    return refuse("400 Bad Request", "no Upgrade: websocket", "");
  auto key = request.find(http::field::sec_websocket_key);
  if (key == request.end() || !valid_key(key->value()))
    return refuse("400 Bad Request", "bad Sec-WebSocket-Key", "");
  auto version = request.find(http::field::sec_websocket_version);
  if (version == request.end()) return refuse("400 Bad Request", "no Sec-WebSocket-Version", "");
  if (version->value() != "13")
    return refuse("426 Upgrade Required", "bad Sec-WebSocket-Version",
                  "Sec-WebSocket-Version: 13\r\n");
  beast::websocket::detail::sec_ws_accept_type accept;
  beast::websocket::detail::make_sec_ws_accept(accept, key->value());
  accepted = true;
  std::string out =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
      "Sec-WebSocket-Accept: ";
  out.append(accept.data(), accept.size());
  out += "\r\nServer: renkei\r\n\r\n";
  return out;
}

template <class Stream>
auto transport_of(Stream&& stream) {
  if constexpr (is_tls<std::decay_t<Stream>>) {
    return std::move(stream);
  } else {
    return stream.release_socket();
  }
}

}  // namespace

template <class Stream>
WebSocketSession<Stream>::WebSocketSession(Stream&& stream, ServerContext& context,
                                           std::shared_ptr<AddressLimiter::Slot> slot,
                                           std::optional<std::string> session_cookie)
    : stream_(transport_of(std::move(stream))),
      context_(context),
      slot_(std::move(slot)),
      session_cookie_(std::move(session_cookie)),
      id_(next_connection_id.fetch_add(1)),
      parser_(context.config.max_frame),
      gate_(context.config.commands_per_second, context.config.command_burst) {}

template <class Stream>
WebSocketSession<Stream>::~WebSocketSession() {
  if (context_.sweeper) context_.sweeper->remove(*this, id_);
  if (room_) room_->leave(id_);
  WriteBufferPool::give_back(pending_);
  WriteBufferPool::give_back(writing_);
  context_.app.metrics().queue_shrank(pending_frames_ + writing_frames_,
                                      pending_frame_bytes_ + writing_frame_bytes_);
  context_.app.metrics().connection_closed();
}

template <class Stream>
boost::asio::ip::tcp::socket& WebSocketSession<Stream>::socket() {
  if constexpr (is_tls<Stream>) {
    return beast::get_lowest_layer(stream_).socket();
  } else {
    return stream_;
  }
}

template <class Stream>
void WebSocketSession<Stream>::start(const http::request<http::string_body>& request,
                                     std::string early) {
  context_.app.metrics().connection_opened();
  // Frames are small and latency matters (an ack follows its event at
  // once): no Nagle delay.
  boost::system::error_code ignored;
  socket().set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  // Reads and the first write attempt of each burst are made directly.
  if constexpr (!is_tls<Stream>) socket().non_blocking(true, ignored);
  touch(IdleSweeper::now_ms());
  set_deadline(IdleSweeper::now_ms() + context_.config.handshake_timeout.count());
  if (context_.sweeper) context_.sweeper->add(*this, id_);

  bool accepted = false;
  append_raw(upgrade_response(request, accepted));
  if (!accepted) {
    // The refusal goes out, then the connection ends (on_drained).
    closed_ = true;
    close_queued_ = true;
    phase_ = Phase::closing;
    return;
  }
  upgraded_ = true;
  if (!early.empty()) {
    paused_input_ = std::move(early);
    return resume_reading();
  }
  do_read();
}

// --- reading ----------------------------------------------------------------

template <class Stream>
void WebSocketSession<Stream>::do_read() {
  if (reading_ || finished_) return;
  reading_ = true;
  if constexpr (is_tls<Stream>) {
    if (!read_buffer_) read_buffer_.reset(new char[tls_read_size]);
    stream_.async_read_some(
        boost::asio::buffer(read_buffer_.get(), tls_read_size),
        beast::bind_front_handler(&WebSocketSession::on_buffered_read, this->shared_from_this()));
  } else if (context_.config.one_io_thread()) {
    // One thread runs both this handler and the reactor, so a readiness
    // edge that comes after the last read (which drained the socket) is
    // reported by the next epoll_wait, when this wait is already queued.
    stream_.async_wait(
        boost::asio::socket_base::wait_read,
        beast::bind_front_handler(&WebSocketSession::on_readable, this->shared_from_this()));
  } else {
    // Several threads: another one may take the edge from epoll between
    // our last read and a wait being queued, and asio queues a wait
    // without looking (the edge would be lost until the peer sends more).
    // A read is tried at once, under the descriptor's lock, then queued.
    if (!read_buffer_) read_buffer_.reset(new char[wake_read_size]);
    stream_.async_read_some(
        boost::asio::buffer(read_buffer_.get(), wake_read_size),
        beast::bind_front_handler(&WebSocketSession::on_buffered_read, this->shared_from_this()));
  }
}

// While received bytes are handled, reading_ stays set, so that nothing
// handled starts another read into the buffer being parsed.
template <class Stream>
void WebSocketSession<Stream>::on_readable(boost::system::error_code ec) {
  if (finished_ || ec) {
    reading_ = false;
    if (!finished_) on_read_error(ec);
    return;
  }
  if constexpr (!is_tls<Stream>) {
    char* buffer = scratch();
    for (;;) {
      const std::size_t n = stream_.read_some(boost::asio::buffer(buffer, scratch_size), ec);
      if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) break;
      if (ec) {
        reading_ = false;
        return on_read_error(ec);
      }
      touch(IdleSweeper::now_ms());
      if (!consume(buffer, n)) {
        reading_ = false;
        return;
      }
      if (n < scratch_size) break;
    }
  }
  reading_ = false;
  do_read();
}

template <class Stream>
void WebSocketSession<Stream>::on_buffered_read(boost::system::error_code ec, std::size_t bytes) {
  if (finished_ || ec) {
    reading_ = false;
    if (!finished_) on_read_error(ec);
    return;
  }
  touch(IdleSweeper::now_ms());
  if (!consume(read_buffer_.get(), bytes)) {
    reading_ = false;
    return;
  }
  if constexpr (!is_tls<Stream>) {
    // A full small buffer: the rest is read into the scratch buffer.
    if (bytes == wake_read_size) return on_readable({});
  }
  reading_ = false;
  do_read();
}

template <class Stream>
void WebSocketSession<Stream>::on_read_error(boost::system::error_code ec) {
  // The peer went away (or the connection failed): nothing more may be
  // written.
  closed_ = true;
  if (ec != boost::asio::error::eof && !(peer_closed_ || close_queued_)) fail(ec, "websocket read");
  finish();
}

template <class Stream>
bool WebSocketSession<Stream>::consume(char* data, std::size_t size) {
  for (;;) {
    if (finished_) return false;
    if (phase_ == Phase::authenticating) {
      // Commands wait until the hello is answered.
      paused_input_.append(data, size);
      return false;
    }
    const ws::FrameParser::Event event = parser_.next(data, size);
    switch (event.kind) {
      case ws::FrameParser::Kind::need_more: return true;
      case ws::FrameParser::Kind::text:
        if (!closed_ && phase_ != Phase::closing) on_message(event.payload);
        break;
      case ws::FrameParser::Kind::ping: append_frame(ws::opcode_pong, event.payload); break;
      case ws::FrameParser::Kind::pong: break;
      case ws::FrameParser::Kind::close: on_peer_close(event.code); return false;
      case ws::FrameParser::Kind::error: on_protocol_error(event.code); break;
    }
  }
}

template <class Stream>
void WebSocketSession<Stream>::resume_reading() {
  if (finished_) return;
  if (reading_) return;
  if (!paused_input_.empty()) {
    std::string input = std::move(paused_input_);
    paused_input_ = std::string();
    reading_ = true;  // see on_readable
    const bool more = consume(input.data(), input.size());
    reading_ = false;
    if (!more) return;
  }
  if constexpr (!is_tls<Stream>) {
    // Bytes that arrived while reading was paused were announced by an
    // edge-triggered readiness event with no wait queued; a new async_wait
    // would not see them (asio queues waits without a speculative attempt)
    // and would hang until the peer sent more. Read what is there first.
    // (With several threads do_read would try a read at once too.)
    reading_ = true;
    on_readable({});
  } else {
    do_read();  // a TLS read is tried at once by asio
  }
}

template <class Stream>
void WebSocketSession<Stream>::on_peer_close(std::uint16_t code) {
  peer_closed_ = true;
  closed_ = true;
  if (!close_queued_) {
    // Echo the peer's code (RFC 6455 section 5.5.1), after what is queued.
    phase_ = Phase::closing;
    set_deadline(IdleSweeper::now_ms() + context_.config.handshake_timeout.count());
    append_close(code == ws::close_no_status ? 0 : code);
    close_queued_ = true;
  }
  // Our close frame is out or queued: the socket closes once it is written.
  if (!flushing_ && !flush_posted_) on_drained();
}

template <class Stream>
void WebSocketSession<Stream>::on_protocol_error(std::uint16_t code) {
  if (closed_ || phase_ == Phase::closing) {
    // Past our close: the teardown decides what to wait for.
    if (close_queued_ && !flushing_ && !flush_posted_) on_drained();
    return;
  }
  if (code == ws::close_too_big) {
    reply_error(domain::make_error(
        domain::ErrorCode::too_large,
        "メッセージが大きすぎます (上限 " + std::to_string(context_.config.max_frame) + " バイト)",
        "message too large"));
  }
  close_after_send(code);
}

template <class Stream>
void WebSocketSession<Stream>::on_message(std::string_view text) {
  auto message = protocol::parse_client_message(text);

  if (phase_ == Phase::awaiting_hello) {
    auto* hello = std::get_if<protocol::HelloMessage>(&message);
    if (!hello) {
      reply_error(domain::make_error(domain::ErrorCode::bad_request,
                                     "最初に hello を送ってください", "send hello first"));
      close_after_send(close_bad_request);
      return;
    }
    phase_ = Phase::authenticating;
    app::HelloRequest request;
    request.council = hello->council;
    if (hello->token) {
      request.token = hello->token;
    } else {
      request.session_cookie = session_cookie_;
    }
    const std::uint64_t since = hello->since;
    if (!request.token && !request.session_cookie) {
      on_hello(
          domain::make_error(domain::ErrorCode::unauthorized, "トークンがありません", "no token"),
          since);
      return;
    }
    context_.app.hello(this->shared_from_this(), std::move(request),
                       [self = this->shared_from_this(), since](app::HelloOutcome outcome) {
                         self->on_hello(std::move(outcome), since);
                       });
    return;
  }

  if (auto* error = std::get_if<domain::Error>(&message)) {
    context_.app.metrics().count_error(error->code);
    reply_error(*error);
    return;
  }
  if (std::holds_alternative<protocol::HelloMessage>(message)) {
    reply_error(domain::make_error(domain::ErrorCode::bad_request, "hello は一度だけ送れます",
                                   "hello may be sent only once"));
    return;
  }
  // What may pass is the gate's decision (app/command_gate.hpp).
  const auto now = app::RateLimiter::clock::now();
  if (std::holds_alternative<protocol::PingMessage>(message)) {
    const auto verdict = gate_.ping(now);
    if (verdict != app::CommandGate::Verdict::pong) {
      context_.app.metrics().count_error(domain::ErrorCode::rate_limited);
      reply_error(app::CommandGate::refusal(verdict, true));
      return;
    }
    enqueue(app::CommandGate::pong_frame());
    return;
  }
  auto& cmd = std::get<protocol::CmdMessage>(message);
  context_.app.metrics().count_command();
  std::optional<std::string> op = app::CommandGate::audited_op(cmd);
  const auto verdict = gate_.command(me_, now);
  if (verdict != app::CommandGate::Verdict::accept) {
    const domain::Error& error = app::CommandGate::refusal(verdict, false);
    context_.app.metrics().count_error(error.code);
    context_.app.audit(council_, me_.participant, "command", std::move(op),
                       std::string(domain::to_string(error.code)));
    reply_error(error, cmd.id);
    return;
  }
  if (auto* error = std::get_if<domain::Error>(&cmd.command)) {
    // The room answers: a used id gets its ack again, whatever the args.
    room_->submit_undecodable(this->shared_from_this(), me_, std::move(cmd.id), std::move(op),
                              std::move(*error), std::move(cmd.on_behalf_of));
    return;
  }
  room_->submit(this->shared_from_this(), me_, std::move(cmd.id),
                std::move(std::get<domain::Command>(cmd.command)), std::move(cmd.on_behalf_of));
}

template <class Stream>
void WebSocketSession<Stream>::on_hello(app::HelloOutcome outcome, std::uint64_t since) {
  if (closed_) return resume_reading();
  if (auto* error = std::get_if<domain::Error>(&outcome)) {
    reply_error(*error);
    close_after_send(error->code == domain::ErrorCode::internal ? close_internal_error
                     : error->code == domain::ErrorCode::second_factor_enrolment_required
                         ? close_enrolment_required
                         : close_unauthorized);
    return resume_reading();
  }
  session_cookie_.reset();
  auto& joined = std::get<app::Joined>(outcome);
  room_ = std::move(joined.room);
  me_ = std::move(joined.me);
  council_ = room_->council();
  sync_upto_ = joined.head;
  sent_seq_ = std::min(since, joined.head);

  protocol::WelcomeInfo welcome{council_, room_->name(), room_->kind(), me_, joined.head};
  enqueue(frame_of(protocol::encode_welcome(welcome)));
  phase_ = Phase::syncing;
  if (sent_seq_ >= sync_upto_) {
    finish_sync();
  } else {
    request_catch_up();
  }
  resume_reading();
}

template <class Stream>
void WebSocketSession<Stream>::request_catch_up() {
  catch_up_pending_ = true;
  context_.app.read_frames(
      this->shared_from_this(), council_, sent_seq_, sync_upto_, catch_up_chunk,
      [self = this->shared_from_this()](std::optional<std::vector<std::string>> frames) {
        self->on_catch_up(std::move(frames));
      });
}

template <class Stream>
void WebSocketSession<Stream>::on_catch_up(std::optional<std::vector<std::string>> frames) {
  catch_up_pending_ = false;
  if (closed_ || phase_ != Phase::syncing) return;
  if (!frames) {
    // Never claim "synced" over a gap: the client reconnects and retries.
    reply_error(domain::make_error(domain::ErrorCode::internal, "記録を読み込めませんでした",
                                   "the log could not be read"));
    close_after_send(close_try_again_later);
    return;
  }
  catch_up_exhausted_ = frames->size() < catch_up_chunk;
  for (auto& frame : *frames) catch_up_backlog_.push_back(frame_of(std::move(frame)));
  pump_catch_up();
}

// Moves catch-up frames to the write queue while it holds less than
// catch_up_low_water bytes, so a long history never looks like a client
// that stopped reading; asks for the next chunk when the backlog is empty.
template <class Stream>
void WebSocketSession<Stream>::pump_catch_up() {
  while (!catch_up_backlog_.empty() && unsent() < catch_up_low_water) {
    ++sent_seq_;
    app::Frame frame = std::move(catch_up_backlog_.front());
    catch_up_backlog_.pop_front();
    enqueue(std::move(frame));
    if (closed_) return;
  }
  if (!catch_up_backlog_.empty() || catch_up_pending_) return;  // on_written pumps again
  if (catch_up_exhausted_ || sent_seq_ >= sync_upto_) {
    finish_sync();
  } else if (unsent() < catch_up_low_water) {
    request_catch_up();
  }
}

template <class Stream>
void WebSocketSession<Stream>::finish_sync() {
  phase_ = Phase::live;
  auto held = std::move(held_);
  held_.clear();
  held_bytes_ = 0;
  for (auto& [seq, frame] : held) deliver(seq, std::move(frame));
  enqueue(frame_of(protocol::encode_synced(sent_seq_)));
  room_->announce(id_);
}

template <class Stream>
void WebSocketSession<Stream>::send_events(std::shared_ptr<const app::FrameBatch> batch) {
  boost::asio::post(stream_.get_executor(),
                    [self = this->shared_from_this(), batch = std::move(batch)] {
                      std::uint64_t seq = batch->first_seq;
                      for (const auto& frame : batch->frames) self->deliver(seq++, frame);
                    });
}

template <class Stream>
void WebSocketSession<Stream>::send_frame(app::Frame frame) {
  boost::asio::post(
      stream_.get_executor(),
      [self = this->shared_from_this(), frame = std::move(frame)] { self->deliver(0, frame); });
}

template <class Stream>
void WebSocketSession<Stream>::run(std::function<void()> fn) {
  boost::asio::post(stream_.get_executor(),
                    [self = this->shared_from_this(), fn = std::move(fn)] { fn(); });
}

template <class Stream>
void WebSocketSession<Stream>::close(std::uint16_t code) {
  boost::asio::post(stream_.get_executor(), [self = this->shared_from_this(), code] {
    if (!self->closed_ && self->phase_ != Phase::closing) self->close_after_send(code);
  });
}

// From the sweeper, with its shard locked: only posts. The session may be
// in its destructor already (then the weak pointer is expired).
template <class Stream>
void WebSocketSession<Stream>::swept(IdleSweeper::Action action) {
  auto self = this->weak_from_this().lock();
  if (!self) return;
  boost::asio::post(stream_.get_executor(), [self = std::move(self), action] {
    if (self->finished_) return;
    if (action == IdleSweeper::Action::timeout) {
      // Like Beast's timeouts: the connection is cut, no close frame.
      self->closed_ = true;
      self->finish();
    } else if (self->upgraded_ && !self->close_queued_) {
      self->append_frame(ws::opcode_ping, {});
    }
  });
}

// seq is the event's seq, or 0 for a reply (ack, error).
template <class Stream>
void WebSocketSession<Stream>::deliver(std::uint64_t seq, app::Frame frame) {
  if (closed_) return;
  if (phase_ == Phase::authenticating || phase_ == Phase::syncing) {
    held_bytes_ += frame->size();
    held_.emplace_back(seq, std::move(frame));
    if (held_bytes_ + unsent() > context_.config.max_unsent) {
      context_.app.metrics().slow_client_dropped();
      drop();
    }
    return;
  }
  if (phase_ != Phase::live) return;
  if (seq != 0) {
    if (seq <= sent_seq_) return;  // already sent during catch-up
    sent_seq_ = seq;
  }
  enqueue(frame);
}

template <class Stream>
void WebSocketSession<Stream>::enqueue(const app::Frame& frame) {
  if (closed_) return;
  const std::size_t bytes = append_frame(ws::opcode_text, *frame);
  if (bytes == 0) return;  // the connection already failed
  context_.app.metrics().queue_grew(1, bytes);
  if (unsent() > context_.config.max_unsent) {
    context_.app.metrics().slow_client_dropped();
    drop();
  }
}

template <class Stream>
void WebSocketSession<Stream>::on_written(std::size_t frames, std::size_t bytes) {
  context_.app.metrics().queue_shrank(frames, bytes);
  if (!closed_ && phase_ == Phase::syncing && unsent() < catch_up_low_water) pump_catch_up();
}

template <class Stream>
void WebSocketSession<Stream>::reply_error(const domain::Error& error,
                                           std::optional<std::string_view> id) {
  enqueue(frame_of(protocol::encode_error(error, id)));
}

template <class Stream>
void WebSocketSession<Stream>::close_after_send(std::uint16_t code) {
  phase_ = Phase::closing;
  if (closed_) return;
  closed_ = true;
  held_.clear();
  catch_up_backlog_.clear();
  // What is queued is already in the buffer: the close frame follows it.
  // Then the peer's close frame is awaited (within the handshake timeout);
  // further data frames are skipped.
  parser_.discard_data();
  set_deadline(IdleSweeper::now_ms() + context_.config.handshake_timeout.count());
  append_close(code);
  close_queued_ = true;
}

template <class Stream>
void WebSocketSession<Stream>::drop() {
  if (closed_) return;
  closed_ = true;
  held_.clear();
  // What is buffered is discarded (and reported through on_written) when
  // the write fails on the closed socket.
  boost::system::error_code ignored;
  socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  finish();
}

// --- writing ----------------------------------------------------------------

template <class Stream>
std::size_t WebSocketSession<Stream>::append_frame(std::uint8_t opcode, std::string_view payload) {
  if (write_failed_ || close_queued_ || finished_) return 0;
  unsigned char header[10];
  const std::size_t header_size = ws::write_frame_header(header, opcode, payload.size());
  const std::size_t framed = header_size + payload.size();
  if (pending_.capacity() == 0) pending_ = WriteBufferPool::take(framed);
  pending_.insert(pending_.end(), header, header + header_size);
  pending_.insert(pending_.end(), payload.begin(), payload.end());
  if (opcode == ws::opcode_text) {
    pending_frames_ += 1;
    pending_frame_bytes_ += framed;
  }
  schedule_flush();
  return framed;
}

template <class Stream>
void WebSocketSession<Stream>::append_close(std::uint16_t code) {
  if (code == 0) {
    append_frame(ws::opcode_close, {});
    return;
  }
  const char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  append_frame(ws::opcode_close, std::string_view(payload, 2));
}

template <class Stream>
void WebSocketSession<Stream>::append_raw(std::string_view bytes) {
  if (pending_.capacity() == 0) pending_ = WriteBufferPool::take(bytes.size());
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
  schedule_flush();
}

// The flush runs after the handlers already queued on the strand, so the
// frames of one burst share one system call.
template <class Stream>
void WebSocketSession<Stream>::schedule_flush() {
  if (flushing_ || flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->flush(); });
}

template <class Stream>
void WebSocketSession<Stream>::flush() {
  flush_posted_ = false;
  if (flushing_) return;
  if (pending_.empty()) return on_drained();
  flushing_ = true;
  writing_.swap(pending_);  // pending_ takes writing_'s (empty) place
  written_ = 0;
  writing_frames_ = std::exchange(pending_frames_, 0);
  writing_frame_bytes_ = std::exchange(pending_frame_bytes_, 0);
  if constexpr (!is_tls<Stream>) {
    // Most bursts fit in the socket's send buffer: written here, with no
    // asynchronous operation and the buffer back in the pool at once.
    boost::system::error_code ec;
    written_ = stream_.write_some(boost::asio::buffer(writing_), ec);
    if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) {
      written_ = 0;
    } else if (ec || written_ == writing_.size()) {
      return on_flushed(ec);
    }
  }
  boost::asio::async_write(
      stream_, boost::asio::buffer(writing_.data() + written_, writing_.size() - written_),
      [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
        self->on_flushed(ec);
      });
}

template <class Stream>
void WebSocketSession<Stream>::on_flushed(boost::system::error_code ec) {
  flushing_ = false;
  WriteBufferPool::give_back(writing_);
  written_ = 0;
  std::size_t frames = std::exchange(writing_frames_, 0);
  std::size_t bytes = std::exchange(writing_frame_bytes_, 0);
  if (ec && !write_failed_) {
    write_failed_ = true;
    closed_ = true;
    if (!close_queued_) fail(ec, "websocket write");
  }
  if (write_failed_) {
    WriteBufferPool::give_back(pending_);
    frames += std::exchange(pending_frames_, 0);
    bytes += std::exchange(pending_frame_bytes_, 0);
    finish();
  } else if (!pending_.empty()) {
    flush();
  } else {
    on_drained();
  }
  on_written(frames, bytes);
}

template <class Stream>
void WebSocketSession<Stream>::on_drained() {
  if (finished_) return;
  if (!close_queued_) {
    set_deadline(0);  // the 101 response is out: idle checks from now on
    return;
  }
  if (!upgraded_ || peer_closed_) return finish();  // the refusal, or the close handshake, is done
  // Our close frame is out: wait for the peer's (or the end of the
  // connection, or the deadline).
  if constexpr (is_tls<Stream>) {
    if (parser_.dead()) finish();
  } else {
    // Half-close: a peer that reads until the end sees it at once.
    boost::system::error_code ignored;
    stream_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  }
}

template <class Stream>
void WebSocketSession<Stream>::finish() {
  if (finished_) return;
  finished_ = true;
  closed_ = true;
  phase_ = Phase::closing;
  boost::system::error_code ignored;
  socket().close(ignored);
  std::string().swap(paused_input_);
}

template class WebSocketSession<beast::tcp_stream>;
template class WebSocketSession<TlsStream>;

}  // namespace renkei::net
