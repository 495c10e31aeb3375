// Dates as Japanese documents write them: JST, day of the week, 西暦 and 和暦
// (era boundaries, 元年).
#include "domain/calendar.hpp"

#include <gtest/gtest.h>

namespace renkei::domain {
namespace {

CivilDate date(std::string_view iso) { return parse_iso_date(iso).value(); }

TEST(Calendar, ParsesOnlyRealDates) {
  EXPECT_EQ(parse_iso_date("2026-11-24"), (CivilDate{2026, 11, 24}));
  EXPECT_EQ(parse_iso_date("2024-02-29"), (CivilDate{2024, 2, 29}));
  EXPECT_FALSE(parse_iso_date("2026-02-29"));
  EXPECT_FALSE(parse_iso_date("2100-02-29"));
  EXPECT_TRUE(parse_iso_date("2000-02-29"));
  EXPECT_FALSE(parse_iso_date("2026-13-01"));
  EXPECT_FALSE(parse_iso_date("2026-1-01"));
  EXPECT_FALSE(parse_iso_date("２０２６-11-24"));
  EXPECT_EQ(iso_date(CivilDate{2026, 3, 5}), "2026-03-05");
}

TEST(Calendar, DaysOfTheWeek) {
  EXPECT_EQ(weekday_ja(date("2026-11-24")), "火");
  EXPECT_EQ(weekday_ja(date("2019-05-01")), "水");
  EXPECT_EQ(weekday_ja(date("1970-01-01")), "木");
  EXPECT_EQ(weekday_ja(date("1969-12-31")), "水");
  EXPECT_EQ(weekday_ja(date("1926-12-25")), "土");
  EXPECT_EQ(weekday_ja(date("2027-01-03")), "日");
}

TEST(Calendar, AddsDaysAcrossMonthsYearsAndLeapDays) {
  EXPECT_EQ(add_days(date("2026-12-31"), 1), date("2027-01-01"));
  EXPECT_EQ(add_days(date("2024-02-28"), 1), date("2024-02-29"));
  EXPECT_EQ(add_days(date("2027-02-09"), 14), date("2027-02-23"));
  EXPECT_EQ(add_days(date("2026-03-01"), -1), date("2026-02-28"));
}

TEST(Calendar, LogTimesInJapanStandardTime) {
  const auto jst = to_jst("2026-11-24T10:00:00.123Z").value();
  EXPECT_EQ(jst.date, date("2026-11-24"));
  EXPECT_EQ(hh_mm(jst), "19:00");
  // 15:00 UTC is midnight in Japan: the next day.
  const auto late = to_jst("2026-12-31T15:30:00.000Z").value();
  EXPECT_EQ(late.date, date("2027-01-01"));
  EXPECT_EQ(hh_mm(late), "00:30");
  EXPECT_FALSE(to_jst("yesterday"));
  EXPECT_FALSE(to_jst("2026-11-24 10:00"));
}

TEST(Calendar, WesternAndJapaneseEraDates) {
  EXPECT_EQ(format_western_ja(date("2026-11-24")), "2026年11月24日（火）");
  EXPECT_EQ(format_wareki(date("2026-11-24")), "令和8年11月24日（火）");
  // The last day of Heisei and the first of Reiwa (元年, not 1年).
  EXPECT_EQ(format_wareki(date("2019-04-30")), "平成31年4月30日（火）");
  EXPECT_EQ(format_wareki(date("2019-05-01")), "令和元年5月1日（水）");
  EXPECT_EQ(format_wareki(date("2020-01-01")), "令和2年1月1日（水）");
  EXPECT_EQ(format_wareki(date("1989-01-07")), "昭和64年1月7日（土）");
  EXPECT_EQ(format_wareki(date("1989-01-08")), "平成元年1月8日（日）");
  EXPECT_EQ(format_wareki(date("1926-12-24")), "大正15年12月24日（金）");
  EXPECT_EQ(format_wareki(date("1926-12-25")), "昭和元年12月25日（土）");
  EXPECT_EQ(format_wareki(date("1912-07-29")), "明治45年7月29日（月）");
  EXPECT_EQ(format_wareki(date("1912-07-30")), "大正元年7月30日（火）");
  EXPECT_EQ(format_wareki(date("1873-01-01")), "明治6年1月1日（水）");
  // Before the Gregorian calendar was adopted in Japan: not converted.
  EXPECT_FALSE(format_wareki(date("1872-12-31")));
  const auto era = era_year(date("2027-02-16")).value();
  EXPECT_EQ(era.era, "令和");
  EXPECT_EQ(era.year, 9);
}

}  // namespace
}  // namespace renkei::domain
