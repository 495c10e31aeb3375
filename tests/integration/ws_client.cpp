#include "ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
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

// The state shared by the plain and the TLS connection; StreamImpl holds the
// stream itself.
struct WsClient::Impl {
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
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

  virtual ~Impl() = default;
  // I/O thread: connect (and TLS handshake), WebSocket handshake, then read.
  virtual void connect(std::uint16_t port,
                       std::shared_ptr<std::promise<boost::system::error_code>> done) = 0;
  virtual void set_headers(const Headers& headers) = 0;
  virtual void read() = 0;
  virtual void write_next() = 0;
  virtual void close_socket() = 0;
  virtual void send_close() = 0;

  // Called by read() on completion.
  void on_read(boost::system::error_code ec, std::uint16_t code, std::string text) {
    reading = false;
    std::lock_guard lock(mutex);
    if (ec) {
      closed = true;
      if (ec == websocket::error::closed) {
        close_code = code;
      } else {
        close_error = ec.message();
      }
      changed.notify_all();
      return;
    }
    inbox.push_back(std::move(text));
    changed.notify_all();
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

template <bool Tls>
struct WsClient::StreamImpl : WsClient::Impl {
  using Next = std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;
  std::unique_ptr<asio::ssl::context> ssl;  // before the stream that uses it
  std::optional<websocket::stream<Next>> stream;
  beast::flat_buffer buffer;

  explicit StreamImpl(std::unique_ptr<asio::ssl::context> context = nullptr)
      : ssl(std::move(context)) {
    if constexpr (Tls) {
      stream.emplace(ioc, *ssl);
    } else {
      stream.emplace(ioc);
    }
  }
  websocket::stream<Next>& ws() { return *stream; }

  void set_headers(const Headers& headers) override {
    ws().set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
      for (const auto& [name, value] : headers) request.set(name, value);
    }));
  }

  void connect(std::uint16_t port,
               std::shared_ptr<std::promise<boost::system::error_code>> done) override {
    const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
    beast::get_lowest_layer(ws()).async_connect(
        endpoint, [this, port, done](boost::system::error_code ec) {
          if (ec) return done->set_value(ec);
          if constexpr (Tls) {
            ws().next_layer().async_handshake(asio::ssl::stream_base::client,
                                              [this, port, done](boost::system::error_code ec) {
                                                if (ec) return done->set_value(ec);
                                                upgrade(port, done);
                                              });
          } else {
            upgrade(port, done);
          }
        });
  }

  void upgrade(std::uint16_t port, std::shared_ptr<std::promise<boost::system::error_code>> done) {
    ws().async_handshake("127.0.0.1:" + std::to_string(port), "/ws",
                         [this, done](boost::system::error_code ec) {
                           if (!ec) read();
                           done->set_value(ec);
                         });
  }

  void read() override {
    reading = true;
    ws().async_read(buffer, [this](boost::system::error_code ec, std::size_t) {
      std::string text;
      if (!ec) {
        text = beast::buffers_to_string(buffer.data());
        buffer.consume(buffer.size());
      }
      on_read(ec, static_cast<std::uint16_t>(ws().reason().code), std::move(text));
      if (!ec && !paused) read();
    });
  }

  void write_next() override {
    if (writing || outbox.empty()) return;
    writing = true;
    ws().binary(outbox.front().binary);
    ws().async_write(asio::buffer(outbox.front().data),
                     [this](boost::system::error_code ec, std::size_t) {
                       writing = false;
                       outbox.front().done->set_value(ec);
                       outbox.pop_front();
                       write_next();
                     });
  }

  void close_socket() override {
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws()).socket().close(ignored);
  }

  void send_close() override {
    ws().async_close(websocket::close_code::normal, [](boost::system::error_code) {});
  }
};

namespace {

std::unique_ptr<asio::ssl::context> client_context(const ClientTls& tls) {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  if (tls.ca_file.empty()) {
    context->set_verify_mode(asio::ssl::verify_none);
  } else {
    context->load_verify_file(tls.ca_file);
    context->set_verify_mode(asio::ssl::verify_peer);
    context->set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  }
  return context;
}

}  // namespace

WsClient::WsClient(std::uint16_t port, const Headers& headers, Millis timeout)
    : impl_(std::make_unique<StreamImpl<false>>()) {
  connect(port, headers, timeout);
}

WsClient::WsClient(const ClientTls& tls, std::uint16_t port, const Headers& headers, Millis timeout)
    : impl_(std::make_unique<StreamImpl<true>>(client_context(tls))) {
  connect(port, headers, timeout);
}

void WsClient::connect(std::uint16_t port, const Headers& headers, Millis timeout) {
  Impl& impl = *impl_;
  impl.set_headers(headers);
  impl.thread = std::thread([&impl] { impl.ioc.run(); });

  auto connected = std::make_shared<std::promise<boost::system::error_code>>();
  auto result = connected->get_future();
  asio::post(impl.ioc, [&impl, port, connected] { impl.connect(port, connected); });
  std::string failure;
  if (result.wait_for(timeout) != std::future_status::ready) {
    failure = "websocket connect/handshake to port " + std::to_string(port) + " timed out";
  } else if (auto ec = result.get()) {
    failure =
        "websocket connect/handshake to port " + std::to_string(port) + " failed: " + ec.message();
  }
  if (!failure.empty()) {
    asio::post(impl.ioc, [&impl] {
      impl.close_socket();
      impl.ioc.stop();
    });
    impl.thread.join();
    throw std::runtime_error(failure);
  }
}

WsClient::~WsClient() {
  Impl& impl = *impl_;
  asio::post(impl.ioc, [&impl] {
    impl.close_socket();
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
  asio::post(impl.ioc, [&impl] { impl.send_close(); });
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

namespace {

template <class Stream>
HttpResponse exchange(asio::io_context& ioc, Stream& stream, std::uint16_t port,
                      http::request<http::string_body>& request, Millis timeout) {
  beast::flat_buffer buffer;
  HttpResponse response;
  boost::system::error_code result = asio::error::timed_out;
  bool done = false;
  auto finish = [&](boost::system::error_code ec) {
    result = ec;
    done = true;
  };
  auto send = [&] {
    http::async_write(stream, request, [&](boost::system::error_code ec, std::size_t) {
      if (ec) return finish(ec);
      http::async_read(stream, buffer, response,
                       [&](boost::system::error_code ec, std::size_t) { finish(ec); });
    });
  };
  beast::get_lowest_layer(stream).async_connect(
      tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port),
      [&](boost::system::error_code ec) {
        if (ec) return finish(ec);
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
          send();
        } else {
          stream.async_handshake(asio::ssl::stream_base::client, [&](boost::system::error_code ec) {
            if (ec) return finish(ec);
            send();
          });
        }
      });
  ioc.run_for(timeout);
  const std::string what = std::string(request.method_string()) + " " +
                           std::string(request.target()) + " on port " + std::to_string(port);
  if (!done)
    throw std::runtime_error(what + ": no response within " + std::to_string(timeout.count()) +
                             " ms");
  if (result) throw std::runtime_error(what + " failed: " + result.message());
  return response;
}

}  // namespace

HttpResponse http_request(std::uint16_t port, http::verb method, const std::string& target,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          std::string body, Millis timeout, const ClientTls* tls) {
  asio::io_context ioc{1};
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == http::verb::post || method == http::verb::put) {
    request.body() = std::move(body);
    request.prepare_payload();
  }
  if (tls) {
    auto context = client_context(*tls);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, *context);
    return exchange(ioc, stream, port, request, timeout);
  }
  beast::tcp_stream stream(ioc);
  return exchange(ioc, stream, port, request, timeout);
}

HttpResponse http_get(std::uint16_t port, const std::string& target,
                      const std::vector<std::pair<std::string, std::string>>& headers,
                      Millis timeout) {
  return http_request(port, http::verb::get, target, headers, {}, timeout);
}

HttpResponse https_get(const ClientTls& tls, std::uint16_t port, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       Millis timeout) {
  return http_request(port, http::verb::get, target, headers, {}, timeout, &tls);
}

namespace {

std::vector<std::pair<std::string, std::string>> upgrade_headers(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> all = {
      {"Connection", "Upgrade"},
      {"Upgrade", "websocket"},
      {"Sec-WebSocket-Version", "13"},
      {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  all.insert(all.end(), headers.begin(), headers.end());
  return all;
}

}  // namespace

int upgrade_status(const ClientTls& tls, std::uint16_t port,
                   const std::vector<std::pair<std::string, std::string>>& headers) {
  return static_cast<int>(
      https_get(tls, port, "/ws", upgrade_headers(headers), default_timeout).result_int());
}

int upgrade_status(std::uint16_t port,
                   const std::vector<std::pair<std::string, std::string>>& headers) {
  return static_cast<int>(http_get(port, "/ws", upgrade_headers(headers)).result_int());
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
