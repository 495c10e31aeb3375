// The app layer's view of where work runs. The network layer implements it
// with Asio strands; the app never includes Asio. An Executor runs posted
// functions one at a time in the order they were posted (a strand).
#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace renkei::app {

class Executor {
 public:
  virtual ~Executor() = default;
  // Thread-safe. Runs `fn` later on this executor, never inline.
  virtual void post(std::function<void()> fn) = 0;
  // Thread-safe. Runs `fn` on this executor once `delay` has passed.
  virtual void post_after(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
};

class ExecutorFactory {
 public:
  virtual ~ExecutorFactory() = default;
  // A new serial executor (strand) on the server's I/O threads.
  virtual std::shared_ptr<Executor> make_strand() = 0;
};

}  // namespace renkei::app
