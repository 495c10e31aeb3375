#include "load_connection.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/socket_base.hpp>

namespace renkei::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

// The inner JSON object of a Socket.IO event packet `42["m",{...}]`, or ""
// for any other packet.
std::string_view socketio_payload(std::string_view packet) {
  if (packet.size() < 4 || packet[0] != '4' || packet[1] != '2') return {};
  const auto open = packet.find('{');
  const auto close = packet.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return {};
  return packet.substr(open, close - open + 1);
}

}  // namespace

LoadConnection::LoadConnection(asio::io_context& ioc, const Target& target, std::size_t index)
    : ws_(ioc), target_(target), index_(index) {}

void LoadConnection::connect(DoneHandler done, int receive_buffer) {
  auto& socket = beast::get_lowest_layer(ws_).socket();
  error_code ec;
  socket.open(tcp::v4(), ec);
  if (ec) return done(*this, ec);
  socket.set_option(tcp::no_delay(true), ec);
  if (receive_buffer > 0)
    socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer), ec);
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
  const tcp::endpoint endpoint(asio::ip::make_address(target_.host), target_.port);
  beast::get_lowest_layer(ws_).async_connect(
      endpoint, [self = shared_from_this(), done = std::move(done)](error_code ec) mutable {
        if (ec) return done(*self, ec);
        const std::string path = self->target_.protocol == Protocol::socketio
                                     ? "/socket.io/?EIO=4&transport=websocket"
                                     : "/ws";
        const std::string host = self->target_.host + ":" + std::to_string(self->target_.port);
        self->ws_.async_handshake(
            host, path, [self, done = std::move(done)](error_code ec) mutable {
              if (ec) return done(*self, ec);
              beast::get_lowest_layer(self->ws_).expires_never();
              self->ws_.text(true);
              if (self->target_.protocol == Protocol::v1) {
                self->open_ = true;
                return done(*self, {});
              }
              // Engine.IO open packet "0{...}", then our "40", then the
              // server's "40{...}" (pings "2" may come between).
              auto step = std::make_shared<std::function<void(error_code, std::size_t)>>();
              *step = [self, done = std::move(done), step](error_code ec, std::size_t) mutable {
                if (ec) {
                  auto d = std::move(done);
                  *step = nullptr;
                  return d(*self, ec);
                }
                const std::string packet = beast::buffers_to_string(self->buffer_.data());
                self->buffer_.consume(self->buffer_.size());
                if (!packet.empty() && packet[0] == '0') {
                  self->queue_.push_back("40");
                  if (!self->writing_) self->do_write();
                } else if (packet == "2") {
                  self->queue_.push_back("3");
                  if (!self->writing_) self->do_write();
                } else if (packet.rfind("40", 0) == 0) {
                  self->open_ = true;
                  auto d = std::move(done);
                  *step = nullptr;
                  return d(*self, {});
                }
                self->ws_.async_read(self->buffer_, *step);
              };
              self->ws_.async_read(self->buffer_, *step);
            });
      });
}

void LoadConnection::start_reading(MessageHandler handler, DoneHandler closed) {
  handler_ = std::move(handler);
  closed_ = std::move(closed);
  reading_ = true;
  do_read();
}

void LoadConnection::do_read() {
  ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, std::size_t) {
    if (ec) {
      self->open_ = false;
      self->reading_ = false;
      if (self->closed_) {
        auto closed = std::move(self->closed_);
        self->closed_ = nullptr;
        closed(*self, ec);
      }
      return;
    }
    const auto data = self->buffer_.data();
    std::string_view text(static_cast<const char*>(data.data()), data.size());
    if (self->target_.protocol == Protocol::socketio) {
      if (text == "2") {
        self->queue_.push_back("3");
        if (!self->writing_) self->do_write();
      } else if (auto payload = socketio_payload(text); !payload.empty()) {
        self->handler_(*self, payload);
      }
    } else {
      self->handler_(*self, text);
    }
    self->buffer_.consume(self->buffer_.size());
    if (self->reading_) self->do_read();
  });
}

void LoadConnection::send(std::string json) {
  if (!open_) return;
  if (target_.protocol == Protocol::socketio) {
    std::string packet;
    packet.reserve(json.size() + 10);
    packet.append("42[\"m\",").append(json).push_back(']');
    queue_.push_back(std::move(packet));
  } else {
    queue_.push_back(std::move(json));
  }
  if (!writing_) do_write();
}

void LoadConnection::do_write() {
  writing_ = true;
  ws_.async_write(asio::buffer(queue_.front()),
                  [self = shared_from_this()](error_code ec, std::size_t) {
                    self->writing_ = false;
                    if (ec) {
                      self->queue_.clear();
                      self->open_ = false;
                      return;
                    }
                    self->queue_.pop_front();
                    if (!self->queue_.empty()) self->do_write();
                  });
}

void LoadConnection::close(std::function<void()> done) {
  if (!open_) {
    done();
    return;
  }
  open_ = false;
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(5));
  ws_.async_close(websocket::close_code::normal,
                  [self = shared_from_this(), done = std::move(done)](error_code) { done(); });
}

void LoadConnection::abort() {
  open_ = false;
  reading_ = false;
  error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace renkei::bench
