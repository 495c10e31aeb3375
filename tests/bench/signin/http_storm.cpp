#include "http_storm.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace renkei::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

struct Exchange {
  explicit Exchange(asio::io_context& ioc) : stream(ioc) {}
  beast::tcp_stream stream;
  http::request<http::string_body> request;
  http::response<http::string_body> response;
  beast::flat_buffer buffer;
  bool open = false;
};

}  // namespace

HttpStorm::HttpStorm(std::uint16_t port, std::vector<std::string> sources)
    : port_(port), sources_(std::move(sources)) {}

HttpStormResult HttpStorm::run(const std::vector<HttpCall>& calls, std::chrono::seconds timeout) {
  asio::io_context ioc(1);
  HttpStormResult result;
  result.answers.resize(calls.size());
  std::vector<std::unique_ptr<Exchange>> exchanges;
  const std::string host = "127.0.0.1:" + std::to_string(port_);
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port_);
  std::size_t connecting = calls.size();

  auto done = [&](std::size_t i, std::string error) {
    HttpAnswer& a = result.answers[i];
    a.answered = Clock::now();
    if (!error.empty()) a.error = std::move(error);
    result.finished = a.answered;
    error_code ignored;
    exchanges[i]->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    exchanges[i]->stream.close();
  };

  // Every request at once, in one pass of this thread.
  auto go = [&] {
    result.connected = Clock::now();
    for (std::size_t i = 0; i < calls.size(); ++i) {
      Exchange& x = *exchanges[i];
      if (!x.open) continue;
      result.answers[i].sent = Clock::now();
      x.stream.expires_after(timeout);
      http::async_write(x.stream, x.request, [&, i](error_code ec, std::size_t) {
        if (ec) return done(i, "write: " + ec.message());
        Exchange& y = *exchanges[i];
        http::async_read(y.stream, y.buffer, y.response, [&, i](error_code ec, std::size_t) {
          if (ec) return done(i, "read: " + ec.message());
          Exchange& z = *exchanges[i];
          HttpAnswer& a = result.answers[i];
          a.status = z.response.result_int();
          a.body = z.response.body();
          for (const auto& field : z.response)
            if (field.name() == http::field::set_cookie &&
                field.value().starts_with("renkei_session="))
              a.session_cookie = true;
          done(i, {});
        });
      });
    }
  };

  const auto start = Clock::now();
  for (std::size_t i = 0; i < calls.size(); ++i) {
    auto x = std::make_unique<Exchange>(ioc);
    x->request = http::request<http::string_body>(http::verb::post, calls[i].target, 11);
    x->request.set(http::field::host, host);
    x->request.set(http::field::origin, "http://" + host);
    x->request.set(http::field::content_type, "application/json");
    x->request.set(http::field::connection, "close");
    x->request.body() = calls[i].body;
    x->request.prepare_payload();
    exchanges.push_back(std::move(x));
  }
  for (std::size_t i = 0; i < calls.size(); ++i) {
    Exchange& x = *exchanges[i];
    error_code ec;
    x.stream.socket().open(tcp::v4(), ec);
    if (!ec && !sources_.empty())
      x.stream.socket().bind(
          tcp::endpoint(asio::ip::make_address(sources_[i % sources_.size()]), 0), ec);
    if (ec) {
      result.answers[i].error = "socket: " + ec.message();
      --connecting;
      continue;
    }
    x.stream.socket().set_option(tcp::no_delay(true), ec);
    x.stream.expires_after(timeout);
    x.stream.async_connect(server, [&, i](error_code ec) {
      if (ec) {
        result.answers[i].error = "connect: " + ec.message();
      } else {
        exchanges[i]->open = true;
      }
      if (--connecting == 0) {
        result.connect_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        go();
      }
    });
  }
  if (connecting == 0) go();
  ioc.run();
  if (result.finished < result.connected) result.finished = result.connected;
  return result;
}

}  // namespace renkei::bench
