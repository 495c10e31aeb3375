#include "net/ws_frame.hpp"

#include <algorithm>
#include <cstring>

namespace renkei::net::ws {

bool Utf8Validator::feed(const unsigned char* p, std::size_t size) {
  const unsigned char* end = p + size;
  while (p < end) {
    if (need_ == 0) {
      // ASCII runs, eight bytes at a time.
      while (end - p >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        if (word & 0x8080808080808080ull) break;
        p += 8;
      }
      if (p == end) break;
      const unsigned char b = *p++;
      if (b < 0x80) continue;
      lower_ = 0x80;
      upper_ = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        need_ = 1;
      } else if (b == 0xE0) {
        need_ = 2;
        lower_ = 0xA0;  // no overlong forms
      } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
        need_ = 2;
      } else if (b == 0xED) {
        need_ = 2;
        upper_ = 0x9F;  // no surrogates
      } else if (b == 0xF0) {
        need_ = 3;
        lower_ = 0x90;
      } else if (b >= 0xF1 && b <= 0xF3) {
        need_ = 3;
      } else if (b == 0xF4) {
        need_ = 3;
        upper_ = 0x8F;  // <= U+10FFFF
      } else {
        need_ = 0xFF;  // invalid from now on
        return false;
      }
    } else {
      if (need_ == 0xFF) return false;
      const unsigned char b = *p++;
      if (b < lower_ || b > upper_) {
        need_ = 0xFF;
        return false;
      }
      --need_;
      lower_ = 0x80;
      upper_ = 0xBF;
    }
  }
  return need_ != 0xFF;
}

bool valid_close_code(std::uint16_t code) {
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}

std::size_t write_frame_header(unsigned char* out, std::uint8_t opcode, std::uint64_t size) {
  out[0] = static_cast<unsigned char>(0x80 | opcode);  // FIN
  if (size < 126) {
    out[1] = static_cast<unsigned char>(size);
    return 2;
  }
  if (size <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<unsigned char>(size >> 8);
    out[3] = static_cast<unsigned char>(size);
    return 4;
  }
  out[1] = 127;
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<unsigned char>(size >> (56 - 8 * i));
  return 10;
}

FrameParser::Event FrameParser::fail(std::uint16_t code) {
  state_ = State::dead;
  release_message();
  std::string().swap(control_);
  return Event{Kind::error, code, {}};
}

FrameParser::Event FrameParser::skip_frame(std::uint16_t code) {
  discard_data();
  in_message_ = !fin_;
  state_ = State::payload;
  header_size_ = 0;
  return Event{Kind::error, code, {}};
}

void FrameParser::release_message() {
  std::string().swap(message_);
  release_ = false;
}

void FrameParser::unmask(char* data, std::size_t size) {
  std::size_t i = 0;
  // Byte by byte up to a key boundary, then eight bytes at a time.
  for (; i < size && mask_offset_ != 0; ++i) {
    data[i] = static_cast<char>(data[i] ^ mask_[mask_offset_]);
    mask_offset_ = (mask_offset_ + 1) & 3;
  }
  if (size - i >= 8) {
    std::uint64_t key;
    unsigned char k8[8] = {mask_[0], mask_[1], mask_[2], mask_[3],
                           mask_[0], mask_[1], mask_[2], mask_[3]};
    std::memcpy(&key, k8, 8);
    for (; size - i >= 8; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, data + i, 8);
      word ^= key;
      std::memcpy(data + i, &word, 8);
    }
  }
  for (; i < size; ++i) {
    data[i] = static_cast<char>(data[i] ^ mask_[mask_offset_]);
    mask_offset_ = (mask_offset_ + 1) & 3;
  }
}

FrameParser::Event FrameParser::finish_control(std::string_view payload) {
  state_ = State::header;
  header_size_ = 0;
  Event event{Kind::pong, 0, payload};
  if (opcode_ == opcode_ping) {
    event.kind = Kind::ping;
  } else if (opcode_ == opcode_close) {
    event.kind = Kind::close;
    if (payload.empty()) {
      event.code = close_no_status;
    } else if (payload.size() == 1) {
      return fail(close_protocol_error);
    } else {
      event.code = static_cast<std::uint16_t>(static_cast<unsigned char>(payload[0]) << 8 |
                                              static_cast<unsigned char>(payload[1]));
      if (!valid_close_code(event.code)) return fail(close_protocol_error);
      event.payload = payload.substr(2);
      Utf8Validator reason;
      if (!reason.feed(reinterpret_cast<const unsigned char*>(event.payload.data()),
                       event.payload.size()) ||
          !reason.complete())
        return fail(close_bad_payload);
    }
  }
  return event;
}

FrameParser::Event FrameParser::next(char*& data, std::size_t& size) {
  if (release_) release_message();
  if (!control_.empty() && state_ == State::header) std::string().swap(control_);
  for (;;) {
    if (state_ == State::dead) {
      data += size;
      size = 0;
      return {};
    }
    if (state_ == State::header) {
      // The first two bytes tell how long the header is.
      std::size_t need = 2;
      if (header_size_ >= 2) {
        const unsigned len7 = header_[1] & 0x7F;
        need += (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((header_[1] & 0x80) ? 4 : 0);
      }
      if (header_size_ < need) {
        if (size == 0) return {};
        const std::size_t n = std::min<std::size_t>(need - header_size_, size);
        std::memcpy(header_ + header_size_, data, n);
        header_size_ = static_cast<std::uint8_t>(header_size_ + n);
        data += n;
        size -= n;
        continue;  // recompute `need` once the second byte is in
      }
      const unsigned char b0 = header_[0];
      const unsigned char b1 = header_[1];
      if (b0 & 0x70) return fail(close_protocol_error);     // RSV1-3: no extension
      if (!(b1 & 0x80)) return fail(close_protocol_error);  // client frames are masked
      fin_ = (b0 & 0x80) != 0;
      opcode_ = b0 & 0x0F;
      const unsigned len7 = b1 & 0x7F;
      std::uint64_t length = len7;
      std::size_t pos = 2;
      if (len7 == 126) {
        length = static_cast<std::uint64_t>(header_[2]) << 8 | header_[3];
        if (length < 126) return fail(close_protocol_error);
        pos = 4;
      } else if (len7 == 127) {
        length = 0;
        for (int i = 0; i < 8; ++i) length = length << 8 | header_[2 + i];
        if (length >> 63 || length <= 0xFFFF) return fail(close_protocol_error);
        pos = 10;
      }
      std::memcpy(mask_, header_ + pos, 4);
      mask_offset_ = 0;
      remaining_ = length;
      const bool control = (opcode_ & 0x8) != 0;
      if (control) {
        if (opcode_ != opcode_close && opcode_ != opcode_ping && opcode_ != opcode_pong)
          return fail(close_protocol_error);
        if (!fin_ || length > 125) return fail(close_protocol_error);
      } else {
        if (opcode_ > 0x2) return fail(close_protocol_error);
        if (opcode_ == 0 && !in_message_) return fail(close_protocol_error);
        if (opcode_ != 0 && in_message_) return fail(close_protocol_error);
        if (!discard_) {
          if (opcode_ == 0x2) return skip_frame(close_unknown_data);
          if (opcode_ == opcode_text) {
            message_size_ = 0;
            utf8_.reset();
          }
          if (length > max_message_ - message_size_) return skip_frame(close_too_big);
          message_size_ += length;
        }
        in_message_ = !fin_;
      }
      state_ = State::payload;
      header_size_ = 0;
    }

    // Payload.
    const bool control = (opcode_ & 0x8) != 0;
    if (control) {
      if (control_.empty() && remaining_ <= size) {
        const std::size_t n = static_cast<std::size_t>(remaining_);
        unmask(data, n);
        const std::string_view payload(data, n);
        data += n;
        size -= n;
        remaining_ = 0;
        return finish_control(payload);
      }
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size));
      unmask(data, n);
      control_.append(data, n);
      data += n;
      size -= n;
      remaining_ -= n;
      if (remaining_ > 0) return {};
      return finish_control(control_);
    }

    if (discard_) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size));
      data += n;
      size -= n;
      remaining_ -= n;
      if (remaining_ > 0) return {};
      state_ = State::header;
      continue;
    }

    // A whole unfragmented message in the input: handed out in place.
    if (fin_ && opcode_ == opcode_text && message_.empty() && remaining_ <= size) {
      const std::size_t n = static_cast<std::size_t>(remaining_);
      unmask(data, n);
      const auto* bytes = reinterpret_cast<const unsigned char*>(data);
      const std::string_view payload(data, n);
      data += n;
      size -= n;
      remaining_ = 0;
      state_ = State::header;
      if (!utf8_.feed(bytes, n) || !utf8_.complete()) return fail(close_bad_payload);
      return Event{Kind::text, 0, payload};
    }

    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size));
    if (n > 0) {
      unmask(data, n);
      if (!utf8_.feed(reinterpret_cast<const unsigned char*>(data), n))
        return fail(close_bad_payload);
      if (message_.empty())
        message_.reserve(
            static_cast<std::size_t>(std::min<std::uint64_t>(message_size_, max_message_)));
      message_.append(data, n);
      data += n;
      size -= n;
      remaining_ -= n;
    }
    if (remaining_ > 0) return {};
    state_ = State::header;
    if (!fin_) continue;  // the next fragment follows
    if (!utf8_.complete()) return fail(close_bad_payload);
    release_ = true;
    return Event{Kind::text, 0, message_};
  }
}

}  // namespace renkei::net::ws
