// The WebSocket frame parser: client frames split at every byte, masking,
// fragmentation with control frames in between, UTF-8 across fragments,
// lengths and the size limit, and every protocol violation a server must
// refuse.
#include "net/ws_frame.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace renkei::net::ws {
namespace {

using Kind = FrameParser::Kind;

// A client frame: masked with `key` unless `masked` is false.
std::string frame(
    std::uint8_t opcode, std::string_view payload, bool fin = true, bool masked = true,
    std::uint8_t rsv = 0,
    const unsigned char key[4] = reinterpret_cast<const unsigned char*>("\x12\x34\x56\x78")) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | opcode);
  const std::uint64_t n = payload.size();
  const char mask_bit = masked ? static_cast<char>(0x80) : 0;
  if (n < 126) {
    out += static_cast<char>(mask_bit | static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    out += static_cast<char>(mask_bit | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n);
  } else {
    out += static_cast<char>(mask_bit | 127);
    for (int i = 0; i < 8; ++i) out += static_cast<char>(n >> (56 - 8 * i));
  }
  if (!masked) return out + std::string(payload);
  out.append(reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    out += static_cast<char>(payload[i] ^ key[i % 4]);
  return out;
}

std::string text(std::string_view payload) { return frame(0x1, payload); }

struct Seen {
  Kind kind;
  std::uint16_t code;
  std::string payload;
  friend bool operator==(const Seen&, const Seen&) = default;
};

void PrintTo(const Seen& s, std::ostream* os) {
  *os << "{" << static_cast<int>(s.kind) << ", " << s.code << ", \"" << s.payload << "\"}";
}

// Feeds `input` in pieces of `step` bytes (0: all at once); the events.
std::vector<Seen> parse(const std::string& input, std::size_t step = 0,
                        std::uint64_t max = 64 * 1024) {
  FrameParser parser(max);
  std::vector<Seen> out;
  std::string copy = input;
  std::size_t offset = 0;
  while (offset < copy.size()) {
    std::size_t n = step == 0 ? copy.size() - offset : std::min(step, copy.size() - offset);
    char* data = copy.data() + offset;
    std::size_t size = n;
    for (;;) {
      auto event = parser.next(data, size);
      if (event.kind == Kind::need_more) break;
      out.push_back(Seen{event.kind, event.code, std::string(event.payload)});
    }
    EXPECT_EQ(size, 0u);
    offset += n;
  }
  return out;
}

// Every split of the input gives the same events.
std::vector<Seen> parse_all_ways(const std::string& input, std::uint64_t max = 64 * 1024) {
  const auto whole = parse(input, 0, max);
  for (std::size_t step : {1, 2, 3, 5, 7, 13}) EXPECT_EQ(parse(input, step, max), whole) << step;
  return whole;
}

TEST(FrameParser, MaskedTextFrameIsUnmasked) {
  EXPECT_EQ(parse_all_ways(text("hello, 会議")),
            (std::vector<Seen>{{Kind::text, 0, "hello, 会議"}}));
}

TEST(FrameParser, EmptyTextFrame) {
  EXPECT_EQ(parse_all_ways(text("")), (std::vector<Seen>{{Kind::text, 0, ""}}));
}

TEST(FrameParser, SixteenAndSixtyFourBitLengths) {
  const std::string medium(300, 'm');
  const std::string large(70000, 'L');
  EXPECT_EQ(parse_all_ways(text(medium) + text(large), 100000),
            (std::vector<Seen>{{Kind::text, 0, medium}, {Kind::text, 0, large}}));
}

TEST(FrameParser, SeveralFramesInOneRead) {
  EXPECT_EQ(parse(text("a") + text("bc") + frame(0x9, "p") + text("d")),
            (std::vector<Seen>{{Kind::text, 0, "a"},
                               {Kind::text, 0, "bc"},
                               {Kind::ping, 0, "p"},
                               {Kind::text, 0, "d"}}));
}

TEST(FrameParser, FragmentedMessageIsJoined) {
  const std::string input = frame(0x1, "frag", false) + frame(0x0, "men", false) +
                            frame(0x0, "", false) + frame(0x0, "ted");
  EXPECT_EQ(parse_all_ways(input), (std::vector<Seen>{{Kind::text, 0, "fragmented"}}));
}

TEST(FrameParser, ControlFramesBetweenFragments) {
  const std::string input = frame(0x1, "one ", false) + frame(0x9, "ping!") +
                            frame(0x0, "two ", false) + frame(0xA, "pong") + frame(0x0, "three");
  EXPECT_EQ(parse_all_ways(input), (std::vector<Seen>{{Kind::ping, 0, "ping!"},
                                                      {Kind::pong, 0, "pong"},
                                                      {Kind::text, 0, "one two three"}}));
}

TEST(FrameParser, CloseFrames) {
  EXPECT_EQ(parse_all_ways(frame(0x8, "")),
            (std::vector<Seen>{{Kind::close, close_no_status, ""}}));
  EXPECT_EQ(parse_all_ways(frame(0x8, std::string("\x03\xe8") + "bye")),
            (std::vector<Seen>{{Kind::close, 1000, "bye"}}));
  EXPECT_EQ(parse_all_ways(frame(0x8, "\x0f\xa0")),  // 4000: application code
            (std::vector<Seen>{{Kind::close, 4000, ""}}));
  // One byte of payload, a code that may not be sent, a reason that is not
  // UTF-8.
  EXPECT_EQ(parse(frame(0x8, "\x03")),
            (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}));
  EXPECT_EQ(parse(frame(0x8, "\x03\xed")),  // 1005
            (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}));
  EXPECT_EQ(parse(frame(0x8, "\x03\xe8\xff")),
            (std::vector<Seen>{{Kind::error, close_bad_payload, ""}}));
}

TEST(FrameParser, UnmaskedFrameIsProtocolError) {
  FrameParser parser(1024);
  std::string input = frame(0x1, "plain", true, false) + text("after");
  char* data = input.data();
  std::size_t size = input.size();
  auto event = parser.next(data, size);
  EXPECT_EQ(event.kind, Kind::error);
  EXPECT_EQ(event.code, close_protocol_error);
  EXPECT_TRUE(parser.dead());
  // A dead parser swallows the rest.
  EXPECT_EQ(parser.next(data, size).kind, Kind::need_more);
  EXPECT_EQ(size, 0u);
}

TEST(FrameParser, RsvBitsAreProtocolErrors) {
  for (std::uint8_t rsv : {1, 2, 4}) {
    EXPECT_EQ(parse(frame(0x1, "x", true, true, rsv)),
              (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}))
        << int(rsv);
  }
}

TEST(FrameParser, ReservedOpcodesAreProtocolErrors) {
  for (std::uint8_t opcode : {0x3, 0x7, 0xB, 0xF}) {
    EXPECT_EQ(parse(frame(opcode, "x")),
              (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}))
        << int(opcode);
  }
}

TEST(FrameParser, ControlFrameRules) {
  // Longer than 125 bytes.
  EXPECT_EQ(parse(frame(0x9, std::string(126, 'p'))),
            (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}));
  // 125 bytes is fine.
  EXPECT_EQ(parse_all_ways(frame(0x9, std::string(125, 'p'))),
            (std::vector<Seen>{{Kind::ping, 0, std::string(125, 'p')}}));
  // Fragmented.
  EXPECT_EQ(parse(frame(0x9, "p", false)),
            (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}));
}

TEST(FrameParser, FragmentationRules) {
  // A continuation with nothing to continue.
  EXPECT_EQ(parse(frame(0x0, "x")), (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}));
  // A new message before the last one ended.
  EXPECT_EQ(parse(frame(0x1, "a", false) + text("b")),
            (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}));
}

TEST(FrameParser, LengthsMustBeMinimal) {
  // 5 bytes announced with the 16-bit form.
  std::string bad16 = "\x81\xfe";
  bad16 += std::string("\x00\x05", 2) + "\x01\x02\x03\x04" + "hello";
  EXPECT_EQ(parse(bad16), (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}));
  // 200 bytes announced with the 64-bit form.
  std::string bad64 = "\x81\xff";
  bad64 += std::string("\x00\x00\x00\x00\x00\x00\x00\xc8", 8) + "\x01\x02\x03\x04";
  EXPECT_EQ(parse(bad64), (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}));
  // The most significant bit of a 64-bit length.
  std::string top = "\x81\xff";
  top += std::string("\x80\x00\x00\x00\x00\x00\x00\x01", 8) + "\x01\x02\x03\x04";
  EXPECT_EQ(parse(top), (std::vector<Seen>{{Kind::error, close_protocol_error, ""}}));
}

TEST(FrameParser, OversizedMessageIsRefusedFromItsHeaderAndSkipped) {
  // The limit counts all fragments; the rest of the offending frame and any
  // later data frames are skipped, while a close is still seen.
  const std::string input = frame(0x1, std::string(60, 'a'), false) +
                            frame(0x0, std::string(50, 'b')) + text("later") +
                            frame(0x8, "\x03\xe8");
  EXPECT_EQ(parse_all_ways(input, 100),
            (std::vector<Seen>{{Kind::error, close_too_big, ""}, {Kind::close, 1000, ""}}));
  // Exactly at the limit is fine.
  EXPECT_EQ(parse_all_ways(text(std::string(100, 'x')), 100),
            (std::vector<Seen>{{Kind::text, 0, std::string(100, 'x')}}));
  // A huge declared length is refused at once, without reading it.
  std::string huge = "\x81\xff";
  huge += std::string("\x00\x00\x10\x00\x00\x00\x00\x00", 8) + "\x01\x02\x03\x04";
  EXPECT_EQ(parse(huge), (std::vector<Seen>{{Kind::error, close_too_big, ""}}));
}

TEST(FrameParser, BinaryIsRefusedAndSkipped) {
  EXPECT_EQ(parse_all_ways(frame(0x2, "bin") + text("ignored") + frame(0x8, "")),
            (std::vector<Seen>{{Kind::error, close_unknown_data, ""},
                               {Kind::close, close_no_status, ""}}));
}

TEST(FrameParser, InvalidUtf8) {
  for (const std::string bad :
       {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe3\x81"}) {
    EXPECT_EQ(parse(text("ok " + bad)), (std::vector<Seen>{{Kind::error, close_bad_payload, ""}}))
        << testing::PrintToString(bad);
  }
}

TEST(FrameParser, Utf8SplitAcrossFragmentsIsValid) {
  // 会 = E4 BC 9A, split between fragments.
  const std::string input =
      frame(0x1, "\xe4", false) + frame(0x0, "\xbc", false) + frame(0x0, "\x9a");
  EXPECT_EQ(parse_all_ways(input), (std::vector<Seen>{{Kind::text, 0, "会"}}));
}

TEST(FrameParser, InvalidUtf8SplitAcrossFragmentsIsRefused) {
  // A truncated sequence at the end of the message.
  EXPECT_EQ(parse(frame(0x1, "ab\xe4", false) + frame(0x0, "\xbc")),
            (std::vector<Seen>{{Kind::error, close_bad_payload, ""}}));
  // An invalid continuation in the next fragment is refused at once,
  // before the message ends.
  EXPECT_EQ(parse(frame(0x1, "\xe4", false) + frame(0x0, "x", false)),
            (std::vector<Seen>{{Kind::error, close_bad_payload, ""}}));
}

TEST(FrameParser, DiscardModeSkipsDataButSeesClose) {
  FrameParser parser(1024);
  parser.discard_data();
  std::string input = text("skipped") + frame(0x1, "a", false) + frame(0x0, "b") + frame(0x9, "p") +
                      frame(0x8, "\x03\xe8");
  char* data = input.data();
  std::size_t size = input.size();
  auto ping = parser.next(data, size);
  EXPECT_EQ(ping.kind, Kind::ping);
  auto close = parser.next(data, size);
  EXPECT_EQ(close.kind, Kind::close);
  EXPECT_EQ(close.code, 1000);
}

TEST(FrameParser, IdleParserHoldsNoMemory) {
  FrameParser parser(1 << 20);
  std::string input =
      frame(0x1, std::string(5000, 'a'), false) + frame(0x0, std::string(5000, 'b'));
  char* data = input.data();
  std::size_t size = input.size();
  auto event = parser.next(data, size);
  ASSERT_EQ(event.kind, Kind::text);
  EXPECT_EQ(event.payload.size(), 10000u);
  EXPECT_EQ(parser.next(data, size).kind, Kind::need_more);
  EXPECT_EQ(parser.buffered(), 0u);
}

TEST(Utf8Validator, AcceptsAndRefuses) {
  auto valid = [](std::string_view s) {
    Utf8Validator v;
    return v.feed(reinterpret_cast<const unsigned char*>(s.data()), s.size()) && v.complete();
  };
  EXPECT_TRUE(valid("plain ASCII that is longer than eight bytes"));
  EXPECT_TRUE(valid("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"));
  EXPECT_FALSE(valid("\x80"));
  EXPECT_FALSE(valid("\xc1\xbf"));          // overlong
  EXPECT_FALSE(valid("\xe0\x9f\xbf"));      // overlong
  EXPECT_FALSE(valid("\xf0\x8f\xbf\xbf"));  // overlong
  EXPECT_FALSE(valid("\xf5\x80\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(valid("\xed\xbf\xbf"));      // surrogate
}

TEST(FrameHeader, ServerFrameHeaders) {
  unsigned char h[10];
  EXPECT_EQ(write_frame_header(h, opcode_text, 5), 2u);
  EXPECT_EQ(h[0], 0x81);
  EXPECT_EQ(h[1], 5);
  EXPECT_EQ(write_frame_header(h, opcode_close, 126), 4u);
  EXPECT_EQ(h[0], 0x88);
  EXPECT_EQ(h[1], 126);
  EXPECT_EQ(h[3], 126);
  EXPECT_EQ(write_frame_header(h, opcode_text, 65536), 10u);
  EXPECT_EQ(h[1], 127);
  EXPECT_EQ(h[7], 1);
}

}  // namespace
}  // namespace renkei::net::ws
