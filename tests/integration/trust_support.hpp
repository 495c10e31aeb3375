// Helpers of the trust tests (authorisation, privacy, limits, TLS, audit,
// crash safety, storage faults, backup, logs): random canary texts, a raw
// TCP socket for what a well-behaved client never does, a minimal raw
// WebSocket handshake, SQLite checks of a database file, and the text of
// everything a client received.
#pragma once

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace renkei::it {

// Random lower-case hex, `bytes` random bytes long.
inline std::string random_hex(std::size_t bytes = 12) {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(engine() & 0xff);
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

// A unique text that must not leak: Japanese and ASCII around a random core.
// `core` is the ASCII part alone, which also finds the canary in escaped
// JSON (\uXXXX) where the Japanese part would not match byte for byte.
struct Canary {
  std::string core = "cnry" + random_hex();
  std::string text = "内密の相談・" + core + "・北広島町";
  // Whether `haystack` holds any recognisable part of the canary.
  bool in(const std::string& haystack) const {
    return haystack.find(core) != std::string::npos || haystack.find(text) != std::string::npos;
  }
};

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Everything `client` has received (and whatever arrives within `quiet`),
// one frame per line.
inline std::string everything_received(WsClient& client, Millis quiet = Millis(300)) {
  while (client.pump(quiet)) {
  }
  std::string all;
  for (const auto* list :
       {&client.events(), &client.all_replies(), &client.others(), &client.ignored()})
    for (const Frame& frame : *list) all += frame.text + "\n";
  for (const Frame& frame : client.unclaimed_replies()) all += frame.text + "\n";
  return all;
}

// --- SQLite on a database file -------------------------------------------------

// Opens `path` read-only (or read-write) with the C API; closes on scope exit.
class SqliteFile {
 public:
  explicit SqliteFile(const std::string& path, bool writable = false) {
    const int flags = writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw std::runtime_error("sqlite3_open " + path + ": " + message);
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  ~SqliteFile() { sqlite3_close(db_); }
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  // Every row of `sql`, each column as text (NULL as "NULL").
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
      throw std::runtime_error("prepare " + sql + ": " + sqlite3_errmsg(db_));
    std::vector<std::vector<std::string>> out;
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        const std::string message = sqlite3_errmsg(db_);
        sqlite3_finalize(statement);
        throw std::runtime_error("step " + sql + ": " + message);
      }
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        const unsigned char* text = sqlite3_column_text(statement, i);
        row.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return out;
  }
  // The single value of a one-row, one-column query.
  std::string value(const std::string& sql) {
    auto r = rows(sql);
    if (r.size() != 1 || r[0].size() != 1)
      throw std::runtime_error(sql + ": expected one value, got " + std::to_string(r.size()) +
                               " rows");
    return r[0][0];
  }
  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error("exec " + sql + ": " + message);
    }
  }

 private:
  sqlite3* db_ = nullptr;
};

// PRAGMA integrity_check of the file, as SQLite answers it ("ok" when sound).
// On PostgreSQL: amcheck's bt_index_check of the log's primary key and
// command index with heapallindexed (every row is in the index), "ok" when
// it raises nothing.
inline std::string integrity_check(const std::string& path) {
  if (path.starts_with("postgresql://")) {
    PGconn* conn = PQconnectdb(path.c_str());
    std::string answer = "ok";
    for (const char* sql :
         {"CREATE EXTENSION IF NOT EXISTS amcheck",
          "SELECT bt_index_check('events_pkey', true), bt_index_check('events_command', true)"}) {
      PGresult* result = PQexec(conn, sql);
      const auto status = PQresultStatus(result);
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && answer == "ok")
        answer = PQresultErrorMessage(result);
      PQclear(result);
    }
    if (PQstatus(conn) != CONNECTION_OK) answer = PQerrorMessage(conn);
    PQfinish(conn);
    return answer;
  }
  SqliteFile db(path);
  std::string all;
  for (const auto& row : db.rows("PRAGMA integrity_check")) all += row.at(0) + "\n";
  if (!all.empty()) all.pop_back();
  return all;
}

// --- raw TCP -----------------------------------------------------------------------

// A blocking TCP connection to 127.0.0.1:<port> for byte-level tests.
class RawSocket {
 public:
  // A `receive_buffer` above 0 fixes SO_RCVBUF (before connecting, so that
  // the kernel does not grow it): a stalled reader then absorbs little.
  explicit RawSocket(std::uint16_t port, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    if (receive_buffer > 0)
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      const std::string message = std::strerror(errno);
      ::close(fd_);
      throw std::runtime_error("connect: " + message);
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // False if the peer has closed (EPIPE, ECONNRESET).
  bool send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads what arrives within `timeout` into received(); returns false once
  // the peer has closed the connection (EOF or reset).
  bool read_for(Millis timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return true;
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return true;
      char chunk[4096];
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      received_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // Reads until the peer closes; the time that took, or nullopt if it is
  // still open after `timeout`.
  std::optional<Millis> time_until_closed(Millis timeout) {
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto left =
          std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
      if (!read_for(std::min(left, Millis(50))))
        return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started);
    }
    return std::nullopt;
  }

  const std::string& received() const { return received_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string received_;
};

// A masked client text frame (RFC 6455) carrying `payload`.
inline std::string masked_text_frame(const std::string& payload) {
  std::string frame;
  frame += static_cast<char>(0x81);
  const std::size_t n = payload.size();
  if (n < 126) {
    frame += static_cast<char>(0x80 | n);
  } else if (n < 65536) {
    frame += static_cast<char>(0x80 | 126);
    frame += static_cast<char>((n >> 8) & 0xff);
    frame += static_cast<char>(n & 0xff);
  } else {
    frame += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((n >> shift) & 0xff);
  }
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  for (unsigned char m : mask) frame += static_cast<char>(m);
  for (std::size_t i = 0; i < n; ++i)
    frame += static_cast<char>(static_cast<unsigned char>(payload[i]) ^ mask[i % 4]);
  return frame;
}

// Sends a WebSocket upgrade request for /ws over `socket` and reads the
// 101 response head; throws if the server does not upgrade in time.
inline void raw_upgrade(RawSocket& socket, std::uint16_t port) {
  socket.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
              "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
  const auto deadline = std::chrono::steady_clock::now() + default_timeout;
  while (socket.received().find("\r\n\r\n") == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline || !socket.read_for(Millis(50)))
      throw std::runtime_error("no upgrade response: " + socket.received());
  }
  if (socket.received().rfind("HTTP/1.1 101", 0) != 0)
    throw std::runtime_error("not upgraded: " + socket.received());
}

// Polls `condition` every 20 ms until it holds or `timeout` passes.
template <class Condition>
bool eventually(Condition condition, Millis timeout = default_timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(Millis(20));
  }
}

// The lines of `text` (without their line breaks), empty lines left out.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace renkei::it
