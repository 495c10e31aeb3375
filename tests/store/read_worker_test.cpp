// ReadWorker: tasks run on worker threads with their own connections and
// survive a throwing task; stop drains the queue.
#include "store/read_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "store/database.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::make_event;
using testing::TempDir;

class ReadWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Database db(path_);
    std::vector<EventRow> rows;
    for (std::uint64_t seq = 1; seq <= 5; ++seq) rows.push_back(make_event("c1", seq));
    std::vector<const EventRow*> pointers;
    for (const auto& row : rows) pointers.push_back(&row);
    db.append_events(pointers);
  }

  TempDir dir_;
  std::string path_ = dir_.file("renkei.db");
};

TEST_F(ReadWorkerTest, RunsTasksWithItsConnection) {
  ReadWorker worker(path_);
  std::promise<std::uint64_t> head;
  worker.post([&](Database& db) { head.set_value(db.head("c1")); });
  auto future = head.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(future.get(), 5u);
}

TEST_F(ReadWorkerTest, SurvivesAThrowingTask) {
  ReadWorker worker(path_);
  worker.post([](Database&) { throw std::runtime_error("secret text"); });
  worker.post([](Database& db) {
    db.read_events("c1", 0, 10);
    throw StoreError("x", 1);
  });
  worker.post([](Database&) { throw 42; });
  std::promise<std::size_t> frames;
  worker.post([&](Database& db) { frames.set_value(db.read_frames("c1", 0, 5, 10).size()); });
  auto future = frames.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(future.get(), 5u);
}

TEST_F(ReadWorkerTest, SeveralThreadsRunEveryTaskAndStopDrains) {
  constexpr int tasks = 200;
  std::atomic<int> done{0};
  std::mutex mutex;
  std::set<std::thread::id> seen;
  {
    ReadWorker worker(path_, 3);
    for (int i = 0; i < tasks; ++i) {
      worker.post([&](Database& db) {
        if (db.head("c1") == 5u) ++done;
        std::lock_guard lock(mutex);
        seen.insert(std::this_thread::get_id());
      });
    }
    worker.stop();
    EXPECT_EQ(done.load(), tasks);
    // Dropped after stop.
    worker.post([&](Database&) { ++done; });
    worker.stop();
  }
  EXPECT_EQ(done.load(), tasks);
  EXPECT_GE(seen.size(), 1u);
  EXPECT_LE(seen.size(), 3u);
}

TEST_F(ReadWorkerTest, SeesCommitsOfOtherConnections) {
  ReadWorker worker(path_);
  {
    Database db(path_);
    const EventRow row = make_event("c1", 6);
    db.append_events({&row});
  }
  std::promise<std::uint64_t> head;
  worker.post([&](Database& db) { head.set_value(db.head("c1")); });
  EXPECT_EQ(head.get_future().get(), 6u);
}

TEST_F(ReadWorkerTest, UnopenableDatabaseThrowsAtConstruction) {
  EXPECT_THROW(ReadWorker(dir_.file("missing/dir/renkei.db"), 2), StoreError);
}

}  // namespace
}  // namespace renkei::store
