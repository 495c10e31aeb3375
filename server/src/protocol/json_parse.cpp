#include "protocol/json_parse.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace renkei::protocol {
namespace {

namespace json = boost::json;

// A basic_parser handler that builds a json::value like Boost's own parser,
// except for doubles (see the header). Numbers may arrive in parts when the
// parser suspends; the parts are collected so from_chars sees the whole text.
struct ExactHandler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack stack;
  std::string number_text;  // earlier parts of the current number
  bool non_finite = false;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t n, json::error_code&) {
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_text.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number_text.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number_text.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double approximate, json::string_view s, json::error_code& ec) {
    std::string_view text(s.data(), s.size());
    if (!number_text.empty()) {
      number_text.append(text);
      text = number_text;
    }
    double exact = 0;
    const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), exact);
    number_text.clear();
    if (err == std::errc::result_out_of_range) {
      // Overflow or underflow: Boost's value tells which (inf or ~0).
      exact = approximate;
    } else if (err != std::errc{} || end != text.data() + text.size()) {
      exact = approximate;  // cannot happen for text the parser accepted
    }
    if (!std::isfinite(exact)) {
      non_finite = true;
      ec = json::error::exponent_overflow;
      return false;
    }
    stack.push_double(exact);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

JsonFailure parse_json(std::string_view text, std::size_t max_depth, json::value& out) {
  json::parse_options options;
  options.max_depth = max_depth;
  json::basic_parser<ExactHandler> parser(options);
  parser.handler().stack.reset();

  json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) {
    if (parser.handler().non_finite || ec == json::error::exponent_overflow)
      return JsonFailure::non_finite;
    if (ec == json::error::too_deep) return JsonFailure::too_deep;
    return JsonFailure::malformed;
  }
  if (used < text.size()) return JsonFailure::malformed;  // trailing data
  out = parser.handler().stack.release();
  return JsonFailure::none;
}

}  // namespace renkei::protocol
