// The protocol layer's private helpers: text rules, the JSON writer and the
// exact parser.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "protocol/json_parse.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/text_rules.hpp"

namespace renkei::protocol {
namespace {

namespace json = boost::json;

TEST(TextRules, CountCodePoints) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("退院調整"), 4u);
  EXPECT_EQ(count_code_points("a\xF0\x9F\x98\x80"), 2u);  // U+1F600 is one code point
}

TEST(TextRules, Trim) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim("\u3000課題\u3000 "), "課題");
  EXPECT_EQ(trim(" \u3000 "), "");
  EXPECT_EQ(trim("x"), "x");
}

TEST(TextRules, ControlCharacters) {
  EXPECT_FALSE(has_control_character("a\nb\tc\r", true));
  EXPECT_TRUE(has_control_character("a\nb", false));
  EXPECT_TRUE(has_control_character(std::string_view("a\0b", 3), true));
  EXPECT_TRUE(has_control_character("a\x7f", true));
  EXPECT_TRUE(has_control_character("a\xC2\x85", true));   // U+0085 NEL
  EXPECT_FALSE(has_control_character("a\xC2\xA0", true));  // U+00A0 is not a control
  EXPECT_FALSE(has_control_character("会議", false));
}

TEST(TextRules, CalendarDates) {
  EXPECT_TRUE(is_calendar_date("2026-11-24"));
  EXPECT_TRUE(is_calendar_date("2024-02-29"));
  EXPECT_TRUE(is_calendar_date("2000-02-29"));
  EXPECT_FALSE(is_calendar_date("1900-02-29"));
  EXPECT_FALSE(is_calendar_date("2026-02-30"));
  EXPECT_FALSE(is_calendar_date("2026-04-31"));
  EXPECT_FALSE(is_calendar_date("0000-01-01"));
  EXPECT_FALSE(is_calendar_date("2026-11-24 "));
  EXPECT_FALSE(is_calendar_date("2026-11"));
  EXPECT_TRUE(is_calendar_month("2026-12"));
  EXPECT_FALSE(is_calendar_month("2026-13"));
  EXPECT_FALSE(is_calendar_month("2026-1x"));
}

TEST(JsonWriter, EscapesStrings) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("k\"ey", std::string_view("a\"b\\c\n\x01\x1f/退"));
  w.end_object();
  EXPECT_EQ(out, "{\"k\\\"ey\":\"a\\\"b\\\\c\\n\\u0001\\u001f/退\"}");
  EXPECT_EQ(json::parse(out).at("k\"ey").as_string(), "a\"b\\c\n\x01\x1f/退");
}

TEST(JsonWriter, CommasAndNesting) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.begin_object();
  w.end_object();
  w.begin_array();
  w.integer(1);
  w.null();
  w.end_array();
  w.boolean(false);
  w.end_array();
  EXPECT_EQ(out, "[{},[1,null],false]");
}

std::string number_text(double v) {
  std::string out;
  JsonWriter w(out);
  w.number(v);
  return out;
}

TEST(JsonWriter, Numbers) {
  EXPECT_EQ(number_text(90.0), "90");
  EXPECT_EQ(number_text(-0.0), "0");
  EXPECT_EQ(number_text(90.4), "90.4");
  EXPECT_EQ(number_text(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(number_text(9007199254740991.0), "9007199254740991");
  EXPECT_EQ(number_text(1e300), "1e+300");
  EXPECT_EQ(number_text(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(number_text(std::numeric_limits<double>::quiet_NaN()), "null");
}

TEST(JsonParse, ExactDoubles) {
  json::value v;
  ASSERT_EQ(parse_json("[0.30000000000000004,90.4,1e-320,2.2250738585072014e-308]", 8, v),
            JsonFailure::none);
  EXPECT_EQ(v.at(0).as_double(), 0.1 + 0.2);
  EXPECT_EQ(v.at(1).as_double(), 90.4);
  EXPECT_EQ(v.at(2).as_double(), 1e-320);
  EXPECT_EQ(v.at(3).as_double(), 2.2250738585072014e-308);
}

TEST(JsonParse, Failures) {
  json::value v;
  EXPECT_EQ(parse_json("[1e400]", 8, v), JsonFailure::non_finite);
  EXPECT_EQ(parse_json("[[[]]]", 2, v), JsonFailure::too_deep);
  EXPECT_EQ(parse_json("[[[]]]", 3, v), JsonFailure::none);
  EXPECT_EQ(parse_json("[1,]", 8, v), JsonFailure::malformed);
  EXPECT_EQ(parse_json("{} x", 8, v), JsonFailure::malformed);
  EXPECT_EQ(parse_json("{}  \n", 8, v), JsonFailure::none);
  EXPECT_EQ(parse_json("{\"a\":1}", 8, v), JsonFailure::none);
  EXPECT_EQ(v.at("a").as_int64(), 1);
}

}  // namespace
}  // namespace renkei::protocol
