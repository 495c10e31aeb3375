#include "net/idle_sweeper.hpp"

#include <algorithm>

namespace renkei::net {

IdleSweeper::IdleSweeper(boost::asio::io_context& ioc, std::size_t shards,
                         std::chrono::milliseconds idle, std::chrono::milliseconds shortest)
    : idle_ms_(idle.count() > 0 ? idle.count() : 0) {
  // A quarter of the shortest limit, between 20 ms and 1 s: a limit is
  // kept within 25% (and at most a second) of its value.
  auto limit = shortest;
  if (idle_ms_ > 0) limit = std::min(limit, idle);
  period_ = std::clamp(limit / 4, std::chrono::milliseconds(20), std::chrono::milliseconds(1000));
  for (std::size_t i = 0; i < std::max<std::size_t>(shards, 1); ++i) {
    shards_.push_back(std::make_unique<Shard>(ioc));
    arm(*shards_.back());
  }
}

IdleSweeper::~IdleSweeper() {
  for (auto& shard : shards_) shard->timer.cancel();
}

void IdleSweeper::add(Entry& entry, std::uint64_t key) {
  Shard& shard = *shards_[key % shards_.size()];
  std::lock_guard lock(shard.mutex);
  entry.prev_ = nullptr;
  entry.next_ = shard.head;
  if (shard.head) shard.head->prev_ = &entry;
  shard.head = &entry;
  entry.linked_ = true;
}

void IdleSweeper::remove(Entry& entry, std::uint64_t key) {
  Shard& shard = *shards_[key % shards_.size()];
  std::lock_guard lock(shard.mutex);
  if (!entry.linked_) return;
  if (entry.prev_) {
    entry.prev_->next_ = entry.next_;
  } else {
    shard.head = entry.next_;
  }
  if (entry.next_) entry.next_->prev_ = entry.prev_;
  entry.linked_ = false;
}

void IdleSweeper::arm(Shard& shard) {
  shard.timer.expires_after(period_);
  shard.timer.async_wait([this, &shard](boost::system::error_code ec) {
    if (ec) return;  // cancelled: the server is going away
    sweep(shard);
    arm(shard);
  });
}

void IdleSweeper::sweep(Shard& shard) {
  const std::int64_t now = now_ms();
  std::lock_guard lock(shard.mutex);
  for (Entry* e = shard.head; e; e = e->next_) {
    if (e->expired_) continue;
    const std::int64_t deadline = e->deadline_.load(std::memory_order_relaxed);
    if (deadline != 0) {
      if (now >= deadline) {
        e->expired_ = true;
        e->swept(Action::timeout);
      }
      continue;
    }
    if (idle_ms_ == 0) continue;
    const std::int64_t rx = e->last_rx_.load(std::memory_order_relaxed);
    const std::int64_t silent = now - rx;
    if (silent >= idle_ms_) {
      e->expired_ = true;
      e->swept(Action::timeout);
    } else if (silent >= idle_ms_ / 2 && e->pinged_for_ != rx) {
      e->pinged_for_ = rx;
      e->swept(Action::ping);
    }
  }
}

}  // namespace renkei::net
