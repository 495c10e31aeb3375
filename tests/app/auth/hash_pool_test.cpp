// The hash pool: off the caller's thread, bounded, shedding when full.
#include "app/auth/hash_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>

namespace renkei::app::auth {
namespace {

using namespace std::chrono_literals;

TEST(HashPool, DefaultsToHalfTheCoresAtLeastOne) {
  EXPECT_EQ(HashPool::default_threads(),
            std::max<std::size_t>(1, std::thread::hardware_concurrency() / 2));
  HashPool pool(0, 0);
  EXPECT_EQ(pool.threads(), 1u);
  EXPECT_EQ(pool.queue_capacity(), 1u);
}

TEST(HashPool, RunsTasksOnPoolThreadsAndHandsBackResults) {
  HashPool pool(2, 16);
  const auto caller = std::this_thread::get_id();
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::vector<std::promise<int>> results(10);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(pool.submit(
        [&, i] {
          std::lock_guard lock(mutex);
          threads.insert(std::this_thread::get_id());
          return i * i;
        },
        [&, i](std::optional<int> result) {
          EXPECT_NE(std::this_thread::get_id(), caller);
          results[static_cast<std::size_t>(i)].set_value(result.value_or(-1));
        }));
  }
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(results[static_cast<std::size_t>(i)].get_future().get(), i * i);
  EXPECT_FALSE(threads.contains(caller));
  EXPECT_LE(threads.size(), 2u);
}

TEST(HashPool, ATaskThatThrowsGivesNothing) {
  HashPool pool(1, 4);
  std::promise<std::optional<int>> done;
  ASSERT_TRUE(pool.submit([]() -> int { throw std::runtime_error("out of memory"); },
                          [&](std::optional<int> r) { done.set_value(r); }));
  EXPECT_EQ(done.get_future().get(), std::nullopt);
  // The thread survived.
  std::promise<std::optional<int>> next;
  ASSERT_TRUE(pool.submit([] { return 7; }, [&](std::optional<int> r) { next.set_value(r); }));
  EXPECT_EQ(next.get_future().get(), 7);
}

TEST(HashPool, RejectsAtOnceWhenTheQueueIsFull) {
  HashPool pool(1, 3);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> finished{0};
  // One running (blocked), three waiting: the queue is full.
  ASSERT_TRUE(pool.submit(
      [&] {
        started.set_value();
        released.wait();
        return 0;
      },
      [&](std::optional<int>) { ++finished; }));
  started.get_future().wait();
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(pool.submit([] { return 1; }, [&](std::optional<int>) { ++finished; }));
  EXPECT_EQ(pool.queued(), 3u);
  const auto start = std::chrono::steady_clock::now();
  bool ran_here = false;
  EXPECT_FALSE(pool.submit(
      [&] {
        ran_here = true;
        return 1;
      },
      [](std::optional<int>) {}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_FALSE(ran_here);
  release.set_value();
  for (int i = 0; i < 200 && finished < 4; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(finished, 4);
  EXPECT_TRUE(pool.submit([] { return 1; }, [](std::optional<int>) {}));
}

TEST(HashPool, StopFinishesTheRunningJobAndDropsTheWaitingOnes) {
  auto pool = std::make_unique<HashPool>(1, 8);
  std::promise<void> started;
  std::atomic<int> done_calls{0};
  auto token = std::make_shared<int>(0);
  ASSERT_TRUE(pool->submit(
      [&] {
        started.set_value();
        std::this_thread::sleep_for(50ms);
        return 0;
      },
      [&](std::optional<int>) { ++done_calls; }));
  started.get_future().wait();
  ASSERT_TRUE(pool->submit([token] { return 1; }, [&](std::optional<int>) { ++done_calls; }));
  EXPECT_EQ(token.use_count(), 2);
  pool.reset();
  EXPECT_EQ(done_calls, 1);
  EXPECT_EQ(token.use_count(), 1);  // the dropped job's captures were released
}

TEST(HashPool, SubmitAfterStopIsRefused) {
  HashPool pool(1, 8);
  pool.stop();
  EXPECT_FALSE(pool.submit([] { return 1; }, [](std::optional<int>) {}));
}

}  // namespace
}  // namespace renkei::app::auth
