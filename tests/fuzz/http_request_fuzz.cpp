// Fuzz target: HTTP requests as HttpSession reads and routes them.
//
// The bytes after the first are what a client sends on one connection. They
// are read with boost::beast::http::read into a request_parser<string_body>
// set up exactly like HttpSession::do_read (head limit 16 KiB, body limit
// 64 KiB, a fresh parser per request, one flat_buffer for the connection),
// from an in-memory stream that hands out at most 1-64 bytes per read_some
// (the first byte picks how many), so requests split across reads as they do
// over TCP. Pipelined keep-alive requests are read one after another, as
// HttpSession does after each response; a read error ends the connection.
//
// Every parsed request goes through the routing helpers HttpSession uses and
// that are reachable from outside http_session.cpp: static_file_path
// (against the repository's client-web), mime_type, cookie_value for the
// session cookie, origin_allowed, and websocket::is_upgrade. Properties
// checked: a static file is a regular file inside the web root named only by
// [A-Za-z0-9._-/] without "..", a cookie value contains no ';', and an
// allowed Origin is exactly http://<Host> or a configured origin.
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "net/origin_policy.hpp"
#include "net/server_config.hpp"
#include "net/static_files.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// A SyncReadStream over a byte string: read_some copies at most `step`
// bytes, then reports end of file like a peer that closed its side.
class ByteStream {
 public:
  ByteStream(std::string_view bytes, std::size_t step) : bytes_(bytes), step_(step) {}

  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec) {
    if (bytes_.empty()) {
      ec = boost::asio::error::eof;
      return 0;
    }
    ec = {};
    const std::string_view part = bytes_.substr(0, step_);
    const std::size_t n = boost::asio::buffer_copy(buffers, boost::asio::buffer(part));
    bytes_.remove_prefix(n);
    return n;
  }
  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers) {
    boost::system::error_code ec;
    const std::size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t step_;
};

const std::string web_root = RENKEI_FUZZ_WEB_DIR;
const std::vector<std::string> extra_origins{"https://renkei.example.jp"};

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

void check_static_file(std::string_view target) {
  const auto file = renkei::net::static_file_path(web_root, target);
  if (!file) return;
  FUZZ_CHECK(file->starts_with(web_root + "/"), "static file outside the web root");
  const std::string_view rest = std::string_view(*file).substr(web_root.size());
  FUZZ_CHECK(rest.find("..") == std::string_view::npos, "static file path with ..");
  FUZZ_CHECK(std::all_of(rest.begin(), rest.end(),
                         [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
                                  c == '/';
                         }),
             "static file path with a character outside [A-Za-z0-9._-/]");
  std::error_code ec;
  FUZZ_CHECK(std::filesystem::is_regular_file(*file, ec), "static file is not a regular file");
  FUZZ_CHECK(!renkei::net::mime_type(*file).empty(), "empty mime type");
}

void check_request(const http::request<http::string_body>& request) {
  const std::string_view target = request.target();
  (void)request.keep_alive();
  (void)beast::websocket::is_upgrade(request);

  // handle(): council pages get index.html; everything else may be a file.
  check_static_file(target);
  check_static_file(path_of(target));
  (void)renkei::net::mime_type(target);

  if (auto it = request.find(http::field::cookie); it != request.end()) {
    const std::string_view header = it->value();
    const std::string value = renkei::net::cookie_value(header, "renkei_session");
    FUZZ_CHECK(value.find(';') == std::string::npos, "cookie value contains ';'");
    if (!value.empty())
      FUZZ_CHECK(header.find("renkei_session=" + value) != std::string_view::npos,
                 "cookie value not found in the header");
  }

  // upgrade(): the Origin check of cookie-authenticated upgrades.
  const auto origin = request.find(http::field::origin);
  const auto host = request.find(http::field::host);
  if (origin != request.end() && host != request.end()) {
    const std::string_view o = origin->value();
    const std::string_view h = host->value();
    const std::string own = "http://" + std::string(h);
    if (renkei::net::origin_allowed(o, "http", h, {}))
      FUZZ_CHECK(!h.empty() && o == own, "foreign origin allowed");
    if (renkei::net::origin_allowed(o, "http", h, extra_origins))
      FUZZ_CHECK((!h.empty() && o == own) || o == extra_origins[0], "foreign origin allowed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] % 64;
  ByteStream stream(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), step);
  const renkei::net::ServerConfig config;  // the server's default limits
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(config.max_header));
    parser.body_limit(config.max_body);
    boost::system::error_code ec;
    http::read(stream, buffer, parser, ec);
    if (ec) return 0;  // end_of_stream, 431, 413, malformed: the connection ends
    FUZZ_CHECK(parser.is_done(), "read succeeded with an incomplete message");
    const http::request<http::string_body> request = parser.release();
    FUZZ_CHECK(request.body().size() <= config.max_body, "body over the limit");
    check_request(request);
    if (!request.keep_alive()) return 0;
  }
}
