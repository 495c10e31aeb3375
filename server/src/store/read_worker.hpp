// A thread with its own read connection that runs queued tasks in order.
// The server reads through it (token look-ups, council loads, catch-up
// frames) so that no I/O thread ever waits on the disk.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace renkei::store {

class Database;

class ReadWorker {
 public:
  // Opens `threads` connections to `path` (at least one), one per thread,
  // on the calling thread, so that a database that cannot be opened fails
  // here with StoreError rather than later.
  explicit ReadWorker(std::string path, std::size_t threads = 1);
  ~ReadWorker();  // stop()
  ReadWorker(const ReadWorker&) = delete;
  ReadWorker& operator=(const ReadWorker&) = delete;

  // Thread-safe. `task` runs on a worker thread with that thread's
  // connection; exceptions it throws are caught and logged. Tasks submitted
  // after stop() are dropped.
  void post(std::function<void(Database&)> task);

  // Stops accepting, runs what is queued, joins. Idempotent. Call from the
  // owner's thread, never from a task.
  void stop();

 private:
  void run(std::size_t index);

  std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void(Database&)>> queue_;
  bool stopping_ = false;
  // databases_[i] belongs to threads_[i] once that thread has started.
  std::vector<std::unique_ptr<Database>> databases_;
  std::vector<std::thread> threads_;
};

}  // namespace renkei::store
