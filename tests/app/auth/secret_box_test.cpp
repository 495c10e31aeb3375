// The secret box and its key file.
#include "app/auth/secret_box.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "../test_support.hpp"

namespace renkei::app::auth {
namespace {

using testing::TempDir;

std::vector<unsigned char> bytes_of(std::string_view text) {
  return std::vector<unsigned char>(text.begin(), text.end());
}

bool contains(const std::vector<unsigned char>& haystack,
              const std::vector<unsigned char>& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

TEST(SecretBox, CreatesAnOwnerOnlyKeyFileAndReadsItBack) {
  TempDir dir;
  const auto path = dir.path() / "renkei.db.key";
  const auto secret = bytes_of("GEZDGNBVGY3TQOJQ-totp-secret");
  std::vector<unsigned char> sealed;
  {
    auto box = SecretBox::from_key_file(path);
    sealed = box.seal(secret);
  }
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 32);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The same file opens what it sealed, in another process's lifetime too.
  auto again = SecretBox::from_key_file(path);
  EXPECT_EQ(again.open(sealed), secret);
}

TEST(SecretBox, SealedFormHidesThePlaintext) {
  TempDir dir;
  auto box = SecretBox::from_key_file(dir.path() / "k");
  const auto secret = bytes_of("12345678901234567890");
  const auto sealed = box.seal(secret);
  EXPECT_EQ(sealed.size(), secret.size() + SecretBox::nonce_bytes + SecretBox::tag_bytes);
  EXPECT_FALSE(contains(sealed, secret));
  EXPECT_FALSE(contains(sealed, bytes_of("1234")));
  // A fresh nonce each time.
  EXPECT_NE(box.seal(secret), sealed);
  EXPECT_EQ(box.open(sealed), secret);
  EXPECT_EQ(box.open(box.seal({})), std::vector<unsigned char>{});
}

TEST(SecretBox, AnotherKeyOrATamperedBoxFails) {
  TempDir dir;
  auto box = SecretBox::from_key_file(dir.path() / "a");
  auto other = SecretBox::from_key_file(dir.path() / "b");
  const auto secret = bytes_of("12345678901234567890");
  const auto sealed = box.seal(secret);
  EXPECT_EQ(other.open(sealed), std::nullopt);
  for (std::size_t i : {std::size_t{0}, SecretBox::nonce_bytes, sealed.size() - 1}) {
    auto tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_EQ(box.open(tampered), std::nullopt) << "byte " << i;
  }
  EXPECT_EQ(box.open(std::vector<unsigned char>(sealed.begin(), sealed.end() - 1)), std::nullopt);
  EXPECT_EQ(box.open(std::vector<unsigned char>(10, 0)), std::nullopt);
}

void expect_refused(const std::filesystem::path& path, const std::string& english) {
  try {
    (void)SecretBox::from_key_file(path);
    ADD_FAILURE() << "accepted " << path;
  } catch (const SecretKeyError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path.string()), std::string::npos) << what;
    EXPECT_NE(what.find(english), std::string::npos) << what;
    EXPECT_NE(what.find("秘密鍵ファイル"), std::string::npos) << what;
  }
}

TEST(SecretBox, RefusesAKeyFileOfTheWrongSize) {
  TempDir dir;
  const auto path = dir.path() / "short.key";
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(31, 'k');
  }
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  expect_refused(path, "has 31 bytes (it must have exactly 32)");
}

TEST(SecretBox, RefusesAKeyFileOthersCanRead) {
  TempDir dir;
  const auto path = dir.path() / "open.key";
  (void)SecretBox::from_key_file(path);
  ::chmod(path.c_str(), 0640);
  expect_refused(path, "accessible to group or others (mode 0640)");
  ::chmod(path.c_str(), 0604);
  expect_refused(path, "(mode 0604)");
  ::chmod(path.c_str(), 0400);
  EXPECT_NO_THROW((void)SecretBox::from_key_file(path));
}

TEST(SecretBox, RefusesADirectoryOrAMissingDirectory) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "d");
  ::chmod((dir.path() / "d").c_str(), 0700);
  expect_refused(dir.path() / "d", "is not a regular file");
  expect_refused(dir.path() / "missing" / "k", "cannot be created");
}

}  // namespace
}  // namespace renkei::app::auth
