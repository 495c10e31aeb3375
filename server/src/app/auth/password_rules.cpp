#include "app/auth/password_rules.hpp"

#include <string>
#include <unordered_set>

#include "app/auth/common_passwords.hpp"

namespace renkei::app::auth {

namespace {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::unordered_set<std::string>& common_set() {
  static const std::unordered_set<std::string> set = [] {
    std::unordered_set<std::string> s;
    std::string_view text = common_passwords_text();
    while (!text.empty()) {
      const auto end = text.find('\n');
      const auto line = text.substr(0, end);
      if (!line.empty()) s.insert(ascii_lower(line));
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
    return s;
  }();
  return set;
}

}  // namespace

std::size_t count_code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool is_common_password(std::string_view password) {
  return common_set().contains(ascii_lower(password));
}

std::size_t common_password_count() { return common_set().size(); }

std::optional<WeakPassword> check_password(std::string_view password, std::string_view login) {
  if (count_code_points(password) < min_password_code_points) return WeakPassword::too_short;
  if (!login.empty() && ascii_lower(password) == ascii_lower(login))
    return WeakPassword::same_as_login;
  if (is_common_password(password)) return WeakPassword::common;
  return std::nullopt;
}

std::string weak_password_message(WeakPassword reason) {
  switch (reason) {
    case WeakPassword::too_short:
      return "パスワードは10文字以上にしてください / The password must be at least 10 characters "
             "long";
    case WeakPassword::common:
      return "よく使われるパスワードは使えません / This password is too common";
    case WeakPassword::same_as_login:
      return "ログイン名と同じパスワードは使えません / The password must not be the login";
  }
  return "パスワードが弱すぎます / The password is too weak";
}

}  // namespace renkei::app::auth
