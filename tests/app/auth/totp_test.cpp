// TOTP against RFC 6238's test vectors and against oathtool.
#include "app/auth/totp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace renkei::app::auth::totp {
namespace {

std::vector<unsigned char> bytes_of(std::string_view text) {
  return std::vector<unsigned char>(text.begin(), text.end());
}

// RFC 6238 Appendix B, SHA-1 (secret "12345678901234567890"). The RFC's
// codes have 8 digits; 6-digit codes are their last six (both are the
// truncated value modulo a power of ten).
TEST(Totp, Rfc6238AppendixBSha1) {
  const auto secret = bytes_of("12345678901234567890");
  const std::pair<std::int64_t, std::string> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [time, code] : vectors) EXPECT_EQ(code_at(secret, time), code.substr(2)) << time;
  EXPECT_EQ(step_at(59), 1);
  EXPECT_EQ(step_at(1111111109), 0x23523EC);
  EXPECT_EQ(step_at(20000000000), 0x27BC86AA);
}

TEST(Totp, Base32RoundTripsRfc4648) {
  // RFC 4648 section 10, without padding.
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "MY"},
      {"fo", "MZXQ"},
      {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base32_encode(bytes_of(plain)), encoded);
    EXPECT_EQ(base32_decode(encoded), bytes_of(plain)) << encoded;
  }
  EXPECT_EQ(base32_decode("mzxw 6ytb oi======"), bytes_of("foobar"));
  EXPECT_EQ(base32_decode("MZXW1"), std::nullopt);  // '1' is not base32
  EXPECT_EQ(base32_decode("MZX"), std::nullopt);    // 3 symbols: no whole bytes
  EXPECT_EQ(base32_decode("MY=A"), std::nullopt);   // data after padding
  const auto secret = generate_secret();
  EXPECT_EQ(secret.size(), 20u);
  EXPECT_EQ(base32_encode(secret).size(), 32u);
  EXPECT_EQ(base32_decode(base32_encode(secret)), secret);
  EXPECT_NE(generate_secret(), secret);
}

TEST(Totp, OtpauthUriEncodesTheLabel) {
  const auto secret = bytes_of("12345678901234567890");
  EXPECT_EQ(otpauth_uri("tanaka", secret),
            "otpauth://totp/Renkei:tanaka?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Renkei&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(otpauth_uri("田中 a&b?c:d/e", secret),
            "otpauth://totp/Renkei:%E7%94%B0%E4%B8%AD%20a%26b%3Fc%3Ad%2Fe"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Renkei&algorithm=SHA1&digits=6&period=30");
}

TEST(Totp, VerifyAcceptsOneStepEitherSideOnce) {
  const auto secret = generate_secret();
  const std::int64_t now = 1'800'000'015;
  const auto step = step_at(now);
  EXPECT_EQ(verify(secret, code_at(secret, now), now, std::nullopt), step);
  EXPECT_EQ(verify(secret, code_at(secret, now - 30), now, std::nullopt), step - 1);
  EXPECT_EQ(verify(secret, code_at(secret, now + 30), now, std::nullopt), step + 1);
  EXPECT_EQ(verify(secret, code_at(secret, now - 60), now, std::nullopt), std::nullopt);
  EXPECT_EQ(verify(secret, code_at(secret, now + 60), now, std::nullopt), std::nullopt);
  // Each code once: not again after its step was used, nor an earlier one.
  EXPECT_EQ(verify(secret, code_at(secret, now), now, step), std::nullopt);
  EXPECT_EQ(verify(secret, code_at(secret, now - 30), now, step - 1), std::nullopt);
  EXPECT_EQ(verify(secret, code_at(secret, now), now, step - 1), step);
  EXPECT_EQ(verify(secret, code_at(secret, now + 30), now, step), step + 1);
}

TEST(Totp, VerifyRefusesMalformedCodes) {
  const auto secret = generate_secret();
  const std::int64_t now = 1'800'000'015;
  const auto code = code_at(secret, now);
  EXPECT_EQ(verify(secret, code.substr(0, 3) + " " + code.substr(3), now, std::nullopt),
            step_at(now));
  EXPECT_EQ(verify(secret, code.substr(1), now, std::nullopt), std::nullopt);
  EXPECT_EQ(verify(secret, code + "0", now, std::nullopt), std::nullopt);
  EXPECT_EQ(verify(secret, "12345a", now, std::nullopt), std::nullopt);
  EXPECT_EQ(verify(secret, "", now, std::nullopt), std::nullopt);
  EXPECT_EQ(verify(bytes_of("another secret......"), code, now, std::nullopt), std::nullopt);
}

std::string run_oathtool(std::int64_t time, const std::string& base32) {
  const std::string command =
      "oathtool --totp -b -N @" + std::to_string(time) + " " + base32 + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  std::array<char, 64> buffer{};
  std::string out;
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(Totp, AgreesWithOathtool) {
  if (std::system("command -v oathtool >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "oathtool is not installed (sh server/tools/deps.sh --test)";
  const std::int64_t times[] = {0,          59,         1111111109, 1700000000,
                                1767225599, 1767225600, 2000000000, 4102444800};
  for (int i = 0; i < 5; ++i) {
    const auto secret = generate_secret();
    const auto base32 = base32_encode(secret);
    for (auto time : times)
      EXPECT_EQ(code_at(secret, time), run_oathtool(time, base32)) << base32 << " @" << time;
  }
}

}  // namespace
}  // namespace renkei::app::auth::totp
