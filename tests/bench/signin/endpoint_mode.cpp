#include "endpoint_mode.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "council_traffic.hpp"
#include "http_storm.hpp"
#include "latencies.hpp"
#include "renkei_process.hpp"

namespace renkei::bench {

namespace {

using namespace std::chrono_literals;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// utime + stime (seconds) of one /proc stat file.
double stat_cpu_s(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  const auto close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  if (fields.size() < 13) return 0;  // fields[0] is field 3; utime 14, stime 15
  return (std::stod(fields[11]) + std::stod(fields[12])) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds of each of the server's threads, by thread id.
std::map<std::string, double> thread_cpu(pid_t pid) {
  std::map<std::string, double> out;
  std::error_code ec;
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(tasks, ec))
    out[entry.path().filename().string()] = stat_cpu_s(entry.path().string() + "/stat");
  return out;
}

struct CpuSample {
  double process_s = 0;
  std::map<std::string, double> threads;
};

CpuSample sample_cpu(pid_t pid) {
  return {stat_cpu_s("/proc/" + std::to_string(pid) + "/stat"), thread_cpu(pid)};
}

// Per-thread CPU seconds used between two samples, largest first.
std::vector<double> thread_deltas(const CpuSample& a, const CpuSample& b) {
  std::vector<double> out;
  for (const auto& [tid, s] : b.threads) {
    auto it = a.threads.find(tid);
    out.push_back(s - (it == a.threads.end() ? 0 : it->second));
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

std::string random_password(std::mt19937_64& random) {
  static constexpr char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  std::string password = "kaigi-";
  for (int i = 0; i < 16; ++i) password += alphabet[random() % (sizeof alphabet - 1)];
  return password;
}

struct Phase {
  Clock::time_point from, to;
  CpuSample cpu_from, cpu_to;
  double wall_s() const { return seconds_between(from, to); }
  double cpu_s() const { return cpu_to.process_s - cpu_from.process_s; }
};

struct SignIns {
  std::size_t ok = 0, busy = 0, rate_limited = 0, other = 0;
  Latencies ok_ms;    // answered 200
  double wall_s = 0;  // requests written -> last answer
  double connect_ms = 0;
  std::string first_problem;

  void add(const HttpStormResult& storm) {
    for (const auto& a : storm.answers) {
      if (a.status == 200 && a.session_cookie) {
        ++ok;
        ok_ms.values.push_back(a.ms());
      } else if (a.status == 503) {
        ++busy;
      } else if (a.status == 429) {
        ++rate_limited;
      } else {
        ++other;
        if (first_problem.empty()) {
          first_problem =
              a.status == 0 ? a.error : std::to_string(a.status) + " " + a.body.substr(0, 200);
          while (!first_problem.empty() && first_problem.back() == '\n') first_problem.pop_back();
        }
      }
    }
    wall_s += seconds_between(storm.connected, storm.finished);
    connect_ms = std::max(connect_ms, storm.connect_ms);
  }
  void merge(const SignIns& s) {
    ok += s.ok;
    busy += s.busy;
    rate_limited += s.rate_limited;
    other += s.other;
    ok_ms.merge(s.ok_ms);
    wall_s += s.wall_s;
    connect_ms = std::max(connect_ms, s.connect_ms);
    if (first_problem.empty()) first_problem = s.first_problem;
  }
  double per_second() const { return wall_s > 0 ? static_cast<double>(ok) / wall_s : 0; }
};

struct Round {
  Phase a, b;
  Clock::time_point storm_from, storm_to;  // requests written -> last answer
  SignIns sign_ins;
};

std::string fixed(double v, int digits = 2) {
  char out[64];
  std::snprintf(out, sizeof out, "%.*f", digits, v);
  return out;
}

std::string ack_line(const char* label, Latencies acks, double seconds) {
  char out[256];
  std::snprintf(out, sizeof out, "  %-22s acks %6zu (%6.1f/s)  ms %s\n", label, acks.size(),
                seconds > 0 ? static_cast<double>(acks.size()) / seconds : 0, acks.text().c_str());
  return out;
}

std::string cpu_line(const Phase& p) {
  std::string line = "  server cpu " + fixed(p.cpu_s()) + " s in " + fixed(p.wall_s()) + " s (" +
                     fixed(100 * p.cpu_s() / std::max(p.wall_s(), 1e-9), 0) +
                     " % of one core); busiest threads (s):";
  const auto threads = thread_deltas(p.cpu_from, p.cpu_to);
  for (std::size_t i = 0; i < threads.size() && i < 4; ++i) line += " " + fixed(threads[i]);
  return line + "\n";
}

std::string json_threads(const Phase& p) {
  std::string out = "[";
  const auto threads = thread_deltas(p.cpu_from, p.cpu_to);
  for (std::size_t i = 0; i < threads.size() && i < 4; ++i)
    out += (i ? "," : "") + fixed(threads[i]);
  return out + "]";
}

}  // namespace

int run_endpoint(const EndpointOptions& o) {
  RenkeiProcess renkei(o.renkei);
  std::mt19937_64 random(std::random_device{}());

  // The council: a facilitator and members, each with an invite token.
  const std::string created =
      renkei.command({"council", "create", "--name", "サインイン負荷の協議体", "--facilitator-name",
                      "進行役", "--facilitator-org", "北広島保健所"});
  const std::string council = json_string_field(created, "council");
  std::vector<MemberCredential> members{{council, json_string_field(created, "token")}};
  for (std::size_t i = 1; i < o.members; ++i) {
    const std::string invited =
        renkei.command({"invite", "--council", council, "--name", "委員" + std::to_string(i),
                        "--org", "関係機関" + std::to_string(i), "--role", "member"});
    members.push_back({council, json_string_field(invited, "token")});
  }
  for (const auto& m : members)
    if (m.council.empty() || m.token.empty())
      throw std::runtime_error("council create / invite printed no council or token");

  // The people who sign in, with set-up links.
  const auto setup_start = Clock::now();
  const std::string org = json_string_field(
      renkei.command({"org", "add", "--name", "サインイン負荷の病院", "--kind", "hospital"}),
      "org");
  std::vector<std::string> logins, passwords, setup_targets;
  for (std::size_t i = 0; i < o.requests; ++i) {
    char login[32];
    std::snprintf(login, sizeof login, "bench.user.%04zu", i + 1);
    const std::string added =
        renkei.command({"person", "add", "--name", "利用者" + std::to_string(i + 1), "--org", org,
                        "--login", login});
    const std::string setup = json_string_field(added, "setup");
    if (!setup.starts_with("/setup/"))
      throw std::runtime_error("person add printed no set-up link: " + added);
    logins.push_back(login);
    passwords.push_back(random_password(random));
    setup_targets.push_back("/api" + setup);
  }

  std::vector<std::string> serve_args{
      "--rate", "100000", "--burst", "100000", "--max-connections-per-address", "100000"};
  if (o.hash_threads > 0) {
    serve_args.push_back("--hash-threads");
    serve_args.push_back(std::to_string(o.hash_threads));
  }
  const std::uint16_t port = renkei.serve(serve_args);
  std::vector<std::string> sources;
  for (std::size_t i = 1; i <= std::max<std::size_t>(o.addresses, 1); ++i)
    sources.push_back("127.0.0." + std::to_string(i));
  HttpStorm storm(port, sources);

  // Passwords, 50 set-ups at a time (each one a hash on the pool).
  for (std::size_t first = 0; first < o.requests; first += 50) {
    std::vector<HttpCall> calls;
    for (std::size_t i = first; i < std::min(o.requests, first + 50); ++i)
      calls.push_back({setup_targets[i], "{\"password\":\"" + passwords[i] + "\"}"});
    const auto result = storm.run(calls, 120s);
    for (const auto& a : result.answers)
      if (a.status != 200)
        throw std::runtime_error("POST /api/setup/<token> answered " + std::to_string(a.status) +
                                 " " + a.error + a.body);
  }
  const double setup_s = seconds_between(setup_start, Clock::now());
  std::vector<HttpCall> sign_in_calls;
  for (std::size_t i = 0; i < o.requests; ++i)
    sign_in_calls.push_back({"/api/sign-in", "{\"login\":\"" + logins[i] + "\",\"password\":\"" +
                                                 passwords[i] + "\"}"});

  std::printf(
      "endpoint: renkei serve (hash threads: %s), council of %zu members posting issue.post at "
      "%.0f/s in total; %zu people signing in at once from %zu address(es) x %d round(s); "
      "phases of at least %.1f s; set-up of the people took %.1f s\n",
      o.hash_threads > 0 ? std::to_string(o.hash_threads).c_str() : "the server's default",
      o.members, o.rate, o.requests, sources.size(), o.rounds, o.duration, setup_s);
  std::fflush(stdout);

  CouncilTraffic traffic(port, members, o.rate);
  traffic.connect(30s);
  traffic.start();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup));

  const pid_t pid = renkei.server_pid();
  const auto phase_time =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
  std::vector<Round> rounds(static_cast<std::size_t>(o.rounds));
  for (auto& r : rounds) {
    r.a.from = Clock::now();
    r.a.cpu_from = sample_cpu(pid);
    std::this_thread::sleep_until(r.a.from + phase_time);
    r.a.to = Clock::now();
    r.a.cpu_to = sample_cpu(pid);

    r.b.from = r.a.to;
    r.b.cpu_from = r.a.cpu_to;
    const HttpStormResult result = storm.run(sign_in_calls, 120s);
    r.storm_from = result.connected;
    r.storm_to = result.finished;
    r.sign_ins.add(result);
    std::this_thread::sleep_until(std::max(r.b.from + phase_time, Clock::now()));
    r.b.to = Clock::now();
    r.b.cpu_to = sample_cpu(pid);
  }
  traffic.stop(15s);
  const bool server_alive = renkei.server_running();

  Latencies all_a, all_b, all_storm;
  SignIns all_sign_ins;
  double a_s = 0, b_s = 0, storm_s = 0, a_cpu = 0, b_cpu = 0;
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    Round& r = rounds[i];
    Latencies a = traffic.acks_sent_between(r.a.from, r.a.to);
    Latencies b = traffic.acks_sent_between(r.b.from, r.b.to);
    Latencies during = traffic.acks_sent_between(r.storm_from, r.storm_to);
    const double storm_wall = seconds_between(r.storm_from, r.storm_to);
    std::printf("round %zu\n", i + 1);
    std::printf("%s", ack_line("A council alone", a, r.a.wall_s()).c_str());
    std::printf("%s", cpu_line(r.a).c_str());
    std::printf("%s", ack_line("B council + sign-ins", b, r.b.wall_s()).c_str());
    std::printf("%s", ack_line("B while signing in", during, storm_wall).c_str());
    std::printf("%s", cpu_line(r.b).c_str());
    std::printf(
        "  sign-in  ok %zu  busy (503) %zu  rate_limited (429) %zu  other %zu  in %.2f s: "
        "%.1f sign-ins/s; connections opened in %.0f ms\n",
        r.sign_ins.ok, r.sign_ins.busy, r.sign_ins.rate_limited, r.sign_ins.other, storm_wall,
        r.sign_ins.per_second(), r.sign_ins.connect_ms);
    std::printf("  sign-in ms %s\n", r.sign_ins.ok_ms.text().c_str());
    all_a.merge(a);
    all_b.merge(b);
    all_storm.merge(during);
    all_sign_ins.merge(r.sign_ins);
    a_s += r.a.wall_s();
    b_s += r.b.wall_s();
    storm_s += storm_wall;
    a_cpu += r.a.cpu_s();
    b_cpu += r.b.cpu_s();
  }
  const auto counts = traffic.counts();
  std::printf("all rounds\n");
  std::printf("%s", ack_line("A council alone", all_a, a_s).c_str());
  std::printf("%s", ack_line("B council + sign-ins", all_b, b_s).c_str());
  std::printf("%s", ack_line("B while signing in", all_storm, storm_s).c_str());
  std::printf(
      "  sign-in  ok %zu  busy (503) %zu  rate_limited (429) %zu  other %zu: %.1f sign-ins/s\n",
      all_sign_ins.ok, all_sign_ins.busy, all_sign_ins.rate_limited, all_sign_ins.other,
      all_sign_ins.per_second());
  std::printf("  sign-in ms %s\n", all_sign_ins.ok_ms.text().c_str());
  std::printf("  council commands sent %llu, acks %llu, errors %llu, unanswered %llu\n",
              static_cast<unsigned long long>(counts.sent),
              static_cast<unsigned long long>(counts.acks),
              static_cast<unsigned long long>(counts.errors),
              static_cast<unsigned long long>(counts.unanswered));
  if (!all_sign_ins.first_problem.empty())
    std::printf("  first unexpected sign-in answer: %s\n", all_sign_ins.first_problem.c_str());
  if (!traffic.first_error().empty())
    std::printf("  first council error: %s\n", traffic.first_error().c_str());
  if (!server_alive) std::printf("  the server exited: %s\n", renkei.server_log().c_str());

  std::ostringstream json;
  json << "{\"mode\":\"endpoint\",\"requests\":" << o.requests << ",\"rounds\":" << o.rounds
       << ",\"members\":" << o.members << ",\"rate\":" << fixed(o.rate, 1)
       << ",\"duration_s\":" << fixed(o.duration, 1) << ",\"addresses\":" << sources.size()
       << ",\"hash_threads\":" << o.hash_threads << ",\"setup_s\":" << fixed(setup_s)
       << ",\"a_acks\":" << all_a.size() << "," << all_a.json("a_ack")
       << ",\"b_acks\":" << all_b.size() << "," << all_b.json("b_ack")
       << ",\"storm_acks\":" << all_storm.size() << "," << all_storm.json("storm_ack")
       << ",\"a_server_cpu_util\":" << fixed(a_cpu / std::max(a_s, 1e-9))
       << ",\"b_server_cpu_util\":" << fixed(b_cpu / std::max(b_s, 1e-9))
       << ",\"b_busiest_threads_s\":" << json_threads(rounds.back().b)
       << ",\"signin_ok\":" << all_sign_ins.ok << ",\"signin_busy\":" << all_sign_ins.busy
       << ",\"signin_rate_limited\":" << all_sign_ins.rate_limited
       << ",\"signin_other\":" << all_sign_ins.other
       << ",\"signins_per_s\":" << fixed(all_sign_ins.per_second(), 3) << ","
       << all_sign_ins.ok_ms.json("signin") << ",\"council_sent\":" << counts.sent
       << ",\"council_errors\":" << counts.errors << ",\"council_unanswered\":" << counts.unanswered
       << "}";
  std::cout << json.str() << std::endl;
  const bool clean = server_alive && counts.errors == 0 && counts.unanswered == 0 &&
                     all_sign_ins.other == 0 && all_a.size() > 0 && all_b.size() > 0;
  return clean ? 0 : 1;
}

}  // namespace renkei::bench
