// Many HTTP/1.1 POSTs sent at the same instant, for the endpoint mode of
// renkei_signin_bench: every request first gets its own TCP connection
// (Beast, from one of the given loopback source addresses, in turn), and
// only when all are connected are all requests written at once; each is
// timed from its write to the end of its response. One request per
// connection (`Connection: close`): nothing shared between them.
//
// Threading: run() runs its own io_context on the calling thread and
// returns when every request has been answered or has failed (or the
// timeout passed). Not reentrant.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "../load/load_connection.hpp"

namespace renkei::bench {

struct HttpCall {
  std::string target;  // e.g. "/api/sign-in"
  std::string body;    // JSON
};

struct HttpAnswer {
  unsigned status = 0;  // 0: no response (error says why)
  std::string error;
  std::string body;
  bool session_cookie = false;  // Set-Cookie: renkei_session=...
  Clock::time_point sent, answered;
  double ms() const { return std::chrono::duration<double, std::milli>(answered - sent).count(); }
};

struct HttpStormResult {
  std::vector<HttpAnswer> answers;  // in the order of the calls
  Clock::time_point connected;      // every connection open: the requests go
  Clock::time_point finished;       // the last answer (or failure)
  double connect_ms = 0;            // opening all connections
};

class HttpStorm {
 public:
  // `sources`: the local addresses to connect from (e.g. 127.0.0.1,
  // 127.0.0.2, ...), used in turn; one address when empty (the kernel's).
  HttpStorm(std::uint16_t port, std::vector<std::string> sources);

  HttpStormResult run(const std::vector<HttpCall>& calls, std::chrono::seconds timeout);

 private:
  std::uint16_t port_;
  std::vector<std::string> sources_;
};

}  // namespace renkei::bench
