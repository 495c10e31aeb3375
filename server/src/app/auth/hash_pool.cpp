#include "app/auth/hash_pool.hpp"

#include <algorithm>
#include <cstdio>

namespace renkei::app::auth {

std::size_t HashPool::default_threads() {
  return std::max<std::size_t>(1, std::thread::hardware_concurrency() / 2);
}

HashPool::HashPool(std::size_t threads, std::size_t queue_capacity)
    : capacity_(std::max<std::size_t>(1, queue_capacity)) {
  threads = std::max<std::size_t>(1, threads);
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { run(); });
}

HashPool::~HashPool() { stop(); }

void HashPool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  for (auto& worker : workers_)
    if (worker.joinable()) worker.join();
  // `dropped` is destroyed here, outside the lock: its captures may run
  // destructors that take other locks.
}

std::size_t HashPool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool HashPool::enqueue(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void HashPool::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      job();
    } catch (...) {
      // Only `done` can throw here (submit catches the task's exceptions);
      // the pool thread must survive it.
      std::fputs("hash pool: a completion handler threw; ignored\n", stderr);
    }
  }
}

}  // namespace renkei::app::auth
