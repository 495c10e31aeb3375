#include "net/websocket_session.hpp"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "protocol/client_message.hpp"
#include "protocol/server_messages.hpp"

namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace renkei::net {
namespace {

std::atomic<std::uint64_t> next_connection_id{1};

// Catch-up reads this many frames at a time and asks for more only while
// less than catch_up_low_water bytes wait to be written.
constexpr std::size_t catch_up_chunk = 500;
constexpr std::size_t catch_up_low_water = 1024 * 1024;

// Reads start small so that an idle connection holds a small read buffer
// (most messages are commands of a few hundred bytes); a message that does
// not fit continues in larger chunks, and a buffer grown past
// read_buffer_keep is released once its message is handled. (Reading in
// 64 KiB chunks kept a 64 KiB allocation on every connection.)
constexpr std::size_t read_first_chunk = 256;
constexpr std::size_t read_next_chunk = 16 * 1024;
constexpr std::size_t read_buffer_keep = 4 * 1024;

// Close codes of the contract.
constexpr std::uint16_t close_bad_request = 4400;
constexpr std::uint16_t close_unauthorized = 4401;

app::Frame frame_of(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

}  // namespace

template <class Stream>
WebSocketSession<Stream>::WebSocketSession(Stream&& stream, ServerContext& context,
                                           std::shared_ptr<AddressLimiter::Slot> slot,
                                           std::optional<std::string> session_cookie)
    : ws_(std::move(stream)),
      context_(context),
      slot_(std::move(slot)),
      session_cookie_(std::move(session_cookie)),
      id_(next_connection_id.fetch_add(1)),
      limiter_(context.config.commands_per_second, context.config.command_burst) {}

template <class Stream>
WebSocketSession<Stream>::~WebSocketSession() {
  if (room_) room_->leave(id_);
  const auto [frames, bytes] = ws_.next_layer().unreported();
  context_.app.metrics().queue_shrank(frames, bytes);
  context_.app.metrics().connection_closed();
}

template <class Stream>
void WebSocketSession<Stream>::start(beast::http::request<beast::http::string_body> request) {
  context_.app.metrics().connection_opened();
  ws_.next_layer().set_keep_alive(
      [this] { return std::shared_ptr<void>(this->shared_from_this()); });
  // Runs inside the stream's write completion, which holds the session.
  ws_.next_layer().set_on_written(
      [this](std::size_t frames, std::size_t bytes) { on_written(frames, bytes); });
  beast::get_lowest_layer(ws_).expires_never();
  // Frames are small and latency matters (an ack follows its event at
  // once): no Nagle delay.
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws_).socket().set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout = context_.config.handshake_timeout;
  timeout.idle_timeout = context_.config.idle_timeout;
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "renkei"); }));
  // The contract's limit is enforced in on_read so that the client gets a
  // too_large error before the 1009 close; Beast's own limit is a backstop
  // for frames so large that reading them would be a waste.
  ws_.read_message_max(context_.config.max_frame * 16);
  ws_.async_accept(request, beast::bind_front_handler(&WebSocketSession<Stream>::on_accept,
                                                      this->shared_from_this()));
}

template <class Stream>
void WebSocketSession<Stream>::on_accept(boost::system::error_code ec) {
  if (ec) return fail(ec, "websocket accept");
  do_read();
}

template <class Stream>
void WebSocketSession<Stream>::do_read() {
  const std::size_t chunk = buffer_.size() == 0 ? read_first_chunk : read_next_chunk;
  ws_.async_read_some(
      buffer_, chunk,
      beast::bind_front_handler(&WebSocketSession<Stream>::on_read, this->shared_from_this()));
}

template <class Stream>
void WebSocketSession<Stream>::on_read(boost::system::error_code ec, std::size_t) {
  if (ec) {
    // The peer closed (Beast answered its close frame) or the connection
    // failed: nothing more may be written.
    closed_ = true;
    if (ec != websocket::error::closed) fail(ec, "websocket read");
    return;
  }
  if (closed_ || phase_ == Phase::closing) return;
  if (ws_.got_binary()) {
    close_after_send(static_cast<std::uint16_t>(websocket::close_code::unknown_data));
    return;
  }
  if (buffer_.size() > context_.config.max_frame) {
    reply_error(domain::make_error(
        domain::ErrorCode::too_large,
        "メッセージが大きすぎます (上限 " + std::to_string(context_.config.max_frame) + " バイト)",
        "message too large"));
    close_after_send(static_cast<std::uint16_t>(websocket::close_code::too_big));
    return;
  }
  if (!ws_.is_message_done()) return do_read();

  const std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  if (buffer_.capacity() > read_buffer_keep) buffer_.shrink_to_fit();
  on_message(text);
  if (phase_ != Phase::authenticating && phase_ != Phase::closing && !closed_) do_read();
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
  auto& cmd = std::get<protocol::CmdMessage>(message);
  context_.app.metrics().count_command();
  // An unknown op is client text: it is not written to the audit trail.
  const bool known_op = !cmd.op.empty() && !(std::holds_alternative<domain::Error>(cmd.command) &&
                                             std::get<domain::Error>(cmd.command).code ==
                                                 domain::ErrorCode::unknown_op);
  std::optional<std::string> op = known_op ? std::optional<std::string>(cmd.op) : std::nullopt;
  auto refuse = [&](const domain::Error& error) {
    context_.app.metrics().count_error(error.code);
    context_.app.audit(council_, me_.participant, "command", op,
                       std::string(domain::to_string(error.code)));
    reply_error(error, cmd.id);
  };
  if (!limiter_.allow(app::RateLimiter::clock::now())) {
    return refuse(domain::make_error(domain::ErrorCode::rate_limited,
                                     "送信が速すぎます。少し待ってから再送してください",
                                     "too many commands; retry shortly"));
  }
  if (me_.role == domain::Role::observer) {
    return refuse(domain::make_error(domain::ErrorCode::forbidden, "オブザーバーは操作できません",
                                     "observers cannot send commands"));
  }
  if (auto* error = std::get_if<domain::Error>(&cmd.command)) {
    // The room answers: a used id gets its ack again, whatever the args.
    room_->submit_undecodable(this->shared_from_this(), me_, std::move(cmd.id), std::move(op),
                              std::move(*error));
    return;
  }
  room_->submit(this->shared_from_this(), me_, std::move(cmd.id),
                std::move(std::get<domain::Command>(cmd.command)));
}

template <class Stream>
void WebSocketSession<Stream>::on_hello(app::HelloOutcome outcome, std::uint64_t since) {
  if (closed_) return;
  if (auto* error = std::get_if<domain::Error>(&outcome)) {
    reply_error(*error);
    close_after_send(error->code == domain::ErrorCode::internal
                         ? static_cast<std::uint16_t>(websocket::close_code::internal_error)
                         : close_unauthorized);
    return;
  }
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
  if (!closed_) do_read();
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
    close_after_send(static_cast<std::uint16_t>(websocket::close_code::try_again_later));
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
  boost::asio::post(ws_.get_executor(),
                    [self = this->shared_from_this(), batch = std::move(batch)] {
                      std::uint64_t seq = batch->first_seq;
                      for (const auto& frame : batch->frames) self->deliver(seq++, frame);
                    });
}

template <class Stream>
void WebSocketSession<Stream>::send_frame(app::Frame frame) {
  boost::asio::post(ws_.get_executor(), [self = this->shared_from_this(),
                                         frame = std::move(frame)] { self->deliver(0, frame); });
}

template <class Stream>
void WebSocketSession<Stream>::run(std::function<void()> fn) {
  boost::asio::post(ws_.get_executor(),
                    [self = this->shared_from_this(), fn = std::move(fn)] { fn(); });
}

template <class Stream>
void WebSocketSession<Stream>::close(std::uint16_t code) {
  boost::asio::post(ws_.get_executor(), [self = this->shared_from_this(), code] {
    if (!self->closed_ && self->phase_ != Phase::closing) self->close_after_send(code);
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
  const std::size_t bytes = ws_.next_layer().append_text_frame(*frame);
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
  // What is queued is already in the stream's buffer: the close frame
  // follows it, and the teardown waits until the buffer is written.
  ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code)),
                  [self = this->shared_from_this()](boost::system::error_code) {});
}

template <class Stream>
void WebSocketSession<Stream>::drop() {
  if (closed_) return;
  closed_ = true;
  // The stream's buffer is discarded when its write fails on the closed
  // socket (and reported through on_written).
  held_.clear();
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                                                 ignored);
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

template class WebSocketSession<beast::tcp_stream>;
template class WebSocketSession<TlsStream>;

}  // namespace renkei::net
