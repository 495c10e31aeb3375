// Typed access to the fields of a parsed JSON object, with the first problem
// remembered as a FieldError that names the field ("args.order[2]"). Private
// to renkei_protocol: client_message, event_codec and agenda_codec read
// through it, and each turns a FieldError into its own kind of error.
//
// Usage: read every field, then check ok(). After the first failure the
// readers return default values and record nothing more, so the caller
// writes straight-line code and reports only the first problem.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::protocol {

struct FieldError {
  std::string path;  // e.g. "args.text"; empty for the document itself
  std::string ja;    // what is wrong, Japanese
  std::string en;    // the same in English
};

// How a client-supplied text is checked: trimmed of surrounding whitespace,
// non-empty, at most `max_code_points`, no control characters except (with
// `multiline`) \n \r \t.
struct TextRule {
  std::size_t max_code_points = 100;
  bool multiline = false;
};

inline constexpr std::int64_t any_int64_min = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t any_int64_max = std::numeric_limits<std::int64_t>::max();

class FieldReader {
 public:
  // `prefix` is the path of `object` itself ("args"), or empty at top level.
  FieldReader(const boost::json::object& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  bool ok() const { return !error_; }
  const std::optional<FieldError>& error() const { return error_; }
  // Records a problem unless one is already recorded.
  void fail(std::string path, std::string ja, std::string en);
  void fail(const FieldError& e) { fail(e.path, e.ja, e.en); }

  // The path of a member of this object, e.g. "args.text".
  std::string path(std::string_view key) const;
  // The member, or null when absent.
  const boost::json::value* find(std::string_view key) const;

  // --- client input: validated and normalised ---------------------------
  std::string text(std::string_view key, const TextRule& rule);
  // Absent, null or empty after trimming: nullopt.
  std::optional<std::string> optional_text(std::string_view key, const TextRule& rule);
  // An array of `min_items`..`max_items` distinct texts.
  std::vector<std::string> text_list(std::string_view key, const TextRule& rule,
                                     std::size_t min_items, std::size_t max_items);
  // An integer in [min, max]; an integral double (2.0) counts as an integer.
  std::int64_t integer(std::string_view key, std::int64_t min = any_int64_min,
                       std::int64_t max = any_int64_max);
  std::optional<std::int64_t> optional_integer(std::string_view key,
                                               std::int64_t min = any_int64_min,
                                               std::int64_t max = any_int64_max);
  double number(std::string_view key);
  std::optional<double> optional_number(std::string_view key);
  bool boolean(std::string_view key);
  // A string from a closed vocabulary; `allowed` lists it for the message.
  template <typename E>
  E choice(std::string_view key, std::optional<E> (*from_string)(std::string_view),
           std::string_view allowed) {
    const std::string word = string(key);
    if (!ok()) return E{};
    if (auto value = from_string(word)) return *value;
    fail_choice(path(key), allowed);
    return E{};
  }

  // --- stored data: type checks only, strings kept exactly ---------------
  std::string string(std::string_view key);
  std::optional<std::string> optional_string(std::string_view key);  // absent or null: nullopt
  std::vector<std::string> string_list(std::string_view key);
  const boost::json::object* object(std::string_view key);
  const boost::json::array* array(std::string_view key);

  // --- single values, for array elements and map entries -----------------
  std::string text_value(const boost::json::value& value, const std::string& at,
                         const TextRule& rule);
  std::int64_t integer_value(const boost::json::value& value, const std::string& at,
                             std::int64_t min = any_int64_min, std::int64_t max = any_int64_max);
  std::string string_value(const boost::json::value& value, const std::string& at);

  // Checks a string already extracted (e.g. an object key) against `rule`;
  // returns the trimmed text.
  std::string check_text(std::string_view raw, const std::string& at, const TextRule& rule);

 private:
  const boost::json::value* require(std::string_view key);
  void fail_choice(std::string at, std::string_view allowed);

  const boost::json::object& object_;
  std::string prefix_;
  std::optional<FieldError> error_;
};

// An integer value: int64, uint64 up to INT64_MAX, or a double with an
// integral value in int64 range. nullopt otherwise.
std::optional<std::int64_t> as_integer(const boost::json::value& value);

}  // namespace renkei::protocol
