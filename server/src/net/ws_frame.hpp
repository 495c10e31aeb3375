// WebSocket frames (RFC 6455) as the server reads and writes them: an
// incremental parser of client frames and the writers of server frames.
//
// The parser has no I/O and no Boost: bytes go in as they arrive (any
// split), events come out. It checks what a server must check: client
// frames are masked, RSV bits are 0 (no extension is negotiated), opcodes
// are known, control frames are short and unfragmented, continuation frames
// continue a message, lengths use their shortest encoding, text is UTF-8
// (across fragments and reads), and a message stays within the size limit.
//
// Memory: a frame that arrives whole in the input is unmasked in place and
// handed out as a view of the input, with no copy and no allocation; only a
// message split across reads or fragments is collected in the parser, and
// that storage is released after the message is delivered. An idle parser
// owns no heap memory.
//
// Threading: none of its own; one owner at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace renkei::net::ws {

// Close codes (RFC 6455 section 7.4.1).
inline constexpr std::uint16_t close_normal = 1000;
inline constexpr std::uint16_t close_protocol_error = 1002;
inline constexpr std::uint16_t close_unknown_data = 1003;  // binary: we accept text only
inline constexpr std::uint16_t close_no_status = 1005;     // never sent on the wire
inline constexpr std::uint16_t close_bad_payload = 1007;   // invalid UTF-8
inline constexpr std::uint16_t close_too_big = 1009;

// Incremental UTF-8 validation (shortest forms, no surrogates, <= U+10FFFF).
class Utf8Validator {
 public:
  // False at the first invalid byte (and from then on).
  bool feed(const unsigned char* data, std::size_t size);
  // True when no code point is left incomplete.
  bool complete() const { return need_ == 0; }
  void reset() { need_ = 0; }

 private:
  std::uint8_t need_ = 0;  // continuation bytes still expected
  std::uint8_t lower_ = 0x80;
  std::uint8_t upper_ = 0xBF;
};

class FrameParser {
 public:
  enum class Kind : std::uint8_t {
    need_more,  // every input byte was consumed
    text,       // a complete text message: payload
    ping,       // payload: the ping's application data (answer with a pong)
    pong,
    close,  // the peer's close: code (close_no_status if none), payload: reason
    // Close with `code`. The parser is dead() after a protocol violation;
    // after a binary or too large message it only skips data frames.
    error,
  };
  struct Event {
    Kind kind = Kind::need_more;
    std::uint16_t code = 0;
    // Valid until the next call to next() (it may point into the input).
    std::string_view payload;
  };

  // `max_message`: the largest text message accepted (all fragments); a
  // larger one is an error with close_too_big as soon as its size is known.
  explicit FrameParser(std::uint64_t max_message) : max_message_(max_message) {}

  // Consumes input up to and including the next event. `data`/`size` are
  // advanced past what was consumed; the input is unmasked in place.
  Event next(char*& data, std::size_t& size);

  // After the session sent its close: data frames are skipped unchecked;
  // control frames are still reported.
  void discard_data() {
    discard_ = true;
    release_message();
  }
  bool dead() const { return state_ == State::dead; }
  // Heap bytes held for a message in progress (for tests).
  std::size_t buffered() const { return heap_bytes(message_) + heap_bytes(control_); }

 private:
  enum class State : std::uint8_t { header, payload, dead };

  static std::size_t heap_bytes(const std::string& s) {
    return s.capacity() > std::string().capacity() ? s.capacity() : 0;
  }

  // The stream cannot be followed any further.
  Event fail(std::uint16_t code);
  // A well-formed frame the session refuses (binary, too large): the error
  // is reported, the frame and further data frames are skipped.
  Event skip_frame(std::uint16_t code);
  Event finish_control(std::string_view payload);
  void unmask(char* data, std::size_t size);
  void release_message();

  std::uint64_t max_message_;
  std::uint64_t remaining_ = 0;     // payload bytes of the current frame still to come
  std::uint64_t message_size_ = 0;  // bytes of the current message so far
  std::string message_;             // a message split across reads or fragments
  std::string control_;             // a control frame split across reads
  unsigned char header_[14];
  std::uint8_t header_size_ = 0;  // bytes of header_ received
  std::uint8_t opcode_ = 0;
  std::uint8_t mask_offset_ = 0;
  unsigned char mask_[4] = {};
  State state_ = State::header;
  bool fin_ = false;
  bool in_message_ = false;  // a fragmented text message is open
  bool discard_ = false;
  bool release_ = false;  // message_ was delivered; free it on the next call
  Utf8Validator utf8_;
};

// The header of an unmasked, unfragmented server frame with `opcode` and a
// payload of `size` bytes into `out` (at least 10 bytes); returns its size.
std::size_t write_frame_header(unsigned char* out, std::uint8_t opcode, std::uint64_t size);

inline constexpr std::uint8_t opcode_text = 0x1;
inline constexpr std::uint8_t opcode_close = 0x8;
inline constexpr std::uint8_t opcode_ping = 0x9;
inline constexpr std::uint8_t opcode_pong = 0xA;

// True for a close code an endpoint may send (RFC 6455 section 7.4).
bool valid_close_code(std::uint16_t code);

}  // namespace renkei::net::ws
