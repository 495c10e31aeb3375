// Dates as Japanese documents write them: the log's UTC times shown in Japan
// Standard Time (UTC+9, no daylight saving), the day of the week, and the
// Japanese era (和暦) next to the Gregorian year (西暦). Pure functions over
// the proleptic Gregorian calendar; no clock is read here (callers pass the
// time, e.g. the app's Clock).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace renkei::domain {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31

  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

// A wall-clock time in JST.
struct JstTime {
  CivilDate date;
  int hour = 0;
  int minute = 0;
};

// "YYYY-MM-DD" naming a real date, years 0001-9999; nullopt otherwise.
std::optional<CivilDate> parse_iso_date(std::string_view text);
// "YYYY-MM-DD".
std::string iso_date(const CivilDate& date);
// The date `days` days later (earlier when negative).
CivilDate add_days(const CivilDate& date, int days);
// 0 = Sunday ... 6 = Saturday.
int day_of_week(const CivilDate& date);
// "日" "月" "火" "水" "木" "金" "土".
std::string_view weekday_ja(const CivilDate& date);

// A log time "2026-11-24T10:00:00.123Z" (UTC) in JST; nullopt if the text is
// not in that form (the seconds and fraction are read but not kept).
std::optional<JstTime> to_jst(std::string_view utc);
// "19:00".
std::string hh_mm(const JstTime& time);

// "2026年11月24日（火）".
std::string format_western_ja(const CivilDate& date);

// The era year: {"令和", 8} for 2026-11-24. Eras and their first days:
// 明治 1873-01-01 (the Gregorian calendar's adoption; earlier dates were
// lunisolar and are not converted), 大正 1912-07-30, 昭和 1926-12-25,
// 平成 1989-01-08, 令和 2019-05-01. nullopt before 1873.
struct EraYear {
  std::string_view era;
  int year = 1;  // 1 is written 元年
};
std::optional<EraYear> era_year(const CivilDate& date);

// "令和8年11月24日（火）", "令和元年5月1日（水）"; nullopt before 1873.
std::optional<std::string> format_wareki(const CivilDate& date);

}  // namespace renkei::domain
