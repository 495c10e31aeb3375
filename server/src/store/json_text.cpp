#include "store/json_text.hpp"

#include <cstdio>

namespace renkei::store {

std::string JsonText::quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void JsonText::key(std::string_view name) {
  if (!text_.empty()) text_ += ',';
  text_ += quote(name);
  text_ += ':';
}

JsonText& JsonText::add(std::string_view name, std::string_view value) {
  key(name);
  text_ += quote(value);
  return *this;
}

JsonText& JsonText::add(std::string_view name, const std::optional<std::string>& value) {
  if (value) return add(name, std::string_view(*value));
  key(name);
  text_ += "null";
  return *this;
}

JsonText& JsonText::add_int(std::string_view name, std::int64_t value) {
  key(name);
  text_ += std::to_string(value);
  return *this;
}

JsonText& JsonText::add_bool(std::string_view name, bool value) {
  key(name);
  text_ += value ? "true" : "false";
  return *this;
}

JsonText& JsonText::add_list(std::string_view name, const std::vector<std::string>& values) {
  key(name);
  text_ += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text_ += ',';
    text_ += quote(values[i]);
  }
  text_ += ']';
  return *this;
}

}  // namespace renkei::store
