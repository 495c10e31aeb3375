// Sign-in cost benchmark (tests/bench/RESULTS.md, "Sign-in").
//
//   renkei_signin_bench [--mode pool] [--requests 200] [--rounds 3]
//                       [--threads N] [--queue 256] [--op verify|hash]
//                       [--t 2] [--m-mib 64]
//   renkei_signin_bench --mode endpoint --renkei PATH [--requests 200]
//                       [--rounds 3] [--threads N] [--members 10]
//                       [--rate 200] [--duration 10] [--warmup 2]
//                       [--addresses 10]
//
// --mode pool: the hash pool alone. Each round submits --requests password
// checks at once (a storm of simultaneous sign-ins) to an auth::HashPool of
// --threads threads (default: the server's, half the cores) and --queue
// waiting places, each an Argon2id verify (or a hash) with the server's
// parameters unless --t / --m-mib say otherwise. Prints, per round and over
// all rounds: requests accepted and refused (the endpoint's 503),
// throughput (hashes per second of wall time), CPU time per hash, and
// per-request latency: waiting in the queue, the hash itself and
// submit-to-answer (p50, p90, p99, max). Last line: the same as one JSON
// object, for a driver.
//
// --mode endpoint (endpoint_mode.hpp): the same storm of --requests
// sign-ins through the real server's POST /api/sign-in (`renkei serve` at
// --renkei, --threads as its --hash-threads) while a council of --members
// posts at --rate commands a second; each round is --duration seconds of
// the council alone (phase A), then the council with the storm (phase B).
// Sign-ins come from --addresses loopback addresses (127.0.0.1 .. N) in
// turn. Prints the council's ack latency in both phases, the sign-ins'
// latency, throughput and refusals; last line one JSON object. --queue,
// --op, --t and --m-mib are the server's own there and refused.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "app/auth/hash_pool.hpp"
#include "app/auth/password_hasher.hpp"
#include "endpoint_mode.hpp"
#include "latencies.hpp"

namespace {

using renkei::app::auth::HashParameters;
using renkei::app::auth::HashPool;
using renkei::app::auth::PasswordHasher;
using renkei::bench::Latencies;
using steady = std::chrono::steady_clock;

struct Options {
  std::string mode = "pool";
  std::size_t requests = 200;
  int rounds = 3;
  std::size_t threads = HashPool::default_threads();
  std::size_t queue = HashPool::default_queue_capacity;
  std::string op = "verify";
  HashParameters parameters = renkei::app::auth::default_hash_parameters;
  bool threads_given = false;
  bool pool_options_given = false;  // --queue, --op, --t or --m-mib
  renkei::bench::EndpointOptions endpoint;
};

[[noreturn]] void usage(const char* problem) {
  std::fprintf(stderr,
               "renkei_signin_bench: %s\n"
               "usage: renkei_signin_bench [--mode pool] [--requests N] [--rounds N] "
               "[--threads N] [--queue N] [--op verify|hash] [--t N] [--m-mib N]\n"
               "       renkei_signin_bench --mode endpoint --renkei PATH [--requests N] "
               "[--rounds N] [--threads N] [--members N] [--rate N] [--duration S] "
               "[--warmup S] [--addresses N]\n",
               problem);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string key = argv[i];
    if (!key.starts_with("--") || i + 1 >= argc) usage(("bad argument " + key).c_str());
    const std::string value = argv[++i];
    auto number = [&] {
      char* end = nullptr;
      const unsigned long long v = std::strtoull(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0') usage(("not a number: " + value).c_str());
      return v;
    };
    auto seconds = [&] {
      char* end = nullptr;
      const double v = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || v < 0) usage(("not a number: " + value).c_str());
      return v;
    };
    if (key == "--mode")
      o.mode = value;
    else if (key == "--requests")
      o.requests = number();
    else if (key == "--rounds")
      o.rounds = static_cast<int>(number());
    else if (key == "--threads") {
      o.threads = number();
      o.threads_given = true;
    } else if (key == "--queue" || key == "--op" || key == "--t" || key == "--m-mib") {
      o.pool_options_given = true;
      if (key == "--queue")
        o.queue = number();
      else if (key == "--op")
        o.op = value;
      else if (key == "--t")
        o.parameters.opslimit = number();
      else
        o.parameters.memlimit = static_cast<std::size_t>(number()) << 20;
    } else if (key == "--renkei")
      o.endpoint.renkei = value;
    else if (key == "--members")
      o.endpoint.members = number();
    else if (key == "--rate")
      o.endpoint.rate = seconds();
    else if (key == "--duration")
      o.endpoint.duration = seconds();
    else if (key == "--warmup")
      o.endpoint.warmup = seconds();
    else if (key == "--addresses")
      o.endpoint.addresses = number();
    else
      usage(("unknown option " + key).c_str());
  }
  if (o.op != "verify" && o.op != "hash") usage("--op is verify or hash");
  if (o.requests == 0 || o.rounds <= 0) usage("--requests and --rounds must be positive");
  if (o.mode == "endpoint") {
    if (o.pool_options_given) usage("--queue, --op, --t and --m-mib are for --mode pool");
    if (o.endpoint.renkei.empty()) usage("--mode endpoint needs --renkei PATH");
    if (o.endpoint.members == 0 || o.endpoint.addresses == 0 || o.endpoint.addresses > 254)
      usage("--members must be positive, --addresses 1 to 254");
    o.endpoint.requests = o.requests;
    o.endpoint.rounds = o.rounds;
    o.endpoint.hash_threads = o.threads_given ? o.threads : 0;
  }
  return o;
}

struct Report {
  std::size_t accepted = 0;
  std::size_t refused = 0;
  std::size_t failed = 0;  // the hash threw (out of memory)
  double wall_s = 0;
  double cpu_s = 0;
  Latencies queue_ms, hash_ms, total_ms;

  void merge(const Report& r) {
    accepted += r.accepted;
    refused += r.refused;
    failed += r.failed;
    wall_s += r.wall_s;
    cpu_s += r.cpu_s;
    queue_ms.merge(r.queue_ms);
    hash_ms.merge(r.hash_ms);
    total_ms.merge(r.total_ms);
  }
  double per_second() const { return wall_s > 0 ? static_cast<double>(accepted) / wall_s : 0; }
  double cpu_ms_per_hash() const {
    return accepted > 0 ? cpu_s * 1000 / static_cast<double>(accepted) : 0;
  }
  void print(const std::string& label) {
    std::printf(
        "%-8s accepted %4zu  refused %4zu  failed %zu  wall %6.2f s  %6.2f hashes/s  "
        "cpu %6.1f ms/hash\n",
        label.c_str(), accepted, refused, failed, wall_s, per_second(), cpu_ms_per_hash());
    std::printf("         queue ms  %s\n", queue_ms.text().c_str());
    std::printf("         hash ms   %s\n", hash_ms.text().c_str());
    std::printf("         total ms  %s\n", total_ms.text().c_str());
  }
};

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double ms_between(steady::time_point a, steady::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// One storm: every request submitted at once from this thread; waits for
// every accepted one's answer.
Report pool_round(const Options& o, HashPool& pool, const PasswordHasher& hasher,
                  const std::string& stored) {
  struct Timing {
    steady::time_point submitted, started, hashed, answered;
    bool ok = false;
  };
  std::vector<Timing> timings(o.requests);
  std::mutex mutex;
  std::condition_variable all_done;
  std::size_t outstanding = 0;
  Report report;

  const double cpu_before = process_cpu_seconds();
  const auto start = steady::now();
  for (std::size_t i = 0; i < o.requests; ++i) {
    Timing& t = timings[i];
    t.submitted = steady::now();
    {
      std::lock_guard lock(mutex);
      ++outstanding;
    }
    const bool queued = pool.submit(
        [&t, &o, &hasher, &stored, i] {
          t.started = steady::now();
          // Half the checks with the right password, half wrong: a verify
          // costs the same either way.
          const std::string password = (i % 2 == 0) ? "correct horse battery" : "wrong password!";
          const bool result =
              o.op == "hash" ? !hasher.hash(password).empty() : hasher.verify(stored, password);
          t.hashed = steady::now();
          return result;
        },
        [&t, &mutex, &outstanding, &all_done](std::optional<bool> result) {
          t.answered = steady::now();
          t.ok = result.has_value();
          std::lock_guard lock(mutex);
          if (--outstanding == 0) all_done.notify_all();
        });
    if (queued) {
      ++report.accepted;
    } else {
      ++report.refused;
      std::lock_guard lock(mutex);
      --outstanding;
    }
  }
  {
    std::unique_lock lock(mutex);
    all_done.wait(lock, [&] { return outstanding == 0; });
  }
  report.wall_s = std::chrono::duration<double>(steady::now() - start).count();
  report.cpu_s = process_cpu_seconds() - cpu_before;
  for (const auto& t : timings) {
    if (t.answered == steady::time_point{}) continue;  // refused
    if (!t.ok) {
      ++report.failed;
      continue;
    }
    report.queue_ms.values.push_back(ms_between(t.submitted, t.started));
    report.hash_ms.values.push_back(ms_between(t.started, t.hashed));
    report.total_ms.values.push_back(ms_between(t.submitted, t.answered));
  }
  return report;
}

int run_pool(const Options& o) {
  PasswordHasher hasher(o.parameters);
  const std::string stored = hasher.hash("correct horse battery");
  HashPool pool(o.threads, o.queue);
  std::printf(
      "hash pool: %zu thread(s), queue %zu; Argon2id %s t=%llu m=%zu MiB; "
      "%zu simultaneous requests x %d round(s)\n",
      pool.threads(), pool.queue_capacity(), o.op.c_str(), o.parameters.opslimit,
      o.parameters.memlimit >> 20, o.requests, o.rounds);
  Report all;
  for (int round = 1; round <= o.rounds; ++round) {
    Report r = pool_round(o, pool, hasher, stored);
    r.print("round " + std::to_string(round));
    all.merge(r);
  }
  all.print("all");
  std::printf(
      "{\"mode\":\"pool\",\"op\":\"%s\",\"threads\":%zu,\"queue\":%zu,\"t\":%llu,\"m_mib\":%zu,"
      "\"requests\":%zu,\"rounds\":%d,\"accepted\":%zu,\"refused\":%zu,\"failed\":%zu,"
      "\"hashes_per_s\":%.3f,\"cpu_ms_per_hash\":%.2f,%s,%s,%s}\n",
      o.op.c_str(), pool.threads(), pool.queue_capacity(), o.parameters.opslimit,
      o.parameters.memlimit >> 20, o.requests, o.rounds, all.accepted, all.refused, all.failed,
      all.per_second(), all.cpu_ms_per_hash(), all.queue_ms.json("queue").c_str(),
      all.hash_ms.json("hash").c_str(), all.total_ms.json("total").c_str());
  return all.failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  if (options.mode == "pool") return run_pool(options);
  if (options.mode != "endpoint") usage(("unknown mode " + options.mode).c_str());
  try {
    return renkei::bench::run_endpoint(options.endpoint);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "renkei_signin_bench: %s\n", e.what());
    return 1;
  }
}
