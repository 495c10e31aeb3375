// Metrics: the Prometheus text of counters, the fan-out queue gauges and the
// group-commit histograms.
#include "app/metrics.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace renkei::app {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(MetricsTest, CommitHistogramsAreCumulativeWithSumAndCount) {
  Metrics metrics;
  metrics.observe_commit(1, std::chrono::microseconds(80));
  metrics.observe_commit(3, std::chrono::microseconds(700));
  metrics.observe_commit(100, std::chrono::milliseconds(2));
  const std::string text = metrics.render({});
  EXPECT_TRUE(has_line(text, "# TYPE renkei_commit_batch_size histogram")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_batch_size_bucket{le=\"1\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_batch_size_bucket{le=\"4\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_batch_size_bucket{le=\"64\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_batch_size_bucket{le=\"128\"} 3")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_batch_size_bucket{le=\"+Inf\"} 3")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_batch_size_sum 104")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_batch_size_count 3")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_seconds_bucket{le=\"0.0001\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_seconds_bucket{le=\"0.001\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_seconds_bucket{le=\"0.0025\"} 3")) << text;
  EXPECT_TRUE(has_line(text, "renkei_commit_seconds_count 3")) << text;
}

TEST(MetricsTest, AckHistogramCountsEachAcknowledgedCommand) {
  Metrics metrics;
  metrics.observe_ack(std::chrono::microseconds(300));
  metrics.observe_ack(std::chrono::milliseconds(3));
  const std::string text = metrics.render({});
  EXPECT_TRUE(has_line(text, "# TYPE renkei_ack_seconds histogram")) << text;
  EXPECT_TRUE(has_line(text, "renkei_ack_seconds_bucket{le=\"0.00025\"} 0")) << text;
  EXPECT_TRUE(has_line(text, "renkei_ack_seconds_bucket{le=\"0.0005\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "renkei_ack_seconds_bucket{le=\"0.005\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "renkei_ack_seconds_count 2")) << text;
}

TEST(MetricsTest, FanOutQueueGaugeFollowsGrowthAndShrinkage) {
  Metrics metrics;
  metrics.queue_grew(1, 300);
  metrics.queue_grew(1, 200);
  metrics.queue_shrank(1, 300);
  const std::string text = metrics.render({});
  EXPECT_TRUE(has_line(text, "# TYPE renkei_fanout_queue_frames gauge")) << text;
  EXPECT_TRUE(has_line(text, "renkei_fanout_queue_frames 1")) << text;
  EXPECT_TRUE(has_line(text, "renkei_fanout_queue_bytes 200")) << text;
}

TEST(MetricsTest, ErrorsAreCountedByCode) {
  Metrics metrics;
  metrics.count_error(domain::ErrorCode::rate_limited);
  metrics.count_error(domain::ErrorCode::rate_limited);
  metrics.slow_client_dropped();
  MetricsSnapshotInputs inputs;
  inputs.councils_live = 4;
  const std::string text = metrics.render(inputs);
  EXPECT_TRUE(has_line(text, "renkei_errors_total{code=\"rate_limited\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "renkei_errors_total{code=\"conflict\"} 0")) << text;
  EXPECT_TRUE(has_line(text, "renkei_councils_live 4")) << text;
  EXPECT_TRUE(has_line(text, "renkei_slow_clients_dropped_total 1")) << text;
}

// The writer's checkpoints and the time they held it explain stalls of the
// group commit, the pages it wrote what the commits cost the disk
// (server/docs/STORAGE.md, "Checkpoints").
TEST(MetricsTest, CheckpointsAreCountedByWhoRanThem) {
  Metrics metrics;
  MetricsSnapshotInputs inputs;
  inputs.background_checkpoints = 7;
  inputs.writer_checkpoints = 2;
  inputs.writer_checkpoint_seconds = 0.5;
  inputs.wal_pages = 1234;
  const std::string text = metrics.render(inputs);
  EXPECT_TRUE(has_line(text, "# TYPE renkei_wal_checkpoints_total counter")) << text;
  EXPECT_TRUE(has_line(text, "renkei_wal_checkpoints_total{by=\"background\"} 7")) << text;
  EXPECT_TRUE(has_line(text, "renkei_wal_checkpoints_total{by=\"writer\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "# TYPE renkei_writer_checkpoint_seconds_total counter")) << text;
  EXPECT_TRUE(has_line(text, "renkei_writer_checkpoint_seconds_total 0.5")) << text;
  EXPECT_TRUE(has_line(text, "# TYPE renkei_wal_pages_written_total counter")) << text;
  EXPECT_TRUE(has_line(text, "renkei_wal_pages_written_total 1234")) << text;
}

}  // namespace
}  // namespace renkei::app
