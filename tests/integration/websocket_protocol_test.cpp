// The server's WebSocket protocol over real sockets, byte by byte (RFC 6455):
// the upgrade and its refusals, ping/pong, the close handshake, fragmented
// messages with control frames in between, invalid UTF-8 and masking, and
// the idle timeout of a joined client that stops answering.
#include <optional>
#include <string>
#include <vector>

#include "trust_support.hpp"

namespace renkei::it {
namespace {

using Clock = std::chrono::steady_clock;

// A masked client frame.
std::string client_frame(std::uint8_t opcode, const std::string& payload, bool fin = true,
                         bool masked = true) {
  std::string frame;
  frame += static_cast<char>((fin ? 0x80 : 0) | opcode);
  const std::size_t n = payload.size();
  const char mask_bit = masked ? static_cast<char>(0x80) : 0;
  if (n < 126) {
    frame += static_cast<char>(mask_bit | static_cast<char>(n));
  } else if (n < 65536) {
    frame += static_cast<char>(mask_bit | 126);
    frame += static_cast<char>((n >> 8) & 0xff);
    frame += static_cast<char>(n & 0xff);
  } else {
    frame += static_cast<char>(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((n >> shift) & 0xff);
  }
  if (!masked) return frame + payload;
  const unsigned char mask[4] = {0xa1, 0xb2, 0xc3, 0xd4};
  for (unsigned char m : mask) frame += static_cast<char>(m);
  for (std::size_t i = 0; i < n; ++i)
    frame += static_cast<char>(static_cast<unsigned char>(payload[i]) ^ mask[i % 4]);
  return frame;
}

struct ServerFrame {
  std::uint8_t opcode;
  std::string payload;
  std::uint16_t close_code() const {
    if (payload.size() < 2) return 1005;
    return static_cast<std::uint16_t>(static_cast<unsigned char>(payload[0]) << 8 |
                                      static_cast<unsigned char>(payload[1]));
  }
};

// The server frames after the 101 response head in `bytes` (complete ones).
std::vector<ServerFrame> server_frames(const std::string& bytes) {
  std::vector<ServerFrame> frames;
  std::size_t pos = bytes.find("\r\n\r\n");
  if (pos == std::string::npos) return frames;
  pos += 4;
  for (;;) {
    if (bytes.size() - pos < 2) break;
    const auto b0 = static_cast<unsigned char>(bytes[pos]);
    const auto b1 = static_cast<unsigned char>(bytes[pos + 1]);
    EXPECT_EQ(b1 & 0x80, 0) << "a masked server frame";
    EXPECT_TRUE(b0 & 0x80) << "a fragmented server frame";
    std::size_t header = 2;
    std::uint64_t n = b1 & 0x7F;
    if (n == 126) {
      if (bytes.size() - pos < 4) break;
      n = static_cast<unsigned char>(bytes[pos + 2]) << 8 |
          static_cast<unsigned char>(bytes[pos + 3]);
      header = 4;
    } else if (n == 127) {
      if (bytes.size() - pos < 10) break;
      n = 0;
      for (int i = 0; i < 8; ++i) n = n << 8 | static_cast<unsigned char>(bytes[pos + 2 + i]);
      header = 10;
    }
    if (bytes.size() - pos < header + n) break;
    frames.push_back(ServerFrame{static_cast<std::uint8_t>(b0 & 0x0F),
                                 bytes.substr(pos + header, static_cast<std::size_t>(n))});
    pos += header + static_cast<std::size_t>(n);
  }
  return frames;
}

// Reads until a frame satisfying `match` arrived (or the time is up).
template <class Match>
std::optional<ServerFrame> wait_frame(RawSocket& socket, Match match,
                                      Millis timeout = Millis(5000)) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    for (const auto& frame : server_frames(socket.received()))
      if (match(frame)) return frame;
    if (Clock::now() >= deadline) return std::nullopt;
    if (!socket.read_for(Millis(20))) {
      for (const auto& frame : server_frames(socket.received()))
        if (match(frame)) return frame;
      return std::nullopt;
    }
  }
}

std::optional<ServerFrame> wait_opcode(RawSocket& socket, std::uint8_t opcode) {
  return wait_frame(socket, [&](const ServerFrame& f) { return f.opcode == opcode; });
}

// The code of the server's close frame, or nullopt when none came.
std::optional<std::uint16_t> wait_close_code(RawSocket& socket) {
  auto close = wait_opcode(socket, 0x8);
  if (!close) return std::nullopt;
  return close->close_code();
}

std::optional<ServerFrame> wait_text(RawSocket& socket, const std::string& part) {
  return wait_frame(socket, [&](const ServerFrame& f) {
    return f.opcode == 0x1 && f.payload.find(part) != std::string::npos;
  });
}

std::string upgrade_request(std::uint16_t port, const std::string& key,
                            const std::string& version = "13") {
  return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: " + version +
         "\r\nSec-WebSocket-Key: " + key + "\r\n\r\n";
}

// Each test runs with one I/O thread and with three: with several, a
// connection reads into a small buffer of its own first (net/
// websocket_session.cpp, do_read), so frames are split across reads
// differently.
class WebSocketProtocolTest : public IntegrationTest, public ::testing::WithParamInterface<int> {
 protected:
  WebSocketProtocolTest() : IntegrationTest({"--threads", std::to_string(GetParam())}) {}
  std::string hello_json() const {
    return R"({"type":"hello","token":")" + facilitator.token + R"(","council":")" +
           facilitator.council + R"("})";
  }
};

TEST_P(WebSocketProtocolTest, UpgradeAnswersTheAcceptKey) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  // RFC 6455 section 1.3's example key and answer.
  EXPECT_NE(socket.received().find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
            std::string::npos)
      << socket.received();
  EXPECT_NE(socket.received().find("Server: renkei\r\n"), std::string::npos);
  EXPECT_EQ(socket.received().find("Sec-WebSocket-Extensions"), std::string::npos)
      << "no extension is negotiated";
}

// A client may send its first frames right after the upgrade request,
// without waiting for 101: bytes that arrive in the same read as the
// request are the WebSocket's.
TEST_P(WebSocketProtocolTest, FramesSentWithTheUpgradeRequestAreHandled) {
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send(upgrade_request(server.port(), "dGhlIHNhbXBsZSBub25jZQ==") +
                          client_frame(0x1, hello_json()) +
                          client_frame(0x1, R"({"type":"ping"})")));
  auto welcome = wait_text(socket, "\"welcome\"");
  ASSERT_TRUE(welcome) << socket.received();
  EXPECT_EQ(socket.received().rfind("HTTP/1.1 101", 0), 0u) << socket.received();
  EXPECT_TRUE(wait_text(socket, "\"synced\""));
  EXPECT_TRUE(wait_text(socket, "\"pong\"")) << "the frame after hello was lost";
}

TEST_P(WebSocketProtocolTest, BadKeyIs400OtherVersionIs426) {
  {
    RawSocket socket(server.port());
    socket.send(upgrade_request(server.port(), "short"));
    ASSERT_TRUE(socket.time_until_closed(Millis(5000)));
    EXPECT_EQ(socket.received().rfind("HTTP/1.1 400", 0), 0u) << socket.received();
  }
  {
    RawSocket socket(server.port());
    socket.send(upgrade_request(server.port(), "dGhlIHNhbXBsZSBub25jZQ==", "8"));
    ASSERT_TRUE(socket.time_until_closed(Millis(5000)));
    EXPECT_EQ(socket.received().rfind("HTTP/1.1 426", 0), 0u) << socket.received();
    EXPECT_NE(socket.received().find("Sec-WebSocket-Version: 13\r\n"), std::string::npos);
  }
}

TEST_P(WebSocketProtocolTest, PingIsAnsweredWithItsPayload) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  ASSERT_TRUE(socket.send(client_frame(0x9, "are you there?")));
  auto pong = wait_opcode(socket, 0xA);
  ASSERT_TRUE(pong) << "no pong";
  EXPECT_EQ(pong->payload, "are you there?");
}

TEST_P(WebSocketProtocolTest, CloseIsEchoedAndTheConnectionEnds) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  ASSERT_TRUE(socket.send(client_frame(0x1, hello_json())));
  ASSERT_TRUE(wait_text(socket, "\"synced\""));
  ASSERT_TRUE(socket.send(client_frame(0x8, std::string("\x0f\xa0", 2) + "bye")));
  const auto closed = socket.time_until_closed(Millis(5000));
  ASSERT_TRUE(closed) << "the server kept the connection after the close handshake";
  EXPECT_EQ(wait_close_code(socket), 4000);
}

TEST_P(WebSocketProtocolTest, ServerCloseWaitsForThePeersClose) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  // Not a hello: the server sends an error and closes with 4400.
  ASSERT_TRUE(socket.send(client_frame(0x1, R"({"type":"cmd","id":"x","op":"issue.post"})")));
  EXPECT_EQ(wait_close_code(socket), 4400);
  // Data frames after the close are ignored; the peer's close ends it.
  ASSERT_TRUE(socket.send(client_frame(0x1, hello_json())));
  ASSERT_TRUE(socket.send(client_frame(0x8, std::string("\x0f\xa0", 2))));
  const auto closed = socket.time_until_closed(Millis(3000));
  EXPECT_TRUE(closed);
  for (const auto& frame : server_frames(socket.received()))
    EXPECT_EQ(frame.payload.find("welcome"), std::string::npos);
}

TEST_P(WebSocketProtocolTest, FragmentedMessagesWithControlFramesBetween) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  const std::string hello = hello_json();
  const std::string cmd =
      R"({"type":"cmd","id":"frag","op":"issue.post","args":{"text":"分割された発言"}})";
  // The hello in three fragments with a ping between; the command split in
  // the middle of a UTF-8 sequence (分 = E5 88 86), each byte of the
  // stream written separately.
  const std::size_t cut = cmd.find("分") + 1;
  const std::string stream =
      client_frame(0x1, hello.substr(0, 10), false) + client_frame(0x9, "mid") +
      client_frame(0x0, hello.substr(10, 20), false) + client_frame(0x0, hello.substr(30)) +
      client_frame(0x1, cmd.substr(0, cut), false) + client_frame(0xA, "") +
      client_frame(0x0, cmd.substr(cut));
  for (char c : stream) ASSERT_TRUE(socket.send(std::string(1, c)));
  auto pong = wait_opcode(socket, 0xA);
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->payload, "mid");
  auto ack = wait_text(socket, "\"ack\"");
  ASSERT_TRUE(ack) << socket.received();
  EXPECT_NE(ack->payload.find("\"frag\""), std::string::npos);
  EXPECT_TRUE(wait_text(socket, "分割された発言"));
}

TEST_P(WebSocketProtocolTest, HelloAndCommandsInOnePacket) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  std::string burst = client_frame(0x1, hello_json());
  for (int i = 0; i < 3; ++i)
    burst += client_frame(0x1, R"({"type":"cmd","id":"p)" + std::to_string(i) +
                                   R"(","op":"issue.post","args":{"text":"一緒に)" +
                                   std::to_string(i) + R"("}})");
  ASSERT_TRUE(socket.send(burst));
  // Commands wait for the welcome; every one is answered.
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(wait_text(socket, "\"id\":\"p" + std::to_string(i) + "\"")) << i;
  const auto& received = socket.received();
  EXPECT_LT(received.find("welcome"), received.find("\"p0\""));
}

// The application heartbeat (extension): a ping after the hello is answered
// with a pong and changes nothing; a ping before the hello is like any other
// message before it (bad_request, close 4400).
TEST_P(WebSocketProtocolTest, AppPingAfterHelloIsAnsweredWithPong) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  ASSERT_TRUE(
      socket.send(client_frame(0x1, hello_json()) + client_frame(0x1, R"({"type":"ping"})")));
  const auto pong = wait_text(socket, R"({"type":"pong"})");
  ASSERT_TRUE(pong) << socket.received();
  EXPECT_LT(socket.received().find("synced"), socket.received().find("pong"));
  // Still open and usable; no error was sent for the ping.
  ASSERT_TRUE(socket.send(client_frame(
      0x1, R"({"type":"cmd","id":"after-ping","op":"issue.post","args":{"text":"鼓動の後"}})")));
  EXPECT_TRUE(wait_text(socket, "\"after-ping\""));
  EXPECT_EQ(socket.received().find("\"error\""), std::string::npos) << socket.received();

  RawSocket early(server.port());
  raw_upgrade(early, server.port());
  ASSERT_TRUE(early.send(client_frame(0x1, R"({"type":"ping"})")));
  EXPECT_EQ(wait_close_code(early), 4400);
}

TEST_P(WebSocketProtocolTest, InvalidUtf8AcrossFragmentsIsClosed1007) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  ASSERT_TRUE(socket.send(client_frame(0x1, hello_json())));
  ASSERT_TRUE(wait_text(socket, "\"synced\""));
  // E3 81 then a byte that cannot continue it, in the next fragment.
  ASSERT_TRUE(socket.send(client_frame(0x1, "{\"x\":\"\xe3\x81", false)));
  ASSERT_TRUE(socket.send(client_frame(0x0, "A\"}")));
  EXPECT_EQ(wait_close_code(socket), 1007);
  EXPECT_TRUE(socket.time_until_closed(Millis(15000)));
}

TEST_P(WebSocketProtocolTest, UnmaskedFrameIsClosed1002) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  ASSERT_TRUE(socket.send(client_frame(0x1, hello_json(), true, false)));
  EXPECT_EQ(wait_close_code(socket), 1002);
  // The server half-closes after its close frame; the peer's end finishes it.
  EXPECT_TRUE(socket.time_until_closed(Millis(5000)));
}

TEST_P(WebSocketProtocolTest, OversizedFragmentedMessageIsTooLarge) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  ASSERT_TRUE(socket.send(client_frame(0x1, hello_json())));
  ASSERT_TRUE(wait_text(socket, "\"synced\""));
  // 40 KiB + 40 KiB in two fragments: over the 64 KiB limit in total.
  ASSERT_TRUE(socket.send(client_frame(0x1, std::string(40 * 1024, ' '), false)));
  ASSERT_TRUE(socket.send(client_frame(0x0, std::string(40 * 1024, ' '))));
  EXPECT_TRUE(wait_text(socket, "too_large"));
  EXPECT_EQ(wait_close_code(socket), 1009);
}

INSTANTIATE_TEST_SUITE_P(IoThreads, WebSocketProtocolTest, ::testing::Values(1, 3),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::to_string(info.param) + "IoThreads";
                         });

class WebSocketIdleTest : public IntegrationTest {
 protected:
  WebSocketIdleTest()
      : IntegrationTest({"--handshake-timeout-ms", "1000", "--idle-timeout-ms", "1000"}) {}
};

TEST_F(WebSocketIdleTest, JoinedClientThatStopsAnsweringIsClosed) {
  RawSocket socket(server.port());
  raw_upgrade(socket, server.port());
  ASSERT_TRUE(
      socket.send(client_frame(0x1, R"({"type":"hello","token":")" + facilitator.token +
                                        R"(","council":")" + facilitator.council + R"("})")));
  ASSERT_TRUE(wait_text(socket, "\"synced\""));
  // Answering the first ping keeps it open past the first timeout ...
  auto ping = wait_opcode(socket, 0x9);
  ASSERT_TRUE(ping);
  ASSERT_TRUE(socket.send(client_frame(0xA, ping->payload)));
  const auto started = Clock::now();
  // ... then silence closes it within about one idle timeout.
  const auto closed = socket.time_until_closed(Millis(8000));
  ASSERT_TRUE(closed) << "a silent joined client stayed open";
  const auto elapsed = std::chrono::duration_cast<Millis>(Clock::now() - started).count();
  std::cout << "[          ] silent joined client closed " << elapsed << " ms after its pong\n";
  EXPECT_GE(elapsed, 700);
  EXPECT_LE(elapsed, 4000);
}

}  // namespace
}  // namespace renkei::it
