// A stream layer under the WebSocket stream that writes frames back to back.
//
// Beast writes each WebSocket message with its own write on the stream below
// (one sendmsg per frame). CoalescingStream accepts those writes into a
// buffer at once and writes the buffer to the next layer with one write, so
// that a burst of frames (a broadcast, a catch-up of thousands of events, an
// event followed by its ack) costs one system call per buffer instead of one
// per frame. Everything Beast writes (messages, pings, pongs, close frames)
// goes through the same buffer, so frames are never interleaved.
//
// The session's own text frames (events, acks, errors) do not go through
// Beast at all: append_text_frame() writes the frame header itself (a server
// frame: unmasked, unfragmented, uncompressed — RFC 6455 section 5.2) into
// the same buffer, with no composed operation, no handler and no post per
// frame. Beast's frames (pings, pongs, close) are appended whole between
// them, so the byte stream stays a sequence of complete frames. Writing the
// frames of a broadcast this way costs a copy each and one system call per
// connection for the whole burst.
//
// Backpressure: while a buffer write is in flight and `max_pending` bytes
// already wait, a new write completes only when the flight lands, so a
// client that stops reading still fills the session's own queue (and is
// dropped at its cap).
//
// Threading: like the stream below, one strand at a time (the session's).
// Lifetime: a buffer write in flight holds what `keep_alive` returns (the
// session), so the layer outlives it.
#pragma once

#include <algorithm>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace renkei::net {

template <class NextLayer>
class CoalescingStream {
 public:
  using executor_type = typename NextLayer::executor_type;
  using next_layer_type = NextLayer;

  static constexpr std::size_t max_pending = 64 * 1024;
  // A buffer starts at this capacity (instead of growing from nothing by
  // doubling, a reallocation and copy each time).
  static constexpr std::size_t initial_capacity = 16 * 1024;

  explicit CoalescingStream(NextLayer&& next) : next_(std::move(next)) {}
  CoalescingStream(CoalescingStream&&) = default;
  CoalescingStream& operator=(CoalescingStream&&) = delete;

  executor_type get_executor() noexcept { return next_.get_executor(); }
  NextLayer& next_layer() noexcept { return next_; }
  const NextLayer& next_layer() const noexcept { return next_; }

  // What a buffer write in flight holds on to (the owning session).
  void set_keep_alive(std::function<std::shared_ptr<void>()> keep_alive) {
    keep_alive_ = std::move(keep_alive);
  }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return next_.async_read_some(buffers, std::forward<Token>(token));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& b) { start_write(b, std::move(handler)); }, token,
        buffers);
  }

  // Appends one text frame carrying `payload`; returns the bytes it took
  // (header and payload), 0 when the stream already failed.
  std::size_t append_text_frame(std::string_view payload) {
    if (error_) return 0;
    unsigned char header[10];
    std::size_t header_size = 2;
    const std::uint64_t size = payload.size();
    header[0] = 0x81;  // FIN, opcode 1 (text)
    if (size < 126) {
      header[1] = static_cast<unsigned char>(size);
    } else if (size <= 0xFFFF) {
      header[1] = 126;
      header[2] = static_cast<unsigned char>(size >> 8);
      header[3] = static_cast<unsigned char>(size);
      header_size = 4;
    } else {
      header[1] = 127;
      for (int i = 0; i < 8; ++i) header[2 + i] = static_cast<unsigned char>(size >> (56 - 8 * i));
      header_size = 10;
    }
    const std::size_t framed = header_size + payload.size();
    if (pending_.capacity() == 0) pending_.reserve(std::max(framed, initial_capacity));
    pending_.insert(pending_.end(), header, header + header_size);
    pending_.insert(pending_.end(), payload.begin(), payload.end());
    pending_frames_ += 1;
    pending_frame_bytes_ += framed;
    schedule_flush();
    return framed;
  }

  // Bytes accepted and not yet handed to the layer below (a write in flight
  // included).
  std::size_t unsent_bytes() const { return pending_.size() + writing_.size(); }

  // Called on the strand after each buffer write with the appended frames
  // (and their bytes) it wrote — or dropped, when the stream failed.
  void set_on_written(std::function<void(std::size_t frames, std::size_t bytes)> fn) {
    on_written_ = std::move(fn);
  }

  // Appended frames not yet reported to on_written (for the owner's
  // accounting when it goes away).
  std::pair<std::size_t, std::size_t> unreported() const {
    return {pending_frames_ + writing_frames_, pending_frame_bytes_ + writing_frame_bytes_};
  }

  // Calls `fn` once everything accepted so far is written (or failed).
  void when_drained(std::function<void()> fn) {
    if (!flushing_ && pending_.empty() && !flush_posted_) {
      fn();
      return;
    }
    drained_.push_back(std::move(fn));
  }

 private:
  // A write that waits for room in the buffer.
  struct Held {
    virtual ~Held() = default;
    virtual void resume(CoalescingStream& stream) = 0;
  };
  template <class ConstBuffers, class Handler>
  struct HeldWrite final : Held {
    HeldWrite(const ConstBuffers& b, Handler&& h) : buffers(b), handler(std::move(h)) {}
    void resume(CoalescingStream& stream) override {
      stream.start_write(buffers, std::move(handler));
    }
    ConstBuffers buffers;
    Handler handler;
  };

  template <class Handler>
  void complete(Handler&& handler, boost::system::error_code ec, std::size_t n) {
    auto executor = boost::asio::get_associated_executor(handler, next_.get_executor());
    boost::asio::post(executor,
                      boost::beast::bind_front_handler(std::forward<Handler>(handler), ec, n));
  }

  template <class ConstBuffers, class Handler>
  void start_write(const ConstBuffers& buffers, Handler&& handler) {
    if (error_) return complete(std::move(handler), error_, 0);
    if (flushing_ && pending_.size() >= max_pending && !held_) {
      held_ = std::make_unique<HeldWrite<ConstBuffers, std::decay_t<Handler>>>(
          buffers, std::forward<Handler>(handler));
      return;
    }
    const std::size_t n = boost::asio::buffer_size(buffers);
    const std::size_t old = pending_.size();
    pending_.resize(old + n);
    boost::asio::buffer_copy(boost::asio::buffer(pending_.data() + old, n), buffers);
    schedule_flush();
    complete(std::move(handler), {}, n);
  }

  // The flush runs after the handlers already queued on the strand, so
  // frames written in the same burst share one system call.
  void schedule_flush() {
    if (flushing_ || flush_posted_) return;
    flush_posted_ = true;
    boost::asio::post(next_.get_executor(),
                      [this, keep = keep_alive_ ? keep_alive_() : nullptr] { flush(); });
  }

  void flush() {
    flush_posted_ = false;
    if (flushing_) return;
    if (pending_.empty()) return drain();
    flushing_ = true;
    writing_.swap(pending_);
    pending_.clear();
    writing_frames_ = pending_frames_;
    writing_frame_bytes_ = pending_frame_bytes_;
    pending_frames_ = 0;
    pending_frame_bytes_ = 0;
    boost::asio::async_write(
        next_, boost::asio::buffer(writing_),
        boost::asio::bind_executor(
            next_.get_executor(),
            [this, keep = keep_alive_ ? keep_alive_() : nullptr](boost::system::error_code ec,
                                                                 std::size_t) { on_flushed(ec); }));
  }

  void on_flushed(boost::system::error_code ec) {
    flushing_ = false;
    // Idle connections keep no buffer: give the written one back.
    std::vector<char>().swap(writing_);
    std::size_t frames = std::exchange(writing_frames_, 0);
    std::size_t bytes = std::exchange(writing_frame_bytes_, 0);
    if (ec) error_ = ec;
    if (held_) {
      auto held = std::move(held_);
      held->resume(*this);
    }
    if (error_) {
      pending_.clear();
      frames += std::exchange(pending_frames_, 0);
      bytes += std::exchange(pending_frame_bytes_, 0);
    }
    if (!pending_.empty()) {
      flush();
    } else {
      drain();
    }
    if (on_written_) on_written_(frames, bytes);
  }

  void drain() {
    auto drained = std::move(drained_);
    drained_.clear();
    for (auto& fn : drained) fn();
  }

  NextLayer next_;
  std::function<std::shared_ptr<void>()> keep_alive_;
  std::vector<char> pending_;  // accepted, not yet handed to next_
  std::vector<char> writing_;  // the buffer write in flight
  bool flushing_ = false;
  bool flush_posted_ = false;
  boost::system::error_code error_;
  std::unique_ptr<Held> held_;
  std::vector<std::function<void()>> drained_;
  std::function<void(std::size_t, std::size_t)> on_written_;
  std::size_t pending_frames_ = 0;  // appended text frames in pending_
  std::size_t pending_frame_bytes_ = 0;
  std::size_t writing_frames_ = 0;  // ... in writing_
  std::size_t writing_frame_bytes_ = 0;
};

// WebSocket close: what is buffered (the close frame) goes out first, then
// the next layer's own teardown.
template <class NextLayer, class TeardownHandler>
void async_teardown(boost::beast::role_type role, CoalescingStream<NextLayer>& stream,
                    TeardownHandler&& handler) {
  auto shared =
      std::make_shared<std::decay_t<TeardownHandler>>(std::forward<TeardownHandler>(handler));
  stream.when_drained([role, &stream, shared] {
    using boost::beast::websocket::async_teardown;
    async_teardown(role, stream.next_layer(), std::move(*shared));
  });
}

template <class NextLayer>
void teardown(boost::beast::role_type role, CoalescingStream<NextLayer>& stream,
              boost::system::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, stream.next_layer(), ec);
}

}  // namespace renkei::net
