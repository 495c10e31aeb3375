// Runs a request's work on the hash pool (auth::HashPool): `work` answers
// the request itself; if it throws, `reply` gets 500. False when the pool's
// queue is full (the caller answers 503 busy).
#pragma once

#include <functional>
#include <utility>

#include "app/api_errors.hpp"
#include "app/auth/hash_pool.hpp"

namespace renkei::app {

template <typename Work>
bool run_on_pool(auth::HashPool& pool, std::function<void(HttpReply)> reply, Work work) {
  return pool.submit(
      [work = std::move(work)]() mutable {
        work();
        return true;
      },
      [reply = std::move(reply)](std::optional<bool> ran) {
        if (!ran) reply(api_error(500, "internal", "内部エラー / internal error"));
      });
}

}  // namespace renkei::app
