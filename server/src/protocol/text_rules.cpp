#include "protocol/text_rules.hpp"

namespace renkei::protocol {
namespace {

constexpr std::string_view ideographic_space = "\xE3\x80\x80";  // U+3000

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Reads `count` decimal digits at `pos`; -1 when any is not a digit.
int digits(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

}  // namespace

std::size_t count_code_points(std::string_view utf8) {
  std::size_t count = 0;
  for (const char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;  // not a continuation byte
  return count;
}

std::string_view trim(std::string_view text) {
  for (;;) {
    if (!text.empty() && is_ascii_space(text.front()))
      text.remove_prefix(1);
    else if (text.starts_with(ideographic_space))
      text.remove_prefix(ideographic_space.size());
    else
      break;
  }
  for (;;) {
    if (!text.empty() && is_ascii_space(text.back()))
      text.remove_suffix(1);
    else if (text.ends_with(ideographic_space))
      text.remove_suffix(ideographic_space.size());
    else
      break;
  }
  return text;
}

bool has_control_character(std::string_view text, bool allow_line_breaks) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20) {
      if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) continue;
      return true;
    }
    if (c == 0x7F) return true;
    // C1 controls are U+0080-U+009F: encoded C2 80 - C2 9F.
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

bool is_calendar_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return false;
  const int year = digits(text, 0, 4);
  const int month = digits(text, 5, 2);
  return year >= 1 && month >= 1 && month <= 12;
}

bool is_calendar_date(std::string_view text) {
  if (text.size() != 10 || text[7] != '-' || !is_calendar_month(text.substr(0, 7))) return false;
  const int day = digits(text, 8, 2);
  return day >= 1 && day <= days_in_month(digits(text, 0, 4), digits(text, 5, 2));
}

}  // namespace renkei::protocol
