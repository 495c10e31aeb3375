// The cost of a durable event on each engine (tests/bench/RESULTS.md,
// "PostgreSQL"): the same events, `--councils` councils each keeping
// `--in-flight` events waiting for their commit (closed loop), written
//   - through Renkei's writer (store::EventWriter: group commit, every
//     council's waiting events in one transaction) on PostgreSQL and on
//     SQLite, and the same writer with one transaction per event;
//   - with plain libpq, one INSERT per event in autocommit (one commit per
//     event), one connection per council: what a server without a writer
//     thread would do. PostgreSQL still flushes the WAL of backends that
//     commit together in one go, so this is not one fsync per event.
// Prints, per mode, events/s, the ack latency (submit -> commit answered)
// p50/p99/p99.9, and events per transaction, as a Markdown table and one
// JSON line per mode.
//
//   renkei_commit_bench --pg URI [--sqlite-dir DIR] [--councils 20]
//                       [--in-flight 4] [--seconds 5] [--modes a,b,...]
//
// The PostgreSQL database must be one Renkei may write (its schema is made
// when missing); each mode writes councils of its own ("<mode>-<run>-cN"),
// so runs never collide. Modes: writer-pg, writer-pg-1, raw-pg, writer-sqlite,
// writer-sqlite-1.
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/database.hpp"
#include "store/event_writer.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using renkei::store::AppendRequest;
using renkei::store::Database;
using renkei::store::EventRow;
using renkei::store::EventWriter;

struct Options {
  std::string pg;
  std::string sqlite_dir = "/tmp";
  std::size_t councils = 20;
  std::size_t in_flight = 4;
  double seconds = 5;
  std::vector<std::string> modes = {"writer-pg", "writer-pg-1", "raw-pg", "writer-sqlite",
                                    "writer-sqlite-1"};
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("missing value after " + key);
    const std::string value = argv[++i];
    if (key == "--pg") {
      options.pg = value;
    } else if (key == "--sqlite-dir") {
      options.sqlite_dir = value;
    } else if (key == "--councils") {
      options.councils = std::stoul(value);
    } else if (key == "--in-flight") {
      options.in_flight = std::stoul(value);
    } else if (key == "--seconds") {
      options.seconds = std::stod(value);
    } else if (key == "--modes") {
      options.modes.clear();
      std::stringstream list(value);
      for (std::string mode; std::getline(list, mode, ',');) options.modes.push_back(mode);
    } else {
      throw std::invalid_argument("unknown option " + key);
    }
  }
  return options;
}

// A proposal.stance_taken of the size the benchmark suite's commands have
// (about 300 bytes of data and frame each).
EventRow event(const std::string& council, std::uint64_t seq) {
  EventRow row;
  row.council = council;
  row.seq = seq;
  row.op = "proposal.stance_taken";
  row.at = "2026-12-05T10:00:00.000Z";
  row.participant = "p1";
  row.by_name = "ベンチ 太郎";
  row.by_org = "保健所";
  row.by_role = renkei::domain::Role::member;
  row.command_id = "k" + std::to_string(seq);
  row.data = R"({"proposal":"pr1","stance":"agree","reason":")" + std::string(64, 'x') + "\"}";
  row.frame = R"({"type":"event","council":")" + council + R"(","seq":)" + std::to_string(seq) +
              R"(,"op":"proposal.stance_taken","by":"p1","data":)" + row.data + "}";
  return row;
}

struct Result {
  std::string mode;
  std::uint64_t events = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
  std::uint64_t transactions = 0;  // 0 when not known
  std::uint64_t failures = 0;
};

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

// Closed loop through an EventWriter: each council's thread keeps
// `in_flight` events submitted and not yet answered.
Result run_writer(const std::string& mode, const std::string& db, std::size_t max_batch,
                  const Options& options, const std::string& prefix) {
  EventWriter writer(db, max_batch);
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<std::size_t> waiting(options.councils, 0);
  std::vector<double> latencies;
  std::uint64_t failures = 0;
  std::atomic<bool> stop{false};
  const auto started = Clock::now();
  const auto end = started + std::chrono::duration<double>(options.seconds);
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < options.councils; ++c) {
    threads.emplace_back([&, c] {
      const std::string council = prefix + "c" + std::to_string(c + 1);
      std::uint64_t seq = 0;
      while (!stop.load()) {
        {
          std::unique_lock lock(mutex);
          answered.wait(lock, [&] { return waiting[c] < options.in_flight || stop.load(); });
          if (stop.load()) break;
          ++waiting[c];
        }
        AppendRequest request;
        request.row = event(council, ++seq);
        const auto sent = Clock::now();
        request.done = [&, c, sent](bool ok, const std::string&) {
          const std::chrono::duration<double, std::milli> took = Clock::now() - sent;
          {
            std::lock_guard lock(mutex);
            --waiting[c];
            if (ok) {
              latencies.push_back(took.count());
            } else {
              ++failures;
            }
          }
          answered.notify_all();
        };
        writer.submit(std::move(request));
        if (Clock::now() >= end) stop.store(true);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  answered.notify_all();
  // Let the last submitted events commit before counting.
  {
    std::unique_lock lock(mutex);
    answered.wait_for(lock, std::chrono::seconds(30), [&] {
      return std::all_of(waiting.begin(), waiting.end(), [](std::size_t n) { return n == 0; });
    });
  }
  const std::chrono::duration<double> took = Clock::now() - started;
  const auto stats = writer.stats();
  writer.stop();
  Result result;
  result.mode = mode;
  std::lock_guard lock(mutex);
  result.events = latencies.size();
  result.seconds = took.count();
  result.latencies_ms = latencies;
  result.transactions = stats.batches;
  result.failures = failures;
  return result;
}

// One libpq connection per council, one INSERT per event in autocommit.
Result run_raw(const Options& options, const std::string& prefix) {
  {
    Database schema(options.pg);  // makes the schema when missing
  }
  std::mutex mutex;
  std::vector<double> latencies;
  std::uint64_t failures = 0;
  const auto started = Clock::now();
  const auto end = started + std::chrono::duration<double>(options.seconds);
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < options.councils; ++c) {
    threads.emplace_back([&, c] {
      PGconn* conn = PQconnectdb(options.pg.c_str());
      if (PQstatus(conn) != CONNECTION_OK) {
        std::cerr << "raw-pg: " << PQerrorMessage(conn);
        PQfinish(conn);
        std::lock_guard lock(mutex);
        ++failures;
        return;
      }
      PQclear(PQexec(conn, "SET synchronous_commit = on"));
      PGresult* prepared = PQprepare(
          conn, "insert",
          "INSERT INTO events(council, seq, op, at, participant, by_name, by_org, by_role, "
          "meeting, command_id, data, frame) VALUES ($1, $2::bigint, $3, $4, $5, $6, $7, $8, "
          "NULL, $9, $10, $11)",
          0, nullptr);
      PQclear(prepared);
      const std::string council = prefix + "c" + std::to_string(c + 1);
      std::vector<double> mine;
      std::uint64_t my_failures = 0;
      for (std::uint64_t seq = 1; Clock::now() < end; ++seq) {
        const EventRow row = event(council, seq);
        const std::string seq_text = std::to_string(seq);
        const std::string role = "member";
        const char* values[] = {
            row.council.c_str(),     seq_text.c_str(),    row.op.c_str(),     row.at.c_str(),
            row.participant.c_str(), row.by_name.c_str(), row.by_org.c_str(), role.c_str(),
            row.command_id->c_str(), row.data.c_str(),    row.frame.c_str()};
        const auto sent = Clock::now();
        PGresult* result = PQexecPrepared(conn, "insert", 11, values, nullptr, nullptr, 0);
        const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
        if (!ok && my_failures == 0) std::cerr << "raw-pg: " << PQerrorMessage(conn);
        PQclear(result);
        const std::chrono::duration<double, std::milli> took = Clock::now() - sent;
        if (ok) {
          mine.push_back(took.count());
        } else {
          ++my_failures;
        }
      }
      PQfinish(conn);
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
      failures += my_failures;
    });
  }
  for (auto& thread : threads) thread.join();
  const std::chrono::duration<double> took = Clock::now() - started;
  Result result;
  result.mode = "raw-pg";
  result.events = latencies.size();
  result.seconds = took.count();
  result.latencies_ms = latencies;
  result.transactions = latencies.size();
  result.failures = failures;
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse(argc, argv);
    const std::string run = std::to_string(::getpid()) + "-" +
                            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
    std::vector<Result> results;
    for (const std::string& mode : options.modes) {
      const std::string prefix = mode + "-" + run + "-";
      std::cerr << "renkei_commit_bench: " << mode << "\n";
      if (mode == "writer-pg" || mode == "writer-pg-1") {
        if (options.pg.empty()) throw std::invalid_argument(mode + " needs --pg URI");
        results.push_back(
            run_writer(mode, options.pg, mode == "writer-pg" ? 512 : 1, options, prefix));
      } else if (mode == "raw-pg") {
        if (options.pg.empty()) throw std::invalid_argument(mode + " needs --pg URI");
        results.push_back(run_raw(options, prefix));
      } else if (mode == "writer-sqlite" || mode == "writer-sqlite-1") {
        const std::filesystem::path file =
            std::filesystem::path(options.sqlite_dir) / ("renkei-commit-bench-" + run + ".db");
        results.push_back(
            run_writer(mode, file.string(), mode == "writer-sqlite" ? 512 : 1, options, prefix));
        for (const char* suffix : {"", "-wal", "-shm", ".search", ".search-wal", ".search-shm"})
          std::filesystem::remove(file.string() + suffix);
      } else {
        throw std::invalid_argument("unknown mode " + mode);
      }
    }
    std::printf(
        "| mode | events/s | ack p50 ms | ack p99 ms | ack p99.9 ms | events/transaction | "
        "failures |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (Result& r : results) {
      const double rate = r.seconds > 0 ? static_cast<double>(r.events) / r.seconds : 0;
      const double per_tx =
          r.transactions > 0 ? static_cast<double>(r.events) / static_cast<double>(r.transactions)
                             : 0;
      const double p50 = percentile(r.latencies_ms, 0.50);
      const double p99 = percentile(r.latencies_ms, 0.99);
      const double p999 = percentile(r.latencies_ms, 0.999);
      std::printf("| %s | %.0f | %.3f | %.3f | %.3f | %.1f | %llu |\n", r.mode.c_str(), rate, p50,
                  p99, p999, per_tx, static_cast<unsigned long long>(r.failures));
      std::fprintf(stderr,
                   "{\"mode\":\"%s\",\"events\":%llu,\"seconds\":%.3f,\"rate\":%.1f,"
                   "\"p50_ms\":%.4f,\"p99_ms\":%.4f,\"p999_ms\":%.4f,\"events_per_tx\":%.2f,"
                   "\"failures\":%llu}\n",
                   r.mode.c_str(), static_cast<unsigned long long>(r.events), r.seconds, rate, p50,
                   p99, p999, per_tx, static_cast<unsigned long long>(r.failures));
    }
    const bool failed = std::any_of(results.begin(), results.end(), [](const Result& r) {
      return r.failures > 0 || r.events == 0;
    });
    return failed ? 1 : 0;
  } catch (const std::exception& e) {
    std::cerr << "renkei_commit_bench: " << e.what() << "\n";
    return 2;
  }
}
