#include "protocol/csv_text.hpp"

#include <gtest/gtest.h>

namespace renkei::protocol {
namespace {

// "名称,種別\n北広島町,市町村\n①髙橋病院,病院\n" as Excel saves it in
// Shift_JIS (CP932; ① is an NEC extension, 髙 an IBM one), produced with
// `iconv -f UTF-8 -t CP932`.
constexpr char cp932_file[] =
    "\x96\xbc\x8f\xcc\x2c\x8e\xed\x95\xca\x0a\x96\x6b\x8d\x4c\x93\x87"
    "\x92\xac\x2c\x8e\x73\x92\xac\x91\xba\x0a\x87\x40\xfb\xfc\x8b\xb4"
    "\x95\x61\x89\x40\x2c\x95\x61\x89\x40\x0a";

TEST(CsvText, Cp932IsDecodedWithItsExtensions) {
  auto decoded = decode_spreadsheet_text(cp932_file);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->encoding, SpreadsheetEncoding::cp932);
  EXPECT_EQ(decoded->utf8, "名称,種別\n北広島町,市町村\n①髙橋病院,病院\n");
}

TEST(CsvText, Utf8WithAndWithoutBom) {
  auto with_bom = decode_spreadsheet_text("\xEF\xBB\xBF名称,種別\n");
  ASSERT_TRUE(with_bom);
  EXPECT_EQ(with_bom->encoding, SpreadsheetEncoding::utf8_bom);
  EXPECT_EQ(with_bom->utf8, "名称,種別\n");
  auto plain = decode_spreadsheet_text("名称,種別\n");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->encoding, SpreadsheetEncoding::utf8);
}

TEST(CsvText, BytesThatAreNeitherAreRefused) {
  // 0x85 0x40 is undefined in CP932 and is not UTF-8.
  EXPECT_FALSE(decode_spreadsheet_text("\x85\x40,x\n"));
  // A BOM followed by bytes that are not UTF-8.
  EXPECT_FALSE(decode_spreadsheet_text("\xEF\xBB\xBF\x96\xbc"));
}

TEST(CsvText, ParsesQuotesCrLfAndLineNumbers) {
  auto parsed = parse_csv(
      "名称,種別\r\n\"北広島町, 保健福祉課\",市町村\r\n\r\n\"訪問看護\n"
      "ステーション\"\"あおぞら\"\"\",visiting_nurse\r\nlast,row");
  ASSERT_FALSE(parsed.error);
  ASSERT_EQ(parsed.records.size(), 4u);
  EXPECT_EQ(parsed.records[0].line, 1u);
  EXPECT_EQ(parsed.records[1].fields, (std::vector<std::string>{"北広島町, 保健福祉課", "市町村"}));
  EXPECT_EQ(parsed.records[1].line, 2u);
  EXPECT_EQ(parsed.records[2].fields[0], "訪問看護\nステーション\"あおぞら\"");
  EXPECT_EQ(parsed.records[2].line, 4u);
  EXPECT_EQ(parsed.records[3].line, 6u);
  EXPECT_EQ(parsed.records[3].fields, (std::vector<std::string>{"last", "row"}));
}

TEST(CsvText, EmptyFieldsAndTrailingComma) {
  auto parsed = parse_csv("a,,c,\n");
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].fields, (std::vector<std::string>{"a", "", "c", ""}));
}

TEST(CsvText, AnOpenQuoteIsAnErrorWithItsLine) {
  auto parsed = parse_csv("a,b\n\"open,c\nd\n");
  ASSERT_TRUE(parsed.error);
  EXPECT_EQ(parsed.error_line, 2u);
  EXPECT_EQ(parsed.records.size(), 1u);
}

}  // namespace
}  // namespace renkei::protocol
