#include "renkei_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace renkei::bench {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string json_string_field(const std::string& json, const std::string& key) {
  const std::string pattern = "\"" + key + "\":\"";
  const auto at = json.find(pattern);
  if (at == std::string::npos) return {};
  const auto start = at + pattern.size();
  const auto end = json.find('"', start);
  return end == std::string::npos ? std::string{} : json.substr(start, end - start);
}

RenkeiProcess::RenkeiProcess(std::string binary) : binary_(std::move(binary)) {
  char pattern[] = "/tmp/renkei-signin-bench-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot make a temporary directory");
  dir_ = pattern;
  db_ = dir_ + "/renkei.db";
}

RenkeiProcess::~RenkeiProcess() {
  stop_server();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

pid_t RenkeiProcess::spawn(const std::vector<std::string>& args, const std::string& out,
                           const std::string& err) const {
  std::vector<std::string> words{binary_};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0) _exit(126);
    dup2(o, STDOUT_FILENO);
    dup2(e, STDERR_FILENO);
    close(o);
    close(e);
    execv(binary_.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

std::string RenkeiProcess::command(std::vector<std::string> args) {
  args.push_back("--db");
  args.push_back(db_);
  const std::string out = dir_ + "/command.out";
  const std::string err = dir_ + "/command.err";
  const pid_t pid = spawn(args, out, err);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string line = "renkei";
    for (const auto& a : args) line += " " + a;
    throw std::runtime_error(line + " failed: " + read_all(err));
  }
  return read_all(out);
}

std::uint16_t RenkeiProcess::serve(std::vector<std::string> args) {
  std::vector<std::string> words{"serve", "--db", db_, "--port", "0", "--web", dir_};
  words.insert(words.end(), args.begin(), args.end());
  const std::string out = dir_ + "/server.out";
  // A previous server's output would show its port until the new one
  // truncates it.
  std::error_code ignored;
  std::filesystem::remove(out, ignored);
  server_ = spawn(words, out, dir_ + "/server.log");
  const std::string marker = "renkei: listening on http://127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = read_all(out);
    if (auto at = text.find(marker); at != std::string::npos) {
      const auto end = text.find('\n', at);
      if (end != std::string::npos)
        return static_cast<std::uint16_t>(
            std::stoul(text.substr(at + marker.size(), end - at - marker.size())));
    }
    if (!server_running()) throw std::runtime_error("renkei serve exited: " + server_log());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("renkei serve did not listen within 20 s: " + server_log());
}

bool RenkeiProcess::server_running() {
  if (server_ <= 0) return false;
  int status = 0;
  if (waitpid(server_, &status, WNOHANG) == server_) {
    server_ = -1;
    return false;
  }
  return true;
}

std::string RenkeiProcess::server_log() const { return read_all(dir_ + "/server.log"); }

void RenkeiProcess::stop_server() {
  if (server_ <= 0) return;
  kill(server_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (waitpid(server_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(server_, SIGKILL);
      waitpid(server_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server_ = -1;
}

}  // namespace renkei::bench
