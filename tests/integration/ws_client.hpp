// A scripted client of the renkei server for the integration tests: one
// WebSocket connection (WsClient) and a one-shot HTTP GET (http_get).
//
// Threading: each WsClient owns an io_context run by its own thread. Frames
// are read continuously on that thread into a queue, so a test never loses a
// message it has not asked for yet and the server never sees a stalled
// reader. The public methods are called from one test thread at a time; every
// wait is bounded by a timeout and throws std::runtime_error with a
// description when it runs out (GoogleTest reports it as a failure).
#pragma once

#include <boost/beast/http.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace renkei::it {

namespace json = boost::json;
using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

// Generous enough for a sanitizer build on a busy 2-core machine; a healthy
// server answers in milliseconds.
inline constexpr Millis default_timeout{15000};

// One text frame from the server, exactly as received and parsed.
struct Frame {
  std::string text;
  json::object json;

  std::string type() const { return str("type"); }
  // The member `key` if it is a string, else "".
  std::string str(std::string_view key) const;
  // The member `key` if it is a non-negative integer, else throws.
  std::uint64_t num(std::string_view key) const;
  std::uint64_t seq() const { return num("seq"); }
  const json::object& data() const;  // event data
  std::string by() const;            // event by.participant
};

// A TLS client configuration: the certificate (PEM) the server must present
// (self-signed in the tests, so it is its own trust anchor); the server's
// name is checked against 127.0.0.1. An empty ca_file skips verification.
struct ClientTls {
  std::string ca_file;
};

struct HelloResult {
  Frame welcome;
  std::vector<Frame> events;  // between welcome and synced
  Frame synced;
};

class WsClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // Connects to ws://127.0.0.1:<port>/ws, adding `headers` to the upgrade
  // request (e.g. Cookie, Origin); throws if that fails in time or the
  // server declines the upgrade.
  explicit WsClient(std::uint16_t port, const Headers& headers = {},
                    Millis timeout = default_timeout);
  // The same over TLS: wss://127.0.0.1:<port>/ws.
  WsClient(const ClientTls& tls, std::uint16_t port, const Headers& headers = {},
           Millis timeout = default_timeout);
  // Closes the TCP connection abruptly (no close frame) and joins the thread.
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // --- raw frames ----------------------------------------------------------
  // Each returns once the frame is written; throws if it cannot be.
  void send_text(std::string text);
  void send_binary(std::string data);
  void send(const json::value& message) { send_text(json::serialize(message)); }

  // The next frame of a v1 type (welcome, event, synced, ack, error) in
  // arrival order, or nullopt if none came in time or the connection is
  // closed and drained. Frames of other types (server extensions, which a
  // v1 client ignores) are set aside in ignored(). Throws on a frame that is
  // not a JSON object. Frames returned here bypass the bookkeeping below.
  std::optional<Frame> next(Millis timeout = default_timeout);
  // Like next(), but throws if nothing comes.
  Frame expect(Millis timeout = default_timeout);

  // Waits until the server has closed the connection. Returns the close
  // code of its close frame, 0 if the connection ended without one, or
  // nullopt if it is still open when the time runs out. Frames still
  // queued are discarded.
  std::optional<std::uint16_t> wait_closed(Millis timeout = default_timeout);
  bool is_closed() const;
  // Sends a close frame (1000) and waits for the server's answer.
  void close(Millis timeout = default_timeout);

  // Stops taking frames off the socket after the one being read (the
  // server's output then backs up, as with a stalled browser), and resumes.
  void pause_reading();
  void resume_reading();

  // --- protocol ------------------------------------------------------------
  // hello, then welcome, events and synced; throws if anything else comes.
  HelloResult hello(const std::string& token, const std::string& council, std::uint64_t since = 0);
  void send_cmd(const std::string& id, const std::string& op, json::object args = {});
  // Sends a cmd and waits for its reply (ack or error).
  Frame command(const std::string& id, const std::string& op, json::object args = {},
                Millis timeout = default_timeout);
  // The first reply (ack or error) with `id` not taken yet, waiting for it.
  Frame wait_reply(const std::string& id, Millis timeout = default_timeout);
  // Reads until an event with seq >= `seq` arrived; returns that event.
  Frame wait_event(std::uint64_t seq, Millis timeout = default_timeout);
  // Reads one frame into the bookkeeping; false if none came in time.
  bool pump(Millis timeout = default_timeout);

  // Every event read through the protocol helpers, in arrival order (hello's
  // catch-up included).
  const std::vector<Frame>& events() const { return events_; }
  // The highest event seq seen so far (0 if none).
  std::uint64_t last_seq() const { return events_.empty() ? 0 : events_.back().seq(); }
  // Replies not taken by wait_reply, and the ones taken, in arrival order.
  const std::deque<Frame>& unclaimed_replies() const { return replies_; }
  const std::vector<Frame>& all_replies() const { return all_replies_; }
  // Every other frame (welcome, synced, errors without id), in order.
  const std::vector<Frame>& others() const { return others_; }
  // Frames of types outside v1 that next() skipped.
  const std::vector<Frame>& ignored() const { return ignored_; }
  // Position of each frame in arrival order across the three lists above.
  std::size_t received() const { return received_; }
  // Arrival index of the event with `seq` / of the reply, for order checks.
  std::optional<std::size_t> arrival_of_event(std::uint64_t seq) const;
  std::optional<std::size_t> arrival_of_reply(const std::string& id) const;

 private:
  struct Impl;
  template <bool Tls>
  struct StreamImpl;
  void connect(std::uint16_t port, const Headers& headers, Millis timeout);
  void classify(Frame frame);

  std::unique_ptr<Impl> impl_;
  std::vector<Frame> events_;
  std::deque<Frame> replies_;
  std::vector<Frame> all_replies_;
  std::vector<Frame> others_;
  std::vector<Frame> ignored_;
  std::size_t received_ = 0;
  std::map<std::uint64_t, std::size_t> event_arrival_;
  std::multimap<std::string, std::size_t> reply_arrival_;
};

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// GET http://127.0.0.1:<port><target> with the given extra headers; throws
// if no complete response arrives in time.
HttpResponse http_get(std::uint16_t port, const std::string& target,
                      const std::vector<std::pair<std::string, std::string>>& headers = {},
                      Millis timeout = default_timeout);

// Any request to http(s)://127.0.0.1:<port><target>, with a body; over TLS
// when `tls` is given. Throws if no complete response arrives in time (or
// the connection or TLS handshake fails).
HttpResponse http_request(std::uint16_t port, boost::beast::http::verb method,
                          const std::string& target,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          std::string body, Millis timeout = default_timeout,
                          const ClientTls* tls = nullptr);

// GET https://127.0.0.1:<port><target>.
HttpResponse https_get(const ClientTls& tls, std::uint16_t port, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers = {},
                       Millis timeout = default_timeout);

// The status of the server's answer to a WebSocket upgrade request for
// /ws carrying `headers`: 101 when it upgrades.
int upgrade_status(std::uint16_t port,
                   const std::vector<std::pair<std::string, std::string>>& headers);

// The same over TLS.
int upgrade_status(const ClientTls& tls, std::uint16_t port,
                   const std::vector<std::pair<std::string, std::string>>& headers);

// The record of `council` as the holder of `token` sees it (200 expected,
// else throws); the body exactly as served.
std::string get_record(std::uint16_t port, const std::string& council, const std::string& token);

}  // namespace renkei::it
