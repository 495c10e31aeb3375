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

class StrandFactory final : public app::ExecutorFactory {
 public:
  explicit StrandFactory(boost::asio::io_context& ioc) : ioc_(ioc) {}
  std::shared_ptr<app::Executor> make_strand() override {
    return std::make_shared<StrandExecutor>(ioc_);
  }

 private:
  boost::asio::io_context& ioc_;
};

}  // namespace renkei::net
