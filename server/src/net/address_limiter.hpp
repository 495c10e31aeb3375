// Counts open connections per client address and refuses more than the
// limit. A Slot holds one connection's place and gives it back when
// destroyed. Thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace renkei::net {

class AddressLimiter : public std::enable_shared_from_this<AddressLimiter> {
 public:
  // `exempt`: addresses never counted (trusted reverse proxies, through
  // which every client comes).
  explicit AddressLimiter(std::size_t limit, std::vector<std::string> exempt = {})
      : limit_(limit), exempt_(std::move(exempt)) {}

  class Slot {
   public:
    Slot(std::shared_ptr<AddressLimiter> owner, std::string address)
        : owner_(std::move(owner)), address_(std::move(address)) {}
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    std::shared_ptr<AddressLimiter> owner_;
    std::string address_;
  };

  // A slot for `address`, or nullptr when the address has `limit` open
  // (never for an exempt address).
  std::shared_ptr<Slot> acquire(const std::string& address);

 private:
  void release(const std::string& address);

  std::size_t limit_;
  const std::vector<std::string> exempt_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> open_;
};

}  // namespace renkei::net
