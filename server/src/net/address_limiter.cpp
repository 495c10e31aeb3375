#include "net/address_limiter.hpp"

#include <algorithm>

namespace renkei::net {

AddressLimiter::Slot::~Slot() {
  if (owner_) owner_->release(address_);
}

std::shared_ptr<AddressLimiter::Slot> AddressLimiter::acquire(const std::string& address) {
  if (std::find(exempt_.begin(), exempt_.end(), address) != exempt_.end())
    return std::make_shared<Slot>(nullptr, address);
  {
    std::lock_guard lock(mutex_);
    auto& count = open_[address];
    if (count >= limit_) return nullptr;
    ++count;
  }
  return std::make_shared<Slot>(shared_from_this(), address);
}

void AddressLimiter::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(address);
  if (it == open_.end()) return;
  if (--it->second == 0) open_.erase(it);
}

}  // namespace renkei::net
