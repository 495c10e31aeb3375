// Fuzz target: the WebSocket frame parser (net/ws_frame.hpp), which reads
// every byte a client sends after the upgrade.
//
// Input layout: the first byte is a selector (low 6 bits + 1: the size of
// the pieces the rest is fed in; bit 6: start in discard mode; bit 7: a
// small message limit of 100 bytes instead of 64 KiB); the rest is the
// client's byte stream.
// Properties checked beyond "no crash, no UB, no leak":
//   - every call consumes input or reports an event, and need_more only
//     when the input is used up;
//   - feeding the stream in pieces gives the same events as feeding it
//     whole (the parser keeps no hidden dependence on read boundaries);
//   - a text message is valid UTF-8 and within the limit; a close code is
//     one an endpoint may send; nothing follows a fatal error;
//   - the parser holds no memory once a message is delivered.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "net/ws_frame.hpp"

namespace {

using renkei::net::ws::FrameParser;
using Kind = FrameParser::Kind;

struct Seen {
  Kind kind;
  std::uint16_t code;
  std::string payload;
  bool operator==(const Seen&) const = default;
};

bool utf8(const std::string& s) {
  renkei::net::ws::Utf8Validator v;
  return v.feed(reinterpret_cast<const unsigned char*>(s.data()), s.size()) && v.complete();
}

std::vector<Seen> run(std::string input, std::size_t step, bool discard, std::uint64_t max) {
  FrameParser parser(max);
  if (discard) parser.discard_data();
  std::vector<Seen> seen;
  std::size_t offset = 0;
  while (offset < input.size()) {
    const std::size_t n = std::min(step, input.size() - offset);
    char* data = input.data() + offset;
    std::size_t size = n;
    for (int guard = 0;; ++guard) {
      FUZZ_CHECK(guard <= static_cast<int>(n) + 2, "the parser made no progress");
      const std::size_t before = size;
      const bool dead_before = parser.dead();
      auto event = parser.next(data, size);
      FUZZ_CHECK(size <= before, "input grew");
      if (event.kind == Kind::need_more) {
        FUZZ_CHECK(size == 0, "need_more with input left");
        break;
      }
      FUZZ_CHECK(!dead_before, "an event after a fatal error");
      if (event.kind == Kind::text) {
        FUZZ_CHECK(!discard, "a message in discard mode");
        FUZZ_CHECK(event.payload.size() <= max, "a message over the limit");
      }
      seen.push_back(Seen{event.kind, event.code, std::string(event.payload)});
      if (event.kind == Kind::text) {
        FUZZ_CHECK(utf8(seen.back().payload), "a text message that is not UTF-8");
      }
      if (event.kind == Kind::close && event.code != renkei::net::ws::close_no_status) {
        FUZZ_CHECK(renkei::net::ws::valid_close_code(event.code), "an invalid close code");
      }
    }
    offset += n;
  }
  if (parser.buffered() > 0) {
    // Only a message (or control frame) still in progress holds memory.
    FUZZ_CHECK(!parser.dead(), "a dead parser holds memory");
  }
  return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t step = (data[0] & 0x3F) + 1;
  const bool discard = (data[0] & 0x40) != 0;
  const std::uint64_t max = (data[0] & 0x80) ? 100 : 64 * 1024;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto whole = run(input, input.size() + 1, discard, max);
  const auto pieces = run(input, step, discard, max);
  FUZZ_CHECK(whole == pieces, "split input gave other events");
  return 0;
}
