#include "store/search_indexer.hpp"

#include <pthread.h>
#include <sched.h>

#include <iostream>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

#include "store/search_index.hpp"

namespace renkei::store {

namespace {

// Events of one council per round: a council caught up from far behind
// takes several rounds, and searches see its progress between them.
constexpr std::uint64_t events_per_round = 20000;
// After a failure (the disk, a lock held too long), the next try.
constexpr auto retry_after = std::chrono::seconds(1);

using Purges = std::vector<std::pair<std::string, std::vector<std::uint64_t>>>;

// Runs `purges` in order; returns how many ran (they stop at a failure).
std::size_t run_purges(SearchIndexWriter& index, const Purges& purges) {
  std::size_t done = 0;
  for (; done < purges.size(); ++done) {
    try {
      const PurgeReport report = index.purge(purges[done].first, purges[done].second);
      std::cerr << "renkei store: search index: redacted texts removed (" << report.rows
                << " rows, " << report.seconds * 1000 << " ms"
                << (report.wal_truncated ? "" : ", WAL not truncated: a reader held it") << ")\n";
    } catch (const std::exception& e) {
      std::cerr << "renkei store: search index: purge: " << e.what() << "\n";
      break;
    }
  }
  return done;
}

}  // namespace

SearchIndexer::SearchIndexer(std::string log_path, std::chrono::milliseconds interval)
    : log_path_(std::move(log_path)), interval_(interval) {}

void SearchIndexer::start() {
  std::lock_guard lock(mutex_);
  if (running_ || stopping_) return;
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

SearchIndexer::~SearchIndexer() { stop(); }

void SearchIndexer::raise_target(const std::string& council, std::uint64_t head) {
  std::uint64_t& known = dirty_[council];
  if (head > known) known = head;
}

void SearchIndexer::notify(const std::string& council, std::uint64_t head) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    raise_target(council, head);
    first = dirty_.size() == 1;
  }
  if (first) wake_.notify_one();
}

void SearchIndexer::purge(const std::string& council, const std::vector<std::uint64_t>& seqs) {
  {
    std::lock_guard lock(mutex_);
    purges_.emplace_back(council, seqs);
  }
  wake_.notify_one();
}

bool SearchIndexer::wait_caught_up(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return caught_up_.wait_for(lock, timeout, [this] {
    return stopping_ || (started_ && dirty_.empty() && purges_.empty() && !busy_);
  }) && !stopping_;
}

void SearchIndexer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  caught_up_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SearchIndexer::run() {
  // The indexer runs only on CPU time no other thread wants (Linux
  // SCHED_IDLE): on two cores it otherwise took time slices from the writer
  // and the I/O thread and doubled the ack p99 at 10k events/s (5.0-5.5 ms
  // against 3.6-4.3 with it idle; 2.7-2.8 with no indexing at all).
  sched_param idle{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0)
    std::cerr << "renkei store: search index: could not lower the thread's priority\n";
  std::unique_ptr<SearchIndexWriter> index;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_) return;
    if (!index) {
      lock.unlock();
      std::vector<std::pair<std::string, std::uint64_t>> heads;
      Purges unpurged;
      try {
        index = std::make_unique<SearchIndexWriter>(log_path_);
        heads = index->log_heads();
        // Texts of redactions whose purge did not run (the process died
        // between the commit and the purge).
        unpurged = index->unpurged_redactions();
      } catch (const std::exception& e) {
        index.reset();
        std::cerr << "renkei store: search index: " << e.what() << "\n";
      }
      lock.lock();
      if (!index) {
        wake_.wait_for(lock, retry_after, [this] { return stopping_; });
        continue;
      }
      for (const auto& [council, head] : heads) raise_target(council, head);
      purges_.insert(purges_.end(), unpurged.begin(), unpurged.end());
      started_ = true;
      if (dirty_.empty() && purges_.empty()) caught_up_.notify_all();
    }
    wake_.wait(lock, [this] { return stopping_ || !dirty_.empty() || !purges_.empty(); });
    if (stopping_) {
      // A redaction's texts leave the file before the server stops.
      Purges last;
      last.swap(purges_);
      lock.unlock();
      run_purges(*index, last);
      return;
    }
    std::vector<std::pair<std::string, std::uint64_t>> round(dirty_.begin(), dirty_.end());
    dirty_.clear();
    // Purges asked after a commit run after every round that began before
    // it (this thread runs one at a time), so no text read before the
    // rewrite is added back.
    Purges purges;
    purges.swap(purges_);
    busy_ = true;
    lock.unlock();
    bool ok = true;
    std::vector<std::pair<std::string, std::uint64_t>> behind;
    try {
      behind = index->index(round, events_per_round);
    } catch (const std::exception& e) {
      ok = false;
      behind = std::move(round);
      std::cerr << "renkei store: search index: " << e.what() << "\n";
    }
    const std::size_t purged = ok ? run_purges(*index, purges) : 0;
    ok = ok && purged == purges.size();
    lock.lock();
    busy_ = false;
    for (const auto& [council, head] : behind) raise_target(council, head);
    // What could not be purged is tried again first at the next round.
    purges_.insert(purges_.begin(), std::make_move_iterator(purges.begin() + purged),
                   std::make_move_iterator(purges.end()));
    if (dirty_.empty() && purges_.empty()) caught_up_.notify_all();
    // Commits arriving meanwhile gather for the next round.
    wake_.wait_for(
        lock, ok ? interval_ : std::chrono::duration_cast<std::chrono::milliseconds>(retry_after),
        [this] { return stopping_; });
  }
}

}  // namespace renkei::store
