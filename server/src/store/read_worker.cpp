#include "store/read_worker.hpp"

#include <algorithm>
#include <exception>
#include <iostream>
#include <memory>
#include <utility>

#include "store/database.hpp"

namespace renkei::store {

ReadWorker::ReadWorker(std::string path, std::size_t threads) : path_(std::move(path)) {
  const std::size_t count = std::max<std::size_t>(threads, 1);
  databases_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    databases_.push_back(std::make_unique<Database>(path_));
  }
  threads_.reserve(count);
  try {
    for (std::size_t i = 0; i < count; ++i) {
      threads_.emplace_back([this, i] { run(i); });
    }
  } catch (...) {
    stop();
    throw;
  }
}

ReadWorker::~ReadWorker() { stop(); }

void ReadWorker::post(std::function<void(Database&)> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void ReadWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void ReadWorker::run(std::size_t index) {
  Database& db = *databases_[index];
  for (;;) {
    std::function<void(Database&)> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    // The log line names the kind of failure only: exception messages may
    // carry data the task was handling.
    try {
      task(db);
    } catch (const StoreError& e) {
      std::cerr << "renkei store: read task failed (SQLite code " << e.sqlite_code() << ")\n";
    } catch (const std::exception&) {
      std::cerr << "renkei store: read task failed (exception)\n";
    } catch (...) {
      std::cerr << "renkei store: read task failed (unknown exception)\n";
    }
  }
}

}  // namespace renkei::store
