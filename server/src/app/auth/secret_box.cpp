#include "app/auth/secret_box.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "app/auth/sodium.hpp"

namespace renkei::app::auth {

namespace {

static_assert(SecretBox::key_bytes == crypto_secretbox_KEYBYTES);
static_assert(SecretBox::nonce_bytes == crypto_secretbox_NONCEBYTES);
static_assert(SecretBox::tag_bytes == crypto_secretbox_MACBYTES);

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& japanese,
                       const std::string& english) {
  throw SecretKeyError("秘密鍵ファイル " + path.string() + ": " + japanese + " / secret key file " +
                       path.string() + ": " + english);
}

std::string errno_text() { return std::strerror(errno); }

// Closes the descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Creates the file with 32 random bytes, mode 0600. False if it exists
// already (another process may have created it first).
bool create_key_file(const std::filesystem::path& path) {
  Fd file{::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
  if (file.fd < 0) {
    if (errno == EEXIST) return false;
    fail(path, "作成できません（" + errno_text() + "）",
         "cannot be created (" + errno_text() + ")");
  }
  std::array<unsigned char, SecretBox::key_bytes> key{};
  randombytes_buf(key.data(), key.size());
  std::size_t written = 0;
  while (written < key.size()) {
    const ssize_t n = ::write(file.fd, key.data() + written, key.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      sodium_memzero(key.data(), key.size());
      ::unlink(path.c_str());
      fail(path, "書き込めません（" + errno_text() + "）",
           "cannot be written (" + errno_text() + ")");
    }
    written += static_cast<std::size_t>(n);
  }
  sodium_memzero(key.data(), key.size());
  if (::fsync(file.fd) != 0) {
    ::unlink(path.c_str());
    fail(path, "書き込めません（" + errno_text() + "）",
         "cannot be written (" + errno_text() + ")");
  }
  return true;
}

}  // namespace

SecretBox SecretBox::from_key_file(const std::filesystem::path& path) {
  init_sodium();
  create_key_file(path);  // no-op if it exists
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0)
    fail(path, "読めません（" + errno_text() + "）", "cannot be read (" + errno_text() + ")");
  struct stat st {};
  if (::fstat(file.fd, &st) != 0)
    fail(path, "読めません（" + errno_text() + "）", "cannot be read (" + errno_text() + ")");
  if (!S_ISREG(st.st_mode)) fail(path, "通常のファイルではありません", "is not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    fail(path,
         std::string("所有者以外も読み書きできます（モード ") + mode +
             "）。chmod 600 で所有者だけにしてください",
         std::string("is accessible to group or others (mode ") + mode +
             "); make it owner-only with chmod 600");
  }
  if (st.st_size != static_cast<off_t>(key_bytes))
    fail(path,
         "大きさが " + std::to_string(st.st_size) + " バイトです（32 バイトでなければなりません）",
         "has " + std::to_string(st.st_size) + " bytes (it must have exactly 32)");
  std::array<unsigned char, key_bytes> key{};
  std::size_t got = 0;
  while (got < key.size()) {
    const ssize_t n = ::read(file.fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      sodium_memzero(key.data(), key.size());
      fail(path, "読めません", "cannot be read");
    }
    got += static_cast<std::size_t>(n);
  }
  SecretBox box{std::span<const unsigned char, key_bytes>(key)};
  sodium_memzero(key.data(), key.size());
  return box;
}

SecretBox::SecretBox(std::span<const unsigned char, key_bytes> key) {
  init_sodium();
  std::memcpy(key_.data(), key.data(), key_bytes);
}

SecretBox::SecretBox(SecretBox&& other) noexcept : key_(other.key_) {
  sodium_memzero(other.key_.data(), other.key_.size());
}

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

std::vector<unsigned char> SecretBox::seal(std::span<const unsigned char> plaintext) const {
  std::vector<unsigned char> out(nonce_bytes + tag_bytes + plaintext.size());
  randombytes_buf(out.data(), nonce_bytes);
  crypto_secretbox_easy(out.data() + nonce_bytes, plaintext.data(), plaintext.size(), out.data(),
                        key_.data());
  return out;
}

std::optional<std::vector<unsigned char>> SecretBox::open(
    std::span<const unsigned char> sealed) const {
  if (sealed.size() < nonce_bytes + tag_bytes) return std::nullopt;
  std::vector<unsigned char> out(sealed.size() - nonce_bytes - tag_bytes);
  if (crypto_secretbox_open_easy(out.data(), sealed.data() + nonce_bytes,
                                 sealed.size() - nonce_bytes, sealed.data(), key_.data()) != 0)
    return std::nullopt;
  return out;
}

}  // namespace renkei::app::auth
