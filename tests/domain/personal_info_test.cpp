// The personal-information heuristics of server/docs/PERSONAL_INFO.md, with
// Japanese examples: what must be found, and council-level wording that must
// not be (ages of groups, fiscal years, municipalities without an address).
#include "domain/personal_info.hpp"

#include <gtest/gtest.h>

namespace renkei::domain {
namespace {

using Kind = PersonalInfoKind;

// The texts found, as "kind:text".
std::vector<std::string> found(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& f : find_personal_info(text))
    out.push_back(std::string(to_string(f.kind)) + ":" +
                  std::string(text.substr(f.start, f.length)));
  return out;
}

using Found = std::vector<std::string>;

TEST(PersonalInfo, NameWithAge) {
  EXPECT_EQ(found("山田太郎さん（82歳）が退院後に独居となった"),
            Found{"name_with_age:山田太郎さん（82歳）"});
  EXPECT_EQ(found("山田さん 82歳"), Found{"name_with_age:山田さん 82歳"});
  EXPECT_EQ(found("山田さんは82歳で要介護2"), Found{"name_with_age:山田さんは82歳"});
  EXPECT_EQ(found("田中ひろしさん(82)の件"), Found{"name_with_age:田中ひろしさん(82)"});
  EXPECT_EQ(found("山田太郎（82歳・男性）"), Found{"name_with_age:山田太郎（82歳"});
  EXPECT_EQ(found("82歳の山田さんは独居"), Found{"name_with_age:82歳の山田さん"});
  EXPECT_EQ(found("85歳の男性、山田様の件で"), Found{"name_with_age:85歳の男性、山田様"});
  EXPECT_EQ(found("氏名：山田太郎、86歳"), Found{"name_with_age:氏名：山田太郎、86歳"});
  // Full-width digits are digits.
  EXPECT_EQ(found("佐藤花子様（８２才）"), Found{"name_with_age:佐藤花子様（８２才）"});
}

TEST(PersonalInfo, AgesOfGroupsAndWordsThatNameNoOneAreNotFlagged) {
  for (std::string_view text : {
           "65歳以上の高齢者が増えている",
           "75歳以上人口の割合",
           "40歳から64歳の第2号被保険者",
           "85歳の男性が入院した（氏名は伏せる）",  // an age without a name
           "利用者さん（82歳）の事例",              // 利用者 is no name
           "ご家族様（80代）",
           "高齢者（65歳以上）",
           "男性（82歳）",
           "ケアマネさん（45歳）",
           "Aさん（82歳）は匿名化済み",
           "佐藤さんから報告: 3歳児健診の受診率",
           "第3回会議で山田さんが説明",
       }) {
    EXPECT_EQ(found(text), Found{}) << text;
  }
}

TEST(PersonalInfo, BirthDates) {
  EXPECT_EQ(found("1942年3月5日生まれ"), Found{"birth_date:1942年3月5日生まれ"});
  EXPECT_EQ(found("1942/3/5生"), Found{"birth_date:1942/3/5生"});
  EXPECT_EQ(found("S17.3.5"), Found{"birth_date:S17.3.5"});
  EXPECT_EQ(found("Ｓ１７．３．５"), Found{"birth_date:Ｓ１７．３．５"});
  EXPECT_EQ(found("昭和17年3月5日"), Found{"birth_date:昭和17年3月5日"});
  EXPECT_EQ(found("大正元年8月1日"), Found{"birth_date:大正元年8月1日"});
  EXPECT_EQ(found("平成元年3月5日生まれ"), Found{"birth_date:平成元年3月5日生まれ"});
  EXPECT_EQ(found("生年月日：平成5年3月5日"), Found{"birth_date:生年月日：平成5年3月5日"});
  EXPECT_EQ(found("生年月日は別紙"), Found{"birth_date:生年月日"});
}

TEST(PersonalInfo, DatesThatAreNotBirthDates) {
  for (std::string_view text : {
           "2026年度の事業計画",
           "2026年11月24日に開催",
           "令和8年11月24日（火）",
           "H30.4.1施行の条例",
           "2026-11-24",
           "2026年4月1日生活支援体制整備事業を開始",  // 生活, not 生まれ
           "昭和60年代に整備された団地",
       }) {
    EXPECT_EQ(found(text), Found{}) << text;
  }
}

TEST(PersonalInfo, Addresses) {
  EXPECT_EQ(found("北広島町有田1234番地"), Found{"address:北広島町有田1234番地"});
  EXPECT_EQ(found("広島市中区基町10番52号"), Found{"address:広島市中区基町10番52号"});
  EXPECT_EQ(found("広島県山県郡北広島町壬生1-2-3に住む"),
            Found{"address:広島県山県郡北広島町壬生1-2-3"});
  EXPECT_EQ(found("安芸高田市吉田町3丁目5番12号"), Found{"address:安芸高田市吉田町3丁目5番12号"});
  EXPECT_EQ(found("広島市中区八丁堀三丁目5番"), Found{"address:広島市中区八丁堀三丁目5番"});
  EXPECT_EQ(found("東京都千代田区霞が関１－２－２"),
            Found{"address:東京都千代田区霞が関１－２－２"});
}

TEST(PersonalInfo, PlacesWithoutAStreetNumberAreNotAddresses) {
  for (std::string_view text : {
           "北広島町",
           "北広島町の3地区で見守りが手薄",
           "北広島町 2026年度",
           "国道2号沿いの事業所",
           "第1号被保険者",
           "安芸太田町では3番目の課題",
           "広島市中区八丁堀三丁目",  // an area, not a house
           "郵便番号731-0501",
       }) {
    EXPECT_EQ(found(text), Found{}) << text;
  }
}

TEST(PersonalInfo, PhoneNumbers) {
  EXPECT_EQ(found("0826-72-2111"), Found{"phone:0826-72-2111"});
  EXPECT_EQ(found("携帯は090-1234-5678です"), Found{"phone:090-1234-5678"});
  EXPECT_EQ(found("０９０－１２３４－５６７８"), Found{"phone:０９０－１２３４－５６７８"});
  EXPECT_EQ(found("090ー1234ー5678"), Found{"phone:090ー1234ー5678"});
  EXPECT_EQ(found("(082)123-4567"), Found{"phone:(082)123-4567"});
  EXPECT_EQ(found("電話 09012345678 まで"), Found{"phone:09012345678"});
  EXPECT_EQ(found("03 1234 5678"), Found{"phone:03 1234 5678"});
  EXPECT_EQ(found("0120-123-456"), Found{"phone:0120-123-456"});
}

TEST(PersonalInfo, NumbersThatAreNotPhoneNumbers) {
  for (std::string_view text : {
           "2026-11-24",
           "参加率は0.5%",
           "090-1234",           // too short
           "0000-000-000",       // not a Japanese number
           "03-1234-5678-9999",  // longer code
           "12345678901",        // does not start with 0
           "令和8年度の目標値は90.4%",
       }) {
    EXPECT_EQ(found(text), Found{}) << text;
  }
}

TEST(PersonalInfo, OffsetsAreBytesOfTheOriginalText) {
  const std::string text = "報告：山田さん（82歳）、電話0826-72-2111";
  const auto findings = find_personal_info(text);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].kind, Kind::name_with_age);
  EXPECT_EQ(text.substr(findings[0].start, findings[0].length), "山田さん（82歳）");
  EXPECT_EQ(findings[1].kind, Kind::phone);
  EXPECT_EQ(findings[1].start, text.size() - std::string("0826-72-2111").size());
}

TEST(PersonalInfo, SeveralKindsInOneText) {
  EXPECT_EQ(found("山田太郎さん（82歳）、昭和17年3月5日生まれ、北広島町有田1234番地、"
                  "連絡先090-1234-5678"),
            (Found{"name_with_age:山田太郎さん（82歳）", "birth_date:昭和17年3月5日生まれ",
                   "address:北広島町有田1234番地", "phone:090-1234-5678"}));
  EXPECT_EQ(personal_info_kinds({"広島市中区基町10番52号", "山田さん 82歳", "退院調整"}),
            (std::vector<Kind>{Kind::name_with_age, Kind::address}));
  EXPECT_TRUE(personal_info_kinds({"退院調整ルールの運用に差がある"}).empty());
}

// A text with no digit, numeral, 元 or 生 is passed over at once; each of
// those alone keeps the full check (the fast path loses no finding).
TEST(PersonalInfo, TextsWithoutDigitsOrNumeralsArePassedOverWholeChecksStay) {
  EXPECT_TRUE(found(std::string(6000, 'a') + "退院調整の運用に差がある").empty());
  EXPECT_EQ(found("生年月日：別紙"), Found{"birth_date:生年月日"});
  EXPECT_EQ(found("平成元年生まれ"), Found{"birth_date:平成元年生まれ"});
  EXPECT_EQ(found("佐藤様（八十二歳）"), Found{"name_with_age:佐藤様（八十二歳）"});
  EXPECT_EQ(found("山田さん（８２歳）"), Found{"name_with_age:山田さん（８２歳）"});
  EXPECT_EQ(found("北広島町三丁目5番"), Found{"address:北広島町三丁目5番"});
}

TEST(PersonalInfo, InvalidUtf8IsSkippedNotFatal) {
  const std::string text = std::string("\xff\xfe") + "山田さん 82歳";
  const auto findings = find_personal_info(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(text.substr(findings[0].start, findings[0].length), "山田さん 82歳");
  EXPECT_TRUE(find_personal_info("").empty());
}

// Kanji and full-width numerals in ages, phone numbers and 和暦 birth dates.
TEST(PersonalInfo, KanjiAndFullWidthNumerals) {
  EXPECT_EQ(found("佐藤様（八十二歳）"), Found{"name_with_age:佐藤様（八十二歳）"});
  EXPECT_EQ(found("山田さん ８２歳"), Found{"name_with_age:山田さん ８２歳"});
  EXPECT_EQ(found("山田さん 九十歳"), Found{"name_with_age:山田さん 九十歳"});
  EXPECT_EQ(found("百二歳の鈴木さん"), Found{"name_with_age:百二歳の鈴木さん"});
  EXPECT_EQ(found("田中一郎さん（七十九才）"), Found{"name_with_age:田中一郎さん（七十九才）"});
  EXPECT_EQ(found("連絡先 ０９０－１２３４－５６７８"), Found{"phone:０９０－１２３４－５６７８"});
  EXPECT_EQ(found("（０８２６）７２－２１１１"), Found{"phone:（０８２６）７２－２１１１"});
  EXPECT_EQ(found("昭和十七年生まれ"), Found{"birth_date:昭和十七年生まれ"});
  EXPECT_EQ(found("昭和17年生まれの方"), Found{"birth_date:昭和17年生まれ"});
  EXPECT_EQ(found("昭和十七年三月五日"), Found{"birth_date:昭和十七年三月五日"});
  EXPECT_EQ(found("平成五年生まれの長男"), Found{"birth_date:平成五年生まれ"});
  EXPECT_EQ(found("１９４２年３月５日生まれ"), Found{"birth_date:１９４２年３月５日生まれ"});
  EXPECT_EQ(found("生年月日：昭和十七年"), Found{"birth_date:生年月日：昭和十七年"});
}

TEST(PersonalInfo, KanjiNumeralsThatAreNoPersonalInfo) {
  for (std::string_view text : {
           "八十二件の相談があった", "第2回会議", "第二回会議で山田さんが説明",
           "八十歳以上の高齢者", "昭和四十年代に整備された団地", "令和八年度の事業計画",
           "一郎さんが三月に説明",  // a month, not an age
           "十日町市との連携", "１２３４５件の問い合わせ",
           "一九四七年生まれの世代",  // a Western year alone: a cohort
       }) {
    EXPECT_EQ(found(text), Found{}) << text;
  }
}

}  // namespace
}  // namespace renkei::domain
