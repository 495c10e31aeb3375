#include "ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <future>
#include <stdexcept>

namespace renkei::it {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

std::string abbreviated(std::string_view text) {
  constexpr std::size_t shown = 300;
  if (text.size() <= shown) return std::string(text);
  return std::string(text.substr(0, shown)) + "...(" + std::to_string(text.size()) + " bytes)";
}

Frame parse_frame(std::string text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object())
    throw std::runtime_error("the server sent a frame that is not a JSON object: " +
                             abbreviated(text));
  return Frame{std::move(text), std::move(value.as_object())};
}

}  // namespace

// --- Frame -------------------------------------------------------------------

std::string Frame::str(std::string_view key) const {
  const json::value* v = json.if_contains(key);
  if (!v || !v->is_string()) return {};
  return std::string(v->as_string());
}

std::uint64_t Frame::num(std::string_view key) const {
  const json::value* v = json.if_contains(key);
  if (v && v->is_uint64()) return v->as_uint64();
  if (v && v->is_int64() && v->as_int64() >= 0) return static_cast<std::uint64_t>(v->as_int64());
  throw std::runtime_error("frame has no integer \"" + std::string(key) +
                           "\": " + abbreviated(text));
}

const json::object& Frame::data() const {
  const json::value* v = json.if_contains("data");
  if (!v || !v->is_object())
    throw std::runtime_error("frame has no data object: " + abbreviated(text));
  return v->as_object();
}

std::string Frame::by() const {
  const json::value* v = json.if_contains("by");
  if (!v || !v->is_object()) return {};
  const json::value* p = v->as_object().if_contains("participant");
  return p && p->is_string() ? std::string(p->as_string()) : std::string();
}

// --- WsClient ------------------------------------------------------------------

struct WsClient::Impl {
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::thread thread;

  // Shared with the test thread.
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> inbox;
  bool closed = false;
  std::uint16_t close_code = 0;
  std::string close_error;

  // I/O thread only.
  struct Outgoing {
    std::string data;
    bool binary;
    std::shared_ptr<std::promise<boost::system::error_code>> done;
  };
  std::deque<Outgoing> outbox;
  bool writing = false;
  bool reading = false;
  bool paused = false;

  void read() {
    reading = true;
    ws.async_read(buffer, [this](boost::system::error_code ec, std::size_t) {
      reading = false;
      std::lock_guard lock(mutex);
      if (ec) {
        closed = true;
        if (ec == websocket::error::closed) {
          close_code = static_cast<std::uint16_t>(ws.reason().code);
        } else {
          close_error = ec.message();
        }
        changed.notify_all();
        return;
      }
      inbox.push_back(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
      changed.notify_all();
      if (!paused) read();
    });
  }

  void write_next() {
    if (writing || outbox.empty()) return;
    writing = true;
    ws.binary(outbox.front().binary);
    ws.async_write(asio::buffer(outbox.front().data),
                   [this](boost::system::error_code ec, std::size_t) {
                     writing = false;
                     outbox.front().done->set_value(ec);
                     outbox.pop_front();
                     write_next();
                   });
  }

  void write(std::string data, bool binary, Millis timeout) {
    auto done = std::make_shared<std::promise<boost::system::error_code>>();
    auto result = done->get_future();
    asio::post(ioc, [this, data = std::move(data), binary, done]() mutable {
      outbox.push_back(Outgoing{std::move(data), binary, std::move(done)});
      write_next();
    });
    if (result.wait_for(timeout) != std::future_status::ready)
      throw std::runtime_error("websocket write did not complete in time");
    if (auto ec = result.get()) throw std::runtime_error("websocket write failed: " + ec.message());
  }
};

WsClient::WsClient(std::uint16_t port, const Headers& headers, Millis timeout)
    : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
    for (const auto& [name, value] : headers) request.set(name, value);
  }));
  impl.thread = std::thread([&impl] { impl.ioc.run(); });

  auto connected = std::make_shared<std::promise<boost::system::error_code>>();
  auto result = connected->get_future();
  asio::post(impl.ioc, [&impl, port, connected] {
    const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
    beast::get_lowest_layer(impl.ws).async_connect(
        endpoint, [&impl, port, connected](boost::system::error_code ec) {
          if (ec) return connected->set_value(ec);
          impl.ws.async_handshake("127.0.0.1:" + std::to_string(port), "/ws",
                                  [&impl, connected](boost::system::error_code ec) {
                                    if (!ec) impl.read();
                                    connected->set_value(ec);
                                  });
        });
  });
  std::string failure;
  if (result.wait_for(timeout) != std::future_status::ready) {
    failure = "websocket connect/handshake to port " + std::to_string(port) + " timed out";
  } else if (auto ec = result.get()) {
    failure =
        "websocket connect/handshake to port " + std::to_string(port) + " failed: " + ec.message();
  }
  if (!failure.empty()) {
    asio::post(impl.ioc, [&impl] {
      boost::system::error_code ignored;
      beast::get_lowest_layer(impl.ws).socket().close(ignored);
      impl.ioc.stop();
    });
    impl.thread.join();
    throw std::runtime_error(failure);
  }
}

WsClient::~WsClient() {
  Impl& impl = *impl_;
  asio::post(impl.ioc, [&impl] {
    boost::system::error_code ignored;
    beast::get_lowest_layer(impl.ws).socket().close(ignored);
    impl.ioc.stop();
  });
  impl.thread.join();
}

void WsClient::send_text(std::string text) {
  impl_->write(std::move(text), false, default_timeout);
}

void WsClient::send_binary(std::string data) {
  impl_->write(std::move(data), true, default_timeout);
}

std::optional<Frame> WsClient::next(Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::unique_lock lock(impl_->mutex);
    impl_->changed.wait_until(lock, deadline,
                              [&] { return !impl_->inbox.empty() || impl_->closed; });
    if (impl_->inbox.empty()) return std::nullopt;
    std::string text = std::move(impl_->inbox.front());
    impl_->inbox.pop_front();
    lock.unlock();
    Frame frame = parse_frame(std::move(text));
    const std::string type = frame.type();
    if (type == "welcome" || type == "event" || type == "synced" || type == "ack" ||
        type == "error")
      return frame;
    // A message type outside v1 (a server extension such as presence): a v1
    // client ignores it.
    ignored_.push_back(std::move(frame));
  }
}

Frame WsClient::expect(Millis timeout) {
  if (auto frame = next(timeout)) return std::move(*frame);
  std::lock_guard lock(impl_->mutex);
  if (impl_->closed)
    throw std::runtime_error("expected a frame, but the connection was closed (code " +
                             std::to_string(impl_->close_code) + " " + impl_->close_error + ")");
  throw std::runtime_error("expected a frame, none came within " + std::to_string(timeout.count()) +
                           " ms");
}

std::optional<std::uint16_t> WsClient::wait_closed(Millis timeout) {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->changed.wait_for(lock, timeout, [&] { return impl_->closed; })) return std::nullopt;
  return impl_->close_code;
}

bool WsClient::is_closed() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->closed;
}

void WsClient::close(Millis timeout) {
  Impl& impl = *impl_;
  asio::post(impl.ioc, [&impl] {
    impl.ws.async_close(websocket::close_code::normal, [](boost::system::error_code) {});
  });
  if (!wait_closed(timeout)) throw std::runtime_error("websocket close did not complete in time");
}

void WsClient::pause_reading() {
  Impl& impl = *impl_;
  asio::post(impl.ioc, [&impl] { impl.paused = true; });
}

void WsClient::resume_reading() {
  Impl& impl = *impl_;
  asio::post(impl.ioc, [&impl] {
    impl.paused = false;
    bool closed;
    {
      std::lock_guard lock(impl.mutex);
      closed = impl.closed;
    }
    if (!impl.reading && !closed) impl.read();
  });
}

HelloResult WsClient::hello(const std::string& token, const std::string& council,
                            std::uint64_t since) {
  send(json::object{{"type", "hello"}, {"token", token}, {"council", council}, {"since", since}});
  HelloResult result;
  result.welcome = expect();
  if (result.welcome.type() != "welcome")
    throw std::runtime_error("hello: expected welcome, got " + abbreviated(result.welcome.text));
  classify(result.welcome);
  for (;;) {
    Frame frame = expect();
    const std::string type = frame.type();
    if (type == "synced") {
      result.synced = frame;
      classify(std::move(frame));
      return result;
    }
    if (type != "event")
      throw std::runtime_error("hello: expected event or synced, got " + abbreviated(frame.text));
    result.events.push_back(frame);
    classify(std::move(frame));
  }
}

void WsClient::send_cmd(const std::string& id, const std::string& op, json::object args) {
  send(json::object{{"type", "cmd"}, {"id", id}, {"op", op}, {"args", std::move(args)}});
}

Frame WsClient::command(const std::string& id, const std::string& op, json::object args,
                        Millis timeout) {
  send_cmd(id, op, std::move(args));
  return wait_reply(id, timeout);
}

Frame WsClient::wait_reply(const std::string& id, Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto it = replies_.begin(); it != replies_.end(); ++it) {
      if (it->str("id") == id) {
        Frame reply = std::move(*it);
        replies_.erase(it);
        return reply;
      }
    }
    const auto left =
        std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left <= Millis(0) || !pump(left))
      throw std::runtime_error("no reply to command \"" + id + "\" within " +
                               std::to_string(timeout.count()) + " ms" +
                               (is_closed() ? " (connection closed)" : ""));
  }
}

Frame WsClient::wait_event(std::uint64_t seq, Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto it = events_.rbegin(); it != events_.rend(); ++it)
      if (it->seq() >= seq) return *it;
    const auto left =
        std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left <= Millis(0) || !pump(left))
      throw std::runtime_error("event seq " + std::to_string(seq) + " did not arrive within " +
                               std::to_string(timeout.count()) + " ms (last seen " +
                               std::to_string(last_seq()) + ")" +
                               (is_closed() ? " (connection closed)" : ""));
  }
}

bool WsClient::pump(Millis timeout) {
  auto frame = next(timeout);
  if (!frame) return false;
  classify(std::move(*frame));
  return true;
}

void WsClient::classify(Frame frame) {
  const std::string type = frame.type();
  if (type == "event") {
    event_arrival_[frame.seq()] = received_;
    events_.push_back(std::move(frame));
  } else if ((type == "ack" || type == "error") && frame.json.contains("id")) {
    reply_arrival_.emplace(frame.str("id"), received_);
    all_replies_.push_back(frame);
    replies_.push_back(std::move(frame));
  } else {
    others_.push_back(std::move(frame));
  }
  ++received_;
}

std::optional<std::size_t> WsClient::arrival_of_event(std::uint64_t seq) const {
  auto it = event_arrival_.find(seq);
  if (it == event_arrival_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> WsClient::arrival_of_reply(const std::string& id) const {
  auto it = reply_arrival_.find(id);
  if (it == reply_arrival_.end()) return std::nullopt;
  return it->second;
}

// --- HTTP --------------------------------------------------------------------------

HttpResponse http_get(std::uint16_t port, const std::string& target,
                      const std::vector<std::pair<std::string, std::string>>& headers,
                      Millis timeout) {
  asio::io_context ioc{1};
  beast::tcp_stream stream(ioc);
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.set(name, value);

  beast::flat_buffer buffer;
  HttpResponse response;
  boost::system::error_code result = asio::error::timed_out;
  bool done = false;
  stream.async_connect(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port),
                       [&](boost::system::error_code ec) {
                         if (ec) {
                           result = ec;
                           done = true;
                           return;
                         }
                         http::async_write(
                             stream, request, [&](boost::system::error_code ec, std::size_t) {
                               if (ec) {
                                 result = ec;
                                 done = true;
                                 return;
                               }
                               http::async_read(stream, buffer, response,
                                                [&](boost::system::error_code ec, std::size_t) {
                                                  result = ec;
                                                  done = true;
                                                });
                             });
                       });
  ioc.run_for(timeout);
  if (!done)
    throw std::runtime_error("GET " + target + " on port " + std::to_string(port) +
                             ": no response within " + std::to_string(timeout.count()) + " ms");
  if (result) throw std::runtime_error("GET " + target + " failed: " + result.message());
  return response;
}

int upgrade_status(std::uint16_t port,
                   const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> all = {
      {"Connection", "Upgrade"},
      {"Upgrade", "websocket"},
      {"Sec-WebSocket-Version", "13"},
      {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  all.insert(all.end(), headers.begin(), headers.end());
  return static_cast<int>(http_get(port, "/ws", all).result_int());
}

std::string get_record(std::uint16_t port, const std::string& council, const std::string& token) {
  auto response = http_get(port, "/api/councils/" + council + "/record",
                           {{"Authorization", "Bearer " + token}});
  if (response.result_int() != 200)
    throw std::runtime_error("GET record of " + council + ": status " +
                             std::to_string(response.result_int()) + " " + response.body());
  return response.body();
}

}  // namespace renkei::it
