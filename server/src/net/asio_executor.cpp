#include "net/asio_executor.hpp"

#include <boost/asio/post.hpp>

namespace renkei::net {

void StrandExecutor::post(std::function<void()> fn) { boost::asio::post(strand_, std::move(fn)); }

}  // namespace renkei::net
