// The real `renkei` binary as a child process, for the integration tests.
//
// A ServerProcess owns a fresh temporary directory under /tmp holding the
// database file (renkei.db) and the server's stderr (server.log). start()
// runs `renkei serve --db FILE --port 0 --bind 127.0.0.1` (fork/exec, no
// shell), reads the port from the "renkei: listening on" line of its stdout
// (a thread keeps draining that pipe afterwards) and waits for /healthz.
// stop() sends SIGTERM, kill() SIGKILL; start() again reuses the same
// database, on a new port. Every wait is bounded; failures throw
// std::runtime_error with the server's log attached.
//
// Threading: one test thread drives a ServerProcess; run_renkei() may be
// called from any thread.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace renkei::it {

struct Credentials {
  std::string council;
  std::string participant;
  std::string token;
};

struct CliResult {
  int status = -1;  // exit code, or 128 + signal
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the renkei binary with `args` (no shell) and collects its output.
// Throws if it does not finish within `timeout` (it is killed then).
CliResult run_renkei(const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout = std::chrono::seconds(30));
// The same for any program: argv[0] is its path (no PATH search, no shell).
CliResult run_program(const std::vector<std::string>& argv,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

// True when the tests run on PostgreSQL (RENKEI_TEST_ENGINE=postgresql).
bool postgresql();

class ServerProcess {
 public:
  // `extra_args` are appended to every `serve` command line (e.g. --rate).
  explicit ServerProcess(std::vector<std::string> extra_args = {});
  // Kills a running server, reports sanitizer findings in its log as a test
  // failure and removes the directory.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Several instances (PostgreSQL only): the next start() serves `other`'s
  // database with `other`'s key file, as a second instance of it.
  void share_database(const ServerProcess& other) {
    db_ = other.db_;
    secret_key_ = other.secret_key_;
  }
  // A fresh PostgreSQL database for this server, whatever RENKEI_TEST_ENGINE
  // says (tests of several instances).
  void use_postgresql();
  // Serves `db` (a file or a URI) from the next start().
  void set_db(std::string db) { db_ = std::move(db); }

  // Replaces the extra arguments for the next start().
  void set_args(std::vector<std::string> extra_args) { extra_args_ = std::move(extra_args); }
  const std::vector<std::string>& args() const { return extra_args_; }
  // The next start() runs the server with a soft RLIMIT_FSIZE of `bytes`
  // (the hard limit stays as it is, so `prlimit --pid` can raise it again)
  // and SIGXFSZ ignored, so that a write past the limit fails with EFBIG as
  // on a full disk. nullopt: no limit is set.
  void set_file_size_limit(std::optional<rlim_t> bytes) { file_size_limit_ = bytes; }
  // The next start() runs the server as this user and group (the test must
  // be root to do so); nullopt: as the test's own user.
  void set_user(std::optional<std::pair<uid_t, gid_t>> user) { user_ = user; }

  // Starts `renkei serve`. With --tls-cert among the arguments the server is
  // expected to announce https:// and readiness is checked over TLS.
  void start();
  // SIGTERM and wait; returns the exit status (exit code, or 128 + signal).
  int stop();
  // SIGKILL and wait.
  void kill();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // Whether the arguments hold --tls-cert, and the client settings that
  // trust that certificate.
  bool tls() const;
  std::string tls_cert() const;
  // "http://127.0.0.1:<port>" (or https://): the server's own origin.
  std::string origin() const;

  std::uint16_t port() const { return port_; }
  const std::string& dir() const { return dir_; }
  const std::string& db() const { return db_; }
  std::string log() const;          // the server's stderr so far
  std::string stdout_text() const;  // what it printed on stdout so far

  // Admin commands on this server's database (they work while it runs).
  Credentials create_council(const std::string& name, const std::string& facilitator_name,
                             const std::string& facilitator_org,
                             const std::string& kind = "council");
  Credentials invite(const std::string& council, const std::string& name, const std::string& org,
                     const std::string& role);

 private:
  void reap(std::chrono::milliseconds timeout, const char* what);
  void check_log_for_sanitizer_reports();

  std::vector<std::string> extra_args_;
  std::optional<rlim_t> file_size_limit_;
  std::optional<std::pair<uid_t, gid_t>> user_;
  std::string dir_;
  std::string db_;
  std::string secret_key_;  // --secret-key on PostgreSQL
  std::string log_path_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int last_status_ = -1;

  int stdout_fd_ = -1;
  std::thread drain_;
  mutable std::mutex stdout_mutex_;
  std::string stdout_;
  bool log_checked_ = false;
};

}  // namespace renkei::it
