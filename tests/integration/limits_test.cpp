// Limits at the edge besides frames and rates: a stalled reader is dropped
// without holding anyone else back, many connections from one address, an
// oversized HTTP request head (PROTOCOL.md "Limits").
#include "test_support.hpp"

namespace renkei::it {
namespace {

class SlowConsumerTest : public IntegrationTest {
 protected:
  // A 1 MiB cap instead of 8 MiB keeps the test small; the mechanism is the
  // same (--max-unsent is documented as configurable).
  SlowConsumerTest()
      : IntegrationTest({"--rate", "100000", "--burst", "100000", "--max-unsent", "1048576"}) {}
};

TEST_F(SlowConsumerTest, StalledReaderIsDroppedAndOthersGetEverything) {
  const auto invited = members({{"佐藤 恵子", "北広島町"}, {"田中 浩二", "坂町"}});
  auto yamamoto = join(facilitator);
  auto sato = join(invited[0]);
  auto tanaka = join(invited[1]);
  tanaka->ws().pause_reading();

  // ~15 MB of events: more than the cap plus what the kernel buffers.
  constexpr int count = 2500;
  constexpr int window = 100;
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "退";
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    yamamoto->ws().send_cmd("big" + std::to_string(i), "issue.post", text_args(text));
    if (i >= window) {
      ASSERT_EQ(yamamoto->ws().wait_reply("big" + std::to_string(i - window)).type(), "ack");
    }
  }
  for (int i = count - window; i < count; ++i)
    ASSERT_EQ(yamamoto->ws().wait_reply("big" + std::to_string(i)).type(), "ack");
  const auto elapsed = std::chrono::steady_clock::now() - started;
  std::cout << "[          ] " << count << " large events in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";

  // The others got everything, in order.
  sato->ws().wait_event(count);
  expect_consecutive(sato->ws().events(), 1, count, "witness");

  // The stalled one was dropped: once it reads again it finds the end of
  // the connection after fewer events than were written.
  tanaka->ws().resume_reading();
  EXPECT_TRUE(tanaka->ws().wait_closed(Millis(20000)).has_value())
      << "a client that stopped reading was not dropped";
  while (tanaka->ws().pump(Millis(0))) {
  }
  EXPECT_LT(tanaka->ws().events().size(), static_cast<std::size_t>(count));
  // What it did get has no gap.
  if (!tanaka->ws().events().empty())
    expect_consecutive(tanaka->ws().events(), 1, tanaka->ws().last_seq(), "stalled");

  // The server is fine: the stalled participant can come back and resync
  // (from near the head: resyncing megabytes at once is the next test's).
  tanaka->reconnect(server.port(), count - 10);
  EXPECT_EQ(tanaka->hello().synced.num("head"), static_cast<std::uint64_t>(count));
  expect_consecutive(tanaka->hello().events, count - 9, count, "resync");
}

class LargeHistoryTest : public IntegrationTest {
 protected:
  LargeHistoryTest() : IntegrationTest(unlimited_rate) {}
};

// A client that reads promptly must be able to catch up on any history with
// the default limits. Events can legitimately be ~10 KB (role.propose with
// a 200-character title, a 2000-character detail, theme and owner_org, all
// in 4-byte characters), so 1000 of them are more than the 8 MiB unsent
// cap: catch-up must not put them all in the output queue at once.
TEST_F(LargeHistoryTest, CatchUpOfLargeEventsIsNotMistakenForASlowClient) {
  auto yamamoto = join(facilitator);
  auto emoji = [](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "\xF0\x9F\x98\x80";  // U+1F600, 4 bytes
    return s;
  };
  const json::object args{{"title", emoji(200)},
                          {"owner_org", emoji(100)},
                          {"detail", emoji(2000)},
                          {"theme", emoji(100)}};
  constexpr int count = 1000;
  constexpr int window = 50;
  for (int i = 0; i < count; ++i) {
    yamamoto->ws().send_cmd("role" + std::to_string(i), "role.propose", args);
    if (i >= window) {
      Frame reply = yamamoto->ws().wait_reply("role" + std::to_string(i - window));
      ASSERT_EQ(reply.type(), "ack") << reply.text;
    }
  }
  for (int i = count - window; i < count; ++i)
    ASSERT_EQ(yamamoto->ws().wait_reply("role" + std::to_string(i)).type(), "ack");
  std::size_t bytes = 0;
  for (const Frame& event : yamamoto->ws().events()) bytes += event.text.size();
  std::cout << "[          ] history of " << bytes << " bytes\n";
  ASSERT_GT(bytes, 8u * 1024 * 1024);

  WsClient late(server.port());
  HelloResult hello = late.hello(facilitator.token, facilitator.council, 0);
  expect_consecutive(hello.events, 1, count, "catch-up");
}

class LimitsTest : public IntegrationTest {};

TEST_F(LimitsTest, SixtyFourConnectionsFromOneAddress) {
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 70; ++i) {
    clients.push_back(std::make_unique<WsClient>(server.port()));
    clients.back()->hello(facilitator.token, facilitator.council);
  }
  auto writer = join(facilitator);
  const std::uint64_t seq = writer->ok("issue.post", text_args("全員へ"));
  for (auto& client : clients) EXPECT_EQ(client->wait_event(seq).seq(), seq);
}

TEST_F(LimitsTest, HttpRequestHeadOver16KiBIs431) {
  auto response = http_get(server.port(), "/healthz", {{"X-Padding", std::string(17 * 1024, 'a')}});
  EXPECT_EQ(response.result_int(), 431);
  // Below the limit is fine.
  EXPECT_EQ(
      http_get(server.port(), "/healthz", {{"X-Padding", std::string(8 * 1024, 'a')}}).result_int(),
      200);
}

}  // namespace
}  // namespace renkei::it
