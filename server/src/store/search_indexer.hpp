// The search indexer: a thread of its own that keeps the search index file
// (store/search_index.hpp) in step with the log. The event writer tells it
// each council's new head after a commit; it reads the texts of the new
// events from the log and adds them to the index, one transaction per round
// (at most one round per `interval`, so FTS5 writes one segment for many
// commits). At start it opens the index (rebuilding it from the log when it
// is unusable) and catches up every council. Nothing here is on the path
// of an acknowledgement: a search matches events not yet indexed in the log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace renkei::store {

class SearchIndexer {
 public:
  explicit SearchIndexer(std::string log_path,
                         std::chrono::milliseconds interval = std::chrono::milliseconds(50));
  ~SearchIndexer();  // stop()

  // Starts the thread, once the log exists (the event writer calls it after
  // opening the log). Idempotent; nothing after stop().
  void start();
  SearchIndexer(const SearchIndexer&) = delete;
  SearchIndexer& operator=(const SearchIndexer&) = delete;

  // Thread-safe and cheap: `council`'s log now reaches `head`.
  void notify(const std::string& council, std::uint64_t head);

  // Thread-safe: `council`'s events `seqs` were rewritten by text.redact;
  // their texts leave the index file at the next round.
  void purge(const std::string& council, const std::vector<std::uint64_t>& seqs);

  // Blocks until the start-up catch-up is done and every head notified so
  // far is indexed, or `timeout` passes (false). For tests and tools.
  bool wait_caught_up(std::chrono::milliseconds timeout);

  // Stops the thread (what is not indexed yet is caught up at the next
  // start). Idempotent.
  void stop();

 private:
  void run();
  // Under mutex_: `council` is to be indexed up to `head` at least.
  void raise_target(const std::string& council, std::uint64_t head);

  const std::string log_path_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable caught_up_;
  std::unordered_map<std::string, std::uint64_t> dirty_;  // council -> head to reach
  std::vector<std::pair<std::string, std::vector<std::uint64_t>>> purges_;  // to run, in order
  bool started_ = false;  // the start-up catch-up is queued
  bool busy_ = false;     // a round is running
  bool stopping_ = false;
  bool running_ = false;
  std::thread thread_;
};

}  // namespace renkei::store
