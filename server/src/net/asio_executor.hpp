// app::Executor on the server's io_context: strands, or its own executor.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <utility>

#include "app/executor.hpp"

namespace renkei::net {

// app::Executor on an Asio executor: a strand of the io_context, or the
// io_context's own executor when one thread runs it (everything posted to
// it then already runs one at a time in order, and a strand would only add
// its queue, its mutex and a reference-counted executor copy per post).
template <class AsioExecutor>
class PostingExecutor final : public app::Executor {
 public:
  explicit PostingExecutor(AsioExecutor executor) : executor_(std::move(executor)) {}
  void post(std::function<void()> fn) override;
  void post_after(std::chrono::milliseconds delay, std::function<void()> fn) override;

 private:
  AsioExecutor executor_;
};

using StrandExecutor = PostingExecutor<boost::asio::strand<boost::asio::io_context::executor_type>>;
using SerialExecutor = PostingExecutor<boost::asio::io_context::executor_type>;

class StrandFactory final : public app::ExecutorFactory {
 public:
  // `one_thread`: only one thread ever runs `ioc` (the server's --threads 1).
  StrandFactory(boost::asio::io_context& ioc, bool one_thread)
      : ioc_(ioc), one_thread_(one_thread) {}
  std::shared_ptr<app::Executor> make_strand() override {
    if (one_thread_) return std::make_shared<SerialExecutor>(ioc_.get_executor());
    return std::make_shared<StrandExecutor>(boost::asio::make_strand(ioc_));
  }

 private:
  boost::asio::io_context& ioc_;
  const bool one_thread_;
};

}  // namespace renkei::net
