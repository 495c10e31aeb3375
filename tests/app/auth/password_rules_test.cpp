// The new-password rules: length in code points, the common list, the login.
#include "app/auth/password_rules.hpp"

#include <gtest/gtest.h>

namespace renkei::app::auth {
namespace {

TEST(PasswordRules, CountsCodePointsNotBytes) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("協議体"), 3u);  // 9 bytes
  EXPECT_EQ(count_code_points("😀x"), 2u);      // 4 + 1 bytes
}

TEST(PasswordRules, RefusesFewerThanTenCharacters) {
  EXPECT_EQ(check_password("Abcdefgh9", "tanaka"), WeakPassword::too_short);
  // Nine kanji are 27 bytes but nine characters.
  EXPECT_EQ(check_password("北広島町の在宅医療", "tanaka"), WeakPassword::too_short);
  EXPECT_EQ(check_password("北広島町の在宅医療連携", "tanaka"), std::nullopt);
  EXPECT_EQ(check_password("Xk3-vb9!qz", "tanaka"), std::nullopt);
}

TEST(PasswordRules, RefusesCommonPasswordsInAnyCase) {
  EXPECT_GE(common_password_count(), 300u);
  EXPECT_TRUE(is_common_password("password"));
  EXPECT_TRUE(is_common_password("QwertyUIOP"));
  EXPECT_EQ(check_password("qwertyuiop", "tanaka"), WeakPassword::common);
  EXPECT_EQ(check_password("1234567890", "tanaka"), WeakPassword::common);
  EXPECT_EQ(check_password("Password123", "tanaka"), WeakPassword::common);
  EXPECT_EQ(check_password("BASKETBALL", "tanaka"), WeakPassword::common);
  EXPECT_FALSE(is_common_password("qwertyuiop!x"));
}

TEST(PasswordRules, RefusesTheLoginItself) {
  EXPECT_EQ(check_password("tanaka.hanako", "tanaka.hanako"), WeakPassword::same_as_login);
  EXPECT_EQ(check_password("Tanaka.Hanako", "tanaka.hanako"), WeakPassword::same_as_login);
  EXPECT_EQ(check_password("tanaka.hanako2", "tanaka.hanako"), std::nullopt);
}

TEST(PasswordRules, MessagesAreJapaneseFirst) {
  for (auto reason : {WeakPassword::too_short, WeakPassword::common, WeakPassword::same_as_login}) {
    const auto message = weak_password_message(reason);
    const auto slash = message.find(" / ");
    ASSERT_NE(slash, std::string::npos) << message;
    EXPECT_GE(static_cast<unsigned char>(message[0]), 0x80u) << message;
  }
}

}  // namespace
}  // namespace renkei::app::auth
