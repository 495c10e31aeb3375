// A small streaming JSON writer that appends to a std::string. Private to
// renkei_protocol; every encoder (events, server messages, record, agendas)
// uses it so that key order is exactly the order of the calls and numbers
// have one spelling: integral doubles below 2^53 as integers (90, not 9E1),
// other doubles in shortest round-trip form (90.4).
//
// Commas are inserted automatically; the caller is responsible for a
// well-formed sequence of calls (a key before every value inside an object).
// Strings must be valid UTF-8; they are escaped as JSON requires.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace renkei::protocol {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view name);

  void string(std::string_view value);
  void integer(std::int64_t value);
  void unsigned_integer(std::uint64_t value);
  void number(double value);  // non-finite values (never accepted) become null
  void boolean(bool value);
  void null();

  // "name": value pairs, the common case.
  void field(std::string_view name, std::string_view value) {
    key(name);
    string(value);
  }
  void field(std::string_view name, const char* value) { field(name, std::string_view(value)); }
  void field(std::string_view name, const std::string& value) {
    field(name, std::string_view(value));
  }
  void field(std::string_view name, std::int64_t value) {
    key(name);
    integer(value);
  }
  void field(std::string_view name, int value) { field(name, std::int64_t{value}); }
  void field(std::string_view name, std::uint64_t value) {
    key(name);
    unsigned_integer(value);
  }
  void field(std::string_view name, bool value) {
    key(name);
    boolean(value);
  }
  void number_field(std::string_view name, double value) {
    key(name);
    number(value);
  }
  // Writes the string, or null when absent.
  void string_or_null(std::string_view name, const std::optional<std::string>& value);
  // Writes the pair only when the value is present.
  void optional_field(std::string_view name, const std::optional<std::string>& value) {
    if (value) field(name, *value);
  }
  void optional_number(std::string_view name, const std::optional<double>& value) {
    if (value) number_field(name, *value);
  }

 private:
  void separate() {
    if (need_comma_) out_.push_back(',');
  }

  std::string& out_;
  bool need_comma_ = false;  // a value was just completed at the current level
};

// {"<key>":[…]}: one array under one key, each item written by
// `write(JsonWriter&, const Item&)` — the shape of the console's lists.
template <class Items, class Write>
std::string json_list_object(std::string_view key, const Items& items, Write write) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key(key);
  w.begin_array();
  for (const auto& item : items) write(w, item);
  w.end_array();
  w.end_object();
  return out;
}

}  // namespace renkei::protocol
