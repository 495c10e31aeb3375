// Fakes for app-layer tests: an executor whose queue the test drains, a
// connection that records its frames, a fixed clock, and a temp directory.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/clock.hpp"
#include "app/connection.hpp"
#include "app/executor.hpp"

namespace renkei::app::testing {

// Every strand it makes shares one queue; run_until() drains it on the test
// thread, so room code runs single-threaded and in post order.
class ManualExecutors final : public ExecutorFactory {
 public:
  class Strand final : public Executor {
   public:
    explicit Strand(ManualExecutors& owner) : owner_(owner) {}
    void post(std::function<void()> fn) override {
      {
        std::lock_guard lock(owner_.mutex_);
        owner_.queue_.push_back(std::move(fn));
      }
      owner_.wake_.notify_all();
    }
    // Delays do not matter to the tests: the work runs in post order.
    void post_after(std::chrono::milliseconds, std::function<void()> fn) override {
      post(std::move(fn));
    }

   private:
    ManualExecutors& owner_;
  };

  std::shared_ptr<Executor> make_strand() override { return std::make_shared<Strand>(*this); }

  // Runs queued work until `done()` holds or `timeout` passes; returns done().
  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      std::function<void()> fn;
      {
        std::unique_lock lock(mutex_);
        if (!wake_.wait_until(lock, deadline, [&] { return !queue_.empty(); })) return done();
        fn = std::move(queue_.front());
        queue_.pop_front();
      }
      fn();
    }
    return true;
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
};

// Records what the room sends, in order. run() executes at once (tests
// drive everything from one thread).
class RecordingConnection final : public Connection {
 public:
  explicit RecordingConnection(std::uint64_t id) : id_(id) {}
  std::uint64_t id() const override { return id_; }
  void send_events(std::shared_ptr<const FrameBatch> batch) override {
    std::lock_guard lock(mutex_);
    for (const auto& f : batch->frames) frames_.push_back(*f);
  }
  void send_frame(Frame frame) override {
    std::lock_guard lock(mutex_);
    frames_.push_back(*frame);
  }
  void run(std::function<void()> fn) override { fn(); }
  void close(std::uint16_t code) override {
    std::lock_guard lock(mutex_);
    closed_with_ = code;
  }
  std::uint16_t closed_with() const {
    std::lock_guard lock(mutex_);
    return closed_with_;
  }

  std::vector<std::string> frames() const {
    std::lock_guard lock(mutex_);
    return frames_;
  }
  std::size_t count_containing(const std::string& needle) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& f : frames_)
      if (f.find(needle) != std::string::npos) ++n;
    return n;
  }

 private:
  std::uint64_t id_;
  mutable std::mutex mutex_;
  std::vector<std::string> frames_;
  std::uint16_t closed_with_ = 0;
};

class FixedClock final : public Clock {
 public:
  // 2026-11-29T22:00:00.000Z, or later after advance().
  std::chrono::system_clock::time_point time() const override {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(1795989600000)) +
           offset_;
  }
  void advance(std::chrono::seconds by) { offset_ += by; }

 private:
  std::chrono::seconds offset_{0};
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/renkei-app-test-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace renkei::app::testing
