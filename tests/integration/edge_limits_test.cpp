// Limits at the edge (PROTOCOL.md "Limits"), beyond limits_test.cpp and
// rate_limit_test.cpp: connections per address, a stalled reader dropped
// promptly without slowing others, request bodies, the request-head timeout
// (slowloris), the WebSocket close-handshake and idle timeouts, and an
// oversized frame that must change nothing.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

std::int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<Millis>(Clock::now() - start).count();
}

// A counter of /metrics (0 if absent).
std::uint64_t metric(std::uint16_t port, const std::string& name) {
  const std::string text = http_get(port, "/metrics").body();
  for (const std::string& line : lines_of(text)) {
    if (line.rfind(name + " ", 0) == 0) return std::stoull(line.substr(name.size() + 1));
  }
  return 0;
}

// --- connections per address --------------------------------------------------------

class ConnectionsPerAddressTest : public IntegrationTest {
 protected:
  ConnectionsPerAddressTest() : IntegrationTest({"--max-connections-per-address", "5"}) {}
};

TEST_F(ConnectionsPerAddressTest, SixthConnectionIsRefusedOthersUnaffectedClosingFreesASlot) {
  // The readiness probes' connections are gone once their sessions end.
  std::this_thread::sleep_for(Millis(200));
  std::vector<std::unique_ptr<WsClient>> open;
  for (int i = 0; i < 5; ++i) {
    open.push_back(std::make_unique<WsClient>(server.port()));
    open.back()->hello(facilitator.token, facilitator.council);
  }
  // The sixth, WebSocket or plain HTTP, is closed at once.
  const auto started = Clock::now();
  EXPECT_THROW(WsClient(server.port(), WsClient::Headers{}, Millis(5000)), std::runtime_error);
  EXPECT_LT(ms_since(started), 2000) << "refused, not left hanging";
  EXPECT_THROW(http_get(server.port(), "/healthz", {}, Millis(5000)), std::runtime_error);

  // The five are unaffected: each command reaches all of them.
  const std::uint64_t seq = open[0]->command("five-1", "issue.post", text_args("五人")).seq();
  for (auto& client : open) EXPECT_EQ(client->wait_event(seq).seq(), seq);

  // Closing one frees its slot (when the server has seen the close).
  open.pop_back();
  std::unique_ptr<WsClient> again;
  EXPECT_TRUE(eventually([&] {
    try {
      again = std::make_unique<WsClient>(server.port(), WsClient::Headers{}, Millis(2000));
      return true;
    } catch (const std::runtime_error&) {
      return false;
    }
  })) << "a closed connection's slot was not freed";
  ASSERT_TRUE(again);
  EXPECT_EQ(again->hello(facilitator.token, facilitator.council, seq).synced.num("head"), seq);
  // And the limit holds again.
  EXPECT_THROW(WsClient(server.port(), WsClient::Headers{}, Millis(5000)), std::runtime_error);
  const std::uint64_t next = open[1]->command("five-2", "issue.post", text_args("再び")).seq();
  EXPECT_EQ(again->wait_event(next).seq(), next);
}

// --- a stalled reader ------------------------------------------------------------------

class StalledReaderTest : public IntegrationTest {
 protected:
  StalledReaderTest()
      : IntegrationTest({"--rate", "100000", "--burst", "100000", "--max-unsent", "1048576"}) {}
};

TEST_F(StalledReaderTest, IsClosedWithinFiveSecondsAndOthersStayFast) {
  const auto invited = members({{"佐藤 恵子", "北広島町"}, {"田中 浩二", "坂町"}});
  auto writer = join(facilitator);
  auto prober = join(invited[0]);
  // The stalled client: upgraded and joined, then never reads again. A tiny
  // receive buffer keeps the kernel from absorbing the backlog.
  RawSocket stalled(server.port(), 4096);
  raw_upgrade(stalled, server.port());
  ASSERT_TRUE(stalled.send(masked_text_frame(json::serialize(json::object{
      {"type", "hello"}, {"token", invited[1].token}, {"council", facilitator.council}}))));
  ASSERT_TRUE(stalled.read_for(Millis(300)));  // welcome and synced
  ASSERT_NE(stalled.received().find("synced"), std::string::npos) << stalled.received();

  // A witness reads promptly, on its own thread, noting when probes arrive.
  WsClient witness(server.port());
  witness.hello(facilitator.token, facilitator.council);
  std::mutex mutex;
  std::map<std::string, Clock::time_point> arrived;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop.load()) {
      auto frame = witness.next(Millis(100));
      if (!frame || frame->type() != "event") continue;
      const auto now = Clock::now();
      const auto* text = frame->data().if_contains("text");
      if (text && text->is_string() && text->as_string().starts_with("probe ")) {
        std::lock_guard lock(mutex);
        arrived[std::string(text->as_string())] = now;
      }
    }
  });

  // The flood: ~6 KB events, 100 in flight.
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "退";
  std::atomic<std::size_t> flooded_bytes{0};
  std::atomic<bool> flood_done{false};
  std::string flood_failure;
  std::thread flood([&] {
    try {
      constexpr int count = 2500, window = 100;
      for (int i = 0; i < count; ++i) {
        writer->ws().send_cmd("big" + std::to_string(i), "issue.post", text_args(big));
        if (i >= window) {
          Frame reply = writer->ws().wait_reply("big" + std::to_string(i - window));
          if (reply.type() != "ack") throw std::runtime_error(reply.text);
          flooded_bytes += big.size() + 200;
        }
      }
      for (int i = count - window; i < count; ++i)
        writer->ws().wait_reply("big" + std::to_string(i));
    } catch (const std::exception& e) {
      flood_failure = e.what();
    }
    flood_done = true;
  });

  // Meanwhile: probes every 100 ms, and the drop watched on /metrics.
  std::map<std::string, Clock::time_point> sent;
  std::optional<Clock::time_point> threshold, dropped;
  // Past this much output the stalled connection's backlog is over the cap
  // whatever the kernel buffers: 1 MiB cap + at most ~4 MiB send buffer.
  constexpr std::size_t beyond_any_buffer = 8u << 20;
  int probe = 0;
  while (!flood_done.load() || (!dropped && threshold && ms_since(*threshold) < 6000)) {
    const std::string text = "probe " + std::to_string(probe++);
    sent[text] = Clock::now();
    EXPECT_EQ(prober->send("issue.post", text_args(text)).type(), "ack");
    if (!threshold && flooded_bytes.load() >= beyond_any_buffer) threshold = Clock::now();
    if (!dropped && metric(server.port(), "renkei_slow_clients_dropped_total") >= 1)
      dropped = Clock::now();
    std::this_thread::sleep_for(Millis(100));
  }
  flood.join();
  EXPECT_EQ(flood_failure, "");
  // Every probe reached the witness.
  const std::string last_probe = "probe " + std::to_string(probe - 1);
  EXPECT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return arrived.count(last_probe) > 0;
  }));
  stop = true;
  reader.join();

  ASSERT_TRUE(threshold) << "the flood never passed " << beyond_any_buffer << " bytes";
  ASSERT_TRUE(dropped) << "the stalled reader was never dropped";
  const auto drop_delay = std::chrono::duration_cast<Millis>(*dropped - *threshold).count();
  std::cout << "[          ] stalled reader dropped " << drop_delay
            << " ms after the output passed 8 MiB\n";
  EXPECT_LE(drop_delay, 5000) << "the stalled reader was not closed within 5 s";

  std::vector<std::int64_t> latencies;
  for (const auto& [text, at] : sent) {
    auto it = arrived.find(text);
    if (it == arrived.end()) {
      ADD_FAILURE() << text << " never reached the witness";
      continue;
    }
    latencies.push_back(std::chrono::duration_cast<Millis>(it->second - at).count());
  }
  ASSERT_FALSE(latencies.empty());
  std::sort(latencies.begin(), latencies.end());
  const auto median = latencies[latencies.size() / 2];
  const auto worst = latencies.back();
  std::cout << "[          ] " << latencies.size() << " probes during the flood: median " << median
            << " ms, worst " << worst << " ms\n";
  EXPECT_LT(median, 500) << "another client's events were slowed by the stalled one";
  EXPECT_LT(worst, 3000);

  // The stalled socket finds the end of its connection once it reads.
  EXPECT_TRUE(stalled.time_until_closed(Millis(20000)).has_value());
  EXPECT_LT(stalled.received().size(), 8u << 20);
}

// --- oversized frame ---------------------------------------------------------------------

class FrameLimitTest : public IntegrationTest {};

TEST_F(FrameLimitTest, OversizedCommandChangesNothingAndOthersGoOn) {
  const Credentials sato_c = member("佐藤 恵子", "北広島町");
  auto sato = join(sato_c);
  WsClient offender(server.port());
  offender.hello(facilitator.token, facilitator.council);
  // A well-formed command whose frame is one byte over 64 KiB.
  const std::string prefix = R"({"type":"cmd","id":"huge","op":"issue.post","args":{"text":")";
  const std::string suffix = R"("}})";
  const std::string frame =
      prefix + std::string(64 * 1024 + 1 - prefix.size() - suffix.size(), 'a') + suffix;
  ASSERT_EQ(frame.size(), 64u * 1024 + 1);
  offender.send_text(frame);
  Frame error = offender.expect();
  EXPECT_EQ(error.str("code"), "too_large") << error.text;
  EXPECT_EQ(offender.wait_closed(), std::optional<std::uint16_t>(1009));
  // Nothing was decided; the other connection goes on.
  EXPECT_EQ(sato->ok("issue.post", text_args("続けます")), 1u);
  EXPECT_EQ(sato->ws().events().size(), 1u);
}

// --- HTTP bodies ------------------------------------------------------------------------

class HttpBodyTest : public IntegrationTest {};

TEST_F(HttpBodyTest, BodyOver64KiBIs413) {
  auto over = http_request(server.port(), http::verb::post, "/api/logout", {},
                           std::string(64 * 1024 + 1, 'x'));
  EXPECT_EQ(over.result_int(), 413);
  auto get_over =
      http_request(server.port(), http::verb::get, "/healthz", {}, std::string(100 * 1024, 'x'));
  EXPECT_EQ(get_over.result_int(), 413);
  // Exactly 64 KiB is within the limit.
  auto at_limit =
      http_request(server.port(), http::verb::get, "/healthz", {}, std::string(64 * 1024, 'x'));
  EXPECT_EQ(at_limit.result_int(), 200);
  EXPECT_EQ(at_limit.body(), "ok");

  // A declared length over the limit is refused without waiting for it.
  RawSocket declared(server.port());
  declared.send("POST /api/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n");
  declared.read_for(Millis(2000));
  EXPECT_EQ(declared.received().rfind("HTTP/1.1 413", 0), 0u) << declared.received();
  // So is a chunked body that grows past it.
  RawSocket chunked(server.port());
  std::string request =
      "POST /api/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) request += "1000\r\n" + std::string(0x1000, 'y') + "\r\n";
  request += "0\r\n\r\n";
  chunked.send(request);
  chunked.read_for(Millis(2000));
  EXPECT_EQ(chunked.received().rfind("HTTP/1.1 413", 0), 0u) << chunked.received().substr(0, 200);
}

// --- request-head timeout (slowloris) ----------------------------------------------------

class HeaderTimeoutTest : public IntegrationTest {
 protected:
  HeaderTimeoutTest() : IntegrationTest({"--header-timeout-ms", "1000"}) {}
};

TEST_F(HeaderTimeoutTest, PartialRequestHeadIsClosedAfterTheTimeout) {
  RawSocket partial(server.port());
  ASSERT_TRUE(partial.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
  const auto closed = partial.time_until_closed(Millis(8000));
  ASSERT_TRUE(closed) << "a partial request head kept its connection for 8 s";
  std::cout << "[          ] partial head closed after " << closed->count() << " ms\n";
  EXPECT_GE(closed->count(), 800);
  EXPECT_LE(closed->count(), 4000);
  EXPECT_EQ(partial.received().find("200"), std::string::npos);
}

TEST_F(HeaderTimeoutTest, TricklingTheHeadDoesNotExtendTheDeadline) {
  RawSocket slow(server.port());
  const auto started = Clock::now();
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaa";
  std::optional<std::int64_t> closed_after;
  for (std::size_t i = 0; i < head.size() * 10 && ms_since(started) < 8000; ++i) {
    if (!slow.send(std::string(1, head[i % head.size()])) || !slow.read_for(Millis(100))) {
      closed_after = ms_since(started);
      break;
    }
  }
  ASSERT_TRUE(closed_after) << "a byte every 100 ms kept the connection open for 8 s";
  std::cout << "[          ] trickled head closed after " << *closed_after << " ms\n";
  EXPECT_GE(*closed_after, 800);
  EXPECT_LE(*closed_after, 4000);
}

TEST_F(HeaderTimeoutTest, SilentAndIdleKeepAliveConnectionsAreClosedCompleteRequestsAnswered) {
  RawSocket silent(server.port());
  const auto silent_closed = silent.time_until_closed(Millis(8000));
  ASSERT_TRUE(silent_closed);
  EXPECT_LE(silent_closed->count(), 4000);

  RawSocket keep_alive(server.port());
  keep_alive.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const auto idle_closed = keep_alive.time_until_closed(Millis(8000));
  ASSERT_TRUE(idle_closed);
  EXPECT_EQ(keep_alive.received().rfind("HTTP/1.1 200", 0), 0u) << keep_alive.received();
  EXPECT_LE(idle_closed->count(), 4000);
}

// The documented default: 10 s.
class DefaultHeaderTimeoutTest : public IntegrationTest {};

TEST_F(DefaultHeaderTimeoutTest, PartialRequestHeadIsClosedAfterTenSeconds) {
  RawSocket partial(server.port());
  ASSERT_TRUE(partial.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  const auto closed = partial.time_until_closed(Millis(15000));
  ASSERT_TRUE(closed) << "a partial request head kept its connection for 15 s";
  EXPECT_GE(closed->count(), 9500);
  EXPECT_LE(closed->count(), 13000);
}

// --- WebSocket handshake and idle timeouts -----------------------------------------------

class WebSocketTimeoutTest : public IntegrationTest {
 protected:
  WebSocketTimeoutTest()
      : IntegrationTest({"--handshake-timeout-ms", "1000", "--idle-timeout-ms", "1000"}) {}
};

TEST_F(WebSocketTimeoutTest, PeerThatNeverAnswersTheCloseIsCutOff) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  // Anything but hello: error, then the server's close frame (4400); this
  // peer never answers it.
  const auto started = Clock::now();
  ASSERT_TRUE(socket.send(masked_text_frame(R"({"type":"cmd","id":"x","op":"issue.post"})")));
  const auto closed = socket.time_until_closed(Millis(8000));
  ASSERT_TRUE(closed) << "the server waited more than 8 s for a close reply";
  std::cout << "[          ] unanswered close cut off after " << ms_since(started) << " ms\n";
  EXPECT_LE(ms_since(started), 4000);
  EXPECT_NE(socket.received().find("bad_request"), std::string::npos);
  EXPECT_NE(socket.received().find('\x88'), std::string::npos) << "no close frame";
}

TEST_F(WebSocketTimeoutTest, SilentPeerIsClosedLivePeerIsKeptByPings) {
  RawSocket silent(server.port());
  raw_upgrade(silent, server.port());
  const auto closed = silent.time_until_closed(Millis(8000));
  ASSERT_TRUE(closed) << "a peer that never answers pings stayed open 8 s";
  std::cout << "[          ] silent WebSocket closed after " << closed->count() << " ms\n";
  EXPECT_GE(closed->count(), 500);
  EXPECT_LE(closed->count(), 4000);
  EXPECT_NE(silent.received().find('\x89'), std::string::npos) << "no ping before closing";

  // A client that answers pings (Beast does) survives three idle timeouts.
  WsClient live(server.port());
  live.hello(facilitator.token, facilitator.council);
  std::this_thread::sleep_for(Millis(3000));
  EXPECT_FALSE(live.is_closed());
  EXPECT_EQ(live.command("still-here", "issue.post", text_args("まだいます")).type(), "ack");
}

}  // namespace
}  // namespace renkei::it
