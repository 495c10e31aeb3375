// app::Executor on Asio strands of the server's io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "app/executor.hpp"

namespace renkei::net {

class StrandExecutor final : public app::Executor {
 public:
  explicit StrandExecutor(boost::asio::io_context& ioc) : strand_(boost::asio::make_strand(ioc)) {}
  void post(std::function<void()> fn) override;
  void post_after(std::chrono::milliseconds delay, std::function<void()> fn) override;

 private:
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
};

// When one thread runs the io_context, everything posted to it already runs
// one at a time in order: a strand would only add its queue, its mutex and
// a reference-counted executor copy per post.
class SerialExecutor final : public app::Executor {
 public:
  explicit SerialExecutor(boost::asio::io_context& ioc) : executor_(ioc.get_executor()) {}
  void post(std::function<void()> fn) override;
  void post_after(std::chrono::milliseconds delay, std::function<void()> fn) override;

 private:
  boost::asio::io_context::executor_type executor_;
};

class StrandFactory final : public app::ExecutorFactory {
 public:
  // `one_thread`: only one thread ever runs `ioc` (the server's --threads 1).
  StrandFactory(boost::asio::io_context& ioc, bool one_thread)
      : ioc_(ioc), one_thread_(one_thread) {}
  std::shared_ptr<app::Executor> make_strand() override {
    if (one_thread_) return std::make_shared<SerialExecutor>(ioc_);
    return std::make_shared<StrandExecutor>(ioc_);
  }

 private:
  boost::asio::io_context& ioc_;
  const bool one_thread_;
};

}  // namespace renkei::net
