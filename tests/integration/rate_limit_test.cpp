// Commands per connection: 50/s sustained, bursts of 100 by default; beyond,
// rate_limited with the command's id, no event, the connection stays open
// (PROTOCOL.md "Limits").
#include <map>
#include <thread>

#include "test_support.hpp"

namespace renkei::it {
namespace {

class RateLimitTest : public IntegrationTest {};

TEST_F(RateLimitTest, AFloodIsPartlyRateLimitedAndTheConnectionStaysOpen) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  auto yamamoto = join(facilitator);
  auto sato = join(sato_c);

  constexpr int flood = 500;
  for (int i = 0; i < flood; ++i)
    yamamoto->ws().send_cmd("f" + std::to_string(i), "issue.post",
                            text_args("洪水 " + std::to_string(i)));
  int limited = 0;
  std::map<std::uint64_t, int> acked;  // seq -> command number
  for (int i = 0; i < flood; ++i) {
    Frame reply = yamamoto->ws().wait_reply("f" + std::to_string(i));
    if (reply.type() == "ack") {
      EXPECT_TRUE(acked.emplace(reply.seq(), i).second) << reply.text;
      continue;
    }
    EXPECT_EQ(reply.str("code"), "rate_limited") << reply.text;
    EXPECT_EQ(reply.str("id"), "f" + std::to_string(i));
    EXPECT_NE(reply.str("message").find(" / "), std::string::npos) << reply.text;
    ++limited;
  }
  std::cout << "[          ] " << acked.size() << " accepted, " << limited << " rate limited\n";
  EXPECT_GT(limited, 0) << "500 commands at once were not limited";
  EXPECT_GE(acked.size(), 100u) << "the documented burst is 100";
  // Accepted ones are the events 1..n, each with its own text.
  ASSERT_FALSE(acked.empty());
  EXPECT_EQ(acked.begin()->first, 1u);
  EXPECT_EQ(acked.rbegin()->first, acked.size());
  for (const auto& [seq, i] : acked)
    EXPECT_EQ(yamamoto->event(seq).data().at("text"), json::value("洪水 " + std::to_string(i)));

  // Still open, and usable once the bucket refills.
  EXPECT_FALSE(yamamoto->ws().is_closed());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const std::uint64_t next = yamamoto->ok("issue.post", text_args("落ち着いた"));
  EXPECT_EQ(next, acked.size() + 1);
  // Others saw exactly the accepted ones.
  sato->ws().wait_event(next);
  expect_consecutive(sato->ws().events(), 1, next, "other participant");
  // The limit is per connection: another connection is not limited.
  EXPECT_EQ(sato->ok("issue.post", text_args("別の接続")), next + 1);
}

TEST_F(RateLimitTest, SustainedRateBelowTheLimitIsNeverLimited) {
  auto yamamoto = join(facilitator);
  // Empty the bucket first.
  constexpr int drain = 150;
  for (int i = 0; i < drain; ++i)
    yamamoto->ws().send_cmd("d" + std::to_string(i), "issue.post", text_args("d"));
  int drained_limited = 0;
  for (int i = 0; i < drain; ++i)
    drained_limited +=
        yamamoto->ws().wait_reply("d" + std::to_string(i)).str("code") == "rate_limited";
  EXPECT_GT(drained_limited, 0);

  // The bucket refills at 50/s: one interval later a token is there again.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  // Then 30 commands per second for 1.5 s, below the documented 50/s.
  for (int i = 0; i < 45; ++i) {
    yamamoto->ws().send_cmd("s" + std::to_string(i), "issue.post", text_args("s"));
    std::this_thread::sleep_for(std::chrono::milliseconds(34));
  }
  for (int i = 0; i < 45; ++i) {
    Frame reply = yamamoto->ws().wait_reply("s" + std::to_string(i));
    EXPECT_EQ(reply.type(), "ack") << "command " << i << " at 30/s: " << reply.text;
  }
}

}  // namespace
}  // namespace renkei::it
