// The renkei binary as the endpoint mode of renkei_signin_bench uses it: a
// temporary directory with a new database, the admin commands (each prints
// one JSON line) and one `renkei serve` on a free loopback port.
//
// Threading: the main thread only. Owns the directory and the server
// process: the destructor stops the server (SIGTERM, then SIGKILL after 5 s)
// and removes the directory, so that a failed run leaves nothing behind.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace renkei::bench {

class RenkeiProcess {
 public:
  explicit RenkeiProcess(std::string binary);
  ~RenkeiProcess();
  RenkeiProcess(const RenkeiProcess&) = delete;
  RenkeiProcess& operator=(const RenkeiProcess&) = delete;

  const std::string& db() const { return db_; }

  // Runs `renkei ARGS... --db DB` and returns what it printed on stdout;
  // throws std::runtime_error with its stderr when it exits non-zero.
  std::string command(std::vector<std::string> args);

  // Starts `renkei serve --db DB --port 0 ARGS...` and waits (at most 20 s)
  // for its "listening on" line; returns the port. Throws with the server's
  // log when it exits first or never listens.
  std::uint16_t serve(std::vector<std::string> args);
  pid_t server_pid() const { return server_; }
  // Whether the server is still running (false once it has exited).
  bool server_running();
  // The server's stderr so far (its log).
  std::string server_log() const;
  void stop_server();

 private:
  // fork + execv of the binary with stdout and stderr to the given files.
  pid_t spawn(const std::vector<std::string>& args, const std::string& out,
              const std::string& err) const;

  std::string binary_;
  std::string dir_;
  std::string db_;
  pid_t server_ = -1;
};

// The value of "key":"value" in a one-line JSON object (the admin commands'
// output; no escapes in the values read here), or "" when absent.
std::string json_string_field(const std::string& json, const std::string& key);

}  // namespace renkei::bench
