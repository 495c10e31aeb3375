#include "protocol/json_writer.hpp"

#include <charconv>
#include <cmath>

namespace renkei::protocol {
namespace {

// Appends `text` as a JSON string literal. Control characters are escaped;
// everything else (including non-ASCII UTF-8) is copied as is.
void append_escaped(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run that needs no escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default:
        out.append("\\u00");
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xF]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

}  // namespace

void JsonWriter::begin_object() {
  separate();
  out_.push_back('{');
  need_comma_ = false;
}

void JsonWriter::end_object() {
  out_.push_back('}');
  need_comma_ = true;
}

void JsonWriter::begin_array() {
  separate();
  out_.push_back('[');
  need_comma_ = false;
}

void JsonWriter::end_array() {
  out_.push_back(']');
  need_comma_ = true;
}

void JsonWriter::key(std::string_view name) {
  separate();
  append_escaped(out_, name);
  out_.push_back(':');
  need_comma_ = false;
}

void JsonWriter::string(std::string_view value) {
  separate();
  append_escaped(out_, value);
  need_comma_ = true;
}

void JsonWriter::integer(std::int64_t value) {
  separate();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, result.ptr);
  need_comma_ = true;
}

void JsonWriter::unsigned_integer(std::uint64_t value) {
  separate();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, result.ptr);
  need_comma_ = true;
}

void JsonWriter::number(double value) {
  // 2^53: below it every integer is exactly representable, so writing the
  // integer form loses nothing and reads back as the same double.
  constexpr double exact_integer_limit = 9007199254740992.0;
  if (!std::isfinite(value)) {
    null();
    return;
  }
  if (std::fabs(value) < exact_integer_limit && value == std::trunc(value)) {
    integer(static_cast<std::int64_t>(value));
    return;
  }
  separate();
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, result.ptr);
  need_comma_ = true;
}

void JsonWriter::boolean(bool value) {
  separate();
  out_.append(value ? "true" : "false");
  need_comma_ = true;
}

void JsonWriter::null() {
  separate();
  out_.append("null");
  need_comma_ = true;
}

void JsonWriter::string_or_null(std::string_view name, const std::optional<std::string>& value) {
  key(name);
  if (value)
    string(*value);
  else
    null();
}

}  // namespace renkei::protocol
