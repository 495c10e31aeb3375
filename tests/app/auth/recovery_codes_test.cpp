// Recovery codes: shape, randomness, normalisation and hashing.
#include "app/auth/recovery_codes.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace renkei::app::auth {
namespace {

TEST(RecoveryCodes, TenDistinctCodesOfTheUnambiguousAlphabet) {
  const std::regex shape(
      "[0-9abcdefghjkmnpqrstvwxyz]{4}-[0-9abcdefghjkmnpqrstvwxyz]{4}-"
      "[0-9abcdefghjkmnpqrstvwxyz]{4}");
  std::set<std::string> seen;
  for (int round = 0; round < 50; ++round) {
    const auto codes = generate_recovery_codes();
    ASSERT_EQ(codes.size(), 10u);
    for (const auto& code : codes) {
      EXPECT_TRUE(std::regex_match(code, shape)) << code;
      EXPECT_TRUE(seen.insert(code).second) << code;
    }
  }
  // Every symbol of the alphabet turns up (60 bits a code: 32 symbols).
  std::set<char> symbols;
  for (const auto& code : seen)
    for (char c : code)
      if (c != '-') symbols.insert(c);
  EXPECT_EQ(symbols.size(), 32u);
}

TEST(RecoveryCodes, NormalisesCaseSpacesHyphensAndMisreadLetters) {
  EXPECT_EQ(normalise_recovery_code("ab3d-ef7h-jk9m"), "ab3def7hjk9m");
  EXPECT_EQ(normalise_recovery_code("AB3D EF7H JK9M"), "ab3def7hjk9m");
  EXPECT_EQ(normalise_recovery_code(" ab3def7hjk9m "), "ab3def7hjk9m");
  EXPECT_EQ(normalise_recovery_code("ab3d--ef7h-jk9m"), "ab3def7hjk9m");
  EXPECT_EQ(normalise_recovery_code("0o1i-lL00-1111"), "001111001111");
  // Full-width input from a Japanese IME.
  EXPECT_EQ(normalise_recovery_code("ＡＢ３Ｄ－ｅｆ７ｈ　ｊｋ９ｍ"), "ab3def7hjk9m");
  EXPECT_EQ(normalise_recovery_code("ab3dーef7hーjk9m"), "ab3def7hjk9m");
  // Not a code: wrong length or a symbol outside the alphabet.
  EXPECT_EQ(normalise_recovery_code("ab3d-ef7h-jk9"), "");
  EXPECT_EQ(normalise_recovery_code("ab3d-ef7h-jk9mm"), "");
  EXPECT_EQ(normalise_recovery_code("ab3d-ef7h-jk9u"), "");
  EXPECT_EQ(normalise_recovery_code("ab3d-ef7h-jk9あ"), "");
  EXPECT_EQ(normalise_recovery_code(""), "");
}

TEST(RecoveryCodes, HashIsSha256HexOfTheNormalisedCode) {
  const auto hash = hash_recovery_code("ab3d-ef7h-jk9m");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(hash_recovery_code("AB3D EF7H JK9M"), hash);
  EXPECT_NE(hash_recovery_code("ab3d-ef7h-jk9n"), hash);
  // SHA-256("abcdefghjkmn"), from sha256sum.
  EXPECT_EQ(hash_recovery_code("abcd-efgh-jkmn"),
            "ff25e0a8f930ea31f7d2fdefc87340e34d7f6849d0781d0cd87701a5301722c0");
}

}  // namespace
}  // namespace renkei::app::auth
