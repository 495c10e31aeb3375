#include "protocol/field_reader.hpp"

#include <cmath>
#include <set>

#include "protocol/text_rules.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;

std::string integer_range_ja(std::int64_t min, std::int64_t max) {
  if (min == any_int64_min && max == any_int64_max) return "整数が必要です";
  if (max == any_int64_max) {
    if (min == 1) return "正の整数が必要です";
    return std::to_string(min) + "以上の整数が必要です";
  }
  return std::to_string(min) + "から" + std::to_string(max) + "までの整数が必要です";
}

std::string integer_range_en(std::int64_t min, std::int64_t max) {
  if (min == any_int64_min && max == any_int64_max) return "an integer is required";
  if (max == any_int64_max) {
    if (min == 1) return "must be a positive integer";
    return "must be an integer >= " + std::to_string(min);
  }
  return "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

std::optional<std::int64_t> as_integer(const json::value& value) {
  if (const auto* i = value.if_int64()) return *i;
  if (const auto* u = value.if_uint64()) {
    if (*u <= static_cast<std::uint64_t>(any_int64_max)) return static_cast<std::int64_t>(*u);
    return std::nullopt;
  }
  if (const auto* d = value.if_double()) {
    // [-2^63, 2^63): the doubles that convert to int64 without overflow.
    constexpr double limit = 9223372036854775808.0;
    if (*d == std::trunc(*d) && *d >= -limit && *d < limit) return static_cast<std::int64_t>(*d);
  }
  return std::nullopt;
}

void FieldReader::fail(std::string path, std::string ja, std::string en) {
  if (!error_) error_ = FieldError{std::move(path), std::move(ja), std::move(en)};
}

void FieldReader::fail_choice(std::string at, std::string_view allowed) {
  fail(std::move(at), "次のいずれかが必要です: " + std::string(allowed),
       "must be one of: " + std::string(allowed));
}

std::string FieldReader::path(std::string_view key) const {
  if (prefix_.empty()) return std::string(key);
  std::string result = prefix_;
  result.push_back('.');
  result.append(key);
  return result;
}

const json::value* FieldReader::find(std::string_view key) const {
  return object_.if_contains(json::string_view(key.data(), key.size()));
}

const json::value* FieldReader::require(std::string_view key) {
  if (!ok()) return nullptr;
  const json::value* value = find(key);
  if (!value) fail(path(key), "必須です", "is required");
  return value;
}

std::string FieldReader::check_text(std::string_view raw, const std::string& at,
                                    const TextRule& rule) {
  if (!ok()) return {};
  const std::string_view trimmed = trim(raw);
  if (trimmed.empty()) {
    fail(at, "空にできません", "must not be empty");
    return {};
  }
  if (count_code_points(trimmed) > rule.max_code_points) {
    const std::string n = std::to_string(rule.max_code_points);
    fail(at, n + "文字以内にしてください", "at most " + n + " characters");
    return {};
  }
  if (has_control_character(trimmed, rule.multiline)) {
    fail(at, "制御文字は使えません", "control characters are not allowed");
    return {};
  }
  return std::string(trimmed);
}

std::string FieldReader::text_value(const json::value& value, const std::string& at,
                                    const TextRule& rule) {
  if (!ok()) return {};
  const json::string* s = value.if_string();
  if (!s) {
    fail(at, "文字列が必要です", "a string is required");
    return {};
  }
  return check_text(std::string_view(s->data(), s->size()), at, rule);
}

std::string FieldReader::text(std::string_view key, const TextRule& rule) {
  const json::value* value = require(key);
  return value ? text_value(*value, path(key), rule) : std::string();
}

std::optional<std::string> FieldReader::optional_text(std::string_view key, const TextRule& rule) {
  if (!ok()) return std::nullopt;
  const json::value* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  const json::string* s = value->if_string();
  if (!s) {
    fail(path(key), "文字列が必要です", "a string is required");
    return std::nullopt;
  }
  if (trim(std::string_view(s->data(), s->size())).empty()) return std::nullopt;
  std::string result = text_value(*value, path(key), rule);
  if (!ok()) return std::nullopt;
  return result;
}

std::vector<std::string> FieldReader::text_list(std::string_view key, const TextRule& rule,
                                                std::size_t min_items, std::size_t max_items) {
  std::vector<std::string> result;
  const json::value* value = require(key);
  if (!value) return result;
  const std::string at = path(key);
  const json::array* items = value->if_array();
  if (!items) {
    fail(at, "配列が必要です", "an array is required");
    return result;
  }
  if (items->size() < min_items) {
    const std::string n = std::to_string(min_items);
    fail(at, n + "個以上必要です", "at least " + n + " item(s) required");
    return result;
  }
  if (items->size() > max_items) {
    const std::string n = std::to_string(max_items);
    fail(at, n + "個以内にしてください", "at most " + n + " items");
    return result;
  }
  result.reserve(items->size());
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < items->size() && ok(); ++i) {
    const std::string item_at = at + "[" + std::to_string(i) + "]";
    std::string item = text_value((*items)[i], item_at, rule);
    if (!ok()) break;
    if (!seen.insert(item).second) {
      fail(item_at, "重複しています", "duplicate entry");
      break;
    }
    result.push_back(std::move(item));
  }
  if (!ok()) result.clear();
  return result;
}

std::int64_t FieldReader::integer_value(const json::value& value, const std::string& at,
                                        std::int64_t min, std::int64_t max) {
  if (!ok()) return 0;
  const std::optional<std::int64_t> n = as_integer(value);
  if (!n || *n < min || *n > max) {
    fail(at, integer_range_ja(min, max), integer_range_en(min, max));
    return 0;
  }
  return *n;
}

std::int64_t FieldReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const json::value* value = require(key);
  return value ? integer_value(*value, path(key), min, max) : 0;
}

std::optional<std::int64_t> FieldReader::optional_integer(std::string_view key, std::int64_t min,
                                                          std::int64_t max) {
  if (!ok()) return std::nullopt;
  const json::value* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  const std::int64_t n = integer_value(*value, path(key), min, max);
  if (!ok()) return std::nullopt;
  return n;
}

double FieldReader::number(std::string_view key) {
  const json::value* value = require(key);
  if (!value) return 0;
  if (!value->is_number()) {
    fail(path(key), "数値が必要です", "a number is required");
    return 0;
  }
  // The parser has already rejected non-finite numbers.
  return value->to_number<double>();
}

std::optional<double> FieldReader::optional_number(std::string_view key) {
  if (!ok()) return std::nullopt;
  const json::value* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  const double n = number(key);
  if (!ok()) return std::nullopt;
  return n;
}

bool FieldReader::boolean(std::string_view key) {
  const json::value* value = require(key);
  if (!value) return false;
  if (const bool* b = value->if_bool()) return *b;
  fail(path(key), "真偽値(trueかfalse)が必要です", "a boolean (true or false) is required");
  return false;
}

std::string FieldReader::string_value(const json::value& value, const std::string& at) {
  if (!ok()) return {};
  if (const json::string* s = value.if_string()) return std::string(s->data(), s->size());
  fail(at, "文字列が必要です", "a string is required");
  return {};
}

std::string FieldReader::string(std::string_view key) {
  const json::value* value = require(key);
  return value ? string_value(*value, path(key)) : std::string();
}

std::optional<std::string> FieldReader::optional_string(std::string_view key) {
  if (!ok()) return std::nullopt;
  const json::value* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  std::string s = string_value(*value, path(key));
  if (!ok()) return std::nullopt;
  return s;
}

std::vector<std::string> FieldReader::string_list(std::string_view key) {
  std::vector<std::string> result;
  const json::array* items = array(key);
  if (!items) return result;
  result.reserve(items->size());
  const std::string at = path(key);
  for (std::size_t i = 0; i < items->size() && ok(); ++i)
    result.push_back(string_value((*items)[i], at + "[" + std::to_string(i) + "]"));
  if (!ok()) result.clear();
  return result;
}

const json::object* FieldReader::object(std::string_view key) {
  const json::value* value = require(key);
  if (!value) return nullptr;
  if (const json::object* o = value->if_object()) return o;
  fail(path(key), "オブジェクトが必要です", "an object is required");
  return nullptr;
}

const json::array* FieldReader::array(std::string_view key) {
  const json::value* value = require(key);
  if (!value) return nullptr;
  if (const json::array* a = value->if_array()) return a;
  fail(path(key), "配列が必要です", "an array is required");
  return nullptr;
}

}  // namespace renkei::protocol
