#include "domain/calendar.hpp"

#include <array>
#include <cstdint>

namespace renkei::domain {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil), and back.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const auto mp = static_cast<unsigned>(m > 2 ? m - 3 : m + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m),
                   static_cast<int>(d)};
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[static_cast<std::size_t>(m - 1)];
}

// Reads exactly `n` ASCII digits at `pos`; -1 when they are not digits.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::string two(int n) {
  std::string s = std::to_string(n);
  return n < 10 ? "0" + s : s;
}

struct Era {
  std::string_view name;
  CivilDate first_day;
};

// Newest first.
constexpr std::array<Era, 5> eras{{
    {"令和", {2019, 5, 1}},
    {"平成", {1989, 1, 8}},
    {"昭和", {1926, 12, 25}},
    {"大正", {1912, 7, 30}},
    {"明治", {1873, 1, 1}},
}};

// Meiji's year 1 is 1868, although it is only converted from 1873 on.
constexpr int meiji_first_year = 1868;

}  // namespace

std::optional<CivilDate> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int y = digits(text, 0, 4);
  const int m = digits(text, 5, 2);
  const int d = digits(text, 8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return CivilDate{y, m, d};
}

std::string iso_date(const CivilDate& date) {
  std::string year = std::to_string(date.year);
  while (year.size() < 4) year.insert(year.begin(), '0');
  return year + "-" + two(date.month) + "-" + two(date.day);
}

CivilDate add_days(const CivilDate& date, int days) {
  return civil_from_days(days_from_civil(date.year, date.month, date.day) + days);
}

int day_of_week(const CivilDate& date) {
  const std::int64_t z = days_from_civil(date.year, date.month, date.day);
  // 1970-01-01 was a Thursday (4).
  const std::int64_t w = (z + 4) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

std::string_view weekday_ja(const CivilDate& date) {
  static constexpr std::array<std::string_view, 7> names{"日", "月", "火", "水", "木", "金", "土"};
  return names[static_cast<std::size_t>(day_of_week(date))];
}

std::optional<JstTime> to_jst(std::string_view utc) {
  // 2026-11-24T10:00:00.123Z: at least "YYYY-MM-DDTHH:MM".
  if (utc.size() < 16 || utc[10] != 'T' || utc[13] != ':') return std::nullopt;
  const auto date = parse_iso_date(utc.substr(0, 10));
  const int hour = digits(utc, 11, 2);
  const int minute = digits(utc, 14, 2);
  if (!date || hour < 0 || hour > 23 || minute < 0 || minute > 59) return std::nullopt;
  int jst_hour = hour + 9;
  CivilDate day = *date;
  if (jst_hour >= 24) {
    jst_hour -= 24;
    day = add_days(day, 1);
  }
  return JstTime{day, jst_hour, minute};
}

std::string hh_mm(const JstTime& time) { return two(time.hour) + ":" + two(time.minute); }

std::string format_western_ja(const CivilDate& date) {
  return std::to_string(date.year) + "年" + std::to_string(date.month) + "月" +
         std::to_string(date.day) + "日（" + std::string(weekday_ja(date)) + "）";
}

std::optional<EraYear> era_year(const CivilDate& date) {
  for (const Era& era : eras) {
    if (date < era.first_day) continue;
    const int first_year = era.name == "明治" ? meiji_first_year : era.first_day.year;
    return EraYear{era.name, date.year - first_year + 1};
  }
  return std::nullopt;
}

std::optional<std::string> format_wareki(const CivilDate& date) {
  const auto era = era_year(date);
  if (!era) return std::nullopt;
  const std::string year = era->year == 1 ? "元" : std::to_string(era->year);
  return std::string(era->era) + year + "年" + std::to_string(date.month) + "月" +
         std::to_string(date.day) + "日（" + std::string(weekday_ja(date)) + "）";
}

}  // namespace renkei::domain
