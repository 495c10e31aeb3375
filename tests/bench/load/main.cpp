// renkei_load: the native load generator of the benchmark suite.
//
// Speaks the v1 contract (hello / welcome / events / synced, cmd -> ack) to
// Renkei or to the reference peers (tests/bench/node), directly or wrapped in
// Socket.IO packets, and prints one JSON line of results on stdout. Progress
// and problems go to stderr. Every phase is bounded in time; the process
// ends by itself.
//
// Scenarios (--scenario):
//   rate       open loop: writers send --rate events/s in total; ack and
//              end-to-end latency, deliveries, server CPU (--server-pid);
//              --ports P1,P2 splits each room's members over instances
//   window     closed loop: each writer keeps --window commands in flight
//              (saturation); same figures
//   populate   closed loop until each writer has written --events events
//   idle       --rooms x --members connections join and stay idle; server
//              RSS delta per connection
//   handshake  --lanes concurrent loops of connect, upgrade, hello, synced,
//              close; completed handshakes per second
//   resync     --repeat times: a new connection says hello with --since and
//              reads the catch-up; hello -> synced time
//
// Server CPU is utime + stime of --server-pid from /proc over the measured
// window; RSS is VmRSS from /proc/<pid>/status.
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "load_connection.hpp"
#include "samples.hpp"

namespace renkei::bench {
namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;
using namespace std::chrono_literals;

// ---------------------------------------------------------------- options --

struct Options {
  std::map<std::string, std::string> values;

  std::string str(const std::string& key, const std::string& fallback = "") const {
    auto it = values.find(key);
    return it == values.end() ? fallback : it->second;
  }
  double num(const std::string& key, double fallback) const {
    auto it = values.find(key);
    return it == values.end() ? fallback : std::stod(it->second);
  }
  std::size_t count(const std::string& key, std::size_t fallback) const {
    return static_cast<std::size_t>(num(key, static_cast<double>(fallback)));
  }
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string key = argv[i];
    if (key.rfind("--", 0) != 0 || i + 1 >= argc) {
      throw std::invalid_argument("expected --key value, got " + key);
    }
    options.values[key.substr(2)] = argv[++i];
  }
  return options;
}

struct Credential {
  std::string council;
  std::string token;
};

std::vector<Credential> read_credentials(const std::string& path) {
  std::vector<Credential> out;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read --creds " + path);
  std::string council, token;
  while (in >> council >> token) out.push_back({council, token});
  if (out.empty()) throw std::runtime_error("no credentials in " + path);
  return out;
}

// ------------------------------------------------------------------ /proc --

struct ProcessSample {
  double cpu_s = 0;  // utime + stime
  std::uint64_t rss_kb = 0;
};

ProcessSample sample_process(int pid) {
  ProcessSample sample;
  if (pid <= 0) return sample;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  // Fields after the command name (which may hold spaces) in parentheses.
  const auto close = line.rfind(')');
  if (close != std::string::npos) {
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    std::vector<std::string> fields;
    while (rest >> field) fields.push_back(field);
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    if (fields.size() > 13) {
      const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
      sample.cpu_s = (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
    }
  }
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) sample.rss_kb = std::stoull(line.substr(6));
  }
  return sample;
}

double own_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

// ------------------------------------------------------------ frame parse --

const Clock::time_point epoch = Clock::now();

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - epoch).count();
}

std::string_view type_of(std::string_view text) {
  constexpr std::string_view key = "\"type\":\"";
  const auto at = text.find(key);
  if (at == std::string_view::npos) return {};
  const auto start = at + key.size();
  const auto end = text.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : text.substr(start, end - start);
}

// The unsigned integer after `key` (e.g. "\"seq\":"), or -1.
std::int64_t number_after(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return -1;
  std::int64_t value = -1;
  const char* first = text.data() + at + key.size();
  std::from_chars(first, text.data() + text.size(), value);
  return value;
}

std::string_view string_after(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return {};
  const auto start = at + key.size();
  const auto end = text.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : text.substr(start, end - start);
}

// --------------------------------------------------------------- workers --

class Workers {
 public:
  explicit Workers(std::size_t n) {
    for (std::size_t i = 0; i < std::max<std::size_t>(n, 1); ++i) {
      auto worker = std::make_unique<Worker>();
      contexts_.push_back(worker.get());
      workers_.push_back(std::move(worker));
    }
    for (auto& worker : workers_)
      worker->thread = std::thread([w = worker.get()] { w->ioc.run(); });
  }
  ~Workers() { stop(); }
  asio::io_context& at(std::size_t i) { return contexts_[i % contexts_.size()]->ioc; }
  std::size_t size() const { return contexts_.size(); }
  void stop() {
    for (auto& worker : workers_) {
      worker->guard.reset();
      worker->ioc.stop();
    }
    for (auto& worker : workers_)
      if (worker->thread.joinable()) worker->thread.join();
  }

 private:
  struct Worker {
    asio::io_context ioc{1};
    asio::executor_work_guard<asio::io_context::executor_type> guard{ioc.get_executor()};
    std::thread thread;
  };
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Worker*> contexts_;
};

// Waits until `done()` or `limit` passes; true if done.
template <class Pred>
bool wait_until(Pred done, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

std::string fmt(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", v);
  return text;
}

// ------------------------------------------------------------ the clients --

enum class Op { stance, post };

// Everything the scenario keeps for one connection; touched only on the
// connection's io_context thread (and by the main thread after the workers
// have stopped).
struct Client {
  std::shared_ptr<LoadConnection> conn;
  std::size_t room = 0;
  bool writer = false;
  bool slow = false;
  asio::io_context* ioc = nullptr;

  // writer
  std::string proposal;                         // target of proposal.stance
  std::uint64_t open_seq = 0;                   // seq of our proposal.opened (ack)
  std::map<std::uint64_t, std::string> opened;  // seq -> proposal id seen
  bool ready = false;
  std::uint64_t next_id = 0;
  std::unordered_map<std::uint64_t, std::int64_t> in_flight;  // id -> send ns
  std::uint64_t sent = 0, acks = 0, errors = 0, skipped = 0, scheduled = 0;
  std::int64_t start_ns = 0, interval_ns = 0;
  std::unique_ptr<asio::steady_timer> timer;
  std::uint64_t quota = 0;  // populate: events left (0 = unlimited)

  // reader
  std::uint64_t deliveries = 0, seq_errors = 0, other_errors = 0;
  bool closed_by_server = false;
  bool synced = false;
  std::uint64_t last_seq = 0;
  Samples ack_us, e2e_us;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> e2e_by_interval;  // interval, us
};

struct Shared {
  Target target;
  Op op = Op::stance;
  std::string nonce;
  std::string padding;
  std::uint64_t since = 1ull << 53;  // above any head: no catch-up
  std::atomic<std::int64_t> window_start{std::numeric_limits<std::int64_t>::max()};
  std::atomic<std::int64_t> window_end{std::numeric_limits<std::int64_t>::max()};
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connected{0}, synced{0}, ready{0}, failed{0}, closed{0};
  std::int64_t interval_ns = 0;  // soak reporting (0 = off)
  std::size_t max_in_flight = 20000;
  std::size_t window = 0;  // closed loop when > 0
  std::string first_error;
  std::mutex error_mutex;

  void fail(const std::string& what) {
    ++failed;
    std::lock_guard lock(error_mutex);
    if (first_error.empty()) first_error = what;
  }
  bool in_window(std::int64_t t) const { return t >= window_start.load() && t < window_end.load(); }
};

std::string hello_json(const Credential& cred, std::uint64_t since) {
  return "{\"type\":\"hello\",\"token\":\"" + cred.token + "\",\"council\":\"" + cred.council +
         "\",\"since\":" + std::to_string(since) + "}";
}

void send_command(Shared& shared, Client& c) {
  const std::uint64_t n = ++c.next_id;
  const std::int64_t t = now_ns();
  std::string id = shared.nonce + "-" + std::to_string(c.conn->index()) + "-" + std::to_string(n);
  std::string text;
  text.reserve(160 + shared.padding.size());
  if (shared.op == Op::stance) {
    text.append("{\"type\":\"cmd\",\"id\":\"")
        .append(id)
        .append("\",\"op\":\"proposal.stance\",\"args\":{\"proposal\":\"");
    text.append(c.proposal).append("\",\"stance\":\"agree\",\"reason\":\"t=");
  } else {
    text.append("{\"type\":\"cmd\",\"id\":\"")
        .append(id)
        .append("\",\"op\":\"issue.post\",\"args\":{\"text\":\"t=");
  }
  text.append(std::to_string(t)).append(" ").append(shared.padding).append("\"}}");
  c.in_flight.emplace(n, t);
  ++c.sent;
  c.conn->send(std::move(text));
}

// Sends what the open-loop schedule says is due, then sleeps until the next.
void pace(Shared& shared, Client& c) {
  if (shared.stopping) return;
  const std::int64_t now = now_ns();
  const std::int64_t due_total = (now - c.start_ns) / c.interval_ns + 1;
  while (static_cast<std::int64_t>(c.scheduled) < due_total) {
    ++c.scheduled;
    if (c.in_flight.size() >= shared.max_in_flight) {
      ++c.skipped;
    } else {
      send_command(shared, c);
    }
  }
  c.timer->expires_at(epoch +
                      std::chrono::nanoseconds(c.start_ns + static_cast<std::int64_t>(c.scheduled) *
                                                                c.interval_ns));
  c.timer->async_wait([&shared, &c](error_code ec) {
    if (!ec) pace(shared, c);
  });
}

void on_ack(Shared& shared, Client& c, std::string_view text, bool ok) {
  const std::string_view id = string_after(text, "\"id\":\"");
  if (id.empty()) {
    ++c.other_errors;
    return;
  }
  if (id.rfind("open-", 0) == 0) {
    if (!ok) {
      shared.fail("proposal.open refused: " + std::string(text.substr(0, 200)));
      return;
    }
    c.open_seq = static_cast<std::uint64_t>(number_after(text, "\"seq\":"));
    if (auto it = c.opened.find(c.open_seq); it != c.opened.end()) {
      c.proposal = it->second;
      c.ready = true;
      ++shared.ready;
    }
    return;
  }
  const auto dash = id.rfind('-');
  std::uint64_t n = 0;
  std::from_chars(id.data() + dash + 1, id.data() + id.size(), n);
  auto it = c.in_flight.find(n);
  if (it == c.in_flight.end()) {
    ++c.other_errors;
    return;
  }
  const std::int64_t sent_at = it->second;
  c.in_flight.erase(it);
  const std::int64_t now = now_ns();
  if (ok) {
    ++c.acks;
    if (shared.in_window(sent_at)) c.ack_us.add(static_cast<std::uint32_t>((now - sent_at) / 1000));
  } else {
    ++c.errors;
    if (c.errors <= 3) std::cerr << "renkei_load: error reply: " << text.substr(0, 300) << '\n';
  }
  if (shared.window > 0 && !shared.stopping) {
    if (c.quota > 0 && c.sent >= c.quota) return;
    send_command(shared, c);
  }
}

void on_event(Shared& shared, Client& c, std::string_view text) {
  const std::int64_t seq = number_after(text, "\"seq\":");
  if (c.writer && !c.ready) {
    if (text.find("\"op\":\"proposal.opened\"") != std::string_view::npos) {
      std::string_view id = string_after(text, "\"proposal\":\"");
      c.opened[static_cast<std::uint64_t>(seq)] = std::string(id);
      if (c.open_seq == static_cast<std::uint64_t>(seq)) {
        c.proposal = std::string(id);
        c.ready = true;
        ++shared.ready;
      }
    }
  }
  if (!c.synced) return;
  if (c.last_seq != 0 && static_cast<std::uint64_t>(seq) != c.last_seq + 1) ++c.seq_errors;
  c.last_seq = static_cast<std::uint64_t>(seq);
  const std::int64_t now = now_ns();
  if (!shared.in_window(now)) return;
  ++c.deliveries;
  const std::int64_t stamp = number_after(text, "t=");
  if (stamp > 0 && now >= stamp) {
    const auto us = static_cast<std::uint32_t>((now - stamp) / 1000);
    c.e2e_us.add(us);
    if (shared.interval_ns > 0)
      c.e2e_by_interval.emplace_back(
          static_cast<std::uint32_t>((now - shared.window_start.load()) / shared.interval_ns), us);
  }
}

void on_message(Shared& shared, Client& c, std::string_view text) {
  const std::string_view type = type_of(text);
  if (type == "event") return on_event(shared, c, text);
  if (type == "ack") return on_ack(shared, c, text, true);
  if (type == "error") {
    if (text.find("\"id\":\"") != std::string_view::npos) return on_ack(shared, c, text, false);
    ++c.other_errors;
    shared.fail("error: " + std::string(text.substr(0, 200)));
    return;
  }
  if (type == "synced") {
    c.synced = true;
    c.last_seq = static_cast<std::uint64_t>(number_after(text, "\"head\":"));
    ++shared.synced;
    if (c.slow) c.conn->stop_reading();
    return;
  }
  // welcome, presence and other extensions need nothing here.
}

// Connects, says hello and reads until the end.
void join(Shared& shared, Client& c, const Credential& cred) {
  const int rcvbuf = c.slow ? 16 * 1024 : 0;
  c.conn->connect(
      [&shared, &c, cred](LoadConnection& conn, error_code ec) {
        if (ec) {
          shared.fail("connect: " + ec.message());
          return;
        }
        ++shared.connected;
        conn.start_reading(
            [&shared, &c](LoadConnection&, std::string_view text) { on_message(shared, c, text); },
            [&shared, &c](LoadConnection&, error_code) {
              c.closed_by_server = true;
              ++shared.closed;
            });
        conn.send(hello_json(cred, shared.since));
      },
      rcvbuf);
}

// ------------------------------------------------------------- scenarios --

struct Result {
  std::ostringstream json;
  bool ok = true;
};

std::chrono::milliseconds connect_timeout(const Options& options) {
  return std::chrono::milliseconds(static_cast<long>(options.num("connect-timeout", 120) * 1000));
}

// Connects every client, `parallel` at a time, and waits until each has
// synced or failed, at most `limit` (--connect-timeout).
void start_clients(Workers& workers, Shared& shared, std::vector<Client>& clients,
                   const std::vector<Credential>& creds, std::size_t parallel,
                   std::chrono::milliseconds limit) {
  std::size_t started = 0;
  const auto deadline = Clock::now() + 180s;
  while (started < clients.size() && Clock::now() < deadline) {
    if (started - shared.synced.load() - shared.failed.load() >= parallel) {
      std::this_thread::sleep_for(1ms);
      continue;
    }
    Client& c = clients[started];
    asio::post(*c.ioc,
               [&shared, &c, cred = creds[c.room % creds.size()]] { join(shared, c, cred); });
    ++started;
  }
  (void)workers;
  wait_until([&] { return shared.synced.load() + shared.failed.load() >= clients.size(); }, limit);
}

// rate, window, populate.
int run_traffic(const Options& options, const std::vector<Credential>& creds) {
  Shared shared;
  shared.target.host = options.str("host", "127.0.0.1");
  shared.target.port = static_cast<std::uint16_t>(options.count("port", 0));
  shared.target.protocol = options.str("proto", "v1") == "sio" ? Protocol::socketio : Protocol::v1;
  shared.op = options.str("op", "stance") == "post" ? Op::post : Op::stance;
  shared.padding = std::string(options.count("payload", 64), 'x');
  const std::string scenario = options.str("scenario");
  const std::size_t rooms = std::min(options.count("rooms", 1), creds.size());
  const std::size_t members = options.count("members", 10);
  const std::size_t writers_per_room = std::min(options.count("writers", 1), members);
  const std::size_t slow = options.count("slow", 0);
  const double rate = options.num("rate", 1000);
  const double warmup = options.num("warmup", 2);
  const double duration = options.num("duration", 10);
  const int pid = static_cast<int>(options.count("server-pid", 0));
  shared.window = scenario == "rate" ? 0 : std::max<std::size_t>(options.count("window", 16), 1);
  shared.interval_ns = static_cast<std::int64_t>(options.num("interval", 0) * 1e9);
  const std::uint64_t quota = options.count("events", 0);
  {
    std::random_device rd;
    std::ostringstream nonce;
    nonce << std::hex
          << ((static_cast<std::uint64_t>(rd()) << 20) ^ static_cast<std::uint64_t>(getpid()));
    shared.nonce = nonce.str();
  }

  Workers workers(options.count("threads", 1));
  std::vector<Client> clients(rooms * members + slow);
  std::size_t index = 0;
  std::size_t writers_total = 0;
  for (std::size_t r = 0; r < rooms; ++r) {
    for (std::size_t m = 0; m < members; ++m, ++index) {
      Client& c = clients[index];
      c.room = r;
      c.writer = m < writers_per_room;
      writers_total += c.writer ? 1 : 0;
    }
  }
  for (std::size_t s = 0; s < slow; ++s, ++index) clients[index].slow = true;  // room 0
  // --ports P1,P2,...: several instances of one deployment; the members of
  // each room alternate between them (member m on instance m mod n), so a
  // room's writer and half its members are on the first.
  std::vector<std::uint16_t> ports;
  {
    std::stringstream list(options.str("ports"));
    for (std::string port; std::getline(list, port, ',');)
      if (!port.empty()) ports.push_back(static_cast<std::uint16_t>(std::stoul(port)));
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    Client& c = clients[i];
    c.ioc = &workers.at(i);
    Target target = shared.target;
    if (!ports.empty()) target.port = ports[(c.slow ? 0 : i % members) % ports.size()];
    c.conn = std::make_shared<LoadConnection>(*c.ioc, target, i);
    c.quota = quota;
  }

  const ProcessSample before_connect = sample_process(pid);
  start_clients(workers, shared, clients, creds, options.count("connect-parallel", 64),
                connect_timeout(options));
  if (shared.synced.load() < clients.size()) {
    std::cerr << "renkei_load: only " << shared.synced.load() << " of " << clients.size()
              << " connections synced; first error: " << shared.first_error << '\n';
    workers.stop();
    return 1;
  }
  const ProcessSample after_connect = sample_process(pid);
  std::cerr << "renkei_load: " << clients.size() << " connections synced\n";

  // Writers open their proposal (stance op) and wait for it.
  for (auto& c : clients) {
    if (!c.writer) continue;
    if (shared.op == Op::post) {
      asio::post(*c.ioc, [&shared, &c] {
        c.ready = true;
        ++shared.ready;
      });
      continue;
    }
    asio::post(*c.ioc, [&c] {
      c.conn->send(
          "{\"type\":\"cmd\",\"id\":\"open-" + std::to_string(c.conn->index()) + "-" +
          std::to_string(getpid()) + "-" + std::to_string(now_ns()) +
          "\",\"op\":\"proposal.open\",\"args\":{\"kind\":\"direction\",\"text\":\"bench\"}}");
    });
  }
  if (!wait_until([&] { return shared.ready.load() >= writers_total || shared.failed.load() > 0; },
                  60s) ||
      shared.failed.load() > 0) {
    std::cerr << "renkei_load: writers not ready (" << shared.ready.load() << "/" << writers_total
              << "): " << shared.first_error << '\n';
    workers.stop();
    return 1;
  }

  // Go.
  const std::int64_t go = now_ns() + 20'000'000;
  const std::int64_t interval_ns =
      rate > 0 ? static_cast<std::int64_t>(1e9 * static_cast<double>(writers_total) / rate) : 1;
  std::size_t w = 0;
  for (auto& c : clients) {
    if (!c.writer) continue;
    const std::int64_t offset = interval_ns * static_cast<std::int64_t>(w++) /
                                static_cast<std::int64_t>(std::max<std::size_t>(writers_total, 1));
    asio::post(*c.ioc, [&shared, &c, go, offset, interval_ns] {
      if (shared.window > 0) {
        for (std::size_t k = 0; k < shared.window; ++k) {
          if (c.quota > 0 && c.sent >= c.quota) break;
          send_command(shared, c);
        }
        return;
      }
      c.start_ns = go + offset;
      c.interval_ns = std::max<std::int64_t>(interval_ns, 1);
      c.timer = std::make_unique<asio::steady_timer>(*c.ioc);
      c.timer->expires_at(epoch + std::chrono::nanoseconds(c.start_ns));
      c.timer->async_wait([&shared, &c](error_code ec) {
        if (!ec) pace(shared, c);
      });
    });
  }

  auto total_acks = [&] {
    std::uint64_t n = 0;
    for (auto& c : clients) n += c.acks + c.errors;  // racy read: progress only
    return n;
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(warmup * 1000)));
  const double client_cpu0 = own_cpu_s();
  const ProcessSample start = sample_process(pid);
  shared.window_start = now_ns();
  const auto t0 = Clock::now();
  std::uint64_t rss_max = start.rss_kb;
  std::vector<std::pair<double, std::uint64_t>> rss_series;  // (s, kB)
  const std::uint64_t target_total = quota * writers_total;
  for (;;) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    if (quota == 0 && elapsed >= duration) break;
    if (shared.closed.load() >= clients.size()) break;  // the server went away
    if (quota > 0 && (total_acks() >= target_total || elapsed > 3600)) break;
    std::this_thread::sleep_for(quota > 0 ? 50ms : 100ms);
    const auto s = sample_process(pid);
    rss_max = std::max(rss_max, s.rss_kb);
    if (rss_series.empty() ||
        std::chrono::duration<double>(Clock::now() - t0).count() - rss_series.back().first >= 1.0)
      rss_series.emplace_back(std::chrono::duration<double>(Clock::now() - t0).count(), s.rss_kb);
  }
  shared.window_end = now_ns();
  const ProcessSample end = sample_process(pid);
  const double client_cpu1 = own_cpu_s();
  const double measured = std::chrono::duration<double>(Clock::now() - t0).count();
  shared.stopping = true;
  for (auto& c : clients)
    if (c.timer) asio::post(*c.ioc, [&c] { c.timer->cancel(); });

  // Drain: outstanding commands are answered (bounded).
  auto outstanding = [&] {
    std::size_t n = 0;
    for (auto& c : clients) n += c.in_flight.size();  // racy read: progress only
    return n;
  };
  wait_until([&] { return outstanding() == 0; }, 15s);

  // Slow readers: read again; a dropped one ends soon after its buffer.
  std::atomic<std::size_t> slow_dropped{0};
  for (auto& c : clients) {
    if (!c.slow) continue;
    asio::post(*c.ioc, [&c, &slow_dropped] {
      if (c.closed_by_server) {
        ++slow_dropped;
        return;
      }
      c.conn->start_reading([](LoadConnection&, std::string_view) {},
                            [&slow_dropped](LoadConnection&, error_code) { ++slow_dropped; });
    });
  }
  if (slow > 0) std::this_thread::sleep_for(3s);

  workers.stop();

  // Aggregate (workers stopped: no more concurrent access).
  Samples ack, e2e;
  std::map<std::uint32_t, Samples> by_interval;
  std::uint64_t sent = 0, acks = 0, errors = 0, skipped = 0, deliveries = 0, seq_errors = 0,
                other = 0, acks_in_window = 0, slow_closed = 0;
  for (auto& c : clients) {
    sent += c.sent;
    acks += c.acks;
    errors += c.errors;
    skipped += c.skipped;
    deliveries += c.deliveries;
    seq_errors += c.slow ? 0 : c.seq_errors;
    other += c.other_errors;
    acks_in_window += c.ack_us.size();
    ack.merge(c.ack_us);
    if (!c.slow) e2e.merge(c.e2e_us);
    for (auto [i, us] : c.e2e_by_interval) by_interval[i].add(us);
    if (c.slow && c.closed_by_server) ++slow_closed;
  }
  ack.seal();
  e2e.seal();
  const double cpu = end.cpu_s - start.cpu_s;
  std::ostringstream out;
  out << "{\"scenario\":\"" << scenario << "\",\"connections\":" << clients.size()
      << ",\"rooms\":" << rooms << ",\"members\":" << members << ",\"writers\":" << writers_total
      << ",\"window_s\":" << fmt(measured) << ",\"sent\":" << sent << ",\"acks\":" << acks
      << ",\"errors\":" << errors << ",\"skipped\":" << skipped << ",\"seq_errors\":" << seq_errors
      << ",\"other_errors\":" << other << ",\"acks_per_s\":" << fmt(acks_in_window / measured)
      << ",\"deliveries\":" << deliveries << ",\"deliveries_per_s\":" << fmt(deliveries / measured)
      << ",\"server_cpu_s\":" << fmt(cpu)
      << ",\"deliveries_per_cpu_s\":" << fmt(cpu > 0 ? deliveries / cpu : 0)
      << ",\"acks_per_cpu_s\":" << fmt(cpu > 0 ? acks_in_window / cpu : 0)
      << ",\"server_cpu_util\":" << fmt(cpu / measured)
      << ",\"client_cpu_util\":" << fmt((client_cpu1 - client_cpu0) / measured) << ','
      << ack.json("ack") << ',' << e2e.json("e2e")
      << ",\"rss_connect_before_kb\":" << before_connect.rss_kb
      << ",\"rss_connect_after_kb\":" << after_connect.rss_kb
      << ",\"rss_start_kb\":" << start.rss_kb << ",\"rss_end_kb\":" << end.rss_kb
      << ",\"rss_max_kb\":" << rss_max << ",\"slow\":" << slow
      << ",\"slow_dropped\":" << (slow > 0 ? slow_dropped.load() : 0)
      << ",\"slow_closed_during_run\":" << slow_closed << ",\"intervals\":[";
  bool first = true;
  for (auto& [i, samples] : by_interval) {
    samples.seal();
    // RSS at the end of the interval.
    std::uint64_t rss = 0;
    for (auto& [t, kb] : rss_series)
      if (t <= (i + 1) * (shared.interval_ns / 1e9)) rss = kb;
    out << (first ? "" : ",") << "{\"i\":" << i << ",\"n\":" << samples.size()
        << ",\"e2e_p50_ms\":" << fmt(samples.quantile_ms(0.5))
        << ",\"e2e_p99_ms\":" << fmt(samples.quantile_ms(0.99)) << ",\"rss_kb\":" << rss << "}";
    first = false;
  }
  out << "],\"failed\":" << shared.failed.load() << "}";
  std::cout << out.str() << std::endl;
  const bool clean = errors == 0 && seq_errors == 0 && shared.failed.load() == 0 && acks > 0;
  return clean ? 0 : 3;
}

// idle: connections join and stay idle.
int run_idle(const Options& options, const std::vector<Credential>& creds) {
  Shared shared;
  shared.target.port = static_cast<std::uint16_t>(options.count("port", 0));
  shared.target.protocol = options.str("proto", "v1") == "sio" ? Protocol::socketio : Protocol::v1;
  const std::size_t rooms = std::min(options.count("rooms", 1), creds.size());
  const std::size_t members = options.count("members", 100);
  const int pid = static_cast<int>(options.count("server-pid", 0));
  Workers workers(options.count("threads", 1));
  std::vector<Client> clients(rooms * members);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    Client& c = clients[i];
    c.room = i % rooms;
    c.ioc = &workers.at(i);
    c.conn = std::make_shared<LoadConnection>(*c.ioc, shared.target, i);
  }
  const ProcessSample before = sample_process(pid);
  const auto t0 = Clock::now();
  start_clients(workers, shared, clients, creds, options.count("connect-parallel", 64),
                connect_timeout(options));
  const double connect_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const bool all = shared.synced.load() >= clients.size();
  // Let the server settle (presence broadcasts, freed handshake buffers).
  std::this_thread::sleep_for(
      std::chrono::milliseconds(static_cast<long>(options.num("settle", 3) * 1000)));
  const ProcessSample after = sample_process(pid);
  workers.stop();
  const double per_conn = clients.empty() ? 0
                                          : (static_cast<double>(after.rss_kb) - before.rss_kb) *
                                                1024.0 / clients.size();
  std::cout << "{\"scenario\":\"idle\",\"connections\":" << clients.size()
            << ",\"synced\":" << shared.synced.load() << ",\"connect_s\":" << fmt(connect_s)
            << ",\"rss_before_kb\":" << before.rss_kb << ",\"rss_after_kb\":" << after.rss_kb
            << ",\"bytes_per_connection\":" << fmt(per_conn)
            << ",\"failed\":" << shared.failed.load() << ",\"first_error\":\""
            << (shared.first_error.empty() ? "" : "see stderr") << "\"}" << std::endl;
  if (!shared.first_error.empty()) std::cerr << "renkei_load: " << shared.first_error << '\n';
  return all ? 0 : 3;
}

// handshake: lanes of connect, upgrade, hello, synced, close.
int run_handshake(const Options& options, const std::vector<Credential>& creds) {
  struct Lane {
    std::size_t index = 0;
    std::uint64_t done = 0, failed = 0;
    Samples latency;
    std::shared_ptr<LoadConnection> conn;
  };
  Target target;
  target.port = static_cast<std::uint16_t>(options.count("port", 0));
  target.protocol = options.str("proto", "v1") == "sio" ? Protocol::socketio : Protocol::v1;
  const std::size_t lanes_n = options.count("lanes", 16);
  const double duration = options.num("duration", 5);
  const double warmup = options.num("warmup", 1);
  const int pid = static_cast<int>(options.count("server-pid", 0));
  Workers workers(options.count("threads", 1));
  std::vector<Lane> lanes(lanes_n);
  std::atomic<std::int64_t> window_start{std::numeric_limits<std::int64_t>::max()};
  std::atomic<std::int64_t> window_end{std::numeric_limits<std::int64_t>::max()};
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> serial{0};

  // Each lane lives on one io_context; lanes and contexts outlive the loop.
  std::function<void(Lane*, asio::io_context*)> next = [&](Lane* lane, asio::io_context* ioc) {
    if (stopping) return;
    const Credential cred = creds[serial++ % creds.size()];
    auto conn = std::make_shared<LoadConnection>(*ioc, target, lane->index);
    lane->conn = conn;
    const std::int64_t t_start = now_ns();
    auto again = [&next, lane, ioc] { asio::post(*ioc, [&next, lane, ioc] { next(lane, ioc); }); };
    auto finish = [&window_start, &window_end, lane, t_start, again](bool ok) {
      const std::int64_t t = now_ns();
      if (t_start >= window_start.load() && t < window_end.load()) {
        if (ok) {
          ++lane->done;
          lane->latency.add(static_cast<std::uint32_t>((t - t_start) / 1000));
        } else {
          ++lane->failed;
        }
      }
      auto c = lane->conn;
      c->close([c, again] { again(); });
    };
    conn->connect([lane, cred, finish, again](LoadConnection& c, error_code ec) {
      if (ec) {
        ++lane->failed;
        std::this_thread::sleep_for(1ms);
        return again();
      }
      auto finished = std::make_shared<bool>(false);
      c.start_reading(
          [finish, finished](LoadConnection&, std::string_view text) {
            if (*finished) return;
            const auto type = type_of(text);
            if (type == "synced") {
              *finished = true;
              finish(true);
            } else if (type == "error") {
              *finished = true;
              finish(false);
            }
          },
          [lane, finished, again](LoadConnection&, error_code) {
            if (*finished) return;
            *finished = true;
            ++lane->failed;
            again();
          });
      c.send(hello_json(cred, 1ull << 53));
    });
  };
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    lanes[i].index = i;
    asio::io_context* ioc = &workers.at(i);
    Lane* lane = &lanes[i];
    asio::post(*ioc, [&next, lane, ioc] { next(lane, ioc); });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(warmup * 1000)));
  const ProcessSample start = sample_process(pid);
  window_start = now_ns();
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(duration * 1000)));
  window_end = now_ns();
  const ProcessSample end = sample_process(pid);
  const double measured = std::chrono::duration<double>(Clock::now() - t0).count();
  stopping = true;
  std::this_thread::sleep_for(500ms);
  workers.stop();
  Samples latency;
  std::uint64_t done = 0, failed = 0;
  for (auto& lane : lanes) {
    done += lane.done;
    failed += lane.failed;
    latency.merge(lane.latency);
  }
  latency.seal();
  const double cpu = end.cpu_s - start.cpu_s;
  std::cout << "{\"scenario\":\"handshake\",\"lanes\":" << lanes_n
            << ",\"window_s\":" << fmt(measured) << ",\"handshakes\":" << done
            << ",\"failed\":" << failed << ",\"handshakes_per_s\":" << fmt(done / measured)
            << ",\"server_cpu_s\":" << fmt(cpu)
            << ",\"handshakes_per_cpu_s\":" << fmt(cpu > 0 ? done / cpu : 0) << ','
            << latency.json("latency") << "}" << std::endl;
  return failed == 0 && done > 0 ? 0 : 3;
}

// resync: hello with --since on a new connection, timed to synced.
int run_resync(const Options& options, const std::vector<Credential>& creds) {
  Target target;
  target.port = static_cast<std::uint16_t>(options.count("port", 0));
  target.protocol = options.str("proto", "v1") == "sio" ? Protocol::socketio : Protocol::v1;
  const std::size_t repeat = options.count("repeat", 5);
  const std::uint64_t since = options.count("since", 0);
  Workers workers(1);
  Samples times;
  std::vector<double> each;
  std::uint64_t events_total = 0;
  std::size_t failures = 0;
  for (std::size_t i = 0; i < repeat; ++i) {
    auto conn = std::make_shared<LoadConnection>(workers.at(0), target, i);
    std::atomic<bool> finished{false};
    std::atomic<std::uint64_t> events{0};
    std::atomic<std::int64_t> t_hello{0}, t_synced{0};
    std::atomic<bool> ok{false};
    asio::post(workers.at(0), [&] {
      conn->connect([&](LoadConnection& c, error_code ec) {
        if (ec) {
          finished = true;
          return;
        }
        c.start_reading(
            [&](LoadConnection&, std::string_view text) {
              const auto type = type_of(text);
              if (type == "event") {
                ++events;
              } else if (type == "synced") {
                t_synced = now_ns();
                ok = true;
                finished = true;
              } else if (type == "error") {
                finished = true;
              }
            },
            [&](LoadConnection&, error_code) { finished = true; });
        t_hello = now_ns();
        c.send(hello_json(creds[0], since));
      });
    });
    wait_until([&] { return finished.load(); }, 60s);
    if (ok) {
      const double ms = (t_synced - t_hello) / 1e6;
      times.add(static_cast<std::uint32_t>((t_synced - t_hello) / 1000));
      each.push_back(ms);
      events_total = events;
    } else {
      ++failures;
    }
    std::atomic<bool> closed{false};
    asio::post(workers.at(0), [&] { conn->close([&] { closed = true; }); });
    wait_until([&] { return closed.load(); }, 5s);
  }
  workers.stop();
  times.seal();
  std::cout << "{\"scenario\":\"resync\",\"since\":" << since << ",\"events\":" << events_total
            << ",\"failures\":" << failures << ",\"first_ms\":" << fmt(each.empty() ? 0 : each[0])
            << ",\"times_ms\":[";
  for (std::size_t i = 0; i < each.size(); ++i) std::cout << (i ? "," : "") << fmt(each[i]);
  std::cout << "]," << times.json("resync") << "}" << std::endl;
  return failures == 0 ? 0 : 3;
}

}  // namespace
}  // namespace renkei::bench

int main(int argc, char** argv) {
  using namespace renkei::bench;
  try {
    const Options options = parse(argc, argv);
    const auto creds = read_credentials(options.str("creds"));
    const std::string scenario = options.str("scenario", "rate");
    if (scenario == "rate" || scenario == "window" || scenario == "populate")
      return run_traffic(options, creds);
    if (scenario == "idle") return run_idle(options, creds);
    if (scenario == "handshake") return run_handshake(options, creds);
    if (scenario == "resync") return run_resync(options, creds);
    std::cerr << "renkei_load: unknown --scenario " << scenario << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "renkei_load: " << e.what() << '\n';
    return 2;
  }
}
