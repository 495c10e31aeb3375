#include "protocol/directory_import.hpp"

#include <gtest/gtest.h>

#include <string>

namespace renkei::protocol {
namespace {

OrganisationImportRules no_orgs() {
  return {[](std::string_view name) { return name == "既存病院"; }, std::nullopt};
}

TEST(DirectoryImport, OrganisationsWithJapaneseHeaderAndKinds) {
  auto preview = preview_organisations(
      "\xEF\xBB\xBF名称,種別,管内,都道府県\r\n北広島町,市町村,北広島保健所管内,広島県\r\n"
      "あおぞら訪問看護,訪問看護ステーション,,広島県\r\n",
      no_orgs());
  ASSERT_FALSE(preview.file_error);
  EXPECT_EQ(preview.encoding, "utf-8-bom");
  ASSERT_EQ(preview.rows.size(), 2u);
  EXPECT_TRUE(preview.ok());
  EXPECT_EQ(preview.rows[0].line, 2u);
  EXPECT_EQ(preview.rows[0].values.at("kind"), "municipality");
  EXPECT_EQ(preview.rows[1].values.at("kind"), "visiting_nurse");
  EXPECT_EQ(preview.rows[1].values.at("area"), "");
}

TEST(DirectoryImport, PerRowErrorsLeaveOtherRowsValid) {
  auto preview = preview_organisations(
      "名称,種別\nA病院,病院\n,病院\nB,宇宙局\nA病院,病院\n既存病院,病院\n", no_orgs());
  ASSERT_FALSE(preview.file_error);
  ASSERT_EQ(preview.rows.size(), 5u);
  EXPECT_TRUE(preview.rows[0].errors.empty());
  EXPECT_FALSE(preview.rows[1].errors.empty());  // empty name
  EXPECT_FALSE(preview.rows[2].errors.empty());  // unknown kind
  EXPECT_FALSE(preview.rows[3].errors.empty());  // duplicate in the file
  EXPECT_FALSE(preview.rows[4].errors.empty());  // exists already
  EXPECT_EQ(preview.valid, 1u);
  EXPECT_EQ(preview.invalid, 4u);
  EXPECT_FALSE(preview.ok());
}

TEST(DirectoryImport, ASecretariatImportsIntoItsOwnAreaOnly) {
  OrganisationImportRules rules = no_orgs();
  rules.area = "北広島保健所管内";
  auto preview =
      preview_organisations("名称,種別,管内\nA病院,病院,\nB病院,病院,三次保健所管内\n", rules);
  ASSERT_EQ(preview.rows.size(), 2u);
  EXPECT_EQ(preview.rows[0].values.at("area"), "北広島保健所管内");
  EXPECT_TRUE(preview.rows[0].errors.empty());
  EXPECT_FALSE(preview.rows[1].errors.empty());
}

TEST(DirectoryImport, PeopleInShiftJisWithoutHeader) {
  // "山田 花子,北広島町,Hanako.Y\n" in CP932.
  const std::string cp932 =
      "\x8e\x52\x93\x63\x20\x89\xd4\x8e\x71\x2c\x96\x6b\x8d\x4c\x93\x87\x92\xac\x2c"
      "Hanako.Y\n";
  PersonImportRules rules;
  rules.find_org = [](std::string_view org) -> std::optional<std::string> {
    if (org == "北広島町") return "o2";
    return std::nullopt;
  };
  rules.org_in_scope = [](std::string_view) { return true; };
  rules.login_taken = [](std::string_view) { return false; };
  auto preview = preview_people(cp932, rules);
  ASSERT_FALSE(preview.file_error) << *preview.file_error;
  EXPECT_EQ(preview.encoding, "cp932");
  ASSERT_EQ(preview.rows.size(), 1u);
  EXPECT_TRUE(preview.rows[0].errors.empty());
  EXPECT_EQ(preview.rows[0].values.at("name"), "山田 花子");
  EXPECT_EQ(preview.rows[0].values.at("org_id"), "o2");
  EXPECT_EQ(preview.rows[0].values.at("login"), "hanako.y");
}

TEST(DirectoryImport, PeopleErrors) {
  PersonImportRules rules;
  rules.find_org = [](std::string_view org) -> std::optional<std::string> {
    if (org == "A病院") return "o1";
    if (org == "他管内病院") return "o9";
    return std::nullopt;
  };
  rules.org_in_scope = [](std::string_view id) { return id == "o1"; };
  rules.login_taken = [](std::string_view login) { return login == "taken"; };
  auto preview = preview_people(
      "氏名,機関,ログインID\nA,A病院,ok1\nB,不明,ok2\nC,A病院,x\nD,A病院,taken\nE,A病院,ok1\n"
      "F,他管内病院,ok3\n",
      rules);
  ASSERT_EQ(preview.rows.size(), 6u);
  EXPECT_TRUE(preview.rows[0].errors.empty());
  for (std::size_t i = 1; i < 6; ++i) EXPECT_FALSE(preview.rows[i].errors.empty()) << i;
}

TEST(DirectoryImport, UnreadableFiles) {
  EXPECT_TRUE(preview_organisations("", no_orgs()).file_error);
  EXPECT_TRUE(preview_organisations("名称,種別\n", no_orgs()).file_error);
  EXPECT_TRUE(preview_organisations("\x85\x40", no_orgs()).file_error);
  EXPECT_TRUE(preview_organisations("名称,種別\n\"open,病院\n", no_orgs()).file_error);
  EXPECT_TRUE(preview_people("氏名,機関\nA,B\n", {}).file_error);  // no login column
  std::string many = "名称,種別\n";
  for (std::size_t i = 0; i <= max_import_rows; ++i) many += "o" + std::to_string(i) + ",病院\n";
  EXPECT_TRUE(preview_organisations(many, no_orgs()).file_error);
}

TEST(DirectoryImport, EncodedPreview) {
  auto preview = preview_organisations("名称,種別\nA\"病院,病院\n", no_orgs());
  EXPECT_EQ(encode_import_preview(preview),
            R"({"encoding":"utf-8","rows":[{"line":2,"values":{"area":"","kind":"hospital",)"
            R"("name":"A\"病院","prefecture":""},"errors":[]}],"valid":1,"invalid":0})");
}

}  // namespace
}  // namespace renkei::protocol
