// Character-level rules for text that clients send: length in Unicode code
// points, trimming, control characters, calendar dates. Private to
// renkei_protocol. Every function expects valid UTF-8 (the JSON parser
// rejects anything else before these run).
#pragma once

#include <cstddef>
#include <string_view>

namespace renkei::protocol {

// Number of Unicode code points (not bytes) in `utf8`.
std::size_t count_code_points(std::string_view utf8);

// `text` without leading and trailing whitespace: ASCII space, \t \n \v \f \r
// and U+3000 IDEOGRAPHIC SPACE (what a Japanese IME types for a space).
std::string_view trim(std::string_view text);

// True when `text` contains a control character: C0 (U+0000-U+001F), DEL and
// C1 (U+0080-U+009F). With `allow_line_breaks`, \n \r and \t are allowed.
bool has_control_character(std::string_view text, bool allow_line_breaks);

// "YYYY-MM-DD" naming a real day of the Gregorian calendar (2026-02-29 is
// not one), years 0001-9999.
bool is_calendar_date(std::string_view text);

// "YYYY-MM" with month 01-12, years 0001-9999.
bool is_calendar_month(std::string_view text);

}  // namespace renkei::protocol
