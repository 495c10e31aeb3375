#include "server_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "pg_cluster.hpp"
#include "ws_client.hpp"

namespace renkei::it {
namespace {

using Clock = std::chrono::steady_clock;

std::runtime_error system_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

int exit_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// waitpid with a deadline; nullopt if the child is still running.
std::optional<int> wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return exit_status(status);
    if (r < 0 && errno != EINTR) throw system_error("waitpid");
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

struct Pipe {
  int read = -1;
  int write = -1;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw system_error("pipe2");
  return Pipe{fds[0], fds[1]};
}

// What the child sets up before exec (besides its standard streams).
struct ChildSetup {
  std::optional<rlim_t> file_size_limit;
  std::optional<std::pair<uid_t, gid_t>> user;
};

// fork/exec of `words` (words[0] is the program's path). The child's stdin is
// /dev/null, its stdout `out_fd`, its stderr `err_fd`. Everything the child
// runs between fork and exec is async-signal-safe; argv is built before.
pid_t spawn_program(std::vector<std::string> words, int out_fd, int err_fd,
                    const ChildSetup& setup = {}) {
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) throw system_error("open /dev/null");
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(null_fd);
    throw system_error("fork");
  }
  if (pid == 0) {
    // The server dies with the test process, even when a test aborts.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::dup2(null_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) ::_exit(126);
    if (setup.file_size_limit) {
      // A write past the limit then fails with EFBIG instead of killing.
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      if (::sigaction(SIGXFSZ, &ignore, nullptr) != 0) ::_exit(125);
      rlimit limit{};
      if (::getrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(125);
      limit.rlim_cur = *setup.file_size_limit;
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(125);
    }
    if (setup.user) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(setup.user->second) != 0 ||
          ::setuid(setup.user->first) != 0)
        ::_exit(124);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(null_fd);
  return pid;
}

pid_t spawn(const std::vector<std::string>& args, int out_fd, int err_fd,
            const ChildSetup& setup = {}) {
  std::vector<std::string> words;
  words.emplace_back(RENKEI_BINARY);
  words.insert(words.end(), args.begin(), args.end());
  return spawn_program(std::move(words), out_fd, err_fd, setup);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

boost::json::object parse_json_line(const CliResult& result, const std::string& what) {
  if (result.status != 0)
    throw std::runtime_error(what + " exited with " + std::to_string(result.status) +
                             "; stderr: " + result.err);
  boost::system::error_code ec;
  auto value = boost::json::parse(result.out, ec);
  if (ec || !value.is_object())
    throw std::runtime_error(what + " printed no JSON object: " + result.out);
  return value.as_object();
}

std::string member(const boost::json::object& object, const char* key, const std::string& what) {
  const auto* v = object.if_contains(key);
  if (!v || !v->is_string() || v->as_string().empty())
    throw std::runtime_error(what + ": no \"" + key + "\" in " + boost::json::serialize(object));
  return std::string(v->as_string());
}

}  // namespace

CliResult run_renkei(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> words;
  words.emplace_back(RENKEI_BINARY);
  words.insert(words.end(), args.begin(), args.end());
  return run_program(words, timeout);
}

CliResult run_program(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  pid_t pid = -1;
  try {
    pid = spawn_program(args, out.write, err.write);
  } catch (...) {
    for (int fd : {out.read, out.write, err.read, err.write}) ::close(fd);
    throw;
  }
  ::close(out.write);
  ::close(err.write);

  CliResult result;
  const auto deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  bool timed_out = false;
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    const int n = ::poll(fds, 2, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char chunk[4096];
      const ssize_t got = ::read(fds[i].fd, chunk, sizeof chunk);
      if (got > 0) {
        sinks[i]->append(chunk, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) ::close(fd.fd);
  if (timed_out) ::kill(pid, SIGKILL);
  auto status = wait_for_exit(pid, timed_out ? std::chrono::seconds(5) : timeout);
  if (!status) {
    ::kill(pid, SIGKILL);
    wait_for_exit(pid, std::chrono::seconds(5));
    timed_out = true;
  }
  if (timed_out) {
    std::string line;
    for (const auto& a : args) line += " " + a;
    throw std::runtime_error(line + " did not finish in time; stderr: " + result.err);
  }
  result.status = *status;
  return result;
}

bool postgresql() {
  const char* engine = std::getenv("RENKEI_TEST_ENGINE");
  return engine != nullptr && std::string_view(engine) == "postgresql";
}

ServerProcess::ServerProcess(std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)) {
  std::string pattern = "/tmp/renkei-it-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw system_error("mkdtemp");
  dir_ = pattern;
  db_ = dir_ + "/renkei.db";
  // The suites that run on both engines are run a second time with
  // RENKEI_TEST_ENGINE=postgresql (tests/integration/CMakeLists.txt): the
  // database is then a fresh one on the private test cluster.
  secret_key_ = dir_ + "/secret.key";
  if (postgresql()) use_postgresql();
  log_path_ = dir_ + "/server.log";
}

void ServerProcess::use_postgresql() {
  db_ = renkei::testing::PgCluster::shared().fresh_database();
}

ServerProcess::~ServerProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    try {
      reap(std::chrono::seconds(10), "kill");
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  check_log_for_sanitizer_reports();
  if (::testing::Test::HasFailure()) {
    std::cerr << "renkei integration test: server directory kept: " << dir_ << '\n';
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void ServerProcess::start() {
  if (running()) throw std::runtime_error("server already running");
  std::vector<std::string> args = {"serve", "--db", db_, "--port", "0", "--bind", "127.0.0.1"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  // On PostgreSQL the key that seals second factors is never guessed.
  if (db_.starts_with("postgresql://") &&
      std::find(args.begin(), args.end(), "--secret-key") == args.end()) {
    args.push_back("--secret-key");
    args.push_back(secret_key_);
  }

  const int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) throw system_error("open " + log_path_);
  Pipe out;
  try {
    out = make_pipe();
    pid_ = spawn(args, out.write, log_fd, ChildSetup{file_size_limit_, user_});
  } catch (...) {
    ::close(log_fd);
    if (out.read >= 0) ::close(out.read);
    if (out.write >= 0) ::close(out.write);
    throw;
  }
  ::close(log_fd);
  ::close(out.write);
  stdout_fd_ = out.read;

  // Read stdout up to the "listening" line.
  const std::string marker =
      std::string("renkei: listening on ") + (tls() ? "https" : "http") + "://127.0.0.1:";
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  std::string seen;
  std::optional<std::uint16_t> port;
  while (!port) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd fd{stdout_fd_, POLLIN, 0};
    const int n = ::poll(&fd, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    char chunk[1024];
    const ssize_t got = ::read(stdout_fd_, chunk, sizeof chunk);
    if (got <= 0) break;  // EOF: the server died
    seen.append(chunk, static_cast<std::size_t>(got));
    if (auto at = seen.find(marker); at != std::string::npos) {
      const auto end = seen.find('\n', at);
      if (end == std::string::npos) continue;
      const std::string digits = seen.substr(at + marker.size(), end - at - marker.size());
      try {
        port = static_cast<std::uint16_t>(std::stoul(digits));
      } catch (...) {
        break;
      }
    }
  }
  {
    std::lock_guard lock(stdout_mutex_);
    stdout_ += seen;
  }
  if (!port) {
    ::kill(pid_, SIGKILL);
    reap(std::chrono::seconds(10), "start");
    throw std::runtime_error("the server did not print its port; stdout: " + seen +
                             "\nlog: " + log());
  }
  port_ = *port;

  drain_ = std::thread([this, fd = stdout_fd_] {
    char chunk[4096];
    for (;;) {
      const ssize_t got = ::read(fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      std::lock_guard lock(stdout_mutex_);
      stdout_.append(chunk, static_cast<std::size_t>(got));
    }
  });

  // Ready when /healthz answers.
  const auto ready_deadline = Clock::now() + std::chrono::seconds(20);
  std::string last_problem;
  for (;;) {
    try {
      const ClientTls trust{tls_cert()};
      auto response = tls() ? https_get(trust, port_, "/healthz", {}, std::chrono::seconds(2))
                            : http_get(port_, "/healthz", {}, std::chrono::seconds(2));
      if (response.result_int() == 200) return;
      last_problem = "status " + std::to_string(response.result_int());
    } catch (const std::exception& e) {
      last_problem = e.what();
    }
    if (Clock::now() >= ready_deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  reap(std::chrono::seconds(10), "start");
  throw std::runtime_error("/healthz did not answer 200 within 20 s (" + last_problem +
                           "); log: " + log());
}

int ServerProcess::stop() {
  if (!running()) return last_status_;
  ::kill(pid_, SIGTERM);
  reap(std::chrono::seconds(20), "stop (SIGTERM)");
  return last_status_;
}

void ServerProcess::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  reap(std::chrono::seconds(10), "kill (SIGKILL)");
}

void ServerProcess::reap(std::chrono::milliseconds timeout, const char* what) {
  auto status = wait_for_exit(pid_, timeout);
  if (!status) {
    ::kill(pid_, SIGKILL);
    status = wait_for_exit(pid_, std::chrono::seconds(10));
    if (!status) throw std::runtime_error(std::string(what) + ": the server does not exit");
    pid_ = -1;
    last_status_ = *status;
    if (drain_.joinable()) drain_.join();
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    stdout_fd_ = -1;
    throw std::runtime_error(std::string(what) +
                             ": the server did not exit in time; log: " + log());
  }
  pid_ = -1;
  last_status_ = *status;
  if (drain_.joinable()) drain_.join();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = -1;
  check_log_for_sanitizer_reports();
}

void ServerProcess::check_log_for_sanitizer_reports() {
  if (log_checked_) return;
  const std::string text = log();
  for (const char* needle : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                             "runtime error:", "WARNING: ThreadSanitizer"}) {
    if (text.find(needle) != std::string::npos) {
      log_checked_ = true;  // report once
      ADD_FAILURE() << "sanitizer report in the server's log:\n" << text;
      return;
    }
  }
}

std::string ServerProcess::log() const { return read_file(log_path_); }

bool ServerProcess::tls() const { return !tls_cert().empty(); }

std::string ServerProcess::tls_cert() const {
  for (std::size_t i = 0; i + 1 < extra_args_.size(); ++i)
    if (extra_args_[i] == "--tls-cert") return extra_args_[i + 1];
  return {};
}

std::string ServerProcess::origin() const {
  return std::string(tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::string ServerProcess::stdout_text() const {
  std::lock_guard lock(stdout_mutex_);
  return stdout_;
}

Credentials ServerProcess::create_council(const std::string& name,
                                          const std::string& facilitator_name,
                                          const std::string& facilitator_org,
                                          const std::string& kind) {
  auto result =
      run_renkei({"council", "create", "--db", db_, "--name", name, "--kind", kind,
                  "--facilitator-name", facilitator_name, "--facilitator-org", facilitator_org});
  auto object = parse_json_line(result, "council create");
  return Credentials{member(object, "council", "council create"),
                     member(object, "participant", "council create"),
                     member(object, "token", "council create")};
}

Credentials ServerProcess::invite(const std::string& council, const std::string& name,
                                  const std::string& org, const std::string& role) {
  auto result = run_renkei(
      {"invite", "--db", db_, "--council", council, "--name", name, "--org", org, "--role", role});
  auto object = parse_json_line(result, "invite");
  const std::string token = member(object, "token", "invite");
  if (member(object, "link", "invite") != "/join/" + token)
    throw std::runtime_error("invite: link is not /join/<token>: " +
                             boost::json::serialize(object));
  return Credentials{council, member(object, "participant", "invite"), token};
}

}  // namespace renkei::it
