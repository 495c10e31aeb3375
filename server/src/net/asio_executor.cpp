#include "net/asio_executor.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace renkei::net {

void StrandExecutor::post(std::function<void()> fn) { boost::asio::post(strand_, std::move(fn)); }

void StrandExecutor::post_after(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto timer = std::make_shared<boost::asio::steady_timer>(strand_, delay);
  timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code) { fn(); });
}

void SerialExecutor::post(std::function<void()> fn) { boost::asio::post(executor_, std::move(fn)); }

void SerialExecutor::post_after(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto timer = std::make_shared<boost::asio::steady_timer>(executor_, delay);
  timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code) { fn(); });
}

}  // namespace renkei::net
