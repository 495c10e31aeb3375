// A flat JSON object written as text, for the old and new values of audit
// rows (schema v9). Private to the store, which has no JSON library: keys
// are literals, values strings (escaped), integers, booleans or null.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::store {

class JsonText {
 public:
  JsonText& add(std::string_view key, std::string_view value);
  JsonText& add(std::string_view key, const std::string& value) {
    return add(key, std::string_view(value));
  }
  JsonText& add(std::string_view key, const char* value) {
    return add(key, std::string_view(value));
  }
  // null when none.
  JsonText& add(std::string_view key, const std::optional<std::string>& value);
  JsonText& add_int(std::string_view key, std::int64_t value);
  JsonText& add_bool(std::string_view key, bool value);
  // An array of strings.
  JsonText& add_list(std::string_view key, const std::vector<std::string>& values);
  bool empty() const { return text_.empty(); }
  // "{...}"; "{}" when nothing was added.
  std::string str() const { return "{" + text_ + "}"; }

  // `value` as a JSON string literal, quotes included.
  static std::string quote(std::string_view value);

 private:
  void key(std::string_view name);
  std::string text_;
};

}  // namespace renkei::store
