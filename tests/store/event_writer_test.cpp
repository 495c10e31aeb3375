// EventWriter: group commit, ordering, generation poisoning, stop, and a
// second connection (as the CLI) writing while the writer runs.
#include "store/event_writer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "store/database.hpp"
#include "temp_dir.hpp"

namespace renkei::store {
namespace {

using testing::make_event;
using testing::TempDir;

// Collects the answers of submitted requests, keyed by a test-chosen id.
class Answers {
 public:
  std::function<void(bool, const std::string&)> callback(int id) {
    return [this, id](bool ok, const std::string& error) {
      std::lock_guard lock(mutex_);
      EXPECT_FALSE(answers_.count(id)) << "answered twice: " << id;
      answers_[id] = {ok, error};
      changed_.notify_all();
    };
  }

  // Waits until `count` answers have arrived (fails after 30 s).
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30),
                             [&] { return answers_.size() >= count; });
  }

  std::pair<bool, std::string> get(int id) {
    std::lock_guard lock(mutex_);
    return answers_.at(id);
  }

  std::size_t ok_count() {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [id, answer] : answers_) n += answer.first ? 1 : 0;
    return n;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int, std::pair<bool, std::string>> answers_;
};

AppendRequest request(EventRow row, std::uint64_t generation,
                      std::function<void(bool, const std::string&)> done) {
  AppendRequest r;
  r.row = std::move(row);
  r.generation = generation;
  r.done = std::move(done);
  return r;
}

// Holds the writer thread inside a completion so that the test can queue a
// burst deterministically: submit() the gate, wait(), queue, release().
class Gate {
 public:
  AppendRequest request(const std::string& council) {
    return store::request(make_event(council, 1), 0, [this](bool, const std::string&) {
      entered_.set_value();
      released_.wait();
    });
  }
  void wait_entered() { entered_future_.wait(); }
  void release() { release_.set_value(); }

 private:
  std::promise<void> entered_;
  std::future<void> entered_future_ = entered_.get_future();
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
};

class EventWriterTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.file("renkei.db");
};

TEST_F(EventWriterTest, CommitsAndAnswers) {
  Answers answers;
  {
    EventWriter writer(path_);
    writer.submit(request(make_event("c1", 1, "k"), 0, answers.callback(1)));
    ASSERT_TRUE(answers.wait_for(1));
    EXPECT_EQ(answers.get(1), std::make_pair(true, std::string()));
    const WriterStats stats = writer.stats();
    EXPECT_EQ(stats.batches, 1u);
    EXPECT_EQ(stats.events, 1u);
    EXPECT_EQ(stats.failures, 0u);
    // Durable and visible to another connection once acknowledged.
    Database db(path_);
    EXPECT_EQ(db.head("c1"), 1u);
  }
}

TEST_F(EventWriterTest, GroupCommitsABurstFromSeveralThreads) {
  constexpr int threads = 4;
  constexpr int per_thread = 250;
  Answers answers;
  Gate gate;
  EventWriter writer(path_);
  writer.submit(gate.request("c0"));
  gate.wait_entered();

  std::vector<std::thread> submitters;
  for (int t = 0; t < threads; ++t) {
    submitters.emplace_back([&, t] {
      const std::string council = "c" + std::to_string(t + 1);
      for (int seq = 1; seq <= per_thread; ++seq) {
        writer.submit(request(make_event(council, seq), 0, answers.callback(t * per_thread + seq)));
      }
    });
  }
  for (auto& thread : submitters) thread.join();
  gate.release();

  ASSERT_TRUE(answers.wait_for(threads * per_thread));
  EXPECT_EQ(answers.ok_count(), static_cast<std::size_t>(threads * per_thread));
  const WriterStats stats = writer.stats();
  EXPECT_EQ(stats.events, static_cast<std::uint64_t>(threads * per_thread + 1));
  EXPECT_LT(stats.batches, stats.events);
  EXPECT_EQ(stats.batches, 2u);  // the gate alone, then the whole burst
  EXPECT_EQ(stats.failures, 0u);

  Database db(path_);
  for (int t = 0; t < threads; ++t) {
    const std::string council = "c" + std::to_string(t + 1);
    const auto rows = db.read_events(council, 0, 1000);
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(per_thread));
    for (int i = 0; i < per_thread; ++i) {
      EXPECT_EQ(rows[i].seq, static_cast<std::uint64_t>(i + 1));
      EXPECT_EQ(rows[i].frame, make_event(council, i + 1).frame);
    }
  }
}

TEST_F(EventWriterTest, ManyUngatedSubmittersAllCommitInOrder) {
  constexpr int threads = 4;
  constexpr int per_thread = 200;
  Answers answers;
  EventWriter writer(path_);
  std::vector<std::thread> submitters;
  for (int t = 0; t < threads; ++t) {
    submitters.emplace_back([&, t] {
      const std::string council = "c" + std::to_string(t + 1);
      for (int seq = 1; seq <= per_thread; ++seq) {
        writer.submit(request(make_event(council, seq), 0, answers.callback(t * per_thread + seq)));
      }
    });
  }
  for (auto& thread : submitters) thread.join();
  ASSERT_TRUE(answers.wait_for(threads * per_thread));
  EXPECT_EQ(answers.ok_count(), static_cast<std::size_t>(threads * per_thread));
  EXPECT_EQ(writer.stats().events, static_cast<std::uint64_t>(threads * per_thread));
  Database db(path_);
  for (int t = 0; t < threads; ++t) {
    EXPECT_EQ(db.head("c" + std::to_string(t + 1)), static_cast<std::uint64_t>(per_thread));
  }
}

TEST_F(EventWriterTest, MaxBatchBoundsEachTransaction) {
  Answers answers;
  Gate gate;
  EventWriter writer(path_, 10);
  writer.submit(gate.request("c0"));
  gate.wait_entered();
  for (int seq = 1; seq <= 100; ++seq) {
    writer.submit(request(make_event("c1", seq), 0, answers.callback(seq)));
  }
  gate.release();
  ASSERT_TRUE(answers.wait_for(100));
  EXPECT_EQ(answers.ok_count(), 100u);
  EXPECT_EQ(writer.stats().batches, 11u);
}

TEST_F(EventWriterTest, FailedGenerationPoisonsLaterRequestsUntilANewerOne) {
  Answers answers;
  EventWriter writer(path_);
  auto submit_and_wait = [&](int id, EventRow row, std::uint64_t generation) {
    writer.submit(request(std::move(row), generation, answers.callback(id)));
    EXPECT_TRUE(answers.wait_for(static_cast<std::size_t>(id)));
    return answers.get(id);
  };

  EXPECT_TRUE(submit_and_wait(1, make_event("c1", 1), 1).first);
  const auto duplicate = submit_and_wait(2, make_event("c1", 1), 1);
  EXPECT_FALSE(duplicate.first);
  EXPECT_FALSE(duplicate.second.empty());
  // Decided on state that never became durable: not written.
  const auto stale = submit_and_wait(3, make_event("c1", 2), 1);
  EXPECT_FALSE(stale.first);
  EXPECT_NE(stale.second.find("not written"), std::string::npos);
  EXPECT_FALSE(submit_and_wait(4, make_event("c1", 2), 0).first);
  // Other councils are not affected.
  EXPECT_TRUE(submit_and_wait(5, make_event("c2", 1), 0).first);
  // The room reloaded and moved to a newer generation.
  EXPECT_TRUE(submit_and_wait(6, make_event("c1", 2), 2).first);
  EXPECT_TRUE(submit_and_wait(7, make_event("c1", 3), 2).first);

  const WriterStats stats = writer.stats();
  EXPECT_EQ(stats.failures, 3u);
  EXPECT_EQ(stats.events, 4u);
  Database db(path_);
  EXPECT_EQ(db.head("c1"), 3u);
  const auto rows = db.read_events("c1", 0, 10);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].seq, 2u);
}

TEST_F(EventWriterTest, QueuedRequestsBehindAFailureAreNotWritten) {
  {
    Database db(path_);
    const EventRow existing = make_event("c1", 1);
    db.append_events({&existing});
  }
  Answers answers;
  Gate gate;
  EventWriter writer(path_, 1);  // one request per transaction
  writer.submit(gate.request("c0"));
  gate.wait_entered();
  writer.submit(request(make_event("c1", 1), 3, answers.callback(1)));  // dup
  writer.submit(request(make_event("c1", 2), 3, answers.callback(2)));
  writer.submit(request(make_event("c1", 3), 2, answers.callback(3)));
  writer.submit(request(make_event("c1", 2), 4, answers.callback(4)));
  gate.release();
  ASSERT_TRUE(answers.wait_for(4));
  EXPECT_FALSE(answers.get(1).first);
  EXPECT_FALSE(answers.get(2).first);
  EXPECT_FALSE(answers.get(3).first);
  EXPECT_TRUE(answers.get(4).first);
  Database db(path_);
  EXPECT_EQ(db.head("c1"), 2u);
  EXPECT_EQ(db.read_events("c1", 1, 10).at(0).data, make_event("c1", 2).data);
}

TEST_F(EventWriterTest, AFailingCouncilDoesNotFailOthersInTheSameBatch) {
  {
    Database db(path_);
    const EventRow existing = make_event("c1", 1);
    db.append_events({&existing});
  }
  Answers answers;
  Gate gate;
  EventWriter writer(path_);
  writer.submit(gate.request("c0"));
  gate.wait_entered();
  writer.submit(request(make_event("c2", 1), 0, answers.callback(1)));
  writer.submit(request(make_event("c1", 2), 5, answers.callback(2)));
  writer.submit(request(make_event("c1", 1), 5, answers.callback(3)));  // dup
  writer.submit(request(make_event("c2", 2), 0, answers.callback(4)));
  gate.release();
  ASSERT_TRUE(answers.wait_for(4));
  EXPECT_TRUE(answers.get(1).first);
  EXPECT_FALSE(answers.get(2).first);  // same council as the bad row
  EXPECT_FALSE(answers.get(3).first);
  EXPECT_TRUE(answers.get(4).first);
  {
    Database db(path_);
    EXPECT_EQ(db.head("c1"), 1u);
    EXPECT_EQ(db.head("c2"), 2u);
  }
  // c1 is poisoned up to generation 5.
  writer.submit(request(make_event("c1", 2), 5, answers.callback(5)));
  writer.submit(request(make_event("c1", 2), 6, answers.callback(6)));
  ASSERT_TRUE(answers.wait_for(6));
  EXPECT_FALSE(answers.get(5).first);
  EXPECT_TRUE(answers.get(6).first);
}

// submit_write: the work runs in the next group transaction under a
// savepoint of its own; a failing one rolls back only itself.
TEST_F(EventWriterTest, WritesCommitWithTheEventsAndAFailureIsIsolated) {
  Answers answers;
  Gate gate;
  EventWriter writer(path_);
  writer.submit(gate.request("c0"));
  gate.wait_entered();
  writer.submit(request(make_event("c1", 1), 0, answers.callback(1)));
  writer.submit_write(
      [](Database& db) { db.create_council("書く", domain::CouncilKind::council, "now"); },
      answers.callback(2));
  writer.submit_write(
      [](Database& db) {
        db.create_council("消える", domain::CouncilKind::council, "now");
        throw std::runtime_error("refused by the work");
      },
      answers.callback(3));
  writer.submit(request(make_event("c1", 2), 0, answers.callback(4)));
  writer.submit_write(
      [](Database& db) {
        // A statement that fails: a session of no participant (foreign key).
        db.create_browser_session("hash", "p999", "now", "later");
      },
      answers.callback(5));
  writer.submit_write(
      [](Database& db) { db.create_council("も書く", domain::CouncilKind::council, "now"); },
      answers.callback(6));
  gate.release();
  ASSERT_TRUE(answers.wait_for(6));
  EXPECT_TRUE(answers.get(1).first);
  EXPECT_EQ(answers.get(2), std::make_pair(true, std::string()));
  EXPECT_EQ(answers.get(3), std::make_pair(false, std::string("refused by the work")));
  EXPECT_TRUE(answers.get(4).first);
  EXPECT_FALSE(answers.get(5).first);
  EXPECT_FALSE(answers.get(5).second.empty());
  EXPECT_TRUE(answers.get(6).first);
  const WriterStats stats = writer.stats();
  EXPECT_EQ(stats.batches, 2u);  // the gate alone, then everything else in one
  EXPECT_EQ(stats.events, 3u);
  EXPECT_EQ(stats.writes, 2u);
  EXPECT_EQ(stats.write_failures, 2u);
  Database db(path_);
  EXPECT_EQ(db.head("c1"), 2u);
  std::vector<std::string> names;
  for (const auto& council : db.list_councils()) names.push_back(council.name);
  EXPECT_EQ(names, (std::vector<std::string>{"書く", "も書く"}));
}

// The answer comes after COMMIT: another connection sees the write.
TEST_F(EventWriterTest, AWriteAloneIsCommittedBeforeItsAnswer) {
  EventWriter writer(path_);
  std::promise<std::pair<bool, std::size_t>> answered;
  const std::string path = path_;
  writer.submit_write(
      [](Database& db) { db.create_council("一つ", domain::CouncilKind::council, "now"); },
      [&answered, path](bool ok, const std::string&) {
        Database other(path);
        answered.set_value({ok, other.list_councils().size()});
      });
  const auto [ok, councils] = answered.get_future().get();
  EXPECT_TRUE(ok);
  EXPECT_EQ(councils, 1u);
}

// A batch whose events fail as a whole: the writes are committed in a
// transaction of their own.
TEST_F(EventWriterTest, WritesSurviveAFailedEventBatch) {
  {
    Database db(path_);
    const EventRow existing = make_event("c1", 1);
    db.append_events({&existing});
  }
  Answers answers;
  Gate gate;
  EventWriter writer(path_);
  writer.submit(gate.request("c0"));
  gate.wait_entered();
  writer.submit(request(make_event("c1", 1), 0, answers.callback(1)));  // dup
  writer.submit_write(
      [](Database& db) { db.create_council("残る", domain::CouncilKind::council, "now"); },
      answers.callback(2));
  gate.release();
  ASSERT_TRUE(answers.wait_for(2));
  EXPECT_FALSE(answers.get(1).first);
  EXPECT_TRUE(answers.get(2).first);
  Database db(path_);
  ASSERT_EQ(db.list_councils().size(), 1u);
  EXPECT_EQ(db.list_councils()[0].name, "残る");
}

TEST_F(EventWriterTest, WriteAfterStopFailsAtOnce) {
  Answers answers;
  EventWriter writer(path_);
  writer.stop();
  bool ran = false;
  writer.submit_write([&ran](Database&) { ran = true; }, answers.callback(1));
  ASSERT_TRUE(answers.wait_for(1));
  EXPECT_EQ(answers.get(1), std::make_pair(false, std::string("stopped")));
  EXPECT_FALSE(ran);
}

TEST_F(EventWriterTest, SecondConnectionWritesWhileTheWriterRuns) {
  constexpr int events = 300;
  Answers answers;
  EventWriter writer(path_);
  std::thread submitter([&] {
    for (int seq = 1; seq <= events; ++seq) {
      writer.submit(request(make_event("c1", seq), 0, answers.callback(seq)));
      if (seq % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  {
    // What `renkei invite` does while `renkei serve` runs.
    Database cli(path_);
    const auto council = cli.create_council("c", domain::CouncilKind::council, "now");
    for (int i = 0; i < 20; ++i) {
      cli.add_participant(council.id, "n", "o", domain::Role::member, "hash" + std::to_string(i),
                          "now", std::nullopt);
    }
  }
  submitter.join();
  ASSERT_TRUE(answers.wait_for(events));
  EXPECT_EQ(answers.ok_count(), static_cast<std::size_t>(events));
  Database db(path_);
  EXPECT_EQ(db.list_participants("c1").size(), 20u);
  EXPECT_TRUE(db.find_participant_by_token_hash("hash19"));
  EXPECT_EQ(db.head("c1"), static_cast<std::uint64_t>(events));
}

TEST_F(EventWriterTest, StopCommitsWhatIsQueued) {
  Answers answers;
  {
    EventWriter writer(path_);
    for (int seq = 1; seq <= 200; ++seq) {
      writer.submit(request(make_event("c1", seq), 0, answers.callback(seq)));
    }
    writer.stop();
    writer.stop();  // idempotent
    EXPECT_EQ(answers.ok_count(), 200u);
  }
  Database db(path_);
  EXPECT_EQ(db.head("c1"), 200u);
  EXPECT_TRUE(db.integrity_ok());
}

TEST_F(EventWriterTest, SubmitAfterStopFailsAtOnce) {
  Answers answers;
  EventWriter writer(path_);
  writer.stop();
  writer.submit(request(make_event("c1", 1), 0, answers.callback(1)));
  // Answered inside submit(), on this thread.
  ASSERT_TRUE(answers.wait_for(1));
  EXPECT_EQ(answers.get(1), std::make_pair(false, std::string("stopped")));
  EXPECT_EQ(writer.stats().failures, 1u);
  Database db(path_);
  EXPECT_EQ(db.head("c1"), 0u);
}

TEST_F(EventWriterTest, UnopenableDatabaseFailsEveryRequest) {
  Answers answers;
  EventWriter writer(dir_.file("missing/dir/renkei.db"));
  for (int i = 1; i <= 3; ++i) {
    writer.submit(request(make_event("c1", i), 0, answers.callback(i)));
  }
  ASSERT_TRUE(answers.wait_for(3));
  for (int i = 1; i <= 3; ++i) {
    EXPECT_FALSE(answers.get(i).first);
    EXPECT_FALSE(answers.get(i).second.empty());
  }
  EXPECT_EQ(writer.stats().failures, 3u);
  EXPECT_EQ(writer.stats().batches, 0u);
}

TEST_F(EventWriterTest, ThrowingCompletionDoesNotStopTheWriter) {
  Answers answers;
  EventWriter writer(path_);
  writer.submit(request(make_event("c1", 1), 0, [](bool, const std::string&) {
    throw std::runtime_error("completion failed");
  }));
  writer.submit(request(make_event("c1", 2), 0, answers.callback(2)));
  ASSERT_TRUE(answers.wait_for(1));
  EXPECT_TRUE(answers.get(2).first);
}

// The observer (metrics) hears of every transaction with its size.
TEST_F(EventWriterTest, ObserverSeesEveryTransactionWithItsSize) {
  Answers answers;
  Gate gate;
  std::mutex mutex;
  std::vector<CommitObservation> seen;
  EventWriter writer(path_, 10);
  writer.set_observer([&](const CommitObservation& o) {
    std::lock_guard lock(mutex);
    seen.push_back(o);
  });
  writer.submit(gate.request("c0"));
  gate.wait_entered();
  for (int seq = 1; seq <= 25; ++seq) {
    writer.submit(request(make_event("c1", seq), 0, answers.callback(seq)));
  }
  gate.release();
  ASSERT_TRUE(answers.wait_for(25));
  writer.stop();
  std::lock_guard lock(mutex);
  std::size_t events = 0;
  for (const CommitObservation& o : seen) {
    EXPECT_TRUE(o.ok);
    EXPECT_LE(o.events, 10u);
    EXPECT_GE(o.latency.count(), 0);
    events += o.events;
  }
  EXPECT_EQ(events, 26u);  // the gate's event and 25 more
  EXPECT_EQ(seen.size(), writer.stats().batches);
}

// /metrics reports the pages the writer wrote to the WAL (the log's write
// amplification); with no checkpoint in between they are the WAL's frames.
TEST_F(EventWriterTest, CountsThePagesItWritesToTheWal) {
  Answers answers;
  auto wal_frames = [this] {
    return (std::filesystem::file_size(path_ + "-wal") - 32) / (4096 + 24);
  };
  EventWriter writer(path_, 4096, CheckpointPolicy{1 << 30, 1 << 30});
  writer.submit(request(make_event("c1", 1), 0, answers.callback(1)));
  ASSERT_TRUE(answers.wait_for(1));
  const std::uint64_t pages_before = writer.stats().wal_pages;
  const auto frames_before = wal_frames();
  for (int i = 2; i <= 51; ++i) {
    writer.submit(request(make_event("c1", static_cast<std::uint64_t>(i)), 0, answers.callback(i)));
    ASSERT_TRUE(answers.wait_for(static_cast<std::size_t>(i)));  // one commit each
  }
  const std::uint64_t pages = writer.stats().wal_pages - pages_before;
  EXPECT_GE(pages, 50u);  // at least the page of each commit's event
  EXPECT_EQ(pages, wal_frames() - frames_before);
}

// Checkpoints happen off the commit path (a thread of the writer's own)
// and the WAL still restarts: one event per commit, each commit a few WAL
// frames, and the WAL file stays near the limits instead of growing with
// every commit.
TEST_F(EventWriterTest, CheckpointsKeepTheWalSmallWithoutTheCommitsDoingThem) {
  Answers answers;
  constexpr int events = 600;
  {
    EventWriter writer(path_, 4096, CheckpointPolicy{16, 64});
    for (int i = 1; i <= events; ++i) {
      writer.submit(
          request(make_event("c1", static_cast<std::uint64_t>(i)), 0, answers.callback(i)));
      ASSERT_TRUE(answers.wait_for(static_cast<std::size_t>(i)));  // one commit each
    }
    EXPECT_EQ(answers.ok_count(), static_cast<std::size_t>(events));
    const WriterStats stats = writer.stats();
    EXPECT_EQ(stats.batches, static_cast<std::uint64_t>(events));
    EXPECT_GT(stats.checkpoints + stats.writer_checkpoints, 0u);
    // The writer's own checkpoints are timed (/metrics).
    EXPECT_EQ(stats.writer_checkpoints > 0, stats.writer_checkpoint_seconds > 0);
    // Without checkpoints the WAL would hold every commit's frames (about
    // 600 x 2 pages); with them it is reused from its start.
    const auto wal = std::filesystem::file_size(path_ + "-wal");
    EXPECT_LT(wal, 200u * 4096u) << "WAL of " << wal << " bytes";
    Database db(path_);
    EXPECT_EQ(db.head("c1"), static_cast<std::uint64_t>(events));
    EXPECT_TRUE(db.integrity_ok());
  }
}

}  // namespace
}  // namespace renkei::store
