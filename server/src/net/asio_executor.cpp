#include "net/asio_executor.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace renkei::net {

template <class AsioExecutor>
void PostingExecutor<AsioExecutor>::post(std::function<void()> fn) {
  boost::asio::post(executor_, std::move(fn));
}

template <class AsioExecutor>
void PostingExecutor<AsioExecutor>::post_after(std::chrono::milliseconds delay,
                                               std::function<void()> fn) {
  auto timer = std::make_shared<boost::asio::steady_timer>(executor_, delay);
  timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code) { fn(); });
}

template class PostingExecutor<boost::asio::strand<boost::asio::io_context::executor_type>>;
template class PostingExecutor<boost::asio::io_context::executor_type>;

}  // namespace renkei::net
