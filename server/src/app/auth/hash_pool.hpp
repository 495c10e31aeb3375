// The bounded pool that runs password hashes (docs/PEOPLE.md "Sign-in":
// `--hash-threads`, default half the cores, at least 1). An Argon2id hash
// costs tens of milliseconds of CPU and 64 MiB: on an I/O thread it would
// stall every socket of that thread, so hashes run only here.
//
// Threading: `threads` pool threads, started by the constructor, each
// taking one job at a time from one FIFO queue of at most
// `queue_capacity` waiting jobs. submit() may be called from any thread;
// it never runs the job itself and never blocks: when the queue is full
// (or the pool is stopping) it returns false at once and the caller
// answers 503 (a sign-in storm is shed, not queued without bound). A job
// and its `done` run on a pool thread; `done` must hand its result back to
// whoever needs it (e.g. post to the connection's executor) and return.
//
// Memory: at most `threads` hashes at once, so at most threads × memlimit
// of Argon2 memory, however many sign-ins arrive.
//
// Stopping: the destructor (or stop()) refuses new jobs, lets the running
// ones finish (with their `done`), and destroys the waiting ones without
// running them or their `done` (their captures are released, so a
// connection held by one closes).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace renkei::app::auth {

class HashPool {
 public:
  static constexpr std::size_t default_queue_capacity = 256;

  // max(1, std::thread::hardware_concurrency() / 2).
  static std::size_t default_threads();

  explicit HashPool(std::size_t threads = default_threads(),
                    std::size_t queue_capacity = default_queue_capacity);
  ~HashPool();
  HashPool(const HashPool&) = delete;
  HashPool& operator=(const HashPool&) = delete;

  // Queues `task` (callable with no argument, returning R) to run on a
  // pool thread, then `done(std::optional<R>)` on the same thread: the
  // result, or nothing if `task` threw (e.g. out of memory; the caller
  // answers 500). Both must be copy-constructible (held in std::function).
  // True if queued; false if the queue is full or the pool
  // stopped (neither is called then).
  template <class Task, class Done>
  bool submit(Task task, Done done) {
    using R = std::invoke_result_t<Task&>;
    return enqueue([task = std::move(task), done = std::move(done)]() mutable {
      std::optional<R> result;
      try {
        result.emplace(task());
      } catch (...) {
        result.reset();
      }
      done(std::move(result));
    });
  }

  // Stops as the destructor does; later submits return false. Must not be
  // called from a pool thread.
  void stop();

  std::size_t threads() const { return workers_.size(); }
  std::size_t queue_capacity() const { return capacity_; }
  // Jobs waiting (not running) now; for metrics.
  std::size_t queued() const;

 private:
  bool enqueue(std::function<void()> job);
  void run();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace renkei::app::auth
